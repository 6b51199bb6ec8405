#include "wiresim/report/stats.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "wiresim/core/rng.hpp"

namespace wiresim::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// The exact null distribution counts sign patterns in 64 bits: 2^n must fit.
constexpr std::size_t kMaxExactN = 62;

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

bool cancelled(const BootstrapOptions& o) {
  return o.cancel != nullptr && o.cancel->load(std::memory_order_relaxed);
}

/// The type 7 median of a resample given as counts: `counts[order[i]]` is how
/// often the i-th smallest value (`value(order[i])`) was drawn, `n` draws in
/// all. The same formula as quantile_sorted(sorted resample, 0.5).
template <typename Value>
double median_of_counts(std::span<const std::uint32_t> counts, std::span<const std::size_t> order, std::size_t n,
                        Value value) {
  const std::size_t lo = (n - 1) / 2;  // 0-based positions of the middle order statistics
  const std::size_t hi = n / 2;
  double x_lo = 0;
  std::size_t seen = 0;
  for (const std::size_t k : order) {
    const std::size_t next = seen + counts[k];
    if (seen <= lo && lo < next) x_lo = value(k);
    if (seen <= hi && hi < next) {
      const double h = 0.5 * static_cast<double>(n - 1);
      return x_lo + (h - static_cast<double>(lo)) * (value(k) - x_lo);
    }
    seen = next;
  }
  return x_lo;  // not reached: the counts add up to n
}

/// [low, high]: the percentile interval of bootstrap replicates (sorted in place).
std::pair<double, double> percentile_interval(std::vector<double>& replicates, double confidence) {
  std::sort(replicates.begin(), replicates.end());
  const double alpha = 1 - confidence;
  return {quantile_sorted(replicates, alpha / 2), quantile_sorted(replicates, 1 - alpha / 2)};
}

/// Indexes 0..n-1 ordered by `key(i)`, ties by index.
template <typename Key>
std::vector<std::size_t> order_by(std::size_t n, Key key) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return key(x) < key(y); });
  return order;
}

/// A key that orders finite doubles as their values (-0.0 just below +0.0).
std::uint64_t ordered_key(double x) {
  const auto u = std::bit_cast<std::uint64_t>(x);
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  return (u & kSign) != 0 ? ~u : u | kSign;
}

double from_ordered_key(std::uint64_t k) {
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  return std::bit_cast<double>((k & kSign) != 0 ? k & ~kSign : ~k);
}

/// The Walsh averages (d[i] + d[j]) / 2, i <= j, of sorted `d` that are <= t.
/// Each average grows with i and with j (rounding is monotonic), so one
/// walk of j downwards counts them in O(n).
std::uint64_t walsh_at_most(std::span<const double> d, double t) {
  std::uint64_t count = 0;
  std::size_t j = d.size();  // one past the last j with an average <= t
  for (std::size_t i = 0; i < d.size(); ++i) {
    while (j > i && (d[i] + d[j - 1]) / 2 > t) --j;
    if (j <= i) break;  // (d[i] + d[i]) / 2 > t: so are the rest
    count += j - i;
  }
  return count;
}

/// The k-th smallest (1-based) Walsh average of sorted `d`: the smallest
/// double t with at least k averages <= t, found by bisection over the
/// doubles between d.front() and d.back() (at most 64 steps).
double walsh_order_statistic(std::span<const double> d, std::uint64_t k) {
  std::uint64_t lo = ordered_key(d.front());  // the answer is in [lo, hi]
  std::uint64_t hi = ordered_key(d.back());
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (walsh_at_most(d, from_ordered_key(mid)) >= k) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return from_ordered_key(lo);
}

/// Midranks of `values` (all >= 0), doubled so that they are whole numbers:
/// a run of ties over 1-based positions i..j gets i + j each. Also the tie
/// correction sum of (t^3 - t) over the runs.
struct DoubledRanks {
  std::vector<std::uint64_t> rank2;  ///< per value, in the input's order
  double tie_sum = 0;
};

DoubledRanks doubled_midranks(std::span<const double> values) {
  const std::vector<std::size_t> order = order_by(values.size(), [&](std::size_t k) { return values[k]; });
  DoubledRanks out;
  out.rank2.resize(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) out.rank2[order[k]] = (i + 1) + (j + 1);
    const auto t = static_cast<double>(j - i + 1);
    out.tie_sum += t * t * t - t;
    i = j + 1;
  }
  return out;
}

