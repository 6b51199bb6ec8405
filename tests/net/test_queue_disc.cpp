#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "net_test_util.hpp"
#include "wiresim/net/codel.hpp"
#include "wiresim/net/fq_codel.hpp"
#include "wiresim/net/red.hpp"
#include "wiresim/wire/checksum.hpp"
#include "wiresim/wire/ipv4.hpp"

using namespace wiresim;
using namespace wiresim::net;
using namespace wiresim::literals;
using wiresim::net::test::build_tcp_frame;
using wiresim::net::test::TcpFrame;
using Ms = std::vector<std::int64_t>;
using Uids = std::vector<std::uint64_t>;

namespace {

/// Records what a discipline drops, with the time of the drop.
struct DropLog : QueueDiscSink {
  void on_qdisc_drop(const Packet& f, DropCause c) override {
    uids.push_back(f.uid());
    causes.push_back(c);
    ms.push_back(now.ns() / 1'000'000);
  }
  Time now{};
  Uids uids;
  std::vector<DropCause> causes;
  Ms ms;
};

/// A TCP frame of `len` bytes (>= 54) from `src_port`, ECT(0) if asked.
Packet frame(PacketPool& pool, std::size_t len, std::uint16_t src_port = 49152, bool ect = false) {
  TcpFrame f;
  f.payload_len = len - 54;
  f.src_port = src_port;
  f.dscp_ecn = ect ? 0x02 : 0x00;
  return build_tcp_frame(pool, f);
}

wire::IpEcn ecn_of_frame(const Packet& p) { return wire::ecn_of(p.bytes()[14 + 1]); }
bool ip_checksum_ok(const Packet& p) { return wire::internet_checksum(p.bytes().subspan(14, 20)) == 0; }

/// 200 packets of 1000 bytes queued at t = 0, then one dequeue every 10 ms
/// (a standing queue far above target). Returns the dequeued packets.
std::vector<Packet> standing_queue(PacketPool& pool, CodelQueue& q, DropLog& log, bool ect, int ticks) {
  for (int i = 0; i < 200; ++i) q.enqueue(Time::zero(), frame(pool, 1000, 49152, ect), log);
  std::vector<Packet> out;
  for (int k = 0; k < ticks; ++k) {
    log.now = Time::zero() + 10_ms * k;
    out.push_back(q.dequeue(log.now, log));
  }
  return out;
}

}  // namespace

TEST_CASE("ECN: set_ce marks ECT packets and keeps the header checksum valid", "[net][ecn]") {
  PacketPool pool;
  Packet ect = frame(pool, 100, 1, true);
  Packet not_ect = frame(pool, 100, 1, false);
  CHECK(wire::set_ce(ect.bytes().subspan(14, 20)));
  CHECK(ecn_of_frame(ect) == wire::IpEcn::kCe);
  CHECK(ip_checksum_ok(ect));
  CHECK_FALSE(wire::set_ce(not_ect.bytes().subspan(14, 20)));
  CHECK(ecn_of_frame(not_ect) == wire::IpEcn::kNotEct);
}

TEST_CASE("CoDel drops at the times RFC 8289's control law gives", "[net][codel]") {
  PacketPool pool;
  CodelQueue q(CodelParams{5_ms, 100_ms, 1514, false}, 0);
  DropLog log;
  const std::vector<Packet> out = standing_queue(pool, q, log, false, 66);
  // Sojourn >= target from the dequeue at 10 ms: first_above_time = 110 ms;
  // the first drop at 110 ms (count 1, drop_next = 210 ms), then at the
  // first dequeue at or after drop_next += 100 ms / sqrt(count):
  // 210, 280.71, 338.45, 388.45, 433.17, 473.99, 511.79, 547.14, 580.47,
  // 612.10, 642.25 ms.
  CHECK(log.ms == Ms{110, 210, 290, 340, 390, 440, 480, 520, 550, 590, 620, 650});
  CHECK(log.uids.at(0) == 12);  // the packet dequeued at 110 ms; 13 is sent instead
  CHECK(log.uids.at(1) == 23);
  CHECK(out.at(11).uid() == 13);
  for (DropCause c : log.causes) CHECK(c == DropCause::kAqm);
  CHECK(q.codel().dropping());
  CHECK(q.codel().count() == 12);
  // drop_next after the 12th drop: 642.250921 + 100 / sqrt(12) ms (28.867513).
  CHECK(q.codel().drop_next() == Time::from_ns(642'250'921 + 28'867'513));
  CHECK(q.ecn_marks() == 0);
}

