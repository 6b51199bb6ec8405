#pragma once
/// Link impairments beyond loss, as Linux netem has them (net/sched/
/// sch_netem.c, netem_enqueue; tc-netem(8)): duplication, corruption and
/// reordering of one link direction. Each draws from its own sub-stream of
/// the direction's Rng, so enabling one never moves the draws of another,
/// nor of the loss model or jitter.
///
/// The mechanisms, per frame offered to the link direction:
/// - duplicate (probability): netem clones the skb and enqueues the clone
///   after the original through the root qdisc (with duplication off for
///   the clone). Here the copy is offered to the same direction right after
///   the original and meets queue, loss, corruption and reordering on its
///   own; it is never duplicated again.
/// - corrupt (probability): netem flips one bit, `data[rand % len] ^= 1 <<
///   (rand % 8)`. Here the byte is chosen uniformly in the IP packet (after
///   the 14-byte Ethernet header: our frames have no FCS, and a flip in the
///   MAC header would not reach any checksum), so the receiver's IPv4 header
///   checksum (RFC 791) or TCP checksum (RFC 9293 §3.1) check drops it.
/// - reorder (probability, gap, delay): netem's gap reordering. A counter
///   counts frames sent with the normal delay; while it is below gap - 1 a
///   frame is never reordered; from then on each frame is reordered with
///   the probability, which resets the counter. A reordered frame is sent
///   "immediately" (netem: time_to_send = now) instead of waiting the
///   link's delay, so it overtakes frames still in flight. Here its
///   propagation delay is `delay` (default 0, netem's behaviour); a delay
///   longer than the link's holds it back instead, and later frames pass it.
///   Frames lost on the wire do not count (netem drops them before).

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <utility>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/time.hpp"
#include "wiresim/net/packet.hpp"

namespace wiresim::net {

/// Plain data, as the scenario layer fills it in. Probabilities in [0, 1].
struct ImpairmentConfig {
  double duplicate = 0.0;  ///< P(a frame is sent twice)
  double corrupt = 0.0;    ///< P(one bit of a frame's IP packet is flipped)
  double reorder = 0.0;    ///< P(a frame past the gap is sent ahead)
  std::uint32_t reorder_gap = 1;  ///< >= 1; 1 = every frame may be reordered
  Duration reorder_delay{};       ///< propagation delay of a reordered frame, >= 0

  /// True if any impairment can happen.
  [[nodiscard]] bool any() const { return duplicate > 0.0 || corrupt > 0.0 || reorder > 0.0; }
  bool operator==(const ImpairmentConfig&) const = default;
};

/// What the impairments did on one link direction.
struct ImpairmentStats {
  std::uint64_t duplicated = 0;  ///< copies made (each copy is one more frame offered)
  std::uint64_t corrupted = 0;   ///< frames put on the wire with one bit flipped
  std::uint64_t reordered = 0;   ///< frames sent ahead with reorder_delay

  bool operator==(const ImpairmentStats&) const = default;
};

class Impairments {
 public:
  /// Takes three sub-stream seeds from `parent` (duplicate, corrupt,
  /// reorder), always, whatever the config. Throws std::invalid_argument
  /// for a probability outside [0, 1], a gap of 0 or a negative delay.
  Impairments(const ImpairmentConfig& config, Rng& parent);

  [[nodiscard]] bool any() const { return any_; }
  [[nodiscard]] const ImpairmentConfig& config() const { return config_; }
  [[nodiscard]] const ImpairmentStats& stats() const { return stats_; }

  /// For each frame offered (not for copies): true = send a copy after it.
  /// Draws only if duplicate > 0.
  bool duplicate();
  /// Which bit of a frame to flip.
  struct Flip {
    bool chosen = false;
    std::size_t byte = 0;  ///< offset in the frame, past the Ethernet header
    std::uint8_t bit = 0;  ///< 0..7
  };
  /// For each frame of `frame_len` bytes put on the wire: whether it is
  /// corrupted and where. Draws (the decision, then byte and bit when
  /// chosen) only if corrupt > 0 and the frame has IP bytes, whatever the
  /// frame's fate afterwards, so losses never shift the corruption pattern.
  Flip draw_corruption(std::size_t frame_len);
  /// Flips the chosen bit of `frame` and counts it; nothing if not chosen.
  [[gnu::cold]] void apply(const Flip& flip, std::span<std::uint8_t> frame);
  /// For each frame that survived the wire: true = send it ahead with
  /// reorder_delay (netem's gap rule above; draws only past the gap).
  bool reorder();

 private:
  ImpairmentConfig config_;
  bool any_;
  Rng duplicate_rng_;
  Rng corrupt_rng_;
  Rng reorder_rng_;
  std::uint32_t counter_ = 0;  ///< netem q->counter: frames since the last reordered one
  ImpairmentStats stats_;
};

/// Frames in flight that left the FIFO order (reordered ones), ordered by
/// (arrival, send order): the arrival times of a link's normal frames never
/// decrease, these may arrive before or after any of them.
class OvertakingQueue {
 public:
  void push(Time arrival, std::uint64_t order, Packet frame) {
    frames_.emplace(Key{arrival, order}, std::move(frame));
  }
  [[nodiscard]] bool empty() const { return frames_.empty(); }
  [[nodiscard]] std::size_t size() const { return frames_.size(); }
  /// Arrival and send order of the first frame; the queue must not be empty.
  [[nodiscard]] std::pair<Time, std::uint64_t> front() const { return frames_.begin()->first; }
  Packet pop_front();

 private:
  using Key = std::pair<Time, std::uint64_t>;
  std::map<Key, Packet> frames_;
};

}  // namespace wiresim::net
