#include "wiresim/scenario/world.hpp"

#include <fmt/format.h>

#include "wiresim/http/site.hpp"
#include "wiresim/scenario/app_reader.hpp"
#include "wiresim/scenario/enum_names.hpp"
#include "wiresim/scenario/topology.hpp"
#include "wiresim/scenario/url_check.hpp"
#include "wiresim/wire/address.hpp"

namespace wiresim::scenario {

static_assert(kMaxSiteFileBytes == http::Site::kMaxFileBytes, "validation and loading use one per-file limit");
namespace {

using namespace wiresim::literals;

/// Simulated time between two polls of the interrupt flag.
constexpr Duration kSlice = 100_ms;
/// After the last client app finished, connections get this long to wind
/// down (teardown, TIME-WAIT of at most 2 * 300 s) before the run stops.
constexpr Duration kWindDown = Duration::seconds(900);

wire::Ipv4Prefix prefix_of(const InterfaceAddress& a) {
  return wire::Ipv4Prefix(wire::Ipv4Address(a.address), static_cast<std::uint8_t>(a.prefix_len));
}

net::DropFilter filter_of(DropMatch m) {
  switch (m) {
    case DropMatch::kAny: return net::DropFilter::kAny;
    case DropMatch::kTcpData: return net::DropFilter::kTcpData;
    case DropMatch::kSyn: return net::DropFilter::kSyn;
    case DropMatch::kSynAck: return net::DropFilter::kSynAck;
    case DropMatch::kFin: return net::DropFilter::kFin;
    case DropMatch::kRst: return net::DropFilter::kRst;
    case DropMatch::kPureAck: return net::DropFilter::kPureAck;
  }
  return net::DropFilter::kAny;
}

net::QueueDiscConfig queue_disc_config(const QueueSpec& q) {
  net::QueueDiscConfig c;
  switch (q.discipline) {
    case QueueDiscipline::kDropTail: c.discipline = net::QueueDiscipline::kDropTail; break;
    case QueueDiscipline::kRed: c.discipline = net::QueueDiscipline::kRed; break;
    case QueueDiscipline::kCodel: c.discipline = net::QueueDiscipline::kCodel; break;
    case QueueDiscipline::kFqCodel: c.discipline = net::QueueDiscipline::kFqCodel; break;
  }
  c.ecn = q.ecn;
  c.target = q.target;
  c.interval = q.interval;
  c.flows = static_cast<std::uint32_t>(q.flows);
  c.quantum = static_cast<std::uint32_t>(q.quantum);
  c.min_threshold = static_cast<std::size_t>(q.min);
  c.max_threshold = static_cast<std::size_t>(q.max);
  c.max_p = q.max_p;
  c.weight = q.weight;
  c.avpkt = static_cast<std::size_t>(q.avpkt);
  c.gentle = q.gentle;
  return c;
}

net::LinkDirectionConfig direction_config(const DirectionSpec& d) {
  net::LinkDirectionConfig c;
  c.rate = d.bandwidth;
  c.delay = d.delay;
  c.jitter = d.jitter;
  c.queue_packets = static_cast<std::size_t>(d.queue.packets);
  c.queue_bytes = static_cast<std::size_t>(d.queue.bytes);
  c.qdisc = queue_disc_config(d.queue);
  c.mtu = static_cast<std::size_t>(d.mtu);
  if (d.loss.model == LossModel::kGilbertElliott) {
    c.loss = net::LossModelConfig::gilbert_elliott({d.loss.p, d.loss.r, d.loss.k, d.loss.h});
  } else if (d.loss.p > 0.0) {
    c.loss = net::LossModelConfig::bernoulli(d.loss.p);
  }
  c.impairments.duplicate = d.impairments.duplicate;
  c.impairments.corrupt = d.impairments.corrupt;
  c.impairments.reorder = d.impairments.reorder.p;
  c.impairments.reorder_gap = static_cast<std::uint32_t>(d.impairments.reorder.gap);
  c.impairments.reorder_delay = d.impairments.reorder.delay;
  for (const DropRule& r : d.drop) {
    net::DropRule rule;
    if (!r.seq) {
      for (std::int64_t n = r.first_nth; n <= r.last_nth; ++n) rule.nth.push_back(static_cast<std::uint64_t>(n));
    }
    rule.connection = r.connection;
    rule.seq = r.seq;
    rule.filter = filter_of(r.match);
    rule.src_port = r.src_port;
    rule.dst_port = r.dst_port;
    c.drop_rules.push_back(std::move(rule));
  }
  return c;
}

}  // namespace

std::string_view to_string(StopReason r) {
  switch (r) {
    case StopReason::kIdle: return "idle";
    case StopReason::kTimeLimit: return "time_limit";
    case StopReason::kInterrupted: return "interrupted";
  }
  return "?";
}

tcp::TcpProfile tcp_profile_for(const TcpSpec& spec) {
  tcp::TcpProfile p = spec.profile == TcpProfile::kWindows   ? tcp::windows_profile()
                      : spec.profile == TcpProfile::kLinux61 ? tcp::linux_6_1_profile()
                                                             : tcp::linux_profile();
  const TcpOverrides& o = spec.overrides;
  if (o.mss) p.mss = static_cast<std::uint16_t>(*o.mss);
  if (o.rcv_buf) p.rcv_buf = static_cast<std::uint32_t>(*o.rcv_buf);
  if (o.snd_buf) p.snd_buf = static_cast<std::uint32_t>(*o.snd_buf);
  if (o.window_scale) {
    p.window_scaling = *o.window_scale != kWindowScaleOff;
    if (p.window_scaling) p.window_scale = static_cast<std::uint8_t>(*o.window_scale);
  }
  if (o.sack) p.sack = *o.sack;
  if (o.timestamps) p.timestamps = *o.timestamps;
  if (o.initial_cwnd) p.initial_cwnd_segments = static_cast<std::uint32_t>(*o.initial_cwnd);
  if (o.delayed_ack) p.delayed_ack = *o.delayed_ack;
  if (o.min_rto) p.min_rto = *o.min_rto;
  if (o.msl) p.msl = *o.msl;
  if (o.congestion_control) p.congestion_control = *o.congestion_control == CongestionControl::kCubic ? "cubic" : "newreno";
  if (o.nagle) p.nagle = *o.nagle;
  if (o.syn_retries) p.syn_retries = static_cast<std::uint32_t>(*o.syn_retries);
  if (o.delayed_fin_ack) p.delayed_fin_ack = *o.delayed_fin_ack;
  if (o.recovery) {
    p.loss_detection = *o.recovery == LossRecovery::kRackTlp ? tcp::LossDetection::kRackTlp : tcp::LossDetection::kDupAck;
  }
  if (o.frto) p.frto = *o.frto;
  if (o.undo) p.undo = *o.undo;
  if (o.dsack) p.dsack = *o.dsack;
  if (o.hystart) p.hystart = *o.hystart;
  if (o.ecn) {
    p.ecn = *o.ecn == TcpEcn::kOn ? tcp::EcnMode::kOn : *o.ecn == TcpEcn::kPassive ? tcp::EcnMode::kPassive : tcp::EcnMode::kOff;
  }
  if (o.ephemeral_ports) {
    p.ephemeral_first = o.ephemeral_ports->first;
    p.ephemeral_last = o.ephemeral_ports->last;
  }
  return p;
}

World::World(const Scenario& scenario, std::uint64_t seed, const std::filesystem::path& out_dir,
             const SiteSet* sites)
    : scenario_(scenario), sites_(sites), seed_(seed), out_dir_(out_dir) {
  build_nodes();
  build_links();
  install_routes();
  build_captures(out_dir);
  build_traces(out_dir);
  build_stacks();
  build_apps();
}

World::~World() = default;

void World::build_nodes() {
  std::uint32_t id = 0;
  for (const HostSpec& h : scenario_.hosts) {
    node_index_.emplace(h.name, nodes_.size());
    nodes_.push_back(std::make_unique<net::Node>(sim_, h.name, id++));
  }
  for (const RouterSpec& r : scenario_.routers) {
    node_index_.emplace(r.name, nodes_.size());
    nodes_.push_back(std::make_unique<net::Node>(sim_, r.name, id++));
    nodes_.back()->set_forwarding(true);
  }
}

/// One interface per link end, named eth0, eth1, ... per node in link order,
/// with MAC addresses 02:00:00:00:00:01, ... in link order.
void World::build_links() {
  std::uint32_t mac = 1;
  for (const LinkSpec& l : scenario_.links) {
    net::Node& na = node(l.a.node);
    net::Node& nb = node(l.b.node);
    net::Interface& ia = na.add_interface(fmt::format("eth{}", na.interface_count()), wire::MacAddress::local(mac++),
                                          prefix_of(l.a.address));
    net::Interface& ib = nb.add_interface(fmt::format("eth{}", nb.interface_count()), wire::MacAddress::local(mac++),
                                          prefix_of(l.b.address));
    link_ifaces_.emplace_back(ia.index(), ib.index());
    links_.push_back(std::make_unique<net::Link>(sim_, l.name, ia, ib, direction_config(l.a_to_b),
                                                 direction_config(l.b_to_a),
                                                 Rng::stream(seed_, "link/" + l.name + "/a->b"),
                                                 Rng::stream(seed_, "link/" + l.name + "/b->a")));
  }
}

void World::install_routes() {
  const RoutePlan plan = plan_routes(scenario_);
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    net::Node& n = node(plan.nodes[i]);
    for (const PlannedRoute& r : plan.routes[i]) {
      const LinkSpec& l = scenario_.links[r.link];
      const std::uint32_t iface = l.a.node == n.name() ? link_ifaces_[r.link].first : link_ifaces_[r.link].second;
      net::Route route;
      route.prefix = wire::Ipv4Prefix(wire::Ipv4Address(r.network), static_cast<std::uint8_t>(r.prefix_len));
      route.interface = iface;
      n.routes().add(route);
    }
  }
}

