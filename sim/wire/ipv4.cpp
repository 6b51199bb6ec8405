#include "wiresim/wire/ipv4.hpp"

#include <cassert>
#include <ostream>

#include <fmt/format.h>

#include "wiresim/wire/bytes.hpp"
#include "wiresim/wire/checksum.hpp"

namespace wiresim::wire {
namespace {

constexpr std::uint16_t kFlagDontFragment = 0x4000;
constexpr std::uint16_t kFlagMoreFragments = 0x2000;
constexpr std::uint16_t kFragmentOffsetMask = 0x1fff;

}  // namespace

Result<Ipv4PacketView> Ipv4PacketView::check(std::span<const std::uint8_t> packet) {
  if (packet.size() < kIpv4HeaderLen) return ParseError::kTruncated;
  if ((packet[kVersionIhlOffset] >> 4) != 4) return ParseError::kBadVersion;
  const std::size_t ihl_bytes = std::size_t{packet[kVersionIhlOffset] & 0x0fU} * 4;
  if (ihl_bytes < kIpv4HeaderLen) return ParseError::kBadHeaderLength;
  if (ihl_bytes > packet.size()) return ParseError::kTruncated;
  const std::size_t total = read_u16(packet, kTotalLengthOffset);
  if (total < ihl_bytes) return ParseError::kBadTotalLength;
  if (total > packet.size()) return ParseError::kTruncated;
  return Ipv4PacketView{packet.first(total)};
}

std::uint8_t Ipv4PacketView::version() const {
  return static_cast<std::uint8_t>(bytes_[kVersionIhlOffset] >> 4);
}
std::size_t Ipv4PacketView::header_len() const {
  return std::size_t{bytes_[kVersionIhlOffset] & 0x0fU} * 4;
}
std::uint8_t Ipv4PacketView::dscp_ecn() const { return bytes_[kDscpEcnOffset]; }
std::uint16_t Ipv4PacketView::total_len() const { return read_u16(bytes_, kTotalLengthOffset); }
std::uint16_t Ipv4PacketView::identification() const {
  return read_u16(bytes_, kIdentificationOffset);
}
bool Ipv4PacketView::dont_fragment() const {
  return (read_u16(bytes_, kFlagsFragmentOffset) & kFlagDontFragment) != 0;
}
bool Ipv4PacketView::more_fragments() const {
  return (read_u16(bytes_, kFlagsFragmentOffset) & kFlagMoreFragments) != 0;
}
std::size_t Ipv4PacketView::fragment_offset() const {
  return static_cast<std::size_t>(read_u16(bytes_, kFlagsFragmentOffset) & kFragmentOffsetMask) * 8;
}
std::uint8_t Ipv4PacketView::ttl() const { return bytes_[kTtlOffset]; }
std::uint8_t Ipv4PacketView::protocol() const { return bytes_[kProtocolOffset]; }
std::uint16_t Ipv4PacketView::header_checksum() const { return read_u16(bytes_, kChecksumOffset); }
Ipv4Address Ipv4PacketView::src() const { return Ipv4Address{read_u32(bytes_, kSrcOffset)}; }
Ipv4Address Ipv4PacketView::dst() const { return Ipv4Address{read_u32(bytes_, kDstOffset)}; }

bool Ipv4PacketView::header_checksum_ok() const { return internet_checksum(header()) == 0; }

Result<Ipv4Repr> Ipv4Repr::parse(const Ipv4PacketView& v) {
  if (v.more_fragments() || v.fragment_offset() != 0) return ParseError::kFragmented;
  return Ipv4Repr{
      .src = v.src(),
      .dst = v.dst(),
      .protocol = v.protocol(),
      .ttl = v.ttl(),
      .identification = v.identification(),
      .dont_fragment = v.dont_fragment(),
      .dscp_ecn = v.dscp_ecn(),
      .payload_len = static_cast<std::uint16_t>(v.total_len() - v.header_len()),
  };
}

void Ipv4Repr::emit(std::span<std::uint8_t> out) const {
  assert(out.size() >= kIpv4HeaderLen);
  assert(payload_len <= 0xffff - kIpv4HeaderLen);
  using V = Ipv4PacketView;
  out[V::kVersionIhlOffset] = 0x45;  // version 4, IHL 5
  out[V::kDscpEcnOffset] = dscp_ecn;
  write_u16(out, V::kTotalLengthOffset, static_cast<std::uint16_t>(kIpv4HeaderLen + payload_len));
  write_u16(out, V::kIdentificationOffset, identification);
  write_u16(out, V::kFlagsFragmentOffset, dont_fragment ? kFlagDontFragment : 0);
  out[V::kTtlOffset] = ttl;
  out[V::kProtocolOffset] = protocol;
  write_u32(out, V::kSrcOffset, src.raw());
  write_u32(out, V::kDstOffset, dst.raw());
  // The header's ten 16-bit words summed from the fields just written, not
  // read back: a wide load over the narrower stores above stalls until they
  // retire (store forwarding fails). Equal to fill_ipv4_checksum.
  Checksum c;
  c.add_u16(static_cast<std::uint16_t>(0x4500 | dscp_ecn));
  c.add_u16(static_cast<std::uint16_t>(kIpv4HeaderLen + payload_len));
  c.add_u16(identification);
  c.add_u16(dont_fragment ? kFlagDontFragment : 0);
  c.add_u16(static_cast<std::uint16_t>((ttl << 8) | protocol));
  c.add_u32(src.raw());
  c.add_u32(dst.raw());
  write_u16(out, V::kChecksumOffset, c.finish());
}

void fill_ipv4_checksum(std::span<std::uint8_t> header) {
  write_u16(header, Ipv4PacketView::kChecksumOffset, 0);
  write_u16(header, Ipv4PacketView::kChecksumOffset, internet_checksum(header));
}

void decrement_ttl(std::span<std::uint8_t> header) {
  using V = Ipv4PacketView;
  assert(header.size() >= kIpv4HeaderLen && header[V::kTtlOffset] >= 1);
  // TTL and protocol share one 16-bit word (offset 8).
  const std::uint16_t old_word = read_u16(header, V::kTtlOffset);
  const auto new_word = static_cast<std::uint16_t>(old_word - 0x0100);
  // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').
  Checksum c;
  c.add_u16(static_cast<std::uint16_t>(~read_u16(header, V::kChecksumOffset)));
  c.add_u16(static_cast<std::uint16_t>(~old_word));
  c.add_u16(new_word);
  write_u16(header, V::kTtlOffset, new_word);
  write_u16(header, V::kChecksumOffset, c.finish());
}

bool set_ce(std::span<std::uint8_t> header) {
  using V = Ipv4PacketView;
  assert(header.size() >= kIpv4HeaderLen);
  const IpEcn ecn = ecn_of(header[V::kDscpEcnOffset]);
  if (ecn == IpEcn::kNotEct) return false;
  if (ecn == IpEcn::kCe) return true;
  // Version/IHL and DSCP/ECN share the first 16-bit word.
  const std::uint16_t old_word = read_u16(header, 0);
  const auto new_word = static_cast<std::uint16_t>(old_word | 0x0003);
  // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').
  Checksum c;
  c.add_u16(static_cast<std::uint16_t>(~read_u16(header, V::kChecksumOffset)));
  c.add_u16(static_cast<std::uint16_t>(~old_word));
  c.add_u16(new_word);
  write_u16(header, 0, new_word);
  write_u16(header, V::kChecksumOffset, c.finish());
  return true;
}

std::ostream& operator<<(std::ostream& os, const Ipv4Repr& r) {
  return os << fmt::format("{} > {} proto {} ttl {} id {}{} tos {:#x} len {}", r.src.to_string(),
                           r.dst.to_string(), r.protocol, r.ttl, r.identification,
                           r.dont_fragment ? " DF" : "", r.dscp_ecn, r.payload_len);
}

}  // namespace wiresim::wire
