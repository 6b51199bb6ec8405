// `wiresim compare` through the real executable, on
// scenarios/lossy-compare.yaml with 1 vs 6 connections and 0% vs 5% loss
// over 10 seeds:
//   - --jobs 1 and --jobs 2 write byte-identical compare.csv, compare.json,
//     report.html and examples/;
//   - compare.csv has one row per run in (combination, seed) order, and the
//     example run of each combination (the first seed, with captures and
//     traces on) measured exactly what its row says: observability is a
//     side channel;
//   - report.html is self-contained (nothing to fetch) and has its plots;
//   - bad input is refused with exit code 2, a message that points at the
//     problem, and no output folder.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "file_bytes.hpp"
#include "run_helpers.hpp"
#include "temp_dir.hpp"
#include "wiresim/report/compare.hpp"
#include "wiresim/report/run_folder.hpp"

using namespace wiresim::test;
using Json = nlohmann::ordered_json;

namespace {

const std::vector<std::string> kVary{"--vary", "apps.browser.max_connections=1,6", "--vary",
                                     "links.access.loss=0%,5%"};

ProcessResult compare(const std::filesystem::path& out, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"compare", (source_dir() / "scenarios" / "lossy-compare.yaml").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.emplace_back("--out");
  args.push_back(out.string());
  return run_cli(args);
}

std::string text_of(const std::filesystem::path& p) {
  const std::vector<std::uint8_t> b = file_bytes(p.string());
  return {b.begin(), b.end()};
}

/// Splits one CSV line that has no quoted field.
std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (;;) {
    const std::size_t comma = line.find(',', from);
    out.push_back(line.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
    if (comma == std::string::npos) return out;
    from = comma + 1;
  }
}

/// The setup the command line above describes (for labels and slugs).
wiresim::report::CompareSetup setup() {
  wiresim::report::CompareSetup s;
  s.factors = {{"apps.browser.max_connections", {"1", "6"}}, {"links.access.loss", {"0%", "5%"}}};
  s.seeds = 10;
  return s;
}

/// "0.414750400" (seconds) -> milliseconds.
double ms_of(const Json& seconds) { return std::stod(seconds.get<std::string>()) * 1000.0; }

}  // namespace

