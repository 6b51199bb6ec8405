#include "wiresim/report/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <boost/math/distributions/students_t.hpp>

#include "wiresim/core/rng.hpp"

namespace wiresim::report {
namespace {

double sum(std::span<const double> v) {
  double s = 0;
  for (const double x : v) s += x;  // fixed order: the same bits everywhere
  return s;
}

double mean_of(std::span<const double> v) { return v.empty() ? 0.0 : sum(v) / static_cast<double>(v.size()); }

double sample_stddev(std::span<const double> v, double mean) {
  if (v.size() < 2) return 0;
  double ss = 0;
  for (const double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

}  // namespace

double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return 0;
  if (q <= 0) return sorted.front();
  if (q >= 1) return sorted.back();
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double t_critical(double confidence, double df) {
  if (!(confidence > 0 && confidence < 1) || !(df > 0)) throw std::invalid_argument("t_critical: bad arguments");
  const boost::math::students_t dist(df);
  return boost::math::quantile(dist, 0.5 + confidence / 2);
}

Summary summarize(std::span<const double> values, double confidence) {
  Summary s;
  s.n = values.size();
  if (values.empty()) {
    s.mean = s.stddev = s.min = s.median = s.p95 = s.max = s.ci_low = s.ci_high = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  s.mean = mean_of(values);
  s.stddev = sample_stddev(values, s.mean);
  s.min = sorted.front();
  s.max = sorted.back();
  s.median = quantile_sorted(sorted, 0.5);
  s.p95 = quantile_sorted(sorted, 0.95);
  s.ci_low = s.ci_high = s.mean;
  if (s.n >= 2) {
    const double half = t_critical(confidence, static_cast<double>(s.n - 1)) * s.stddev /
                        std::sqrt(static_cast<double>(s.n));
    s.ci_low = s.mean - half;
    s.ci_high = s.mean + half;
  }
  return s;
}

PairedDifference paired_difference(std::span<const double> a, std::span<const double> b,
                                   const BootstrapOptions& options) {
  if (a.size() != b.size()) throw std::invalid_argument("paired_difference: samples of different sizes");
  PairedDifference d;
  d.n = a.size();
  if (d.n == 0) {
    d.mean = d.relative = d.ci_low = d.ci_high = std::numeric_limits<double>::quiet_NaN();
    return d;
  }
  std::vector<double> diff(d.n);
  for (std::size_t i = 0; i < d.n; ++i) diff[i] = b[i] - a[i];
  d.mean = mean_of(diff);
  const double mean_a = mean_of(a);
  d.relative = mean_a != 0 ? d.mean / mean_a : std::numeric_limits<double>::quiet_NaN();

  // Paired t-test on the differences.
  const double sd = sample_stddev(diff, d.mean);
  if (d.n >= 2 && sd > 0) {
    const double df = static_cast<double>(d.n - 1);
    d.t_statistic = d.mean / (sd / std::sqrt(static_cast<double>(d.n)));
    const boost::math::students_t dist(df);
    d.p_value = 2 * boost::math::cdf(boost::math::complement(dist, std::fabs(d.t_statistic)));
  } else if (d.n >= 2) {
    d.p_value = d.mean == 0 ? 1.0 : 0.0;  // every pair differs by the same non-zero amount
  }  // one pair: nothing can be inferred (p stays 1)

  // Percentile bootstrap of the mean difference.
  d.ci_low = d.ci_high = d.mean;
  if (d.n >= 2 && options.resamples > 0) {
    Rng rng(options.seed);
    std::vector<double> means(options.resamples);
    for (double& m : means) {
      if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) break;
      double s = 0;
      for (std::size_t i = 0; i < d.n; ++i) s += diff[rng.uniform_below(d.n)];
      m = s / static_cast<double>(d.n);
    }
    std::sort(means.begin(), means.end());
    const double alpha = 1 - options.confidence;
    d.ci_low = quantile_sorted(means, alpha / 2);
    d.ci_high = quantile_sorted(means, 1 - alpha / 2);
  }
  d.significant = d.n >= 2 && (d.ci_low > 0 || d.ci_high < 0);
  return d;
}

}  // namespace wiresim::report
