#pragma once
/// Reading `captures` and `traces`.

#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/read_context.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// Reads `captures` after nodes and links are known, registering each in
/// ctx.captures. File names are plain, unique and match the format.
std::vector<CaptureSpec> read_captures(ReadContext& ctx, const ConfigNode& root);
/// Reads `traces`.
TraceSpec read_traces(ReadContext& ctx, const ConfigNode& root);

}  // namespace wiresim::scenario