void World::build_captures(const std::filesystem::path& out_dir) {
  for (const CaptureSpec& c : scenario_.captures) {
    const auto format = c.format == CaptureFormat::kPcap ? capture::CaptureFormat::kPcap : capture::CaptureFormat::kPcapng;
    capture_files_.push_back(
        std::make_unique<capture::CaptureFile>((out_dir / c.file).string(), format, scenario_.start_time.unix_ns));
    capture::CaptureFile& file = *capture_files_.back();
    if (c.target == CaptureTarget::kNode) {
      node_taps_.push_back(std::make_unique<capture::NodeTap>(file, node(c.target_name)));
    } else {
      for (std::size_t i = 0; i < scenario_.links.size(); ++i) {
        if (scenario_.links[i].name == c.target_name) {
          link_taps_.push_back(std::make_unique<capture::LinkTap>(file, *links_[i]));
        }
      }
    }
  }
}

void World::build_traces(const std::filesystem::path& out_dir) {
  const TraceSpec& t = scenario_.traces;
  trace_files_ = std::make_unique<capture::TcpTraceFiles>(
      t.tcp_states ? (out_dir / "tcp-states.csv").string() : "", t.cwnd ? (out_dir / "tcp-cwnd.csv").string() : "",
      t.tcp_states ? (out_dir / "tcp-retransmits.csv").string() : "");
}

