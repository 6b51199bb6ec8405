#pragma once
/// `wiresim compare`, `wiresim explain` and `wiresim diff`. Each returns the exit code:
/// 0 success, 1 failed, 2 bad input (nothing written).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wiresim::cli {

/// Limits of `wiresim compare` (README.md): the statistics keep 64 bytes per
/// run (report::RunTable), so at most 64 MB, and the scenario is loaded once
/// per combination before anything runs.
inline constexpr std::uint64_t kMaxSeeds = 1'000'000;
inline constexpr std::uint64_t kMaxRuns = 1'000'000;  ///< combinations x seeds
inline constexpr std::uint64_t kMaxCombinations = 10'000;

struct CompareArgs {
  std::string scenario;
  std::vector<std::string> vary;        ///< KEY=V1,V2,...
  std::vector<std::string> sets;        ///< --set KEY=VALUE for every run
  std::vector<std::string> allow_sites;  ///< --allow-site DIR
  std::size_t seeds = 20;
  std::optional<std::uint64_t> first_seed;  ///< default: the scenario's seed
  unsigned jobs = 0;                    ///< 0 = every core; more than the cores: clamped to them
  std::string out;                      ///< default output/<name>-compare
  bool no_examples = false;             ///< skip the example runs (and the report's waterfalls)
  std::optional<std::uint64_t> example_seed;  ///< the example runs' seed; default the baseline's median seed
  bool quiet = false;
};

struct ExplainArgs {
  std::string run_dir;
  std::optional<std::size_t> conn;      ///< Wireshark's tcp.stream; all when absent
  std::string capture;                  ///< capture name; default the first
  std::string svg;                      ///< write the diagram(s) as SVG here
  std::string html;                     ///< write them as an HTML page here
  bool all = false;                     ///< print every frame (no folding of plain data runs)
};

/// `wiresim diff A B`: two captures or run folders side by side.
struct DiffArgs {
  std::string a;
  std::string b;
  std::string pairs;  ///< --pair "0=1,1=0": connection of A = connection of B, by SYN order
  bool json = false;  ///< --json: the result as JSON (keys in README)
};

int compare_command(const CompareArgs& args);
int diff_command(const DiffArgs& args);
int explain_command(const ExplainArgs& args);

}  // namespace wiresim::cli
