#pragma once
/// The compare report's plots, and the data each is drawn from as plain
/// values so tests can check them exactly:
///   - across seeds: ECDFs of page load time per combination, the paired
///     difference of every seed, failure rates with their intervals, and
///     which seed the example runs use (--example-seed, or the baseline's
///     median seed);
///   - one connection of an example run: the time-sequence (Stevens) graph
///     with resends marked by cause, duplicate ACKs and SACK blocks; the
///     receive window (beside cwnd) in a panel of its own; cwnd and
///     ssthresh; throughput; the sender's RTT estimate.
/// Every plot uses kPlotFrame's plot area, so figures stacked in the page
/// share their x pixels. Implemented in sim/report/plots.cpp and
/// sim/report/connection_plots.cpp.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/report/compare.hpp"
#include "wiresim/report/figures.hpp"

namespace wiresim::report {

/// Pixels of a plot: the SVG is `width` wide; the data area spans x from
/// `left` to `right`; above it `legend_top` starts the legend rows.
struct PlotFrame {
  double width = 1000;
  double left = 90;
  double right = 980;
  double legend_top = 12;
  double legend_row = 18;
};
inline constexpr PlotFrame kPlotFrame{};

// ----- the example seed -------------------------------------------------

/// Which seed the example runs (waterfalls, captures, the connection plots) use.
struct ExampleSeed {
  std::uint64_t seed = 0;
  std::string why;  ///< one sentence for the report, e.g. "the median seed of ..."
};

/// The index k (seed first_seed + k) of the median seed of `combination`:
/// the seed whose page load time is the lower median of the combination's
/// loaded seeds (for 2m seeds the m-th smallest), ties to the smaller seed.
/// Seeds whose load failed have no time and take no part. Empty when none loaded.
[[nodiscard]] std::optional<std::size_t> median_seed_index(const RunTable& runs, std::size_t combination);

/// The default example seed: the median seed of the baseline (combination
/// 0, every factor at its first value), or the first seed when no baseline
/// load completed; `why` says which and why.
[[nodiscard]] ExampleSeed default_example_seed(const CompareSetup& setup, const RunTable& runs);

/// `--example-seed N` checked against the compare's seeds; empty (and
/// `error` set) when N is not among them.
[[nodiscard]] std::optional<ExampleSeed> chosen_example_seed(const CompareSetup& setup, std::uint64_t seed,
                                                             std::string& error);

// ----- failures -----------------------------------------------------------

/// Whether run (combination c, seed index k) failed: the run itself ended
/// with an error, a page load of it failed, or none completed (then it has
/// no page load time). The one place the report decides this: when the
/// runs carry a richer status, this is the function to change.
[[nodiscard]] bool run_failed(const RunTable& runs, std::size_t c, std::size_t k);

struct FailureRate {
  std::size_t runs = 0;
  std::size_t failed = 0;
  double rate = 0;      ///< failed / runs; 0 when there are no runs
  double ci_low = 0;    ///< Wilson score 95% interval of the rate
  double ci_high = 0;
};
/// The failure rate of combination `c` over its seeds.
[[nodiscard]] FailureRate failure_rate(const RunTable& runs, std::size_t c);

/// Wilson's score interval for `failed` of `runs` at z = 1.96 (95%):
/// E. B. Wilson, "Probable inference, the law of succession, and
/// statistical inference", JASA 22 (1927) 209-212; recommended over the
/// Wald interval for small n and rates near 0 or 1 by Brown, Cai and
/// DasGupta, Statistical Science 16 (2001) 101-133. {0, 0} for no runs.
[[nodiscard]] std::pair<double, double> wilson_interval(std::size_t failed, std::size_t runs);

/// Horizontal bars: each combination's failure rate with its interval.
[[nodiscard]] std::string failure_svg(const CompareSetup& setup, const RunTable& runs);

// ----- ECDF -----------------------------------------------------------------

struct StepPoint {
  double x = 0;
  double y = 0;
};
/// The vertices of the empirical distribution function of `values` as a
/// step line: for each distinct value x (ascending), (x, F(x-)) then (x, F(x)),
/// where F counts values <= x over `total` (>= values.size(): runs without
/// a value are failures, so the line ends at the share that has one).
[[nodiscard]] std::vector<StepPoint> ecdf_steps(std::vector<double> values, std::size_t total);

/// One ECDF step line of page load time per combination, one colour each.
[[nodiscard]] std::string ecdf_svg(const CompareSetup& setup, const RunTable& runs);

// ----- paired differences ---------------------------------------------------

struct SeedDifference {
  std::uint64_t seed = 0;
  double ms = 0;  ///< page load time of b minus that of a
};
/// Page load time of combination b minus combination a, seed by seed, for
/// the seeds where both have one, in seed order.
[[nodiscard]] std::vector<SeedDifference> paired_differences(const CompareSetup& setup, const RunTable& runs,
                                                             std::size_t a, std::size_t b);

/// One panel per page-load-time Difference of `agg`: every seed's
/// difference as a dot, seeds ordered by it, blue below zero (faster),
/// red above (slower), grey at zero; the median difference dashed.
[[nodiscard]] std::string paired_difference_svg(const CompareSetup& setup, const RunTable& runs,
                                                const CompareAggregate& agg);

// ----- one connection -------------------------------------------------------

/// A resend's reason from tcp-retransmits.csv reduced to its kind, for a
/// marker: "RTO", "fast retransmit", "NewReno partial ACK", "SACK recovery",
/// "RACK", "tail loss probe", "SYN-ACK for a repeated SYN", or "resend
/// (cause not traced)" for "" (sim/tcp/trace.cpp writes the reasons).
[[nodiscard]] std::string resend_kind(const std::string& cause);

/// Time-sequence graph: data segments, resends with a marker per kind,
/// ACKs, duplicate ACKs, SACK blocks. The window is in window_svg.
[[nodiscard]] std::string time_sequence_svg(const TimeSequence& ts);
/// The receiver's advertised window beside the sender's cwnd: the sender
/// may have the smaller of the two unacknowledged (RFC 5681 §2).
[[nodiscard]] std::string window_svg(const TimeSequence& ts);
/// The sender's cwnd and ssthresh (from tcp-cwnd.csv), resends as ticks.
[[nodiscard]] std::string cwnd_svg(const TimeSequence& ts);
/// Data rate at the capture point (every data byte, resends included) and
/// goodput (bytes newly acknowledged), in `kThroughputBins` equal intervals.
[[nodiscard]] std::string throughput_svg(const TimeSequence& ts);
inline constexpr std::size_t kThroughputBins = 40;
/// The sender's smoothed RTT and RTO (RFC 6298) over time, from tcp-cwnd.csv.
[[nodiscard]] std::string rtt_svg(const TimeSequence& ts);

}  // namespace wiresim::report
