#pragma once
/// Reading `apps`: HTTP servers, browsers and bulk transfers.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
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

/// What a site may hold (scenarios/README.md). A server reads every file of
/// its site into memory when a run starts (http::Site::load, which enforces
/// the per-file limit again), so these bound a run's memory.
inline constexpr std::uintmax_t kMaxSiteFileBytes = std::uintmax_t{64} << 20;  ///< 64 MiB per file
inline constexpr std::uintmax_t kMaxSiteBytes = std::uintmax_t{256} << 20;     ///< 256 MiB per site
inline constexpr std::size_t kMaxSiteFiles = 10'000;

/// The folders a site may lie in, with symbolic links resolved: the folder
/// of `scenario_file`, the nearest enclosing folder named "scenarios" (where
/// find_site also looks), and each of `allowed` (--allow-site).
std::vector<std::filesystem::path> site_roots(const std::filesystem::path& scenario_file,
                                              const std::vector<std::filesystem::path>& allowed);

/// Why the site folder `folder` (as find_site returned it, named `site` in
/// the scenario) may not be served, or "" if it may: it, and every file the
/// server would read from it (links resolved), must lie under one of
/// `roots`, and its files must keep to the limits above. A scenario from
/// someone else must not be able to put /etc/shadow into a capture.
std::string check_site(std::string_view site, const std::filesystem::path& folder,
                       const std::vector<std::filesystem::path>& roots);

/// Why `url` is not "http://HOST[:PORT][/PATH]", or "" if it is.
std::string check_http_url(std::string_view url);

}  // namespace wiresim::scenario
