// Undo bookkeeping for spurious retransmissions: DSACK (RFC 2883, RFC 3708)
// and timestamps (Eifel, RFC 3522 / RFC 4015), as Linux's tcp_input.c keeps
// undo_marker, undo_retrans, retrans_stamp, prior_cwnd and prior_ssthresh.

#include "wiresim/tcp/spurious_undo.hpp"

#include <algorithm>

namespace wiresim::tcp {

void UndoState::begin(wire::SeqNum snd_una, std::uint32_t cwnd, std::uint32_t current_ssthresh,
                      std::uint32_t retrans_in_flight) {
  reset();
  marker = snd_una;
  retrans = retrans_in_flight > 0 ? static_cast<std::int32_t>(retrans_in_flight) : -1;
  prior_cwnd = cwnd;
  prior_ssthresh = current_ssthresh;
}

void UndoState::on_retransmit(std::optional<std::uint32_t> tsval) {
  if (!marker) return;
  if (retrans < 0) retrans = 0;
  ++retrans;
  if (!retrans_tsval && tsval) retrans_tsval = *tsval;
}

void UndoState::on_dsack(wire::SeqNum right, std::uint32_t segments) {
  if (!marker || retrans <= 0 || !(right > *marker)) return;
  retrans = std::max<std::int32_t>(0, retrans - static_cast<std::int32_t>(segments));
}

bool UndoState::packet_delayed(std::optional<std::uint32_t> tsecr) const {
  // before(rcv_tsecr, retrans_stamp) on the 32-bit timestamp clock.
  return retrans_tsval && tsecr && *tsecr != 0 && static_cast<std::int32_t>(*tsecr - *retrans_tsval) < 0;
}

bool UndoState::may_undo(std::optional<std::uint32_t> tsecr) const {
  return marker && (retrans == 0 || packet_delayed(tsecr));
}

}  // namespace wiresim::tcp
