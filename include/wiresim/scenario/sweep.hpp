#pragma once
/// Runs one scenario many times: every combination of `--vary` values for
/// seeds first_seed .. first_seed + seeds - 1, on several threads. Each run
/// is its own World (worlds share only what is immutable: each
/// combination's scenario with outputs off and the loaded sites, both
/// resolved once per sweep), with captures and traces off; results are
/// delivered in (combination, seed) order, so they are the same whatever
/// the number of threads, and memory holds only
/// their metric values (report::RunTable). Implemented in sim/scenario/sweep.cpp
/// (target wiresim_runner).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/report/compare.hpp"
#include "wiresim/report/figures.hpp"
#include "wiresim/scenario/diagnostic.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

class World;

/// Every combination loaded and validated before anything runs.
struct SweepPlan {
  report::CompareSetup setup;
  std::vector<Scenario> scenarios;        ///< one per combination (seed not yet set)
  std::vector<Diagnostic> diagnostics;    ///< problems of any combination; non-empty = nothing runs
  std::vector<Diagnostic> warnings{};     ///< warnings of any combination, each once
  [[nodiscard]] bool ok() const { return diagnostics.empty(); }
};

/// Loads `file` once per combination, with setup.sets then that
/// combination's values applied as `--set`s. Fills setup.scenario.
/// `allowed_site_dirs` as in LoadOptions (--allow-site).
[[nodiscard]] SweepPlan plan_sweep(const std::filesystem::path& file, report::CompareSetup setup,
                                   const std::vector<std::filesystem::path>& allowed_site_dirs = {});

struct SweepOptions {
  unsigned jobs = 1;                                  ///< worker threads, >= 1
  const std::atomic<bool>* interrupted = nullptr;     ///< polled; stops the sweep when set
  /// Called after each run with (runs done, runs in all), from the worker
  /// that finished it, one call at a time.
  std::function<void(std::size_t, std::size_t)> progress;
  /// When set: per combination, one seed (example_seed) is also run with
  /// every output (captures, TCP traces with cwnd, HAR, summary.json) into
  /// `<examples_dir>/<combination slug>/`, after every measured run.
  std::optional<std::filesystem::path> examples_dir;
  /// Chooses the example runs' seed from the measured runs (the same seed
  /// for every combination, so the examples stay paired); unset: the first seed.
  std::function<std::uint64_t(const report::RunTable&)> example_seed;
  /// Called with each measured run in (combination, seed) order, one call
  /// at a time, once it and every run before it have finished (compare.csv
  /// is written from here as the sweep goes).
  std::function<void(const report::RunMetrics&)> on_run;
};

struct SweepResult {
  /// The metric values of every delivered run, (combination, seed) order;
  /// complete unless interrupted.
  report::RunTable table;
  std::vector<report::Waterfall> waterfalls;  ///< per combination, from its example run (if any)
  std::uint64_t example_seed = 0;             ///< the seed of the example runs (0: none ran)
  bool interrupted = false;
  /// What SweepOptions::on_run threw (it stopped the sweep); empty otherwise.
  std::string error;
};

[[nodiscard]] SweepResult run_sweep(const SweepPlan& plan, const SweepOptions& options);

/// What a finished world measured (the fields of RunMetrics but combination and seed).
[[nodiscard]] report::RunMetrics metrics_of(const World& world);
/// The first page load of the world's first browser; empty without one.
[[nodiscard]] std::optional<report::Waterfall> waterfall_of(const World& world);

}  // namespace wiresim::scenario
