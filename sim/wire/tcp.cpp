#include "wiresim/wire/tcp.hpp"

#include <algorithm>
#include <cassert>
#include <optional>
#include <ostream>

#include <fmt/format.h>

#include "wiresim/wire/bytes.hpp"
#include "wiresim/wire/checksum.hpp"

namespace wiresim::wire {
namespace {

using Kind = TcpOptionKind;

constexpr std::size_t kSackBlockLen = 8;

constexpr std::uint8_t raw(Kind k) { return static_cast<std::uint8_t>(k); }
constexpr std::size_t pad4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

/// A well-formed length for option `kind` (RFC 9293 §3.2, RFC 7323 §2.2/§3.2,
/// RFC 2018 §2/§3); unknown kinds only need length >= 2.
bool option_length_ok(std::uint8_t kind, std::size_t len) {
  switch (kind) {
    case raw(Kind::kMss): return len == kTcpOptLenMss;
    case raw(Kind::kWindowScale): return len == kTcpOptLenWindowScale;
    case raw(Kind::kSackPermitted): return len == kTcpOptLenSackPermitted;
    case raw(Kind::kTimestamps): return len == kTcpOptLenTimestamps;
    case raw(Kind::kSack):
      return len >= kTcpOptLenSackBase + kSackBlockLen &&
             (len - kTcpOptLenSackBase) % kSackBlockLen == 0;
    default: return true;
  }
}

/// Walks an options area (RFC 9293 §3.1 "Options"), calling
/// on_end(offset) at EOL, on_nop() at NOP and on_option(kind, value) for
/// the others (value = bytes after kind and length). Stops at EOL.
template <class OnEnd, class OnNop, class OnOption>
std::optional<ParseError> walk_options(std::span<const std::uint8_t> opts, OnEnd on_end,
                                       OnNop on_nop, OnOption on_option) {
  std::size_t i = 0;
  while (i < opts.size()) {
    const std::uint8_t kind = opts[i];
    if (kind == raw(Kind::kEnd)) {
      on_end(i);
      return std::nullopt;
    }
    if (kind == raw(Kind::kNop)) {
      on_nop();
      ++i;
      continue;
    }
    if (i + 1 >= opts.size()) return ParseError::kBadOptionLength;
    const std::size_t len = opts[i + 1];
    if (len < 2 || len > opts.size() - i || !option_length_ok(kind, len)) {
      return ParseError::kBadOptionLength;
    }
    on_option(kind, opts.subspan(i + 2, len - 2));
    i += len;
  }
  return std::nullopt;
}

/// An EOL at `at` followed only by the zero padding emit() writes.
bool eol_is_padding(std::span<const std::uint8_t> opts, std::size_t at) {
  if (opts.size() - at >= 4) return false;
  return std::all_of(opts.begin() + static_cast<std::ptrdiff_t>(at), opts.end(),
                     [](std::uint8_t b) { return b == 0; });
}

void parse_option(TcpRepr& r, std::uint8_t kind, std::span<const std::uint8_t> value) {
  switch (kind) {
    case raw(Kind::kMss): r.mss = read_u16(value, 0); break;
    case raw(Kind::kWindowScale): r.window_scale = value[0]; break;
    case raw(Kind::kSackPermitted): r.sack_permitted = true; break;
    case raw(Kind::kTimestamps):
      r.timestamps = TcpTimestamps{read_u32(value, 0), read_u32(value, 4)};
      break;
    case raw(Kind::kSack): {
      r.sack_blocks = {};
      r.sack_count = static_cast<std::uint8_t>(value.size() / kSackBlockLen);
      for (std::size_t b = 0; b < r.sack_count; ++b) {
        r.sack_blocks[b] = SackBlock{SeqNum{read_u32(value, b * kSackBlockLen)},
                                     SeqNum{read_u32(value, b * kSackBlockLen + 4)}};
      }
      break;
    }
    default: return;  // unknown kinds are ignored (RFC 9293 §3.1)
  }
  r.layout.push_back(static_cast<Kind>(kind));
}

/// What emit() writes: the option kinds in order and the SACK block count.
struct OptionPlan {
  TcpOptionLayout kinds;
  std::size_t sack_n = 0;
  std::size_t len = 0;  ///< padded to a multiple of 4
};

bool present(const TcpRepr& r, Kind k, std::size_t sack_n) {
  switch (k) {
    case Kind::kEnd:
    case Kind::kNop: return true;
    case Kind::kMss: return r.mss.has_value();
    case Kind::kWindowScale: return r.window_scale.has_value();
    case Kind::kSackPermitted: return r.sack_permitted;
    case Kind::kTimestamps: return r.timestamps.has_value();
    case Kind::kSack: return sack_n > 0;
  }
  return false;
}

std::size_t option_size(Kind k, std::size_t sack_n) {
  switch (k) {
    case Kind::kEnd:
    case Kind::kNop: return 1;
    case Kind::kMss: return kTcpOptLenMss;
    case Kind::kWindowScale: return kTcpOptLenWindowScale;
    case Kind::kSackPermitted: return kTcpOptLenSackPermitted;
    case Kind::kTimestamps: return kTcpOptLenTimestamps;
    case Kind::kSack: return kTcpOptLenSackBase + kSackBlockLen * sack_n;
  }
  return 0;
}

std::size_t layout_size(const TcpOptionLayout& l, std::size_t sack_n) {
  std::size_t n = 0;
  for (const Kind k : l) n += option_size(k, sack_n);
  return pad4(n);
}

void push_all(TcpOptionLayout& l, std::initializer_list<Kind> kinds) {
  for (const Kind k : kinds) l.push_back(k);
}

/// Appends, in Linux's order, the options present but not yet in `l`
/// (each with the NOPs Linux aligns it with). Linux's tcp_options_write().
void append_canonical(const TcpRepr& r, std::size_t sack_n, TcpOptionLayout& l) {
  auto wanted = [&](Kind k) { return present(r, k, sack_n) && !l.contains(k); };
  if (wanted(Kind::kMss)) l.push_back(Kind::kMss);
  if (wanted(Kind::kTimestamps)) {
    if (wanted(Kind::kSackPermitted)) {
      push_all(l, {Kind::kSackPermitted, Kind::kTimestamps});
    } else {
      push_all(l, {Kind::kNop, Kind::kNop, Kind::kTimestamps});
    }
  }
  if (wanted(Kind::kSackPermitted)) push_all(l, {Kind::kNop, Kind::kNop, Kind::kSackPermitted});
  if (wanted(Kind::kWindowScale)) push_all(l, {Kind::kNop, Kind::kWindowScale});
  if (wanted(Kind::kSack)) push_all(l, {Kind::kNop, Kind::kNop, Kind::kSack});
}

/// The explicit layout's present entries up to EOL, then the missing
/// values appended canonically, then the EOL if the layout had one.
TcpOptionLayout layout_for(const TcpRepr& r, std::size_t sack_n) {
  TcpOptionLayout l;
  bool has_end = false;
  for (const Kind k : r.layout) {
    if (k == Kind::kEnd) {
      has_end = true;
      break;
    }
    if (present(r, k, sack_n)) l.push_back(k);
  }
  append_canonical(r, sack_n, l);
  if (has_end) l.push_back(Kind::kEnd);
  return l;
}

/// Drops SACK blocks from the end until the options fit in 40 bytes; if
/// they still do not fit (an explicit layout full of NOPs), drops trailing
/// options.
OptionPlan plan_options(const TcpRepr& r) {
  OptionPlan p;
  for (std::size_t n = std::min<std::size_t>(r.sack_count, kTcpMaxSackBlocks) + 1; n-- > 0;) {
    p.sack_n = n;
    p.kinds = layout_for(r, n);
    p.len = layout_size(p.kinds, n);
    if (p.len <= kTcpMaxOptionsLen) return p;
  }
  TcpOptionLayout trimmed;
  std::size_t used = 0;
  for (const Kind k : p.kinds) {
    if (used + option_size(k, 0) > kTcpMaxOptionsLen) break;
    used += option_size(k, 0);
    trimmed.push_back(k);
  }
  p.kinds = trimmed;
  p.len = pad4(used);
  return p;
}

/// Writes option k at out[0..], returns its size.
std::size_t emit_option(const TcpRepr& r, Kind k, std::size_t sack_n, std::span<std::uint8_t> out) {
  const std::size_t size = option_size(k, sack_n);
  out[0] = raw(k);
  if (size > 1) out[1] = static_cast<std::uint8_t>(size);
  switch (k) {
    case Kind::kMss: write_u16(out, 2, *r.mss); break;
    case Kind::kWindowScale: out[2] = *r.window_scale; break;
    case Kind::kTimestamps:
      write_u32(out, 2, r.timestamps->tsval);
      write_u32(out, 6, r.timestamps->tsecr);
      break;
    case Kind::kSack:
      for (std::size_t b = 0; b < sack_n; ++b) {
        write_u32(out, 2 + b * kSackBlockLen, r.sack_blocks[b].left.raw());
        write_u32(out, 6 + b * kSackBlockLen, r.sack_blocks[b].right.raw());
      }
      break;
    case Kind::kEnd:
    case Kind::kNop:
    case Kind::kSackPermitted: break;
  }
  return size;
}


/// The canonical layout (an empty `layout`: every segment a connection
/// sends after its SYN) without building it. In Linux's order every option
/// group is a multiple of 4 bytes, so the length is a plain sum and only
/// SACK blocks may have to go. Same result as plan_options().
struct CanonicalPlan {
  std::size_t sack_n = 0;
  std::size_t len = 0;
};

std::size_t canonical_len(bool mss, bool timestamps, bool sack_permitted, bool window_scale, std::size_t sack_n) {
  std::size_t n = mss ? kTcpOptLenMss : 0;
  if (timestamps) {
    n += 2 + kTcpOptLenTimestamps;  // SACK_PERM or NOP,NOP before TS
  } else if (sack_permitted) {
    n += 2 + kTcpOptLenSackPermitted;  // NOP,NOP,SACK_PERM
  }
  if (window_scale) n += 1 + kTcpOptLenWindowScale;  // NOP,WS
  if (sack_n > 0) n += 2 + kTcpOptLenSackBase + kSackBlockLen * sack_n;  // NOP,NOP,SACK
  return n;
}

CanonicalPlan plan_canonical(bool mss, bool timestamps, bool sack_permitted, bool window_scale,
                             std::size_t sack_count) {
  std::size_t n = std::min<std::size_t>(sack_count, kTcpMaxSackBlocks);
  while (n > 0 && canonical_len(mss, timestamps, sack_permitted, window_scale, n) > kTcpMaxOptionsLen) --n;
  return {n, canonical_len(mss, timestamps, sack_permitted, window_scale, n)};
}

CanonicalPlan plan_canonical(const TcpRepr& r) {
  return plan_canonical(r.mss.has_value(), r.timestamps.has_value(), r.sack_permitted, r.window_scale.has_value(),
                        r.sack_count);
}

/// Writes the canonical layout (append_canonical's order) at out[0..];
/// returns its size.
std::size_t emit_canonical(const TcpRepr& r, std::size_t sack_n, std::span<std::uint8_t> out) {
  std::size_t at = 0;
  const auto put = [&](Kind k) { at += emit_option(r, k, sack_n, out.subspan(at)); };
  if (r.mss) put(Kind::kMss);
  if (r.timestamps) {
    if (r.sack_permitted) {
      put(Kind::kSackPermitted);
    } else {
      put(Kind::kNop);
      put(Kind::kNop);
    }
    put(Kind::kTimestamps);
  } else if (r.sack_permitted) {
    put(Kind::kNop);
    put(Kind::kNop);
    put(Kind::kSackPermitted);
  }
  if (r.window_scale) {
    put(Kind::kNop);
    put(Kind::kWindowScale);
  }
  if (sack_n > 0) {
    put(Kind::kNop);
    put(Kind::kNop);
    put(Kind::kSack);
  }
  return at;
}

/// The IPv4 pseudo-header (RFC 9293 §3.1): src, dst, zero, protocol, TCP length.
Checksum pseudo_header(Ipv4Address src, Ipv4Address dst, std::size_t tcp_len) {
  Checksum c;
  c.add_u32(src.raw());
  c.add_u32(dst.raw());
  c.add_u16(6);
  c.add_u32(static_cast<std::uint32_t>(tcp_len));
  return c;
}

std::uint16_t tcp_checksum(std::span<const std::uint8_t> segment, Ipv4Address src,
                           Ipv4Address dst) {
  Checksum c = pseudo_header(src, dst, segment.size());
  c.add(segment);
  return c.finish();
}

std::string describe_flags(std::uint8_t flags) {
  std::string s = flag_names(flags);
  return s.empty() ? "<None>" : s;
}

std::string describe_option(const TcpRepr& r, Kind k, std::size_t sack_n) {
  switch (k) {
    case Kind::kEnd: return "eol";
    case Kind::kNop: return "nop";
    case Kind::kMss: return fmt::format("mss {}", *r.mss);
    case Kind::kWindowScale: return fmt::format("wscale {}", *r.window_scale);
    case Kind::kSackPermitted: return "sackOK";
    case Kind::kTimestamps:
      return fmt::format("TS val {} ecr {}", r.timestamps->tsval, r.timestamps->tsecr);
    case Kind::kSack: {
      std::string s = fmt::format("sack {} ", sack_n);
      for (std::size_t b = 0; b < sack_n; ++b) {
        s += fmt::format("{{{}:{}}}", r.sack_blocks[b].left.raw(), r.sack_blocks[b].right.raw());
      }
      return s;
    }
  }
  return "?";
}

}  // namespace

// ---- TcpOptionLayout ----

TcpOptionLayout TcpOptionLayout::of(std::initializer_list<TcpOptionKind> kinds) {
  TcpOptionLayout l;
  for (const TcpOptionKind k : kinds) l.push_back(k);
  return l;
}

void TcpOptionLayout::push_back(TcpOptionKind k) {
  assert(size_ < kCapacity);
  if (size_ < kCapacity) kinds_[size_++] = k;
}

bool TcpOptionLayout::contains(TcpOptionKind k) const {
  return std::find(begin(), end(), k) != end();
}

bool TcpOptionLayout::operator==(const TcpOptionLayout& o) const {
  return std::equal(begin(), end(), o.begin(), o.end());
}

// ---- TcpSegmentView ----

Result<TcpSegmentView> TcpSegmentView::check_header(std::span<const std::uint8_t> segment) {
  if (segment.size() < kTcpHeaderLen) return ParseError::kTruncated;
  const std::size_t hlen = (std::size_t{segment[kDataOffsetOffset]} >> 4) * 4;
  if (hlen < kTcpHeaderLen || hlen > segment.size()) return ParseError::kBadDataOffset;
  return TcpSegmentView{segment};
}

Result<TcpSegmentView> TcpSegmentView::check(std::span<const std::uint8_t> segment) {
  const auto header = check_header(segment);
  if (!header) return header;
  const std::size_t hlen = header.value().header_len();
  const auto error = walk_options(
      segment.subspan(kTcpHeaderLen, hlen - kTcpHeaderLen), [](std::size_t) {}, [] {},
      [](std::uint8_t, std::span<const std::uint8_t>) {});
  if (error) return *error;
  return TcpSegmentView{segment};
}

std::uint16_t TcpSegmentView::src_port() const { return read_u16(bytes_, kSrcPortOffset); }
std::uint16_t TcpSegmentView::dst_port() const { return read_u16(bytes_, kDstPortOffset); }
SeqNum TcpSegmentView::seq() const { return SeqNum{read_u32(bytes_, kSeqOffset)}; }
SeqNum TcpSegmentView::ack() const { return SeqNum{read_u32(bytes_, kAckOffset)}; }
std::size_t TcpSegmentView::header_len() const {
  return (std::size_t{bytes_[kDataOffsetOffset]} >> 4) * 4;
}
std::uint8_t TcpSegmentView::flags() const { return bytes_[kFlagsOffset]; }
std::uint16_t TcpSegmentView::window() const { return read_u16(bytes_, kWindowOffset); }
std::uint16_t TcpSegmentView::checksum() const { return read_u16(bytes_, kChecksumOffset); }
std::uint16_t TcpSegmentView::urgent() const { return read_u16(bytes_, kUrgentOffset); }

// ---- TcpRepr ----

std::size_t TcpRepr::options_len() const {
  return layout.empty() ? plan_canonical(*this).len : plan_options(*this).len;
}
TcpOptionLayout TcpRepr::wire_layout() const { return plan_options(*this).kinds; }
std::size_t TcpRepr::emitted_sack_count() const {
  return layout.empty() ? plan_canonical(*this).sack_n : plan_options(*this).sack_n;
}

std::size_t canonical_data_options_len(bool timestamps, std::size_t sack_blocks) {
  return plan_canonical(false, timestamps, false, false, sack_blocks).len;
}

TcpOptionLayout TcpRepr::canonical_layout() const {
  TcpOptionLayout l;
  append_canonical(*this, std::min<std::size_t>(sack_count, kTcpMaxSackBlocks), l);
  return l;
}

Result<TcpRepr> TcpRepr::parse(const TcpSegmentView& v) {
  TcpRepr r;
  if (const auto error = parse_into(v, r)) return *error;  // unreachable for a checked view
  return r;
}

std::optional<ParseError> TcpRepr::parse_into(const TcpSegmentView& v, TcpRepr& r) {
  r.src_port = v.src_port();
  r.dst_port = v.dst_port();
  r.seq = v.seq();
  r.ack = v.ack();
  r.flags = v.flags();
  r.window = v.window();
  r.urgent = v.urgent();
  const auto opts = v.options();
  const auto error = walk_options(
      opts,
      [&](std::size_t at) {
        if (!eol_is_padding(opts, at)) r.layout.push_back(Kind::kEnd);
      },
      [&] { r.layout.push_back(Kind::kNop); },
      [&](std::uint8_t kind, std::span<const std::uint8_t> value) {
        parse_option(r, kind, value);
      });
  return error;
}

void TcpRepr::emit(std::span<std::uint8_t> out) const {
  using V = TcpSegmentView;
  write_u16(out, V::kSrcPortOffset, src_port);
  write_u16(out, V::kDstPortOffset, dst_port);
  write_u32(out, V::kSeqOffset, seq.raw());
  write_u32(out, V::kAckOffset, ack.raw());
  out[V::kFlagsOffset] = flags;
  write_u16(out, V::kWindowOffset, window);
  write_u16(out, V::kChecksumOffset, 0);
  write_u16(out, V::kUrgentOffset, urgent);
  std::size_t hlen = 0;
  std::size_t at = kTcpHeaderLen;
  if (layout.empty()) {  // the fast path of every data segment and ACK
    const CanonicalPlan plan = plan_canonical(*this);
    hlen = kTcpHeaderLen + plan.len;
    assert(out.size() >= hlen);
    at += emit_canonical(*this, plan.sack_n, out.subspan(at));
  } else {
    const OptionPlan plan = plan_options(*this);
    hlen = kTcpHeaderLen + plan.len;
    assert(out.size() >= hlen);
    for (const Kind k : plan.kinds) at += emit_option(*this, k, plan.sack_n, out.subspan(at));
  }
  out[V::kDataOffsetOffset] = static_cast<std::uint8_t>((hlen / 4) << 4);
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(at),
            out.begin() + static_cast<std::ptrdiff_t>(hlen), std::uint8_t{0});
}

