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

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo: at most 1 edit for words up to 3 characters, 2 up to 6, 3 beyond.
/// Ties go to the earliest candidate.
std::optional<std::string_view> closest_match(std::string_view word, std::span<const std::string_view> candidates);

/// "a, b, c".
std::string join_names(std::span<const std::string_view> names);

/// "(did you mean 'x'?)" when a close candidate exists, otherwise
/// "(expected one of: a, b, c)" (or "(expected <none_text>)" when there are
/// no candidates at all).
std::string suggest(std::string_view word, std::span<const std::string_view> candidates,
                    std::string_view none_text = "nothing here");

}  // namespace wiresim::scenario
