#include <catch2/catch.hpp>

#include "wiresim/tcp/rtt_estimator.hpp"

using namespace wiresim;
using namespace wiresim::literals;
using wiresim::tcp::RttEstimator;

TEST_CASE("RTO before any sample is the initial RTO", "[tcp][rtt]") {
  const RttEstimator e{1_s, 200_ms, 120_s};
  CHECK(e.rto() == 1_s);
  CHECK_FALSE(e.srtt());
  CHECK(e.rttvar() == 0_ns);
  CHECK(e.backoff_count() == 0);
  // An initial RTO outside [min, max] is clamped.
  CHECK(RttEstimator(100_ms, 200_ms, 120_s).rto() == 200_ms);
  CHECK(RttEstimator(200_s, 200_ms, 120_s).rto() == 120_s);
}

TEST_CASE("first sample: SRTT = R, RTTVAR = R/2 (RFC 6298 2.2)", "[tcp][rtt]") {
  RttEstimator e{1_s, 200_ms, 120_s};
  e.on_sample(100_ms);
  CHECK(e.srtt() == 100_ms);
  CHECK(e.rttvar() == 50_ms);
  CHECK(e.rto() == 300_ms);  // 100 + 4 * 50
}

TEST_CASE("later samples: alpha 1/8, beta 1/4 (RFC 6298 2.3)", "[tcp][rtt]") {
  RttEstimator e{1_s, 200_ms, 120_s};
  e.on_sample(100_ms);
  e.on_sample(200_ms);
  // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5 ms; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5 ms.
  CHECK(e.rttvar().ns() == 62'500'000);
  CHECK(e.srtt()->ns() == 112'500'000);
  CHECK(e.rto().ns() == 362'500'000);
  e.on_sample(50_ms);
  // RTTVAR = 3/4 * 62.5 + 1/4 * |112.5 - 50| = 62.5 ms; SRTT = (7 * 112.5 + 50) / 8 = 104.6875 ms.
  CHECK(e.rttvar().ns() == 62'500'000);
  CHECK(e.srtt()->ns() == 104'687'500);
  CHECK(e.rto().ns() == 354'687'500);
}

TEST_CASE("integer nanoseconds truncate toward zero", "[tcp][rtt]") {
  RttEstimator e{1_s, 0_ns, 120_s};
  e.on_sample(3_ns);
  CHECK(e.srtt() == 3_ns);
  CHECK(e.rttvar() == 1_ns);  // 3 / 2
  CHECK(e.rto() == 7_ns);     // 3 + 4 * 1
  e.on_sample(10_ns);
  CHECK(e.rttvar() == 2_ns);  // (3 * 1 + 7) / 4 = 2.5
  CHECK(e.srtt() == 3_ns);    // (7 * 3 + 10) / 8 = 3.875
  CHECK(e.rto() == 11_ns);    // 3 + 4 * 2
}

TEST_CASE("clock granularity G bounds the variance term", "[tcp][rtt]") {
  RttEstimator e{1_s, 0_ns, 120_s, 10_ms};
  e.on_sample(0_ns);
  CHECK(e.rto() == 10_ms);  // 0 + max(G, 4 * 0)
  e.on_sample(8_ms);
  // RTTVAR = (0 + 8) / 4 = 2 ms, 4 * RTTVAR = 8 ms < G; SRTT = 1 ms.
  CHECK(e.rto() == 11_ms);
}

TEST_CASE("RTO is clamped to [min_rto, max_rto] (RFC 6298 2.4, 2.5)", "[tcp][rtt]") {
  RttEstimator low{1_s, 200_ms, 60_s};
  low.on_sample(10_ms);  // 10 + 4 * 5 = 30 ms
  CHECK(low.rto() == 200_ms);
  CHECK(low.srtt() == 10_ms);  // the estimate itself is not clamped
  RttEstimator high{1_s, 200_ms, 60_s};
  high.on_sample(30_s);  // 30 + 4 * 15 = 90 s
  CHECK(high.rto() == 60_s);
}

TEST_CASE("backoff doubles the RTO up to max and a sample resets it (RFC 6298 5.5, 5.7)", "[tcp][rtt]") {
  RttEstimator e{1_s, 200_ms, 120_s};
  e.backoff();
  CHECK(e.rto() == 2_s);
  e.backoff();
  CHECK(e.rto() == 4_s);
  e.on_sample(100_ms);
  CHECK(e.backoff_count() == 0);
  CHECK(e.rto() == 300_ms);
  const Duration expected[] = {600_ms, 1200_ms, 2400_ms, 4800_ms, 9600_ms, 19200_ms,
                               38400_ms, 76800_ms, 120_s, 120_s, 120_s};
  std::uint32_t n = 0;
  for (const Duration d : expected) {
    e.backoff();
    ++n;
    CHECK(e.rto() == d);
    CHECK(e.backoff_count() == n);
  }
  e.on_sample(100_ms);
  // RTTVAR = 3/4 * 50 = 37.5 ms: 100 + 150 = 250 ms, backoff gone.
  CHECK(e.rto() == 250_ms);
  CHECK(e.backoff_count() == 0);
}
