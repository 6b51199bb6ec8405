#include "wiresim/net/codel.hpp"

#include <cmath>
#include <utility>

namespace wiresim::net {

Time Codel::control_law(Time t) const {
  // RFC 8289 §5.5 control_law(). Linux approximates 1/sqrt(count) with a
  // Newton step per count; the exact root is the RFC's law. IEEE sqrt is
  // correctly rounded, so this is deterministic.
  const double step = static_cast<double>(p_.interval.ns()) / std::sqrt(static_cast<double>(count_));
  return t + Duration::nanoseconds(static_cast<std::int64_t>(step));
}

Codel::DodequeueResult Codel::dodequeue(Time now, PacketFifo& q, const QueueDisc& owner) {
  DodequeueResult r;
  if (q.empty()) {
    first_above_time_.reset();  // queue empty: not above target
    return r;
  }
  QueuedPacket qp = q.pop();
  r.p = std::move(qp.frame);
  const Duration sojourn = now - qp.enqueued;
  // The discipline's backlog left after this packet (codel_should_drop's
  // `backlog`: the whole qdisc's, also under fq_codel).
  if (sojourn < p_.target || owner.bytes() <= p_.max_packet) {
    first_above_time_.reset();  // went below: stay below for at least interval
    return r;
  }
  if (!first_above_time_) {
    first_above_time_ = now + p_.interval;  // just went above target
  } else if (now >= *first_above_time_) {
    r.ok_to_drop = true;
  }
  return r;
}

bool Codel::signal(Packet& p, QueueDisc& owner, QueueDiscSink& sink) {
  if (owner.try_mark(p, p_.ecn)) return true;
  sink.on_qdisc_drop(p, DropCause::kAqm);
  p = Packet{};
  return false;
}

Packet Codel::dequeue(Time now, PacketFifo& q, QueueDisc& owner, QueueDiscSink& sink) {
  DodequeueResult r = dodequeue(now, q, owner);
  if (!r.p.has_buffer()) {
    dropping_ = false;  // codel_dequeue: an empty queue ends the dropping state
    return {};
  }
  if (dropping_) {
    if (!r.ok_to_drop) {
      dropping_ = false;  // sojourn time below target: leave the dropping state
    }
    // Every loop marks and stops, or drops and dequeues another packet.
    while (dropping_ && now >= drop_next_) {
      ++count_;
      if (signal(r.p, owner, sink)) {
        drop_next_ = control_law(drop_next_);
        return std::move(r.p);
      }
      r = dodequeue(now, q, owner);
      if (!r.ok_to_drop) {
        dropping_ = false;
      } else {
        drop_next_ = control_law(drop_next_);
      }
    }
  } else if (r.ok_to_drop) {
    if (!signal(r.p, owner, sink)) r = dodequeue(now, q, owner);
    dropping_ = true;
    // If we were dropping recently, start at the drop rate that controlled
    // the queue then (RFC 8289 §5.5; delta > 1 as codel_dequeue).
    const std::uint32_t delta = count_ - lastcount_;
    count_ = 1;
    if (delta > 1 && now - drop_next_ < 16 * p_.interval) count_ = delta;
    drop_next_ = control_law(now);
    lastcount_ = count_;
  }
  return std::move(r.p);
}

CodelQueue::CodelQueue(const CodelParams& p, std::size_t limit_packets) : codel_(p), limit_(limit_packets) {}

void CodelQueue::enqueue(Time now, Packet frame, QueueDiscSink& sink) {
  // codel_qdisc_enqueue: tail drop once `limit` packets wait.
  if (limit_ != 0 && q_.packets() >= limit_) return sink.on_qdisc_drop(frame, DropCause::kQueueFull);
  q_.push(now, std::move(frame));
}

Packet CodelQueue::dequeue(Time now, QueueDiscSink& sink) { return codel_.dequeue(now, q_, *this, sink); }

}  // namespace wiresim::net
