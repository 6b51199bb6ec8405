#include "wiresim/tcp/rtt_estimator.hpp"

#include <algorithm>
#include <limits>

namespace wiresim::tcp {

RttEstimator::RttEstimator(Duration initial_rto, Duration min_rto, Duration max_rto,
                           Duration granularity)
    : min_rto_(min_rto),
      max_rto_(std::max(min_rto, max_rto)),
      granularity_(granularity),
      base_rto_(std::clamp(initial_rto, min_rto_, max_rto_)) {}

void RttEstimator::on_sample(Duration rtt) {
  if (rtt < Duration::zero()) rtt = Duration::zero();
  if (!srtt_) {
    // RFC 6298 §2.2: the first measurement.
    srtt_ = rtt;
    rttvar_ = rtt / 2;
  } else {
    // RFC 6298 §2.3: RTTVAR first (it uses the old SRTT), alpha = 1/8, beta = 1/4.
    const Duration err = *srtt_ > rtt ? *srtt_ - rtt : rtt - *srtt_;
    rttvar_ = (rttvar_ * 3 + err) / 4;
    srtt_ = (*srtt_ * 7 + rtt) / 8;
  }
  // RFC 6298 §2.2/§2.3 then §2.4/§2.5 (bounds).
  base_rto_ = std::clamp(*srtt_ + std::max(granularity_, rttvar_ * 4), min_rto_, max_rto_);
  backoff_count_ = 0;
}

Duration RttEstimator::rto() const {
  // base * 2^backoff_count, stopping as soon as the cap is reached.
  Duration r = base_rto_;
  for (std::uint32_t i = 0; i < backoff_count_ && r < max_rto_; ++i) {
    r = r > max_rto_ / 2 ? max_rto_ : r * 2;
    if (r == Duration::zero()) break;
  }
  return std::min(r, max_rto_);
}

void RttEstimator::backoff() {
  if (backoff_count_ != std::numeric_limits<std::uint32_t>::max()) ++backoff_count_;
}

std::optional<Duration> RttEstimator::srtt() const { return srtt_; }

Duration RttEstimator::rttvar() const { return rttvar_; }

std::uint32_t RttEstimator::backoff_count() const { return backoff_count_; }

}  // namespace wiresim::tcp
