#pragma once
/// Running whole scenarios from integration tests: through the built
/// `wiresim` executable (exactly what a user types) or in-process through
/// the scenario API, plus small readers for what a run leaves behind.
///
/// The paths come from compile definitions set in
/// tests/integration/CMakeLists.txt: WIRESIM_TEST_SOURCE_DIR (the source
/// tree) and WIRESIM_TEST_CLI (the `wiresim` binary of this build).

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "wiresim/scenario/loader.hpp"

namespace wiresim::test {

/// The source tree's root (holding scenarios/).
std::filesystem::path source_dir();
/// The `wiresim` executable built alongside the tests.
std::filesystem::path cli_path();

/// Runs `wiresim ARGS...` and returns its exit status and output (stdout and
/// stderr merged, for failure messages).
ProcessResult run_cli(const std::vector<std::string>& args);

/// `wiresim run FILE --out OUT --quiet [EXTRA...]`.
ProcessResult run_scenario_cli(const std::filesystem::path& file, const std::filesystem::path& out,
                               const std::vector<std::string>& extra = {});

/// Loads the scenario `text` (as if it were the file `origin`) and runs it
/// in-process into the folder `out` (created atomically, as `wiresim run`
/// does). Returns run_scenario's result: 0 on success. Throws
/// std::runtime_error with every diagnostic if the text does not load.
int run_scenario_text(std::string_view text, const std::filesystem::path& out,
                      const scenario::LoadOptions& options = {},
                      const std::filesystem::path& origin = "inline.yaml");

/// Every regular file directly in `dir`, by name, with its bytes.
std::map<std::string, std::vector<std::uint8_t>> folder_files(const std::filesystem::path& dir);

/// Names of the files that differ between two folders: present in one
/// only, or with different bytes. Empty if the folders are byte-identical.
std::vector<std::string> differing_files(const std::filesystem::path& a, const std::filesystem::path& b);

/// summary.json of a finished run.
nlohmann::ordered_json read_summary(const std::filesystem::path& out);

/// The counters object of the connection that `node` holds in summary.json;
/// fails the test (REQUIRE) unless there is exactly one.
nlohmann::ordered_json connection_counters(const nlohmann::ordered_json& summary, std::string_view node);

/// retransmits_timeout + retransmits_fast + retransmits_sack + retransmits_tlp of `counters`.
std::uint64_t retransmits_total(const nlohmann::ordered_json& counters);

/// tshark (checksum validation on) reads `file` without complaint: no
/// malformed frame, every IP and TCP checksum good, no expert error, only
/// TCP; and it holds exactly `frames` frames.
void check_capture_clean(const std::string& file, std::uint64_t frames);

/// The lines of `text` (without their '\n').
std::vector<std::string> split_lines(const std::string& text);
/// The tab-separated fields of one tshark line.
std::vector<std::string> split_tabs(const std::string& line);

}  // namespace wiresim::test