/// Two-sided p of V from its exact permutation distribution: each of the n
/// ranks is positive or negative with probability 1/2, independently
/// (Hollander and Wolfe section 3.1; with ties the distribution of the
/// midranks, conditional on them). `v2` and the ranks are doubled.
double exact_p(std::span<const std::uint64_t> rank2, std::uint64_t v2) {
  std::uint64_t total = 0;
  for (const std::uint64_t r : rank2) total += r;
  std::vector<std::uint64_t> ways{1};  // ways[s]: sign patterns whose positive ranks sum to s
  ways.resize(total + 1, 0);
  std::uint64_t reach = 0;
  for (const std::uint64_t r : rank2) {
    reach += r;
    for (std::uint64_t s = reach; s >= r; --s) ways[s] += ways[s - r];
  }
  std::uint64_t below = 0;  // P(V <= v) * 2^n
  std::uint64_t above = 0;  // P(V >= v) * 2^n
  for (std::uint64_t s = 0; s <= total; ++s) {
    if (s <= v2) below += ways[s];
    if (s >= v2) above += ways[s];
  }
  const double tail = std::ldexp(static_cast<double>(std::min(below, above)), -static_cast<int>(rank2.size()));
  return std::min(1.0, 2 * tail);
}

/// Two-sided p of V from the normal approximation: mean n(n+1)/4, variance
/// n(n+1)(2n+1)/24 - sum(t^3 - t)/48 over tied runs (Hollander and Wolfe
/// eq. 3.13; R's wilcox.test), optionally with a continuity correction.
void normal_p(SignedRankTest& t, double tie_sum, bool continuity) {
  const auto n = static_cast<double>(t.n);
  const double mean = n * (n + 1) / 4;
  const double var = n * (n + 1) * (2 * n + 1) / 24 - tie_sum / 48;
  if (!(var > 0)) {  // not for n >= 1 (all tied: n(n+1)(3n+3)/48); kept so that z is never 0/0
    t.z = 0;
    t.p_value = 1;
    return;
  }
  const double centred = t.v - mean;
  const double correction = continuity ? (centred > 0 ? 0.5 : centred < 0 ? -0.5 : 0.0) : 0.0;
  t.z = (centred - correction) / std::sqrt(var);
  t.p_value = std::min(1.0, std::erfc(std::fabs(t.z) / std::sqrt(2.0)));  // 2 (1 - Phi(|z|))
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

Summary summarize(std::span<const double> values, const BootstrapOptions& options) {
  Summary s;
  s.n = values.size();
  if (values.empty()) {
    s.mean = s.stddev = s.min = s.median = s.p95 = s.max = kNaN;
    s.mean_ci_low = s.mean_ci_high = s.median_ci_low = s.median_ci_high = kNaN;
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
  s.mean_ci_low = s.mean_ci_high = s.mean;
  s.median_ci_low = s.median_ci_high = s.median;
  // Every resample of one value, or of equal values, is that value: the
  // bootstrap distribution is a point.
  if (s.n < 2 || s.min == s.max || options.resamples == 0) return s;

  // A resample is kept as counts over the sorted values: its mean is the
  // sum of its draws, its median a walk over the counts (O(n) each).
  Rng rng(options.seed);
  std::vector<std::uint32_t> counts(s.n);
  std::vector<std::size_t> identity(s.n);
  std::iota(identity.begin(), identity.end(), std::size_t{0});
  std::vector<double> means;
  std::vector<double> medians;
  means.reserve(options.resamples);
  medians.reserve(options.resamples);
  for (std::size_t r = 0; r < options.resamples && !cancelled(options); ++r) {
    std::fill(counts.begin(), counts.end(), 0U);
    double total = 0;
    for (std::size_t i = 0; i < s.n; ++i) {
      const std::size_t k = rng.uniform_below(s.n);
      ++counts[k];
      total += sorted[k];
    }
    means.push_back(total / static_cast<double>(s.n));
    medians.push_back(median_of_counts(counts, identity, s.n, [&](std::size_t k) { return sorted[k]; }));
  }
  if (means.empty()) return s;
  std::tie(s.mean_ci_low, s.mean_ci_high) = percentile_interval(means, options.confidence);
  std::tie(s.median_ci_low, s.median_ci_high) = percentile_interval(medians, options.confidence);
  return s;
}

SignedRankTest signed_rank_test(std::span<const double> d, const SignedRankOptions& options) {
  SignedRankTest t;
  std::vector<double> magnitude;
  std::vector<std::uint8_t> positive;  // 1: the difference is > 0
  for (const double x : d) {
    if (x == 0) {
      ++t.zeros;  // Wilcoxon's zero rule: a zero difference says nothing about the sign
      continue;
    }
    magnitude.push_back(std::fabs(x));
    positive.push_back(x > 0 ? 1 : 0);
  }
  t.n = magnitude.size();
  if (t.n == 0) return t;  // all differences zero: no evidence of a shift, p = 1

  const DoubledRanks ranks = doubled_midranks(magnitude);
  std::uint64_t v2 = 0;
  for (std::size_t i = 0; i < t.n; ++i) {
    if (positive[i] != 0) v2 += ranks.rank2[i];
  }
  t.v = static_cast<double>(v2) / 2;
  if (t.n <= std::min(options.exact_max_n, kMaxExactN)) {
    t.exact = true;
    t.p_value = exact_p(ranks.rank2, v2);
  } else {
    normal_p(t, ranks.tie_sum, options.continuity_correction);
  }
  return t;
}

double hodges_lehmann(std::span<const double> d) {
  if (d.empty()) return kNaN;
  std::vector<double> sorted(d.begin(), d.end());
  std::sort(sorted.begin(), sorted.end());
  const std::uint64_t n = sorted.size();
  const std::uint64_t m = n * (n + 1) / 2;  // Walsh averages
  if (m % 2 == 1) return walsh_order_statistic(sorted, (m + 1) / 2);
  return (walsh_order_statistic(sorted, m / 2) + walsh_order_statistic(sorted, m / 2 + 1)) / 2;
}

std::vector<double> holm_adjust(std::span<const double> p) {
  std::vector<double> out(p.size(), kNaN);
  std::vector<std::size_t> tests;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isnan(p[i])) tests.push_back(i);
  }
  std::stable_sort(tests.begin(), tests.end(), [&](std::size_t x, std::size_t y) { return p[x] < p[y]; });
  const std::size_t m = tests.size();
  double running = 0;  // adjusted p-values never decrease along the order
  for (std::size_t j = 0; j < m; ++j) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - j) * p[tests[j]]));
    out[tests[j]] = running;
  }
  return out;
}

