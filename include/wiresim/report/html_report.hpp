#pragma once
/// report.html of `wiresim compare`: one self-contained file (inline CSS
/// and SVG, no scripts, nothing fetched) with the table, the paired
/// differences, per-seed paired differences, page load time ECDFs and
/// distributions, failure rates, a waterfall of one page load per
/// combination (the example seed), and one connection of it up close
/// (plots.hpp).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/report/compare.hpp"
#include "wiresim/report/figures.hpp"
#include "wiresim/report/plots.hpp"

namespace wiresim::report {

struct ReportInput {
  const CompareSetup* setup = nullptr;
  const CompareAggregate* aggregate = nullptr;
  const RunTable* runs = nullptr;
  std::vector<Waterfall> waterfalls;           ///< one per combination (seed example.seed), may be empty
  ExampleSeed example;                         ///< the example runs' seed and why it was chosen
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
/// (The ECDF, paired-difference, failure and connection plots: plots.hpp.)

}  // namespace wiresim::report
