#include "wiresim/tcp/new_reno.hpp"

#include <algorithm>
#include <limits>

namespace wiresim::tcp {

namespace {
constexpr std::uint64_t kMaxWindow = std::numeric_limits<std::uint32_t>::max();

std::uint32_t saturating_add(std::uint32_t a, std::uint64_t b) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(a + b, kMaxWindow));
}
}  // namespace

void NewReno::init(Time /*now*/, std::uint32_t mss, std::uint32_t initial_cwnd_bytes) {
  mss_ = std::max<std::uint32_t>(mss, 1);
  cwnd_ = initial_cwnd_bytes;
  ssthresh_ = std::numeric_limits<std::uint32_t>::max();
  in_rto_ = false;
}

void NewReno::on_ack(Time /*now*/, std::uint32_t acked_bytes, std::uint32_t /*bytes_in_flight*/,
                     std::optional<Duration> /*rtt*/) {
  in_rto_ = false;
  if (acked_bytes == 0) return;
  if (cwnd_ < ssthresh_) {
    // RFC 5681 §3.1 eq. 2 with RFC 3465 byte counting, L = 2*SMSS.
    cwnd_ = saturating_add(cwnd_, std::min<std::uint64_t>(acked_bytes, std::uint64_t{kAbcLimitSegments} * mss_));
    return;
  }
  // RFC 5681 §3.1 eq. 3, rounded up to 1 byte when it yields 0.
  const std::uint64_t inc = std::uint64_t{mss_} * mss_ / std::max<std::uint32_t>(cwnd_, 1);
  cwnd_ = saturating_add(cwnd_, std::max<std::uint64_t>(inc, 1));
}

std::uint32_t NewReno::half_flight(std::uint32_t bytes_in_flight) const {
  // RFC 5681 §3.1 eq. 4.
  return std::max(bytes_in_flight / 2, 2 * mss_);
}

void NewReno::recalc_ssthresh(Time /*now*/, std::uint32_t bytes_in_flight) {
  in_rto_ = false;
  ssthresh_ = half_flight(bytes_in_flight);
}

void NewReno::on_rto(Time /*now*/, std::uint32_t bytes_in_flight) {
  // RFC 5681 §3.1: a repeated timeout of the same data holds ssthresh.
  if (!in_rto_) ssthresh_ = half_flight(bytes_in_flight);
  in_rto_ = true;
  cwnd_ = mss_;
}

}  // namespace wiresim::tcp
