#include "wiresim/net/red.hpp"

#include <stdexcept>
#include <utility>

namespace wiresim::net {

namespace {

/// x^n by squaring: exact IEEE products, deterministic, O(log n).
double power(double x, std::int64_t n) {
  double r = 1.0;
  while (n > 0) {
    if ((n & 1) != 0) r *= x;
    x *= x;
    n >>= 1;
  }
  return r;
}

const RedParams& validated(const RedParams& p) {
  if (p.max_threshold <= p.min_threshold || !(p.max_p > 0.0 && p.max_p <= 1.0) ||
      !(p.weight > 0.0 && p.weight <= 1.0) || p.avpkt == 0) {
    throw std::invalid_argument("wiresim: red needs min < max thresholds, max_p and weight in (0, 1], avpkt > 0");
  }
  return p;
}

}  // namespace

Red::Red(const RedParams& p, Rng rng) : p_(validated(p)), rng_(rng) {}

void Red::update_average(Time now) {
  const auto q = static_cast<double>(q_.bytes());
  if (!idle_) {
    avg_ = (1.0 - p_.weight) * avg_ + p_.weight * q;
    return;
  }
  // F&J 1993 §4: after an idle period, decay as if m small packets had
  // arrived to an empty queue; m = idle time / transmission time of avpkt.
  idle_ = false;
  const Duration tx = p_.rate.transmission_time(static_cast<std::int64_t>(p_.avpkt));
  if (tx <= Duration::zero()) {
    avg_ = 0.0;  // an infinitely fast link: any idle time drains the average
    return;
  }
  avg_ *= power(1.0 - p_.weight, (now - idle_since_) / tx);
  avg_ = (1.0 - p_.weight) * avg_ + p_.weight * q;
}

double Red::base_probability() const {
  const auto min = static_cast<double>(p_.min_threshold);
  const auto max = static_cast<double>(p_.max_threshold);
  if (avg_ < max) return p_.max_p * (avg_ - min) / (max - min);
  // Gentle band [max_th, 2 max_th): from max_p up to 1.
  return p_.max_p + (1.0 - p_.max_p) * (avg_ - max) / max;
}

Red::Verdict Red::decide() {
  const auto min = static_cast<double>(p_.min_threshold);
  const auto max = static_cast<double>(p_.max_threshold);
  if (avg_ < min) {
    count_ = -1;
    return Verdict::kAccept;
  }
  const bool hard = p_.gentle ? avg_ >= 2.0 * max : avg_ >= max;
  if (hard) {
    count_ = 0;
    return Verdict::kSignal;
  }
  ++count_;
  const double pb = base_probability();
  const double denom = 1.0 - static_cast<double>(count_) * pb;
  const double pa = denom <= 0.0 ? 1.0 : pb / denom;
  if (!rng_.bernoulli(pa)) return Verdict::kAccept;
  count_ = 0;
  return Verdict::kSignal;
}

void Red::enqueue(Time now, Packet frame, QueueDiscSink& sink) {
  update_average(now);
  if (decide() == Verdict::kSignal && !try_mark(frame, p_.ecn)) {
    return sink.on_qdisc_drop(frame, DropCause::kAqm);
  }
  if ((p_.limit_packets != 0 && q_.packets() + 1 > p_.limit_packets) ||
      (p_.limit_bytes != 0 && q_.bytes() + frame.size() > p_.limit_bytes)) {
    return sink.on_qdisc_drop(frame, DropCause::kQueueFull);
  }
  q_.push(now, std::move(frame));
}

Packet Red::dequeue(Time now, QueueDiscSink& /*sink*/) {
  if (q_.empty()) {
    // red_dequeue finding nothing: the idle period starts (red_start_of_idle_period).
    if (!idle_) {
      idle_ = true;
      idle_since_ = now;
    }
    return {};
  }
  return q_.pop().frame;
}

}  // namespace wiresim::net
