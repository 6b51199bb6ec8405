#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <vector>

#include "net_test_util.hpp"
#include "wiresim/core/data_rate.hpp"
#include "wiresim/net/link.hpp"

using namespace wiresim;
using namespace wiresim::net;
using namespace wiresim::literals;
using wiresim::net::test::build_frame_of_size;
using wiresim::net::test::ObservedEvent;
using wiresim::net::test::Recorder;
using wiresim::net::test::TwoNodes;
using Ns = std::vector<std::int64_t>;
using Uids = std::vector<std::uint64_t>;

namespace {

LinkDirectionConfig ten_mbps_20ms() {
  LinkDirectionConfig c;
  c.rate = DataRate::mbps(10);
  c.delay = 20_ms;
  return c;
}

/// 1514 bytes at 10 Mbit/s: 1514 * 8 / 1e7 s.
constexpr std::int64_t kTx1514 = 1'211'200;
constexpr std::int64_t kDelay = 20'000'000;

void at(TwoNodes& n, std::int64_t t_ns, std::size_t len) {
  n.sim.schedule_at(Time::from_ns(t_ns), [&n, len] { n.send_frame(len); });
}

void check_invariants(const LinkChannel& ch) {
  const LinkStats& s = ch.stats();
  CHECK(s.packets_offered == s.packets_sent + s.dropped(DropCause::kTooBig) + s.dropped(DropCause::kQueueFull));
  CHECK(s.packets_sent ==
        s.packets_delivered + s.dropped(DropCause::kLossModel) + s.dropped(DropCause::kDropRule) + ch.in_flight());
}

}  // namespace

TEST_CASE("link serialisation delay then propagation delay", "[net][link]") {
  TwoNodes n;
  n.make_link(ten_mbps_20ms());
  n.send_frame(1514);
  n.sim.run();
  CHECK(n.rec.times(ObservedEvent::kReceive) == Ns{kTx1514 + kDelay});  // 21,211,200 ns
  const LinkStats& s = n.ab().stats();
  CHECK(s.packets_delivered == 1);
  CHECK(s.bytes_delivered == 1514);
  check_invariants(n.ab());
}

TEST_CASE("back-to-back packets queue behind each other", "[net][link]") {
  TwoNodes n;
  n.make_link(ten_mbps_20ms());
  for (int i = 0; i < 3; ++i) n.send_frame(1514);
  at(n, 30'000'000, 1514);  // the wire is idle again by then
  n.sim.run();
  CHECK(n.rec.times(ObservedEvent::kReceive) ==
        Ns{21'211'200, 22'422'400, 23'633'600, 30'000'000 + kTx1514 + kDelay});
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1, 2, 3, 4});
  CHECK(n.ab().stats().peak_queue_packets == 2);
  CHECK(n.ab().stats().peak_queue_bytes == 2 * 1514);
}

TEST_CASE("the link keeps one pending event per direction", "[net][link]") {
  TwoNodes n;
  n.make_link(ten_mbps_20ms());
  for (int i = 0; i < 100; ++i) n.send_frame(1514);
  CHECK(n.sim.pending() == 1);
  CHECK(n.ab().in_flight() == 100);
  CHECK(n.ab().queued_packets() == 99);
  CHECK(n.ab().queued_bytes() == 99 * 1514);
  CHECK(n.ab().busy_until() == Time::from_ns(100 * kTx1514));
  n.sim.run();
  CHECK(n.ab().stats().packets_delivered == 100);
  CHECK(n.rec.times(ObservedEvent::kReceive).back() == 100 * kTx1514 + kDelay);
}

TEST_CASE("drop-tail queue limit in packets", "[net][link][queue]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_mbps_20ms();
  c.queue_packets = 2;  // plus the one being serialised
  n.make_link(c);
  for (int i = 0; i < 5; ++i) n.send_frame(1514);
  CHECK(n.ab().queued_packets() == 2);
  n.sim.run();
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1, 2, 3});
  CHECK(n.rec.uids(ObservedEvent::kDrop) == Uids{4, 5});
  for (const ObservedEvent& e : n.rec.of(ObservedEvent::kDrop)) CHECK(e.cause == DropCause::kQueueFull);
  const LinkStats& s = n.ab().stats();
  CHECK(s.packets_offered == 5);
  CHECK(s.packets_sent == 3);
  CHECK(s.dropped(DropCause::kQueueFull) == 2);
  CHECK(s.dropped_total() == 2);
  check_invariants(n.ab());
}