TEST_CASE("wiresim compare: the same files whatever --jobs is, and rows that match the example runs",
          "[integration][compare]") {
  TempDir dir("wiresim-compare");
  const std::filesystem::path one = dir.path() / "jobs1";
  const std::filesystem::path two = dir.path() / "jobs2";
  std::vector<std::string> args = kVary;
  for (const char* a : {"--seeds", "10", "--jobs", "1", "--quiet"}) args.emplace_back(a);
  const ProcessResult r1 = compare(one, args);
  INFO(r1.output);
  REQUIRE(r1.exit_status == 0);
  CHECK(r1.output.empty());  // --quiet
  args = kVary;
  for (const char* a : {"--seeds", "10", "--jobs", "2"}) args.emplace_back(a);
  const ProcessResult r2 = compare(two, args);
  INFO(r2.output);
  REQUIRE(r2.exit_status == 0);
  CHECK(r2.output.find("lossy-compare: 4 combinations x 10 seeds") != std::string::npos);
  CHECK(r2.output.find("40 runs on 2 threads") != std::string::npos);

  const wiresim::report::CompareSetup s = setup();

  SECTION("byte-identical outputs with 1 and 2 jobs") {
    CHECK(differing_files(one, two).empty());
    CHECK(folder_files(one).size() == 4);  // compare.csv, compare.json, report.html and the manifest
    for (const char* name : {"compare.csv", "compare.json", "report.html"}) {
      INFO(name);
      CHECK(std::filesystem::file_size(one / name) > 0);
    }
    std::vector<std::string> examples;
    for (const auto& e : std::filesystem::directory_iterator(one / "examples")) {
      examples.push_back(e.path().filename().string());
    }
    std::sort(examples.begin(), examples.end());
    CHECK(examples == std::vector<std::string>{"max_connections-1_loss-0pct", "max_connections-1_loss-5pct",
                                               "max_connections-6_loss-0pct", "max_connections-6_loss-5pct"});
    for (const std::string& e : examples) {
      INFO("examples/" << e);
      CHECK(differing_files(one / "examples" / e, two / "examples" / e).empty());
      CHECK(folder_files(one / "examples" / e).size() == 6);  // capture, three traces, HAR, summary
    }
  }

  SECTION("compare.csv: a row per run, the example runs measured the same") {
    const std::vector<std::string> lines = split_lines(text_of(one / "compare.csv"));
    REQUIRE(lines.size() == 1 + 40);
    CHECK(lines[0] ==
          "combination,apps.browser.max_connections,links.access.loss,seed,error,document_status,page_loads,"
          "failed_loads,page_load_ms,ttfb_ms,connections,handshakes,unused_connections,retransmissions,wire_packets,wire_bytes,"
          "drops,events,end_time_s");
    const Json agg = Json::parse(text_of(one / "compare.json"));
    const std::uint64_t first_seed = agg.at("seeds").at("first").get<std::uint64_t>();
    CHECK(agg.at("seeds").at("count") == 10);
    REQUIRE(agg.at("combinations").size() == 4);
    // 4 combinations x 7 metrics, compared along each factor at both levels of the other.
    CHECK(agg.at("differences").size() == 4 * std::size(wiresim::report::kAllMetrics));

    for (std::size_t i = 0; i < 40; ++i) {
      const std::vector<std::string> f = split_commas(lines[1 + i]);
      INFO(lines[1 + i]);
      REQUIRE(f.size() == 19);
      const std::size_t c = i / 10;
      const std::vector<std::size_t> lv = s.levels(c);
      CHECK(f[0] == std::to_string(c));
      CHECK(f[1] == s.factors[0].values[lv[0]]);
      CHECK(f[2] == s.factors[1].values[lv[1]]);
      CHECK(f[3] == std::to_string(first_seed + i % 10));
      CHECK(f[4].empty());      // no error
      CHECK(f[5] == "200");     // the document's status
      CHECK(f[6] == "1");       // page loads (lossy-compare.yaml loads the page once)
      CHECK(f[7] == "0");       // none failed
      CHECK(f[10] == (lv[0] == 0 ? "1" : "2"));  // one connection, or Chrome's two (the page's and the preconnect)
      if (lv[1] == 0) CHECK(f[16] == "0");       // no loss, no drop
    }

    // The example runs repeat the baseline's median seed: of combination 0's
    // seeds ordered by page load time, the lower middle one (10 seeds: the 5th).
    std::vector<std::pair<double, std::size_t>> baseline;
    for (std::size_t k = 0; k < 10; ++k) baseline.emplace_back(std::stod(split_commas(lines[1 + k])[8]), k);  // page_load_ms
    std::sort(baseline.begin(), baseline.end());
    const std::size_t example_k = baseline[4].second;
    CHECK(text_of(one / "report.html")
              .find(fmt::format("The example runs use seed {}, the median seed of the baseline",
                                first_seed + example_k)) != std::string::npos);
    for (std::size_t c = 0; c < 4; ++c) {
      const std::vector<std::string> row = split_commas(lines[1 + c * 10 + example_k]);
      const std::filesystem::path ex = one / "examples" / s.slug(c);
      INFO("examples/" << s.slug(c));
      const Json sum = read_summary(ex);
      CHECK(sum.at("seed").get<std::uint64_t>() == first_seed + example_k);
      CHECK(sum.at("overrides") == Json(s.sets_of(c)));
      CHECK(sum.at("simulation").at("end_time_s") == row[18]);
      CHECK(std::to_string(sum.at("simulation").at("events").get<std::uint64_t>()) == row[17]);
      // The browser's page loads: count, mean page load time and TTFB, connections.
      const Json* browser = nullptr;
      for (const Json& a : sum.at("apps")) {
        if (a.at("type") == "browser") browser = &a;
      }
      REQUIRE(browser != nullptr);
      const Json& loads = browser->at("page_loads");
      CHECK(std::to_string(loads.size()) == row[6]);
      double plt = 0;
      double ttfb = 0;
      std::uint64_t opened = 0;
      for (const Json& p : loads) {
        plt += ms_of(p.at("page_load_time_s"));
        ttfb += ms_of(p.at("time_to_first_byte_s"));
        opened += p.at("connections_opened").get<std::uint64_t>();
      }
      const double n = static_cast<double>(loads.size());
      CHECK(std::stod(row[8]) == Approx(plt / n).margin(1e-6));
      CHECK(std::stod(row[9]) == Approx(ttfb / n).margin(1e-6));
      CHECK(std::to_string(opened) == row[10]);
      // Retransmissions over every connection, both ends.
      std::uint64_t rtx = 0;
      for (const Json& conn : sum.at("connections")) rtx += retransmits_total(conn.at("counters"));
      CHECK(std::to_string(rtx) == row[13]);
      // Packets, bytes and drops on every link, both directions.
      std::uint64_t packets = 0;
      std::uint64_t bytes = 0;
      std::uint64_t drops = 0;
      for (const Json& link : sum.at("links")) {
        for (const char* direction : {"a_to_b", "b_to_a"}) {
          const Json& d = link.at(direction);
          packets += d.at("packets_sent").get<std::uint64_t>();
          bytes += d.at("bytes_sent").get<std::uint64_t>();
          for (const auto& [cause, count] : d.at("drops").items()) drops += count.get<std::uint64_t>();
        }
      }
      CHECK(std::to_string(packets) == row[14]);
      CHECK(std::to_string(bytes) == row[15]);
      CHECK(std::to_string(drops) == row[16]);
    }
  }

  SECTION("report.html fetches nothing and has its plots") {
    const std::string html = text_of(one / "report.html");
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    std::string rest = html;
    std::size_t xmlns = 0;
    for (std::size_t at; (at = rest.find("http://www.w3.org/2000/svg")) != std::string::npos; ++xmlns) {
      rest.erase(at, 26);
    }
    CHECK(xmlns > 0);
    CHECK(rest.find("http://") == std::string::npos);
    for (std::size_t c = 0; c < 4; ++c) CHECK(html.find(s.label(c)) != std::string::npos);
  }
}

