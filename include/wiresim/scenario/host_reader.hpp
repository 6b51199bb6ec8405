#pragma once
/// Reading `hosts` (with their TCP settings) and `routers`.

#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/read_context.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// Reads `hosts`, registering each in ctx.nodes and ctx.host_addresses.
std::vector<HostSpec> read_hosts(ReadContext& ctx, const ConfigNode& root);
/// Reads `routers`, registering each in ctx.nodes.
std::vector<RouterSpec> read_routers(ReadContext& ctx, const ConfigNode& root);
/// Reads a host's `tcp` map: profile and per-field overrides.
TcpSpec read_tcp(ReadContext& ctx, const Field& tcp, std::string_view host);

}  // namespace wiresim::scenario
