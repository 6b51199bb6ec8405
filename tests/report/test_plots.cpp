// The compare report's plots from hand-written data: the exact vertices of
// an ECDF, one dot per seed with the sign of its paired difference, failure
// rates and their Wilson intervals, the median seed and --example-seed, and
// the marks of the connection plots (resends by cause, duplicate ACKs, SACK
// blocks, the window in its own panel, ssthresh drawn).

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "wiresim/report/compare.hpp"
#include "wiresim/report/html_report.hpp"
#include "wiresim/report/plots.hpp"
#include "wiresim/report/svg.hpp"

using namespace wiresim::report;

namespace {

RunMetrics run(std::size_t combination, std::uint64_t seed, std::optional<double> plt, std::uint32_t failed_loads = 0) {
  RunMetrics r;
  r.combination = combination;
  r.seed = seed;
  r.page_loads = 1;
  r.failed_loads = failed_loads;
  r.page_load_ms = plt;
  r.ttfb_ms = plt ? std::optional<double>(*plt / 2) : std::nullopt;
  r.connections = 1;
  r.handshakes = 1;
  r.wire_bytes = 1000;
  r.end_time_s = "1.000000000";
  return r;
}

RunMetrics errored(std::size_t combination, std::uint64_t seed) {
  RunMetrics r;
  r.combination = combination;
  r.seed = seed;
  r.error = "cannot resolve host";
  return r;
}

CompareSetup one_factor(std::size_t seeds, std::uint64_t first_seed = 1) {
  CompareSetup s;
  s.scenario = "lab";
  s.factors = {{"apps.browser.max_connections", {"1", "6"}}};
  s.first_seed = first_seed;
  s.seeds = seeds;
  return s;
}

RunTable table_of(const CompareSetup& s, const std::vector<RunMetrics>& runs) {
  RunTable t(s.combination_count(), s.seeds);
  for (const RunMetrics& r : runs) t.append(r);
  return t;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// The points of every polyline drawn with `stroke`, as (x, y) pixel pairs.
/// (Parsed by hand: std::regex recurses per character and overflows the
/// stack on a 2000-seed line.)
std::vector<std::vector<std::pair<double, double>>> polylines(const std::string& svg, const std::string& stroke) {
  std::vector<std::vector<std::pair<double, double>>> out;
  const std::string open = "<polyline points=\"";
  for (std::size_t at = svg.find(open); at != std::string::npos; at = svg.find(open, at + 1)) {
    const std::size_t from = at + open.size();
    const std::size_t to = svg.find('"', from);
    const std::size_t end = svg.find("/>", to);
    if (svg.substr(to, end - to).find("stroke=\"" + stroke + "\"") == std::string::npos) continue;
    std::vector<std::pair<double, double>> pts;
    std::size_t p = from;
    while (p < to) {
      const std::size_t comma = svg.find(',', p);
      std::size_t space = svg.find(' ', comma);
      if (space == std::string::npos || space > to) space = to;
      pts.emplace_back(std::stod(svg.substr(p, comma - p)), std::stod(svg.substr(comma + 1, space - comma - 1)));
      p = space + 1;
    }
    out.push_back(std::move(pts));
  }
  return out;
}

}  // namespace

TEST_CASE("ecdf_steps gives the exact steps of a known sample, ties as one step", "[report][plots]") {
  const std::vector<StepPoint> steps = ecdf_steps({3, 1, 2, 2}, 4);
  const std::vector<std::pair<double, double>> want{{1, 0}, {1, 0.25}, {2, 0.25}, {2, 0.75}, {3, 0.75}, {3, 1}};
  REQUIRE(steps.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO(i);
    CHECK(steps[i].x == want[i].first);
    CHECK(steps[i].y == want[i].second);
  }
  SECTION("runs without a value keep the line below 1") {
    const std::vector<StepPoint> with_failures = ecdf_steps({10, 20}, 4);
    REQUIRE(with_failures.size() == 4);
    CHECK(with_failures[1].y == 0.25);
    CHECK(with_failures.back().y == 0.5);
  }
  CHECK(ecdf_steps({}, 3).empty());
}

TEST_CASE("ecdf_svg draws each combination as one step line through its exact quantiles", "[report][plots][html]") {
  const CompareSetup s = one_factor(4);
  // Combination 0: 100, 200, 300, 400 ms; combination 1: 150, 150, 250 and a failed run.
  const RunTable t = table_of(s, {run(0, 1, 300), run(0, 2, 100), run(0, 3, 400), run(0, 4, 200), run(1, 1, 150),
                                  run(1, 2, 150), run(1, 3, 250), errored(1, 4)});
  const std::string svg = ecdf_svg(s, t);
  const auto first = polylines(svg, std::string(palette(0)));
  const auto second = polylines(svg, std::string(palette(1)));
  REQUIRE(first.size() == 1);
  REQUIRE(second.size() == 1);
  const auto& a = first.front();
  REQUIRE(a.size() == 8);  // four distinct values, two vertices each
  // Vertical risers: each pair shares x; equal-spaced values give equal-spaced x.
  for (std::size_t i = 0; i < 8; i += 2) CHECK(a[i].first == a[i + 1].first);
  CHECK(a[2].first - a[0].first == Approx(a[4].first - a[2].first).margin(0.011));
  CHECK(a[6].first - a[4].first == Approx(a[4].first - a[2].first).margin(0.011));
  // Heights 0, 1/4, 2/4, 3/4, 1: equal pixel steps (y grows downwards).
  const double quarter = a[0].second - a[1].second;
  CHECK(quarter > 0);
  for (std::size_t i = 1; i + 1 < 8; i += 2) CHECK(a[i].second == a[i + 1].second);  // level treads
  CHECK(a[0].second - a[7].second == Approx(4 * quarter).margin(0.02));
  // The tie at 150 is one riser of two quarters; the failed run keeps the line at 3/4.
  const auto& b = second.front();
  REQUIRE(b.size() == 4);
  CHECK(b[0].second - b[1].second == Approx(2 * quarter).margin(0.02));
  CHECK(b[0].second - b[3].second == Approx(3 * quarter).margin(0.02));
  CHECK(b[0].second == a[0].second);  // both start at 0
  CHECK(svg.find("max_connections=6 (3 of 4 loaded)") != std::string::npos);
}

TEST_CASE("paired differences: one dot per seed with both values, coloured by its sign", "[report][plots][html]") {
  const CompareSetup s = one_factor(5);
  // seed:         1    2    3    4                  5
  //   1 conn     100  200  300  400                failed
  //   6 conns     90  250  300  (no load, 1 failed) 80
  const RunTable t = table_of(s, {run(0, 1, 100), run(0, 2, 200), run(0, 3, 300), run(0, 4, 400), errored(0, 5),
                                  run(1, 1, 90), run(1, 2, 250), run(1, 3, 300), run(1, 4, std::nullopt, 1),
                                  run(1, 5, 80)});
  const std::vector<SeedDifference> d = paired_differences(s, t, 0, 1);
  REQUIRE(d.size() == 3);
  CHECK(d[0].seed == 1);
  CHECK(d[0].ms == -10.0);
  CHECK(d[1].seed == 2);
  CHECK(d[1].ms == 50.0);
  CHECK(d[2].seed == 3);
  CHECK(d[2].ms == 0.0);

  const CompareAggregate agg = aggregate(s, t);
  const std::string svg = paired_difference_svg(s, t, agg);
  CHECK(count(svg, "class=\"diff ") == 3);  // one dot per paired seed (seeds 4 and 5 have a side missing)
  CHECK(count(svg, "class=\"diff faster\"") == 1);
  CHECK(count(svg, "class=\"diff slower\"") == 1);
  CHECK(count(svg, "class=\"diff same\"") == 1);
  CHECK(svg.find("<title>seed 1: -10.0 ms</title>") != std::string::npos);
  CHECK(svg.find("<title>seed 2: +50.0 ms</title>") != std::string::npos);
  CHECK(svg.find("<title>seed 3: +0.0 ms</title>") != std::string::npos);
  CHECK(svg.find("3 seeds paired; 1 faster, 1 slower, 1 equal; median +0.0 ms") != std::string::npos);
  // The faster seed's dot lies below the zero line (larger y), the slower one above it.
  const std::smatch zero = [&svg] {
    std::smatch m;
    std::regex_search(svg, m, std::regex("y1=\"([0-9.]+)\" x2=\"[0-9.]+\" y2=\"[0-9.]+\" class=\"zero\""));
    return m;
  }();
  REQUIRE(zero.size() == 2);
  const double zero_y = std::stod(zero[1]);
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex("cy=\"([0-9.]+)\" r=\"[0-9.]+\" class=\"diff faster\"")));
  CHECK(std::stod(m[1]) > zero_y);
  REQUIRE(std::regex_search(svg, m, std::regex("cy=\"([0-9.]+)\" r=\"[0-9.]+\" class=\"diff slower\"")));
  CHECK(std::stod(m[1]) < zero_y);
  REQUIRE(std::regex_search(svg, m, std::regex("cy=\"([0-9.]+)\" r=\"[0-9.]+\" class=\"diff same\"")));
  CHECK(std::stod(m[1]) == zero_y);
}

