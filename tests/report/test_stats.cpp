// The statistics behind `wiresim compare`, on data with published answers:
// R's quantile() (type 7), R's t.test() on 1:10, Student's t quantiles from
// the tables, and Student's (1908) sleep data as a paired t-test (R's
// `sleep` data set). The bootstrap is checked for determinism and against
// the t interval on a large sample.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "wiresim/report/stats.hpp"

using wiresim::report::BootstrapOptions;
using wiresim::report::paired_difference;
using wiresim::report::PairedDifference;
using wiresim::report::quantile_sorted;
using wiresim::report::summarize;
using wiresim::report::Summary;
using wiresim::report::t_critical;

namespace {

/// The same bits (distinguishes 0.0 from -0.0 and compares NaNs), for "identical doubles".
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_bits(const PairedDifference& x, const PairedDifference& y) {
  return x.n == y.n && same_bits(x.mean, y.mean) && same_bits(x.relative, y.relative) &&
         same_bits(x.ci_low, y.ci_low) && same_bits(x.ci_high, y.ci_high) &&
         same_bits(x.t_statistic, y.t_statistic) && same_bits(x.p_value, y.p_value) &&
         x.significant == y.significant;
}

/// Student's sleep data (Biometrika 1908; R's `sleep`): extra hours of sleep
/// of ten patients with drug 1 (group 1) and drug 2 (group 2).
const std::vector<double> kSleepGroup1{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
const std::vector<double> kSleepGroup2{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

}  // namespace

TEST_CASE("quantile_sorted interpolates between order statistics like R type 7", "[report][stats]") {
  const std::vector<double> five{1, 2, 3, 4, 5};
  // h = q * (n - 1); x[floor h] + frac(h) * (x[floor h + 1] - x[floor h]).
  CHECK(quantile_sorted(five, 0.0) == 1.0);
  CHECK(quantile_sorted(five, 0.25) == 2.0);             // h = 1
  CHECK(quantile_sorted(five, 0.5) == 3.0);              // h = 2
  CHECK(quantile_sorted(five, 0.1) == Approx(1.4));      // h = 0.4
  CHECK(quantile_sorted(five, 0.95) == Approx(4.8));     // h = 3.8
  CHECK(quantile_sorted(five, 1.0) == 5.0);

  // R: quantile(c(10, 20, 30, 40), c(0.5, 0.95, 0.1)) = 25, 38.5, 13.
  const std::vector<double> four{10, 20, 30, 40};
  CHECK(quantile_sorted(four, 0.5) == Approx(25.0));
  CHECK(quantile_sorted(four, 0.95) == Approx(38.5));
  CHECK(quantile_sorted(four, 0.1) == Approx(13.0));

  SECTION("out-of-range q clamps to the ends") {
    CHECK(quantile_sorted(four, -0.5) == 10.0);
    CHECK(quantile_sorted(four, 1.5) == 40.0);
  }
  SECTION("one value is every quantile, no value gives 0") {
    const std::vector<double> one{7.25};
    for (const double q : {0.0, 0.3, 0.5, 0.95, 1.0}) CHECK(quantile_sorted(one, q) == 7.25);
    CHECK(quantile_sorted(std::vector<double>{}, 0.5) == 0.0);
  }
}

TEST_CASE("t_critical gives Student's t quantiles from the tables", "[report][stats]") {
  // Two-sided 95%: t_{0.975, df} (R: qt(0.975, df)).
  CHECK(t_critical(0.95, 1) == Approx(12.7062047).epsilon(1e-7));
  CHECK(t_critical(0.95, 2) == Approx(4.3026527).epsilon(1e-7));
  CHECK(t_critical(0.95, 9) == Approx(2.2621572).epsilon(1e-7));
  CHECK(t_critical(0.95, 30) == Approx(2.0422725).epsilon(1e-7));
  // Large df tends to the normal quantile 1.959964.
  CHECK(t_critical(0.95, 1e7) == Approx(1.959964).epsilon(1e-6));
  // Other confidences: qt(0.95, 10) = 1.8124611, qt(0.995, 5) = 4.0321430.
  CHECK(t_critical(0.90, 10) == Approx(1.8124611).epsilon(1e-7));
  CHECK(t_critical(0.99, 5) == Approx(4.0321430).epsilon(1e-7));

  CHECK_THROWS_AS(t_critical(0.95, 0), std::invalid_argument);
  CHECK_THROWS_AS(t_critical(1.0, 5), std::invalid_argument);
  CHECK_THROWS_AS(t_critical(0.0, 5), std::invalid_argument);
  CHECK_THROWS_AS(t_critical(std::numeric_limits<double>::quiet_NaN(), 5), std::invalid_argument);
}

TEST_CASE("summarize describes 1..10 as R's t.test does", "[report][stats]") {
  // 1..10 shuffled: summarize sorts a copy for the order statistics.
  const std::vector<double> v{7, 3, 10, 1, 5, 9, 2, 8, 6, 4};
  const Summary s = summarize(v);
  CHECK(s.n == 10);
  CHECK(s.mean == 5.5);
  // Sample variance of 1..n is n(n+1)/12 = 110/12.
  CHECK(s.stddev == Approx(std::sqrt(110.0 / 12.0)));
  CHECK(s.stddev == Approx(3.0276504));
  CHECK(s.min == 1.0);
  CHECK(s.max == 10.0);
  CHECK(s.median == 5.5);
  CHECK(s.p95 == Approx(9.55));  // R: quantile(1:10, 0.95)
  // R: t.test(1:10) -> "95 percent confidence interval: 3.334149 7.665851",
  // i.e. 5.5 -+ t_{0.975,9} (2.262157) * 3.0276504 / sqrt(10).
  CHECK(s.ci_low == Approx(3.334149).epsilon(1e-6));
  CHECK(s.ci_high == Approx(7.665851).epsilon(1e-6));

  SECTION("a 90% interval is narrower: t_{0.95,9} = 1.833113") {
    const Summary s90 = summarize(v, 0.90);
    CHECK(s90.ci_low == Approx(5.5 - 1.833113 * 3.0276504 / std::sqrt(10.0)).epsilon(1e-6));
    CHECK(s90.ci_high == Approx(5.5 + 1.833113 * 3.0276504 / std::sqrt(10.0)).epsilon(1e-6));
  }
}

TEST_CASE("summarize of fewer than two values has no spread", "[report][stats]") {
  const Summary empty = summarize(std::vector<double>{});
  CHECK(empty.n == 0);
  for (const double v : {empty.mean, empty.stddev, empty.min, empty.median, empty.p95, empty.max, empty.ci_low,
                         empty.ci_high}) {
    CHECK(std::isnan(v));  // no figure of nothing
  }

  const Summary one = summarize(std::vector<double>{42.5});
  CHECK(one.n == 1);
  CHECK(one.mean == 42.5);
  CHECK(one.stddev == 0.0);
  CHECK(one.min == 42.5);
  CHECK(one.median == 42.5);
  CHECK(one.p95 == 42.5);
  CHECK(one.max == 42.5);
  CHECK(one.ci_low == 42.5);
  CHECK(one.ci_high == 42.5);

  // Equal values: stddev 0 and a zero-width interval.
  const Summary same = summarize(std::vector<double>{3, 3, 3, 3});
  CHECK(same.stddev == 0.0);
  CHECK(same.ci_low == 3.0);
  CHECK(same.ci_high == 3.0);
}

TEST_CASE("paired_difference of constant differences is exact and significant", "[report][stats]") {
  const std::vector<double> a{1, 2, 3, 4, 10};
  const std::vector<double> b{3.5, 4.5, 5.5, 6.5, 12.5};  // b - a = 2.5 for every pair
  const PairedDifference d = paired_difference(a, b);
  CHECK(d.n == 5);
  CHECK(d.mean == 2.5);
  CHECK(d.relative == Approx(2.5 / 4.0));
  CHECK(d.ci_low == 2.5);
  CHECK(d.ci_high == 2.5);
  CHECK(d.t_statistic == 0.0);  // undefined (sd = 0): reported as 0
  CHECK(d.p_value == 0.0);
  CHECK(d.significant);

  SECTION("negative constant differences too") {
    const PairedDifference neg = paired_difference(b, a);
    CHECK(neg.mean == -2.5);
    CHECK(neg.ci_low == -2.5);
    CHECK(neg.ci_high == -2.5);
    CHECK(neg.p_value == 0.0);
    CHECK(neg.significant);
  }
}

TEST_CASE("paired_difference of identical samples is zero and not significant", "[report][stats]") {
  const std::vector<double> a{5, 1, 4, 1, 5, 9, 2, 6};
  const PairedDifference d = paired_difference(a, a);
  CHECK(d.n == 8);
  CHECK(d.mean == 0.0);
  CHECK(d.relative == 0.0);
  CHECK(d.ci_low == 0.0);
  CHECK(d.ci_high == 0.0);
  CHECK(d.t_statistic == 0.0);
  CHECK(d.p_value == 1.0);
  CHECK_FALSE(d.significant);
}

TEST_CASE("paired_difference reproduces Student's sleep data paired t-test", "[report][stats]") {
  // R: t.test(extra ~ group, data = sleep, paired = TRUE) gives, for group 1
  // minus group 2: mean difference -1.58, t = -4.0621, df = 9,
  // p-value = 0.002833, 95% CI -2.4598858 -0.7001142. paired_difference
  // computes b - a, so with a = group 1 the signs flip.
  const PairedDifference d = paired_difference(kSleepGroup1, kSleepGroup2);
  CHECK(d.n == 10);
  CHECK(d.mean == Approx(1.58));
  CHECK(d.relative == Approx(1.58 / 0.75));  // mean(group 1) = 0.75
  CHECK(d.t_statistic == Approx(4.0621).epsilon(1e-4));
  CHECK(d.p_value == Approx(0.002833).epsilon(1e-3));
  CHECK(d.significant);
  // The percentile bootstrap interval is not the t interval, but it holds
  // the mean, excludes 0 and spans about as much as [0.70, 2.46].
  CHECK(d.ci_low < d.mean);
  CHECK(d.ci_high > d.mean);
  CHECK(d.ci_low > 0.6);
  CHECK(d.ci_low < 1.2);
  CHECK(d.ci_high > 2.0);
  CHECK(d.ci_high < 2.7);

  const PairedDifference flipped = paired_difference(kSleepGroup2, kSleepGroup1);
  CHECK(flipped.mean == Approx(-1.58));
  CHECK(flipped.t_statistic == Approx(-4.0621).epsilon(1e-4));
  CHECK(flipped.p_value == Approx(0.002833).epsilon(1e-3));
  CHECK(flipped.significant);
}

TEST_CASE("paired_difference with two pairs and one degree of freedom", "[report][stats]") {
  // Differences -10 and -30: mean -20, sd = 10 sqrt(2), t = -20 / 10 = -2.
  // With df = 1 the t distribution is Cauchy: p = 1 - (2/pi) atan(|t|).
  const std::vector<double> a{100, 200};
  const std::vector<double> b{90, 170};
  const PairedDifference d = paired_difference(a, b);
  CHECK(d.mean == -20.0);
  CHECK(d.t_statistic == Approx(-2.0));
  CHECK(d.p_value == Approx(1.0 - 2.0 / std::numbers::pi * std::atan(2.0)));  // 0.2951672
  // Resampled means can only be -10, -20 or -30 (probabilities 1/4, 1/2, 1/4):
  // of 10,000 the 2.5% and 97.5% percentiles are the extremes.
  CHECK(d.ci_low == -30.0);
  CHECK(d.ci_high == -10.0);
  CHECK(d.significant);
}

TEST_CASE("paired_difference of one pair claims nothing", "[report][stats]") {
  const std::vector<double> a{100};
  const std::vector<double> b{130};
  const PairedDifference d = paired_difference(a, b);
  CHECK(d.n == 1);
  CHECK(d.mean == 30.0);
  CHECK(d.ci_low == 30.0);
  CHECK(d.ci_high == 30.0);
  CHECK(d.t_statistic == 0.0);
  CHECK(d.p_value == 1.0);
  CHECK_FALSE(d.significant);

  const PairedDifference none = paired_difference(std::vector<double>{}, std::vector<double>{});
  CHECK(none.n == 0);
  CHECK(std::isnan(none.mean));
  CHECK(std::isnan(none.ci_low));
  CHECK(std::isnan(none.ci_high));
  CHECK(none.p_value == 1.0);
  CHECK_FALSE(none.significant);
}

TEST_CASE("paired_difference relative to a zero baseline is NaN", "[report][stats]") {
  const std::vector<double> a{0, 0, 0};
  const std::vector<double> b{1, 2, 3};
  const PairedDifference d = paired_difference(a, b);
  CHECK(d.mean == 2.0);
  CHECK(std::isnan(d.relative));
}

TEST_CASE("paired_difference rejects samples of different sizes", "[report][stats]") {
  const std::vector<double> a{1, 2, 3};
  const std::vector<double> b{1, 2};
  CHECK_THROWS_AS(paired_difference(a, b), std::invalid_argument);
  CHECK_THROWS_AS(paired_difference(b, a), std::invalid_argument);
}

namespace {

/// 200 fixed pairs: a deterministic, skewed-ish spread of differences
/// (no RNG: a Weyl sequence through a cubic).
void fixed_pairs(std::vector<double>& a, std::vector<double>& b) {
  a.clear();
  b.clear();
  for (int i = 0; i < 200; ++i) {
    const double u = std::fmod(static_cast<double>(i) * 0.6180339887498949, 1.0);  // in [0, 1)
    const double base = 300.0 + 7.0 * static_cast<double>(i % 13);
    a.push_back(base);
    b.push_back(base + 15.0 + 40.0 * (u - 0.5) + 30.0 * (u - 0.5) * (u - 0.5) * (u - 0.5) * 8.0);
  }
}

}  // namespace

TEST_CASE("the bootstrap is deterministic", "[report][stats][bootstrap]") {
  std::vector<double> a;
  std::vector<double> b;
  fixed_pairs(a, b);
  const PairedDifference d1 = paired_difference(a, b);
  const PairedDifference d2 = paired_difference(a, b);
  CHECK(same_bits(d1, d2));

  SECTION("the generator seed is what fixes it") {
    BootstrapOptions other;
    other.seed = 12345;
    const PairedDifference d3 = paired_difference(a, b, other);
    const PairedDifference d4 = paired_difference(a, b, other);
    CHECK(same_bits(d3, d4));
    // Another seed draws other resamples: the interval moves a little, the
    // mean and the t-test do not.
    CHECK_FALSE((same_bits(d1.ci_low, d3.ci_low) && same_bits(d1.ci_high, d3.ci_high)));
    CHECK(same_bits(d1.mean, d3.mean));
    CHECK(same_bits(d1.p_value, d3.p_value));
  }
}

TEST_CASE("the bootstrap interval of a large sample is close to the t interval", "[report][stats][bootstrap]") {
  std::vector<double> a;
  std::vector<double> b;
  fixed_pairs(a, b);
  std::vector<double> diff;
  for (std::size_t i = 0; i < a.size(); ++i) diff.push_back(b[i] - a[i]);
  const Summary t = summarize(diff);  // mean -+ t_{0.975,199} s / sqrt(200)
  const double half = (t.ci_high - t.ci_low) / 2;
  REQUIRE(half > 0);

  const PairedDifference d = paired_difference(a, b);
  CHECK(d.n == 200);
  CHECK(d.mean == Approx(t.mean));
  INFO("t interval [" << t.ci_low << ", " << t.ci_high << "], bootstrap [" << d.ci_low << ", " << d.ci_high << "]");
  // Each end within 10% of the t interval's half-width.
  CHECK(std::fabs(d.ci_low - t.ci_low) < 0.1 * half);
  CHECK(std::fabs(d.ci_high - t.ci_high) < 0.1 * half);
  CHECK(d.significant == (t.ci_low > 0 || t.ci_high < 0));

  SECTION("an 80% bootstrap interval is narrower and close to the 80% t interval") {
    BootstrapOptions o;
    o.confidence = 0.80;
    const PairedDifference d80 = paired_difference(a, b, o);
    CHECK(d80.ci_low > d.ci_low);
    CHECK(d80.ci_high < d.ci_high);
    const Summary t80 = summarize(diff, 0.80);
    const double half80 = (t80.ci_high - t80.ci_low) / 2;
    CHECK(std::fabs(d80.ci_low - t80.ci_low) < 0.1 * half80);
    CHECK(std::fabs(d80.ci_high - t80.ci_high) < 0.1 * half80);
  }
}
