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

#include "commands.hpp"

namespace {

using wiresim::cli::RunArgs;
using wiresim::cli::ScenarioArgs;

/// The options `run` and `validate` share.
void add_scenario_options(CLI::App& cmd, ScenarioArgs& args) {
  cmd.add_option("scenario", args.scenario, "The scenario file (YAML)")->required();
  cmd.add_option("--set", args.sets, "Override a scenario value by its path, e.g. links.access.loss=2%")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  cmd.add_option("--seed", args.seed, "Use this seed instead of the scenario's")->type_name("N");
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help, version or the error
    return rc == 0 ? wiresim::cli::kExitOk : wiresim::cli::kExitBadInput;
  }
  if (run_cmd->parsed()) return wiresim::cli::run_command(run);
  return wiresim::cli::validate_command(validate);
}
