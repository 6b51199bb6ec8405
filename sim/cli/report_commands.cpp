#include "report_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>

#include "commands.hpp"
#include "interrupt.hpp"
#include "wiresim/capture/buffered_file.hpp"
#include "wiresim/report/compare.hpp"
#include "wiresim/report/diff.hpp"
#include "wiresim/report/explain.hpp"
#include "wiresim/report/html_report.hpp"
#include "wiresim/report/run_folder.hpp"
#include "wiresim/scenario/output_dir.hpp"
#include "wiresim/scenario/sweep.hpp"
#include "wiresim/scenario/vary.hpp"

namespace wiresim::cli {
namespace {

/// "runs 37/208, 1.2 s, about 3.4 s left" on a terminal, in place.
class CompareProgress {
 public:
  explicit CompareProgress(bool enabled) : enabled_(enabled), start_(Clock::now()) {}
  void update(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double left = done == 0 ? 0 : elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    const std::string line = fmt::format("compare: runs {}/{}, {:.1f} s, about {:.1f} s left", done, total, elapsed, left);
    fmt::print(stderr, "\r{:<{}}", line, shown_);
    shown_ = std::max(shown_, line.size());
    std::fflush(stderr);
  }
  void erase() {
    if (!enabled_ || shown_ == 0) return;
    fmt::print(stderr, "\r{:<{}}\r", "", shown_);
    std::fflush(stderr);
    shown_ = 0;
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  Clock::time_point start_;
  Clock::time_point last_{};
  std::size_t shown_ = 0;
};

/// Refuses sweeps beyond the documented limits (README.md): seeds per
/// combination, combinations, runs in all. Prints why.
bool within_limits(const report::CompareSetup& setup) {
  std::uint64_t combos = 1;
  for (const report::Factor& f : setup.factors) {
    combos *= f.values.size();
    if (combos > kMaxCombinations) {
      fmt::print(stderr, "--vary: more than {} combinations of values; at most {} per compare\n", kMaxCombinations,
                 kMaxCombinations);
      return false;
    }
  }
  if (combos * setup.seeds > kMaxRuns) {
    fmt::print(stderr, "--seeds {} x {} combination{} = {} runs; at most {} runs (combinations x seeds) per compare\n",
               setup.seeds, combos, combos == 1 ? "" : "s", combos * setup.seeds, kMaxRuns);
    return false;
  }
  return true;
}

/// --jobs, at most the cores the machine gives (0: all of them). More
/// threads than cores only cost memory, and past the OS's thread limit
/// they cannot be made at all; says so on stderr when it clamps.
unsigned jobs_for(unsigned asked) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (asked == 0) return cores;
  if (asked > cores) {
    fmt::print(stderr, "wiresim: --jobs {}: this machine has {} core{}; running {} at a time\n", asked, cores,
               cores == 1 ? "" : "s", cores);
    return cores;
  }
  return asked;
}

/// The runs' warnings (a drop rule that never fired), gathered as the runs
/// are delivered in (combination, seed) order: per rule, how many runs gave
/// it and the first of them. Printed once, after the sweep.
class SweepWarnings {
 public:
  void add(const report::CompareSetup& setup, const report::RunMetrics& r) {
    constexpr std::string_view kNeverFired = " never fired: ";
    for (const std::string& w : r.warnings) {
      const std::size_t at = w.find(kNeverFired);
      const std::string rule = w.substr(0, at);
      auto [it, fresh] = rules_.try_emplace(rule);
      if (fresh) {
        it->second.first = fmt::format("{}, seed {}: {}", setup.label(r.combination), r.seed,
                                       at == std::string::npos ? w : w.substr(at + kNeverFired.size()));
      }
      ++it->second.runs;
    }
  }
  void print(std::size_t runs) const {
    for (const auto& [rule, seen] : rules_) {
      fmt::print(stderr, "wiresim: warning: {} never fired in {} of {} runs (first: {})\n", rule, seen.runs, runs,
                 seen.first);
    }
  }

