#include "wiresim/report/compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "wiresim/capture/csv.hpp"

namespace wiresim::report {
namespace {

using Json = nlohmann::ordered_json;
using capture::csv_field;

std::string opt_fixed(const std::optional<double>& v, int decimals) { return v ? fixed(*v, decimals) : std::string{}; }

/// A figure for JSON: rounded to `decimals` so the text does not depend on
/// the last bits of a computation; null when not finite.
Json number(double v, int decimals = 6) {
  if (!std::isfinite(v)) return nullptr;
  return Json::parse(fixed(v, decimals));
}

/// A p-value for JSON: six significant digits, so that an exact p of
/// 2/2^50 reads 1.77636e-15, not 0 (issue 17: p = 0 is a claim no test
/// makes); null when no test was made.
Json p_number(double p) {
  if (!std::isfinite(p)) return nullptr;
  return Json::parse(fmt::format("{:.6g}", p));
}

Json summary_json(const Summary& s) {
  return Json{{"n", s.n},
              {"median", number(s.median)},
              {"median_ci95_low", number(s.median_ci_low)},
              {"median_ci95_high", number(s.median_ci_high)},
              {"mean", number(s.mean)},
              {"mean_ci95_low", number(s.mean_ci_low)},
              {"mean_ci95_high", number(s.mean_ci_high)},
              {"stddev", number(s.stddev)},
              {"min", number(s.min)},
              {"p95", number(s.p95)},
              {"max", number(s.max)}};
}

/// How the figures were made, for a reader of compare.json.
Json method_json(const CompareAggregate& agg) {
  const BootstrapOptions bootstrap;
  const SignedRankOptions test;
  return Json{
      {"intervals",
       fmt::format("{}% percentile bootstrap, {} resamples (of the runs, or of the seed pairs for a difference), "
                   "generator seed {:#x}",
                   fixed(bootstrap.confidence * 100, 0), bootstrap.resamples, bootstrap.seed)},
      {"test",
       fmt::format("Wilcoxon signed-rank, two-sided, on the paired differences; zero differences dropped; exact "
                   "distribution up to {} non-zero pairs, else normal approximation with tie and continuity "
                   "corrections",
                   test.exact_max_n)},
      {"effect_size", "Hodges-Lehmann shift (median of the Walsh averages of the paired differences); relative "
                      "differences of the medians and of the means"},
      {"multiplicity", fmt::format("Holm step-down over the {} tests: the differences with a test and the failure-rate comparisons "
                                   "with a discordant seed",
                                   agg.tests)},
      {"alpha", agg.alpha},
      {"verdict", "significant when p_holm <= alpha"}};
}

/// A p-value for people after "p": "<0.0001" below it, "=0.0391" otherwise, "=-" for none.
std::string p_text(double p) {
  if (!std::isfinite(p)) return "=-";
  return p < 0.0001 ? std::string("<0.0001") : "=" + fixed(p, 4);
}

/// The Wilcoxon test of a difference for compare.json.
Json test_json(const SignedRankTest& t) {
  return Json{{"test", "Wilcoxon signed-rank, two-sided"},
              {"nonzero_pairs", t.n},
              {"zero_differences_dropped", t.zeros},
              {"v", number(t.v)},
              {"distribution", t.n == 0 ? "none (no non-zero difference)" : t.exact ? "exact" : "normal approximation"},
              {"z", t.exact || t.n == 0 ? Json(nullptr) : number(t.z)}};
}

std::size_t metric_index(Metric m) { return static_cast<std::size_t>(m); }

}  // namespace

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return {};
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find_first_not_of("-0.") == std::string::npos && s.front() == '-') s.erase(0, 1);  // no "-0.000"
  return s;
}

std::string shown(double v, int decimals) { return std::isfinite(v) ? fixed(v, decimals) : "-"; }

std::string interval(double low, double high, int decimals) {
  if (!std::isfinite(low) || !std::isfinite(high)) return "-";
  return "[" + fixed(low, decimals) + ", " + fixed(high, decimals) + "]";
}

