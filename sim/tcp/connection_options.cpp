// TCP options: the SYN's offer, negotiation from the peer's SYN (MSS RFC
// 9293 §3.7.1, window scale and timestamps RFC 7323, SACK RFC 2018) and
// the per-segment timestamps and SACK blocks.

#include <algorithm>
#include <array>

#include "wiresim/tcp/connection.hpp"

namespace wiresim::tcp {

using wire::SeqNum;
using wire::TcpOptionKind;
using wire::TcpOptionLayout;
using wire::TcpRepr;

namespace {

constexpr std::uint8_t kMaxWindowScale = 14;   ///< RFC 7323 §2.3
constexpr std::uint16_t kDefaultMss = 536;      ///< RFC 9293 §3.7.1 when no MSS option
constexpr std::size_t kMaxSackBlocks = 4;

bool has_value(const TcpRepr& h, TcpOptionKind k) {
  switch (k) {
    case TcpOptionKind::kMss: return h.mss.has_value();
    case TcpOptionKind::kWindowScale: return h.window_scale.has_value();
    case TcpOptionKind::kSackPermitted: return h.sack_permitted;
    case TcpOptionKind::kTimestamps: return h.timestamps.has_value();
    case TcpOptionKind::kSack: return h.sack_count > 0;
    case TcpOptionKind::kEnd:
    case TcpOptionKind::kNop: return true;
  }
  return false;
}

/// The profile's SYN layout for the options `h` actually carries: an option
/// left out takes the NOPs that align it along. When that leaves the list
/// misaligned, an OS would use its generic writer instead: the canonical
/// (Linux tcp_options_write) layout, signalled by an empty layout.
TcpOptionLayout syn_layout_for(const TcpOptionLayout& profile_layout, const TcpRepr& h) {
  TcpOptionLayout out;
  std::size_t nops = 0;
  std::size_t bytes = 0;
  for (const TcpOptionKind k : profile_layout) {
    if (k == TcpOptionKind::kNop) {
      ++nops;
      continue;
    }
    if (k != TcpOptionKind::kEnd && !has_value(h, k)) {
      nops = 0;  // the option and its alignment NOPs go together
      continue;
    }
    for (; nops > 0; --nops) out.push_back(TcpOptionKind::kNop);
    out.push_back(k);
  }
  TcpRepr probe = h;
  probe.layout = out;
  for (const TcpOptionKind k : probe.wire_layout()) {
    switch (k) {
      case TcpOptionKind::kEnd:
      case TcpOptionKind::kNop: bytes += 1; break;
      case TcpOptionKind::kMss: bytes += wire::kTcpOptLenMss; break;
      case TcpOptionKind::kWindowScale: bytes += wire::kTcpOptLenWindowScale; break;
      case TcpOptionKind::kSackPermitted: bytes += wire::kTcpOptLenSackPermitted; break;
      case TcpOptionKind::kTimestamps: bytes += wire::kTcpOptLenTimestamps; break;
      case TcpOptionKind::kSack: bytes += wire::kTcpOptLenSackBase; break;
    }
  }
  return bytes % 4 == 0 ? out : TcpOptionLayout{};
}

}  // namespace

/// Our SYN (active open) or SYN-ACK (passive or simultaneous open). The
/// window field is never scaled in a SYN (RFC 7323 §2.2). A SYN offers what
/// the profile enables; a SYN-ACK only what the peer's SYN offered too.
TcpRepr Connection::syn_header() const {
  const bool syn_ack = peer_syn_seen_;
  TcpRepr h = make_header(syn_ack ? (wire::kSyn | wire::kAck) : std::uint8_t{wire::kSyn},
                          tcb_.iss);
  h.flags |= ecn_syn_flags(syn_ack, tcb_.snd_max == tcb_.iss);
  if (syn_ack) h.ack = tcb_.rcv_nxt;
  h.window = static_cast<std::uint16_t>(syn_rcv_wnd_.value_or(std::min<std::uint32_t>(profile_.syn_window, profile_.rcv_buf)));
  h.mss = std::min(profile_.mss, mtu_mss_);
  const bool ws = syn_ack ? ws_agreed_ : profile_.window_scaling;
  if (ws) h.window_scale = std::min(profile_.window_scale, kMaxWindowScale);
  h.sack_permitted = syn_ack ? opt_.sack : profile_.sack;
  if (syn_ack ? opt_.timestamps : profile_.timestamps) {
    h.timestamps = wire::TcpTimestamps{ts_clock(), syn_ack ? ts_recent_ : 0u};
  }
  h.layout = syn_layout_for(profile_.syn_layout, h);
  return h;
}

/// Takes the peer's SYN options (RFC 9293 §3.7.1, RFC 7323 §2.2 and §3.2,
/// RFC 2018 §2): each option is used only if both SYNs carry it.
void Connection::negotiate(const TcpRepr& syn) {
  opt_.send_mss = std::min(syn.mss.value_or(kDefaultMss), mtu_mss_);
  ws_agreed_ = profile_.window_scaling && syn.window_scale.has_value();
  if (ws_agreed_) {
    opt_.snd_wscale = std::min(*syn.window_scale, kMaxWindowScale);  // §2.3: cap at 14
    opt_.rcv_wscale = std::min(profile_.window_scale, kMaxWindowScale);
  } else {
    opt_.snd_wscale = opt_.rcv_wscale = 0;
  }
  opt_.sack = profile_.sack && syn.sack_permitted;
  opt_.timestamps = profile_.timestamps && syn.timestamps.has_value();
  if (opt_.timestamps) ts_recent_ = syn.timestamps->tsval;
  ecn_negotiate(syn);
  rcv_mss_ = smss();
  cc_->init(now_, smss(), profile_.initial_cwnd_segments * smss());
}

/// TSval clock (RFC 7323 §5.4): milliseconds of simulated time plus a
/// per-connection random offset, modulo 2^32.
std::uint32_t Connection::ts_clock() const {
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(now_.ns() / 1'000'000)) + ts_offset_;
}

