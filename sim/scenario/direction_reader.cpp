#include "wiresim/scenario/direction_reader.hpp"

#include <fmt/format.h>

#include "wiresim/scenario/enum_names.hpp"
#include "wiresim/scenario/queue_reader.hpp"

namespace wiresim::scenario {
namespace {

constexpr std::string_view kBernoulliKeys[] = {"model", "p"};
constexpr std::string_view kGilbertElliottKeys[] = {"model", "p", "r", "k", "h"};
constexpr std::string_view kReorderKeys[] = {"p", "gap", "delay"};
constexpr std::int64_t kMaxReorderGap = 1'000'000;
constexpr std::string_view kDropKeys[] = {"match", "nth", "src_port", "dst_port", "connection", "seq"};

/// `loss: { model: ..., p: ..., ... }`.
std::optional<LossSpec> read_loss_model(ReadContext& ctx, const ConfigNode& map, const std::string& context) {
  LossSpec loss;
  const Field model = field(map, "model");
  const auto m = ctx.fields.choice<LossModel>(model, kLossModelNames, "loss model");
  if (m) loss.model = *m;
  // With an invalid model, accept every parameter rather than report more.
  const bool ge = loss.model == LossModel::kGilbertElliott || (model.value != nullptr && !m);
  ctx.fields.check_keys(map, ge ? std::span<const std::string_view>(kGilbertElliottKeys)
                                : std::span<const std::string_view>(kBernoulliKeys),
                        "in the loss model " + context);
  const Field p = field(map, "p");
  ctx.fields.require(p, map.where, "in the loss model " + context, kProbabilityHint);
  loss.p = ctx.fields.probability(p).value_or(0.0);
  loss.r = 1.0 - loss.p;
  if (ge) {
    if (const auto r = ctx.fields.probability(field(map, "r"))) loss.r = *r;
    if (const auto k = ctx.fields.probability(field(map, "k"))) loss.k = *k;
    if (const auto h = ctx.fields.probability(field(map, "h"))) loss.h = *h;
  }
  return loss;
}

/// `loss: 2%` (Bernoulli) or a loss model map.
std::optional<LossSpec> read_loss(ReadContext& ctx, const Field& f, const std::string& context) {
  if (f.value == nullptr) return std::nullopt;
  if (f.value->is_map()) return read_loss_model(ctx, *f.value, context);
  const auto p = ctx.fields.probability(f);
  if (!p) return std::nullopt;
  return LossSpec{LossModel::kBernoulli, *p, 1.0 - *p, 1.0, 0.0};
}

/// `reorder: 25%` or `reorder: { p: 25%, gap: 5, delay: 1ms }` (tc-netem's
/// "reorder PERCENT gap DISTANCE"; gap defaults to 1 as tc sets it, delay
/// to 0: netem sends a reordered frame at once).
std::optional<ReorderSpec> read_reorder(ReadContext& ctx, const Field& f, const std::string& context) {
  if (f.value == nullptr) return std::nullopt;
  ReorderSpec r;
  if (!f.value->is_map()) {
    const auto p = ctx.fields.probability(f);
    if (!p) return std::nullopt;
    r.p = *p;
    return r;
  }
  const ConfigNode& map = *f.value;
  ctx.fields.check_keys(map, kReorderKeys, "in reorder " + context);
  const Field p = field(map, "p");
  ctx.fields.require(p, map.where, "in reorder " + context, kProbabilityHint);
  r.p = ctx.fields.probability(p).value_or(0.0);
  if (const auto gap = ctx.fields.integer(field(map, "gap"), 1, kMaxReorderGap)) r.gap = *gap;
  if (const auto d = ctx.fields.duration(field(map, "delay"))) r.delay = *d;
  return r;
}

std::optional<DropRule> read_drop_rule(ReadContext& ctx, const ConfigNode& item, const std::string& context) {
  if (!ctx.fields.expect_map(item, "drop rule", "a map with match, nth or seq, src_port, dst_port and connection")) {
    return std::nullopt;
  }
  ctx.fields.check_keys(item, kDropKeys, context);
  DropRule rule;
  if (const auto m = ctx.fields.choice<DropMatch>(field(item, "match"), kDropMatchNames, "packet match")) {
    rule.match = *m;
  }
  const Field nth = field(item, "nth");
  const Field seq = field(item, "seq");
  if (seq.value != nullptr && nth.value != nullptr) {
    ctx.fields.error(seq.value->where, fmt::format("both nth and seq {} (expected one of them: nth counts matching "
                                                   "packets, seq names one by its relative sequence number)",
                                                   context));
  } else if (seq.value == nullptr) {
    ctx.fields.require(nth, item.where, context, "which matching packets to drop, such as 2 or [2, 5]");
  }
  const auto range = ctx.fields.integer_range(nth, 1, std::int64_t{1} << 40, "a packet number such as 2, or a range [2, 5]");
  if (range) {
    rule.first_nth = range->first;
    rule.last_nth = range->second;
  }
  // Relative sequence numbers as Wireshark shows them: 0 is the SYN, 1 the first data byte.
  if (const auto n = ctx.fields.integer(seq, 0, 0xffffffffLL)) rule.seq = static_cast<std::uint32_t>(*n);
  if (const auto n = ctx.fields.integer(field(item, "connection"), 1, 1'000'000)) {
    rule.connection = static_cast<std::uint32_t>(*n);
  }
  rule.src_port = ctx.fields.port(field(item, "src_port"));
  rule.dst_port = ctx.fields.port(field(item, "dst_port"));
  return rule;
}

std::optional<std::vector<DropRule>> read_drop(ReadContext& ctx, const Field& f, const std::string& context) {
  if (f.value == nullptr) return std::nullopt;
  if (!ctx.fields.expect_sequence(*f.value, "drop", "a list of drop rules such as [{ match: syn, nth: 1 }]")) {
    return std::nullopt;
  }
  std::vector<DropRule> rules;
  for (std::size_t i = 0; i < f.value->items.size(); ++i) {
    const std::string rule_context = fmt::format("in drop rule {} {}", i + 1, context);
    if (auto rule = read_drop_rule(ctx, f.value->items[i], rule_context)) rules.push_back(*rule);
  }
  return rules;
}

}  // namespace

PartialDirection read_direction_keys(ReadContext& ctx, const ConfigNode& map, const std::string& context) {
  FieldReader& fields = ctx.fields;
  PartialDirection d;
  const Field bandwidth = field(map, "bandwidth");
  const Field delay = field(map, "delay");
  d.bandwidth = fields.data_rate(bandwidth);
  d.delay = fields.duration(delay);
  d.has_bandwidth_key = bandwidth.value != nullptr;
  d.has_delay_key = delay.value != nullptr;
  d.jitter = fields.duration(field(map, "jitter"));
  d.queue = read_queue(ctx, field(map, "queue"), context);
  d.mtu = fields.byte_size(field(map, "mtu"), 68, 65535);
  d.loss = read_loss(ctx, field(map, "loss"), context);
  d.drop = read_drop(ctx, field(map, "drop"), context);
  d.duplicate = fields.probability(field(map, "duplicate"));
  d.corrupt = fields.probability(field(map, "corrupt"));
  d.reorder = read_reorder(ctx, field(map, "reorder"), context);
  return d;
}

DirectionSpec merge_direction(const PartialDirection& common, const PartialDirection& specific) {
  const auto pick = [](const auto& over, const auto& base) { return over ? over : base; };
  DirectionSpec d;
  d.bandwidth = pick(specific.bandwidth, common.bandwidth).value_or(DataRate::infinite());
  d.delay = pick(specific.delay, common.delay).value_or(Duration::zero());
  d.jitter = pick(specific.jitter, common.jitter).value_or(Duration::zero());
  d.queue = pick(specific.queue, common.queue).value_or(QueueSpec{});
  d.mtu = pick(specific.mtu, common.mtu).value_or(1500);
  d.loss = pick(specific.loss, common.loss).value_or(LossSpec{});
  d.drop = pick(specific.drop, common.drop).value_or(std::vector<DropRule>{});
  d.impairments.duplicate = pick(specific.duplicate, common.duplicate).value_or(0.0);
  d.impairments.corrupt = pick(specific.corrupt, common.corrupt).value_or(0.0);
  d.impairments.reorder = pick(specific.reorder, common.reorder).value_or(ReorderSpec{});
  return d;
}

void check_reorder(ReadContext& ctx, const DirectionSpec& d, const SourceLocation& where, const std::string& scope) {
  const ReorderSpec& r = d.impairments.reorder;
  // tc-netem refuses "reorder" without a delay: a reordered frame would
  // arrive when the others do.
  if (r.p <= 0.0 || r.delay != d.delay || d.jitter > Duration::zero()) return;
  ctx.fields.error(where, fmt::format("reorder {} has no effect: a reordered frame takes the reorder delay ({}) "
                                      "instead of the link's, which is the same (expected a link delay, or "
                                      "reorder: {{ p: ..., delay: ... }} with another delay)",
                                      scope, to_string(r.delay)));
}

void report_missing(ReadContext& ctx, const DirectionLevels& levels, const SourceLocation& where,
                    const std::string& link) {
  const auto check = [&](std::string_view key, bool common, bool a_to_b, bool b_to_a, std::string_view hint) {
    if (common || (a_to_b && b_to_a)) return;
    const std::string scope = a_to_b   ? fmt::format("in b_to_a of link '{}'", link)
                              : b_to_a ? fmt::format("in a_to_b of link '{}'", link)
                                       : fmt::format("in link '{}'", link);
    ctx.fields.error(where, fmt::format("missing key '{}' {} (expected {})", key, scope, hint));
  };
  check("bandwidth", levels.common.has_bandwidth_key, levels.a_to_b.has_bandwidth_key,
        levels.b_to_a.has_bandwidth_key, kDataRateHint);
  check("delay", levels.common.has_delay_key, levels.a_to_b.has_delay_key, levels.b_to_a.has_delay_key,
        kDurationHint);
}

}  // namespace wiresim::scenario
