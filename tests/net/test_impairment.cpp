// Link impairments as Linux netem has them (sch_netem.c netem_enqueue):
// exact scenarios for reorder (gap and delay), duplicate and corrupt, and
// the independence of their random streams.
#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "net_test_util.hpp"
#include "wiresim/core/data_rate.hpp"
#include "wiresim/net/impairment.hpp"
#include "wiresim/net/link.hpp"

using namespace wiresim;
using namespace wiresim::net;
using namespace wiresim::literals;
using wiresim::net::test::ObservedEvent;
using wiresim::net::test::TwoNodes;
using Ns = std::vector<std::int64_t>;
using Uids = std::vector<std::uint64_t>;

namespace {

constexpr std::int64_t kMs = 1'000'000;

void at(TwoNodes& n, std::int64_t t_ns, std::size_t len) {
  n.sim.schedule_at(Time::from_ns(t_ns), [&n, len] { n.send_frame(len); });
}

void check_invariants(const LinkChannel& ch) {
  const LinkStats& s = ch.stats();
  CHECK(s.packets_offered == s.packets_sent + s.dropped(DropCause::kTooBig) + s.dropped(DropCause::kQueueFull));
  CHECK(s.packets_sent ==
        s.packets_delivered + s.dropped(DropCause::kLossModel) + s.dropped(DropCause::kDropRule) + ch.in_flight());
}

/// Infinite rate, 10 ms delay: a frame sent at t arrives at t + 10 ms.
LinkDirectionConfig ten_ms() {
  LinkDirectionConfig c;
  c.delay = 10_ms;
  return c;
}

/// Frames sent one per millisecond from t = 0, uids 1..count.
void send_one_per_ms(TwoNodes& n, int count) {
  for (int i = 0; i < count; ++i) at(n, i * kMs, 100);
}

/// Positions of the bits in which two equally long byte strings differ.
std::vector<std::size_t> differing_bits(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const unsigned diff = static_cast<unsigned>(a[i] ^ b[i]);
    for (std::size_t bit = 0; bit < 8; ++bit) {
      if ((diff >> bit) & 1u) out.push_back(i * 8 + bit);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("reorder 100% gap 3: every third frame is sent at once, the others wait the delay",
          "[net][impairment][reorder]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_ms();
  c.impairments.reorder = 1.0;
  c.impairments.reorder_gap = 3;
  n.make_link(c);
  send_one_per_ms(n, 7);
  n.sim.run();
  // netem: counter < gap - 1 keeps frames 1, 2 (and 4, 5) in order; frames 3
  // and 6 are reordered (time_to_send = now) and reset the counter.
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{3, 6, 1, 2, 4, 5, 7});
  CHECK(n.rec.times(ObservedEvent::kReceive) == Ns{2 * kMs, 5 * kMs, 10 * kMs, 11 * kMs, 13 * kMs, 14 * kMs, 16 * kMs});
  CHECK(n.ab().impairments().stats().reordered == 2);
  check_invariants(n.ab());
}

TEST_CASE("reorder with a delay longer than the link's holds the frame back", "[net][impairment][reorder]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_ms();
  c.impairments.reorder = 1.0;
  c.impairments.reorder_gap = 2;
  c.impairments.reorder_delay = 12500_us;
  n.make_link(c);
  send_one_per_ms(n, 5);
  n.sim.run();
  // Frames 2 and 4 take 12.5 ms; 3 and 5 pass them.
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1, 3, 2, 5, 4});
  CHECK(n.rec.times(ObservedEvent::kReceive) == Ns{10 * kMs, 12 * kMs, 13'500'000, 14 * kMs, 15'500'000});
}

TEST_CASE("a reordered frame arriving at the same time as an earlier one comes after it", "[net][impairment][reorder]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_ms();
  c.impairments.reorder = 1.0;
  c.impairments.reorder_gap = 2;
  c.impairments.reorder_delay = 9_ms;
  n.make_link(c);
  send_one_per_ms(n, 2);  // frame 1 at 10 ms; frame 2 at 1 + 9 = 10 ms
  n.sim.run();
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1, 2});
  CHECK(n.rec.times(ObservedEvent::kReceive) == Ns{10 * kMs, 10 * kMs});
}

TEST_CASE("reorder with probability 25% and gap 1 reorders about a quarter, never a lost frame",
          "[net][impairment][reorder]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_ms();
  c.loss = LossModelConfig::bernoulli(0.1);
  c.impairments.reorder = 0.25;
  n.make_link(c, {}, 7);
  constexpr int kFrames = 4000;
  send_one_per_ms(n, kFrames);
  n.sim.run();
  const std::uint64_t delivered = n.ab().stats().packets_delivered;
  const std::uint64_t reordered = n.ab().impairments().stats().reordered;
  // Binomial(delivered, 0.25): sigma about 26 for 3600 frames; +-4 sigma.
  CHECK(static_cast<double>(reordered) >= 0.25 * static_cast<double>(delivered) - 110);
  CHECK(static_cast<double>(reordered) <= 0.25 * static_cast<double>(delivered) + 110);
  // Each reordered frame arrives 10 ms early: exactly at its send time.
  std::uint64_t at_send_time = 0;
  for (const ObservedEvent& e : n.rec.of(ObservedEvent::kReceive)) {
    if (e.t_ns == static_cast<std::int64_t>(e.uid - 1) * kMs) ++at_send_time;
  }
  CHECK(at_send_time == reordered);
  check_invariants(n.ab());
}