// ---- checksums and printing ----

void fill_tcp_checksum(std::span<std::uint8_t> segment, Ipv4Address src, Ipv4Address dst) {
  write_u16(segment, TcpSegmentView::kChecksumOffset, 0);
  // The payload first, the header last. The header was just written field
  // by field, and a wide load over several narrower stores still waiting in
  // the store buffer is not forwarded: it stalls until they retire (Checksum
  // ::add's word loop was a quarter of its samples in bench_tcp). Summing the
  // payload first gives them that time. The sum is the same (RFC 1071 §2:
  // one's complement addition commutes): the header is a whole number of
  // 32-bit words, so the payload's words start at even offsets either way,
  // and the pseudo-header makes the header's part nonzero, so adding the
  // payload's folded sum to it equals adding its words.
  const std::size_t hlen =
      std::min<std::size_t>(segment.size(), std::size_t{4} * (segment[TcpSegmentView::kDataOffsetOffset] >> 4));
  Checksum payload;
  payload.add(segment.subspan(hlen));
  Checksum c = pseudo_header(src, dst, segment.size());
  c.add(segment.first(hlen));
  c.add_u16(payload.sum());
  write_u16(segment, TcpSegmentView::kChecksumOffset, c.finish());
}

bool tcp_checksum_ok(std::span<const std::uint8_t> segment, Ipv4Address src, Ipv4Address dst) {
  return segment.size() >= kTcpHeaderLen && tcp_checksum(segment, src, dst) == 0;
}

