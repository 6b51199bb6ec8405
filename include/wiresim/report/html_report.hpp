#pragma once
/// report.html of `wiresim compare`: one self-contained file (inline CSS
/// and SVG, no scripts, nothing fetched) with the table, the paired
/// differences, page load time distributions, a waterfall of one page load
/// per combination, and a time-sequence (Stevens) graph with the congestion
/// window of one connection.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/report/compare.hpp"
#include "wiresim/report/figures.hpp"

namespace wiresim::report {

struct ReportInput {
  const CompareSetup* setup = nullptr;
  const CompareAggregate* aggregate = nullptr;
  const RunTable* runs = nullptr;
  std::vector<Waterfall> waterfalls;           ///< one per combination (seed first_seed), may be empty
  std::optional<TimeSequence> time_sequence;   ///< one connection of one example run
  std::string examples_folder;                 ///< where the example runs are, relative to the report
  std::string version;                         ///< wiresim's version
};

[[nodiscard]] std::string compare_html(const ReportInput& in);

/// The most seeds drawn as dots per combination in distribution_svg (its
/// boxes use every seed): the page stays small however many seeds run.
inline constexpr std::size_t kMaxDistributionDots = 1000;

/// The figures alone (for tests and for other pages).
[[nodiscard]] std::string distribution_svg(const CompareSetup& setup, const RunTable& runs);
[[nodiscard]] std::string waterfall_svg(const Waterfall& w, const std::string& title);
[[nodiscard]] std::string time_sequence_svg(const TimeSequence& ts);
[[nodiscard]] std::string cwnd_svg(const TimeSequence& ts);

}  // namespace wiresim::report
