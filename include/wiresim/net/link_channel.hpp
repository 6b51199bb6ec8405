#pragma once
/// One direction of a point-to-point link: drop-tail queue, serialisation
/// at a constant rate, propagation delay with jitter (never reordering),
/// random loss and drop rules on the wire, netem-like duplication,
/// corruption and reordering (impairment.hpp), delivery to the far interface.
///
/// FIFO at a constant rate makes every time computable at enqueue:
///   start   = max(now, end of the previous packet's serialisation)
///   end     = start + size * 8 / rate
///   arrival = max(end + propagation delay, previous arrival)
/// so the queue length at any time is derived lazily from the start times,
/// and the channel keeps at most ONE pending scheduler event: the next
/// arrival. In-flight packets wait in a ring owned by the channel; the few
/// that reordering sends ahead wait in a second queue ordered by arrival.
///
/// With a queue discipline other than drop-tail (RED, CoDel, FQ-CoDel:
/// QueueDisc), packets wait in the discipline instead, which decides at
/// dequeue; the channel then keeps a second event, at the end of the
/// current serialisation, to take the next packet.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/core/time.hpp"
#include "wiresim/net/drop_rule.hpp"
#include "wiresim/net/impairment.hpp"
#include "wiresim/net/link_config.hpp"
#include "wiresim/net/loss_model.hpp"
#include "wiresim/net/packet.hpp"
#include "wiresim/net/queue_disc.hpp"
#include "wiresim/net/ring_buffer.hpp"

namespace wiresim::net {

class Interface;
class Link;
class PacketObserver;

/// Counters of one link direction. Invariants:
///   packets_offered = packets_sent + drops[kTooBig] + drops[kQueueFull] + drops[kAqm] + queued
///   packets_sent = packets_delivered + drops[kLossModel] + drops[kDropRule] + in flight
struct LinkStats {
  std::uint64_t packets_offered = 0;  ///< frames handed to the link
  std::uint64_t bytes_offered = 0;
  std::uint64_t packets_sent = 0;  ///< frames put on the wire (lost ones included)
  std::uint64_t bytes_sent = 0;
  std::uint64_t packets_delivered = 0;  ///< frames handed to the far interface
  std::uint64_t bytes_delivered = 0;
  std::array<std::uint64_t, kDropCauseCount> drops{};  ///< indexed by DropCause
  std::size_t peak_queue_packets = 0;  ///< most packets waiting at once
  std::size_t peak_queue_bytes = 0;    ///< most bytes waiting at once
  std::uint64_t ecn_marked = 0;        ///< packets a queue discipline marked CE instead of dropping

  [[nodiscard]] std::uint64_t dropped(DropCause c) const { return drops[static_cast<std::size_t>(c)]; }
  [[nodiscard]] std::uint64_t dropped_total() const;
};

class LinkChannel final : private QueueDiscSink {
 public:
  /// `rng` is this direction's named stream; it is split into independent
  /// loss and jitter streams, so enabling jitter does not move the losses.
  /// Throws std::invalid_argument for a negative delay or jitter, or an
  /// invalid loss model or drop rule.
  LinkChannel(Simulator& sim, const Link& link, LinkDirection dir, Interface& to,
              const LinkDirectionConfig& config, Rng rng);
  LinkChannel(const LinkChannel&) = delete;
  LinkChannel& operator=(const LinkChannel&) = delete;
  /// Cancels the pending delivery event; in-flight packets are freed.
  ~LinkChannel() override;

  /// Takes `frame` (a complete Ethernet frame) at now(): drops it or puts it
  /// on the wire, to be delivered to the far interface; with duplication, a
  /// copy may follow it.
  void send(Packet frame);

  [[nodiscard]] LinkDirection direction() const { return dir_; }
  [[nodiscard]] const LinkDirectionConfig& config() const { return config_; }
  [[nodiscard]] const LinkStats& stats() const { return stats_; }
  [[nodiscard]] const DropRuleSet& drop_rules() const { return rules_; }
  [[nodiscard]] const Impairments& impairments() const { return impair_; }
  /// Packets / bytes waiting for the wire at now() (not the one serialising).
  [[nodiscard]] std::size_t queued_packets() const;
  [[nodiscard]] std::size_t queued_bytes() const;
  /// Packets accepted and not yet delivered (lost ones excluded).
  [[nodiscard]] std::size_t in_flight() const { return in_flight_.size() + overtaking_.size(); }
  /// When the wire becomes idle: end of the last accepted serialisation.
  [[nodiscard]] Time busy_until() const { return busy_until_; }

  /// Observers are called in the order added; they must outlive the channel
  /// or be removed first.
  void add_observer(PacketObserver& o) { observers_.push_back(&o); }
  bool remove_observer(PacketObserver& o);