TEST_CASE("drop-tail queue limit in bytes", "[net][link][queue]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_mbps_20ms();
  c.queue_bytes = 3000;
  n.make_link(c);
  n.send_frame(1514);  // serialising
  n.send_frame(1514);  // waits: 1514 bytes queued
  n.send_frame(1514);  // 3028 > 3000: dropped
  n.send_frame(500);   // 2014 <= 3000: waits
  n.sim.run();
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1, 2, 4});
  CHECK(n.rec.uids(ObservedEvent::kDrop) == Uids{3});
  CHECK(n.ab().stats().dropped(DropCause::kQueueFull) == 1);
  CHECK(n.ab().stats().peak_queue_bytes == 2014);
  check_invariants(n.ab());
}

TEST_CASE("a packet leaves the queue when its serialisation starts", "[net][link][queue]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_mbps_20ms();
  c.queue_packets = 1;
  n.make_link(c);
  for (int i = 0; i < 3; ++i) n.send_frame(1514);  // #3 dropped
  at(n, kTx1514 - 1, 1514);                         // #2 still waiting: dropped
  at(n, kTx1514, 1514);                             // #2 now serialising: admitted
  n.sim.run();
  CHECK(n.rec.uids(ObservedEvent::kDrop) == Uids{3, 4});
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1, 2, 5});
  CHECK(n.rec.times(ObservedEvent::kReceive) == Ns{kTx1514 + kDelay, 2 * kTx1514 + kDelay, 3 * kTx1514 + kDelay});
}

TEST_CASE("a packet lost on the wire still occupies its serialisation time", "[net][link][loss]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_mbps_20ms();
  c.drop_rules = {DropRule{{2}, DropFilter::kAny, {}, {}, {}, {}}};
  n.make_link(c);
  for (int i = 0; i < 3; ++i) n.send_frame(1514);
  n.sim.run();
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1, 3});
  CHECK(n.rec.times(ObservedEvent::kReceive) == Ns{kTx1514 + kDelay, 3 * kTx1514 + kDelay});
  REQUIRE(n.rec.of(ObservedEvent::kDrop).size() == 1);
  CHECK(n.rec.of(ObservedEvent::kDrop)[0].cause == DropCause::kDropRule);
  CHECK(n.rec.of(ObservedEvent::kDrop)[0].t_ns == 0);
  // Each frame gets exactly one of on_wire (delivered) and on_drop.
  CHECK(n.rec.uids(ObservedEvent::kWire) == Uids{1, 3});
  CHECK(n.ab().stats().packets_sent == 3);
  CHECK(n.ab().stats().dropped(DropCause::kDropRule) == 1);
  check_invariants(n.ab());
}

TEST_CASE("Bernoulli loss on a link counts loss_model drops", "[net][link][loss]") {
  TwoNodes n;
  LinkDirectionConfig c;
  c.rate = DataRate::gbps(1);
  c.loss = LossModelConfig::bernoulli(0.2);
  n.make_link(c, {}, 99);
  for (int i = 0; i < 10'000; ++i) n.send_frame(100);
  n.sim.run();
  const LinkStats& s = n.ab().stats();
  // Expected 2000, sigma 40: +-3 sigma.
  CHECK(s.dropped(DropCause::kLossModel) >= 1880);
  CHECK(s.dropped(DropCause::kLossModel) <= 2120);
  CHECK(s.packets_delivered + s.dropped(DropCause::kLossModel) == 10'000);
  check_invariants(n.ab());
}

TEST_CASE("frames longer than mtu + 14 are dropped as too big", "[net][link][mtu]") {
  TwoNodes n;
  LinkDirectionConfig c = ten_mbps_20ms();
  c.mtu = 576;
  n.make_link(c);
  n.send_frame(590);
  n.send_frame(591);
  n.sim.run();
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1});
  CHECK(n.rec.uids(ObservedEvent::kDrop) == Uids{2});
  CHECK(n.ab().stats().dropped(DropCause::kTooBig) == 1);
  // A dropped frame takes no wire time: nothing waited behind it.
  CHECK(n.ab().busy_until() == Time::from_ns(DataRate::mbps(10).transmission_time(590).ns()));
  check_invariants(n.ab());
}

