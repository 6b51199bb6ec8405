#include "wiresim/tcp/rtt_estimator.hpp"

#include <algorithm>
#include <limits>

namespace wiresim::tcp {

RttEstimator::RttEstimator(Duration initial_rto, Duration min_rto, Duration max_rto,
                           Duration granularity, Mode mode)
    : mode_(mode),
      min_rto_(min_rto),
      max_rto_(std::max(min_rto, max_rto)),
      granularity_(granularity),
      base_rto_(std::clamp(initial_rto, min_rto_, max_rto_)) {}

void RttEstimator::on_sample(Duration rtt) {
  if (mode_ == Mode::kLinux) return linux_sample(std::max(rtt, Duration::zero()), true, rtt_seq_);
  on_sample(rtt, 0, 0);
}

void RttEstimator::on_sample(Duration rtt, std::uint32_t snd_una, std::uint32_t snd_nxt) {
  if (rtt < Duration::zero()) rtt = Duration::zero();
  if (mode_ == Mode::kLinux) {
    return linux_sample(rtt, static_cast<std::int32_t>(snd_una - rtt_seq_) > 0, snd_nxt);
  }
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

/// tcp_rtt_estimator (srtt_us holds 8 SRTT, mdev_us 4 x the mean
/// deviation: here srtt_ is SRTT itself and mdev_ the 4 x deviation) and
/// __tcp_set_rto: SRTT + RTTVAR, in whole jiffies (usecs_to_jiffies rounds up).
void RttEstimator::linux_sample(Duration rtt, bool new_round, std::uint32_t snd_nxt) {
  if (srtt_) {
    Duration err = rtt - *srtt_;
    srtt_ = *srtt_ + err / 8;  // srtt = 7/8 srtt + 1/8 new
    if (err < Duration::zero()) {
      // RTT fell: a finer gain for mdev (alpha * beta), as Eifel would.
      err = -err - mdev_ / 4;
      if (err > Duration::zero()) err = err / 8;
    } else {
      err = err - mdev_ / 4;
    }
    mdev_ = mdev_ + err;  // mdev = 3/4 mdev + 1/4 |err| (in 4x units)
    if (mdev_ > mdev_max_) {
      mdev_max_ = mdev_;
      rttvar_ = std::max(rttvar_, mdev_max_);
    }
    if (new_round) {  // once per round trip: rttvar decays towards mdev_max
      if (mdev_max_ < rttvar_) rttvar_ = rttvar_ - (rttvar_ - mdev_max_) / 4;
      rtt_seq_ = snd_nxt;
      mdev_max_ = min_rto_;
    }
  } else {
    srtt_ = rtt;
    mdev_ = rtt * 2;  // "make sure rto = 3*rtt"
    rttvar_ = std::max(mdev_, min_rto_);
    mdev_max_ = rttvar_;
    rtt_seq_ = snd_nxt;
  }
  const Duration g = std::max(granularity_, Duration::nanoseconds(1));
  const Duration raw = *srtt_ + rttvar_;
  const Duration jiffies = Duration::nanoseconds((raw.ns() + g.ns() - 1) / g.ns() * g.ns());
  base_rto_ = std::min(jiffies, max_rto_);
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
