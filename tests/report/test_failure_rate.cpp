// Failed runs in a comparison (issue 17): what makes a run failed, the
// exact McNemar test on the seeds where one side failed, and how failures
// appear in compare.csv, compare.json and the terminal.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wiresim/report/compare.hpp"
#include "wiresim/report/failure_rate.hpp"

using namespace wiresim::report;
using Json = nlohmann::ordered_json;

namespace {

/// 1 vs 6 connections over 4 seeds.
CompareSetup setup() {
  CompareSetup s;
  s.scenario = "lab";
  s.scenario_file = "lab.yaml";
  s.factors = {{"apps.browser.max_connections", {"1", "6"}}};
  s.seeds = 4;
  return s;
}

RunMetrics ok_run(std::size_t combination, std::uint64_t seed, double plt) {
  RunMetrics r;
  r.combination = combination;
  r.seed = seed;
  r.page_loads = 1;
  r.document_status = 200;
  r.page_load_ms = plt;
  r.ttfb_ms = plt / 4;
  r.connections = 1;
  r.end_time_s = "1.000000000";
  return r;
}

RunMetrics failed_load(std::size_t combination, std::uint64_t seed, int status, std::string error) {
  RunMetrics r;
  r.combination = combination;
  r.seed = seed;
  r.page_loads = 1;
  r.failed_loads = 1;
  r.document_status = status;
  r.load_error = std::move(error);
  r.connections = 1;
  r.end_time_s = "1.000000000";
  return r;
}

/// Baseline fails on seed 2 only; the variant on seeds 2, 3 and 4.
std::vector<RunMetrics> runs() {
  return {ok_run(0, 1, 100), failed_load(0, 2, 404, "browser load 1: document http://s/ answered 404 Not Found"),
          ok_run(0, 3, 300), ok_run(0, 4, 400),
          ok_run(1, 1, 90),  failed_load(1, 2, 0, "browser load 1: cannot resolve host 'x'"),
          failed_load(1, 3, 0, "browser load 1: connection reset"),
          failed_load(1, 4, 0, "browser load 1: connection reset")};
}

}  // namespace

TEST_CASE("exact McNemar p-values: the two-sided binomial test on the discordant pairs", "[report][failures]") {
  // Fagerland, Lydersen and Laake (2013), BMC Med Res Methodol 13:91, Table 1:
  // Bentur et al. (2009), 1 and 7 discordant pairs: exact conditional p = 0.070
  // (exactly 2 (1 + 8) / 2^8).
  CHECK(exact_mcnemar_p(1, 7) == Approx(18.0 / 256.0).epsilon(1e-12));
  CHECK(exact_mcnemar_p(7, 1) == exact_mcnemar_p(1, 7));  // two-sided: symmetric
  CHECK(exact_mcnemar_p(0, 5) == Approx(2.0 / 32.0).epsilon(1e-12));
  CHECK(exact_mcnemar_p(0, 6) == Approx(2.0 / 64.0).epsilon(1e-12));
  // Sums of binomial coefficients, computed with exact integers.
  CHECK(exact_mcnemar_p(10, 30) == Approx(0.0022214337732293643).epsilon(1e-9));
  CHECK(exact_mcnemar_p(121, 59) == Approx(4.434449263755176e-06).epsilon(1e-6));
  // No discordant pair, or as many each way: no evidence of a difference.
  CHECK(exact_mcnemar_p(0, 0) == 1.0);
  CHECK(exact_mcnemar_p(3, 3) == 1.0);
  CHECK(exact_mcnemar_p(1, 0) == 1.0);
}

TEST_CASE("a run with a failed page load is a failed run, left out of the page-load statistics",
          "[report][failures]") {
  const RunMetrics bad = failed_load(0, 1, 404, "browser load 1: x");
  CHECK(bad.failed());
  CHECK_FALSE(value_of(bad, Metric::kPageLoadMs).has_value());
  CHECK(value_of(bad, Metric::kConnections) == 1.0);  // other metrics are kept
  CHECK_FALSE(ok_run(0, 1, 10).failed());

  const CompareSetup s = setup();
  const CompareAggregate agg = aggregate(s, runs());
  REQUIRE(agg.combinations.size() == 2);
  CHECK(agg.combinations[0].failed_runs == 1);
  CHECK(agg.combinations[1].failed_runs == 3);
  const Summary& plt1 = agg.combinations[1].metrics[static_cast<std::size_t>(Metric::kPageLoadMs)];
  CHECK(plt1.n == 1);  // seed 1 only
  CHECK(plt1.mean == 90.0);

  REQUIRE(agg.failures.size() == 1);
  const FailureComparison& f = agg.failures.front();
  CHECK(f.factor == 0);
  CHECK(f.a == 0);
  CHECK(f.b == 1);
  CHECK(f.pairs == 4);
  CHECK(f.failed_a == 1);
  CHECK(f.failed_b == 3);
  CHECK(f.only_a == 0);
  CHECK(f.only_b == 2);  // seed 2 failed on both sides: concordant
  CHECK(f.p_value == Approx(0.5));
  CHECK_FALSE(f.significant());
}

