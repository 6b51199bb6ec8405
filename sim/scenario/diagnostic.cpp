#include "wiresim/scenario/diagnostic.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace wiresim::scenario {

std::string to_string(const SourceLocation& where) {
  if (where.line <= 0) return where.origin;
  return fmt::format("{}:{}:{}", where.origin, where.line, where.column);
}

std::string short_location(const SourceLocation& where) {
  if (where.line <= 0) return where.origin;
  return fmt::format("{}:{}", where.line, where.column);
}

std::string to_string(const Diagnostic& d) { return fmt::format("{}: error: {}", to_string(d.where), d.message); }

std::string warning_text(const Diagnostic& d) {
  return fmt::format("{}: warning: {}", to_string(d.where), d.message);
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.source, a.where.line, a.where.column) <
           std::tie(b.where.source, b.where.line, b.where.column);
  });
}

}  // namespace wiresim::scenario
