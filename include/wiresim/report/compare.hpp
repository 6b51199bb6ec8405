#pragma once
/// A comparison of scenario variants across seeds: what each run measured,
/// the aggregate per combination of factor values, the paired differences
/// between the values of each factor, and the files written from them
/// (compare.csv, compare.json, the terminal table). The runs themselves are
/// made by the scenario layer (scenario/sweep.hpp); this is plain data in,
/// text out.

#include <atomic>
#include <cstddef>
#include <iterator>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wiresim/report/failure_rate.hpp"
#include "wiresim/report/stats.hpp"

namespace wiresim::report {

/// One `--vary KEY=V1,V2,...`.
struct Factor {
  Factor() = default;
  Factor(std::string k, std::vector<std::string> v, std::string g = {}, std::vector<int> c = {})
      : key(std::move(k)), values(std::move(v)), given(std::move(g)), columns(std::move(c)) {}

  std::string key;                  ///< scenario path, e.g. "apps.browser.max_connections"
  std::vector<std::string> values;  ///< as given, e.g. {"1", "6"} or {"0%", "{model: bernoulli, p: 1%}"}
  std::string given;                ///< the --vary text, "KEY=VALUES"; empty = KEY=V1,V2,... rebuilt
  std::vector<int> columns;         ///< 1-based column of each value in "--vary " + given; may be empty
};

/// What one run (one combination, one seed) measured.
struct RunMetrics {
  std::size_t combination = 0;  ///< index into CompareSetup::combinations()
  std::uint64_t seed = 0;
  std::string error;            ///< the run itself failed (not a page load): nothing else is valid
  /// The first failed page load's error, "browser load 2: ..." (its
  /// browser app and load number first); empty when no load failed.
  std::string load_error;
  /// The HTTP status of the main document of that failed load, else of the
  /// first load (0: no response arrived); empty when the run loaded no page.
  std::optional<int> document_status;
  std::uint32_t page_loads = 0;     ///< started, over every browser
  std::uint32_t failed_loads = 0;   ///< ended with an error or never completed
  /// Mean over the run's page loads (start -> onload), ms; empty when the
  /// run failed (a failed load has no page load time, and a run with one is
  /// left out of the page-load statistics) or loaded no page.
  std::optional<double> page_load_ms;
  std::optional<double> ttfb_ms;    ///< mean time to first byte of the document, ms; empty as page_load_ms
  std::uint32_t connections = 0;    ///< TCP connections the browsers opened
  std::uint32_t handshakes = 0;     ///< of those, the ones whose handshake completed
  std::uint32_t unused_connections = 0;  ///< completed handshakes that carried no HTTP
  std::uint64_t retransmissions = 0;     ///< segments resent, every connection, both ends
  std::uint64_t wire_packets = 0;   ///< frames put on every link, both directions
  std::uint64_t wire_bytes = 0;     ///< their bytes (Ethernet frames)
  std::uint64_t drops = 0;          ///< frames lost on links, every cause
  std::uint64_t events = 0;         ///< simulator events
  std::string end_time_s;           ///< simulated time at the end, exact decimal
  /// What the run warned of (scenario::run_warnings: a drop rule that never
  /// fired); not kept by RunTable.
  std::vector<std::string> warnings{};

  /// The run failed: the run itself, or any of its page loads.
  [[nodiscard]] bool failed() const { return !error.empty() || failed_loads > 0; }
};

/// The grid: every combination of the factors' values, the first factor
/// varying slowest, for seeds first_seed .. first_seed + seeds - 1.
struct CompareSetup {
  std::string scenario;       ///< its name
  std::string scenario_file;  ///< as given
  std::vector<std::string> sets;  ///< --set texts applied to every run
  std::vector<Factor> factors;
  std::uint64_t first_seed = 1;
  std::size_t seeds = 1;

