#pragma once
/// Undo of spurious retransmissions as Linux does it (net/ipv4/tcp_input.c:
/// tcp_init_undo, tcp_may_undo, tcp_packet_delayed, tcp_undo_cwnd_reduction,
/// tcp_try_undo_recovery, tcp_try_undo_loss, tcp_try_undo_dsack):
///   - DSACK (RFC 2883 §4, RFC 3708 §3): every retransmission of the episode
///     came back reported as a duplicate, so none was needed;
///   - timestamps (Eifel detection, RFC 3522 §2; Eifel response, RFC 4015
///     §3): an ACK echoes a TSval older than the first retransmission, so
///     the original arrived.
/// Either way the congestion window and ssthresh return to what they were
/// before the episode (RFC 4015 §3.2 step 3, Linux: cwnd = max(cwnd,
/// prior_cwnd), ssthresh = max(ssthresh, prior_ssthresh)).

#include <cstdint>
#include <optional>

#include "wiresim/wire/seq_num.hpp"

namespace wiresim::tcp {

struct UndoState {
  std::optional<wire::SeqNum> marker;          ///< undo_marker: SND.UNA when the episode began
  std::int32_t retrans = -1;                   ///< undo_retrans: resends not yet DSACKed; -1 before the first
  std::optional<std::uint32_t> retrans_tsval;  ///< retrans_stamp: our TSval when the first resend left
  std::uint32_t prior_cwnd = 0;                ///< bytes
  std::uint32_t prior_ssthresh = 0;            ///< bytes; 0: nothing to restore

  /// A recovery or timeout begins (tcp_init_undo and the prior_* of
  /// tcp_enter_recovery / tcp_enter_loss). `retrans_in_flight`: resends
  /// already out (a tail loss probe), counted as Linux's retrans_out.
  void begin(wire::SeqNum snd_una, std::uint32_t cwnd, std::uint32_t current_ssthresh,
             std::uint32_t retrans_in_flight);
  /// A resend of this episode left with our TSval `tsval` (tcp_retransmit_skb).
  void on_retransmit(std::optional<std::uint32_t> tsval);
  /// A DSACK for `segments` segments ending at `right` (tcp_check_dsack /
  /// tcp_sacktag_one): each was a resend that was not needed.
  void on_dsack(wire::SeqNum right, std::uint32_t segments);
  /// tcp_packet_delayed: the ACK echoes a TSval sent before the first resend.
  [[nodiscard]] bool packet_delayed(std::optional<std::uint32_t> tsecr) const;
  /// tcp_may_undo: an episode to undo, and every resend DSACKed or the
  /// original proven delivered by its timestamp.
  [[nodiscard]] bool may_undo(std::optional<std::uint32_t> tsecr) const;
  /// tcp_try_undo_dsack: every resend DSACKed.
  [[nodiscard]] bool all_dsacked() const { return marker.has_value() && retrans == 0; }
  /// The episode is over or undone: nothing to undo any more.
  void reset() { *this = UndoState{}; }
};

}  // namespace wiresim::tcp