TEST_CASE("CoDel with ECN marks ECT packets CE at the drop times instead", "[net][codel][ecn]") {
  PacketPool pool;
  CodelQueue q(CodelParams{5_ms, 100_ms, 1514, true}, 0);
  DropLog log;
  const std::vector<Packet> out = standing_queue(pool, q, log, true, 66);
  CHECK(log.uids.empty());
  Ms marked;
  for (std::size_t k = 0; k < out.size(); ++k) {
    REQUIRE(out[k].uid() == k + 1);  // nothing dropped: every packet in order
    CHECK(ip_checksum_ok(out[k]));
    if (ecn_of_frame(out[k]) == wire::IpEcn::kCe) marked.push_back(static_cast<std::int64_t>(k) * 10);
  }
  CHECK(marked == Ms{110, 210, 290, 340, 390, 440, 480, 520, 550, 590, 620, 650});
  CHECK(q.ecn_marks() == 12);
}

TEST_CASE("CoDel leaves the dropping state once the queue drains below MAXPACKET", "[net][codel]") {
  PacketPool pool;
  CodelQueue q(CodelParams{5_ms, 100_ms, 1514, false}, 0);
  DropLog log;
  for (int i = 0; i < 20; ++i) q.enqueue(Time::zero(), frame(pool, 1000), log);
  for (int k = 0; k < 20; ++k) {
    log.now = Time::zero() + 10_ms * k;
    (void)q.dequeue(log.now, log);
  }
  // At 110 ms the first drop; at 150 ms one packet (1000 B <= 1514) is left
  // behind the one dequeued: below MAXPACKET, the dropping state ends.
  CHECK(log.ms == Ms{110});
  CHECK_FALSE(q.codel().dropping());
  CHECK(q.packets() == 0);
}

TEST_CASE("CoDel's limit drops arrivals beyond it", "[net][codel]") {
  PacketPool pool;
  CodelQueue q(CodelParams{}, 3);
  DropLog log;
  for (int i = 0; i < 5; ++i) q.enqueue(Time::zero(), frame(pool, 100), log);
  CHECK(log.uids == Uids{4, 5});
  CHECK(log.causes == std::vector<DropCause>{DropCause::kQueueFull, DropCause::kQueueFull});
  CHECK(q.packets() == 3);
}

TEST_CASE("FQ-CoDel serves two flows by deficit round robin, new flows first", "[net][fq_codel]") {
  PacketPool pool;
  FqCodel q(FqCodelParams{}, 42);
  DropLog log;
  const Packet probe_a = frame(pool, 100, 1000);
  const Packet probe_b = frame(pool, 100, 2000);
  REQUIRE(q.classify(probe_a.bytes()) != q.classify(probe_b.bytes()));
  // Flow A: six 500-byte packets (uids 3-8); flow B: three 1514-byte (9-11).
  for (int i = 0; i < 6; ++i) q.enqueue(Time::zero(), frame(pool, 500, 1000), log);
  for (int i = 0; i < 3; ++i) q.enqueue(Time::zero(), frame(pool, 1514, 2000), log);
  Uids order;
  while (true) {
    Packet p = q.dequeue(Time::zero(), log);
    if (!p.has_buffer()) break;
    order.push_back(p.uid());
  }
  // A (new, deficit 1514) sends 4 x 500 (deficit -486), goes to the old
  // list with 1028; B (new) sends 1514, goes to old with 1514; A sends its
  // last two (1028 -> 28) and empties; B sends its other two, one per quantum.
  CHECK(order == Uids{3, 4, 5, 6, 9, 7, 8, 10, 11});
  CHECK(log.uids.empty());
  CHECK(q.packets() == 0);
  CHECK(q.bytes() == 0);
}