 private:
  struct InFlight {
    Packet frame;
    Time arrival;
    std::uint64_t order;  ///< place among the frames put in flight (ties with overtaking_)
  };
  struct Waiting {
    Time start;  ///< when its serialisation starts
    std::size_t bytes;
  };

  /// One frame through queue, wire, loss and impairments (send() without
  /// duplication).
  void transmit(Packet frame);
  /// Puts a frame that survived the wire in flight, in order or (reordered) ahead.
  void put_in_flight(Packet frame, Time end);
  /// True if the next frame to arrive is in overtaking_ (ties by send order).
  [[nodiscard]] bool overtaking_first() const;
  /// Arrival time of the next frame to arrive; something must be in flight.
  [[nodiscard]] Time next_arrival() const;
  /// Forgets waiting packets whose serialisation has started by `now`.
  void expire_waiting(Time now);
  /// Drop-tail: true if a packet of `bytes` fits in the queue at `now`
  /// (after expire_waiting(now)).
  [[nodiscard]] bool queue_admits(Time now, std::size_t bytes) const;
  /// Serialises the frame (it occupies the wire even if lost); returns the
  /// end of its serialisation.
  Time occupy_wire(Time now, std::size_t bytes);
  /// Loss model and drop rules, both always evaluated.
  [[nodiscard]] bool lost_on_wire(const Packet& frame, DropCause& cause);
  [[nodiscard]] Duration propagation_delay();
  [[gnu::cold]] void drop(const Packet& frame, DropCause cause);
  /// Puts a frame whose serialisation starts now on the wire: loss, drop
  /// rules, observers, the in-flight ring and its delivery.
  void put_on_wire(Time now, Packet frame);
  // Queue-discipline path (qdisc_ != nullptr).
  void send_via_qdisc(Time now, Packet frame);
  /// Scheduler event, and called on arrivals at an idle wire: takes the
  /// next packet from the discipline and serialises it.
  void start_next();
  void on_qdisc_drop(const Packet& frame, DropCause cause) override;
  /// Scheduler event: delivers every packet due by now, re-arms for the next.
  void deliver_due();
  void schedule_next();

  // Hot: what every frame reads or writes, first and together (issue 19).
  // At 10,000 flows a client's access-link channel is cold when its next
  // frame comes; with these spread over the whole 1 KB object a hop cost
  // about 11 cache lines, packed here it costs about 6 (vtable pointer
  // included). The cold part below (configuration, loss model, drop rules,
  // random streams, impairments) is read only when the link has them.
  Simulator& sim_;
  Interface& to_;
  Time busy_until_{};    ///< end of the last accepted serialisation
  Time last_arrival_{};  ///< arrival time of the last accepted packet
  DataRate rate_;        ///< config_.rate
  Duration delay_;       ///< config_.delay
  std::size_t queue_packets_;  ///< config_.queue_packets (0: no limit)
  std::size_t queue_bytes_;    ///< config_.queue_bytes (0: no limit)
  std::size_t max_frame_;      ///< config_.mtu + the Ethernet header
  RingBuffer<InFlight> in_flight_;  ///< arrival times non-decreasing
  RingBuffer<Waiting> waiting_;     ///< packets whose start > their enqueue time
  std::size_t waiting_bytes_ = 0;   ///< sum of waiting_[i].bytes
  std::uint64_t next_order_ = 0;    ///< order of the next frame put in flight
  Time event_time_{};               ///< when the pending deliver_due() event runs
  EventId next_event_{};            ///< the pending deliver_due() event, if any
  EventId wire_event_{};            ///< the pending start_next() event, if any
  std::unique_ptr<QueueDisc> qdisc_;  ///< nullptr: drop-tail
  bool event_pending_ = false;      ///< a deliver_due() event is scheduled
  bool wire_event_pending_ = false;
  bool impaired_;                   ///< impair_.any()
  bool clean_wire_;                 ///< no loss model and no drop rule: nothing is lost on the wire
  bool jittered_;                   ///< config_.jitter > 0
  LinkDirection dir_;               ///< here, not below: fills the bools' padding
  OvertakingQueue overtaking_;      ///< reordered frames, by (arrival, order)
  LinkStats stats_;
  std::vector<PacketObserver*> observers_;
  // Cold. Declared in this order on purpose: loss_rng_, jitter_rng_ and
  // impair_ draw their seeds from the direction's stream in this order.
  const Link& link_;
  LinkDirectionConfig config_;
  LossModel loss_;
  DropRuleSet rules_;
  Rng loss_rng_;
  Rng jitter_rng_;
  Impairments impair_;  ///< after the two Rngs above: takes its seeds from the same stream after them
};

}  // namespace wiresim::net
