#pragma once
/// Loading a scenario: read the YAML, apply command-line overrides, then
/// read and validate everything, reporting every problem at once.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/scenario/diagnostic.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

struct LoadOptions {
  std::vector<std::string> overrides;  ///< "KEY=VALUE" texts of --set, applied in order
  std::optional<std::uint64_t> seed;   ///< --seed: replaces `seed`, after every --set
  /// --allow-site DIR: folders outside the scenario's folder tree that a
  /// `site:` may serve (see read_scenario).
  std::vector<std::filesystem::path> allowed_site_dirs{};
};

struct LoadResult {
  std::optional<Scenario> scenario;      ///< set if and only if there are no diagnostics
  std::vector<Diagnostic> diagnostics;   ///< in file order, then override order
  /// Problems that do not stop a run (a URL whose host runs no server, or
  /// none on its port), in the same order; reported whether or not the
  /// scenario is valid.
  std::vector<Diagnostic> warnings{};

  [[nodiscard]] bool ok() const { return scenario.has_value(); }
};

/// Loads the scenario file `file`. Site folders are looked up relative to
/// the file's folder, then to the nearest enclosing folder named "scenarios".
LoadResult load_scenario_file(const std::filesystem::path& file, const LoadOptions& options = {});

/// Loads a scenario from `text` as if it were the content of `file` (which
/// need not exist; it names the origin and anchors site folders).
LoadResult load_scenario_text(std::string_view text, const std::filesystem::path& file,
                              const LoadOptions& options = {});

}  // namespace wiresim::scenario
