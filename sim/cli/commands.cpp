#include "commands.hpp"

#include <cstdio>
#include <exception>
#include <tuple>

#include <unistd.h>

#include <fmt/format.h>

#include "interrupt.hpp"
#include "progress.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/output_dir.hpp"
#include "wiresim/scenario/run.hpp"

namespace wiresim::cli {
namespace {

using scenario::LoadResult;

/// Loads the scenario; prints every problem and warning on stderr.
LoadResult load(const ScenarioArgs& args) {
  const auto allowed = allowed_site_dirs(args.allow_sites);
  if (!allowed) return LoadResult{std::nullopt, {}};
  LoadResult result = scenario::load_scenario_file(args.scenario, scenario::LoadOptions{args.sets, args.seed, *allowed});
  print_problems(result.diagnostics, result.warnings);
  if (!result.ok()) {
    fmt::print(stderr, "wiresim: {} problem{} found; nothing was run\n", result.diagnostics.size(),
               result.diagnostics.size() == 1 ? "" : "s");
  }
  return result;
}

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

#if WIRESIM_HAVE_RUNNER
/// Runs into `out`; returns the exit code. Exits by the signal if interrupted.
int run_into(const scenario::Scenario& s, const RunArgs& args, scenario::OutputDir& out) {
  ProgressLine progress(stderr, !args.quiet && ::isatty(STDERR_FILENO) == 1);
  const scenario::RunOptions options{s.seed, args.quiet, args.input.scenario, args.input.sets, &interrupt_flag(),
                                     [&progress](const scenario::RunProgress& p) { progress.update(p); }};
  int rc = kExitRunFailed;
  try {
    rc = scenario::run_scenario(s, options, out) == 0 ? kExitOk : kExitRunFailed;
  } catch (const std::exception& e) {
    fmt::print(stderr, "wiresim: the run failed: {}\n", e.what());
  }
  if (interrupt_flag().load()) {
    out.discard();
    fmt::print(stderr, "wiresim: interrupted; {} was left as it was\n", out.final_path().string());
    exit_by_interrupt_signal();
  }
  if (rc != kExitOk) return rc;
  try {
    out.commit();
  } catch (const scenario::OutputRefused& e) {
    fmt::print(stderr, "wiresim: error: {}\nwiresim: the run's outputs were discarded\n", e.what());
    return kExitBadInput;
  }
  if (!args.quiet) fmt::print("wiresim: wrote {}\n", out.final_path().string());
  return kExitOk;
}
#endif

}  // namespace

void print_problems(const std::vector<scenario::Diagnostic>& errors, const std::vector<scenario::Diagnostic>& warnings) {
  // Merged in file order (each list is sorted already); at one position the error first.
  std::size_t w = 0;
  const auto before = [](const scenario::Diagnostic& a, const scenario::Diagnostic& b) {
    return std::tie(a.where.source, a.where.line, a.where.column) < std::tie(b.where.source, b.where.line, b.where.column);
  };
  for (const scenario::Diagnostic& e : errors) {
    for (; w < warnings.size() && before(warnings[w], e); ++w) fmt::print(stderr, "{}\n", warning_text(warnings[w]));
    fmt::print(stderr, "{}\n", to_string(e));
  }
  for (; w < warnings.size(); ++w) fmt::print(stderr, "{}\n", warning_text(warnings[w]));
}

std::optional<std::vector<std::filesystem::path>> allowed_site_dirs(const std::vector<std::string>& dirs) {
  std::vector<std::filesystem::path> out;
  for (const std::string& d : dirs) {
    std::error_code ec;
    if (d.empty() || !std::filesystem::is_directory(d, ec)) {
      fmt::print(stderr, "--allow-site {}: no such folder (expected a folder that site: may name)\n", d);
      return std::nullopt;
    }
    out.emplace_back(d);
  }
  return out;
}

int validate_command(const ScenarioArgs& args) {
  const LoadResult result = load(args);
  if (!result.ok()) return kExitBadInput;
  const scenario::Scenario& s = *result.scenario;
  fmt::print("{}: ok: scenario '{}' with {}, {}, {}, {} and {}\n", args.scenario, s.name,
             plural(s.hosts.size(), "host"), plural(s.routers.size(), "router"), plural(s.links.size(), "link"),
             plural(s.apps.size(), "app"), plural(s.captures.size(), "capture"));
  return kExitOk;
}

int run_command(const RunArgs& args) {
  const LoadResult result = load(args.input);
  if (!result.ok()) return kExitBadInput;
#if WIRESIM_HAVE_RUNNER
  const scenario::Scenario& s = *result.scenario;
  try {
    install_interrupt_handlers();
    scenario::OutputDir out(args.out.empty() ? "output/" + s.name : args.out,
                            scenario::scenario_inputs(s, args.input.scenario), output_label(args.out));
    return run_into(s, args, out);
  } catch (const scenario::OutputRefused& e) {
    fmt::print(stderr, "wiresim: error: {}\nwiresim: nothing was run or written\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "wiresim: {}\n", e.what());
    return kExitRunFailed;
  }
#else
  fmt::print(stderr,
             "wiresim: the simulation engine is not built in yet (sim/scenario/run.cpp is missing); "
             "the scenario is valid, and nothing was run\n");
  return kExitRunFailed;
#endif
}

}  // namespace wiresim::cli