std::vector<capture::FrameSource> World::frame_sources_for(const net::Node& n) const {
  std::vector<capture::FrameSource> own;
  std::vector<capture::FrameSource> others;
  std::size_t tap = 0;
  for (const CaptureSpec& c : scenario_.captures) {
    if (c.target != CaptureTarget::kNode) continue;
    capture::NodeTap* t = node_taps_.at(tap++).get();
    (&t->node() == &n ? own : others).push_back(capture::FrameSource{c.name, t});
  }
  own.insert(own.end(), others.begin(), others.end());
  return own;
}

void World::build_stacks() {
  for (const HostSpec& h : scenario_.hosts) {
    net::Node& n = node(h.name);
    stacks_.push_back(std::make_unique<tcp::TcpStack>(sim_, n, pool_, tcp_profile_for(h.tcp),
                                                      Rng::stream(seed_, "host/" + h.name + "/tcp")));
    tcp::TcpStack& stack = *stacks_.back();
    n.register_handler(wire::kIpProtoTcp, stack);
    stack_by_host_.emplace(h.name, &stack);
    // Frame numbers come from the node's own capture, else from the first
    // other node capture that saw the segment (the client's, in the lab).
    host_traces_.push_back(
        std::make_unique<capture::HostTcpTrace>(h.name, *trace_files_, frame_sources_for(n), connections_));
    stack.set_observer(host_traces_.back().get());
  }
}

void World::build_apps() {
  for (const AppSpec& a : scenario_.apps) {
    if (const auto* server = std::get_if<HttpServerApp>(&a.config)) add_http_server(a.name, *server);
    if (const auto* browser = std::get_if<BrowserApp>(&a.config)) add_browser(a.name, *browser);
    if (const auto* b = std::get_if<BulkApp>(&a.config)) {
      std::uint32_t to_address = 0;  // validated: `to` is a host
      for (const HostSpec& h : scenario_.hosts) to_address = h.name == b->to ? h.address.address : to_address;
      ++client_apps_;
      bulk_.emplace_back(a.name, std::make_unique<BulkTransfer>(
                                     sim_, *stack_by_host_.at(b->from), *stack_by_host_.at(b->to),
                                     wire::Ipv4Address(to_address), b->port,
                                     static_cast<std::uint64_t>(b->bytes), Time::zero() + b->start, static_cast<AppDoneSink&>(*this)));
    }
    if (const auto* t = std::get_if<TeardownApp>(&a.config)) add_teardown(a.name, *t);
  }
}

