// Every documented range end of every TCP key runs the lab to completion
// (issue 13: rcv_buf 100 advertised a zero window for ever and the run
// never ended). The ranges are read from scenarios/README.md, so the
// reader and the documentation cannot drift apart: each end must be
// accepted, one step past it refused, and the lab with that value on
// either host must end by itself, before a simulated time limit that turns
// a regression into a failure instead of a hang.

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "run_helpers.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/world.hpp"

namespace sc = wiresim::scenario;
using wiresim::test::source_dir;

namespace {

/// One documented end of a key's range (`value`), and a value just past
/// it that must be refused (empty where there is none: booleans, names).
struct RangeEnd {
  std::string key;
  std::string value;
  std::string beyond;
};

/// "500ms" -> "501ms" (up) or "499ms" (down); empty when the number is 0
/// going down. The unit stays, so the result lies past the end.
std::string step(const std::string& end, bool up) {
  const std::size_t digits = end.find_first_not_of("0123456789");
  const std::string number = end.substr(0, digits);
  const std::string unit = digits == std::string::npos ? "" : end.substr(digits);
  const unsigned long long n = std::stoull(number);
  if (!up && n == 0) return {};
  return std::to_string(up ? n + 1 : n - 1) + unit;
}

/// The rows of the `tcp` key table in scenarios/README.md, as range ends.
std::vector<RangeEnd> documented_tcp_ends() {
  std::ifstream in(source_dir() / "scenarios" / "README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::size_t table = doc.find("| `tcp` key | value |");
  REQUIRE(table != std::string::npos);
  std::vector<RangeEnd> ends;
  std::istringstream lines(doc.substr(table));
  std::string line;
  std::getline(lines, line);  // header
  std::getline(lines, line);  // | --- | --- |
  const std::regex range(R"((\d+[A-Za-z]*) … (\d+[A-Za-z]*))");
  const std::regex key_re("`([a-z_]+)`");
  while (std::getline(lines, line) && line.starts_with("|")) {
    const std::size_t split = line.find('|', 1);
    const std::string keys = line.substr(1, split - 1);
    const std::string value = line.substr(split + 1);
    std::vector<std::string> names;
    for (std::sregex_iterator k(keys.begin(), keys.end(), key_re); k != std::sregex_iterator(); ++k) {
      names.push_back((*k)[1]);
    }
    REQUIRE_FALSE(names.empty());
    std::vector<RangeEnd> row;
    std::smatch m;
    if (value.find("`[FIRST, LAST]`") != std::string::npos && std::regex_search(value, m, range)) {
      const std::string lo = m[1];
      const std::string hi = m[2];
      row.push_back({"", "[" + lo + ", " + lo + "]", "[" + step(lo, false) + ", " + lo + "]"});
      row.push_back({"", "[" + hi + ", " + hi + "]", "[" + hi + ", " + step(hi, true) + "]"});
      row.push_back({"", "[" + lo + ", " + hi + "]", ""});
    } else if (std::regex_search(value, m, range)) {
      row.push_back({"", m[1], step(m[1], false)});
      row.push_back({"", m[2], step(m[2], true)});
      if (value.find("`false`") != std::string::npos) row.push_back({"", "false", ""});
    } else if (value.find("boolean") != std::string::npos) {
      row.push_back({"", "true", ""});
      row.push_back({"", "false", ""});
    } else {
      for (std::sregex_iterator k(value.begin(), value.end(), key_re); k != std::sregex_iterator(); ++k) {
        row.push_back({"", (*k)[1], ""});
      }
    }
    INFO(line);
    REQUIRE_FALSE(row.empty());
    for (const std::string& name : names) {
      for (RangeEnd e : row) {
        e.key = name;
        ends.push_back(e);
      }
    }
  }
  // `tcp.profile` is documented in the text above the table.
  REQUIRE(doc.find("`tcp.profile` is `linux`, `linux-6.1` or `windows`") != std::string::npos);
  ends.push_back({"profile", "linux", ""});
  ends.push_back({"profile", "linux-6.1", ""});
  ends.push_back({"profile", "windows", ""});
  return ends;
}

sc::LoadResult load_lab(const std::vector<std::string>& sets) {
  sc::LoadOptions options;
  options.overrides = sets;
  return sc::load_scenario_file(source_dir() / "scenarios" / "lab-http.yaml", options);
}

}  // namespace

TEST_CASE("the TCP ranges in scenarios/README.md are the reader's", "[integration][limits][tcp]") {
  const std::vector<RangeEnd> ends = documented_tcp_ends();
  // Every key of the table, each with both ends.
  CHECK(ends.size() >= 2 * 14);
  for (const RangeEnd& e : ends) {
    const std::string set = "hosts.client.tcp." + e.key + "=" + e.value;
    INFO(set);
    const sc::LoadResult ok = load_lab({set});
    for (const sc::Diagnostic& d : ok.diagnostics) UNSCOPED_INFO(to_string(d));
    CHECK(ok.ok());
    if (e.beyond.empty()) continue;
    const std::string past = "hosts.client.tcp." + e.key + "=" + e.beyond;
    INFO(past);
    CHECK_FALSE(load_lab({past}).ok());
  }
}

TEST_CASE("the lab runs to completion at every documented end of every TCP key, on either host",
          "[integration][limits][tcp]") {
  std::vector<RangeEnd> ends = documented_tcp_ends();
  ends.push_back({"rcv_buf", "100", ""});  // the value issue 13 found looping
  ends.push_back({"snd_buf", "100", ""});
  for (const std::string host : {"client", "server"}) {
    for (const RangeEnd& e : ends) {
      const std::string set = "hosts." + host + ".tcp." + e.key + "=" + e.value;
      INFO(set);
      // The bound: the lab ends long before this (the slowest end, a 1-byte
      // send buffer on the server, moves the page one byte per delayed ACK,
      // 200 ms on windows, and ends at about 10,000 s; TIME-WAIT adds up to
      // 2 x 300 s); a loop would run into it instead.
      sc::LoadResult r = load_lab({set, "stop.after=36000s", "captures=", "traces="});
      for (const sc::Diagnostic& d : r.diagnostics) UNSCOPED_INFO(to_string(d));
      REQUIRE(r.ok());
      sc::World world(*r.scenario, r.scenario->seed, std::filesystem::path{});
      const sc::StopReason reason = world.run(nullptr);
      CHECK(reason == sc::StopReason::kIdle);
      const auto browsers = world.browsers();
      REQUIRE(browsers.size() == 1);
      REQUIRE(browsers.front().app->results().size() == 1);
      const auto& load = browsers.front().app->results().front();
      INFO("page load error: " << load.error);
      if (set.rfind("hosts.client.tcp.ephemeral_ports=", 0) == 0) {
        // One port for Chrome's two connections: the second cannot be
        // opened, and the objects given to it fail with that reason.
        CHECK((load.ok() || load.error.find("no free ephemeral port") != std::string::npos));
      } else {
        CHECK(load.ok());
      }
    }
  }
}
