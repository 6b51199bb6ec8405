#include "wiresim/scenario/loader.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "wiresim/scenario/overrides.hpp"
#include "wiresim/scenario/scenario_reader.hpp"
#include "wiresim/scenario/topology.hpp"
#include "wiresim/scenario/yaml_source.hpp"

namespace wiresim::scenario {
namespace {

/// Applies every --set, then --seed, numbering them 1, 2, ... as sources.
void apply_all(ConfigNode& root, const LoadOptions& options, std::vector<Diagnostic>& out) {
  int source = 0;
  for (const std::string& text : options.overrides) {
    if (auto o = parse_set_option(text, ++source, out)) apply_override(root, *o, out);
  }
  if (options.seed) apply_override(root, seed_override(*options.seed, ++source), out);
}

/// Apps whose nodes no path joins (checked on the topology graph), reported
/// at the app's key.
void check_reachability(const ConfigNode& root, const Scenario& s, std::vector<Diagnostic>& out) {
  const ConfigNode::Entry* apps = root.find("apps");
  for (const UnreachableApp& u : unreachable_app_pairs(s)) {
    const ConfigNode::Entry* app = apps != nullptr ? apps->value.find(u.app) : nullptr;
    out.push_back(Diagnostic{app != nullptr ? app->key_where : root.where, "app '" + u.app + "': " + u.message});
  }
}

LoadResult finish(std::optional<Scenario> scenario, std::vector<Diagnostic> diagnostics,
                  std::vector<Diagnostic> warnings = {}) {
  sort_diagnostics(diagnostics);
  sort_diagnostics(warnings);
  if (!diagnostics.empty()) scenario.reset();
  return LoadResult{std::move(scenario), std::move(diagnostics), std::move(warnings)};
}

}  // namespace

LoadResult load_scenario_text(std::string_view text, const std::filesystem::path& file, const LoadOptions& options) {
  std::vector<Diagnostic> out;
  const SourceLocation origin{file.string(), 0, 0, 0};
  auto root = parse_yaml(text, origin, out);
  if (!root) return finish(std::nullopt, std::move(out));
  apply_all(*root, options, out);
  std::vector<Diagnostic> warnings;
  auto scenario = read_scenario(*root, file, out, options.allowed_site_dirs, &warnings);
  if (scenario) check_reachability(*root, *scenario, out);
  return finish(std::move(scenario), std::move(out), std::move(warnings));
}

LoadResult load_scenario_file(const std::filesystem::path& file, const LoadOptions& options) {
  std::error_code ec;
  const bool is_file = std::filesystem::is_regular_file(file, ec);
  std::ifstream in(file, std::ios::binary);
  if (!is_file || !in) {
    const char* why = std::filesystem::exists(file, ec) ? "cannot read the scenario file" : "no such scenario file";
    return finish(std::nullopt, {Diagnostic{SourceLocation{file.string(), 0, 0, 0},
                                            std::string(why) + " (expected a readable YAML file)"}});
  }
  // A file too large to be a scenario is not read into memory at all.
  if (const std::uintmax_t size = std::filesystem::file_size(file, ec); !ec && size > kMaxYamlBytes) {
    return finish(std::nullopt, {Diagnostic{SourceLocation{file.string(), 1, 1, 0},
                                            fmt::format("the scenario is {} bytes; at most {} (16 MiB) (expected a "
                                                        "plain scenario file)",
                                                        size, kMaxYamlBytes)}});
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_scenario_text(text.str(), file, options);
}

}  // namespace wiresim::scenario
