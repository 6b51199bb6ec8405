#include "wiresim/http/syntax.hpp"

#include <algorithm>

namespace wiresim::http {

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  const char l = ascii_lower(c);
  if (l >= 'a' && l <= 'f') return l - 'a' + 10;
  return -1;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_list(std::string_view list) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty()) out.push_back(element);
    if (comma == std::string_view::npos) return out;
    list.remove_prefix(comma + 1);
  }
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  const auto byte = [](std::uint32_t v) { return static_cast<char>(static_cast<unsigned char>(v)); };
  if (cp < 0x80) {
    out += byte(cp);
  } else if (cp < 0x800) {
    out += byte(0xc0 | (cp >> 6));
    out += byte(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += byte(0xe0 | (cp >> 12));
    out += byte(0x80 | ((cp >> 6) & 0x3f));
    out += byte(0x80 | (cp & 0x3f));
  } else {
    out += byte(0xf0 | (cp >> 18));
    out += byte(0x80 | ((cp >> 12) & 0x3f));
    out += byte(0x80 | ((cp >> 6) & 0x3f));
    out += byte(0x80 | (cp & 0x3f));
  }
}

}  // namespace wiresim::http
