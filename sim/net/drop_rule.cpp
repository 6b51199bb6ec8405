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
    if (r.seq && !r.nth.empty()) throw std::invalid_argument("wiresim: a drop rule has either nth or seq");
    if (r.connection && *r.connection == 0) {
      throw std::invalid_argument("wiresim: drop rule connections are 1-based (connection must be >= 1)");
    }
    needs_flows_ = needs_flows_ || r.connection || r.seq;
    needs_tcp_ = needs_tcp_ || r.filter != DropFilter::kAny || r.src_port || r.dst_port || needs_flows_;
    rules_.push_back(State{std::move(r), 0, 0, 0, {}});
  }
}

bool DropRuleSet::count_frame(std::span<const std::uint8_t> frame) {
  TcpSummary tcp = needs_tcp_ ? parse_tcp(frame) : TcpSummary{};
  if (needs_flows_ && tcp.valid) classify(tcp);
  bool drop = false;
  for (State& s : rules_) {
    if (matches(s.rule, tcp) && count(s, tcp)) {
      ++s.dropped;
      drop = true;
    }
  }
  return drop;
}

void DropRuleSet::classify(TcpSummary& tcp) {
  const FlowKey key{tcp.src_addr, tcp.dst_addr, (std::uint32_t{tcp.src_port} << 16) | tcp.dst_port};
  auto it = flows_.find(key);
  if ((tcp.flags & wire::kSyn) != 0 && (tcp.flags & wire::kRst) == 0) {
    if (it == flows_.end()) {
      it = flows_.emplace(key, Flow{++connections_, tcp.seq}).first;
    } else {
      it->second.isn = tcp.seq;  // a SYN sent again (or a new incarnation) restarts the numbering
    }
  }
  if (it == flows_.end()) return;
  tcp.connection = it->second.number;
  tcp.rel_seq = tcp.seq - it->second.isn;
}

bool DropRuleSet::count(State& s, const TcpSummary& tcp) {
  ++s.matched;
  if (s.rule.seq) {
    if (tcp.connection == 0 || tcp.rel_seq != *s.rule.seq) return false;
    if (std::find(s.seq_dropped.begin(), s.seq_dropped.end(), tcp.connection) != s.seq_dropped.end()) return false;
    s.seq_dropped.push_back(tcp.connection);
    return true;
  }
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
  TcpSummary out{true, t.flags(), t.src_port(), t.dst_port(), t.payload().size()};
  out.src_addr = ip.value().src().raw();
  out.dst_addr = ip.value().dst().raw();
  out.seq = t.seq().raw();
  return out;
}

bool DropRuleSet::matches(const DropRule& r, const TcpSummary& tcp) {
  if (r.filter == DropFilter::kAny && !r.src_port && !r.dst_port && !r.connection && !r.seq) return true;
  if (!tcp.valid) return false;
  if (r.connection && *r.connection != tcp.connection) return false;
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
