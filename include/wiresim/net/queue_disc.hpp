#pragma once
/// The bottleneck queue of a link direction behind one small interface
/// (DESIGN.md, "Link impairments and queue disciplines"): packets go in at
/// enqueue, the link takes the next one when its wire is idle. Drop-tail is
/// not here: LinkChannel keeps its lazy FIFO for it (every time computable
/// at enqueue). An AQM decides at enqueue (RED) or at dequeue (CoDel,
/// FQ-CoDel) whether to drop a packet, or, with `ecn`, to mark an ECN-capable
/// one CE instead (RFC 3168 §5).

#include <cstddef>
#include <cstdint>
#include <memory>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/time.hpp"
#include "wiresim/net/link_config.hpp"
#include "wiresim/net/packet.hpp"
#include "wiresim/net/ring_buffer.hpp"

namespace wiresim::net {

/// A packet waiting in a queue discipline with its enqueue time.
struct QueuedPacket {
  Packet frame;
  Time enqueued{};
};

/// Packets and bytes waiting in a queue.
struct Backlog {
  std::size_t packets = 0;
  std::size_t bytes = 0;
};

/// A FIFO of queued packets that keeps its byte count, and, if given, the
/// backlog of the whole discipline it belongs to (FQ-CoDel's flows).
class PacketFifo {
 public:
  PacketFifo() = default;
  explicit PacketFifo(Backlog* parent) : parent_(parent) {}
  void push(Time now, Packet frame);
  /// Precondition: !empty().
  QueuedPacket pop();
  [[nodiscard]] const QueuedPacket& front() const { return q_.front(); }
  [[nodiscard]] bool empty() const { return q_.empty(); }
  [[nodiscard]] std::size_t packets() const { return q_.size(); }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }

 private:
  RingBuffer<QueuedPacket> q_;
  std::size_t bytes_ = 0;
  Backlog* parent_ = nullptr;
};

/// Where a queue discipline hands the packets it drops (the link counts
/// them and tells its observers).
class QueueDiscSink {
 public:
  virtual ~QueueDiscSink() = default;
  virtual void on_qdisc_drop(const Packet& frame, DropCause cause) = 0;

 protected:
  QueueDiscSink() = default;
  QueueDiscSink(const QueueDiscSink&) = default;
  QueueDiscSink& operator=(const QueueDiscSink&) = default;
};

class QueueDisc {
 public:
  virtual ~QueueDisc() = default;
  QueueDisc(const QueueDisc&) = delete;
  QueueDisc& operator=(const QueueDisc&) = delete;

  /// Takes `frame` at `now`, or drops it (or another packet) into `sink`.
  virtual void enqueue(Time now, Packet frame, QueueDiscSink& sink) = 0;
  /// The packet to serialise at `now`, after dropping any the AQM decides
  /// to; a packet without buffer when the queue is empty.
  virtual Packet dequeue(Time now, QueueDiscSink& sink) = 0;
  [[nodiscard]] virtual std::size_t packets() const = 0;
  [[nodiscard]] virtual std::size_t bytes() const = 0;
  /// Packets marked CE instead of dropped.
  [[nodiscard]] std::uint64_t ecn_marks() const { return ecn_marks_; }
  /// Marks `frame` CE if it is an ECN-capable IPv4 packet and `ecn` is on;
  /// false when the AQM must drop it instead.
  bool try_mark(Packet& frame, bool ecn);

 protected:
  QueueDisc() = default;

 private:
  std::uint64_t ecn_marks_ = 0;
};

/// The discipline `config.qdisc` names (not drop-tail: nullptr for it).
/// `rng` is the direction's queue stream (RED's draws, FQ-CoDel's hash
/// perturbation). Throws std::invalid_argument for invalid parameters.
std::unique_ptr<QueueDisc> make_queue_disc(const LinkDirectionConfig& config, Rng rng);

}  // namespace wiresim::net