TEST_CASE("the paired-difference plot keeps one dot per seed at 2000 seeds", "[report][plots][html]") {
  const CompareSetup s = one_factor(2000);
  std::vector<RunMetrics> runs;
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::uint64_t k = 0; k < 2000; ++k) {
      runs.push_back(run(c, k + 1, 500.0 + static_cast<double>((k * 7919) % 1000) - (c == 1 ? 20.0 : 0.0)));
    }
  }
  const RunTable t = table_of(s, runs);
  const std::string svg = paired_difference_svg(s, t, aggregate(s, t));
  CHECK(count(svg, "class=\"diff faster\"") == 2000);
  const auto lines = polylines(ecdf_svg(s, t), std::string(palette(0)));
  REQUIRE(lines.size() == 1);
  CHECK(lines.front().size() == 2000);  // 1000 distinct values, two vertices each: a step line, no dots
}

TEST_CASE("failure rates count errors, failed loads and runs with no page load time", "[report][plots]") {
  const CompareSetup s = one_factor(4);
  const RunTable t = table_of(s, {run(0, 1, 100), errored(0, 2), run(0, 3, 120, 1), run(0, 4, std::nullopt, 1),
                                  run(1, 1, 90), run(1, 2, 95), run(1, 3, 99), run(1, 4, 101)});
  CHECK_FALSE(run_failed(t, 0, 0));
  CHECK(run_failed(t, 0, 1));   // the run's error
  CHECK(run_failed(t, 0, 2));   // one of its loads failed
  CHECK(run_failed(t, 0, 3));   // no page load time
  const FailureRate f0 = failure_rate(t, 0);
  CHECK(f0.runs == 4);
  CHECK(f0.failed == 3);
  CHECK(f0.rate == 0.75);
  CHECK(failure_rate(t, 1).failed == 0);
  const std::string svg = failure_svg(s, t);
  CHECK(svg.find("3 of 4 (75.0%)") != std::string::npos);
  CHECK(svg.find("0 of 4 (0.0%)") != std::string::npos);
}