  [[nodiscard]] std::size_t combination_count() const;
  /// The value index of each factor in combination `c`.
  [[nodiscard]] std::vector<std::size_t> levels(std::size_t c) const;
  /// The combination with these value indexes.
  [[nodiscard]] std::size_t combination_of(const std::vector<std::size_t>& levels) const;
  /// "max_connections=1, loss=5%": the last part of each key.
  [[nodiscard]] std::string label(std::size_t c) const;
  /// "max_connections-1_loss-5pct": safe as a folder name (letters, digits,
  /// '.', '-', '_'; never "." or ".."), and unique: where two combinations
  /// would get the same name (values that differ only in characters
  /// replaced by '_', such as "a/b" and "a:b"), each gets "~N" appended, N
  /// its combination number ('~' appears in no name otherwise). slugs()
  /// computes all of them at once; slug(c) is slugs()[c].
  [[nodiscard]] std::string slug(std::size_t c) const;
  [[nodiscard]] std::vector<std::string> slugs() const;
  /// The --set texts that make combination `c` ("KEY=VALUE" per factor).
  [[nodiscard]] std::vector<std::string> sets_of(std::size_t c) const;
};

/// The last part of a dotted key: "apps.browser.max_connections" -> "max_connections".
[[nodiscard]] std::string short_key(const std::string& key);

/// The metrics compared, in table order.
enum class Metric : std::uint8_t {
  kPageLoadMs,
  kTtfbMs,
  kConnections,
  kHandshakes,
  kRetransmissions,
  kWireBytes,
  kFailedLoads,
};
inline constexpr Metric kAllMetrics[] = {Metric::kPageLoadMs,      Metric::kTtfbMs,    Metric::kConnections,
                                         Metric::kHandshakes,      Metric::kRetransmissions,
                                         Metric::kWireBytes,       Metric::kFailedLoads};
[[nodiscard]] const char* name_of(Metric m);   ///< "page_load_ms", ...
[[nodiscard]] const char* title_of(Metric m);  ///< "page load time (ms)", ...
/// The metric's value in a run, or empty if the run has none (no load completed).
[[nodiscard]] std::optional<double> value_of(const RunMetrics& r, Metric m);

inline constexpr std::size_t kMetricCount = std::size(kAllMetrics);

/// What the statistics keep of each run, in (combination, seed) order: the
/// value of every metric (NaN: none) and whether the run failed. 8 bytes per
/// metric per run and nothing else, so a sweep's memory does not depend on
/// what else a run reports (its compare.csv row is written as it finishes),
/// and it grows as runs are appended, never allocated up front.
class RunTable {
 public:
  RunTable() = default;
  RunTable(std::size_t combinations, std::size_t seeds) : combinations_(combinations), seeds_(seeds) {}
  /// Adds the next run in (combination, seed) order.
  void append(const RunMetrics& r);
  /// Runs appended so far; combinations() * seeds() when complete.
  [[nodiscard]] std::size_t size() const { return failed_.size(); }
  [[nodiscard]] std::optional<double> value(std::size_t c, std::size_t k, Metric m) const;
  [[nodiscard]] bool failed(std::size_t c, std::size_t k) const { return failed_[c * seeds_ + k] != 0; }
  [[nodiscard]] std::size_t combinations() const { return combinations_; }
  [[nodiscard]] std::size_t seeds() const { return seeds_; }

 private:
  std::size_t combinations_ = 0;
  std::size_t seeds_ = 0;
  std::vector<double> values_;         ///< [run][metric]
  std::vector<std::uint8_t> failed_;   ///< [run]: 1 when RunMetrics::failed()
};

struct CombinationStats {
  std::size_t combination = 0;
  std::size_t runs = 0;
  std::size_t failed_runs = 0;  ///< RunMetrics::failed() runs: an error, or a failed page load
  std::vector<Summary> metrics;  ///< one per kAllMetrics entry
};

/// The values of factor `factor` compared, with every other factor held at
/// the levels of `context`: value `b` against the factor's first value.
struct Difference {
  std::size_t factor = 0;
  std::size_t a = 0;           ///< combination of the baseline (the factor's first value)
  std::size_t b = 0;           ///< combination compared with it
  Metric metric = Metric::kPageLoadMs;
  PairedDifference diff;       ///< b - a over the seeds where both have a value
  /// diff.p_value corrected by Holm's procedure over every difference of
  /// the aggregate that has a test (at least one pair); NaN without one.
  double p_holm = std::numeric_limits<double>::quiet_NaN();
  /// The verdict: p_holm <= CompareAggregate::alpha. The same test gives
  /// the p-value and the verdict; the intervals describe the size.
  bool significant = false;
};

/// The family-wise significance level of the verdicts.
inline constexpr double kDefaultAlpha = 0.05;

struct CompareAggregate {
  std::vector<CombinationStats> combinations;
  std::vector<Difference> differences;  ///< every metric, along every factor
  double alpha = kDefaultAlpha;
  std::size_t tests = 0;  ///< differences with a test: the size of Holm's family
  std::vector<FailureComparison> failures;  ///< failure rates, for the same pairs of combinations
};

/// The runs of `table` summarised and compared. `cancel` (optional) is
/// polled: once true, aggregate returns early with partial figures, for a
/// caller that is abandoning them (a signal arrived).
[[nodiscard]] CompareAggregate aggregate(const CompareSetup& setup, const RunTable& table,
                                         const std::atomic<bool>* cancel = nullptr, double alpha = kDefaultAlpha);
/// The same from whole runs; `runs` holds every run, in (combination, seed) order.
[[nodiscard]] CompareAggregate aggregate(const CompareSetup& setup, const std::vector<RunMetrics>& runs);
/// The table of `runs` (every run, in (combination, seed) order).
[[nodiscard]] RunTable run_table(const CompareSetup& setup, const std::vector<RunMetrics>& runs);

/// compare.csv: a header, then one row per run in (combination, seed) order.
[[nodiscard]] std::string compare_csv(const CompareSetup& setup, const std::vector<RunMetrics>& runs);
/// Its header line and one run's row (each ending in a newline), for
/// writing the file as runs finish.
[[nodiscard]] std::string compare_csv_header(const CompareSetup& setup);
[[nodiscard]] std::string compare_csv_row(const CompareSetup& setup, const RunMetrics& r);
/// compare.json: the setup, per-combination summaries and the differences.
[[nodiscard]] std::string compare_json(const CompareSetup& setup, const CompareAggregate& agg);
/// The table for the terminal.
[[nodiscard]] std::string compare_table(const CompareSetup& setup, const CompareAggregate& agg);

/// "12.345" for ms figures and counts with a fixed number of decimals;
/// "nan"/"inf" never appear (they are written as "").
[[nodiscard]] std::string fixed(double v, int decimals);
/// As fixed(), but "-" where there is no figure: for tables people read.
[[nodiscard]] std::string shown(double v, int decimals);
/// "[low, high]" with shown() figures, or "-" when there is no interval.
[[nodiscard]] std::string interval(double low, double high, int decimals);

}  // namespace wiresim::report
