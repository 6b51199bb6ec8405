#pragma once
/// Reading a link direction's `queue`: its limits and its discipline
/// (drop_tail, red, codel, fq_codel) with that discipline's parameters.

#include <optional>
#include <string>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/read_context.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// `queue: { discipline: codel, target: 5ms, interval: 100ms, ecn: true, packets: 1000 }`;
/// nullopt when absent or invalid (reported). `context` is e.g. "in link 'lan'".
std::optional<QueueSpec> read_queue(ReadContext& ctx, const Field& f, const std::string& context);

}  // namespace wiresim::scenario
