#include "run_helpers.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <stdexcept>

#include "file_bytes.hpp"
#include "tshark.hpp"
#include "wiresim/scenario/output_dir.hpp"
#include "wiresim/scenario/run.hpp"

namespace wiresim::test {

std::filesystem::path source_dir() { return WIRESIM_TEST_SOURCE_DIR; }

std::filesystem::path cli_path() { return WIRESIM_TEST_CLI; }

ProcessResult run_cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv{cli_path().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, Stderr::kMerge);
}

ProcessResult run_scenario_cli(const std::filesystem::path& file, const std::filesystem::path& out,
                               const std::vector<std::string>& extra) {
  std::vector<std::string> args{"run", file.string(), "--out", out.string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

int run_scenario_text(std::string_view text, const std::filesystem::path& out,
                      const scenario::LoadOptions& options, const std::filesystem::path& origin) {
  scenario::LoadResult loaded = scenario::load_scenario_text(text, origin, options);
  if (!loaded.ok()) {
    std::string all;
    for (const scenario::Diagnostic& d : loaded.diagnostics) all += to_string(d) + "\n";
    throw std::runtime_error("scenario does not load:\n" + all);
  }
  scenario::RunOptions run;
  run.seed = loaded.scenario->seed;
  run.quiet = true;
  run.scenario_file = origin;
  run.overrides = options.overrides;
  scenario::OutputDir dir(out);
  const int status = scenario::run_scenario(*loaded.scenario, run, dir);
  if (status == 0) dir.commit();
  return status;
}

std::map<std::string, std::vector<std::uint8_t>> folder_files(const std::filesystem::path& dir) {
  std::map<std::string, std::vector<std::uint8_t>> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) out.emplace(entry.path().filename().string(), file_bytes(entry.path().string()));
  }
  return out;
}

std::vector<std::string> differing_files(const std::filesystem::path& a, const std::filesystem::path& b) {
  const auto fa = folder_files(a);
  const auto fb = folder_files(b);
  std::set<std::string> names;
  for (const auto& [name, bytes] : fa) names.insert(name);
  for (const auto& [name, bytes] : fb) names.insert(name);
  std::vector<std::string> diff;
  for (const std::string& name : names) {
    const auto ia = fa.find(name);
    const auto ib = fb.find(name);
    if (ia == fa.end() || ib == fb.end() || ia->second != ib->second) diff.push_back(name);
  }
  return diff;
}

nlohmann::ordered_json read_summary(const std::filesystem::path& out) {
  const std::vector<std::uint8_t> bytes = file_bytes((out / "summary.json").string());
  REQUIRE(!bytes.empty());
  return nlohmann::ordered_json::parse(bytes.begin(), bytes.end());
}

nlohmann::ordered_json connection_counters(const nlohmann::ordered_json& summary, std::string_view node) {
  std::vector<nlohmann::ordered_json> found;
  for (const auto& c : summary.at("connections")) {
    if (c.at("node").get<std::string>() == node) found.push_back(c.at("counters"));
  }
  INFO("connections of node " << node);
  REQUIRE(found.size() == 1);
  return found.front();
}

std::uint64_t retransmits_total(const nlohmann::ordered_json& counters) {
  return counters.at("retransmits_timeout").get<std::uint64_t>() + counters.at("retransmits_fast").get<std::uint64_t>() +
         counters.at("retransmits_sack").get<std::uint64_t>() + counters.at("retransmits_tlp").get<std::uint64_t>();
}

void check_capture_clean(const std::string& file, std::uint64_t frames) {
  INFO("capture " << file);
  CHECK(line_count(tshark_fields(file, {"frame.number"})) == frames);
  // One pass for every complaint (each tshark start costs a quarter second):
  // malformed frames, expert errors, bad or unverified checksums, and any
  // frame that is not TCP over IPv4 (nothing else is ever sent). TCP's
  // "Reassemble out-of-order segments" is on, as scenarios/README.md tells
  // users to set it for lossy HTTP/2 captures: an HTTP/2 frame that spans a
  // lost segment is complete only with the retransmission, and without the
  // preference Wireshark's HTTP2 dissector calls it malformed.
  std::vector<std::string> argv = tshark_base(file);
  argv.insert(argv.end(), {"-o", "tcp.reassemble_out_of_order:TRUE", "-Y",
                           "_ws.malformed || _ws.expert.severity == error || ip.checksum.status != 1 || "
                           "tcp.checksum.status != 1 || !tcp",
                           "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info"});
  const ProcessResult result = run_process(argv, Stderr::kDiscard);
  REQUIRE(result.exit_status == 0);
  CHECK(result.output.empty());
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}

}  // namespace wiresim::test
