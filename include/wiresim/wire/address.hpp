#pragma once
/// Link-layer and IPv4 addresses.

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wiresim::wire {

/// A 48-bit Ethernet MAC address, stored in wire order.
class MacAddress {
 public:
  static constexpr std::size_t kLen = 6;

  constexpr MacAddress() = default;
  constexpr explicit MacAddress(std::array<std::uint8_t, kLen> octets) : octets_(octets) {}
  /// The 6 bytes at the start of `s` (precondition: s.size() >= 6).
  static MacAddress from_bytes(std::span<const std::uint8_t> s) {
    MacAddress m;
    std::memcpy(m.octets_.data(), s.first(kLen).data(), kLen);
    return m;
  }
  /// A locally administered unicast address 02:00:nn:nn:nn:nn for index n.
  static constexpr MacAddress local(std::uint32_t n) {
    return MacAddress{{0x02, 0x00, static_cast<std::uint8_t>(n >> 24),
                       static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                       static_cast<std::uint8_t>(n)}};
  }
  static constexpr MacAddress broadcast() {
    return MacAddress{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
  }
  /// Parses "02:00:00:00:00:01" (hex, either case, ':' separated).
  static std::optional<MacAddress> parse(std::string_view text);

  [[nodiscard]] constexpr const std::array<std::uint8_t, kLen>& octets() const { return octets_; }
  [[nodiscard]] constexpr bool is_broadcast() const { return *this == broadcast(); }
  /// Group bit (I/G) of the first octet.
  [[nodiscard]] constexpr bool is_multicast() const { return (octets_[0] & 0x01) != 0; }
  /// Writes the 6 bytes at the start of `out` (precondition: out.size() >= 6).
  void write(std::span<std::uint8_t> out) const { std::memcpy(out.first(kLen).data(), octets_.data(), kLen); }
  /// Lowercase "02:00:00:00:00:01".
  [[nodiscard]] std::string to_string() const;

  constexpr auto operator<=>(const MacAddress&) const = default;

 private:
  std::array<std::uint8_t, kLen> octets_{};
};

/// An IPv4 address, held as a 32-bit value in host order (10.0.0.1 = 0x0a000001).
class Ipv4Address {
 public:
  constexpr Ipv4Address() = default;
  constexpr explicit Ipv4Address(std::uint32_t v) : v_(v) {}
  static constexpr Ipv4Address from_octets(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                                           std::uint8_t d) {
    return Ipv4Address{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) |
                       (std::uint32_t{c} << 8) | std::uint32_t{d}};
  }
  /// Parses dotted quad "10.0.0.1": exactly 4 decimal octets 0..255, no
  /// leading zeros beyond a lone "0", nothing else.
  static std::optional<Ipv4Address> parse(std::string_view text);

  /// The address in host order.
  [[nodiscard]] constexpr std::uint32_t raw() const { return v_; }
  /// Octet i (0 = most significant, as written first).
  [[nodiscard]] constexpr std::uint8_t octet(int i) const {
    return static_cast<std::uint8_t>(v_ >> (24 - 8 * i));
  }
  [[nodiscard]] constexpr bool is_unspecified() const { return v_ == 0; }
  [[nodiscard]] constexpr bool is_broadcast() const { return v_ == 0xffffffffU; }
  [[nodiscard]] std::string to_string() const;

  constexpr auto operator<=>(const Ipv4Address&) const = default;

 private:
  std::uint32_t v_ = 0;
};

/// An IPv4 prefix: an address and a length 0..32. The address may have host
/// bits set ("10.0.0.1/24" names an interface's address and its subnet).
class Ipv4Prefix {
 public:
  constexpr Ipv4Prefix() = default;
  /// Precondition: len <= 32.
  constexpr Ipv4Prefix(Ipv4Address addr, std::uint8_t len) : addr_(addr), len_(len) {}
  /// Parses "10.0.0.0/24"; a bare address means /32.
  static std::optional<Ipv4Prefix> parse(std::string_view text);

  [[nodiscard]] constexpr Ipv4Address address() const { return addr_; }
  [[nodiscard]] constexpr std::uint8_t length() const { return len_; }
  /// The netmask in host order (/24 = 0xffffff00, /0 = 0).
  [[nodiscard]] constexpr std::uint32_t mask() const {
    return len_ == 0 ? 0U : ~std::uint32_t{0} << (32 - len_);
  }
  /// The address with its host bits cleared.
  [[nodiscard]] constexpr Ipv4Address network() const { return Ipv4Address{addr_.raw() & mask()}; }
  [[nodiscard]] constexpr bool contains(Ipv4Address a) const {
    return (a.raw() & mask()) == network().raw();
  }
  /// "10.0.0.0/24" (the address as stored).
  [[nodiscard]] std::string to_string() const;

  constexpr auto operator<=>(const Ipv4Prefix&) const = default;

 private:
  Ipv4Address addr_{};
  std::uint8_t len_ = 32;
};

std::ostream& operator<<(std::ostream& os, const MacAddress& a);
std::ostream& operator<<(std::ostream& os, Ipv4Address a);
std::ostream& operator<<(std::ostream& os, const Ipv4Prefix& p);

}  // namespace wiresim::wire