TEST_CASE("FQ-CoDel drops half of the fattest flow on overlimit", "[net][fq_codel]") {
  PacketPool pool;
  FqCodelParams p;
  p.limit_packets = 4;
  FqCodel q(p, 42);
  DropLog log;
  for (int i = 0; i < 3; ++i) q.enqueue(Time::zero(), frame(pool, 1000, 1000), log);  // A: uids 1-3
  q.enqueue(Time::zero(), frame(pool, 1000, 2000), log);                              // B: uid 4
  CHECK(log.uids.empty());
  q.enqueue(Time::zero(), frame(pool, 1000, 2000), log);  // 5 > 4: A (3000 B) is the fattest
  // From A's head until half its 3000 bytes are gone: two packets.
  CHECK(log.uids == Uids{1, 2});
  CHECK(log.causes == std::vector<DropCause>{DropCause::kQueueFull, DropCause::kQueueFull});
  CHECK(q.packets() == 3);
  const std::uint32_t a = q.classify(frame(pool, 100, 1000).bytes());
  const std::uint32_t b = q.classify(frame(pool, 100, 2000).bytes());
  CHECK(q.flow_bytes(a) == 1000);
  CHECK(q.flow_bytes(b) == 2000);
}

TEST_CASE("FQ-CoDel's flow hash follows the seeded perturbation", "[net][fq_codel]") {
  PacketPool pool;
  FqCodel x(FqCodelParams{}, 1);
  FqCodel y(FqCodelParams{}, 1);
  FqCodel z(FqCodelParams{}, 2);
  int differ = 0;
  for (std::uint16_t port = 1000; port < 1016; ++port) {
    const Packet f = frame(pool, 100, port);
    CHECK(x.classify(f.bytes()) == y.classify(f.bytes()));
    CHECK(x.classify(f.bytes()) < 1024);
    if (x.classify(f.bytes()) != z.classify(f.bytes())) ++differ;
  }
  CHECK(differ > 0);
}

TEST_CASE("RED's average follows the EWMA and decays over idle time", "[net][red]") {
  PacketPool pool;
  RedParams p;
  p.min_threshold = 100'000;  // never reached: every packet is accepted
  p.max_threshold = 200'000;
  p.weight = 0.25;
  p.avpkt = 1000;
  p.rate = DataRate::mbps(8);  // 1000 bytes take 1 ms
  Red red(p, Rng(1));
  DropLog log;
  const std::vector<double> expected = {0.0, 250.0, 687.5, 1265.625};  // q = 0, 1000, 2000, 3000
  for (double e : expected) {
    red.enqueue(Time::zero(), frame(pool, 1000), log);
    CHECK(red.average() == e);
  }
  for (int i = 0; i < 5; ++i) (void)red.dequeue(Time::zero(), log);  // the 5th finds it empty: idle
  red.enqueue(Time::zero() + 2_ms, frame(pool, 1000), log);
  // Two avpkt times idle: avg * 0.75^2, then the arrival's own update with q = 0.
  CHECK(red.average() == 1265.625 * 0.5625 * 0.75);
  CHECK(log.uids.empty());
}

TEST_CASE("RED drops above max_th and counts below min_th", "[net][red]") {
  PacketPool pool;
  RedParams p;
  p.min_threshold = 1500;
  p.max_threshold = 2500;
  p.weight = 1.0;  // the average is the queue
  Red red(p, Rng(1));
  DropLog log;
  for (int i = 0; i < 5; ++i) red.enqueue(Time::zero(), frame(pool, 1000), log);
  // avg at the arrivals: 0, 1000 (accept, count -1), 2000 (in the band),
  // then >= 2500 for every later one once the queue holds 3000.
  CHECK(red.packets() + log.uids.size() == 5);
  for (std::size_t i = 0; i < log.uids.size(); ++i) CHECK(log.causes[i] == DropCause::kAqm);
  CHECK(log.uids.back() == 5);
  CHECK(red.count() == 0);
}