TEST_CASE("wilson_interval matches the published score interval", "[report][plots]") {
  // Brown, Cai and DasGupta (2001) and Newcombe (1998): n = 10, 0 and 5 successes.
  auto [lo0, hi0] = wilson_interval(0, 10);
  CHECK(lo0 == 0.0);
  CHECK(hi0 == Approx(0.2775).margin(5e-5));
  auto [lo5, hi5] = wilson_interval(5, 10);
  CHECK(lo5 == Approx(0.2366).margin(5e-5));
  CHECK(hi5 == Approx(0.7634).margin(5e-5));
  // Newcombe (1998), Table I: 81 of 263 -> 0.2553 to 0.3662.
  auto [lo81, hi81] = wilson_interval(81, 263);
  CHECK(lo81 == Approx(0.2553).margin(5e-5));
  CHECK(hi81 == Approx(0.3662).margin(5e-5));
  CHECK(wilson_interval(0, 0) == std::pair<double, double>{0, 0});
}

TEST_CASE("the default example seed is the baseline's median seed", "[report][plots]") {
  // Baseline page load times by seed 11..16: 5, 3, 9, 1, 7, 3 -> sorted 1, 3, 3, 5, 7, 9:
  // the lower median is 3, held by seeds 12 and 16: the smaller, 12.
  const CompareSetup s = one_factor(6, 11);
  std::vector<RunMetrics> runs;
  const double plt[] = {5, 3, 9, 1, 7, 3};
  for (std::uint64_t k = 0; k < 6; ++k) runs.push_back(run(0, 11 + k, plt[k]));
  for (std::uint64_t k = 0; k < 6; ++k) runs.push_back(run(1, 11 + k, 100));
  const RunTable t = table_of(s, runs);
  CHECK(median_seed_index(t, 0) == std::optional<std::size_t>(1));
  const ExampleSeed e = default_example_seed(s, t);
  CHECK(e.seed == 12);
  CHECK(e.why.find("seed 12, the median seed of the baseline (max_connections=1)") == 0);
  CHECK(e.why.find("the median of the 6 seeds whose load completed") != std::string::npos);

  SECTION("an odd count, a failed seed left out") {
    // Seeds 1..4: 40, failed, 10, 30 -> loaded 10, 30, 40: the median 30 is seed 4.
    const CompareSetup s4 = one_factor(4);
    const RunTable t4 = table_of(s4, {run(0, 1, 40), errored(0, 2), run(0, 3, 10), run(0, 4, 30), run(1, 1, 1),
                                      run(1, 2, 1), run(1, 3, 1), run(1, 4, 1)});
    CHECK(default_example_seed(s4, t4).seed == 4);
  }
  SECTION("no baseline load completed: the first seed, and the report says why") {
    const CompareSetup s2 = one_factor(2, 7);
    const RunTable t2 = table_of(s2, {errored(0, 7), run(0, 8, std::nullopt, 1), run(1, 7, 5), run(1, 8, 6)});
    CHECK_FALSE(median_seed_index(t2, 0).has_value());
    const ExampleSeed e2 = default_example_seed(s2, t2);
    CHECK(e2.seed == 7);
    CHECK(e2.why.find("no page load of the baseline (max_connections=1) completed") != std::string::npos);
  }
}