TEST_CASE("duplicate 100%: each frame is followed by an exact copy with its own uid", "[net][impairment][duplicate]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_ms();
  c.rate = DataRate::mbps(10);
  c.impairments.duplicate = 1.0;
  n.make_link(c);
  n.send_frame(1514);
  n.send_frame(1000);
  n.sim.run();
  const std::vector<ObservedEvent> rx = n.rec.of(ObservedEvent::kReceive);
  REQUIRE(rx.size() == 4);
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1, 2, 3, 4});
  CHECK(rx[0].bytes == rx[1].bytes);
  CHECK(rx[2].bytes == rx[3].bytes);
  CHECK(rx[0].bytes != rx[2].bytes);
  // The copy serialises behind the original: 1514 bytes at 10 Mbit/s each.
  constexpr std::int64_t kTx1514 = 1'211'200;
  CHECK(rx[1].t_ns == 2 * kTx1514 + 10 * kMs);
  CHECK(n.rec.uids(ObservedEvent::kWire) == Uids{1, 2, 3, 4});
  CHECK(n.ab().impairments().stats().duplicated == 2);
  CHECK(n.ab().stats().packets_offered == 4);
  check_invariants(n.ab());
}

TEST_CASE("a duplicate meets the loss model on its own", "[net][impairment][duplicate]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_ms();
  c.impairments.duplicate = 1.0;
  c.drop_rules = {DropRule{{2}, DropFilter::kAny, {}, {}, {}, {}}};  // the second frame on the wire: the copy
  n.make_link(c);
  n.send_frame(100);
  n.sim.run();
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1});
  CHECK(n.rec.uids(ObservedEvent::kDrop) == Uids{2});
  check_invariants(n.ab());
}

TEST_CASE("corrupt 100%: every frame arrives with exactly one bit flipped in its IP packet",
          "[net][impairment][corrupt]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_ms();
  c.impairments.corrupt = 1.0;
  n.make_link(c, {}, 3);
  constexpr int kFrames = 200;
  std::vector<std::vector<std::uint8_t>> sent;
  for (int i = 0; i < kFrames; ++i) {
    Packet p = test::build_frame_of_size(n.pool, 54 + static_cast<std::size_t>(i % 7) * 100);
    sent.emplace_back(p.bytes().begin(), p.bytes().end());
    n.ia.transmit(std::move(p));
  }
  n.sim.run();
  const std::vector<ObservedEvent> rx = n.rec.of(ObservedEvent::kReceive);
  REQUIRE(rx.size() == kFrames);
  for (std::size_t i = 0; i < rx.size(); ++i) {
    const std::vector<std::size_t> bits = differing_bits(sent[i], rx[i].bytes);
    REQUIRE(bits.size() == 1);
    CHECK(bits[0] >= 14 * 8);  // never in the Ethernet header
  }
  CHECK(n.ab().impairments().stats().corrupted == kFrames);
  // Node b has no TCP handler: an intact frame would end as no_handler. Every
  // corrupted one fails the IPv4 header's checks or reaches "no handler" with
  // a bad TCP checksum that only TCP would see; none is taken as good IP with
  // a wrong header.
  const NodeStats& s = n.b.stats();
  CHECK(s.dropped(IpDropReason::kBadChecksum) + s.dropped(IpDropReason::kMalformedIpv4) +
            s.dropped(IpDropReason::kNoHandler) + s.dropped(IpDropReason::kNotForUs) ==
        kFrames);
  CHECK(s.dropped(IpDropReason::kBadChecksum) > 0);
}

TEST_CASE("impairment streams are independent of each other and of loss and jitter", "[net][impairment][rng]") {
  const auto run = [](const ImpairmentConfig& im) {
    TwoNodes n;
    LinkDirectionConfig c = ten_ms();
    c.jitter = 3_ms;
    c.loss = LossModelConfig::bernoulli(0.2);
    c.impairments = im;
    n.make_link(c, {}, 11);
    for (int i = 0; i < 500; ++i) at(n, i * 5 * kMs, 200);  // 5 ms apart: jitter cannot reach the next
    n.sim.run();
    return std::pair{n.rec.uids(ObservedEvent::kDrop), n.rec.times(ObservedEvent::kReceive)};
  };
  const auto plain = run({});
  ImpairmentConfig corrupt;
  corrupt.corrupt = 0.5;
  const auto with_corrupt = run(corrupt);
  // The same frames lost, each delivered at the same time.
  CHECK(with_corrupt.first == plain.first);
  CHECK(with_corrupt.second == plain.second);
  ImpairmentConfig none_drawn;
  none_drawn.duplicate = 0.0;
  none_drawn.reorder_gap = 4;
  CHECK(run(none_drawn) == plain);
}

TEST_CASE("the same seed gives the same impairments", "[net][impairment][determinism]") {
  const auto run = [](std::uint64_t seed) {
    TwoNodes n;
    LinkDirectionConfig c = ten_ms();
    c.impairments.duplicate = 0.3;
    c.impairments.corrupt = 0.3;
    c.impairments.reorder = 0.3;
    n.make_link(c, {}, seed);
    send_one_per_ms(n, 300);
    n.sim.run();
    std::vector<std::vector<std::uint8_t>> out;
    for (const ObservedEvent& e : n.rec.of(ObservedEvent::kReceive)) out.push_back(e.bytes);
    return std::pair{n.rec.uids(ObservedEvent::kReceive), out};
  };
  CHECK(run(5) == run(5));
  CHECK(run(5) != run(6));
}

TEST_CASE("invalid impairments are rejected", "[net][impairment]") {
  Rng rng(1);
  ImpairmentConfig c;
  c.duplicate = 1.5;
  CHECK_THROWS_AS(Impairments(c, rng), std::invalid_argument);
  c = {};
  c.reorder_gap = 0;
  CHECK_THROWS_AS(Impairments(c, rng), std::invalid_argument);
  c = {};
  c.reorder_delay = Duration::nanoseconds(-1);
  CHECK_THROWS_AS(Impairments(c, rng), std::invalid_argument);
}