TEST_CASE("wiresim compare --example-seed runs the examples with that seed and says so", "[integration][compare]") {
  TempDir dir("wiresim-compare-example");
  const std::filesystem::path out = dir.path() / "out";
  const ProcessResult r = compare(out, {"--vary", "links.access.loss=0%,5%", "--seeds", "4", "--example-seed", "3",
                                        "--jobs", "1", "--quiet"});
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  for (const char* e : {"loss-0pct", "loss-5pct"}) {
    INFO(e);
    CHECK(read_summary(out / "examples" / e).at("seed").get<std::uint64_t>() == 3);
  }
  const std::string html = text_of(out / "report.html");
  CHECK(html.find("The example runs use seed 3, chosen with --example-seed.") != std::string::npos);
  CHECK(html.find("loss=5% (seed 3): ") != std::string::npos);  // the waterfall's title
  CHECK(html.find("loss=5%, seed 3 (examples/loss-5pct)") != std::string::npos);  // the connection up close
}

TEST_CASE("the report's connection data: the resend's traced cause, its dup ACKs and SACK blocks",
          "[integration][compare][plots]") {
  // fast-retransmit.yaml: the path drops one data segment; the receiver
  // answers the later ones with duplicate ACKs; the client resends it
  // ("fast retransmission after 3 dup ACKs" in tcp-retransmits.csv). SACK
  // is off in the scenario (no block in any ACK) and switched on here once.
  TempDir dir("wiresim-plots-fr");
  for (const bool sack : {false, true}) {
    INFO("SACK " << sack);
    const std::filesystem::path out = dir.path() / (sack ? "sack" : "plain");
    std::vector<std::string> args{"run", (source_dir() / "scenarios" / "fast-retransmit.yaml").string(), "--out",
                                  out.string(), "-q"};
    if (sack) {
      for (const char* a : {"--set", "hosts.client.tcp.sack=true", "--set", "hosts.server.tcp.sack=true"}) {
        args.emplace_back(a);
      }
    }
    const ProcessResult r = run_cli(args);
    INFO(r.output);
    REQUIRE(r.exit_status == 0);
    const wiresim::report::RunFolder run = wiresim::report::open_run_folder(out);
    REQUIRE(run.captures.size() == 2);  // at the client and on the link: the same story from both
    for (const wiresim::report::RunFolder::Capture& cap : run.captures) {
      INFO(cap.name);
      const auto ts = wiresim::report::busiest_time_sequence(run, cap);
      REQUIRE(ts.has_value());
      CHECK(ts->sender == "10.0.0.1:46672");
      std::vector<std::string> causes;
      for (const auto& p : ts->data) {
        if (p.resent) causes.push_back(p.cause);
      }
      CHECK(causes == std::vector<std::string>{"fast retransmission after 3 dup ACKs"});
      // The handshake, each sent once: the client's SYN, the server's SYN-ACK.
      REQUIRE(ts->handshake.size() == 2);
      CHECK(ts->handshake[0].from_sender);
      CHECK_FALSE(ts->handshake[0].ack);
      CHECK_FALSE(ts->handshake[1].from_sender);
      CHECK(ts->handshake[1].ack);
      CHECK(ts->handshake[0].cause.empty());
      CHECK(ts->handshake[1].cause.empty());
      std::size_t dups = 0;
      std::size_t with_sack = 0;
      for (const auto& a : ts->acks) {
        if (a.dup_ack) ++dups;
        if (!a.sack.empty()) ++with_sack;
        // Every block lies beyond the cumulative ACK: the bytes after the hole.
        for (const auto& b : a.sack) {
          CHECK(a.ack < b.left);
          CHECK(b.left < b.right);
        }
      }
      CHECK(dups >= 3);
      if (sack) {
        CHECK(with_sack >= 3);
      } else {
        CHECK(with_sack == 0);
      }
      // The sender's estimator from tcp-cwnd.csv: the RTO throughout, SRTT once sampled.
      REQUIRE_FALSE(ts->cwnd.empty());
      CHECK(ts->cwnd.front().rto_ms.has_value());
      CHECK(std::any_of(ts->cwnd.begin(), ts->cwnd.end(), [](const auto& c) { return c.srtt_ms.has_value(); }));
    }
  }
}