TEST_CASE("an --example-seed must be one of the compare's seeds", "[report][plots]") {
  const CompareSetup s = one_factor(10, 5);  // seeds 5..14
  std::string error;
  const auto ok = chosen_example_seed(s, 14, error);
  REQUIRE(ok.has_value());
  CHECK(ok->seed == 14);
  CHECK(ok->why == "seed 14, chosen with --example-seed");
  CHECK(error.empty());
  CHECK_FALSE(chosen_example_seed(s, 4, error).has_value());
  CHECK(error == "--example-seed 4: not among the seeds of this compare (5 to 14); the example runs repeat one of "
                 "the measured seeds");
  CHECK_FALSE(chosen_example_seed(s, 15, error).has_value());
}

TEST_CASE("resend_kind names every reason tcp-retransmits.csv writes", "[report][plots]") {
  CHECK(resend_kind("RTO (backoff 2)") == "RTO");
  CHECK(resend_kind("SYN RTO (backoff 1)") == "RTO");
  CHECK(resend_kind("fast retransmission after 3 dup ACKs") == "fast retransmit");
  CHECK(resend_kind("NewReno partial ACK") == "NewReno partial ACK");
  CHECK(resend_kind("SACK recovery") == "SACK recovery");
  CHECK(resend_kind("RACK: lost by time, SACK recovery") == "RACK");
  CHECK(resend_kind("tail loss probe") == "tail loss probe");
  CHECK(resend_kind("SYN-ACK again for the peer's repeated SYN") == "SYN-ACK for a repeated SYN");
  CHECK(resend_kind("") == "resend (cause not traced)");
}

