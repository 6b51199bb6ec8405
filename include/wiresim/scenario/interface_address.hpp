#pragma once
/// IPv4 interface addresses as scenario files write them: "10.0.1.2/24".
/// The net layer has its own address types; this is only what a scenario
/// says, so that this layer does not depend on net.

#include <cstdint>
#include <string>
#include <string_view>

#include "wiresim/scenario/units.hpp"

namespace wiresim::scenario {

/// An address with the length of its subnet prefix. Invariant: prefix_len <= 32.
struct InterfaceAddress {
  std::uint32_t address = 0;  ///< host byte order: 10.0.1.2 is 0x0a000102
  int prefix_len = 32;        ///< bits of the subnet prefix, 0..32

  bool operator==(const InterfaceAddress&) const = default;
  /// The subnet mask, e.g. 0xffffff00 for /24.
  [[nodiscard]] std::uint32_t mask() const;
  /// The subnet: address & mask.
  [[nodiscard]] std::uint32_t network() const { return address & mask(); }
};

inline constexpr std::string_view kInterfaceAddressHint = "an IPv4 address with prefix length such as 10.0.1.2/24";

/// "A.B.C.D" (four decimal octets 0..255, no leading zeros).
ParseResult<std::uint32_t> parse_ipv4(std::string_view text);
/// "A.B.C.D/LEN" with LEN 0..32. For LEN <= 30, the subnet's network and
/// broadcast addresses are refused (no interface can have them).
ParseResult<InterfaceAddress> parse_interface_address(std::string_view text);
/// "10.0.1.2".
std::string ipv4_to_string(std::uint32_t address);
/// "10.0.1.2/24".
std::string to_string(const InterfaceAddress& a);

}  // namespace wiresim::scenario