/// Every non-SYN segment carries TSval and TSecr = TS.Recent once agreed
/// (RFC 7323 §3.2).
void Connection::add_timestamp(TcpRepr& h) const {
  if (opt_.timestamps) h.timestamps = wire::TcpTimestamps{ts_clock(), ts_recent_};
}

/// SACK blocks for the out-of-order data we hold, the most recently
/// changed first (RFC 2018 §4). The wire code drops those that do not fit.
void Connection::add_sack_blocks(TcpRepr& h) const {
  h.sack_count = 0;
  if (opt_.sack && dsack_pending_) h.sack_blocks[h.sack_count++] = *dsack_pending_;  // RFC 2883 §4: first
  if (!opt_.sack || !rcv_buf_.has_out_of_order()) return;
  std::array<std::pair<std::uint32_t, std::uint32_t>, kMaxSackBlocks> ranges;
  const std::size_t n = rcv_buf_.sack_ranges(ranges);
  for (std::size_t i = 0; i < n && h.sack_count < h.sack_blocks.size(); ++i) {
    h.sack_blocks[h.sack_count++] = wire::SackBlock{tcb_.rcv_nxt + ranges[i].first, tcb_.rcv_nxt + ranges[i].second};
  }
  h.sack_count = static_cast<std::uint8_t>(h.emitted_sack_count());
}

/// max_payload() of the header a data segment sent now would carry
/// (make_header + add_timestamp + add_sack_blocks), without building it:
/// as many SACK blocks as add_sack_blocks offers (a pending D-SACK, then
/// the out-of-order ranges), sized by wire's canonical layout.
std::uint32_t Connection::data_payload_limit() const {
  std::size_t blocks = 0;
  if (opt_.sack) blocks = (dsack_pending_ ? 1u : 0u) + std::min(rcv_buf_.out_of_order_ranges(), kMaxSackBlocks);
  const auto opts = static_cast<std::uint32_t>(wire::canonical_data_options_len(opt_.timestamps, blocks));
  return opt_.send_mss > opts ? opt_.send_mss - opts : 1;
}

/// Largest payload for a segment with h's options: the MSS less the
/// options (RFC 9293 §3.7.1 Eff.snd.MSS; Linux tcp_current_mss).
std::uint32_t Connection::max_payload(const TcpRepr& h) const {
  const auto opts = static_cast<std::uint32_t>(h.options_len());
  return opt_.send_mss > opts ? opt_.send_mss - opts : 1;
}

}  // namespace wiresim::tcp
