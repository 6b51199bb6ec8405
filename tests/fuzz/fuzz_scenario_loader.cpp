/// Fuzzes the scenario loader: YAML text in, a Scenario or diagnostics out,
/// with `--set` and `--seed` overrides taken from the input itself. A line
/// "#--set KEY=VALUE" or "#--seed N" (a YAML comment, so the rest of the
/// file reads the same) becomes an override, in order; a file without such
/// lines is loaded as `wiresim run FILE` would.
///
/// Reads nothing but the input and writes no file: the text goes to
/// load_scenario_text, which names a scenario file in a private temporary
/// folder that is never created. Site folders resolve in that folder, where
/// `sites/lab` exists (empty: the loader only checks that a site is a folder).

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "wiresim/scenario/loader.hpp"

namespace {

using wiresim::scenario::LoadOptions;

constexpr std::string_view kSetPrefix = "#--set ";
constexpr std::string_view kSeedPrefix = "#--seed ";

/// The overrides written into `text` as "#--set" / "#--seed" lines.
LoadOptions options_from(std::string_view text) {
  LoadOptions options;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.starts_with(kSetPrefix)) {
      options.overrides.emplace_back(line.substr(kSetPrefix.size()));
    } else if (line.starts_with(kSeedPrefix)) {
      const std::string_view digits = line.substr(kSeedPrefix.size());
      std::uint64_t seed = 0;
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seed);
      if (ec == std::errc{} && ptr == digits.data() + digits.size()) options.seed = seed;
    }
  }
  return options;
}

/// <tmp>/scenarios/fuzz.yaml (never written) beside <tmp>/scenarios/sites/lab/.
const std::filesystem::path& scenario_path() {
  static const wiresim::fuzz::PrivateTempDir dir;
  static const std::filesystem::path file = [] {
    const std::filesystem::path scenarios = dir.path() / "scenarios";
    std::filesystem::create_directories(scenarios / "sites" / "lab");
    return scenarios / "fuzz.yaml";
  }();
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = wiresim::scenario::load_scenario_text(text, scenario_path(), options_from(text));
  // The loader's contract: a scenario exactly when there is no diagnostic.
  if (result.ok() != result.diagnostics.empty()) __builtin_trap();
  std::size_t chars = 0;
  for (const auto& d : result.diagnostics) chars += wiresim::scenario::to_string(d).size();
  if (!result.diagnostics.empty() && chars == 0) __builtin_trap();
  return 0;
}
