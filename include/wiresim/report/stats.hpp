#pragma once
/// Statistics for comparing runs, one method throughout (README, "Comparing
/// variants across seeds"):
///  - a sample is described by its median and mean, each with a percentile
///    bootstrap interval (Efron and Tibshirani 1993, ch. 13): no assumption
///    of normality, and an interval never leaves the data's range, so a
///    non-negative metric never gets a negative bound;
///  - two variants run on the same seeds are compared pair by pair: the
///    difference of the medians and of the means, each with a paired
///    percentile bootstrap interval (pairs resampled together), the
///    Hodges-Lehmann shift (median of the Walsh averages of the paired
///    differences; Hollander and Wolfe 1999, section 3.2) and the relative
///    change;
///  - the test is the two-sided Wilcoxon signed-rank test of the paired
///    differences (Wilcoxon 1945; Hollander and Wolfe section 3.1), exact
///    for small samples and a normal approximation with tie and continuity
///    corrections otherwise; zero differences are dropped (Wilcoxon's own
///    rule, the default of R's wilcox.test and SciPy);
///  - many tests at once are corrected with Holm's step-down procedure
///    (Holm 1979), and a verdict is the corrected p-value against alpha.
///
/// Everything is deterministic: the bootstrap draws from our own PCG
/// generator (core/rng) with a fixed seed, and sums run in a fixed order, so
/// the same data give the same figures on every machine and compiler.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace wiresim::report {

/// The q-quantile (0 <= q <= 1) of sorted data, interpolating linearly
/// between order statistics (Hyndman and Fan type 7, the default of R and
/// NumPy). Empty data give 0.
[[nodiscard]] double quantile_sorted(std::span<const double> sorted, double q);

struct BootstrapOptions {
  double confidence = 0.95;
  std::size_t resamples = 10'000;
  std::uint64_t seed = 0x77697265u;  ///< fixed: the same data give the same interval
  /// Polled between resamples: once true, the bootstrap stops early and its
  /// interval is meaningless (the caller is abandoning the result: a
  /// signal arrived). With 100,000 pairs a bootstrap takes seconds.
  const std::atomic<bool>* cancel = nullptr;
};

/// A sample described. An empty sample has n = 0 and NaN for every
/// figure: there is no mean of nothing (JSON writes null, tables "-").
struct Summary {
  std::size_t n = 0;
  double mean = 0;
  double stddev = 0;   ///< sample standard deviation (n - 1); 0 when n < 2
  double min = 0;
  double median = 0;   ///< type 7 (quantile_sorted at 0.5)
  double p95 = 0;
  double max = 0;
  /// Percentile bootstrap intervals of the mean and of the median: the
  /// values resampled with replacement BootstrapOptions::resamples times.
  /// Always within [min, max]; both ends equal the figure when n < 2 or
  /// every value is the same.
  double mean_ci_low = 0;
  double mean_ci_high = 0;
  double median_ci_low = 0;
  double median_ci_high = 0;
};

/// Describes `values` with bootstrap intervals of the mean and the median.
[[nodiscard]] Summary summarize(std::span<const double> values, const BootstrapOptions& options = {});

/// How the signed-rank test is computed.
struct SignedRankOptions {
  /// Up to this many non-zero differences the p-value comes from the exact
  /// permutation distribution of V (every sign pattern of the ranks, ties
  /// kept as midranks); above it from the normal approximation.
  std::size_t exact_max_n = 50;
  /// The normal approximation moves V half a unit towards its mean (R's
  /// `correct = TRUE`).
  bool continuity_correction = true;
};

/// The two-sided Wilcoxon signed-rank test of "the differences are
/// symmetric about 0".
struct SignedRankTest {
  std::size_t n = 0;      ///< non-zero differences: the ones ranked
  std::size_t zeros = 0;  ///< differences of exactly 0, dropped before ranking
  /// Sum of the (mid)ranks of |d| over the positive differences: R's V,
  /// Hollander and Wolfe's T+. 0 when n = 0.
  double v = 0;
  bool exact = false;     ///< p from the exact distribution (else normal approximation)
  /// The standardised statistic of the normal approximation (after the
  /// continuity correction); 0 when exact or when V's variance is 0.
  double z = 0;
  /// Two-sided: 2 min(P(V <= v), P(V >= v)), at most 1. With no non-zero
  /// difference there is no evidence of a shift: p = 1.
  double p_value = 1;
};

/// The signed-rank test of the differences `d` (variant minus baseline).
[[nodiscard]] SignedRankTest signed_rank_test(std::span<const double> d, const SignedRankOptions& options = {});

/// The Hodges-Lehmann estimate of the shift of `d`: the median of the
/// n(n + 1)/2 Walsh averages (d[i] + d[j]) / 2, i <= j, zeros included.
/// O(n log n) time and O(n) memory (a selection by bisection over the
/// doubles' order, never the n^2 averages). NaN when `d` is empty.
[[nodiscard]] double hodges_lehmann(std::span<const double> d);

/// Holm's step-down adjusted p-values (Holm 1979; R's p.adjust(p, "holm")):
/// sorted ascending, the i-th smallest (1-based) of m becomes
/// max over j <= i of min(1, (m - j + 1) p_(j)). NaN entries are not tests:
/// they stay NaN and do not count in m. Rejecting where the adjusted p is
/// <= alpha is Holm's procedure at family-wise level alpha.
[[nodiscard]] std::vector<double> holm_adjust(std::span<const double> p);

/// B against A over paired observations (a[i] and b[i] come from the same
/// seed). With no pairs every figure is NaN and the test has n = 0, p = NaN
/// (no test was made).
struct PairedDifference {
  std::size_t n = 0;          ///< pairs
  double median_a = 0;        ///< median of the baseline's values
  double median_b = 0;
  double median_diff = 0;     ///< median(b) - median(a)
  double median_ci_low = 0;   ///< paired percentile bootstrap interval of median(b) - median(a)
  double median_ci_high = 0;
  double mean = 0;            ///< mean of b[i] - a[i] (= mean(b) - mean(a))
  double mean_ci_low = 0;     ///< paired percentile bootstrap interval of the mean difference
  double mean_ci_high = 0;
  double relative = 0;        ///< mean difference over mean(a); NaN when mean(a) is 0
  double relative_median = 0; ///< median difference over median(a); NaN when median(a) is 0
  double hodges_lehmann = 0;  ///< hodges_lehmann(b - a)
  SignedRankTest test;        ///< Wilcoxon signed-rank test of b - a
  double p_value = 1;         ///< test.p_value, before any correction for multiplicity
};

/// The paired comparison of b with a. `a` and `b` must have the same size.
[[nodiscard]] PairedDifference paired_difference(std::span<const double> a, std::span<const double> b,
                                                 const BootstrapOptions& options = {},
                                                 const SignedRankOptions& test = {});

}  // namespace wiresim::report
