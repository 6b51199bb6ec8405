#pragma once
/// Reading `links`: ends, addresses, and each direction's properties.

#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/read_context.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// Reads `links` after the nodes are known, registering each in ctx.links.
/// Checks that ends name nodes, that each interface address is used once,
/// and that both ends of a link share a subnet.
std::vector<LinkSpec> read_links(ReadContext& ctx, const ConfigNode& root);

}  // namespace wiresim::scenario
