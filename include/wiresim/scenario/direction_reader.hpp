#pragma once
/// Reading the properties of a link direction. A link gives them once for
/// both directions, and `a_to_b` / `b_to_a` override any of them.

#include <optional>
#include <string>
#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/read_context.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// The keys shared by a link and its direction overrides.
inline constexpr std::string_view kDirectionKeys[] = {"bandwidth", "delay", "jitter",    "queue",  "mtu",
                                                      "loss",      "drop",  "duplicate", "corrupt", "reorder"};

/// Direction properties as given at one level; unset = not given there.
struct PartialDirection {
  std::optional<DataRate> bandwidth;
  std::optional<Duration> delay;
  std::optional<Duration> jitter;
  std::optional<QueueSpec> queue;
  std::optional<std::int64_t> mtu;
  std::optional<LossSpec> loss;
  std::optional<std::vector<DropRule>> drop;
  std::optional<double> duplicate;
  std::optional<double> corrupt;
  std::optional<ReorderSpec> reorder;
  bool has_bandwidth_key = false;  ///< given, even if invalid (then reported already)
  bool has_delay_key = false;
};

/// Reads the direction keys of `map` (other keys are the caller's to check).
/// `context` is e.g. "in link 'lan'".
PartialDirection read_direction_keys(ReadContext& ctx, const ConfigNode& map, const std::string& context);

/// The three levels a link direction's properties come from.
struct DirectionLevels {
  PartialDirection common;  ///< the link's own keys, for both directions
  PartialDirection a_to_b;
  PartialDirection b_to_a;
};

/// `specific` over `common` over defaults (bandwidth and delay have none:
/// see report_missing).
DirectionSpec merge_direction(const PartialDirection& common, const PartialDirection& specific);

/// Reports a reorder that cannot change the order of direction `d`: its
/// reorder delay equals the link's delay and there is no jitter. `scope`
/// is e.g. "in a_to_b of link 'lan'".
void check_reorder(ReadContext& ctx, const DirectionSpec& d, const SourceLocation& where, const std::string& scope);

/// Reports a bandwidth or delay that some direction of link `link` lacks,
/// once per key, at `where`.
void report_missing(ReadContext& ctx, const DirectionLevels& levels, const SourceLocation& where,
                    const std::string& link);

}  // namespace wiresim::scenario
