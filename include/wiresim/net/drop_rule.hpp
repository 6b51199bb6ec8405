#pragma once
/// Explicit drops on one link direction, so a lab can force a specific loss
/// ("drop the 3rd packet", "drop the 2nd data segment from port 80").
///
/// Counting: a rule counts the packets of its direction that are put on the
/// wire (after the MTU and queue checks; packets lost by the loss model
/// count too) and that match its filter, starting at 1; it drops those whose
/// count is listed in `nth`. Rules count independently of one another.
/// Matching parses the frame bytes (Ethernet -> IPv4 -> TCP structure;
/// checksums are not verified). A frame that is not well-formed IPv4/TCP
/// never matches a TCP filter or a port.
///
/// Connections: the TCP connections whose segments cross this direction are
/// numbered 1, 2, ... in the order their first SYN (the opener's direction)
/// or SYN-ACK (the answerer's) crosses it; a SYN sent again keeps its
/// number. `connection` restricts a rule to one of them (and `nth` then
/// counts only its packets). `seq` selects by relative sequence number
/// (SEG.SEQ - ISN, as Wireshark shows it: the first data byte is 1): the
/// first packet of a connection that matches the filter and starts there is
/// dropped, once per connection; its retransmissions pass.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace wiresim::net {

enum class DropFilter : std::uint8_t {
  kAny,      ///< every packet (with a port set: every TCP packet)
  kTcpData,  ///< TCP with a payload
  kSyn,      ///< SYN without ACK
  kSynAck,   ///< SYN with ACK
  kFin,      ///< FIN set
  kRst,      ///< RST set
  kPureAck,  ///< ACK set, no payload, no SYN/FIN/RST
};

/// Scenario names: "any", "tcp_data", "syn", "synack", "fin", "rst", "pure_ack".
std::string_view to_string(DropFilter f);
std::optional<DropFilter> parse_drop_filter(std::string_view name);

struct DropRule {
  std::vector<std::uint64_t> nth;  ///< occurrences to drop, 1-based, any order (unused with seq)
  DropFilter filter = DropFilter::kAny;
  std::optional<std::uint16_t> src_port;  ///< TCP source port must equal this
  std::optional<std::uint16_t> dst_port;  ///< TCP destination port must equal this
  std::optional<std::uint32_t> connection;  ///< only the n-th connection on this direction (1-based)
  std::optional<std::uint32_t> seq;         ///< drop the first packet starting at this relative sequence
};

/// The rules of one link direction with their match counters.
class DropRuleSet {
 public:
  DropRuleSet() = default;
  /// Throws std::invalid_argument if an occurrence is 0.
  explicit DropRuleSet(std::vector<DropRule> rules);

  [[nodiscard]] bool empty() const { return rules_.empty(); }
  /// Counts `frame` against every rule; true if any rule drops it.
  bool should_drop(std::span<const std::uint8_t> frame) { return !rules_.empty() && count_frame(frame); }

  [[nodiscard]] std::size_t size() const { return rules_.size(); }
  [[nodiscard]] const DropRule& rule(std::size_t i) const { return rules_[i].rule; }
  /// Packets that matched rule i so far.
  [[nodiscard]] std::uint64_t matched(std::size_t i) const { return rules_[i].matched; }
  /// Packets rule i chose to drop so far (another rule may have chosen the same one).
  [[nodiscard]] std::uint64_t dropped(std::size_t i) const { return rules_[i].dropped; }

 private:
  /// should_drop's work, out of line: most links have no rules, and a
  /// link's per-frame path stays short (instruction cache) without it.
  [[gnu::noinline]] bool count_frame(std::span<const std::uint8_t> frame);
  /// What the filters look at, parsed once per frame.
  /// A plain struct with a validity flag rather than std::optional: g++ 12
  /// at -O3 reports optional's payload as maybe-uninitialized here.
  struct TcpSummary {
    bool valid = false;  ///< the frame is an unfragmented, well-formed TCP/IPv4 segment
    std::uint8_t flags = 0;
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::size_t payload_len = 0;
    std::uint32_t src_addr = 0;
    std::uint32_t dst_addr = 0;
    std::uint32_t seq = 0;
    std::uint32_t connection = 0;  ///< its connection's number; 0: none (no SYN seen)
    std::uint32_t rel_seq = 0;     ///< seq - ISN of its connection
  };
  struct State {
    DropRule rule;          ///< nth sorted ascending, no duplicates
    std::uint64_t matched = 0;
    std::uint64_t dropped = 0;  ///< occurrences this rule chose to drop
    std::size_t next = 0;   ///< index in rule.nth of the next occurrence to drop
    std::vector<std::uint32_t> seq_dropped;  ///< connections whose `seq` packet was dropped
  };
  /// A connection seen in this direction: its number and the ISN of the
  /// side that sends this way.
  struct Flow {
    std::uint32_t number = 0;
    std::uint32_t isn = 0;
  };
  using FlowKey = std::array<std::uint32_t, 3>;  ///< src addr, dst addr, ports
  static TcpSummary parse_tcp(std::span<const std::uint8_t> frame);
  /// Numbers the connection of `tcp` (SYN order) and fills in its fields.
  void classify(TcpSummary& tcp);
  static bool matches(const DropRule& r, const TcpSummary& tcp);
  /// Counts one match; true if this occurrence is listed (or is the `seq` one).
  static bool count(State& s, const TcpSummary& tcp);

  std::vector<State> rules_;
  bool needs_tcp_ = false;  ///< some rule looks at TCP fields
  bool needs_flows_ = false;  ///< some rule selects by connection or sequence number
  std::map<FlowKey, Flow> flows_;
  std::uint32_t connections_ = 0;
};

}  // namespace wiresim::net
