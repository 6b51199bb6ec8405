#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <functional>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "wiresim/core/simulator.hpp"

using namespace wiresim;
using namespace wiresim::literals;

TEST_CASE("events run in time order, equal times in insertion order", "[core][scheduler]") {
  Simulator sim;
  std::string log;
  sim.schedule_at(Time::zero() + 2_ms, [&] { log += 'c'; });
  sim.schedule_at(Time::zero() + 1_ms, [&] { log += 'a'; });
  sim.schedule_at(Time::zero() + 1_ms, [&] { log += 'b'; });
  sim.schedule_at(Time::zero() + 2_ms, [&] { log += 'd'; });
  sim.run();
  CHECK(log == "abcd");
  CHECK(sim.now() == Time::zero() + 2_ms);
  CHECK(sim.events_executed() == 4);
  CHECK(sim.pending() == 0);
}

TEST_CASE("events scheduled from events keep (time, sequence) order", "[core][scheduler]") {
  Simulator sim;
  std::vector<int> order;
  sim.schedule_in(1_ms, [&] {
    order.push_back(1);
    sim.schedule_in(Duration::zero(), [&] { order.push_back(3); });
    sim.schedule_in(-5_ms, [&] { order.push_back(4); });  // past: clamped to now
  });
  sim.schedule_in(1_ms, [&] { order.push_back(2); });
  sim.run();
  CHECK(order == std::vector<int>{1, 2, 3, 4});
  CHECK(sim.now() == Time::zero() + 1_ms);
}

TEST_CASE("cancel by handle is a tombstone and handles never alias", "[core][scheduler]") {
  Simulator sim;
  int fired = 0;
  const EventId a = sim.schedule_in(1_ms, [&] { fired += 1; });
  const EventId b = sim.schedule_in(2_ms, [&] { fired += 10; });
  CHECK(sim.is_pending(a));
  CHECK(sim.time_of(b) == Time::zero() + 2_ms);
  CHECK(sim.cancel(a));
  CHECK_FALSE(sim.cancel(a));
  CHECK_FALSE(sim.is_pending(a));
  CHECK(sim.pending() == 1);
  sim.run();
  CHECK(fired == 10);
  CHECK_FALSE(sim.cancel(b));  // already ran
  // The slot of `a` is reused; the old handle must not cancel the new event.
  const EventId c = sim.schedule_in(1_ms, [&] { fired += 100; });
  CHECK_FALSE(sim.cancel(a));
  CHECK(sim.is_pending(c));
  sim.run();
  CHECK(fired == 110);
  CHECK_FALSE(sim.cancel(EventId{}));
}

TEST_CASE("many cancellations: the heap sheds tombstones and keeps the order", "[core][scheduler]") {
  // A timer re-armed from every event (as TCP's RTO is) cancels far more
  // events than it runs; compaction must not change what runs or when.
  Simulator sim;
  std::vector<std::pair<std::int64_t, int>> ran;
  std::vector<EventId> handles;
  for (int i = 0; i < 2000; ++i) {
    // Deadlines in a scrambled order, with ties: (i * 7919) % 500 ms.
    const auto at = Time::zero() + Duration::milliseconds((i * 7919) % 500);
    handles.push_back(sim.schedule_at(at, [&ran, &sim, i] { ran.emplace_back(sim.now().ns(), i); }));
  }
  for (int i = 0; i < 2000; ++i) {
    if (i % 5 != 0) CHECK(sim.cancel(handles[static_cast<std::size_t>(i)]));
  }
  CHECK(sim.pending() == 400);
  for (int i = 0; i < 2000; ++i) {
    // Cancelled handles stay dead even once their slots are reused.
    if (i % 5 != 0) CHECK_FALSE(sim.is_pending(handles[static_cast<std::size_t>(i)]));
  }
  Timer t(sim);
  for (int i = 0; i < 300; ++i) t.arm_at(Time::zero() + 1_s + Duration::milliseconds(i), [] {});
  CHECK(sim.pending() == 401);
  sim.run();
  CHECK(sim.events_executed() == 401);
  REQUIRE(ran.size() == 400);
  for (std::size_t k = 1; k < ran.size(); ++k) {
    const auto& [t0, i0] = ran[k - 1];
    const auto& [t1, i1] = ran[k];
    // Time order; equal times in insertion (index) order.
    CHECK((t0 < t1 || (t0 == t1 && i0 < i1)));
  }
  CHECK(sim.now() == Time::zero() + 1_s + Duration::milliseconds(299));
}
TEST_CASE("run_until stops at the limit and advances the clock", "[core][scheduler]") {
  Simulator sim;
  std::vector<std::int64_t> at;
  for (int i = 1; i <= 5; ++i) sim.schedule_at(Time::from_ns(i * 100), [&] { at.push_back(sim.now().ns()); });
  sim.run_until(Time::from_ns(300));
  CHECK(at == std::vector<std::int64_t>{100, 200, 300});
  CHECK(sim.now() == Time::from_ns(300));
  sim.run_until(Time::from_ns(350));
  CHECK(sim.now() == Time::from_ns(350));
  CHECK(sim.next_event_time() == Time::from_ns(400));
  sim.run();
  CHECK(at.size() == 5);
}