TEST_CASE("compare takes a YAML list as the values of --vary, maps included", "[integration][compare][cli][vary]") {
  TempDir dir("wiresim-compare-vary-list");
  const std::filesystem::path out = dir.path() / "out";
  const ProcessResult r = compare(
      out, {"--vary", "links.access.loss=[0%, 2%, {model: gilbert_elliott, p: 1%, r: 30%}]", "--seeds", "2",
            "--no-examples", "--quiet"});
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  const Json j = Json::parse(text_of(out / "compare.json"));
  CHECK(j["factors"][0]["values"] == Json::array({"0%", "2%", "{model: gilbert_elliott, p: 1%, r: 30%}"}));
  // Each value is the run's loss: the same seeds, three different outcomes.
  const std::string csv = text_of(out / "compare.csv");
  CHECK(csv.find("\n2,\"{model: gilbert_elliott, p: 1%, r: 30%}\",1,") != std::string::npos);

  SECTION("the same runs as --set gives them") {
    const std::filesystem::path single = dir.path() / "single";
    const ProcessResult s1 = compare(single, {"--vary", "links.access.loss=[{model: gilbert_elliott, p: 1%, r: 30%}]",
                                              "--seeds", "2", "--no-examples", "--quiet"});
    REQUIRE(s1.exit_status == 0);
    const std::filesystem::path set = dir.path() / "set";
    const ProcessResult s2 = compare(set, {"--set", "links.access.loss={ model: gilbert_elliott, p: 1%, r: 30% }",
                                           "--vary", "apps.browser.max_connections=6", "--seeds", "2", "--no-examples",
                                           "--quiet"});
    REQUIRE(s2.exit_status == 0);
    const auto metrics = [](const std::string& text) {  // the columns after the factor's value
      std::vector<std::string> rows;
      for (const std::string& line : split_lines(text)) rows.push_back(line.substr(line.rfind("%}\",") + 4));
      return rows;
    };
    const auto plain = [](const std::string& text) {
      std::vector<std::string> rows;
      for (const std::string& line : split_lines(text)) {
        const std::vector<std::string> f = split_commas(line);
        rows.push_back(line.substr(f[0].size() + f[1].size() + 2));
      }
      return rows;
    };
    std::vector<std::string> a = metrics(text_of(single / "compare.csv"));
    std::vector<std::string> b = plain(text_of(set / "compare.csv"));
    a.erase(a.begin());
    b.erase(b.begin());
    CHECK(a == b);
  }
}

