#pragma once
/// Reads YAML text (with yaml-cpp) into a ConfigNode tree. The only place in
/// wiresim that includes yaml-cpp.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/diagnostic.hpp"

namespace wiresim::scenario {

/// Limits that keep hostile files (huge documents, deep nesting, alias
/// cycles, "billion laughs" alias bombs) from exhausting the stack or memory
/// (scenarios/README.md, "Limits"). A scenario needs a depth of 6; 100,000
/// hosts with their links take about 10 MB and 900,000 values.
inline constexpr std::size_t kMaxYamlBytes = std::size_t{16} << 20;  ///< 16 MiB of text
inline constexpr int kMaxYamlDepth = 32;           ///< maps and lists inside each other
inline constexpr int kMaxYamlNodes = 1'000'000;    ///< values (scalars, maps, lists), aliases expanded
inline constexpr int kMaxYamlAliasNodes = 100'000; ///< of those, values reached through aliases (*name)

/// Parses the first document of `text`. Anchors and aliases work as YAML
/// says, and so do merge keys ("<<: *defaults", which yaml-cpp leaves to us):
/// a map gets the merged map's entries it does not set itself, with the
/// merged map's positions. Positions are reported as
/// `origin` with 1-based line and column (source 0 = the scenario file).
/// On a syntax error, reports "invalid YAML: ..." at its position and
/// returns nullopt; past a limit above, names the limit and its value at the
/// position where it was reached. An empty document gives a null node.
std::optional<ConfigNode> parse_yaml(std::string_view text, const SourceLocation& origin,
                                     std::vector<Diagnostic>& out);

}  // namespace wiresim::scenario
