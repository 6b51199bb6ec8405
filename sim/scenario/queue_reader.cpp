#include "wiresim/scenario/queue_reader.hpp"

#include <span>

#include <fmt/format.h>

#include "wiresim/scenario/enum_names.hpp"

namespace wiresim::scenario {
namespace {

constexpr std::string_view kDropTailKeys[] = {"discipline", "packets", "bytes"};
constexpr std::string_view kCodelKeys[] = {"discipline", "packets", "ecn", "target", "interval"};
constexpr std::string_view kFqCodelKeys[] = {"discipline", "packets", "ecn",     "target",
                                             "interval",   "flows",   "quantum"};
constexpr std::string_view kRedKeys[] = {"discipline", "packets", "bytes", "ecn",   "min",
                                         "max",        "max_p",   "weight", "avpkt", "gentle"};
constexpr std::int64_t kMaxQueuePackets = 1'000'000;
constexpr std::int64_t kMaxQueueBytes = std::int64_t{1} << 40;
/// Linux's default `limit` of sch_codel and sch_fq_codel (packets).
constexpr std::int64_t kCodelLimit = 1000;
constexpr std::int64_t kFqCodelLimit = 10240;

std::span<const std::string_view> keys_of(QueueDiscipline d) {
  switch (d) {
    case QueueDiscipline::kDropTail: return kDropTailKeys;
    case QueueDiscipline::kCodel: return kCodelKeys;
    case QueueDiscipline::kFqCodel: return kFqCodelKeys;
    case QueueDiscipline::kRed: return kRedKeys;
  }
  return kDropTailKeys;
}

void read_codel(ReadContext& ctx, const ConfigNode& map, QueueSpec& q) {
  const Duration hour = Duration::seconds(3600);
  if (const auto t = ctx.fields.duration(field(map, "target"), Duration::nanoseconds(1), hour)) q.target = *t;
  if (const auto t = ctx.fields.duration(field(map, "interval"), Duration::nanoseconds(1), hour)) q.interval = *t;
  if (q.discipline != QueueDiscipline::kFqCodel) return;
  // Linux fq_codel_change: 1..65536 flows, quantum at least 256.
  if (const auto n = ctx.fields.integer(field(map, "flows"), 1, 65536)) q.flows = *n;
  if (const auto n = ctx.fields.byte_size(field(map, "quantum"), 256, 1 << 20)) q.quantum = *n;
}

void read_red(ReadContext& ctx, const ConfigNode& map, QueueSpec& q, const std::string& context) {
  const Field min = field(map, "min");
  const Field max = field(map, "max");
  const std::string red_context = "in the red queue " + context;
  ctx.fields.require(min, map.where, red_context, "the min threshold of the average queue, such as 30kB");
  ctx.fields.require(max, map.where, red_context, "the max threshold of the average queue, such as 90kB");
  if (const auto n = ctx.fields.byte_size(min, 0, kMaxQueueBytes)) q.min = *n;
  if (const auto n = ctx.fields.byte_size(max, 1, kMaxQueueBytes)) q.max = *n;
  if (q.max != 0 && q.min >= q.max && max.value != nullptr) {
    ctx.fields.error(max.value->where, fmt::format("red max threshold {} bytes is not above min {} bytes (expected min < max)",
                                                   q.max, q.min));
  }
  for (const auto& [key, out] : {std::pair{"max_p", &q.max_p}, std::pair{"weight", &q.weight}}) {
    const Field f = field(map, key);
    const auto p = ctx.fields.probability(f);
    if (!p) continue;
    if (*p <= 0.0) {
      ctx.fields.error(f.value->where, fmt::format("red {} must be above 0 (expected {})", key, kProbabilityHint));
      continue;
    }
    *out = *p;
  }
  if (const auto n = ctx.fields.byte_size(field(map, "avpkt"), 1, 65535)) q.avpkt = *n;
  if (const auto g = ctx.fields.boolean(field(map, "gentle"))) q.gentle = *g;
}

}  // namespace

std::optional<QueueSpec> read_queue(ReadContext& ctx, const Field& f, const std::string& context) {
  if (f.value == nullptr ||
      !ctx.fields.expect_map(*f.value, "queue", "a map with packets and bytes, and a discipline")) {
    return std::nullopt;
  }
  const ConfigNode& map = *f.value;
  QueueSpec q;
  const Field discipline = field(map, "discipline");
  const auto d = ctx.fields.choice<QueueDiscipline>(discipline, kQueueDisciplineNames, "queue discipline");
  if (discipline.value != nullptr && !d) return std::nullopt;  // reported; its keys would only add noise
  if (d) q.discipline = *d;
  ctx.fields.check_keys(map, keys_of(q.discipline), "in the queue " + context);
  if (q.discipline == QueueDiscipline::kCodel) q.packets = kCodelLimit;
  if (q.discipline == QueueDiscipline::kFqCodel) {
    q.packets = kFqCodelLimit;
    q.ecn = true;  // fq_codel_init: cparams.ecn = true
  }
  if (const auto n = ctx.fields.integer(field(map, "packets"), 0, kMaxQueuePackets)) q.packets = *n;
  if (const auto n = ctx.fields.byte_size(field(map, "bytes"), 0, kMaxQueueBytes)) q.bytes = *n;
  if (const auto e = ctx.fields.boolean(field(map, "ecn"))) q.ecn = *e;
  if (q.discipline == QueueDiscipline::kCodel || q.discipline == QueueDiscipline::kFqCodel) read_codel(ctx, map, q);
  if (q.discipline == QueueDiscipline::kRed) read_red(ctx, map, q, context);
  return q;
}

}  // namespace wiresim::scenario
