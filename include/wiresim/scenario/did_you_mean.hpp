#pragma once
/// "Did you mean ...?" suggestions for misspelt keys and names.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wiresim::scenario {

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and transpositions of adjacent characters each cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Bounds that keep a scenario with 100,000 names and as many misspelt
/// references from taking hours to report (a search per problem): no
/// suggestion among more candidates than this, and lists of expected names
/// cut to their first kMaxListedNames.
inline constexpr std::size_t kMaxSuggestionCandidates = 1000;
inline constexpr std::size_t kMaxListedNames = 32;

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo: at most 1 edit for words up to 3 characters, 2 up to 6, 3 beyond.
/// Ties go to the earliest candidate. None among more than
/// kMaxSuggestionCandidates candidates.
std::optional<std::string_view> closest_match(std::string_view word, std::span<const std::string_view> candidates);

/// "a, b, c".
std::string join_names(std::span<const std::string_view> names);

/// "(did you mean 'x'?)" when a close candidate exists, otherwise
/// "(expected one of: a, b, c)" (or "(expected <none_text>)" when there are
/// no candidates at all; "(expected one of N names, such as a, b, ...)"
/// beyond kMaxListedNames).
std::string suggest(std::string_view word, std::span<const std::string_view> candidates,
                    std::string_view none_text = "nothing here");

}  // namespace wiresim::scenario