namespace {

/// 10 segments of 1000 bytes at t = 10, 11, ... ms; the fourth lost and
/// resent at 30 ms by fast retransmission; dup ACKs with SACK blocks.
TimeSequence lossy_sequence() {
  TimeSequence ts;
  ts.begin_ms = 0;
  ts.end_ms = 40;
  for (std::uint64_t i = 0; i < 10; ++i) {
    if (i == 3) continue;
    ts.data.push_back({10 + static_cast<double>(i), 1 + i * 1000, 1 + (i + 1) * 1000, false, {}});
  }
  ts.handshake = {{0, false, false, ""}, {1.5, true, true, ""}, {2.5, false, false, "SYN RTO (backoff 1)"}};
  ts.data.push_back({30, 3001, 4001, true, "fast retransmission after 3 dup ACKs"});
  ts.data.push_back({31, 9001, 10001, true, ""});  // resent by the capture's rule, not in the trace
  ts.acks.push_back({21, 3001, 3001 + 65535, false, {}});
  for (std::uint64_t k = 0; k < 3; ++k) {
    ts.acks.push_back({22 + static_cast<double>(k), 3001, 3001 + 65535, true, {{4001, 5001 + k * 1000}}});
  }
  ts.acks.push_back({39, 10001, 10001 + 32768, false, {}});
  ts.cwnd = {{0, 14600, std::nullopt, std::nullopt, 1000.0},
             {21, 20000, std::nullopt, 20.0, 220.0},
             {30, 10000, 10000, 20.0, 220.0}};
  return ts;
}

}  // namespace

TEST_CASE("the time-sequence graph marks resends by cause, duplicate ACKs and SACK blocks", "[report][plots][html]") {
  const std::string svg = time_sequence_svg(lossy_sequence());
  CHECK(count(svg, "stroke=\"#d62728\" stroke-width=\"2\"/>") == 2);  // two resent strokes
  CHECK(count(svg, "stroke=\"#1f77b4\" stroke-width=\"2\"/>") == 9);  // the rest
  CHECK(count(svg, "resent at 30.000 ms: fast retransmission after 3 dup ACKs</title>") == 1);
  CHECK(count(svg, "resent at 31.000 ms: cause not in tcp-retransmits.csv</title>") == 1);
  CHECK(count(svg, "<title>duplicate ACK 3001 at") == 3);
  CHECK(count(svg, "class=\"sack\"") == 3);
  CHECK(svg.find("<title>SACK 4001-7001 at 24.000 ms</title>") != std::string::npos);
  // The legend names what occurs and nothing else; the window is in a panel of its own.
  CHECK(svg.find(">fast retransmit</text>") != std::string::npos);
  CHECK(svg.find(">resend (cause not traced)</text>") != std::string::npos);
  // The handshake: two first transmissions in black, the SYN sent again with the RTO's marker.
  CHECK(count(svg, "fill=\"#000000\" class=\"mark\"><title>SYN") == 2);
  CHECK(count(svg, "<title>SYN from the receiver at 2.500 ms, sent again: SYN RTO (backoff 1)</title>") == 1);
  CHECK(svg.find(">RTO</text>") != std::string::npos);
  CHECK(svg.find(">SYN, SYN-ACK</text>") != std::string::npos);
  CHECK(svg.find(">tail loss probe</text>") == std::string::npos);
  CHECK(svg.find("receive window") == std::string::npos);

  SECTION("the legend sits above the plot area") {
    double legend_low = 0;
    const std::regex legend_text("<text x=\"[0-9.]+\" y=\"([0-9.]+)\" text-anchor=\"start\" class=\"small\">");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), legend_text); it != std::sregex_iterator(); ++it) {
      legend_low = std::max(legend_low, std::stod((*it)[1]));
    }
    // The plot's top: the highest grid line.
    double plot_top = 1e9;
    const std::regex grid("y1=\"([0-9.]+)\" x2=\"[0-9.]+\" y2=\"[0-9.]+\" class=\"grid\"");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), grid); it != std::sregex_iterator(); ++it) {
      plot_top = std::min(plot_top, std::stod((*it)[1]));
    }
    CHECK(legend_low > 0);
    CHECK(legend_low < plot_top);
  }
}