PairedDifference paired_difference(std::span<const double> a, std::span<const double> b,
                                   const BootstrapOptions& options, const SignedRankOptions& test) {
  if (a.size() != b.size()) throw std::invalid_argument("paired_difference: samples of different sizes");
  PairedDifference d;
  d.n = a.size();
  if (d.n == 0) {
    d.median_a = d.median_b = d.median_diff = d.median_ci_low = d.median_ci_high = kNaN;
    d.mean = d.mean_ci_low = d.mean_ci_high = d.relative = d.relative_median = d.hodges_lehmann = kNaN;
    d.p_value = d.test.p_value = kNaN;
    return d;
  }
  std::vector<double> diff(d.n);
  for (std::size_t i = 0; i < d.n; ++i) diff[i] = b[i] - a[i];
  const std::vector<std::size_t> by_a = order_by(d.n, [&](std::size_t k) { return a[k]; });
  const std::vector<std::size_t> by_b = order_by(d.n, [&](std::size_t k) { return b[k]; });
  const auto a_at = [&](std::size_t k) { return a[k]; };
  const auto b_at = [&](std::size_t k) { return b[k]; };
  std::vector<std::uint32_t> counts(d.n, 1);  // the sample itself: every pair once
  d.median_a = median_of_counts(counts, by_a, d.n, a_at);
  d.median_b = median_of_counts(counts, by_b, d.n, b_at);
  d.median_diff = d.median_b - d.median_a;
  d.mean = mean_of(diff);
  const double mean_a = mean_of(a);
  d.relative = mean_a != 0 ? d.mean / mean_a : kNaN;
  d.relative_median = d.median_a != 0 ? d.median_diff / d.median_a : kNaN;
  d.hodges_lehmann = hodges_lehmann(diff);
  d.test = signed_rank_test(diff, test);
  d.p_value = d.test.p_value;

  // Paired percentile bootstrap: a resample draws seeds, each bringing its
  // pair (a, b), so the intervals keep the pairing the test relies on.
  d.mean_ci_low = d.mean_ci_high = d.mean;
  d.median_ci_low = d.median_ci_high = d.median_diff;
  if (d.n < 2 || options.resamples == 0) return d;
  Rng rng(options.seed);
  std::vector<double> means;
  std::vector<double> medians;
  means.reserve(options.resamples);
  medians.reserve(options.resamples);
  for (std::size_t r = 0; r < options.resamples && !cancelled(options); ++r) {
    std::fill(counts.begin(), counts.end(), 0U);
    double total = 0;
    for (std::size_t i = 0; i < d.n; ++i) {
      const std::size_t k = rng.uniform_below(d.n);
      ++counts[k];
      total += diff[k];
    }
    means.push_back(total / static_cast<double>(d.n));
    medians.push_back(median_of_counts(counts, by_b, d.n, b_at) - median_of_counts(counts, by_a, d.n, a_at));
  }
  if (means.empty()) return d;
  std::tie(d.mean_ci_low, d.mean_ci_high) = percentile_interval(means, options.confidence);
  std::tie(d.median_ci_low, d.median_ci_high) = percentile_interval(medians, options.confidence);
  return d;
}

}  // namespace wiresim::report
