#pragma once
/// IPv4 headers (RFC 791). No fragmentation: fragments are rejected.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>

#include "wiresim/wire/address.hpp"
#include "wiresim/wire/result.hpp"

namespace wiresim::wire {

constexpr std::size_t kIpv4HeaderLen = 20;  ///< without options
constexpr std::uint8_t kIpProtoIcmp = 1;
constexpr std::uint8_t kIpProtoTcp = 6;
constexpr std::uint8_t kIpProtoUdp = 17;

/// A length-checked view over an IPv4 packet. Accessors cannot fail.
class Ipv4PacketView {
 public:
  /// Offsets of the header fields (RFC 791 §3.1).
  static constexpr std::size_t kVersionIhlOffset = 0;
  static constexpr std::size_t kDscpEcnOffset = 1;
  static constexpr std::size_t kTotalLengthOffset = 2;
  static constexpr std::size_t kIdentificationOffset = 4;
  static constexpr std::size_t kFlagsFragmentOffset = 6;
  static constexpr std::size_t kTtlOffset = 8;
  static constexpr std::size_t kProtocolOffset = 9;
  static constexpr std::size_t kChecksumOffset = 10;
  static constexpr std::size_t kSrcOffset = 12;
  static constexpr std::size_t kDstOffset = 16;

  /// Checks, in order: size >= 20 (kTruncated), version 4 (kBadVersion),
  /// IHL >= 5 (kBadHeaderLength), IHL*4 <= size (kTruncated),
  /// total length >= IHL*4 (kBadTotalLength), total length <= size
  /// (kTruncated). The span may be longer than the total length (link padding).
  /// The header checksum is not verified here: see header_checksum_ok().
  static Result<Ipv4PacketView> check(std::span<const std::uint8_t> packet);

  [[nodiscard]] std::uint8_t version() const;
  /// Header length in bytes (IHL * 4), 20..60.
  [[nodiscard]] std::size_t header_len() const;
  [[nodiscard]] std::uint8_t dscp_ecn() const;
  /// Header plus payload, in bytes.
  [[nodiscard]] std::uint16_t total_len() const;
  [[nodiscard]] std::uint16_t identification() const;
  [[nodiscard]] bool dont_fragment() const;
  [[nodiscard]] bool more_fragments() const;
  /// Fragment offset in bytes (the field counts 8-byte units).
  [[nodiscard]] std::size_t fragment_offset() const;
  [[nodiscard]] std::uint8_t ttl() const;
  [[nodiscard]] std::uint8_t protocol() const;
  [[nodiscard]] std::uint16_t header_checksum() const;
  [[nodiscard]] Ipv4Address src() const;
  [[nodiscard]] Ipv4Address dst() const;
  /// True if the header (options included) sums to zero (RFC 791 §3.1).
  [[nodiscard]] bool header_checksum_ok() const;

  /// The header_len() header bytes.
  [[nodiscard]] std::span<const std::uint8_t> header() const { return bytes_.first(header_len()); }
  /// The options area, possibly empty.
  [[nodiscard]] std::span<const std::uint8_t> options() const {
    return bytes_.subspan(kIpv4HeaderLen, header_len() - kIpv4HeaderLen);
  }
  /// The payload: from the end of the header to total_len() (padding excluded).
  [[nodiscard]] std::span<const std::uint8_t> payload() const {
    return bytes_.subspan(header_len(), total_len() - header_len());
  }
  /// The whole packet, total_len() bytes.
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  explicit Ipv4PacketView(std::span<const std::uint8_t> b) : bytes_(b) {}
  std::span<const std::uint8_t> bytes_;  ///< trimmed to total_len()
};

/// The fields of an IPv4 header that wiresim uses. Options are not
/// represented: parse skips them, emit writes a 20-byte header.
struct Ipv4Repr {
  Ipv4Address src{};
  Ipv4Address dst{};
  std::uint8_t protocol = kIpProtoTcp;
  std::uint8_t ttl = 64;
  std::uint16_t identification = 0;
  bool dont_fragment = true;
  std::uint8_t dscp_ecn = 0;
  std::uint16_t payload_len = 0;  ///< bytes after the header

  /// kFragmented for a fragment; otherwise never fails. Does not verify the
  /// header checksum (call view.header_checksum_ok() first).
  static Result<Ipv4Repr> parse(const Ipv4PacketView& v);
  static constexpr std::size_t header_len() { return kIpv4HeaderLen; }
  /// Header plus payload.
  [[nodiscard]] std::size_t buffer_len() const { return kIpv4HeaderLen + payload_len; }
  /// Writes a 20-byte header, header checksum included, at the start of out.
  /// Preconditions: out.size() >= 20, payload_len <= 65535 - 20.
  void emit(std::span<std::uint8_t> out) const;

  bool operator==(const Ipv4Repr&) const = default;
};

/// "10.0.0.1 > 10.0.0.2 proto 6 ttl 64 id 0 DF tos 0x0 len 20", for test messages.
std::ostream& operator<<(std::ostream& os, const Ipv4Repr& r);

/// Decrements the TTL of a valid IPv4 header in place and updates its
/// checksum incrementally (RFC 1624 §3, eqn. 3). Precondition: ttl >= 1
/// (routers drop packets whose TTL would reach 0 before calling this).
void decrement_ttl(std::span<std::uint8_t> header);

/// The ECN field, the low two bits of the old TOS byte (RFC 3168 §5).
enum class IpEcn : std::uint8_t { kNotEct = 0, kEct1 = 1, kEct0 = 2, kCe = 3 };
/// The ECN codepoint of a DSCP/ECN byte.
[[nodiscard]] constexpr IpEcn ecn_of(std::uint8_t dscp_ecn) { return static_cast<IpEcn>(dscp_ecn & 0x3); }
/// Router marking (RFC 3168 §5, Linux IP_ECN_set_ce): an ECT(0) or ECT(1)
/// packet becomes CE, the header checksum updated in place (RFC 1624);
/// returns false and changes nothing for Not-ECT (the AQM drops it
/// instead). A CE packet stays CE (true). `header` is the IPv4 header.
bool set_ce(std::span<std::uint8_t> header);

/// Sets the header checksum of a header_len-byte IPv4 header in place.
void fill_ipv4_checksum(std::span<std::uint8_t> header);

}  // namespace wiresim::wire