TEST_CASE("the window panel draws the advertised window beside cwnd", "[report][plots][html]") {
  const TimeSequence ts = lossy_sequence();
  const std::string svg = window_svg(ts);
  const auto window = polylines(svg, "#7f7f7f");
  REQUIRE(window.size() == 1);
  // Five ACKs, the window 65535, 65535, 65535, 65535, 32768 bytes: held level, then one step down.
  std::vector<double> levels;
  for (const auto& p : window.front()) {
    if (levels.empty() || levels.back() != p.second) levels.push_back(p.second);
  }
  REQUIRE(levels.size() == 2);
  CHECK(levels[1] > levels[0]);  // lower window, larger y
  const auto cwnd = polylines(svg, "#1f77b4");
  REQUIRE(cwnd.size() == 1);
  CHECK(cwnd.front().size() == 2 * 3 + 1);  // three cwnd rows as steps, held to the end
}

TEST_CASE("cwnd and ssthresh are both drawn, and the RTT plot has SRTT and RTO", "[report][plots][html]") {
  const TimeSequence ts = lossy_sequence();
  const std::string cwnd = cwnd_svg(ts);
  CHECK(polylines(cwnd, "#1f77b4").size() == 1);
  const auto ss = polylines(cwnd, "#ff7f0e");
  REQUIRE(ss.size() == 1);
  CHECK(cwnd.find("ssthresh unset (infinite: slow start) until 30.0 ms") != std::string::npos);
  CHECK(cwnd.find("class=\"series ssthresh\"") != std::string::npos);
  const std::string rtt = rtt_svg(ts);
  CHECK(polylines(rtt, "#9467bd").size() == 1);
  CHECK(polylines(rtt, "#8c564b").size() == 1);
  // The 1000 ms RTO before any RTT sample is named, not drawn.
  CHECK(rtt.find("before the first RTT sample it was up to 1000 ms") != std::string::npos);
  const std::string tp = throughput_svg(ts);
  CHECK(polylines(tp, "#1f77b4").size() == 1);
  CHECK(polylines(tp, "#2ca02c").size() == 1);
}

TEST_CASE("with many seeds a far tail goes to the edge of the axis, every seed still drawn", "[report][plots][html]") {
  const CompareSetup s = one_factor(300);
  std::vector<RunMetrics> runs;
  for (std::uint64_t k = 0; k < 300; ++k) runs.push_back(run(0, k + 1, 1000));
  // The variant: 1..299 ms faster, and seed 300 ten seconds slower.
  for (std::uint64_t k = 0; k < 300; ++k) {
    runs.push_back(run(1, k + 1, k == 299 ? 11000 : 1000 - static_cast<double>(k + 1)));
  }
  const RunTable t = table_of(s, runs);
  const std::string diff = paired_difference_svg(s, t, aggregate(s, t));
  CHECK(count(diff, "<circle cx") + count(diff, "beyond\"><title>") == 300 + 3);  // + the legend's 3 dots
  CHECK(count(diff, "beyond\"><title>") == 4);  // seed 300 above; the fastest 1% (seeds 297-299) below
  CHECK(diff.find("class=\"diff slower beyond\"><title>seed 300: +10000.0 ms</title>") != std::string::npos);
  CHECK(diff.find("The axis spans the 1st to 99th percentile: 4 seeds beyond it sit on its edge") != std::string::npos);
  const std::string ecdf = ecdf_svg(s, t);
  CHECK(ecdf.find("the slowest seed took 11000 ms") != std::string::npos);
  // The variant's line reaches 1 at the right edge, not at 11000 ms off the page.
  const auto lines = polylines(ecdf, std::string(palette(1)));
  REQUIRE(lines.size() == 1);
  CHECK(lines.front().back().first == kPlotFrame.right);
}
