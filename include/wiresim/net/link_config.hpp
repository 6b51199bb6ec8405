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
  kAqm,        ///< an active queue manager's decision (RED, CoDel, FQ-CoDel)
};
inline constexpr std::size_t kDropCauseCount = 5;

/// "queue_full", "loss_model", "drop_rule", "too_big", "aqm".
std::string_view to_string(DropCause c);

/// The bottleneck queue's discipline.
enum class QueueDiscipline : std::uint8_t {
  kDropTail,  ///< FIFO, drop arrivals beyond the packet/byte limit
  kRed,       ///< Random Early Detection (Floyd & Jacobson 1993; Linux sch_red)
  kCodel,     ///< Controlled Delay (RFC 8289; Linux sch_codel)
  kFqCodel,   ///< Flow-queue CoDel (RFC 8290; Linux sch_fq_codel)
};
/// "drop_tail", "red", "codel", "fq_codel".
std::string_view to_string(QueueDiscipline d);

/// Parameters of the queue disciplines; each uses its own. The limits are
/// LinkDirectionConfig::queue_packets / queue_bytes (CoDel and FQ-CoDel:
/// packets only, as Linux's `limit`).
struct QueueDiscConfig {
  QueueDiscipline discipline = QueueDiscipline::kDropTail;
  /// Mark ECN-capable packets CE instead of dropping them (RFC 3168 §5;
  /// Linux's `ecn` flag of codel, fq_codel and red). Off as in Linux,
  /// except fq_codel, whose Linux default is on (the scenario decides).
  bool ecn = false;
  // CoDel and FQ-CoDel (RFC 8289 §4.2, §4.3; Linux codel_params_init)
  Duration target = Duration::milliseconds(5);     ///< acceptable standing queue delay
  Duration interval = Duration::milliseconds(100); ///< sliding window of the minimum delay
  // FQ-CoDel (RFC 8290 §4, §5.2; Linux fq_codel_init)
  std::uint32_t flows = 1024;    ///< flow queues
  std::uint32_t quantum = 1514;  ///< DRR quantum (bytes)
  // RED (Floyd & Jacobson 1993 §4; thresholds on the average queue in bytes, as Linux sch_red)
  std::size_t min_threshold = 0;  ///< bytes; 0: not given
  std::size_t max_threshold = 0;  ///< bytes; > min_threshold
  double max_p = 0.02;            ///< drop probability at max_threshold
  double weight = 0.002;          ///< w_q of the EWMA (F&J 1993 §11 suggest >= 0.001)
  std::size_t avpkt = 1000;       ///< typical packet (bytes) for the idle-time decay
  bool gentle = false;            ///< between max_th and 2 max_th p rises from max_p to 1 (Floyd 2000)
};

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
  QueueDiscConfig qdisc{};
  /// Duplication, corruption and reordering (impairment.hpp); none by default.
  ImpairmentConfig impairments{};
};

}  // namespace wiresim::net
