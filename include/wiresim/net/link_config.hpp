#pragma once
/// Plain data describing one direction of a point-to-point link, and the
/// small enums links report with.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "wiresim/core/data_rate.hpp"
#include "wiresim/core/time.hpp"
#include "wiresim/net/drop_rule.hpp"
#include "wiresim/net/impairment.hpp"
#include "wiresim/net/loss_model.hpp"

namespace wiresim::net {

/// The two directions of a Link: from its end a to b, and back.
enum class LinkDirection : std::uint8_t { kAToB = 0, kBToA = 1 };

/// "a->b" / "b->a".
std::string_view to_string(LinkDirection d);

/// Why a link dropped a frame. Each drop is counted under exactly one cause;
/// a frame dropped by a rule and by the loss model at once counts as kDropRule.
enum class DropCause : std::uint8_t {
  kQueueFull,  ///< drop-tail: the queue was at its packet or byte limit
  kLossModel,  ///< random loss on the wire
  kDropRule,   ///< an explicit drop rule
  kTooBig,     ///< frame longer than mtu + 14 bytes
};
inline constexpr std::size_t kDropCauseCount = 4;

/// "queue_full", "loss_model", "drop_rule", "too_big".
std::string_view to_string(DropCause c);

struct LinkDirectionConfig {
  DataRate rate = DataRate::infinite();  ///< serialisation rate of this direction
  Duration delay{};                      ///< propagation delay, >= 0
  /// Each packet's propagation delay is delay + U[-jitter, +jitter] (integer
  /// ns, clamped at 0), but never so small that it would arrive before the
  /// previous packet of this direction: jitter does not reorder (only
  /// impairments.reorder does).
  Duration jitter{};
  /// Drop-tail limits on packets waiting for the wire (the one being
  /// serialised is not in the queue). 0 = no limit on that measure.
  std::size_t queue_packets = 0;
  std::size_t queue_bytes = 0;
  /// Largest IP packet, bytes: frames longer than mtu + 14 are dropped.
  std::size_t mtu = 1500;
  LossModelConfig loss{};
  std::vector<DropRule> drop_rules{};
  /// Duplication, corruption and reordering (impairment.hpp); none by default.
  ImpairmentConfig impairments{};
};

}  // namespace wiresim::net
