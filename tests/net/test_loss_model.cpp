#include <catch2/catch.hpp>

#include <string>

#include "wiresim/core/rng.hpp"
#include "wiresim/net/loss_model.hpp"

using wiresim::Rng;
using wiresim::net::GilbertElliottParams;
using wiresim::net::LossModel;
using wiresim::net::LossModelConfig;

namespace {

struct LossSummary {
  int lost = 0;
  int bursts = 0;  ///< runs of consecutive losses
};

LossSummary run(LossModel& m, Rng& rng, int packets) {
  LossSummary s;
  bool prev = false;
  for (int i = 0; i < packets; ++i) {
    const bool l = m.lose(rng);
    s.lost += l ? 1 : 0;
    s.bursts += (l && !prev) ? 1 : 0;
    prev = l;
  }
  return s;
}

}  // namespace

TEST_CASE("no loss model never drops and draws nothing", "[net][loss]") {
  Rng rng{1};
  Rng untouched{1};
  LossModel m{LossModelConfig::none()};
  for (int i = 0; i < 1000; ++i) REQUIRE_FALSE(m.lose(rng));
  CHECK(rng.next_u64() == untouched.next_u64());
}

TEST_CASE("Bernoulli loss pattern is pinned for a known seed", "[net][loss][bernoulli]") {
  Rng rng = Rng::stream(42, "link/test/a->b");
  LossModel m{LossModelConfig::bernoulli(0.25)};
  std::string pattern;
  for (int i = 0; i < 32; ++i) pattern += m.lose(rng) ? '1' : '0';
  CHECK(pattern == "00110000000011000100010011101001");
}

TEST_CASE("Bernoulli loss rate over 100000 packets", "[net][loss][bernoulli]") {
  Rng rng = Rng::stream(7, "bernoulli");
  LossModel m{LossModelConfig::bernoulli(0.1)};
  const LossSummary s = run(m, rng, 100'000);
  // Expected 10000, standard deviation ~95: +-3 sigma.
  CHECK(s.lost >= 9715);
  CHECK(s.lost <= 10285);
  CHECK(s.lost == 9954);  // pinned for this seed
}

TEST_CASE("Bernoulli with p = 0 and p = 1", "[net][loss][bernoulli]") {
  Rng rng{3};
  LossModel never{LossModelConfig::bernoulli(0.0)};
  LossModel always{LossModelConfig::bernoulli(1.0)};
  CHECK(run(never, rng, 1000).lost == 0);
  CHECK(run(always, rng, 1000).lost == 1000);
}

TEST_CASE("Gilbert-Elliott losses come in bursts of mean length 1/r", "[net][loss][gilbert]") {
  // Simple Gilbert: good never loses, bad always loses. Steady-state loss
  // p / (p + r) = 3.85 %, mean burst 1 / r = 4 packets.
  Rng rng = Rng::stream(7, "ge");
  LossModel ge{LossModelConfig::gilbert_elliott(GilbertElliottParams{0.01, 0.25, 1.0, 0.0})};
  const LossSummary g = run(ge, rng, 100'000);
  CHECK(g.lost == 3718);  // pinned for this seed
  CHECK(g.bursts == 922);
  const double mean_burst = static_cast<double>(g.lost) / g.bursts;
  CHECK(mean_burst > 3.6);
  CHECK(mean_burst < 4.4);

  // Bernoulli at the same rate has bursts barely longer than one packet.
  Rng rng2 = Rng::stream(7, "bernoulli-same-rate");
  LossModel b{LossModelConfig::bernoulli(0.01 / 0.26)};
  const LossSummary s = run(b, rng2, 100'000);
  CHECK(static_cast<double>(s.lost) / s.bursts < 1.1);
}

TEST_CASE("Gilbert-Elliott parameters k and h are delivery probabilities", "[net][loss][gilbert]") {
  Rng rng{11};
  SECTION("k = h = 1 never loses, whatever the state") {
    LossModel m{LossModelConfig::gilbert_elliott(GilbertElliottParams{0.5, 0.5, 1.0, 1.0})};
    CHECK(run(m, rng, 10'000).lost == 0);
  }
  SECTION("p = 1, r = 0, h = 0: the first packet sees good, every later one is lost") {
    LossModel m{LossModelConfig::gilbert_elliott(GilbertElliottParams{1.0, 0.0, 1.0, 0.0})};
    CHECK_FALSE(m.in_bad_state());
    CHECK_FALSE(m.lose(rng));
    CHECK(m.in_bad_state());
    CHECK(run(m, rng, 1000).lost == 1000);
  }
  SECTION("k = 0 loses everything in the good state") {
    LossModel m{LossModelConfig::gilbert_elliott(GilbertElliottParams{0.0, 1.0, 0.0, 1.0})};
    CHECK(run(m, rng, 1000).lost == 1000);
  }
}

TEST_CASE("loss probabilities outside [0, 1] are rejected", "[net][loss]") {
  CHECK_THROWS_AS(LossModel{LossModelConfig::bernoulli(1.5)}, std::invalid_argument);
  CHECK_THROWS_AS(LossModel{LossModelConfig::bernoulli(-0.1)}, std::invalid_argument);
  CHECK_THROWS_AS(LossModel{LossModelConfig::gilbert_elliott(GilbertElliottParams{0.1, 2.0, 1.0, 0.0})},
                  std::invalid_argument);
}