std::string short_key(const std::string& key) {
  const std::size_t dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

std::size_t CompareSetup::combination_count() const {
  std::size_t n = 1;
  for (const Factor& f : factors) n *= f.values.size();
  return n;
}

std::vector<std::size_t> CompareSetup::levels(std::size_t c) const {
  std::vector<std::size_t> out(factors.size());
  for (std::size_t i = factors.size(); i-- > 0;) {
    out[i] = c % factors[i].values.size();
    c /= factors[i].values.size();
  }
  return out;
}

std::size_t CompareSetup::combination_of(const std::vector<std::size_t>& lv) const {
  std::size_t c = 0;
  for (std::size_t i = 0; i < factors.size(); ++i) c = c * factors[i].values.size() + lv.at(i);
  return c;
}

std::string CompareSetup::label(std::size_t c) const {
  if (factors.empty()) return "baseline";
  const std::vector<std::size_t> lv = levels(c);
  std::string out;
  for (std::size_t i = 0; i < factors.size(); ++i) {
    if (i > 0) out += ", ";
    out += short_key(factors[i].key) + "=" + factors[i].values[lv[i]];
  }
  return out;
}

namespace {

/// `text` with every character but letters, digits, '.' and '-' replaced
/// by '_' ('%' by "pct").
std::string folder_safe(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '%') {
      out += "pct";
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
               ch == '-') {
      out += ch;
    } else {
      out += '_';
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> CompareSetup::slugs() const {
  const std::size_t combos = combination_count();
  std::vector<std::string> out;
  out.reserve(combos);
  for (std::size_t c = 0; c < combos; ++c) {
    if (factors.empty()) {
      out.emplace_back("baseline");
      continue;
    }
    const std::vector<std::size_t> lv = levels(c);
    std::string name;
    for (std::size_t i = 0; i < factors.size(); ++i) {
      if (i > 0) name += "_";
      name += folder_safe(short_key(factors[i].key)) + "-" + folder_safe(factors[i].values[lv[i]]);
    }
    out.push_back(std::move(name));
  }
  // Names that came out equal get their combination number: sorting a copy
  // finds them in O(n log n).
  std::vector<std::string> sorted = out;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t c = 0; c < combos; ++c) {
    const auto [lo, hi] = std::equal_range(sorted.begin(), sorted.end(), out[c]);
    if (hi - lo > 1 || out[c] == "." || out[c] == "..") out[c] += "~" + std::to_string(c);
  }
  return out;
}

std::string CompareSetup::slug(std::size_t c) const { return slugs().at(c); }

std::vector<std::string> CompareSetup::sets_of(std::size_t c) const {
  const std::vector<std::size_t> lv = levels(c);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < factors.size(); ++i) out.push_back(factors[i].key + "=" + factors[i].values[lv[i]]);
  return out;
}

const char* name_of(Metric m) {
  switch (m) {
    case Metric::kPageLoadMs: return "page_load_ms";
    case Metric::kTtfbMs: return "ttfb_ms";
    case Metric::kConnections: return "connections";
    case Metric::kHandshakes: return "handshakes";
    case Metric::kRetransmissions: return "retransmissions";
    case Metric::kWireBytes: return "wire_bytes";
    case Metric::kFailedLoads: return "failed_loads";
  }
  return "?";
}

const char* title_of(Metric m) {
  switch (m) {
    case Metric::kPageLoadMs: return "page load time (ms)";
    case Metric::kTtfbMs: return "time to first byte (ms)";
    case Metric::kConnections: return "connections opened";
    case Metric::kHandshakes: return "handshakes completed";
    case Metric::kRetransmissions: return "retransmitted segments";
    case Metric::kWireBytes: return "bytes on the wire";
    case Metric::kFailedLoads: return "failed page loads";
  }
  return "?";
}

std::optional<double> value_of(const RunMetrics& r, Metric m) {
  if (!r.error.empty()) return std::nullopt;
  switch (m) {
    case Metric::kPageLoadMs: return r.page_load_ms;
    case Metric::kTtfbMs: return r.ttfb_ms;
    case Metric::kConnections: return static_cast<double>(r.connections);
    case Metric::kHandshakes: return static_cast<double>(r.handshakes);
    case Metric::kRetransmissions: return static_cast<double>(r.retransmissions);
    case Metric::kWireBytes: return static_cast<double>(r.wire_bytes);
    case Metric::kFailedLoads: return static_cast<double>(r.failed_loads);
  }
  return std::nullopt;
}

void RunTable::append(const RunMetrics& r) {
  failed_.push_back(r.failed() ? 1 : 0);
  for (const Metric m : kAllMetrics) values_.push_back(value_of(r, m).value_or(std::numeric_limits<double>::quiet_NaN()));
}

std::optional<double> RunTable::value(std::size_t c, std::size_t k, Metric m) const {
  const double v = values_[(c * seeds_ + k) * kMetricCount + metric_index(m)];
  if (std::isnan(v)) return std::nullopt;
  return v;
}

RunTable run_table(const CompareSetup& setup, const std::vector<RunMetrics>& runs) {
  if (runs.size() != setup.combination_count() * setup.seeds) {
    throw std::invalid_argument("aggregate: one run per combination and seed");
  }
  RunTable table(setup.combination_count(), setup.seeds);
  for (const RunMetrics& r : runs) table.append(r);
  return table;
}

namespace {

/// Holm's correction over every difference with a test, and the verdicts
/// from it: one family, whatever the metric or factor, so that the chance
/// of any false "significant" in the whole comparison is at most alpha.
/// One Holm family: every paired difference with a test and every
/// failure-rate comparison with a discordant seed.
void apply_holm(CompareAggregate& agg) {
  std::vector<double> p;
  p.reserve(agg.differences.size() + agg.failures.size());
  for (const Difference& d : agg.differences) p.push_back(d.diff.p_value);
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  for (const FailureComparison& f : agg.failures) p.push_back(f.tested() ? f.p_value : nan);
  const std::vector<double> adjusted = holm_adjust(p);
  agg.tests = 0;
  for (std::size_t i = 0; i < agg.differences.size(); ++i) {
    Difference& d = agg.differences[i];
    d.p_holm = adjusted[i];
    d.significant = std::isfinite(d.p_holm) && d.p_holm <= agg.alpha;
    if (std::isfinite(d.p_holm)) ++agg.tests;
  }
  for (std::size_t i = 0; i < agg.failures.size(); ++i) {
    FailureComparison& f = agg.failures[i];
    f.p_holm = adjusted[agg.differences.size() + i];
    f.holm_significant = std::isfinite(f.p_holm) && f.p_holm <= agg.alpha;
    if (std::isfinite(f.p_holm)) ++agg.tests;
  }
}

}  // namespace

CompareAggregate aggregate(const CompareSetup& setup, const std::vector<RunMetrics>& runs) {
  return aggregate(setup, run_table(setup, runs));
}

CompareAggregate aggregate(const CompareSetup& setup, const RunTable& table, const std::atomic<bool>* cancel,
                           double alpha) {
  const std::size_t combos = setup.combination_count();
  if (table.combinations() != combos || table.seeds() != setup.seeds || table.size() != combos * setup.seeds) {
    throw std::invalid_argument("aggregate: one run per combination and seed");
  }
  const auto cancelled = [cancel] { return cancel != nullptr && cancel->load(std::memory_order_relaxed); };

  CompareAggregate agg;
  agg.alpha = alpha;
  BootstrapOptions bootstrap;
  bootstrap.cancel = cancel;
  for (std::size_t c = 0; c < combos && !cancelled(); ++c) {
    CombinationStats cs;
    cs.combination = c;
    cs.runs = setup.seeds;
    for (std::size_t k = 0; k < setup.seeds; ++k) cs.failed_runs += table.failed(c, k) ? 1U : 0U;
    for (const Metric m : kAllMetrics) {
      std::vector<double> v;
      for (std::size_t k = 0; k < setup.seeds; ++k) {
        if (const auto x = table.value(c, k, m)) v.push_back(*x);
      }
      cs.metrics.push_back(summarize(v, bootstrap));
    }
    agg.combinations.push_back(std::move(cs));
  }

  agg.failures = compare_failures(setup, table, cancel);
  for (std::size_t f = 0; f < setup.factors.size(); ++f) {
    if (setup.factors[f].values.size() < 2) continue;
    for (std::size_t a = 0; a < combos && !cancelled(); ++a) {
      std::vector<std::size_t> lv = setup.levels(a);
      if (lv[f] != 0) continue;
      for (std::size_t value = 1; value < setup.factors[f].values.size(); ++value) {
        lv[f] = value;
        const std::size_t b = setup.combination_of(lv);
        for (const Metric m : kAllMetrics) {
          std::vector<double> xa;
          std::vector<double> xb;
          for (std::size_t k = 0; k < setup.seeds; ++k) {
            const auto va = table.value(a, k, m);
            const auto vb = table.value(b, k, m);
            if (va && vb) {
              xa.push_back(*va);
              xb.push_back(*vb);
            }
          }
          agg.differences.push_back(Difference{f, a, b, m, paired_difference(xa, xb, bootstrap)});
        }
      }
    }
  }
  apply_holm(agg);
  return agg;
}

std::string compare_csv_header(const CompareSetup& setup) {
  std::string out = "combination";
  for (const Factor& f : setup.factors) out += "," + csv_field(f.key);
  out +=
      ",seed,error,document_status,page_loads,failed_loads,page_load_ms,ttfb_ms,connections,handshakes,unused_connections,"
      "retransmissions,wire_packets,wire_bytes,drops,events,end_time_s\n";
  return out;
}

std::string compare_csv_row(const CompareSetup& setup, const RunMetrics& r) {
  std::string out = std::to_string(r.combination);
  const std::vector<std::size_t> lv = setup.levels(r.combination);
  for (std::size_t i = 0; i < setup.factors.size(); ++i) out += "," + csv_field(setup.factors[i].values[lv[i]]);
  // `error`: the run's own error, else its first failed page load's.
  out += fmt::format(",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.seed,
                     csv_field(r.error.empty() ? r.load_error : r.error),
                     r.document_status ? std::to_string(*r.document_status) : std::string{}, r.page_loads,
                     r.failed_loads, opt_fixed(r.page_load_ms, 6), opt_fixed(r.ttfb_ms, 6), r.connections,
                     r.handshakes, r.unused_connections, r.retransmissions, r.wire_packets, r.wire_bytes, r.drops,
                     r.events, r.end_time_s);
  return out;
}

std::string compare_csv(const CompareSetup& setup, const std::vector<RunMetrics>& runs) {
  std::string out = compare_csv_header(setup);
  for (const RunMetrics& r : runs) out += compare_csv_row(setup, r);
  return out;
}

std::string compare_json(const CompareSetup& setup, const CompareAggregate& agg) {
  Json factors = Json::array();
  for (const Factor& f : setup.factors) factors.push_back(Json{{"key", f.key}, {"values", f.values}});
  Json j{{"scenario", setup.scenario},
         {"scenario_file", setup.scenario_file},
         {"sets", setup.sets},
         {"factors", factors},
         {"seeds", Json{{"first", setup.first_seed}, {"count", setup.seeds}}},
         {"pairing",
          "seed k of every combination runs with the same seed, so the links draw from the same random streams; "
          "differences are paired by seed"}};
  j["method"] = method_json(agg);
  Json combos = Json::array();
  for (const CombinationStats& cs : agg.combinations) {
    Json values = Json::object();
    const std::vector<std::size_t> lv = setup.levels(cs.combination);
    for (std::size_t i = 0; i < setup.factors.size(); ++i) values[setup.factors[i].key] = setup.factors[i].values[lv[i]];
    Json metrics = Json::object();
    for (const Metric m : kAllMetrics) metrics[name_of(m)] = summary_json(cs.metrics[metric_index(m)]);
    combos.push_back(Json{{"combination", cs.combination},
                          {"label", setup.label(cs.combination)},
                          {"values", values},
                          {"runs", cs.runs},
                          {"failed_runs", cs.failed_runs},
                          {"metrics", metrics}});
  }
  j["combinations"] = combos;
  Json diffs = Json::array();
  for (const Difference& d : agg.differences) {
    diffs.push_back(Json{{"factor", setup.factors[d.factor].key},
                         {"baseline", setup.label(d.a)},
                         {"variant", setup.label(d.b)},
                         {"metric", name_of(d.metric)},
                         {"pairs", d.diff.n},
                         {"median_difference", number(d.diff.median_diff)},
                         {"median_difference_ci95_low", number(d.diff.median_ci_low)},
                         {"median_difference_ci95_high", number(d.diff.median_ci_high)},
                         {"relative_median_difference", number(d.diff.relative_median)},
                         {"mean_difference", number(d.diff.mean)},
                         {"mean_difference_ci95_low", number(d.diff.mean_ci_low)},
                         {"mean_difference_ci95_high", number(d.diff.mean_ci_high)},
                         {"relative_mean_difference", number(d.diff.relative)},
                         {"hodges_lehmann_shift", number(d.diff.hodges_lehmann)},
                         {"wilcoxon", test_json(d.diff.test)},
                         {"p_value", p_number(d.diff.p_value)},
                         {"p_holm", p_number(d.p_holm)},
                         {"significant", d.significant}});
  }
  j["differences"] = diffs;
  j["failures"] = failures_json(setup, agg);
  return j.dump(2) + "\n";
}

namespace {

/// The page load columns of the per-combination table, and their header.
std::string plt_header() {
  return fmt::format("{:>10} {:>19} {:>9} {:>19} {:>9}", "PLT median", "95% CI", "mean", "95% CI", "p95");
}

std::string plt_columns(const Summary& plt) {
  return fmt::format("{:>10} {:>19} {:>9} {:>19} {:>9}", shown(plt.median, 1),
                     interval(plt.median_ci_low, plt.median_ci_high, 1), shown(plt.mean, 1),
                     interval(plt.mean_ci_low, plt.mean_ci_high, 1), shown(plt.p95, 1));
}

std::string percent(double relative) { return std::isfinite(relative) ? fixed(relative * 100, 1) + "%" : "n/a"; }

/// "significant (p<0.0001, Holm p<0.0001), 50 pairs\n    median 35.7 ms [35.2, 36.1] (15.0%), mean ..., HL 35.7 ms"
std::string difference_text(const Difference& d) {
  const PairedDifference& x = d.diff;
  return fmt::format("{} (p{}, Holm p{}), {} pair{}\n      median {} ms {} ({}), mean {} ms {}, HL shift {} ms",
                     d.significant ? "significant" : "not significant", p_text(x.p_value), p_text(d.p_holm), x.n,
                     x.n == 1 ? "" : "s", fixed(x.median_diff, 1), interval(x.median_ci_low, x.median_ci_high, 1),
                     percent(x.relative_median), fixed(x.mean, 1), interval(x.mean_ci_low, x.mean_ci_high, 1),
                     fixed(x.hodges_lehmann, 1));
}

}  // namespace

std::string compare_table(const CompareSetup& setup, const CompareAggregate& agg) {
  std::size_t label_width = 11;
  for (const CombinationStats& cs : agg.combinations) label_width = std::max(label_width, setup.label(cs.combination).size());
  std::string out = fmt::format("{}: {} combination{} x {} seed{} (seeds {}..{}, paired)\n", setup.scenario,
                                agg.combinations.size(), agg.combinations.size() == 1 ? "" : "s", setup.seeds,
                                setup.seeds == 1 ? "" : "s", setup.first_seed, setup.first_seed + setup.seeds - 1);
  out += fmt::format("{:<{}}  {}  {:>8} {:>6} {:>6} {:>7} {:>10} {:>6}\n", "combination", label_width,
                     plt_header(), "TTFB", "conns", "hshk", "rtx", "wire B", "failed");
  for (const CombinationStats& cs : agg.combinations) {
    out += fmt::format("{:<{}}  {}  {:>8} {:>6} {:>6} {:>7} {:>10} {:>6}\n", setup.label(cs.combination),
                       label_width, plt_columns(cs.metrics[metric_index(Metric::kPageLoadMs)]),
                       shown(cs.metrics[metric_index(Metric::kTtfbMs)].mean, 1),
                       shown(cs.metrics[metric_index(Metric::kConnections)].mean, 1),
                       shown(cs.metrics[metric_index(Metric::kHandshakes)].mean, 1),
                       shown(cs.metrics[metric_index(Metric::kRetransmissions)].mean, 1),
                       shown(cs.metrics[metric_index(Metric::kWireBytes)].mean, 0),
                       shown(cs.metrics[metric_index(Metric::kFailedLoads)].mean, 2));
  }
  out += "(times in ms; 95% percentile-bootstrap intervals; other columns are means per run; a run's page load "
         "time is the mean over its page loads)\n";
  bool header = false;
  for (const Difference& d : agg.differences) {
    if (d.metric != Metric::kPageLoadMs) continue;
    if (!header) {
      out += fmt::format(
          "\npage load time, paired by seed (variant - baseline; 95% paired-bootstrap intervals; HL: Hodges-Lehmann "
          "shift)\nWilcoxon signed-rank test, two-sided, Holm-corrected over the {} tests in compare.json: "
          "significant when Holm p <= {}\n",
          agg.tests, fixed(agg.alpha, 2));
      header = true;
    }
    const std::vector<std::size_t> lb = setup.levels(d.b);
    std::string context;
    for (std::size_t i = 0; i < setup.factors.size(); ++i) {
      if (i == d.factor) continue;
      if (!context.empty()) context += ", ";
      context += short_key(setup.factors[i].key);
      context += '=';
      context += setup.factors[i].values[lb[i]];
    }
    const Factor& f = setup.factors[d.factor];
    if (d.diff.n == 0) {
      out += fmt::format("  {}={} vs {}{}: no seed with a page load time on both sides\n", short_key(f.key),
                         f.values[lb[d.factor]], f.values[0], context.empty() ? "" : " (" + context + ")");
      continue;
    }
    out += fmt::format("  {}={} vs {}{}: {}\n", short_key(f.key), f.values[lb[d.factor]], f.values[0],
                       context.empty() ? "" : " (" + context + ")", difference_text(d));
  }
  return out;
}

}  // namespace wiresim::report
