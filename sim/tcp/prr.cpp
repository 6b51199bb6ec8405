// Proportional Rate Reduction (RFC 6937 §3) in Linux's form
// (tcp_cwnd_reduction since 5.12, "tcp: PRR uses CRB mode by default and SS
// mode conditionally"): the proportional part divides by prior_cwnd (RFC
// 6937's RecoverFS) and rounds up; below ssthresh the bound is the
// conservative one (CRB) unless SND.UNA advanced with no new loss (SSRB).

#include "wiresim/tcp/prr.hpp"

#include <algorithm>

namespace wiresim::tcp {

void Prr::begin(std::uint32_t cwnd_pkts) {
  active_ = true;
  prior_cwnd_ = std::max<std::uint32_t>(cwnd_pkts, 1);
  delivered_ = out_ = 0;
}

std::optional<std::uint32_t> Prr::on_ack(std::uint32_t ssthresh, std::uint32_t in_flight, std::uint32_t delivered,
                                         std::uint32_t newly_lost, bool una_advanced) {
  if (!active_ || delivered == 0) return std::nullopt;
  const std::int64_t delta = std::int64_t{ssthresh} - in_flight;
  delivered_ += delivered;
  std::int64_t sndcnt = 0;
  if (delta < 0) {
    // RFC 6937: sndcnt = CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out.
    const std::uint64_t dividend = std::uint64_t{ssthresh} * delivered_ + prior_cwnd_ - 1;
    sndcnt = static_cast<std::int64_t>(dividend / prior_cwnd_) - out_;
  } else {
    // Conservation: what was delivered and not yet sent again (PRR-CRB);
    // one more when the cumulative ACK moved without new losses (PRR-SSRB);
    // never beyond ssthresh.
    sndcnt = std::max<std::int64_t>(std::int64_t{delivered_} - out_, delivered);
    if (una_advanced && newly_lost == 0) ++sndcnt;
    sndcnt = std::min(delta, sndcnt);
  }
  // Force a fast retransmit upon entering fast recovery.
  sndcnt = std::max<std::int64_t>(sndcnt, out_ > 0 ? 0 : 1);
  return static_cast<std::uint32_t>(std::max<std::int64_t>(std::int64_t{in_flight} + sndcnt, 0));
}

}  // namespace wiresim::tcp
