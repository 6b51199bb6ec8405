#pragma once
/// CoDel, Controlled Delay active queue management (RFC 8289), as the
/// RFC's §5 pseudocode and Linux include/net/codel_impl.h run it: at
/// dequeue, a packet whose sojourn time stayed at or above `target` for a
/// whole `interval` starts the dropping state; the next drops follow the
/// control law t + interval / sqrt(count) (RFC 8289 §3.3). With ECN an
/// ECN-capable packet is marked CE and sent instead of dropped
/// (codel_dequeue: the mark also schedules the next signal).

#include <cstdint>
#include <optional>

#include "wiresim/core/time.hpp"
#include "wiresim/net/queue_disc.hpp"

namespace wiresim::net {

struct CodelParams {
  Duration target = Duration::milliseconds(5);
  Duration interval = Duration::milliseconds(100);
  /// MAXPACKET (RFC 8289 §5.4): a queue of at most this many bytes left is
  /// never "above target" (Linux params->mtu, the device's frame size).
  std::size_t max_packet = 1514;
  bool ecn = false;
};

/// The CoDel state of one queue (RFC 8289 §5.2; FQ-CoDel keeps one per flow).
class Codel {
 public:
  explicit Codel(const CodelParams& p) : p_(p) {}

  /// RFC 8289 §5.5 dequeue(): the next packet of `q` to send at `now`,
  /// dropping into `sink` (cause kAqm) or marking through `owner` what the
  /// control law says. Empty when `q` is.
  Packet dequeue(Time now, PacketFifo& q, QueueDisc& owner, QueueDiscSink& sink);

  /// The control law (RFC 8289 §5.5): t + interval / sqrt(count), in whole
  /// nanoseconds (truncated).
  [[nodiscard]] Time control_law(Time t) const;

  [[nodiscard]] bool dropping() const { return dropping_; }
  [[nodiscard]] std::uint32_t count() const { return count_; }
  [[nodiscard]] Time drop_next() const { return drop_next_; }
  /// fq_codel_drop: packets dropped from the flow on overlimit raise the
  /// signal strength ("Tell codel to increase its signal strength also").
  void add_to_count(std::uint32_t n) { count_ += n; }

 private:
  struct DodequeueResult {
    Packet p;
    bool ok_to_drop = false;
  };
  /// RFC 8289 §5.4 dodequeue().
  DodequeueResult dodequeue(Time now, PacketFifo& q, const QueueDisc& owner);
  /// Marks (true) or drops (false) `p`; a drop leaves `p` without buffer.
  bool signal(Packet& p, QueueDisc& owner, QueueDiscSink& sink);

  CodelParams p_;
  std::optional<Time> first_above_time_;  ///< RFC's first_above_time_ (0 = none)
  Time drop_next_{};
  std::uint32_t count_ = 0;
  std::uint32_t lastcount_ = 0;
  bool dropping_ = false;
};

/// A single FIFO managed by CoDel, with a packet limit (Linux sch_codel
/// `limit`, default 1000: tail drop beyond it, cause kQueueFull).
class CodelQueue final : public QueueDisc {
 public:
  CodelQueue(const CodelParams& p, std::size_t limit_packets);
  void enqueue(Time now, Packet frame, QueueDiscSink& sink) override;
  Packet dequeue(Time now, QueueDiscSink& sink) override;
  [[nodiscard]] std::size_t packets() const override { return q_.packets(); }
  [[nodiscard]] std::size_t bytes() const override { return q_.bytes(); }
  [[nodiscard]] const Codel& codel() const { return codel_; }

 private:
  Codel codel_;
  PacketFifo q_;
  std::size_t limit_;
};

}  // namespace wiresim::net
