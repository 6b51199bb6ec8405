#include "wiresim/scenario/did_you_mean.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <vector>

namespace wiresim::scenario {

namespace {

/// Rows on the stack for names (at most 64 characters), on the heap beyond.
constexpr std::size_t kStackRow = 80;

std::size_t edit_distance_rows(std::string_view a, std::string_view b, std::span<std::size_t> before,
                               std::span<std::size_t> prev, std::span<std::size_t> cur) {
  // Three rows of the dynamic programme: i-2, i-1 and i.
  const std::size_t n = b.size();
  for (std::size_t j = 0; j <= n; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= n; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[n];
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (b.size() < kStackRow) {
    std::array<std::size_t, kStackRow> before{}, prev{}, cur{};
    return edit_distance_rows(a, b, before, prev, cur);
  }
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  return edit_distance_rows(a, b, before, prev, cur);
}

std::optional<std::string_view> closest_match(std::string_view word, std::span<const std::string_view> candidates) {
  const std::size_t limit = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  std::optional<std::string_view> best;
  if (candidates.size() > kMaxSuggestionCandidates) return best;
  std::size_t best_distance = limit + 1;
  for (const std::string_view c : candidates) {
    // The distance is at least the difference in length: skip the table.
    const std::size_t length_gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (length_gap > limit) continue;
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance && d < word.size()) {  // replacing every letter is no typo
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string join_names(std::span<const std::string_view> names) {
  std::string out;
  for (const std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::string suggest(std::string_view word, std::span<const std::string_view> candidates, std::string_view none_text) {
  if (const auto match = closest_match(word, candidates)) return "(did you mean '" + std::string(*match) + "'?)";
  if (candidates.empty()) return "(expected " + std::string(none_text) + ")";
  if (candidates.size() == 1) return "(expected " + std::string(candidates.front()) + ")";
  if (candidates.size() > kMaxListedNames) {
    return "(expected one of " + std::to_string(candidates.size()) + " names, such as " +
           join_names(candidates.first(kMaxListedNames)) + ")";
  }
  return "(expected one of: " + join_names(candidates) + ")";
}

}  // namespace wiresim::scenario
