#pragma once
/// Statistics for comparing runs: descriptive summaries with a confidence
/// interval for the mean, and the difference between two paired samples
/// (variant A and variant B of the same seeds) with a bootstrap confidence
/// interval and a paired t-test.
///
/// Everything is deterministic: the bootstrap draws from our own PCG
/// generator with a fixed seed, and sums run in a fixed order, so the same
/// data give the same figures on every machine and compiler.

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

/// The two-sided critical value of Student's t distribution with `df`
/// degrees of freedom for `confidence` (e.g. 0.95 -> t_{0.975, df}).
[[nodiscard]] double t_critical(double confidence, double df);

/// A sample described. An empty sample has n = 0 and NaN for every
/// figure: there is no mean of nothing (JSON writes null, tables "-").
struct Summary {
  std::size_t n = 0;
  double mean = 0;
  double stddev = 0;   ///< sample standard deviation (n - 1); 0 when n < 2
  double min = 0;
  double median = 0;
  double p95 = 0;
  double max = 0;
  /// Confidence interval of the mean from Student's t (mean +- t * s / sqrt(n));
  /// both equal the mean when n < 2.
  double ci_low = 0;
  double ci_high = 0;
};

/// Describes `values` with a `confidence` interval for the mean.
[[nodiscard]] Summary summarize(std::span<const double> values, double confidence = 0.95);

/// B minus A over paired observations (a[i] and b[i] come from the same seed).
/// With no pairs, the mean, relative difference and interval are NaN.
struct PairedDifference {
  std::size_t n = 0;
  double mean = 0;        ///< mean of b[i] - a[i]
  double relative = 0;    ///< mean difference over mean(a); NaN when mean(a) is 0
  /// Percentile bootstrap interval of the mean difference: the pairs are
  /// resampled with replacement `resamples` times.
  double ci_low = 0;
  double ci_high = 0;
  double t_statistic = 0; ///< paired t-test (0 when the differences do not vary)
  double p_value = 1;     ///< two-sided, from the paired t-test
  /// The bootstrap interval excludes zero (never with fewer than two pairs).
  bool significant = false;
};

struct BootstrapOptions {
  double confidence = 0.95;
  std::size_t resamples = 10'000;
  std::uint64_t seed = 0x77697265u;  ///< fixed: the same data give the same interval
  /// Polled between resamples: once true, the bootstrap stops early and its
  /// interval is meaningless (the caller is abandoning the result: a
  /// signal arrived). With 100,000 pairs a bootstrap takes seconds.
  const std::atomic<bool>* cancel = nullptr;
};

/// The paired difference b - a. `a` and `b` must have the same size.
[[nodiscard]] PairedDifference paired_difference(std::span<const double> a, std::span<const double> b,
                                                 const BootstrapOptions& options = {});

}  // namespace wiresim::report
