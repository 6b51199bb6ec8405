#include "wiresim/http/start_line.hpp"

#include <algorithm>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

constexpr std::string_view kHttpName = "HTTP/";

bool is_visible_ascii(char c) { return c > 0x20 && c < 0x7f; }

/// `s` split at its first SP (`found` false if it has none).
struct SpSplit {
  std::string_view head;
  std::string_view tail;
  bool found = false;
};

SpSplit split_sp(std::string_view s) {
  const std::size_t sp = s.find(' ');
  if (sp == std::string_view::npos) return {s, {}, false};
  return {s.substr(0, sp), s.substr(sp + 1), true};
}

}  // namespace

Result<Version> parse_version(std::string_view text) {
  if (text.size() != kHttpName.size() + 3 || text.substr(0, kHttpName.size()) != kHttpName ||
      !is_digit(text[5]) || text[6] != '.' || !is_digit(text[7])) {
    return ParseError::kBadVersion;
  }
  if (text[5] != '1') return ParseError::kUnsupportedVersion;
  return text[7] == '0' ? Version::kHttp10 : Version::kHttp11;
}

Result<RequestLine> parse_request_line(std::string_view line) {
  const auto [method, rest, has_target] = split_sp(line);
  if (!has_target || !is_token(method)) return ParseError::kBadRequestLine;
  const auto [target, version_text, has_version] = split_sp(rest);
  if (!has_version || target.empty() || !std::all_of(target.begin(), target.end(), is_visible_ascii)) {
    return ParseError::kBadRequestLine;
  }
  if (version_text.substr(0, kHttpName.size()) != kHttpName || version_text.find(' ') != std::string_view::npos) {
    return ParseError::kBadRequestLine;
  }
  Result<Version> version = parse_version(version_text);
  if (!version) return version.error();
  return RequestLine{std::string(method), std::string(target), version.value()};
}

Result<StatusLine> parse_status_line(std::string_view line) {
  const auto [version_text, rest, has_code] = split_sp(line);
  if (!has_code || version_text.substr(0, kHttpName.size()) != kHttpName) return ParseError::kBadStatusLine;
  Result<Version> version = parse_version(version_text);
  if (!version) return version.error();
  const std::string_view code = rest.substr(0, 3);
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), is_digit) || code[0] < '1' || code[0] > '5') {
    return ParseError::kBadStatusLine;
  }
  std::string_view reason = rest.substr(3);
  if (!reason.empty() && reason.front() != ' ') return ParseError::kBadStatusLine;
  if (!reason.empty()) reason.remove_prefix(1);
  if (!std::all_of(reason.begin(), reason.end(), is_field_value_char)) return ParseError::kBadStatusLine;
  const int status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  return StatusLine{version.value(), status, std::string(reason)};
}

}  // namespace wiresim::http