TEST_CASE("compare checks every --vary combination first and names each bad one", "[integration][compare][cli][vary]") {
  TempDir dir("wiresim-compare-vary-bad");
  const std::filesystem::path out = dir.path() / "out";
  const std::string vary = "links.access.loss=[0%, {model: gilbert_elliott, p: 1%, r: 300%}, {model: nope, p: 1%}, 500%]";
  const ProcessResult r = compare(out, {"--vary", vary, "--vary", "apps.browser.max_connections=1,6", "--seeds", "2"});
  INFO(r.output);
  CHECK(r.exit_status == 2);
  const std::string at = "--vary " + vary + ":1:";
  CHECK(r.output.find(at + "31: error: links.access.loss={model: gilbert_elliott, p: 1%, r: 300%}: invalid r '300%'") !=
        std::string::npos);
  CHECK(r.output.find(at + "73: error: links.access.loss={model: nope, p: 1%}: unknown loss model 'nope'") !=
        std::string::npos);
  CHECK(r.output.find(at + "95: error: links.access.loss=500%: invalid loss '500%'") != std::string::npos);
  // Each once, whatever max_connections is.
  CHECK(r.output.find("wiresim: 3 problems found; nothing was run") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));

  SECTION("a problem only some combinations have names the combination") {
    const ProcessResult c = compare(out, {"--vary", "hosts.client.address=[10.0.0.1/24, 10.0.5.1/24]", "--seeds", "2"});
    INFO(c.output);
    CHECK(c.exit_status == 2);
    CHECK(c.output.find("lossy-compare.yaml:25:8: error: in combination hosts.client.address=10.0.5.1/24: address "
                        "10.0.0.2/24 of end b is not in the subnet of end a") != std::string::npos);
    CHECK(c.output.find("wiresim: 1 problem found; nothing was run") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
  }
}

