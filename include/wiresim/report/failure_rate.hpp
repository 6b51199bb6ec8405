#pragma once
/// Failures compared between two variants, paired by seed.
///
/// A run fails when the run itself failed or any of its page loads did
/// (RunMetrics::failed). Seed k of every combination draws from the same
/// random streams, so the outcomes are matched pairs of a binary variable,
/// and the test of "the two variants fail at the same rate" is McNemar's
/// (McNemar 1947): only the discordant pairs (seeds where exactly one side
/// failed) carry information. Under the null hypothesis each discordant pair
/// is equally likely to go either way, so the count of one kind is
/// Binomial(n_discordant, 1/2): the exact conditional McNemar test is the
/// two-sided binomial test on it (Fagerland, Lydersen and Laake 2013, BMC
/// Medical Research Methodology 13:91, "exact conditional"). p-values come
/// from Boost.Math's binomial distribution, never from a normal approximation.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wiresim::report {

class RunTable;
struct CompareSetup;

/// Two-sided exact McNemar p-value for `only_a` seeds where only the
/// baseline failed and `only_b` where only the variant failed:
/// min(1, 2 P(X <= min(only_a, only_b))), X ~ Binomial(only_a + only_b, 1/2);
/// 1 when there is no discordant pair.
[[nodiscard]] double exact_mcnemar_p(std::uint64_t only_a, std::uint64_t only_b);

/// The failures of variant `b` against baseline `a` (the factor's first
/// value, every other factor held), over every seed.
struct FailureComparison {
  std::size_t factor = 0;
  std::size_t a = 0;          ///< combination of the baseline
  std::size_t b = 0;          ///< combination compared with it
  std::size_t pairs = 0;      ///< seeds
  std::size_t failed_a = 0;   ///< seeds on which the baseline's run failed
  std::size_t failed_b = 0;
  std::size_t only_a = 0;     ///< discordant: the baseline failed, the variant did not
  std::size_t only_b = 0;     ///< discordant: the variant failed, the baseline did not
  double p_value = 1.0;       ///< exact_mcnemar_p(only_a, only_b)
  /// p_value corrected by Holm's procedure together with the paired
  /// differences of compare.hpp (one family); NaN without a discordant seed,
  /// which is no test (nothing to count) and stays out of the family.
  double p_holm = std::numeric_limits<double>::quiet_NaN();
  bool holm_significant = false;  ///< p_holm <= the aggregate's alpha
  [[nodiscard]] bool tested() const { return only_a + only_b > 0; }
  [[nodiscard]] bool significant() const { return holm_significant; }
};

/// The same pairs of combinations as the paired differences of compare.hpp
/// (each factor's values against its first, every other factor held), in
/// that order. `cancel` as for aggregate().
[[nodiscard]] std::vector<FailureComparison> compare_failures(const CompareSetup& setup, const RunTable& table,
                                                              const std::atomic<bool>* cancel = nullptr);

/// "12 of 30 (40.0%)".
[[nodiscard]] std::string failure_count_text(std::size_t failed, std::size_t runs);

struct CompareAggregate;

/// compare.json's `failures`: what a failed run is and what is left out,
/// the failed runs per combination, and each FailureComparison.
[[nodiscard]] nlohmann::ordered_json failures_json(const CompareSetup& setup, const CompareAggregate& agg);
/// The terminal's lines on failures: failed runs per combination and the
/// paired test of each pair; one line when no run failed.
[[nodiscard]] std::string failures_text(const CompareSetup& setup, const CompareAggregate& agg);
/// The report's "Failures" section: the rule, failed runs per combination,
/// and the paired test of each pair.
[[nodiscard]] std::string failures_html(const CompareSetup& setup, const CompareAggregate& agg);

}  // namespace wiresim::report
