#include "wiresim/net/link_channel.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "wiresim/net/interface.hpp"
#include "wiresim/net/packet_observer.hpp"
#include "wiresim/wire/ethernet.hpp"

namespace wiresim::net {

namespace {

// Sub-streams of a direction's Rng.
constexpr std::uint64_t kLossStream = 1;
constexpr std::uint64_t kJitterStream = 2;
// The queue discipline's stream (RED draws, FQ-CoDel's hash key); drawn
// after the others (the impairments' included), so those do not move.
constexpr std::uint64_t kQueueStream = 16;

const LinkDirectionConfig& validated(const LinkDirectionConfig& c) {
  if (c.delay < Duration::zero() || c.jitter < Duration::zero()) {
    throw std::invalid_argument("wiresim: link delay and jitter must be >= 0");
  }
  return c;
}

}  // namespace

std::uint64_t LinkStats::dropped_total() const {
  return std::accumulate(drops.begin(), drops.end(), std::uint64_t{0});
}

LinkChannel::LinkChannel(Simulator& sim, const Link& link, LinkDirection dir, Interface& to,
                         const LinkDirectionConfig& config, Rng rng)
    : sim_(sim),
      to_(to),
      rate_(config.rate),
      delay_(config.delay),
      queue_packets_(config.queue_packets),
      queue_bytes_(config.queue_bytes),
      max_frame_(config.mtu + wire::kEthernetHeaderLen),
      impaired_(config.impairments.any()),
      clean_wire_(config.loss.kind == LossKind::kNone && config.drop_rules.empty()),
      jittered_(config.jitter > Duration::zero()),
      dir_(dir),
      link_(link),
      config_(validated(config)),
      loss_(config.loss),
      rules_(config.drop_rules),
      loss_rng_(rng.next_u64(), kLossStream),
      jitter_rng_(rng.next_u64(), kJitterStream),
      impair_(config.impairments, rng) {
  if (config_.qdisc.discipline != QueueDiscipline::kDropTail) {
    qdisc_ = make_queue_disc(config_, Rng(rng.next_u64(), kQueueStream));
  }
}

LinkChannel::~LinkChannel() {
  if (event_pending_) sim_.cancel(next_event_);
  if (wire_event_pending_) sim_.cancel(wire_event_);
}

void LinkChannel::send(Packet frame) {
  if (!impaired_) return transmit(std::move(frame));
  // sch_netem.c netem_enqueue: the clone is taken before the original is
  // corrupted, and enqueued after it.
  Packet copy;
  if (impair_.duplicate()) copy = frame.copy();
  transmit(std::move(frame));
  if (copy.has_buffer()) transmit(std::move(copy));
}

void LinkChannel::transmit(Packet frame) {
  const Time now = sim_.now();
  const std::size_t bytes = frame.size();
  ++stats_.packets_offered;
  stats_.bytes_offered += bytes;
  if (bytes > max_frame_) return drop(frame, DropCause::kTooBig);
  if (qdisc_) return send_via_qdisc(now, std::move(frame));
  expire_waiting(now);
  if (!queue_admits(now, bytes)) return drop(frame, DropCause::kQueueFull);
  put_on_wire(now, std::move(frame));
}

void LinkChannel::put_on_wire(Time now, Packet frame) {
  const std::size_t bytes = frame.size();
  const Time end = occupy_wire(now, bytes);
  const Impairments::Flip flip = impaired_ ? impair_.draw_corruption(bytes) : Impairments::Flip{};
  DropCause cause{};
  if (lost_on_wire(frame, cause)) return drop(frame, cause);
  if (flip.chosen) impair_.apply(flip, frame.bytes());  // after the rules, which match the frame as sent
  for (PacketObserver* o : observers_) o->on_wire(now, link_, dir_, frame.bytes(), frame.uid());
  put_in_flight(std::move(frame), end);
  if (!event_pending_) return schedule_next();
  if (next_arrival() < event_time_) {  // a reordered frame arrives before the pending event
    sim_.cancel(next_event_);
    schedule_next();
  }
}

void LinkChannel::put_in_flight(Packet frame, Time end) {
  const std::uint64_t order = next_order_++;
  if (impaired_ && impair_.reorder()) {
    // Sent ahead: not held behind earlier frames, and later ones not behind it.
    overtaking_.push(end + config_.impairments.reorder_delay, order, std::move(frame));
    return;
  }
  // Jitter never reorders: a packet arrives no earlier than the previous one.
  last_arrival_ = std::max(end + propagation_delay(), last_arrival_);
  in_flight_.push_back(InFlight{std::move(frame), last_arrival_, order});
}

void LinkChannel::send_via_qdisc(Time now, Packet frame) {
  qdisc_->enqueue(now, std::move(frame), *this);
  if (!wire_event_pending_) start_next();  // an idle wire takes it at once
  // As drop-tail counts: packets waiting, not the one serialising.
  stats_.peak_queue_packets = std::max(stats_.peak_queue_packets, qdisc_->packets());
  stats_.peak_queue_bytes = std::max(stats_.peak_queue_bytes, qdisc_->bytes());
}

void LinkChannel::start_next() {
  wire_event_pending_ = false;
  const Time now = sim_.now();
  Packet frame = qdisc_->dequeue(now, *this);
  stats_.ecn_marked = qdisc_->ecn_marks();
  if (!frame.has_buffer()) return;  // idle until the next arrival
  put_on_wire(now, std::move(frame));
  // busy_until_ > now for any finite rate; at an infinite rate the next
  // packet starts at once, in a new event (every loop ends).
  wire_event_pending_ = true;
  wire_event_ = sim_.schedule_at(busy_until_, [this] { start_next(); });
}

void LinkChannel::on_qdisc_drop(const Packet& frame, DropCause cause) { drop(frame, cause); }

void LinkChannel::expire_waiting(Time now) {
  while (!waiting_.empty() && waiting_.front().start <= now) {
    waiting_bytes_ -= waiting_.pop_front().bytes;
  }
}

bool LinkChannel::queue_admits(Time now, std::size_t bytes) const {
  if (busy_until_ <= now) return true;  // idle wire: straight on, nothing waits
  if (queue_packets_ != 0 && waiting_.size() + 1 > queue_packets_) return false;
  if (queue_bytes_ != 0 && waiting_bytes_ + bytes > queue_bytes_) return false;
  return true;
}

Time LinkChannel::occupy_wire(Time now, std::size_t bytes) {
  const Time start = std::max(now, busy_until_);
  busy_until_ = start + rate_.transmission_time(static_cast<std::int64_t>(bytes));
  if (start > now) {
    waiting_.push_back(Waiting{start, bytes});
    waiting_bytes_ += bytes;
    stats_.peak_queue_packets = std::max(stats_.peak_queue_packets, waiting_.size());
    stats_.peak_queue_bytes = std::max(stats_.peak_queue_bytes, waiting_bytes_);
  }
  ++stats_.packets_sent;
  stats_.bytes_sent += bytes;
  return busy_until_;
}

bool LinkChannel::lost_on_wire(const Packet& frame, DropCause& cause) {
  // Neither a loss model nor a rule: neither would draw, count or drop.
  if (clean_wire_) return false;
  // Both always run, so a rule never shifts the loss model's draws and the
  // loss model never hides a packet from a rule's count.
  const bool lost = loss_.lose(loss_rng_);
  const bool ruled = rules_.should_drop(frame.bytes());
  cause = ruled ? DropCause::kDropRule : DropCause::kLossModel;
  return lost || ruled;
}

Duration LinkChannel::propagation_delay() {
  if (!jittered_) return delay_;
  const std::int64_t j = config_.jitter.ns();
  const std::int64_t d = delay_.ns() + jitter_rng_.uniform_int(-j, j);
  return Duration::nanoseconds(std::max<std::int64_t>(d, 0));
}

void LinkChannel::drop(const Packet& frame, DropCause cause) {
  ++stats_.drops[static_cast<std::size_t>(cause)];
  for (PacketObserver* o : observers_) {
    o->on_drop(sim_.now(), link_, dir_, frame.bytes(), frame.uid(), cause);
  }
}

bool LinkChannel::overtaking_first() const {
  if (overtaking_.empty()) return false;
  if (in_flight_.empty()) return true;
  const InFlight& f = in_flight_.front();
  return overtaking_.front() < std::pair{f.arrival, f.order};
}

Time LinkChannel::next_arrival() const {
  return overtaking_first() ? overtaking_.front().first : in_flight_.front().arrival;
}

void LinkChannel::deliver_due() {
  event_pending_ = false;
  const Time now = sim_.now();
  while (!in_flight_.empty() || !overtaking_.empty()) {
    const bool ahead = overtaking_first();
    if ((ahead ? overtaking_.front().first : in_flight_.front().arrival) > now) break;
    Packet frame = ahead ? overtaking_.pop_front() : std::move(in_flight_.pop_front().frame);
    ++stats_.packets_delivered;
    stats_.bytes_delivered += frame.size();
    to_.receive(std::move(frame));
  }
  // receive() may have sent on this channel and scheduled already.
  if (in_flight() != 0 && !event_pending_) schedule_next();
}

void LinkChannel::schedule_next() {
  event_pending_ = true;
  event_time_ = next_arrival();
  next_event_ = sim_.schedule_at(event_time_, [this] { deliver_due(); });
}

std::size_t LinkChannel::queued_packets() const {
  if (qdisc_) return qdisc_->packets();
  const Time now = sim_.now();
  std::size_t n = 0;
  for (std::size_t i = waiting_.size(); i > 0 && waiting_[i - 1].start > now; --i) ++n;
  return n;
}

std::size_t LinkChannel::queued_bytes() const {
  if (qdisc_) return qdisc_->bytes();
  const Time now = sim_.now();
  std::size_t n = 0;
  for (std::size_t i = waiting_.size(); i > 0 && waiting_[i - 1].start > now; --i) n += waiting_[i - 1].bytes;
  return n;
}

bool LinkChannel::remove_observer(PacketObserver& o) {
  const auto it = std::find(observers_.begin(), observers_.end(), &o);
  if (it == observers_.end()) return false;
  observers_.erase(it);
  return true;
}

}  // namespace wiresim::net
