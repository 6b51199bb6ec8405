#pragma once
/// The run summary: summary.json (byte-identical for the same scenario and
/// seed: no wall-clock figures in it) and the short text for the terminal.

#include <filesystem>
#include <string>
#include <vector>

#include "wiresim/scenario/run.hpp"
#include "wiresim/scenario/world.hpp"

namespace wiresim::scenario {

/// summary.json's text: scenario, seed, overrides, stop reason, simulator
/// statistics, app results, per-connection counters, per-link traffic and
/// drops by cause, TCP stack statistics, capture files.
std::string summary_json(const World& world, const RunOptions& options, StopReason reason);

/// Ends a finished run's outputs in `dir`: closes the world's files (HAR,
/// captures, traces) and writes summary.json.
void write_outputs(World& world, const RunOptions& options, StopReason reason, const std::filesystem::path& dir);

/// What a finished run should tell its user although nothing failed: each
/// drop rule that dropped no packet in either direction it applies to
/// ("drop rule links.path.drop.0 never fired: no packet matched it"), in
/// link and rule order. summary.json's `warnings`; `run` prints them on stderr.
std::vector<std::string> run_warnings(const World& world);

/// A few lines for people: per app result, retransmissions, drops, files.
std::string summary_text(const World& world, StopReason reason, const std::string& out_dir);

}  // namespace wiresim::scenario
