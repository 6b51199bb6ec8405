#include "wiresim/scenario/host_reader.hpp"

#include <fmt/format.h>

#include "wiresim/scenario/enum_names.hpp"

namespace wiresim::scenario {
namespace {

constexpr std::string_view kHostKeys[] = {"address", "tcp"};
constexpr std::string_view kTcpKeys[] = {
    "profile",      "mss",         "rcv_buf", "snd_buf", "window_scale",       "sack",  "timestamps",
    "initial_cwnd", "delayed_ack", "min_rto", "msl",     "congestion_control", "nagle", "syn_retries",
    "ephemeral_ports", "delayed_fin_ack", "recovery", "frto", "undo", "dsack", "hystart", "ecn"};
constexpr std::int64_t kMaxBuffer = std::int64_t{1} << 30;

/// "false" (no window scale option) or a shift count 0..14 (RFC 7323 §2.3).
std::optional<int> read_window_scale(FieldReader& fields, const Field& f) {
  const auto shift = fields.parse<int>(f, "a shift count from 0 to 14, or false", [](std::string_view t) {
    if (const auto off = parse_bool(t); off && !*off.value) return ParseResult<int>::ok(kWindowScaleOff);
    const auto n = parse_unsigned(t);
    if (!n) return ParseResult<int>::fail(n.error);
    if (*n.value > 14) return ParseResult<int>::fail("out of range");
    return ParseResult<int>::ok(static_cast<int>(*n.value));
  });
  return shift;
}

/// The size, buffer and count fields of `tcp`.
void read_tcp_sizes(FieldReader& fields, const ConfigNode& tcp, TcpOverrides& o) {
  o.mss = fields.byte_size(field(tcp, "mss"), 64, 65495);
  o.rcv_buf = fields.byte_size(field(tcp, "rcv_buf"), 1, kMaxBuffer);
  o.snd_buf = fields.byte_size(field(tcp, "snd_buf"), 1, kMaxBuffer);
  o.window_scale = read_window_scale(fields, field(tcp, "window_scale"));
  o.initial_cwnd = fields.integer(field(tcp, "initial_cwnd"), 1, 1000);
  if (const auto n = fields.integer(field(tcp, "syn_retries"), 0, 20)) o.syn_retries = static_cast<int>(*n);
  const std::string_view range_hint = "a port range such as [49152, 65535]";
  if (const auto r = fields.integer_range(field(tcp, "ephemeral_ports"), 1, 65535, range_hint)) {
    o.ephemeral_ports = PortRange{static_cast<std::uint16_t>(r->first), static_cast<std::uint16_t>(r->second)};
  }
}

/// The timer, switch and algorithm fields of `tcp`.
void read_tcp_behaviour(FieldReader& fields, const ConfigNode& tcp, TcpOverrides& o) {
  o.sack = fields.boolean(field(tcp, "sack"));
  o.timestamps = fields.boolean(field(tcp, "timestamps"));
  o.nagle = fields.boolean(field(tcp, "nagle"));
  o.delayed_fin_ack = fields.boolean(field(tcp, "delayed_fin_ack"));
  // RFC 1122 §4.2.3.2: the ACK delay MUST be less than 0.5 seconds.
  o.delayed_ack = fields.duration(field(tcp, "delayed_ack"), Duration::zero(), Duration::milliseconds(500));
  o.min_rto = fields.duration(field(tcp, "min_rto"), Duration::zero(), Duration::seconds(60));
  o.msl = fields.duration(field(tcp, "msl"), Duration::zero(), Duration::seconds(300));
  o.congestion_control = fields.choice<CongestionControl>(field(tcp, "congestion_control"), kCongestionControlNames,
                                                          "congestion control");
  o.recovery = fields.choice<LossRecovery>(field(tcp, "recovery"), kLossRecoveryNames, "loss recovery");
  o.frto = fields.boolean(field(tcp, "frto"));
  o.undo = fields.boolean(field(tcp, "undo"));
  o.dsack = fields.boolean(field(tcp, "dsack"));
  o.hystart = fields.boolean(field(tcp, "hystart"));
  o.ecn = fields.choice<TcpEcn>(field(tcp, "ecn"), kTcpEcnNames, "ECN mode");
}

/// Reports `address` if another host already has it; registers it otherwise.
void register_host_address(ReadContext& ctx, const std::string& host, const InterfaceAddress& address,
                           const SourceLocation& where) {
  if (const auto it = ctx.host_by_address.find(address.address); it != ctx.host_by_address.end()) {
    ctx.fields.error(where, fmt::format("address {} is already used by host '{}' (expected a different address "
                                        "for each interface)",
                                        ipv4_to_string(address.address), it->second));
    return;
  }
  if (ctx.host_addresses.emplace(host, HostAddress{address, where}).second) {
    ctx.host_by_address.emplace(address.address, host);
  }
}

HostSpec read_host(ReadContext& ctx, const std::string& name, const ConfigNode::Entry& e) {
  const std::string context = fmt::format("in host '{}'", name);
  HostSpec host{name, {}, {}};
  if (!ctx.fields.expect_map(e.value, "host", "a map with address and tcp")) return host;
  ctx.fields.check_keys(e.value, kHostKeys, context);
  const Field address = field(e.value, "address");
  if (ctx.fields.require(address, e.key_where, context, kInterfaceAddressHint)) {
    if (const auto a = ctx.fields.interface_address(address)) {
      host.address = *a;
      register_host_address(ctx, name, *a, address.value->where);
    }
  }
  host.tcp = read_tcp(ctx, field(e.value, "tcp"), name);
  return host;
}

}  // namespace

TcpSpec read_tcp(ReadContext& ctx, const Field& tcp, std::string_view host) {
  TcpSpec spec;
  if (tcp.value == nullptr || !ctx.fields.expect_map(*tcp.value, "tcp", "a map with profile and TCP settings")) {
    return spec;
  }
  ctx.fields.check_keys(*tcp.value, kTcpKeys, fmt::format("in the tcp settings of host '{}'", host));
  if (const auto p = ctx.fields.choice<TcpProfile>(field(*tcp.value, "profile"), kTcpProfileNames, "TCP profile")) {
    spec.profile = *p;
  }
  read_tcp_sizes(ctx.fields, *tcp.value, spec.overrides);
  read_tcp_behaviour(ctx.fields, *tcp.value, spec.overrides);
  return spec;
}

std::vector<HostSpec> read_hosts(ReadContext& ctx, const ConfigNode& root) {
  std::vector<HostSpec> hosts;
  for_each_entry(ctx, root, "hosts", "host", [&](const std::string& name, const ConfigNode::Entry& e) {
    ctx.nodes.add(name, "host", e.key_where, ctx.fields);
    hosts.push_back(read_host(ctx, name, e));
  });
  return hosts;
}

std::vector<RouterSpec> read_routers(ReadContext& ctx, const ConfigNode& root) {
  std::vector<RouterSpec> routers;
  for_each_entry(ctx, root, "routers", "router", [&](const std::string& name, const ConfigNode::Entry& e) {
    ctx.nodes.add(name, "router", e.key_where, ctx.fields);
    if (ctx.fields.expect_map(e.value, "router", "a map (routers have no settings yet: {})")) {
      ctx.fields.check_keys(e.value, {}, fmt::format("in router '{}'", name));
    }
    routers.push_back(RouterSpec{name});
  });
  return routers;
}

}  // namespace wiresim::scenario
