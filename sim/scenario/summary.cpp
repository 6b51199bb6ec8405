#include "wiresim/scenario/summary.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "wiresim/capture/buffered_file.hpp"

#include "wiresim/scenario/enum_names.hpp"

namespace wiresim::scenario {
namespace {

using Json = nlohmann::ordered_json;

/// Times as exact decimal strings, never binary floating point.
std::string seconds(Time t) { return to_string(t); }

Json counters_json(const tcp::ConnectionCounters& c) {
  Json j{{"segments_sent", c.segments_sent},
              {"bytes_sent", c.bytes_sent},
              {"segments_received", c.segments_received},
              {"bytes_received", c.bytes_received},
              {"retransmits_timeout", c.retransmits_timeout},
              {"retransmits_fast", c.retransmits_fast},
              {"retransmits_sack", c.retransmits_sack},
              {"retransmits_tlp", c.retransmits_tlp},
              {"retransmitted_bytes", c.retransmitted_bytes},
              {"dup_acks_received", c.dup_acks_received},
              {"rto_expiries", c.rto_expiries},
              {"fast_recoveries", c.fast_recoveries},
              {"window_probes", c.window_probes},
              {"keepalive_probes", c.keepalive_probes},
              {"loss_probes", c.loss_probes},
              {"undos", c.undos}};
  // ECN counters only where ECN did something, so runs without it keep
  // their summaries unchanged.
  if (c.ce_received > 0) j["ce_received"] = c.ce_received;
  if (c.ecn_reductions > 0) j["ecn_reductions"] = c.ecn_reductions;
  return j;
}

/// Only for a direction with impairments, so other summaries stay as they were.
void add_impairments(Json& direction, const net::Impairments& im) {
  if (!im.config().any()) return;
  direction["impairments"] = Json{{"duplicated", im.stats().duplicated},
                                  {"corrupted", im.stats().corrupted},
                                  {"reordered", im.stats().reordered}};
}

/// True if some link direction of the world duplicates, corrupts or reorders.
bool has_impairments(const World& world) {
  for (const auto& l : world.links()) {
    for (const net::LinkDirection d : {net::LinkDirection::kAToB, net::LinkDirection::kBToA}) {
      if (l.link->channel(d).impairments().any()) return true;
    }
  }
  return false;
}

/// A host's IP-layer drops by cause, the causes that happened only (bad_checksum
/// is where a corrupted IPv4 header ends).
Json ip_drops_json(const net::NodeStats& s) {
  Json out = Json::object();
  for (std::size_t i = 0; i < net::kIpDropReasonCount; ++i) {
    if (s.drops[i] != 0) out[std::string(net::to_string(static_cast<net::IpDropReason>(i)))] = s.drops[i];
  }
  return out;
}

/// A drop-tail direction reports as before queue disciplines existed; an
/// AQM adds its name, its own drops ("aqm") and its CE marks.
Json direction_json(const net::LinkChannel& ch, const QueueSpec& queue) {
  const net::LinkStats& s = ch.stats();
  Json drops = Json::object();
  for (const net::DropCause c :
       {net::DropCause::kQueueFull, net::DropCause::kLossModel, net::DropCause::kDropRule, net::DropCause::kTooBig}) {
    drops[std::string(net::to_string(c))] = s.dropped(c);
  }
  const bool aqm = queue.discipline != QueueDiscipline::kDropTail;
  if (aqm) drops[std::string(net::to_string(net::DropCause::kAqm))] = s.dropped(net::DropCause::kAqm);
  Json j{{"packets_sent", s.packets_sent},      {"bytes_sent", s.bytes_sent},
         {"packets_delivered", s.packets_delivered}, {"bytes_delivered", s.bytes_delivered},
         {"peak_queue_packets", s.peak_queue_packets}, {"drops", drops}};
  if (aqm) {
    j["queue_discipline"] = std::string(name_of<QueueDiscipline>(kQueueDisciplineNames, queue.discipline));
    j["ecn_marked"] = s.ecn_marked;
  }
  add_impairments(j, ch.impairments());
  return j;
}

Json bulk_json(const std::string& name, const BulkTransfer& app) {
  const BulkResult& r = app.result();
  Json j{{"name", name},
         {"type", "bulk"},
         {"complete", app.finished() && r.error.empty()},
         {"bytes_sent", r.bytes_sent},
         {"bytes_received", r.bytes_received},
         {"bytes_corrupt", r.bytes_corrupt},
         {"start_s", seconds(r.started)}};
  if (r.completed) {
    const Duration d = *r.completed - r.started;
    j["completed_s"] = seconds(*r.completed);
    j["duration_s"] = to_string(Time::zero() + d);
    if (d > Duration::zero()) {
      __extension__ using Wide = __int128;
      j["goodput_bps"] = static_cast<std::int64_t>(static_cast<Wide>(r.bytes_received) * 8 * 1'000'000'000 / d.ns());
    }
  }
  j["error"] = r.error;
  return j;
}

Json teardown_json(const std::string& name, const ScriptedClose& app) {
  const ScriptedCloseResult& r = app.result();
  return Json{{"name", name},
              {"type", "teardown"},
              {"close", std::string(to_string(app.order()))},
              {"complete", app.finished() && r.error.empty()},
              {"client_bytes_received", r.client_received},
              {"server_bytes_received", r.server_received},
              {"first_close_s", r.first_close ? seconds(*r.first_close) : std::string{}},
              {"completed_s", r.completed ? seconds(*r.completed) : std::string{}},
              {"error", r.error}};
}

std::string opt_seconds(const std::optional<Time>& t) { return t ? seconds(*t) : std::string{}; }
std::string opt_duration(const std::optional<Duration>& d) { return d ? to_string(Time::zero() + *d) : std::string{}; }

Json page_load_json(const http::PageLoadResult& p) {
  return Json{{"index", p.index},
              {"url", p.url},
              {"start_s", seconds(p.start)},
              {"time_to_first_byte_s", opt_duration(p.time_to_first_byte())},
              {"html_complete_s", opt_seconds(p.html_complete)},
              {"onload_s", opt_seconds(p.onload)},
              {"page_load_time_s", opt_duration(p.page_load_time())},
              {"complete", p.complete()},
              {"ok", p.ok()},
              {"document_status", p.document_status()},
              {"connections_opened", p.connections_opened},
              {"bytes_received", p.bytes_received},
              {"objects", p.objects.size()},
              {"failed_objects", p.failed_objects()},
              {"error", p.error}};
}

Json browser_json(const std::string& name, const http::Browser& b) {
  Json loads = Json::array();
  for (const http::PageLoadResult& p : b.results()) loads.push_back(page_load_json(p));
  return Json{{"name", name}, {"type", "browser"}, {"profile", b.config().profile.name},
              {"protocol", http::to_string(b.config().profile.protocol)},
              {"max_connections", b.config().profile.max_connections}, {"finished", b.finished()},
              {"har", name + ".har"}, {"page_loads", loads}};
}

Json server_json(const std::string& name, const http::HttpServer& srv) {
  Json statuses = Json::object();
  for (const auto& [status, n] : srv.stats().responses_by_status) statuses[std::to_string(status)] = n;
  const http::HttpServerStats& x = srv.stats();
  return Json{{"name", name}, {"type", "http_server"}, {"connections_accepted", x.connections_accepted},
              {"requests", x.requests}, {"responses_by_status", statuses}, {"bytes_sent", x.bytes_sent},
              {"keep_alive_timeouts", x.keep_alive_timeouts}, {"parse_errors", x.parse_errors}};
}

/// "5" or "[5, 6]".
std::string nth_text(const DropRule& r) {
  return r.first_nth == r.last_nth ? std::to_string(r.first_nth) : fmt::format("[{}, {}]", r.first_nth, r.last_nth);
}

/// Why `rule` dropped nothing, having matched `matched` packets.
std::string never_fired(const DropRule& rule, std::uint64_t matched) {
  if (matched == 0) return fmt::format("drop rule {} never fired: no packet matched it", rule.origin);
  if (rule.seq) {
    return fmt::format("drop rule {} never fired: {} packet{} matched it, none starting at relative sequence {}",
                       rule.origin, matched, matched == 1 ? "" : "s", *rule.seq);
  }
  return fmt::format("drop rule {} never fired: {} packet{} matched it, fewer than its nth ({})", rule.origin, matched,
                     matched == 1 ? "" : "s", nth_text(rule));
}

}  // namespace

std::vector<std::string> run_warnings(const World& world) {
  struct Tally {
    const DropRule* rule;
    std::uint64_t matched = 0;
    std::uint64_t dropped = 0;
  };
  std::vector<std::string> out;
  for (const auto& l : world.links()) {
    std::vector<Tally> tallies;  // per origin, in order of first appearance (a link has few rules)
    for (const net::LinkDirection d : {net::LinkDirection::kAToB, net::LinkDirection::kBToA}) {
      const DirectionSpec& spec = d == net::LinkDirection::kAToB ? l.spec->a_to_b : l.spec->b_to_a;
      const net::DropRuleSet& set = l.link->channel(d).drop_rules();
      for (std::size_t i = 0; i < spec.drop.size() && i < set.size(); ++i) {
        auto it = std::find_if(tallies.begin(), tallies.end(),
                               [&](const Tally& t) { return t.rule->origin == spec.drop[i].origin; });
        if (it == tallies.end()) it = tallies.insert(tallies.end(), Tally{&spec.drop[i]});
        it->matched += set.matched(i);
        it->dropped += set.dropped(i);
      }
    }
    for (const Tally& t : tallies) {
      if (t.dropped == 0) out.push_back(never_fired(*t.rule, t.matched));
    }
  }
  return out;
}

std::string summary_json(const World& world, const RunOptions& options, StopReason reason) {
  const Scenario& s = world.scenario();
  Json j;
  j["scenario"] = s.name;
  j["scenario_file"] = options.scenario_file.generic_string();
  j["seed"] = options.seed;
  j["overrides"] = options.overrides;
  // The Unix time of simulated t=0: capture timestamps less this are simulated times.
  j["start_unix_ns"] = s.start_time.unix_ns;
  j["simulation"] = Json{{"stopped_by", std::string(to_string(reason))},
                         {"end_time_s", seconds(world.simulator().now())},
                         {"events", world.simulator().events_executed()},
                         {"client_apps", world.client_apps()},
                         {"client_apps_finished", world.client_apps_done()}};
  if (world.apps_done_at()) j["simulation"]["apps_finished_s"] = seconds(*world.apps_done_at());
  j["warnings"] = run_warnings(world);
  Json apps = Json::array();
  for (const auto& b : world.bulk_apps()) apps.push_back(bulk_json(b.name, *b.app));
  for (const auto& t : world.teardown_apps()) apps.push_back(teardown_json(t.name, *t.app));
  for (const auto& b : world.browsers()) apps.push_back(browser_json(b.name, *b.app));
  for (const auto& srv : world.servers()) apps.push_back(server_json(srv.name, *srv.app));
  j["apps"] = apps;
  Json conns = Json::array();
  for (const capture::ConnectionRecord& c : world.connections()) {
    conns.push_back(Json{{"node", c.node},
                         {"local", tcp::to_string(c.tuple.local)},
                         {"remote", tcp::to_string(c.tuple.remote)},
                         {"state_at_end", tcp::to_string(c.state_at_end)},
                         {"counters", counters_json(c.counters)}});
  }
  j["connections"] = conns;
  Json links = Json::array();
  for (const auto& l : world.links()) {
    links.push_back(Json{{"name", l.spec->name},
                         {"a", l.spec->a.node},
                         {"b", l.spec->b.node},
                         {"a_to_b", direction_json(l.link->channel(net::LinkDirection::kAToB), l.spec->a_to_b.queue)},
                         {"b_to_a", direction_json(l.link->channel(net::LinkDirection::kBToA), l.spec->b_to_a.queue)}});
  }
  j["links"] = links;
  Json stacks = Json::array();
  const bool impaired = has_impairments(world);
  for (const auto& st : world.stacks()) {
    const tcp::TcpStackStats& x = st.stack->stats();
    stacks.push_back(Json{{"host", st.host},
                          {"segments_sent", x.segments_sent},
                          {"segments_received", x.segments_received},
                          {"bad_checksum", x.bad_checksum},
                          {"malformed", x.malformed},
                          {"resets_sent", x.resets_sent},
                          {"active_opens", x.active_opens},
                          {"passive_opens", x.passive_opens}});
    if (impaired) stacks.back()["ip_drops"] = ip_drops_json(st.node->stats());
  }
  j["tcp"] = stacks;
  Json caps = Json::array();
  for (const auto& c : world.captures()) {
    caps.push_back(Json{{"name", c.spec->name},
                        {c.spec->target == CaptureTarget::kNode ? "node" : "link", c.spec->target_name},
                        {"file", c.spec->file},
                        {"frames", c.file->frames_written()}});
  }
  j["captures"] = caps;
  return j.dump(2) + "\n";
}

void write_outputs(World& world, const RunOptions& options, StopReason reason, const std::filesystem::path& dir) {
  world.close_outputs();
  capture::BufferedFile summary((dir / "summary.json").string());
  summary.write_text(summary_json(world, options, reason));
  summary.close();
}

std::string summary_text(const World& world, StopReason reason, const std::string& out_dir) {
  std::string out = fmt::format("{}: simulated {} s, {} events, stopped: {}\n", world.scenario().name,
                                to_string(world.simulator().now()), world.simulator().events_executed(),
                                to_string(reason));
  for (const auto& b : world.bulk_apps()) {
    const BulkResult& r = b.app->result();
    if (r.completed) {
      const Duration d = *r.completed - r.started;
      out += fmt::format("  {}: {} bytes in {} s ({:.2f} Mbit/s){}\n", b.name, r.bytes_received,
                         to_string(Time::zero() + d),
                         static_cast<double>(r.bytes_received) * 8e3 / static_cast<double>(std::max<std::int64_t>(d.ns(), 1)),
                         r.error.empty() ? "" : " error: " + r.error);
    } else {
      out += fmt::format("  {}: incomplete, {} of {} bytes{}\n", b.name, r.bytes_received, r.bytes_sent,
                         r.error.empty() ? "" : " error: " + r.error);
    }
  }
  for (const auto& t : world.teardown_apps()) {
    const ScriptedCloseResult& r = t.app->result();
    out += fmt::format("  {}: {} close, {}\n", t.name, to_string(t.app->order()),
                       r.error.empty() ? (t.app->finished() ? "done" : "incomplete") : "error: " + r.error);
  }
  for (const auto& b : world.browsers()) {
    for (const http::PageLoadResult& p : b.app->results()) {
      const auto plt = p.page_load_time();
      // A failed load has no page load time (PageLoadResult::page_load_time).
      out += fmt::format("  {} load {}: {}, {} objects, {} connections{}\n", b.name, p.index,
                         plt ? fmt::format("page load time {:.3f} ms", static_cast<double>(plt->ns()) / 1e6)
                             : std::string(p.complete() ? "FAILED" : "incomplete"),
                         p.objects.size(),
                         p.connections_opened, p.error.empty() ? "" : ", error: " + p.error);
    }
  }
  std::uint64_t rtx = 0;
  std::size_t open = 0;
  for (const capture::ConnectionRecord& c : world.connections()) {
    rtx += c.counters.retransmits_timeout + c.counters.retransmits_fast + c.counters.retransmits_sack +
           c.counters.retransmits_tlp;
    if (c.state_at_end != tcp::TcpState::kClosed) ++open;
  }
  out += fmt::format("  connections: {}{}, retransmitted segments: {}\n", world.connections().size(),
                     open == 0 ? std::string{} : fmt::format(" ({} still open)", open), rtx);
  for (const auto& l : world.links()) {
    std::uint64_t drops = 0;
    for (const net::LinkDirection d : {net::LinkDirection::kAToB, net::LinkDirection::kBToA}) {
      drops += l.link->stats(d).dropped_total();
    }
    out += fmt::format("  link {}: {} drops\n", l.spec->name, drops);
  }
  out += fmt::format("  outputs: {}\n", out_dir);
  return out;
}

}  // namespace wiresim::scenario