 private:
  struct Seen {
    std::size_t runs = 0;
    std::string first;
  };
  std::map<std::string, Seen> rules_;
};

void write_file(const std::filesystem::path& p, const std::string& text) {
  capture::BufferedFile f(p.string());
  f.write_text(text);
  f.close();
}

}  // namespace

int compare_command(const CompareArgs& args) {
  report::CompareSetup setup;
  setup.scenario_file = args.scenario;
  setup.sets = args.sets;
  setup.seeds = args.seeds;
  setup.first_seed = args.first_seed.value_or(0);  // 0: the scenario's seed (plan_sweep)
  for (const std::string& v : args.vary) {
    std::vector<scenario::Diagnostic> problems;
    auto f = scenario::parse_vary(v, problems);
    for (const scenario::Diagnostic& d : problems) fmt::print(stderr, "{}\n", to_string(d));
    if (!f) return kExitBadInput;
    for (const report::Factor& g : setup.factors) {
      if (g.key == f->key) {
        fmt::print(stderr, "--vary {}: '{}' is varied twice\n", v, f->key);
        return kExitBadInput;
      }
    }
    setup.factors.push_back(std::move(*f));
  }
  if (!within_limits(setup)) return kExitBadInput;
  const auto allowed = allowed_site_dirs(args.allow_sites);
  if (!allowed) return kExitBadInput;
  const scenario::SweepPlan plan = scenario::plan_sweep(args.scenario, setup, *allowed);
  print_problems(plan.diagnostics, plan.warnings);
  if (!plan.ok()) {
    fmt::print(stderr, "wiresim: {} problem{} found; nothing was run\n", plan.diagnostics.size(),
               plan.diagnostics.size() == 1 ? "" : "s");
    return kExitBadInput;
  }
  const report::CompareSetup& s = plan.setup;
  if (s.first_seed > std::numeric_limits<std::uint64_t>::max() - (s.seeds - 1)) {
    fmt::print(stderr, "--seeds {} from seed {}: the last seed would pass 18446744073709551615 (2^64-1)\n", s.seeds,
               s.first_seed);
    return kExitBadInput;
  }
  std::optional<report::ExampleSeed> chosen_example;
  if (args.example_seed) {
    if (args.no_examples) {
      fmt::print(stderr, "--example-seed {}: there are no example runs with --no-examples; drop one of the two\n",
                 *args.example_seed);
      return kExitBadInput;
    }
    std::string error;
    chosen_example = report::chosen_example_seed(s, *args.example_seed, error);
    if (!chosen_example) {
      fmt::print(stderr, "{}\n", error);
      return kExitBadInput;
    }
  }
  try {
    install_interrupt_handlers();
    std::vector<scenario::ProtectedPath> inputs;
    for (const scenario::Scenario& sc : plan.scenarios) {
      for (scenario::ProtectedPath& p : scenario::scenario_inputs(sc, args.scenario)) inputs.push_back(std::move(p));
    }
    scenario::OutputDir out(args.out.empty() ? "output/" + s.scenario + "-compare" : args.out, inputs,
                            output_label(args.out));
    CompareProgress progress(!args.quiet && ::isatty(STDERR_FILENO) == 1);
    scenario::SweepOptions options;
    options.jobs = jobs_for(args.jobs);
    options.interrupted = &interrupt_flag();
    options.progress = [&progress](std::size_t done, std::size_t total) { progress.update(done, total); };
    report::ExampleSeed example;
    if (!args.no_examples) {
      options.examples_dir = out.path() / "examples";
      options.example_seed = [&](const report::RunTable& table) {
        example = chosen_example ? *chosen_example : report::default_example_seed(s, table);
        return example.seed;
      };
    }
    // compare.csv is written as the runs finish, in (combination, seed)
    // order: nothing of a run but its metric values stays in memory.
    capture::BufferedFile csv((out.path() / "compare.csv").string());
    csv.write_text(report::compare_csv_header(s));
    SweepWarnings warnings;
    options.on_run = [&csv, &s, &warnings](const report::RunMetrics& r) {
      csv.write_text(report::compare_csv_row(s, r));
      warnings.add(s, r);
    };
    const auto wall_start = std::chrono::steady_clock::now();
    scenario::SweepResult result = scenario::run_sweep(plan, options);
    progress.erase();
    if (!result.error.empty()) throw std::runtime_error(result.error);
    // The statistics poll the flag too: a bootstrap over many seeds takes seconds.
    report::CompareAggregate agg;
    if (!result.interrupted) agg = report::aggregate(s, result.table, &interrupt_flag());
    if (result.interrupted || interrupt_flag().load()) {
      out.discard();
      fmt::print(stderr, "wiresim: interrupted; {} was left as it was\n", out.final_path().string());
      exit_by_interrupt_signal();
    }
    csv.close();
    write_file(out.path() / "compare.json", report::compare_json(s, agg));

    report::ReportInput in;
    in.setup = &s;
    in.aggregate = &agg;
    in.runs = &result.table;
    in.waterfalls = std::move(result.waterfalls);
    in.version = WIRESIM_VERSION;
    in.example = example;
    if (!args.no_examples) {
      in.examples_folder = "examples";
      // The time-sequence graph: the example run with the most retransmissions.
      const std::size_t example_k = example.seed - s.first_seed;
      const auto retransmissions = [&result, example_k](std::size_t c) {
        return result.table.value(c, example_k, report::Metric::kRetransmissions);
      };
      std::optional<std::size_t> pick;
      for (std::size_t c = 0; c < s.combination_count(); ++c) {
        if (!retransmissions(c)) continue;  // the run failed
        if (!pick || *retransmissions(c) > *retransmissions(*pick)) pick = c;
      }
      if (pick) {
        const report::RunFolder run = report::open_run_folder(out.path() / "examples" / s.slug(*pick));
        if (!run.captures.empty()) {
          in.time_sequence = report::busiest_time_sequence(run, run.captures.front());
          if (in.time_sequence) {
            in.time_sequence->run = fmt::format("{}, seed {} (examples/{})", s.label(*pick), example.seed, s.slug(*pick));
          }
        }
      }
    }
    write_file(out.path() / "report.html", report::compare_html(in));
    try {
      out.commit();
    } catch (const scenario::OutputRefused& e) {
      fmt::print(stderr, "wiresim: error: {}\nwiresim: the comparison's outputs were discarded\n", e.what());
      return kExitBadInput;
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    warnings.print(result.table.size());
    if (!args.quiet) {
      std::fputs(report::compare_table(s, agg).c_str(), stdout);
      std::fputs(report::failures_text(s, agg).c_str(), stdout);
      fmt::print("\n{} runs on {} thread{} in {:.2f} s\nwiresim: wrote {} (compare.csv, compare.json, report.html{})\n",
                 result.table.size(), options.jobs, options.jobs == 1 ? "" : "s", wall, out.final_path().string(),
                 args.no_examples ? "" : ", examples/");
    }
    return kExitOk;
  } catch (const scenario::OutputRefused& e) {
    fmt::print(stderr, "wiresim: error: {}\nwiresim: nothing was run or written\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "wiresim: compare failed: {}\n", e.what());
    return kExitRunFailed;
  }
}

namespace {

/// The ladders of a run folder's capture (--capture NAME, default the first).
/// Prints the problem and returns nullopt on bad input.
std::optional<std::vector<report::Ladder>> run_folder_ladders(const ExplainArgs& args, std::string& title) {
  report::RunFolder run;
  try {
    run = report::open_run_folder(args.run_dir);
  } catch (const std::exception& e) {
    fmt::print(stderr, "wiresim: {}\n", e.what());
    return std::nullopt;
  }
  if (run.captures.empty()) {
    fmt::print(stderr, "wiresim: {} has no capture; add one to the scenario's `captures` and run it again\n",
               args.run_dir);
    return std::nullopt;
  }
  const report::RunFolder::Capture* cap = &run.captures.front();
  if (!args.capture.empty()) {
    cap = nullptr;
    std::string names;
    for (const auto& c : run.captures) {
      if (c.name == args.capture) cap = &c;
      names += (names.empty() ? "" : ", ") + c.name;
    }
    if (cap == nullptr) {
      fmt::print(stderr, "wiresim: --capture {}: no such capture in {}; it has: {}\n", args.capture, args.run_dir, names);
      return std::nullopt;
    }
  }
  title = fmt::format("{}: TCP in {}", run.scenario, cap->file);
  return report::build_ladders(run, *cap);
}

}  // namespace

int explain_command(const ExplainArgs& args) {
  std::vector<report::Ladder> ladders;
  std::string title;
  const std::filesystem::path input(args.run_dir);
  if (std::filesystem::is_directory(input)) {
    try {
      auto l = run_folder_ladders(args, title);
      if (!l) return kExitBadInput;
      ladders = std::move(*l);
    } catch (const std::exception& e) {
      fmt::print(stderr, "wiresim: {}\n", e.what());
      return kExitRunFailed;
    }
  } else {
    if (!args.capture.empty()) {
      fmt::print(stderr, "wiresim: --capture names a capture of a run folder; {} is a capture file\n", args.run_dir);
      return kExitBadInput;
    }
    try {
      ladders = report::build_capture_ladders(input);
    } catch (const std::exception& e) {
      fmt::print(stderr, "wiresim: {}\n", e.what());
      return kExitBadInput;
    }
    title = fmt::format("TCP in {}", input.filename().string());
  }
  try {
    const std::string file = ladders.empty() ? args.run_dir : ladders.front().capture;
    if (args.conn) {
      if (*args.conn >= ladders.size()) {
        fmt::print(stderr, "wiresim: --conn {}: {} has {} TCP stream{} (0 to {})\n", *args.conn, file,
                   ladders.size(), ladders.size() == 1 ? "" : "s", ladders.empty() ? 0 : ladders.size() - 1);
        return kExitBadInput;
      }
      ladders = {ladders[*args.conn]};
    }
    if (!args.svg.empty() && ladders.size() != 1) {
      fmt::print(stderr, "wiresim: --svg writes one diagram: choose a connection with --conn N\n");
      return kExitBadInput;
    }
    for (std::size_t i = 0; i < ladders.size(); ++i) {
      if (i > 0) std::fputs("\n", stdout);
      std::fputs(report::ladder_text(ladders[i], args.all).c_str(), stdout);
    }
    if (report::needs_reassembly_hint(ladders)) std::fputs(("\n" + report::reassembly_hint()).c_str(), stdout);
    if (!args.svg.empty()) write_file(args.svg, report::ladder_svg(ladders.front()));
    if (!args.html.empty()) write_file(args.html, report::ladders_html(title, ladders));
  } catch (const std::exception& e) {
    fmt::print(stderr, "wiresim: {}\n", e.what());
    return kExitRunFailed;
  }
  return kExitOk;
}

namespace {
/// "0=1,1=0" -> {(0,1), (1,0)}; prints the problem and returns nullopt when malformed.
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> parse_pairs(const std::string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (text.empty()) return out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t comma = text.find(',', pos);
    const std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    const std::size_t eq = item.find('=');
    const auto digits = [](const std::string& d) {
      return !d.empty() && d.size() < 6 && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (eq == std::string::npos || !digits(item.substr(0, eq)) || !digits(item.substr(eq + 1))) {
      fmt::print(stderr, "wiresim: --pair {}: expected A=B,... with connection numbers from 0 (e.g. 0=1,1=0)\n", text);
      return std::nullopt;
    }
    out.emplace_back(std::stoul(item.substr(0, eq)), std::stoul(item.substr(eq + 1)));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}
}  // namespace

int diff_command(const DiffArgs& args) {
  const auto pairs = parse_pairs(args.pairs);
  if (!pairs) return kExitBadInput;
  report::DiffResult d;
  try {
    d = report::diff_captures(args.a, args.b, *pairs);
  } catch (const std::exception& e) {
    fmt::print(stderr, "wiresim: {}\n", e.what());
    return kExitBadInput;
  }
  std::fputs((args.json ? report::diff_json(d) : report::diff_text(d)).c_str(), stdout);
  return kExitOk;
}

}  // namespace wiresim::cli
