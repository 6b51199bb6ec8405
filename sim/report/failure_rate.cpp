#include "wiresim/report/failure_rate.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/binomial.hpp>
#include <fmt/format.h>

#include "wiresim/report/compare.hpp"
#include "wiresim/report/svg.hpp"

namespace wiresim::report {

double exact_mcnemar_p(std::uint64_t only_a, std::uint64_t only_b) {
  const std::uint64_t n = only_a + only_b;
  if (n == 0) return 1.0;
  const boost::math::binomial_distribution<double> discordant(static_cast<double>(n), 0.5);
  const double tail = boost::math::cdf(discordant, static_cast<double>(std::min(only_a, only_b)));
  return std::min(1.0, 2.0 * tail);
}

std::vector<FailureComparison> compare_failures(const CompareSetup& setup, const RunTable& table,
                                                const std::atomic<bool>* cancel) {
  const auto cancelled = [cancel] { return cancel != nullptr && cancel->load(std::memory_order_relaxed); };
  std::vector<FailureComparison> out;
  for (std::size_t f = 0; f < setup.factors.size(); ++f) {
    if (setup.factors[f].values.size() < 2) continue;
    for (std::size_t a = 0; a < setup.combination_count() && !cancelled(); ++a) {
      std::vector<std::size_t> lv = setup.levels(a);
      if (lv[f] != 0) continue;
      for (std::size_t value = 1; value < setup.factors[f].values.size(); ++value) {
        lv[f] = value;
        FailureComparison c;
        c.factor = f;
        c.a = a;
        c.b = setup.combination_of(lv);
        c.pairs = setup.seeds;
        for (std::size_t k = 0; k < setup.seeds; ++k) {
          const bool fa = table.failed(c.a, k);
          const bool fb = table.failed(c.b, k);
          c.failed_a += fa ? 1U : 0U;
          c.failed_b += fb ? 1U : 0U;
          c.only_a += fa && !fb ? 1U : 0U;
          c.only_b += fb && !fa ? 1U : 0U;
        }
        c.p_value = exact_mcnemar_p(c.only_a, c.only_b);
        out.push_back(c);
      }
    }
  }
  return out;
}

namespace {

/// What a failed run is and what becomes of it, as every output states it.
constexpr const char* kFailedRunRule =
    "a run fails when it ends with an error or any of its page loads does (an error, or a main document whose status "
    "is not 2xx); a failed run has no page load time or time to first byte and is left out of their statistics; its "
    "other metrics are kept";
constexpr const char* kTestName =
    "exact McNemar test (two-sided binomial test on the seeds where exactly one side failed), Holm-corrected "
    "together with the paired differences; no test without such a seed";

std::string p_text(double p) {
  if (!std::isfinite(p)) return "-";
  return p < 0.0001 ? std::string("<0.0001") : fmt::format("{:.4f}", p);
}

}  // namespace

nlohmann::ordered_json failures_json(const CompareSetup& setup, const CompareAggregate& agg) {
  using Json = nlohmann::ordered_json;
  Json per = Json::array();
  for (const CombinationStats& cs : agg.combinations) {
    per.push_back(Json{{"label", setup.label(cs.combination)}, {"runs", cs.runs}, {"failed_runs", cs.failed_runs}});
  }
  Json tests = Json::array();
  for (const FailureComparison& f : agg.failures) {
    tests.push_back(Json{{"factor", setup.factors[f.factor].key},
                         {"baseline", setup.label(f.a)},
                         {"variant", setup.label(f.b)},
                         {"pairs", f.pairs},
                         {"baseline_failed", f.failed_a},
                         {"variant_failed", f.failed_b},
                         {"only_baseline_failed", f.only_a},
                         {"only_variant_failed", f.only_b},
                         {"p_value", Json::parse(fmt::format("{:.9f}", f.p_value))},
                         {"p_holm", std::isfinite(f.p_holm) ? Json::parse(fmt::format("{:.9f}", f.p_holm)) : Json()},
                         {"significant", f.significant()}});
  }
  return Json{{"failed_run", kFailedRunRule}, {"test", kTestName}, {"combinations", per}, {"comparisons", tests}};
}

std::string failures_text(const CompareSetup& setup, const CompareAggregate& agg) {
  std::size_t failed = 0;
  for (const CombinationStats& cs : agg.combinations) failed += cs.failed_runs;
  if (failed == 0) return "\nfailed runs: none\n";
  std::string out = "\nfailed runs (left out of the page load and TTFB figures above):\n";
  for (const CombinationStats& cs : agg.combinations) {
    out += fmt::format("  {}: {}\n", setup.label(cs.combination), failure_count_text(cs.failed_runs, cs.runs));
  }
  if (agg.failures.empty()) return out;
  out += "failure rate, paired by seed (exact McNemar test on the seeds where one side failed):\n";
  for (const FailureComparison& f : agg.failures) {
    out += fmt::format("  {} vs {}: {} vs {} failed; only the variant {}, only the baseline {}; p={}, Holm p={}, {}\n",
                       setup.label(f.b), setup.label(f.a), f.failed_b, f.failed_a, f.only_b, f.only_a,
                       p_text(f.p_value), p_text(f.p_holm),
                       !f.tested() ? "no test" : f.significant() ? "significant" : "not significant");
  }
  return out;
}

namespace {

std::string cell(const std::string& s, bool left = false) {
  return (left ? "<td class=\"l\">" : "<td>") + escape_xml(s) + "</td>";
}

}  // namespace

std::string failures_html(const CompareSetup& setup, const CompareAggregate& agg) {
  std::string rule(kFailedRunRule);
  rule.front() = 'A';  // a sentence here, a clause in compare.json
  std::string h = "<h2>Failures</h2>\n<p>" + escape_xml(rule) +
                  ": the page load figures in the other tables and plots count only the runs that did not fail.</p>\n";
  h += "<table>\n<tr><th class=\"l\">combination</th><th>runs</th><th>failed runs</th></tr>\n";
  for (const CombinationStats& cs : agg.combinations) {
    h += "<tr>" + cell(setup.label(cs.combination), true) + cell(std::to_string(cs.runs)) +
         cell(failure_count_text(cs.failed_runs, cs.runs)) + "</tr>\n";
  }
  h += "</table>\n";
  if (agg.failures.empty()) return h;
  h += "<p>Failure rates compared seed by seed with the " + escape_xml(std::string(kTestName)) +
       ": a seed where both or neither failed says nothing about the difference.</p>\n";
  h += "<table>\n<tr><th class=\"l\">variant</th><th class=\"l\">baseline</th><th>pairs</th><th>variant failed</th>"
       "<th>baseline failed</th><th>only the variant</th><th>only the baseline</th><th>p (exact McNemar)</th><th>Holm p</th>"
       "<th class=\"l\">verdict</th></tr>\n";
  for (const FailureComparison& f : agg.failures) {
    h += "<tr>" + cell(setup.label(f.b), true) + cell(setup.label(f.a), true) + cell(std::to_string(f.pairs)) +
         cell(std::to_string(f.failed_b)) + cell(std::to_string(f.failed_a)) + cell(std::to_string(f.only_b)) +
         cell(std::to_string(f.only_a)) + cell(p_text(f.p_value)) + cell(p_text(f.p_holm)) +
         (!f.tested()        ? "<td class=\"l ns\">no test</td>"
          : f.significant() ? "<td class=\"l sig\">significant</td>"
                            : "<td class=\"l ns\">not significant</td>") +
         "</tr>\n";
  }
  return h + "</table>\n";
}

std::string failure_count_text(std::size_t failed, std::size_t runs) {
  if (runs == 0) return "0 of 0";
  return fmt::format("{} of {} ({:.1f}%)", failed, runs, 100.0 * static_cast<double>(failed) / static_cast<double>(runs));
}

}  // namespace wiresim::report
