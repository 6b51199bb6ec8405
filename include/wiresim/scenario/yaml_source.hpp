#pragma once
/// Reads YAML text (with yaml-cpp) into a ConfigNode tree. The only place in
/// wiresim that includes yaml-cpp.

#include <optional>
#include <string_view>
#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/diagnostic.hpp"

namespace wiresim::scenario {

/// Limits that keep hostile files (deep nesting, alias cycles, "billion
/// laughs" alias bombs) from exhausting the stack or memory.
inline constexpr int kMaxYamlDepth = 32;
inline constexpr int kMaxYamlNodes = 100'000;

/// Parses the first document of `text`. Anchors and aliases work as YAML
/// says, and so do merge keys ("<<: *defaults", which yaml-cpp leaves to us):
/// a map gets the merged map's entries it does not set itself, with the
/// merged map's positions. Positions are reported as
/// `origin` with 1-based line and column (source 0 = the scenario file).
/// On a syntax error, reports "invalid YAML: ..." at its position and
/// returns nullopt. An empty document gives a null node.
std::optional<ConfigNode> parse_yaml(std::string_view text, const SourceLocation& origin,
                                     std::vector<Diagnostic>& out);

}  // namespace wiresim::scenario
