#pragma once
/// Reading `apps`: HTTP servers, browsers and bulk transfers.

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/read_context.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// Reads `apps` after the nodes are known, registering each in ctx.apps.
/// Checks hosts, site folders, URLs, and that no two apps listen on one
/// port of one host.
std::vector<AppSpec> read_apps(ReadContext& ctx, const ConfigNode& root);

/// The folder `site` names: `site` itself if absolute, otherwise relative to
/// the scenario file's folder, then to the nearest enclosing folder named
/// "scenarios". Absolute and normalised; nullopt if no such folder exists.
std::optional<std::filesystem::path> find_site(const std::filesystem::path& scenario_file, std::string_view site);

/// Why `url` is not "http://HOST[:PORT][/PATH]", or "" if it is.
std::string check_http_url(std::string_view url);

}  // namespace wiresim::scenario
