#include "wiresim/net/drop_rule.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::net {

namespace {

constexpr std::array<std::string_view, 7> kFilterNames = {"any", "tcp_data", "syn", "synack",
                                                          "fin", "rst",      "pure_ack"};

}  // namespace

std::string_view to_string(DropFilter f) { return kFilterNames.at(static_cast<std::size_t>(f)); }

std::optional<DropFilter> parse_drop_filter(std::string_view name) {
  for (std::size_t i = 0; i < kFilterNames.size(); ++i) {
    if (kFilterNames[i] == name) return static_cast<DropFilter>(i);
  }
  return std::nullopt;
}

DropRuleSet::DropRuleSet(std::vector<DropRule> rules) {
  for (DropRule& r : rules) {
    if (std::find(r.nth.begin(), r.nth.end(), 0U) != r.nth.end()) {
      throw std::invalid_argument("wiresim: drop rule occurrences are 1-based (nth must be >= 1)");
    }
    std::sort(r.nth.begin(), r.nth.end());
    r.nth.erase(std::unique(r.nth.begin(), r.nth.end()), r.nth.end());
    needs_tcp_ = needs_tcp_ || r.filter != DropFilter::kAny || r.src_port || r.dst_port;
    rules_.push_back(State{std::move(r)});
  }
}

bool DropRuleSet::should_drop(std::span<const std::uint8_t> frame) {
  if (rules_.empty()) return false;
  const TcpSummary tcp = needs_tcp_ ? parse_tcp(frame) : TcpSummary{};
  bool drop = false;
  for (State& s : rules_) {
    if (matches(s.rule, tcp)) drop = count(s) || drop;
  }
  return drop;
}

bool DropRuleSet::count(State& s) {
  ++s.matched;
  if (s.next < s.rule.nth.size() && s.rule.nth[s.next] == s.matched) {
    ++s.next;
    return true;
  }
  return false;
}

DropRuleSet::TcpSummary DropRuleSet::parse_tcp(std::span<const std::uint8_t> frame) {
  const auto eth = wire::EthernetFrameView::check(frame);
  if (!eth || eth.value().ethertype() != wire::kEtherTypeIpv4) return {};
  const auto ip = wire::Ipv4PacketView::check(eth.value().payload());
  if (!ip || ip.value().protocol() != wire::kIpProtoTcp) return {};
  if (ip.value().more_fragments() || ip.value().fragment_offset() != 0) return {};
  const auto tcp = wire::TcpSegmentView::check(ip.value().payload());
  if (!tcp) return {};
  const wire::TcpSegmentView& t = tcp.value();
  return TcpSummary{true, t.flags(), t.src_port(), t.dst_port(), t.payload().size()};
}

bool DropRuleSet::matches(const DropRule& r, const TcpSummary& tcp) {
  if (r.filter == DropFilter::kAny && !r.src_port && !r.dst_port) return true;
  if (!tcp.valid) return false;
  if ((r.src_port && *r.src_port != tcp.src_port) || (r.dst_port && *r.dst_port != tcp.dst_port)) {
    return false;
  }
  const auto has = [&](wire::TcpFlag f) { return (tcp.flags & f) != 0; };
  switch (r.filter) {
    case DropFilter::kAny: return true;
    case DropFilter::kTcpData: return tcp.payload_len > 0;
    case DropFilter::kSyn: return has(wire::kSyn) && !has(wire::kAck);
    case DropFilter::kSynAck: return has(wire::kSyn) && has(wire::kAck);
    case DropFilter::kFin: return has(wire::kFin);
    case DropFilter::kRst: return has(wire::kRst);
    case DropFilter::kPureAck:
      return has(wire::kAck) && tcp.payload_len == 0 && !has(wire::kSyn) && !has(wire::kFin) &&
             !has(wire::kRst);
  }
  return false;
}

}  // namespace wiresim::net
