// wiresim: the command line. Subcommands only; no simulation logic here.

// GCC 12 reports a "potential null pointer dereference" inside CLI11's
// inlined string splitting (a false positive in a system header).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <CLI/CLI.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "report_commands.hpp"

namespace {

/// `text` as a whole number in [min, max], or a CLI11 validation error that
/// names the accepted range. CLI11's own conversion clamps "-1", "1e23" and
/// 2^64 to 2^64-1 without a word (issue 13), so numbers are read here: digits
/// only, no sign, no exponent, no rounding.
std::uint64_t whole_number(const std::string& option, const std::string& text, std::uint64_t min, std::uint64_t max,
                           const std::string& range) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (!digits || ec != std::errc{} || ptr != end || v < min || v > max) {
    throw CLI::ValidationError(option, fmt::format("'{}' is not a whole number from {}", text, range));
  }
  return v;
}

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();
constexpr const char* kSeedRange = "0 to 18446744073709551615 (2^64-1)";

using wiresim::cli::RunArgs;
using wiresim::cli::ScenarioArgs;

/// --allow-site DIR, repeatable: on run, validate and compare.
void add_allow_site(CLI::App& cmd, std::vector<std::string>& dirs) {
  cmd.add_option("--allow-site", dirs,
                 "Let site: serve this folder although it is outside the scenario's folder tree (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);
}

/// The options `run` and `validate` share.
void add_scenario_options(CLI::App& cmd, ScenarioArgs& args) {
  cmd.add_option("scenario", args.scenario, "The scenario file (YAML)")->required();
  cmd.add_option("--set", args.sets, "Override a scenario value by its path, e.g. links.access.loss=2%")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  add_allow_site(cmd, args.allow_sites);
  cmd.add_option_function<std::string>(
         "--seed", [&args](const std::string& t) { args.seed = whole_number("--seed", t, 0, kMaxU64, kSeedRange); },
         "Use this seed instead of the scenario's (0 to 2^64-1)")
      ->type_name("N");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wiresim: a deterministic network simulator", "wiresim"};
  app.set_version_flag("--version", std::string("wiresim ") + WIRESIM_VERSION);
  app.require_subcommand(1);

  RunArgs run;
  CLI::App* run_cmd = app.add_subcommand("run", "Run a scenario and write its outputs to a folder");
  add_scenario_options(*run_cmd, run.input);
  run_cmd->add_option("--out", run.out, "Output folder (default: output/<scenario name>)")->type_name("DIR");
  run_cmd->add_flag("-q,--quiet", run.quiet, "Print nothing but errors");

  ScenarioArgs validate;
  CLI::App* validate_cmd = app.add_subcommand("validate", "Check a scenario and report every problem in it");
  add_scenario_options(*validate_cmd, validate);

  wiresim::cli::CompareArgs compare;
  CLI::App* compare_cmd = app.add_subcommand(
      "compare", "Run every combination of --vary values over many seeds and compare them (table, CSV, JSON, HTML)");
  compare_cmd->add_option("scenario", compare.scenario, "The scenario file (YAML)")->required();
  compare_cmd->add_option("--vary", compare.vary, "A factor and its values, e.g. apps.browser.max_connections=1,6 or links.access.loss=[0%, {model: gilbert_elliott, p: 1%, r: 30%}]")
      ->type_name("KEY=V1,V2,...")
      ->allow_extra_args(false);
  compare_cmd->add_option("--set", compare.sets, "Override a scenario value in every run")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  add_allow_site(*compare_cmd, compare.allow_sites);
  compare_cmd
      ->add_option_function<std::string>(
          "--seeds",
          [&compare](const std::string& t) {
            compare.seeds = whole_number("--seeds", t, 1, wiresim::cli::kMaxSeeds, "1 to 1000000");
          },
          "Seeds per combination, 1 to 1000000 (paired: the same seeds for all); default 20")
      ->type_name("N");
  compare_cmd
      ->add_option_function<std::string>(
          "--first-seed",
          [&compare](const std::string& t) {
            compare.first_seed = whole_number("--first-seed", t, 1, kMaxU64, "1 to 18446744073709551615 (2^64-1)");
          },
          "The first seed (default: the scenario's seed)")
      ->type_name("N");
  compare_cmd
      ->add_option_function<std::string>(
          "-j,--jobs",
          [&compare](const std::string& t) {
            compare.jobs = static_cast<unsigned>(whole_number("--jobs", t, 1, std::numeric_limits<unsigned>::max(),
                                                              "1 to 4294967295 (more than the cores runs on every core)"));
          },
          "Runs in parallel (default and at most: every core); results do not depend on it")
      ->type_name("J");
  compare_cmd->add_option("--out", compare.out, "Output folder (default: output/<scenario name>-compare)")
      ->type_name("DIR");
  compare_cmd->add_flag("--no-examples", compare.no_examples,
                        "Skip the example run of each combination (captures, traces) and the report's waterfalls");
  compare_cmd
      ->add_option_function<std::string>(
          "--example-seed",
          [&compare](const std::string& t) {
            compare.example_seed =
                whole_number("--example-seed", t, 1, kMaxU64, "1 to 18446744073709551615 (2^64-1)");
          },
          "The seed of the example runs (waterfalls, captures); one of the compare's seeds. Default: the seed "
          "whose page load time is the baseline's median")
      ->type_name("N");
  compare_cmd->add_flag("-q,--quiet", compare.quiet, "Print nothing but errors");

  wiresim::cli::ExplainArgs explain;
  CLI::App* explain_cmd = app.add_subcommand(
      "explain", "Tell the story of TCP connections in a run folder or any capture: every frame, Wireshark's analysis "
                 "labels, both ends' states, losses and their causes");
  explain_cmd->add_option("input", explain.run_dir, "A folder written by `wiresim run`, or a capture file (pcap, pcapng)")
      ->required();
  explain_cmd->add_option("--conn", explain.conn, "Only this connection (Wireshark's tcp.stream number, from 0)")
      ->type_name("N");
  explain_cmd->add_option("--capture", explain.capture, "Which capture of the run folder to read (default: the first)")->type_name("NAME");
  explain_cmd->add_flag("--all", explain.all, "Print every frame (runs of plain data segments are folded otherwise)");
  explain_cmd->add_option("--svg", explain.svg, "Also write the sequence diagram as SVG (needs --conn)")->type_name("FILE");
  explain_cmd->add_option("--html", explain.html, "Also write the sequence diagrams as an HTML page")->type_name("FILE");

  wiresim::cli::DiffArgs diff;
  CLI::App* diff_cmd = app.add_subcommand(
      "diff", "Compare two captures (real or simulated) or run folders: TCP connections side by side, and where they diverge");
  diff_cmd->add_option("a", diff.a, "A capture file (pcap, pcapng) or a run folder")->required();
  diff_cmd->add_option("b", diff.b, "Another capture file or run folder")->required();
  diff_cmd->add_option("--pair", diff.pairs, "Pair connections by hand, A=B by SYN order from 0 (default 0=0,1=1,...)")
      ->type_name("A=B,...");
  diff_cmd->add_flag("--json", diff.json, "Print the comparison as JSON (keys in README)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help, version or the error
    return rc == 0 ? wiresim::cli::kExitOk : wiresim::cli::kExitBadInput;
  }
  if (run_cmd->parsed()) return wiresim::cli::run_command(run);
  if (compare_cmd->parsed()) return wiresim::cli::compare_command(compare);
  if (explain_cmd->parsed()) return wiresim::cli::explain_command(explain);
  if (diff_cmd->parsed()) return wiresim::cli::diff_command(diff);
  return wiresim::cli::validate_command(validate);
}