TEST_CASE("compare.csv fills error and document_status for a failed load, and gives it no page load time",
          "[report][failures][csv]") {
  const CompareSetup s = setup();
  const std::vector<RunMetrics> r = runs();
  CHECK(compare_csv_row(s, r[0]) == "0,1,1,,200,1,0,100.000000,25.000000,1,0,0,0,0,0,0,0,1.000000000\n");
  CHECK(compare_csv_row(s, r[1]) ==
        "0,1,2,browser load 1: document http://s/ answered 404 Not Found,404,1,1,,,1,0,0,0,0,0,0,0,1.000000000\n");
  CHECK(compare_csv_row(s, r[5]) == "1,6,2,browser load 1: cannot resolve host 'x',0,1,1,,,1,0,0,0,0,0,0,0,1.000000000\n");
  RunMetrics crashed = r[0];
  crashed.error = "run failed";
  crashed.load_error = "browser load 1: x";
  crashed.document_status.reset();
  CHECK(compare_csv_row(s, crashed).starts_with("0,1,1,run failed,,1,"));  // the run's own error wins
}

TEST_CASE("compare.json and the terminal count failures per variant and give the paired test",
          "[report][failures][json]") {
  const CompareSetup s = setup();
  const CompareAggregate agg = aggregate(s, runs());
  const Json j = Json::parse(compare_json(s, agg));
  const Json& f = j.at("failures");
  CHECK(f.at("failed_run").get<std::string>().starts_with("a run fails when it ends with an error or any of its page "
                                                          "loads does"));
  CHECK(f.at("test") == "exact McNemar test (two-sided binomial test on the seeds where exactly one side failed), "
                        "Holm-corrected together with the paired differences; no test without such a seed");
  CHECK(f.at("combinations") == Json::parse(R"([{"label": "max_connections=1", "runs": 4, "failed_runs": 1},
                                                 {"label": "max_connections=6", "runs": 4, "failed_runs": 3}])"));
  REQUIRE(f.at("comparisons").size() == 1);
  CHECK(f.at("comparisons")[0] == Json::parse(R"({"factor": "apps.browser.max_connections",
      "baseline": "max_connections=1", "variant": "max_connections=6", "pairs": 4, "baseline_failed": 1,
      "variant_failed": 3, "only_baseline_failed": 0, "only_variant_failed": 2, "p_value": 0.5,
      "p_holm": 1.0, "significant": false})"));

  CHECK(failures_text(s, agg) ==
        "\nfailed runs (left out of the page load and TTFB figures above):\n"
        "  max_connections=1: 1 of 4 (25.0%)\n"
        "  max_connections=6: 3 of 4 (75.0%)\n"
        "failure rate, paired by seed (exact McNemar test on the seeds where one side failed):\n"
        "  max_connections=6 vs max_connections=1: 3 vs 1 failed; only the variant 2, only the baseline 0; "
        "p=0.5000, Holm p=1.0000, not significant\n");

  const std::string html = failures_html(s, agg);
  CHECK(html.find("<h2>Failures</h2>") == 0);
  CHECK(html.find("<td>3 of 4 (75.0%)</td>") != std::string::npos);
  CHECK(html.find("<td>0.5000</td><td>1.0000</td><td class=\"l ns\">not significant</td>") != std::string::npos);
}

TEST_CASE("no failed run: one line, and a significant difference is called so", "[report][failures]") {
  CompareSetup s = setup();
  std::vector<RunMetrics> all_ok;
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::uint64_t k = 1; k <= 4; ++k) all_ok.push_back(ok_run(c, k, 100));
  }
  CHECK(failures_text(s, aggregate(s, all_ok)) == "\nfailed runs: none\n");

  // 8 seeds where only the variant failed: p = 2 / 2^8.
  s.seeds = 8;
  std::vector<RunMetrics> rs;
  for (std::uint64_t k = 1; k <= 8; ++k) rs.push_back(ok_run(0, k, 100));
  for (std::uint64_t k = 1; k <= 8; ++k) rs.push_back(failed_load(1, k, 0, "browser load 1: x"));
  const CompareAggregate agg = aggregate(s, rs);
  REQUIRE(agg.failures.size() == 1);
  CHECK(agg.failures[0].p_value == Approx(2.0 / 256.0));
  CHECK(agg.failures[0].significant());
}
