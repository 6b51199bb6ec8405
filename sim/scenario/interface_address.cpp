#include "wiresim/scenario/interface_address.hpp"

#include <fmt/format.h>

#include "wiresim/scenario/units.hpp"

namespace wiresim::scenario {
namespace {

/// A decimal number of 1..3 digits without leading zeros, at most `max`.
std::optional<std::uint32_t> small_number(std::string_view s, std::uint32_t max) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s.front() == '0')) return std::nullopt;
  std::uint32_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

}  // namespace

std::uint32_t InterfaceAddress::mask() const {
  if (prefix_len <= 0) return 0;
  return ~std::uint32_t{0} << (32 - prefix_len);
}

ParseResult<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t address = 0;
  std::string_view rest = text;
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = rest.find('.');
    if ((i < 3) != (dot != std::string_view::npos)) return ParseResult<std::uint32_t>::fail("not an IPv4 address");
    const auto octet = small_number(rest.substr(0, dot), 255);
    if (!octet) return ParseResult<std::uint32_t>::fail("not an IPv4 address");
    address = address << 8 | *octet;
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  return ParseResult<std::uint32_t>::ok(address);
}

ParseResult<InterfaceAddress> parse_interface_address(std::string_view text) {
  using Result = ParseResult<InterfaceAddress>;
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return Result::fail("missing prefix length");
  const auto address = parse_ipv4(text.substr(0, slash));
  if (!address) return Result::fail(address.error);
  const auto prefix = small_number(text.substr(slash + 1), 32);
  if (!prefix) return Result::fail("prefix length is not a number from 0 to 32");
  const InterfaceAddress a{*address.value, static_cast<int>(*prefix)};
  if (a.prefix_len <= 30) {
    const std::uint32_t host_bits = a.address & ~a.mask();
    if (host_bits == 0) return Result::fail(fmt::format("the network address of {}/{}", ipv4_to_string(a.network()), a.prefix_len));
    if (host_bits == ~a.mask()) return Result::fail(fmt::format("the broadcast address of {}/{}", ipv4_to_string(a.network()), a.prefix_len));
  }
  return Result::ok(a);
}

std::string ipv4_to_string(std::uint32_t address) {
  return fmt::format("{}.{}.{}.{}", address >> 24, address >> 16 & 0xff, address >> 8 & 0xff, address & 0xff);
}

std::string to_string(const InterfaceAddress& a) { return fmt::format("{}/{}", ipv4_to_string(a.address), a.prefix_len); }

}  // namespace wiresim::scenario
