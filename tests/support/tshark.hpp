#pragma once
// tshark is the judge of every capture: helpers shared by the capture and
// integration tests. All runs switch IP and TCP checksum validation on.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"

namespace wiresim::test {

/// True if tshark is installed; otherwise WARNs loudly (the caller skips).
inline bool have_tshark() {
  if (program_available("tshark")) return true;
  WARN("tshark is not installed: SKIPPING the tshark capture checks (apt-get install tshark)");
  return false;
}

inline std::vector<std::string> tshark_base(const std::string& file) {
  return {"tshark", "-n", "-r", file, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"};
}

/// tshark's view of `file`, one line per frame, tab-separated `fields`,
/// optionally filtered by a display filter.
inline std::string tshark_fields(const std::string& file, const std::vector<std::string>& fields,
                                 const std::string& display_filter = {}) {
  std::vector<std::string> argv = tshark_base(file);
  if (!display_filter.empty()) {
    argv.push_back("-Y");
    argv.push_back(display_filter);
  }
  argv.push_back("-T");
  argv.push_back("fields");
  for (const std::string& f : fields) {
    argv.push_back("-e");
    argv.push_back(f);
  }
  const auto result = run_process(argv, Stderr::kDiscard);
  REQUIRE(result.exit_status == 0);
  return result.output;
}

/// The severity headings of `tshark -z expert`, e.g. {"Chats (2)"}.
inline std::vector<std::string> tshark_expert_headings(const std::string& file) {
  std::vector<std::string> argv = tshark_base(file);
  for (const char* a : {"-q", "-z", "expert"}) argv.emplace_back(a);
  const auto result = run_process(argv, Stderr::kDiscard);
  REQUIRE(result.exit_status == 0);
  std::vector<std::string> headings;
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == ')' && line.find(" (") != std::string::npos && line[0] != ' ') {
      headings.push_back(line);
    }
  }
  return headings;
}

/// Number of lines in a tshark field listing.
inline std::size_t line_count(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

}  // namespace wiresim::test
