#pragma once
/// `--set KEY=VALUE` overrides: KEY is a dotted path into the scenario's
/// YAML tree ("links.access.loss", "apps.browser.max_connections",
/// "links.lan.drop.0.nth"), VALUE is YAML ("2%", "{ model: bernoulli, p: 1% }").
/// An override replaces the value at its path before the scenario is read,
/// so its value is validated like the file's, and problems name the override.
///
/// Entries of the named collections (hosts, routers, links, apps, captures)
/// must exist: an override cannot create a host. Other missing keys are
/// created, and the reader then reports them if the format has no such key.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/diagnostic.hpp"

namespace wiresim::scenario {

struct Override {
  SourceLocation where;           ///< origin "--set KEY=VALUE" (or "--seed N"), no position
  std::vector<std::string> path;  ///< KEY split at '.', no empty parts
  std::string value;              ///< VALUE, as YAML text
};

/// Parses "KEY=VALUE" given as the `source`-th override (1-based). Reports a
/// malformed text and returns nullopt.
std::optional<Override> parse_set_option(std::string_view key_value, int source, std::vector<Diagnostic>& out);

/// The override for `--seed N`, given as the `source`-th override.
Override seed_override(std::uint64_t seed, int source);

/// Replaces the value at `o.path` in `root` (a map, or null for an empty
/// document) with VALUE, whose nodes all take `o.where` as their location.
/// Reports an unknown collection entry (with a suggestion), a path through
/// a single value or past the end of a list, and invalid YAML in VALUE.
void apply_override(ConfigNode& root, const Override& o, std::vector<Diagnostic>& out);

}  // namespace wiresim::scenario
