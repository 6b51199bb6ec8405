#pragma once
/// Sender-side SACK scoreboard (RFC 2018) and the loss-recovery helpers of
/// RFC 6675 §4: IsLost, SetPipe and NextSeg.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "wiresim/wire/seq_num.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::tcp {

/// The SACKed ranges above snd.una, sorted, disjoint and non-adjacent.
/// `high_rxt` below is one past the last byte retransmitted in the current
/// recovery (snd.una when nothing was), i.e. RFC 6675's HighRxt + 1.
class SackScoreboard {
 public:
  /// RFC 6675 DupThresh.
  static constexpr std::uint32_t kDupThresh = 3;

  void clear() { ranges_.clear(); }
  /// Records SACK blocks received with an ACK (RFC 2018 §3). Ranges at or
  /// below snd_una are dropped, blocks with right <= left are ignored, and
  /// overlapping or adjacent ranges are merged.
  void update(wire::SeqNum snd_una, std::span<const wire::SackBlock> blocks);
  [[nodiscard]] bool is_sacked(wire::SeqNum seq) const;
  /// Total SACKed bytes.
  [[nodiscard]] std::uint32_t sacked_bytes() const;
  [[nodiscard]] bool empty() const { return ranges_.empty(); }
  /// The SACKed ranges, lowest first.
  [[nodiscard]] std::span<const wire::SackBlock> ranges() const { return ranges_; }
  /// One past the highest SACKed byte; nullopt when empty.
  [[nodiscard]] std::optional<wire::SeqNum> highest_sacked() const;
  /// One past the highest SACKed byte, or `una` when nothing is SACKed:
  /// Linux's prior_fack in tcp_ack (tcp_highest_sack_seq falls back to
  /// snd_una). A plain value, so that the per-ACK path copies no optional.
  [[nodiscard]] wire::SeqNum highest_sacked_or(wire::SeqNum una) const {
    return ranges_.empty() ? una : ranges_.back().right;
  }

  /// RFC 6675 IsLost(seq): DupThresh (3) or more SACKed segments above seq
  /// (each range counts as ceil(bytes above seq / mss) segments), or more
  /// than (DupThresh-1)*mss SACKed bytes above seq.
  [[nodiscard]] bool is_lost(wire::SeqNum seq, std::uint32_t mss) const;
  /// RFC 6675 SetPipe: bytes believed in flight in [snd_una, snd_nxt). Each
  /// un-SACKed byte counts once unless IsLost, and once more when it lies
  /// below high_rxt (it was retransmitted). IsLost is the same for every byte
  /// of a hole, so this is exact per octet as the RFC defines it.
  [[nodiscard]] std::uint32_t pipe(wire::SeqNum snd_una, wire::SeqNum snd_nxt,
                                   wire::SeqNum high_rxt, std::uint32_t mss) const;

  /// A range [seq, seq+len) to retransmit. `rule` is the NextSeg() rule that
  /// chose it: 1 (lost, send now) or 3 (not yet lost; RFC 6675 says send it
  /// only when rule 2, new data, cannot send anything).
  struct Range {
    wire::SeqNum seq;
    std::uint32_t len;
    std::uint8_t rule = 1;
  };
  /// RFC 6675 NextSeg() rules 1 and 3: the first un-SACKed seq S >= high_rxt
  /// and >= snd_una, below the highest SACKed byte, that IsLost (rule 1),
  /// else the first such S regardless of IsLost (rule 3). len <= mss and the
  /// range ends at the next SACKed byte. nullopt when there is none.
  [[nodiscard]] std::optional<Range> next_seg(wire::SeqNum snd_una, wire::SeqNum snd_nxt,
                                              wire::SeqNum high_rxt, std::uint32_t mss) const;

 private:
  void add(wire::SackBlock b);
  void drop_below(wire::SeqNum snd_una);
  /// (segments, bytes) SACKed strictly above seq, segments as in is_lost().
  struct Above {
    std::uint32_t segments = 0, bytes = 0;
  };
  [[nodiscard]] Above sacked_above(wire::SeqNum seq, std::uint32_t mss) const;

  std::vector<wire::SackBlock> ranges_;
};

}  // namespace wiresim::tcp
