#pragma once
/// Ethernet II frames (IEEE 802.3 with an EtherType), without preamble or FCS.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>

#include "wiresim/wire/address.hpp"
#include "wiresim/wire/result.hpp"

namespace wiresim::wire {

constexpr std::size_t kEthernetHeaderLen = 14;
/// Minimum frame length without FCS: shorter frames are padded with zeros.
constexpr std::size_t kEthernetMinFrameLen = 60;
constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeArp = 0x0806;

/// A length-checked view over an Ethernet II frame. Accessors cannot fail.
class EthernetFrameView {
 public:
  /// Offsets of the header fields.
  static constexpr std::size_t kDstOffset = 0;
  static constexpr std::size_t kSrcOffset = 6;
  static constexpr std::size_t kEtherTypeOffset = 12;

  /// kTruncated if frame.size() < kEthernetHeaderLen.
  static Result<EthernetFrameView> check(std::span<const std::uint8_t> frame);

  [[nodiscard]] MacAddress dst() const;
  [[nodiscard]] MacAddress src() const;
  [[nodiscard]] std::uint16_t ethertype() const;
  /// Everything after the header, link padding included.
  [[nodiscard]] std::span<const std::uint8_t> payload() const {
    return bytes_.subspan(kEthernetHeaderLen);
  }
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  explicit EthernetFrameView(std::span<const std::uint8_t> b) : bytes_(b) {}
  std::span<const std::uint8_t> bytes_;
};

/// The header fields of an Ethernet II frame.
struct EthernetRepr {
  MacAddress dst{};
  MacAddress src{};
  std::uint16_t ethertype = kEtherTypeIpv4;

  /// Never fails (the view is checked); Result for symmetry with the other formats.
  static Result<EthernetRepr> parse(const EthernetFrameView& v);
  static constexpr std::size_t header_len() { return kEthernetHeaderLen; }
  /// Header plus payload, padded to kEthernetMinFrameLen.
  static constexpr std::size_t buffer_len(std::size_t payload_len) {
    const std::size_t n = kEthernetHeaderLen + payload_len;
    return n < kEthernetMinFrameLen ? kEthernetMinFrameLen : n;
  }
  /// Writes the 14-byte header at the start of out (precondition: out.size() >= 14).
  void emit(std::span<std::uint8_t> out) const;

  bool operator==(const EthernetRepr&) const = default;
};

/// "02:00:00:00:00:01 > 02:00:00:00:00:02 type 0x0800", for test messages.
std::ostream& operator<<(std::ostream& os, const EthernetRepr& r);

}  // namespace wiresim::wire
