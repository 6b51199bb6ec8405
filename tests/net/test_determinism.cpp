#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "net_test_util.hpp"
#include "wiresim/core/data_rate.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"

using namespace wiresim;
using namespace wiresim::net;
using namespace wiresim::literals;
using wiresim::net::test::build_tcp_segment;
using wiresim::net::test::ip;
using wiresim::net::test::Recorder;
using wiresim::net::test::SinkHandler;
using wiresim::net::test::TcpFrame;
using wiresim::wire::Ipv4Prefix;
using wiresim::wire::MacAddress;

namespace {

/// What one run produced at the receiver: (time, uid, ttl, first payload byte).
struct Delivery {
  std::int64_t t_ns;
  std::uint64_t uid;
  std::uint16_t id;
  std::size_t len;
  bool operator==(const Delivery&) const = default;
};

/// a -- r -- b with loss, jitter and a small queue; a sends 3000 segments.
class World {
 public:
  World(std::uint64_t seed, bool observe) {
    LinkDirectionConfig access;
    access.rate = DataRate::mbps(100);
    access.delay = 2_ms;
    access.jitter = 1_ms;
    access.loss = LossModelConfig::bernoulli(0.02);
    LinkDirectionConfig bottleneck;
    bottleneck.rate = DataRate::mbps(20);
    bottleneck.delay = 10_ms;
    bottleneck.queue_packets = 20;
    bottleneck.loss = LossModelConfig::gilbert_elliott({0.01, 0.3, 1.0, 0.2});
    bottleneck.drop_rules = {DropRule{{5, 50}, DropFilter::kTcpData, {}, {}, {}, {}}};
    l1_ = std::make_unique<Link>(sim_, "l1", a0_, r0_, access, access, Rng::stream(seed, "l1/a->b"),
                                 Rng::stream(seed, "l1/b->a"));
    l2_ = std::make_unique<Link>(sim_, "l2", r1_, b0_, bottleneck, bottleneck, Rng::stream(seed, "l2/a->b"),
                                 Rng::stream(seed, "l2/b->a"));
    a_.routes().add(Route{Ipv4Prefix{ip(0, 0, 0, 0), 0}, 0, {}});
    b_.routes().add(Route{Ipv4Prefix{ip(0, 0, 0, 0), 0}, 0, {}});
    r_.set_forwarding(true);
    b_.register_handler(wire::kIpProtoTcp, sink_);
    if (observe) attach_observers();
    for (int i = 0; i < 3000; ++i) {
      sim_.schedule_at(Time::from_ns(i * 200'000), [this, i] { send(i); });
    }
  }

  void run_until(Time t) { sim_.run_until(t); }
  std::vector<Delivery> deliveries() const {
    std::vector<Delivery> out;
    for (const SinkHandler::Got& g : sink_.got) out.push_back({g.t_ns, g.uid, g.ip.identification, g.l4.size()});
    return out;
  }
  std::uint64_t drops() const {
    return l2_->stats(LinkDirection::kAToB).dropped_total() + l1_->stats(LinkDirection::kAToB).dropped_total();
  }

 private:
  void attach_observers() {
    for (Interface* i : {&a0_, &r0_, &r1_, &b0_}) i->add_observer(rec_);
    for (Link* l : {l1_.get(), l2_.get()}) {
      l->add_observer(LinkDirection::kAToB, rec_);
      l->add_observer(LinkDirection::kBToA, rec_);
    }
  }
  void send(int i) {
    TcpFrame f;
    f.src_ip = ip(10, 0, 1, 2);
    f.dst_ip = ip(10, 0, 2, 2);
    f.seq = static_cast<std::uint32_t>(i) * 1000;
    f.payload_len = 100 + static_cast<std::size_t>(i % 1300);
    wire::Ipv4Repr fields;
    fields.dst = f.dst_ip;
    a_.send_ip(build_tcp_segment(pool_, f), fields);
  }

  Simulator sim_;
  PacketPool pool_;
  Recorder rec_;
  Node a_{sim_, "a", 0};
  Node r_{sim_, "r", 1};
  Node b_{sim_, "b", 2};
  Interface& a0_ = a_.add_interface("a0", MacAddress::local(1), Ipv4Prefix{ip(10, 0, 1, 2), 24});
  Interface& r0_ = r_.add_interface("r0", MacAddress::local(2), Ipv4Prefix{ip(10, 0, 1, 1), 24});
  Interface& r1_ = r_.add_interface("r1", MacAddress::local(3), Ipv4Prefix{ip(10, 0, 2, 1), 24});
  Interface& b0_ = b_.add_interface("b0", MacAddress::local(4), Ipv4Prefix{ip(10, 0, 2, 2), 24});
  std::unique_ptr<Link> l1_;
  std::unique_ptr<Link> l2_;
  SinkHandler sink_{sim_};
};

std::vector<Delivery> run_world(std::uint64_t seed, bool observe) {
  World w{seed, observe};
  w.run_until(Time::from_ns(2'000'000'000));
  return w.deliveries();
}

}  // namespace

TEST_CASE("two independent worlds with the same seed give identical results", "[net][determinism]") {
  const std::vector<Delivery> first = run_world(17, false);
  // Sanity: the run exercised loss, queueing and the drop rule.
  World probe{17, false};
  probe.run_until(Time::from_ns(2'000'000'000));
  CHECK(probe.drops() > 100);
  CHECK(first.size() > 2000);
  CHECK(first.size() < 3000);

  SECTION("run again in the same thread") { CHECK(run_world(17, false) == first); }
  SECTION("two worlds interleaved step by step") {
    World x{17, false};
    World y{17, false};
    for (std::int64_t t = 0; t <= 2'000'000'000; t += 1'000'000) {
      x.run_until(Time::from_ns(t));
      y.run_until(Time::from_ns(t));
    }
    CHECK(x.deliveries() == first);
    CHECK(y.deliveries() == first);
  }
  SECTION("two worlds on two threads at once") {
    std::vector<Delivery> on_thread_1;
    std::vector<Delivery> on_thread_2;
    std::thread t1{[&] { on_thread_1 = run_world(17, false); }};
    std::thread t2{[&] { on_thread_2 = run_world(17, false); }};
    t1.join();
    t2.join();
    CHECK(on_thread_1 == first);
    CHECK(on_thread_2 == first);
  }
  SECTION("attaching observers changes nothing") { CHECK(run_world(17, true) == first); }
  SECTION("another seed gives another run") { CHECK(run_world(18, false) != first); }
}
