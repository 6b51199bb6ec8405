#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/tcp/new_reno.hpp"

using namespace wiresim;
using wiresim::tcp::NewReno;

namespace {
constexpr std::uint32_t kMss = 1000;
const Time kT0 = Time::zero();

NewReno established(std::uint32_t iw_bytes) {
  NewReno r;
  r.init(kT0, kMss, iw_bytes);
  return r;
}
}  // namespace

TEST_CASE("NewReno starts with IW and an infinite ssthresh", "[tcp][newreno]") {
  const NewReno r = established(10 * kMss);
  CHECK(r.name() == "newreno");
  CHECK(r.cwnd() == 10'000);
  CHECK(r.ssthresh() == 0xffffffffu);
}

TEST_CASE("NewReno slow start: cwnd += min(acked, L = 2*SMSS) per ACK (RFC 5681 3.1)", "[tcp][newreno]") {
  NewReno r = established(10 * kMss);
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> steps = {
      {1000, 11'000},  // one segment: + 1 SMSS
      {2000, 13'000},  // a delayed ACK of two segments: + 2 SMSS
      {5000, 15'000},  // a stretch ACK: capped at L = 2 SMSS
      {500, 15'500},   // a partial segment: + the bytes acknowledged
      {0, 15'500},     // nothing new acknowledged: no growth
  };
  for (const auto& [acked, cwnd] : steps) {
    r.on_ack(kT0, acked, r.cwnd(), std::nullopt);
    CHECK(r.cwnd() == cwnd);
  }
  CHECK(r.ssthresh() == 0xffffffffu);
}

TEST_CASE("NewReno loss: ssthresh = max(flight/2, 2*SMSS), cwnd = ssthresh (RFC 5681 eq. 4)", "[tcp][newreno]") {
  NewReno r = established(10 * kMss);
  r.on_fast_loss(kT0, 9001);
  CHECK(r.ssthresh() == 4500);
  CHECK(r.cwnd() == 4500);
  r.on_fast_loss(kT0, 3001);  // 1500 < 2 SMSS
  CHECK(r.ssthresh() == 2000);
  CHECK(r.cwnd() == 2000);
  r.on_fast_loss(kT0, 0);
  CHECK(r.ssthresh() == 2000);
}

TEST_CASE("NewReno congestion avoidance: cwnd += SMSS*SMSS/cwnd per ACK (RFC 5681 eq. 3)", "[tcp][newreno]") {
  NewReno r = established(10 * kMss);
  r.on_fast_loss(kT0, 40'000);
  REQUIRE(r.cwnd() == 20'000);
  REQUIRE(r.ssthresh() == 20'000);
  // 10^6 / 20000 = 50, 10^6 / 20050 = 49.87 -> 49, ..., 10^6 / 20393 = 49.04 -> 49,
  // 10^6 / 20442 = 48.92 -> 48: about one SMSS per window of ACKs.
  const std::uint32_t expected[] = {20'050, 20'099, 20'148, 20'197, 20'246, 20'295, 20'344,
                                    20'393, 20'442, 20'490, 20'538, 20'586};
  for (const std::uint32_t cwnd : expected) {
    r.on_ack(kT0, kMss, r.cwnd(), std::nullopt);
    CHECK(r.cwnd() == cwnd);
  }
  // Per ACK, not per byte: a two-segment ACK grows cwnd by the same amount.
  r.on_ack(kT0, 2 * kMss, r.cwnd(), std::nullopt);
  CHECK(r.cwnd() == 20'586 + 48);
  // 20 ACKs at ~20 segments per window: one more SMSS per RTT.
  NewReno one_rtt = established(10 * kMss);
  one_rtt.on_fast_loss(kT0, 40'000);
  for (int i = 0; i < 20; ++i) one_rtt.on_ack(kT0, kMss, one_rtt.cwnd(), std::nullopt);
  CHECK(one_rtt.cwnd() == 20'968);
}

TEST_CASE("NewReno congestion avoidance rounds a zero increment up to 1 byte", "[tcp][newreno]") {
  NewReno r;
  r.init(kT0, 10, 1000);
  r.on_fast_loss(kT0, 4000);  // ssthresh = cwnd = 2000; 10 * 10 / 2000 = 0
  r.on_ack(kT0, 10, r.cwnd(), std::nullopt);
  CHECK(r.cwnd() == 2001);
}

TEST_CASE("NewReno RTO: cwnd = 1 SMSS, ssthresh held on a repeated timeout (RFC 5681 3.1)", "[tcp][newreno]") {
  NewReno r = established(10 * kMss);
  r.on_rto(kT0, 10'000);
  CHECK(r.cwnd() == kMss);
  CHECK(r.ssthresh() == 5000);
  r.on_rto(kT0, 10'000 / 4);  // the same data timed out again
  CHECK(r.cwnd() == kMss);
  CHECK(r.ssthresh() == 5000);
  // Slow start back to ssthresh, then linear growth.
  const std::uint32_t expected[] = {2000, 3000, 4000, 5000, 5200, 5392};
  for (const std::uint32_t cwnd : expected) {
    r.on_ack(kT0, kMss, r.cwnd(), std::nullopt);
    CHECK(r.cwnd() == cwnd);
  }
  // After an ACK a new timeout recomputes ssthresh.
  r.on_rto(kT0, 5392);
  CHECK(r.ssthresh() == 2696);
  CHECK(r.cwnd() == kMss);
}
