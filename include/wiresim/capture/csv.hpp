#pragma once
/// CSV fields as RFC 4180 writes them, for the trace files and reports.

#include <string>
#include <string_view>

namespace wiresim::capture {

/// `s` as one CSV field: unchanged, or in double quotes (with inner quotes
/// doubled) when it holds a comma, a quote or a line break.
[[nodiscard]] inline std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace wiresim::capture