namespace {

http::DelayRange delay_range(const DurationRange& r) { return http::DelayRange(r.min, r.max); }

std::string lower_case(std::string text) {
  for (char& c : text) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return text;
}

/// The server software of `a`: named, or what the host's OS runs
/// (a linux host serves with nginx, a windows host with IIS).
http::HttpServerConfig server_profile_for(const HttpServerApp& a, const std::vector<HostSpec>& hosts) {
  ServerProfile p = a.profile;
  if (p == ServerProfile::kAuto) {
    p = ServerProfile::kNginx;
    for (const HostSpec& h : hosts) {
      if (h.name == a.host && h.tcp.profile == TcpProfile::kWindows) p = ServerProfile::kIis;
    }
  }
  return p == ServerProfile::kIis ? http::iis_server() : http::nginx_server();
}

}  // namespace

void World::add_http_server(const std::string& name, const HttpServerApp& a) {
  http::HttpServerConfig c = server_profile_for(a, scenario_.hosts);
  c.port = a.port;
  if (a.keep_alive_timeout) c.keep_alive_timeout = *a.keep_alive_timeout;
  if (a.processing_delay) c.processing_delay = delay_range(*a.processing_delay);
  c.h2c = a.h2c;
  c.start_unix_ns = scenario_.start_time.unix_ns;
  const std::int64_t last_modified = site_last_modified(scenario_);
  std::shared_ptr<const http::Site> site = sites_ != nullptr ? sites_->find(a.site, last_modified) : nullptr;
  if (!site) site = std::make_shared<const http::Site>(http::Site::load(a.site, last_modified));
  servers_.emplace_back(name, std::make_unique<http::HttpServer>(sim_, *stack_by_host_.at(a.host), std::move(site),
                                                                 c, Rng::stream(seed_, "app/" + name)));
  servers_.back().second->start();
}

void World::add_browser(const std::string& name, const BrowserApp& a) {
  http::BrowserConfig c;
  c.name = name;
  c.url = a.url;
  c.profile = a.profile == BrowserProfile::kCurl ? http::curl_profile(a.parallel)
                                                 : *http::browser_profile_by_name(to_string(a.profile));
  c.extra_urls = a.extra_urls;
  if (a.profile == BrowserProfile::kCurl) c.profile.scan_subresources = !a.url_list;
  if (a.close_on_server_fin) c.profile.close_on_server_fin = *a.close_on_server_fin;
  if (a.max_connections) c.profile.max_connections = *a.max_connections;
  if (a.user_agent) c.profile.user_agent = *a.user_agent;
  if (a.preconnect_delay) c.profile.preconnect_delay = delay_range(*a.preconnect_delay);
  if (a.request_delay) c.profile.request_delay = delay_range(*a.request_delay);
  if (a.connect_delay) c.profile.connect_delay = delay_range(*a.connect_delay);
  if (a.read_delay) c.profile.read_delay = delay_range(*a.read_delay);
  if (a.renderer_delay) c.profile.renderer_delay = delay_range(*a.renderer_delay);
  if (a.favicon_delay) c.profile.favicon_delay = delay_range(*a.favicon_delay);
  if (a.close_after) c.profile.close_after = delay_range(*a.close_after);
  if (a.pipelining) c.profile.pipelining = *a.pipelining;
  if (a.backgrounds_wait_for_images) c.profile.backgrounds_wait_for_images = *a.backgrounds_wait_for_images;
  if (a.protocol == HttpProtocol::kH2) c.profile.protocol = http::Protocol::kH2c;
  c.page_loads = static_cast<std::uint32_t>(a.page_loads);
  c.think_time = a.think_time;
  c.start = Time::zero() + a.start;
  c.start_unix_ns = scenario_.start_time.unix_ns;
  // A URL names a host as DNS would, without regard to case (url_check.hpp);
  // http::Url lower-cases its host, so the names are looked up in lower case.
  const HostNames names(scenario_.hosts);
  for (const HostSpec& h : scenario_.hosts) {
    std::string key = lower_case(h.name);
    if (const auto named = names.find(key); named && *named == h.name) {
      c.hosts.emplace(std::move(key), wire::Ipv4Address(h.address.address));
    }
  }
  ++client_apps_;
  browsers_.emplace_back(name, std::make_unique<http::Browser>(sim_, *stack_by_host_.at(a.host), std::move(c),
                                                               Rng::stream(seed_, "app/" + name)));
  browsers_.back().second->set_observer(this);
  browsers_.back().second->start();
}

