#pragma once
/// From a ConfigNode tree to a validated Scenario.

#include <filesystem>
#include <optional>
#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/diagnostic.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// Reads and validates the whole tree, appending every problem to `out`.
/// `scenario_file` anchors relative site folders; a site must lie in the
/// scenario's folder tree or in one of `allowed_site_dirs` (symbolic links
/// resolved). Returns nullopt if any problem was found (including problems
/// already in `out`). Warnings (problems that do not stop a run, such as a
/// URL whose host serves nothing) go to `warnings` if it is given.
std::optional<Scenario> read_scenario(const ConfigNode& root, const std::filesystem::path& scenario_file,
                                      std::vector<Diagnostic>& out,
                                      const std::vector<std::filesystem::path>& allowed_site_dirs = {},
                                      std::vector<Diagnostic>* warnings = nullptr);

}  // namespace wiresim::scenario
