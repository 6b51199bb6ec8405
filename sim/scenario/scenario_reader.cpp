#include "wiresim/scenario/scenario_reader.hpp"

#include <fmt/format.h>

#include "wiresim/scenario/app_reader.hpp"
#include "wiresim/scenario/capture_reader.hpp"
#include "wiresim/scenario/host_reader.hpp"
#include "wiresim/scenario/link_reader.hpp"
#include "wiresim/scenario/read_context.hpp"
#include "wiresim/scenario/url_check.hpp"

namespace wiresim::scenario {
namespace {

constexpr std::string_view kTopKeys[] = {"name",  "description", "seed", "start_time", "stop",    "hosts",
                                         "routers", "links",     "apps", "captures",   "traces"};
constexpr std::string_view kStopKeys[] = {"after", "when_apps_done"};

StopSpec read_stop(ReadContext& ctx, const ConfigNode& root) {
  StopSpec stop;
  const Field f = field(root, "stop");
  if (f.value == nullptr ||
      !ctx.fields.expect_map(*f.value, "stop", "a map such as { after: 60s, when_apps_done: true }")) {
    return stop;
  }
  ctx.fields.check_keys(*f.value, kStopKeys, "in stop");
  stop.after = ctx.fields.duration(field(*f.value, "after"), Duration::nanoseconds(1));
  const Field done = field(*f.value, "when_apps_done");
  stop.when_apps_done = ctx.fields.boolean(done).value_or(true);
  if (!stop.when_apps_done && !stop.after && field(*f.value, "after").value == nullptr) {
    ctx.fields.error(done.value->where, "the run would never stop (expected a time limit such as after: 60s)");
  }
  return stop;
}

/// name, description, seed, start_time, stop, traces.
void read_settings(ReadContext& ctx, const ConfigNode& root, Scenario& s) {
  FieldReader& fields = ctx.fields;
  const Field name = field(root, "name");
  if (fields.require(name, root.where, "at the top level", "a scenario name such as lab-http")) {
    if (const auto n = fields.text(name, "a scenario name"); n && fields.check_name(*n, name.value->where, "scenario name")) {
      s.name = *n;
    }
  }
  s.description = fields.text(field(root, "description")).value_or("");
  s.seed = fields.unsigned64(field(root, "seed")).value_or(s.seed);
  s.start_time = fields.utc_time(field(root, "start_time")).value_or(s.start_time);
  s.stop = read_stop(ctx, root);
  s.traces = read_traces(ctx, root);
}

}  // namespace

std::optional<Scenario> read_scenario(const ConfigNode& root, const std::filesystem::path& scenario_file,
                                      std::vector<Diagnostic>& out,
                                      const std::vector<std::filesystem::path>& allowed_site_dirs,
                                      std::vector<Diagnostic>* warnings) {
  ReadContext ctx(out, scenario_file);
  ctx.allowed_site_dirs = allowed_site_dirs;
  if (!root.is_map()) {
    const std::string what = root.is_null() ? "empty" : describe(root);
    ctx.fields.error(root.where, fmt::format("the scenario is {} (expected a map with name, hosts, links, ...)", what));
    return std::nullopt;
  }
  ctx.fields.check_keys(root, kTopKeys, "at the top level");
  Scenario s;
  read_settings(ctx, root, s);
  // Order matters: links refer to nodes, apps to hosts, captures to both.
  s.hosts = read_hosts(ctx, root);
  s.routers = read_routers(ctx, root);
  s.links = read_links(ctx, root);
  s.apps = read_apps(ctx, root);
  s.captures = read_captures(ctx, root);
  check_app_urls(ctx, root, s);  // needs every host, link and server
  if (warnings != nullptr) *warnings = std::move(ctx.warnings);
  if (!out.empty()) return std::nullopt;
  return s;
}

}  // namespace wiresim::scenario
