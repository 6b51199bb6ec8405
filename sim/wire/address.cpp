#include "wiresim/wire/address.hpp"

#include <ostream>

namespace wiresim::wire {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// A decimal number without sign or superfluous leading zeros, <= max.
std::optional<std::uint32_t> parse_decimal(std::string_view s, std::uint32_t max) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint32_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

}  // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  // "xx:xx:xx:xx:xx:xx" is 17 characters.
  if (text.size() != 3 * kLen - 1) return std::nullopt;
  std::array<std::uint8_t, kLen> o{};
  for (std::size_t i = 0; i < kLen; ++i) {
    const std::size_t at = 3 * i;
    if (i > 0 && text[at - 1] != ':') return std::nullopt;
    const int hi = hex_value(text[at]);
    const int lo = hex_value(text[at + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    o[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return MacAddress{o};
}

std::string MacAddress::to_string() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(3 * kLen - 1);
  for (std::size_t i = 0; i < kLen; ++i) {
    if (i > 0) s.push_back(':');
    s.push_back(kHex[octets_[i] >> 4]);
    s.push_back(kHex[octets_[i] & 0x0f]);
  }
  return s;
}

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = i < 3 ? text.find('.') : text.size();
    if (dot == std::string_view::npos) return std::nullopt;
    const auto octet = parse_decimal(text.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    v = (v << 8) | *octet;
    text.remove_prefix(i < 3 ? dot + 1 : dot);
  }
  return Ipv4Address{v};
}

std::string Ipv4Address::to_string() const {
  std::string s;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) s.push_back('.');
    s += std::to_string(octet(i));
  }
  return s;
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto addr = Ipv4Address::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  if (slash == std::string_view::npos) return Ipv4Prefix{*addr, 32};
  const auto len = parse_decimal(text.substr(slash + 1), 32);
  if (!len) return std::nullopt;
  return Ipv4Prefix{*addr, static_cast<std::uint8_t>(*len)};
}

std::string Ipv4Prefix::to_string() const {
  return addr_.to_string() + "/" + std::to_string(len_);
}

std::ostream& operator<<(std::ostream& os, const MacAddress& a) { return os << a.to_string(); }
std::ostream& operator<<(std::ostream& os, Ipv4Address a) { return os << a.to_string(); }
std::ostream& operator<<(std::ostream& os, const Ipv4Prefix& p) { return os << p.to_string(); }

}  // namespace wiresim::wire
