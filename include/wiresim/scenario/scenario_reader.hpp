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
/// `scenario_file` anchors relative site folders. Returns nullopt if any
/// problem was found (including problems already in `out`).
std::optional<Scenario> read_scenario(const ConfigNode& root, const std::filesystem::path& scenario_file,
                                      std::vector<Diagnostic>& out);

}  // namespace wiresim::scenario