TEST_CASE("RED spaces its drops uniformly: never more than 1/p_b packets apart", "[net][red]") {
  // F&J 1993 §7: with p_a = p_b / (1 - count p_b) the gap between drops is
  // uniform on [1, 1/p_b]; plain Bernoulli drops would often leave longer gaps.
  PacketPool pool;
  RedParams p;
  p.min_threshold = 0;
  p.max_threshold = 20'000;
  p.max_p = 0.2;
  p.weight = 1.0;
  Red red(p, Rng(7));
  DropLog log;
  for (int i = 0; i < 5; ++i) red.enqueue(Time::zero(), frame(pool, 1000), log);
  // Every arrival finds 4000 bytes waiting (one leaves first when 5 wait):
  // p_b = 0.2 * 4000 / 20000 = 0.04, 1/p_b = 25.
  std::vector<std::uint64_t> gaps;
  std::uint64_t last = 0;
  std::uint64_t sent = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::size_t before = log.uids.size();
    if (red.packets() == 5) (void)red.dequeue(Time::zero(), log);
    red.enqueue(Time::zero(), frame(pool, 1000), log);
    ++sent;
    if (log.uids.size() > before) {
      gaps.push_back(sent - last);
      last = sent;
    }
  }
  REQUIRE(gaps.size() > 100);
  std::uint64_t sum = 0;
  for (std::size_t i = 1; i < gaps.size(); ++i) {
    CHECK(gaps[i] >= 1);
    CHECK(gaps[i] <= 25);
    sum += gaps[i];
  }
  const double mean = static_cast<double>(sum) / static_cast<double>(gaps.size() - 1);
  CHECK(mean > 11.5);  // uniform on [1, 25]: mean 13
  CHECK(mean < 14.5);
}

namespace {

using wiresim::net::test::ObservedEvent;
using wiresim::net::test::TwoNodes;
using Ns = std::vector<std::int64_t>;

/// 1514 bytes at 10 Mbit/s.
constexpr std::int64_t kTx1514 = 1'211'200;

LinkDirectionConfig codel_link(bool ecn) {
  LinkDirectionConfig c;
  c.rate = DataRate::mbps(10);
  c.delay = 20_ms;
  c.queue_packets = 1000;
  c.qdisc.discipline = QueueDiscipline::kCodel;
  c.qdisc.ecn = ecn;
  return c;
}

}  // namespace

TEST_CASE("a link with CoDel serialises a short burst as a FIFO would", "[net][link][codel]") {
  TwoNodes n;
  n.make_link(codel_link(false));
  for (int i = 0; i < 3; ++i) n.send_frame(1514);
  CHECK(n.ab().queued_packets() == 2);  // the first is serialising
  n.sim.run();
  CHECK(n.rec.times(ObservedEvent::kReceive) ==
        Ns{kTx1514 + 20'000'000, 2 * kTx1514 + 20'000'000, 3 * kTx1514 + 20'000'000});
  const LinkStats& s = n.ab().stats();
  CHECK(s.packets_delivered == 3);
  CHECK(s.peak_queue_packets == 2);  // as drop-tail: the one serialising is not waiting
  CHECK(s.dropped_total() == 0);

  TwoNodes one;
  one.make_link(codel_link(false));
  one.send_frame(1514);  // an idle wire takes it at once: nothing waits
  one.sim.run();
  CHECK(one.ab().stats().peak_queue_packets == 0);
  CHECK(one.rec.times(ObservedEvent::kReceive) == Ns{kTx1514 + 20'000'000});
}

TEST_CASE("a link with CoDel drops from a standing queue, or with ECN marks instead", "[net][link][codel][ecn]") {
  for (const bool ecn : {false, true}) {
    TwoNodes n;
    n.make_link(codel_link(ecn));
    // 300 ECT(0) frames at once: 300 * 1.2112 ms = 363 ms of queue.
    for (int i = 0; i < 300; ++i) {
      TcpFrame f;
      f.payload_len = 1460;
      f.dscp_ecn = 0x02;
      n.ia.transmit(build_tcp_frame(n.pool, f));
    }
    n.sim.run();
    const LinkStats& s = n.ab().stats();
    // First signal at the first dequeue 100 ms after sojourn passed 5 ms.
    const std::uint64_t signals = ecn ? s.ecn_marked : s.dropped(DropCause::kAqm);
    CHECK(signals > 0);
    CHECK(s.packets_offered == s.packets_sent + s.dropped(DropCause::kAqm) + s.dropped(DropCause::kQueueFull));
    CHECK(s.packets_delivered == s.packets_sent);
    std::uint64_t ce = 0;
    for (const ObservedEvent& e : n.rec.of(ObservedEvent::kReceive)) {
      if (wire::ecn_of(e.bytes[15]) == wire::IpEcn::kCe) ++ce;
    }
    CHECK(ce == (ecn ? signals : 0));
    CHECK(s.dropped(DropCause::kAqm) == (ecn ? 0 : signals));
  }
}