TEST_CASE("wiresim compare refuses bad input with exit code 2 and writes nothing", "[integration][compare][cli]") {
  TempDir dir("wiresim-compare-bad");
  const std::filesystem::path out = dir.path() / "out";
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Bad> cases{
      {{"--vary", "foo", "--seeds", "2"}, "--vary foo: error: expected KEY=V1,V2,... or KEY=[V1, V2, ...]"},
      {{"--vary", "apps.browser.max_connections=1,,6", "--seeds", "2"},
       "--vary apps.browser.max_connections=1,,6: error: an empty value"},
      {{"--vary", "apps.browser.max_connections=1,1", "--seeds", "2"},
       "--vary apps.browser.max_connections=1,1:1:39: error: the value '1' is given twice"},
      {{"--vary", "apps.browser.max_conections=1,6", "--seeds", "2"},
       "--vary apps.browser.max_conections=1,6: error: unknown key 'max_conections' in app 'browser' "
       "(did you mean 'max_connections'?)\nwiresim: 1 problem found; nothing was run"},
      {{"--vary", "links.access.loss=0%,abc", "--seeds", "2"},
       "--vary links.access.loss=0%,abc:1:29: error: links.access.loss=abc: invalid loss 'abc'"},
      // issue 17: the comma form cannot hold a map; the list form can.
      {{"--vary", "links.access.loss=0%,{model: bernoulli, p: 1%}", "--seeds", "2"},
       "the value '{model: bernoulli' looks like a YAML map or list, which the comma form splits at its commas "
       "(expected the list form KEY=[V1, V2, ...])"},
      {{"--vary", "links.access.loss=[0%, {model: x", "--seeds", "2"},
       "--vary links.access.loss=[0%, {model: x:1:26: error: invalid YAML: end of map flow not found"},
      {{"--vary", "links.access.loss=[]", "--seeds", "2"}, "--vary links.access.loss=[]: error: an empty list"},
      {{"--vary", "links.access.loss=[1%, 2%, 1%]", "--seeds", "2"},
       "--vary links.access.loss=[1%, 2%, 1%]:1:35: error: the value '1%' is given twice"},
      {{"--vary", "links.access.loss=0%,5%", "--vary", "links.access.loss=1%", "--seeds", "2"}, "varied twice"},
      {{"--vary", "apps.browser.max_connections=1,6", "--seeds", "0"},
       "--seeds: '0' is not a whole number from 1 to 1000000"},
      {{"--vary", "apps.browser.max_connections=1,6", "--seeds", "2", "--first-seed", "0"},
       "--first-seed: '0' is not a whole number from 1 to 18446744073709551615 (2^64-1)"},
      // issue 13: never clamped, never a huge allocation.
      {{"--seeds", "-5"}, "--seeds: '-5' is not a whole number from 1 to 1000000"},
      {{"--seeds", "4e12"}, "--seeds: '4e12' is not a whole number from 1 to 1000000"},
      {{"--seeds", "10000000"}, "--seeds: '10000000' is not a whole number from 1 to 1000000"},
      {{"--first-seed", "18446744073709551616"},
       "--first-seed: '18446744073709551616' is not a whole number from 1 to 18446744073709551615 (2^64-1)"},
      {{"--first-seed", "18446744073709551615", "--seeds", "2"},
       "--seeds 2 from seed 18446744073709551615: the last seed would pass 18446744073709551615 (2^64-1)"},
      {{"--jobs", "-1"}, "--jobs: '-1' is not a whole number from 1 to 4294967295"},
      {{"--seeds", "10", "--example-seed", "11"},
       "--example-seed 11: not among the seeds of this compare (1 to 10); the example runs repeat one of the "
       "measured seeds"},
      {{"--seeds", "3", "--first-seed", "5", "--example-seed", "4"}, "not among the seeds of this compare (5 to 7)"},
      {{"--seeds", "3", "--example-seed", "2", "--no-examples"},
       "--example-seed 2: there are no example runs with --no-examples"},
      {{"--example-seed", "0"}, "--example-seed: '0' is not a whole number from 1 to 18446744073709551615"},
  };
  for (const Bad& b : cases) {
    const ProcessResult r = compare(out, b.args);
    INFO(r.output);
    CHECK(r.exit_status == 2);
    CHECK(r.output.find(b.message) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
  }

  SECTION("a problem in the scenario file is reported at its file:line:col") {
    const std::filesystem::path bad = dir.path() / "bad.yaml";
    const std::string text = text_of(source_dir() / "scenarios" / "lossy-compare.yaml");
    const std::size_t at = text.find("bandwidth:");
    REQUIRE(at != std::string::npos);
    std::string broken = text;
    broken.replace(at, 10, "bandwith:");
    {
      std::FILE* f = std::fopen(bad.string().c_str(), "wb");
      REQUIRE(f != nullptr);
      std::fwrite(broken.data(), 1, broken.size(), f);
      std::fclose(f);
    }
    const std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
    const std::size_t col = at - text.rfind('\n', at);
    const ProcessResult r =
        run_cli({"compare", bad.string(), "--vary", "links.access.loss=0%,5%", "--seeds", "2", "--out", out.string()});
    INFO(r.output);
    CHECK(r.exit_status == 2);
    CHECK(r.output.find(bad.string() + ":" + std::to_string(line) + ":" + std::to_string(col) +
                        ": error: unknown key 'bandwith'") != std::string::npos);
    CHECK(r.output.find("did you mean 'bandwidth'?") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
  }
}