TEST_CASE("stop ends the run after the current event", "[core][scheduler]") {
  Simulator sim;
  int n = 0;
  sim.schedule_in(1_ms, [&] { ++n; sim.stop(); });
  sim.schedule_in(2_ms, [&] { ++n; });
  sim.run();
  CHECK(n == 1);
  CHECK(sim.stopped());
  sim.run();  // a new run resumes
  CHECK(n == 2);
}

TEST_CASE("timer re-arming replaces the deadline", "[core][timer]") {
  Simulator sim;
  Timer t(sim);
  std::vector<std::int64_t> fired;
  t.arm_in(5_ms, [&] { fired.push_back(sim.now().ns()); });
  t.arm_in(3_ms, [&] { fired.push_back(sim.now().ns()); });
  CHECK(t.armed());
  CHECK(t.deadline() == Time::zero() + 3_ms);
  sim.run();
  CHECK(fired == std::vector<std::int64_t>{3'000'000});
  CHECK_FALSE(t.armed());
  CHECK(t.deadline() == Time::max());
  t.arm_in(1_ms, [&] { fired.push_back(-1); });
  t.cancel();
  sim.run();
  CHECK(fired.size() == 1);
}

namespace {
// A deterministic pseudo-random workload: returns a digest of execution order.
std::uint64_t busy_run(std::uint64_t salt) {
  Simulator sim;
  std::uint64_t digest = 0;
  std::uint64_t x = salt;
  for (int i = 0; i < 20'000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto t = static_cast<std::int64_t>(x >> 52);
    sim.schedule_at(Time::from_ns(t), [&digest, &sim, i] { digest = digest * 31 + static_cast<std::uint64_t>(i) + static_cast<std::uint64_t>(sim.now().ns()); });
  }
  sim.run();
  return digest;
}
}  // namespace

TEST_CASE("two simulators run on two threads at once without interference", "[core][scheduler]") {
  const std::uint64_t expect_a = busy_run(1);
  const std::uint64_t expect_b = busy_run(2);
  REQUIRE(expect_a != expect_b);
  std::uint64_t got_a = 0, got_b = 0;
  std::thread ta([&] { got_a = busy_run(1); });
  std::thread tb([&] { got_b = busy_run(2); });
  ta.join();
  tb.join();
  CHECK(got_a == expect_a);
  CHECK(got_b == expect_b);
}

TEST_CASE("a large heap runs 20,000 events with many ties in (time, sequence) order",
          "[core][scheduler]") {
  wiresim::Simulator sim;
  std::vector<std::uint32_t> ran;
  // Times from a permutation with many ties: i * 7919 % 1000 ms.
  for (std::uint32_t i = 0; i < 20000; ++i) {
    sim.schedule_at(wiresim::Time::zero() + wiresim::Duration::milliseconds((i * 7919U) % 1000), [&ran, i] { ran.push_back(i); });
  }
  sim.run();
  REQUIRE(ran.size() == 20000);
  for (std::size_t k = 1; k < ran.size(); ++k) {
    const std::uint32_t a = ran[k - 1], b = ran[k];
    const std::uint32_t ta = (a * 7919U) % 1000, tb = (b * 7919U) % 1000;
    REQUIRE((ta < tb || (ta == tb && a < b)));
  }
}

TEST_CASE("a timer moved later runs once, at its new time, behind what was scheduled there first",
          "[core][timer]") {
  Simulator sim;
  Timer t(sim);
  std::vector<std::string> ran;
  t.arm_at(Time::zero() + 2_ms, [&] { ran.push_back("stale"); });
  sim.schedule_at(Time::zero() + 5_ms, [&] { ran.push_back("before"); });
  t.arm_at(Time::zero() + 5_ms, [&] { ran.push_back("timer"); });
  sim.schedule_at(Time::zero() + 5_ms, [&] { ran.push_back("after"); });
  CHECK(t.deadline() == Time::zero() + 5_ms);
  // The heap entry still sits at 2 ms; the next event is the one at 5 ms.
  CHECK(sim.next_event_time() == Time::zero() + 5_ms);
  CHECK(sim.pending() == 3);
  sim.run_until(Time::zero() + 4_ms);
  CHECK(ran.empty());
  CHECK(sim.events_executed() == 0);
  CHECK(sim.now() == Time::zero() + 4_ms);
  sim.run();
  CHECK(ran == std::vector<std::string>{"before", "timer", "after"});
  CHECK(sim.events_executed() == 3);
  CHECK_FALSE(t.armed());
}

