// Suggestions for misspelt keys and names.

#include <array>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/scenario/did_you_mean.hpp"

using namespace wiresim::scenario;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps", "[scenario][did_you_mean]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("delay", "delay") == 0);
  CHECK(edit_distance("bandwith", "bandwidth") == 1);
  CHECK(edit_distance("dealy", "delay") == 1);  // one transposition
  CHECK(edit_distance("lossy", "loss") == 1);
  CHECK(edit_distance("sever", "server") == 1);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("ca", "abc") == 3);  // optimal string alignment, not full Damerau
}

TEST_CASE("the closest candidate is suggested only if it is close", "[scenario][did_you_mean]") {
  constexpr std::array<std::string_view, 4> kKeys{"bandwidth", "delay", "data", "jitter"};
  CHECK(closest_match("bandwith", kKeys) == "bandwidth");
  CHECK(closest_match("dela", kKeys) == "delay");
  CHECK(closest_match("dat", std::array<std::string_view, 2>{"date", "data"}) == "date");  // ties: the first
  CHECK(closest_match("jiter", kKeys) == "jitter");
  CHECK_FALSE(closest_match("colour", kKeys));
  CHECK_FALSE(closest_match("x", std::array<std::string_view, 1>{"a"}));  // replacing every letter is no typo
  CHECK_FALSE(closest_match("abc", std::array<std::string_view, 0>{}));
}

TEST_CASE("suggestions read as a parenthesis", "[scenario][did_you_mean]") {
  constexpr std::array<std::string_view, 2> kProfiles{"linux", "windows"};
  CHECK(suggest("linx", kProfiles) == "(did you mean 'linux'?)");
  CHECK(suggest("macos", kProfiles) == "(expected one of: linux, windows)");
  CHECK(suggest("macos", std::array<std::string_view, 1>{"linux"}) == "(expected linux)");
  CHECK(suggest("x", std::array<std::string_view, 0>{}, "no keys here") == "(expected no keys here)");
}

TEST_CASE("suggestions stay cheap and short among many names", "[scenario][did_you_mean][limits]") {
  // issue 13: 2,000 misspelt references among 25,000 hosts took 23 s to
  // report, each message listing every host.
  std::vector<std::string> storage;
  for (std::size_t i = 0; i < kMaxSuggestionCandidates + 1; ++i) storage.push_back("h" + std::to_string(i));
  std::vector<std::string_view> names(storage.begin(), storage.end());
  CHECK_FALSE(closest_match("h1x", names));  // too many to search
  names.pop_back();
  CHECK(closest_match("h1x", names) == "h1");
  const std::string listed = suggest("zzzz", std::span<const std::string_view>(names).first(kMaxListedNames));
  CHECK(listed.starts_with("(expected one of: h0, h1, "));
  const std::string cut = suggest("zzzz", std::span<const std::string_view>(names).first(kMaxListedNames + 1));
  CHECK(cut.starts_with("(expected one of 33 names, such as h0, h1, "));
  CHECK(cut.ends_with(", h31)"));
  // Long words still get exact distances (the rows leave the stack).
  const std::string long_a(100, 'a');
  CHECK(edit_distance(long_a, long_a + "b") == 1);
  CHECK(edit_distance(long_a + "b", long_a) == 1);
}