void World::add_teardown(const std::string& name, const TeardownApp& a) {
  std::uint32_t server_address = 0;  // validated: `server` is a host
  for (const HostSpec& h : scenario_.hosts) server_address = h.name == a.server ? h.address.address : server_address;
  ++client_apps_;
  teardowns_.emplace_back(name, std::make_unique<ScriptedClose>(sim_, *stack_by_host_.at(a.client),
                                                                *stack_by_host_.at(a.server),
                                                                wire::Ipv4Address(server_address), a,
                                                                static_cast<AppDoneSink&>(*this)));
}

void World::on_finished(http::Browser& /*b*/) { app_done(); }

void World::app_done() {
  ++apps_done_;
  if (apps_done_ == client_apps_) apps_done_at_ = sim_.now();
}

RunProgress World::progress_now(Time limit, bool finished) const {
  return RunProgress{sim_.now(), limit, sim_.events_executed(), client_apps_, apps_done_, finished};
}

StopReason World::run(const std::atomic<bool>* interrupted, const ProgressCallback& progress) {
  const Time limit = scenario_.stop.after ? Time::zero() + *scenario_.stop.after : Time::max();
  const auto stop = [&](StopReason r) {
    if (r != StopReason::kInterrupted) {
      // Connections still open have not reported their counters yet.
      for (std::size_t i = 0; i < stacks_.size(); ++i) {
        for (const tcp::TcpStack::OpenConnection& c : stacks_[i]->open_connections()) {
          connections_.push_back({scenario_.hosts[i].name, c.tuple, c.counters, c.state});
        }
      }
      // A page load still in progress will never finish: say so in its
      // results instead of leaving it blank.
      const std::string why = r == StopReason::kIdle
                                  ? fmt::format("the simulation went idle at {} s", to_string(sim_.now()))
                                  : fmt::format("the run reached its time limit at {} s", to_string(sim_.now()));
      for (auto& [name, browser] : browsers_) browser->abandon(why);
    }
    if (progress) progress(progress_now(limit, true));
    return r;
  };
  for (;;) {
    if (interrupted != nullptr && interrupted->load()) return stop(StopReason::kInterrupted);
    Time end = limit;
    if (scenario_.stop.when_apps_done && apps_done_at_) end = std::min(end, *apps_done_at_ + kWindDown);
    const Time next = sim_.next_event_time();
    if (next == Time::max()) return stop(StopReason::kIdle);
    if (next > end) {
      sim_.run_until(end);
      return stop(StopReason::kTimeLimit);
    }
    sim_.run_until(std::min(end, std::max(next, sim_.now()) + kSlice));
    if (progress) progress(progress_now(limit, false));
  }
}

void World::close_outputs() {
  for (const auto& [name, browser] : browsers_) {
    capture::BufferedFile har((out_dir_ / (name + ".har")).string());
    har.write_text(http::to_har_text(browser->har()));
    har.close();
  }
  for (auto& f : capture_files_) f->close();
  trace_files_->close();
}

std::vector<World::LinkView> World::links() const {
  std::vector<LinkView> out;
  for (std::size_t i = 0; i < links_.size(); ++i) out.push_back({&scenario_.links[i], links_[i].get()});
  return out;
}

std::vector<World::BulkView> World::bulk_apps() const {
  std::vector<BulkView> out;
  for (const auto& [name, app] : bulk_) out.push_back({name, app.get()});
  return out;
}

std::vector<World::TeardownView> World::teardown_apps() const {
  std::vector<TeardownView> out;
  for (const auto& [name, app] : teardowns_) out.push_back({name, app.get()});
  return out;
}

std::vector<World::BrowserView> World::browsers() const {
  std::vector<BrowserView> out;
  for (const auto& [name, app] : browsers_) out.push_back({name, app.get()});
  return out;
}

std::vector<World::ServerView> World::servers() const {
  std::vector<ServerView> out;
  for (const auto& [name, app] : servers_) out.push_back({name, app.get()});
  return out;
}

std::vector<World::CaptureView> World::captures() const {
  std::vector<CaptureView> out;
  for (std::size_t i = 0; i < capture_files_.size(); ++i) out.push_back({&scenario_.captures[i], capture_files_[i].get()});
  return out;
}

std::vector<World::StackView> World::stacks() const {
  std::vector<StackView> out;
  for (std::size_t i = 0; i < stacks_.size(); ++i) {
    const std::string& host = scenario_.hosts[i].name;
    out.push_back({host, stacks_[i].get(), nodes_.at(node_index_.at(host)).get()});
  }
  return out;
}

}  // namespace wiresim::scenario
