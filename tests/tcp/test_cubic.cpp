#include <catch2/catch.hpp>

#include <optional>

#include "wiresim/tcp/cubic.hpp"

using namespace wiresim;
using namespace wiresim::literals;
using wiresim::tcp::Cubic;

// Expected values below are worked out by hand from RFC 9438 with C = 0.4,
// beta = 0.7, SMSS = 1000 bytes: W_cubic(t) = W_max + 0.4 (t - K)^3 * 1000
// bytes, truncated toward zero, with t and K in whole microseconds.

namespace {
constexpr std::uint32_t kMss = 1000;

Time at_us(std::int64_t us) { return Time::zero() + Duration::microseconds(us); }

Cubic established(std::uint32_t iw_bytes) {
  Cubic c;
  c.init(Time::zero(), kMss, iw_bytes);
  return c;
}
}  // namespace

TEST_CASE("CUBIC multiplicative decrease: beta 0.7 of the flight (RFC 9438 4.6)", "[tcp][cubic]") {
  Cubic c = established(100 * kMss);
  CHECK(c.name() == "cubic");
  c.on_fast_loss(at_us(0), 100'000);
  CHECK(c.w_max() == 100'000);    // cwnd before the reduction
  CHECK(c.ssthresh() == 70'000);  // 0.7 * flight
  CHECK(c.cwnd() == 70'000);
  // The flight, not cwnd, sets ssthresh; at least 2 SMSS.
  Cubic small = established(10 * kMss);
  small.on_fast_loss(at_us(0), 14'601);
  CHECK(small.ssthresh() == 10'220);  // 14601 * 7 / 10 = 10220.7
  small.on_fast_loss(at_us(0), 2'000);
  CHECK(small.ssthresh() == 2 * kMss);
  CHECK(small.cwnd() == 2 * kMss);
}

TEST_CASE("CUBIC K and the cubic window W_cubic(t) (RFC 9438 eq. 1, 2)", "[tcp][cubic]") {
  Cubic c = established(100 * kMss);
  c.on_fast_loss(at_us(0), 100'000);
  CHECK(c.k_us() == 0);  // no epoch yet
  c.on_ack(at_us(2'000'000), kMss, 70'000, 100_ms);
  // K = cbrt((100 - 70) / 0.4) s = cbrt(75) s; 4217163^3 = 74999982579649749747
  // <= 75 * 10^18 < 4217164^3 = 75000035933053706944.
  CHECK(c.k_us() == 4'217'163);
  const std::int64_t k = c.k_us();
  CHECK(c.w_cubic(k) == 100'000);                // the plateau at W_max
  CHECK(c.w_cubic(k + 1'000'000) == 100'400);    // + 0.4 * 1^3 segments
  CHECK(c.w_cubic(k + 2'000'000) == 103'200);    // + 0.4 * 2^3 segments
  CHECK(c.w_cubic(k - 1'000'000) == 99'600);     // concave side
  CHECK(c.w_cubic(k - 2'000'000) == 96'800);
  // t = 0: 0.4 * 74.99998... segments = 29999.99 bytes, truncated.
  CHECK(c.w_cubic(0) == 70'001);
}

TEST_CASE("CUBIC concave growth toward W_max: cwnd += (target - cwnd)/cwnd per SMSS (RFC 9438 4.4)",
          "[tcp][cubic]") {
  Cubic c = established(100 * kMss);
  c.on_fast_loss(at_us(0), 100'000);
  // t = 0: W_est = 70000 + 9/17 * 1000 * 1000 / 70000 = 70007 (9e6 / 1.19e6);
  // W_cubic(0) = 70001 < W_est: the Reno-friendly region sets cwnd = W_est.
  c.on_ack(at_us(0), kMss, 70'000, 100_ms);
  CHECK(c.w_est() == 70'007);
  CHECK(c.cwnd() == 70'007);
  // t = 1 s: W_cubic(1 s) = 86681 > W_est = 70015, so the concave region.
  // target = W_cubic(1.1 s) = 100000 - 0.4 * 3.117163^3 * 1000 = 87885;
  // cwnd += (87885 - 70007) * 1000 / 70007 = 255 (remainder 26215 carried).
  c.on_ack(at_us(1'000'000), kMss, 70'000, 100_ms);
  CHECK(c.w_est() == 70'015);
  CHECK(c.cwnd() == 70'262);
  // target = W_cubic(2.1 s) = 96205: (96205 - 70262) * 1000 + 26215 = 25969215 -> + 369.
  c.on_ack(at_us(2'000'000), kMss, 70'000, 100_ms);
  CHECK(c.cwnd() == 70'631);
  c.on_ack(at_us(3'000'000), kMss, 70'000, 100_ms);  // target 99443
  CHECK(c.cwnd() == 71'039);
  c.on_ack(at_us(4'000'000), kMss, 70'000, 100_ms);  // target = W_cubic(4.1 s) = 100000
  CHECK(c.cwnd() == 71'447);
  CHECK(c.w_est() == 70'037);
}

TEST_CASE("CUBIC Reno-friendly region: cwnd follows W_est, alpha 9/17 then 1 (RFC 9438 4.3)", "[tcp][cubic]") {
  Cubic c = established(10 * kMss);
  c.on_fast_loss(at_us(0), 10'000);
  REQUIRE(c.cwnd() == 7'000);
  // One SMSS acknowledged every 10 ms with a 10 ms RTT: W_cubic grows far more
  // slowly (K = 1.957 s) than W_est, so cwnd = W_est on every ACK.
  // W_est += 9/17 * 1000 * 1000 / cwnd: +75 (9e6 / 119000), +75, +74, +73.
  const std::uint32_t first[] = {7'075, 7'150, 7'224, 7'297};
  std::int64_t t = 0;
  for (const std::uint32_t cwnd : first) {
    c.on_ack(at_us(t), kMss, c.cwnd(), 10_ms);
    CHECK(c.cwnd() == cwnd);
    CHECK(c.w_est() == cwnd);
    t += 10'000;
  }
  CHECK(c.k_us() == 1'957'433);  // cbrt(3 / 0.4) s
  for (int i = 4; i < 47; ++i, t += 10'000) c.on_ack(at_us(t), kMss, c.cwnd(), 10_ms);
  CHECK(c.cwnd() == 9'947);
  CHECK(c.w_cubic(t) == 8'684);
  // ACK 48 brings W_est to cwnd_prior = 10000; from then on alpha = 1, one SMSS per window.
  const std::uint32_t rest[] = {10'000, 10'100, 10'199, 10'297};
  for (const std::uint32_t cwnd : rest) {
    c.on_ack(at_us(t), kMss, c.cwnd(), 10_ms);
    CHECK(c.cwnd() == cwnd);
    t += 10'000;
  }
}

TEST_CASE("CUBIC fast convergence lowers W_max after a loss below it (RFC 9438 4.7)", "[tcp][cubic]") {
  Cubic c = established(100 * kMss);
  c.on_fast_loss(at_us(0), 100'000);
  CHECK(c.w_max() == 100'000);
  c.set_cwnd(90'000);  // grew back only to 90% of the last maximum
  c.on_fast_loss(at_us(1'000'000), 90'000);
  CHECK(c.w_max() == 76'500);  // 90000 * (1 + 0.7) / 2
  CHECK(c.ssthresh() == 63'000);
  CHECK(c.cwnd() == 63'000);
  c.set_cwnd(80'000);  // beyond the (reduced) maximum: remember cwnd itself
  c.on_fast_loss(at_us(2'000'000), 80'000);
  CHECK(c.w_max() == 80'000);
  CHECK(c.ssthresh() == 56'000);
}

TEST_CASE("CUBIC convex region: target capped at 1.5 cwnd (RFC 9438 4.2, 4.5)", "[tcp][cubic]") {
  Cubic c = established(10 * kMss);
  c.on_rto(at_us(0), 10'000);
  c.set_cwnd(8'000);  // in congestion avoidance (ssthresh 7000)
  // Epoch start after a timeout: W_max = cwnd, K = 0 (RFC 9438 4.8).
  // W_est = 8000 + 9/17 * 1e6 / 8000 = 8066 > W_cubic(0) = 8000: Reno-friendly.
  c.on_ack(at_us(0), kMss, 8'000, 50_ms);
  CHECK(c.w_max() == 8'000);
  CHECK(c.k_us() == 0);
  CHECK(c.cwnd() == 8'066);
  // 100 s later W_cubic is enormous: target = 1.5 * 8066 = 12099 and
  // cwnd += (12099 - 8066) * 1000 / 8066 = 500: half an SMSS per SMSS acknowledged.
  c.on_ack(at_us(100'000'000), kMss, 8'066, 50_ms);
  CHECK(c.cwnd() == 8'566);
  c.on_ack(at_us(100'000'000), kMss, 8'566, std::nullopt);  // the last RTT is kept
  CHECK(c.cwnd() == 9'066);
}

TEST_CASE("CUBIC timeout: cwnd 1 SMSS, ssthresh by beta, then K = 0 from the new cwnd (RFC 9438 4.8)",
          "[tcp][cubic]") {
  Cubic c = established(100 * kMss);
  c.on_rto(at_us(0), 100'000);
  CHECK(c.cwnd() == kMss);
  CHECK(c.ssthresh() == 70'000);
  c.on_rto(at_us(1'000'000), 50'000);  // the same data times out again: ssthresh held
  CHECK(c.ssthresh() == 70'000);
  CHECK(c.cwnd() == kMss);
  // Slow start with two-segment ACKs: 1000 + 35 * 2000 = 71000 >= ssthresh.
  std::int64_t t = 2'000'000;
  for (int i = 0; i < 35; ++i, t += 1'000) c.on_ack(at_us(t), 2 * kMss, c.cwnd(), 20_ms);
  CHECK(c.cwnd() == 71'000);
  CHECK(c.k_us() == 0);
  // First congestion-avoidance ACK: W_max = 71000 (not the 100000 before the
  // timeout), K = 0, W_est = 71000 + 9/17 * 2000 * 1000 / 71000 = 71014.
  c.on_ack(at_us(t), 2 * kMss, c.cwnd(), 20_ms);
  CHECK(c.w_max() == 71'000);
  CHECK(c.k_us() == 0);
  CHECK(c.w_est() == 71'014);
  CHECK(c.cwnd() == 71'014);
}

// HyStart as Linux's tcp_cubic.c runs it (hystart_detect = ACK train | delay,
// hystart_low_window 16 segments): slow start ends with ssthresh = cwnd.

TEST_CASE("HyStart ACK train: ACKs 2 ms apart for half the minimum RTT end slow start", "[tcp][cubic][hystart]") {
  Cubic c = established(16 * kMss);
  c.set_hystart(true);
  const Time t0 = at_us(1'000'000);
  const wire::SeqNum snd_nxt{100'001};
  for (std::uint32_t k = 0; k <= 21; ++k) {
    const Time now = t0 + Duration::microseconds(1000 * k);
    c.on_rtt_sample(now, 40_ms, wire::SeqNum{1 + k * kMss}, snd_nxt);
    // Threshold (delay_min 40 ms + ack delay 1 ms) / 2 = 20.5 ms after the round began.
    CHECK(c.hystart_found() == (k == 21));
    if (k == 21) {
      CHECK(c.ssthresh() == 37 * kMss);
      CHECK(c.cwnd() == 37 * kMss);
    } else {
      CHECK(c.ssthresh() == 0xffffffffu);
    }
    c.on_ack(now, kMss, c.cwnd(), 40_ms);
  }
  CHECK(c.cwnd() < 38 * kMss);  // that ACK was already congestion avoidance: no slow-start step
}

TEST_CASE("HyStart delay: a round whose 8 smallest RTTs exceed delay_min + delay_min/8 ends slow start",
          "[tcp][cubic][hystart]") {
  Cubic c = established(16 * kMss);
  c.set_hystart(true);
  Time now = at_us(1'000'000);
  // Round 1 (ends when 20001 is acknowledged): RTT 40 ms, ACKs 3 ms apart (no train).
  for (std::uint32_t k = 0; k < 10; ++k, now = now + 3_ms) {
    c.on_rtt_sample(now, 40_ms, wire::SeqNum{1 + (k + 1) * kMss}, wire::SeqNum{20'001});
    c.on_ack(now, kMss, c.cwnd(), 40_ms);
  }
  CHECK_FALSE(c.hystart_found());
  REQUIRE(c.cwnd() == 26 * kMss);
  // Round 2: 46 ms > 40 + clamp(40/8, 4, 16) = 45 ms; decided on the 9th sample.
  for (std::uint32_t i = 1; i <= 9; ++i, now = now + 3_ms) {
    c.on_rtt_sample(now, 46_ms, wire::SeqNum{20'001 + i * kMss}, wire::SeqNum{40'001});
    CHECK(c.hystart_found() == (i == 9));
    if (i == 9) CHECK(c.ssthresh() == 34 * kMss);
    c.on_ack(now, kMss, c.cwnd(), 40_ms);
  }
}

TEST_CASE("HyStart stays out below 16 segments and when switched off", "[tcp][cubic][hystart]") {
  for (const bool on : {true, false}) {
    Cubic c = established(10 * kMss);
    c.set_hystart(on);
    std::optional<std::uint32_t> first_at_16;
    for (std::uint32_t k = 0; k < 60; ++k) {
      const Time now = at_us(1'000'000 + 1000 * k);
      if (c.cwnd() >= 16 * kMss && !first_at_16) first_at_16 = k;
      c.on_rtt_sample(now, 40_ms, wire::SeqNum{1 + k * kMss}, wire::SeqNum{100'001});
      // On: the round starts with the first ACK at 16 segments (k = 6); the
      // train fires when it has lasted more than 20.5 ms (k = 27).
      CHECK(c.hystart_found() == (on && k >= 27));
      c.on_ack(now, kMss, c.cwnd(), 40_ms);
    }
    CHECK(first_at_16 == 6u);
    if (!on) CHECK(c.ssthresh() == 0xffffffffu);
  }
}