TEST_CASE("rearm reuses the event when later or cancelled, schedules anew when earlier",
          "[core][scheduler]") {
  Simulator sim;
  int ran = 0;
  const EventId a = sim.schedule_at(Time::zero() + 10_ms, [&] { ran += 1; });
  const EventId later = sim.rearm(a, Time::zero() + 20_ms, [&] { ran += 10; });
  CHECK(later == a);
  CHECK(sim.time_of(later) == Time::zero() + 20_ms);
  const EventId earlier = sim.rearm(later, Time::zero() + 15_ms, [&] { ran += 100; });
  CHECK_FALSE(earlier == a);
  CHECK_FALSE(sim.is_pending(a));
  CHECK(sim.time_of(earlier) == Time::zero() + 15_ms);
  CHECK(sim.pending() == 1);
  // Cancelled, then armed again later while its tombstone is in the heap.
  CHECK(sim.cancel(earlier));
  CHECK(sim.pending() == 0);
  const EventId revived = sim.rearm(earlier, Time::zero() + 30_ms, [&] { ran += 1000; });
  CHECK(revived == earlier);
  CHECK(sim.pending() == 1);
  CHECK(sim.time_of(revived) == Time::zero() + 30_ms);
  sim.run();
  CHECK(ran == 1000);
  CHECK(sim.now() == Time::zero() + 30_ms);
  CHECK(sim.events_executed() == 1);
  // After it ran, the handle is stale: arming gives a new event.
  const EventId after = sim.rearm(revived, Time::zero() + 40_ms, [&] { ran += 1; });
  CHECK_FALSE(after == revived);
  sim.run();
  CHECK(ran == 1001);
}

TEST_CASE("a timer re-armed from its own event schedules a new one", "[core][timer]") {
  Simulator sim;
  Timer t(sim);
  std::vector<std::int64_t> fired;
  std::function<void()> tick = [&] {
    fired.push_back(sim.now().ns());
    if (fired.size() < 3) t.arm_in(1_ms, [&] { tick(); });
  };
  t.arm_in(1_ms, [&] { tick(); });
  sim.run();
  CHECK(fired == std::vector<std::int64_t>{1'000'000, 2'000'000, 3'000'000});
  CHECK(sim.events_executed() == 3);
}

namespace {
// Many timers re-armed later and earlier, cancelled, and plain events, all
// at coarse times (many ties), driven by a fixed generator. `lazy` uses
// Timer::arm_at and Timer::cancel (Simulator::rearm); otherwise every
// re-arm is cancel() then schedule_at(), the definition rearm must match. Returns the order
// events ran in, with their times.
std::vector<std::pair<std::int64_t, std::uint32_t>> rearm_run(bool lazy) {
  Simulator sim;
  constexpr std::uint32_t kTimers = 64;
  std::vector<EventId> eager(kTimers);
  std::vector<std::unique_ptr<Timer>> timers;
  for (std::uint32_t i = 0; i < kTimers; ++i) timers.push_back(std::make_unique<Timer>(sim));
  std::vector<std::pair<std::int64_t, std::uint32_t>> ran;
  std::uint64_t x = 12345;
  auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  };
  // Each event, when it runs, re-arms, cancels or schedules a few others.
  std::function<void(std::uint32_t)> act = [&](std::uint32_t tag) {
    ran.emplace_back(sim.now().ns(), tag);
    if (ran.size() > 30'000) return;
    for (int k = 0; k < 3; ++k) {
      const std::uint64_t r = next();
      const std::uint32_t i = static_cast<std::uint32_t>(r % kTimers);
      const Time at = sim.now() + Duration::milliseconds(static_cast<std::int64_t>((r >> 8) % 8));
      const std::uint32_t tag2 = static_cast<std::uint32_t>(r >> 16) % 1000;
      switch ((r >> 12) % 4) {
        case 0:
        case 1:
          if (lazy) {
            timers[i]->arm_at(at, [&act, tag2] { act(tag2); });
          } else {
            sim.cancel(eager[i]);
            eager[i] = sim.schedule_at(at, [&act, tag2] { act(tag2); });
          }
          break;
        case 2:
          if (lazy) {
            timers[i]->cancel();
          } else {
            sim.cancel(eager[i]);
          }
          break;
        default:
          sim.schedule_at(at, [&act, tag2] { act(tag2 + 1000); });
      }
    }
  };
  for (std::uint32_t i = 0; i < 8; ++i) sim.schedule_at(Time::zero() + Duration::milliseconds(i % 3), [&act, i] { act(i); });
  sim.run();
  if (sim.events_executed() != ran.size()) ran.clear();
  return ran;
}
}  // namespace

TEST_CASE("re-arming timers lazily runs events in the same order as cancel and schedule",
          "[core][timer]") {
  const auto eager = rearm_run(false);
  const auto lazy = rearm_run(true);
  REQUIRE(eager.size() > 30'000);
  CHECK(lazy == eager);
}