TEST_CASE("jitter varies the delay but never reorders", "[net][link][jitter]") {
  TwoNodes n;
  LinkDirectionConfig c;
  c.rate = DataRate::gbps(1);
  c.delay = 10_ms;
  c.jitter = 5_ms;
  n.make_link(c, {}, 5);
  constexpr int kPackets = 1000;
  constexpr std::int64_t kGap = 100'000;  // 100 us between sends
  for (int i = 0; i < kPackets; ++i) at(n, i * kGap, 100);
  n.sim.run();

  const std::vector<ObservedEvent> rx = n.rec.of(ObservedEvent::kReceive);
  REQUIRE(rx.size() == kPackets);
  std::set<std::int64_t> delays;
  constexpr std::int64_t kTx100 = 800;
  for (std::size_t i = 0; i < rx.size(); ++i) {
    CHECK(rx[i].uid == i + 1);
    if (i > 0) CHECK(rx[i].t_ns >= rx[i - 1].t_ns);
    const std::int64_t delay = rx[i].t_ns - static_cast<std::int64_t>(i) * kGap - kTx100;
    CHECK(delay >= 5'000'000);
    CHECK(delay <= 15'000'000);
    delays.insert(delay);
  }
  CHECK(delays.size() > 900);
}

TEST_CASE("the two directions are independent", "[net][link]") {
  TwoNodes n;
  LinkDirectionConfig back;
  back.rate = DataRate::mbps(100);
  back.delay = 1_ms;
  n.make_link(ten_mbps_20ms(), back);
  Recorder& rec = n.rec;
  n.ia.add_observer(rec);
  n.send_frame(1514);
  n.ib.transmit(build_frame_of_size(n.pool, 1514));
  n.sim.run();
  // a receives at 1514 * 8 / 1e8 s + 1 ms; b at 21,211,200 ns.
  CHECK(rec.times(ObservedEvent::kReceive) == Ns{121'120 + 1'000'000, kTx1514 + kDelay});
  CHECK(n.link->stats(LinkDirection::kBToA).packets_delivered == 1);
  CHECK(n.link->stats(LinkDirection::kAToB).packets_delivered == 1);
}

TEST_CASE("an infinite-rate zero-delay link delivers at the same time", "[net][link]") {
  TwoNodes n;
  n.make_link(LinkDirectionConfig{});
  at(n, 5, 1514);
  at(n, 5, 60);
  n.sim.run();
  CHECK(n.rec.times(ObservedEvent::kReceive) == Ns{5, 5});
  CHECK(n.rec.uids(ObservedEvent::kReceive) == Uids{1, 2});
}

TEST_CASE("negative delay or jitter is rejected, drop causes have names", "[net][link]") {
  TwoNodes n;
  LinkDirectionConfig c;
  c.delay = -1_ms;
  CHECK_THROWS_AS(n.make_link(c), std::invalid_argument);
  CHECK(to_string(DropCause::kQueueFull) == "queue_full");
  CHECK(to_string(DropCause::kLossModel) == "loss_model");
  CHECK(to_string(DropCause::kDropRule) == "drop_rule");
  CHECK(to_string(DropCause::kTooBig) == "too_big");
  CHECK(to_string(LinkDirection::kBToA) == "b->a");
}

TEST_CASE("link traffic in steady state allocates no new buffers", "[net][link][pool]") {
  TwoNodes n;
  n.make_link(ten_mbps_20ms());
  n.ib.remove_observer(n.rec);
  n.link->remove_observer(LinkDirection::kAToB, n.rec);
  // One 1514-byte frame per serialisation time: ~17 frames in flight.
  for (int i = 0; i < 200; ++i) at(n, i * kTx1514, 1514);
  n.sim.run();
  const std::size_t warm = n.pool.buffers_allocated();
  CHECK(warm <= 18);
  const std::int64_t start = n.sim.now().ns();
  for (int i = 0; i < 5000; ++i) at(n, start + i * kTx1514, 1514);
  n.sim.run();
  CHECK(n.ab().stats().packets_delivered == 5200);
  CHECK(n.pool.buffers_allocated() == warm);
  CHECK(n.pool.buffers_in_use() == 0);
}
