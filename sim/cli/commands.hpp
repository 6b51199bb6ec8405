#pragma once
/// The subcommands of `wiresim`. Each returns the process exit code:
/// 0 success, 1 the run failed, 2 bad input (nothing written).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/scenario/diagnostic.hpp"

namespace wiresim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRunFailed = 1;
inline constexpr int kExitBadInput = 2;

/// What `run` and `validate` take from the command line.
struct ScenarioArgs {
  std::string scenario;              ///< the scenario file
  std::vector<std::string> sets;     ///< --set KEY=VALUE, in order
  std::optional<std::uint64_t> seed; ///< --seed N
  /// --allow-site DIR: a folder outside the scenario's tree sites may use
  std::vector<std::string> allow_sites{};
};

/// The --allow-site folders as LoadOptions wants them; prints and returns
/// nullopt if one is not an existing folder.
std::optional<std::vector<std::filesystem::path>> allowed_site_dirs(const std::vector<std::string>& dirs);
/// Prints `errors` ("F:L:C: error: ...") and `warnings` ("F:L:C: warning:
/// ...") on stderr, merged in file order.
void print_problems(const std::vector<scenario::Diagnostic>& errors, const std::vector<scenario::Diagnostic>& warnings);

struct RunArgs {
  ScenarioArgs input;
  std::string out;     ///< --out DIR; empty = output/<scenario name>
  bool quiet = false;  ///< --quiet
};

/// How errors name an output folder: "--out" when the user gave one.
inline const char* output_label(const std::string& out) { return out.empty() ? "output folder" : "--out"; }

/// `wiresim validate`: prints every problem, or a one-line summary.
int validate_command(const ScenarioArgs& args);
/// `wiresim run`: validates, runs into a temporary folder, commits it.
int run_command(const RunArgs& args);

}  // namespace wiresim::cli