std::string flag_names(std::uint8_t flags) {
  static constexpr const char* kFlagNames[8] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
  std::string s;
  for (unsigned bit = 0; bit < 8; ++bit) {
    if ((flags & (1U << bit)) == 0) continue;
    if (!s.empty()) s += ", ";
    s += kFlagNames[bit];
  }
  return s;
}

std::string describe(const TcpRepr& r, std::size_t payload_len) {
  std::string s = fmt::format("{} > {} [{}] seq={}", r.src_port, r.dst_port,
                              describe_flags(r.flags), r.seq.raw());
  if (r.has(kAck)) s += fmt::format(" ack={}", r.ack.raw());
  s += fmt::format(" win={}", r.window);
  if (r.has(kUrg)) s += fmt::format(" urg={}", r.urgent);
  s += fmt::format(" len={}", payload_len);
  const OptionPlan plan = plan_options(r);
  if (!plan.kinds.empty()) {
    s += " <";
    for (std::size_t i = 0; i < plan.kinds.size(); ++i) {
      if (i > 0) s += ',';
      s += describe_option(r, plan.kinds[i], plan.sack_n);
    }
    s += '>';
  }
  return s;
}

std::ostream& operator<<(std::ostream& os, const TcpRepr& r) { return os << describe(r, 0); }

}  // namespace wiresim::wire
