#include "wiresim/report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "wiresim/report/svg.hpp"

namespace wiresim::report {
namespace {

std::string td(const std::string& s, bool left = false) {
  return (left ? "<td class=\"l\">" : "<td>") + escape_xml(s) + "</td>";
}

/// The part of a URL after the host: "/Myhead.jpg".
std::string path_of(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? url : url.substr(slash);
}

std::string combination_table(const CompareSetup& setup, const CompareAggregate& agg) {
  std::string h = "<table>\n<tr><th class=\"l\">combination</th><th>runs</th><th>PLT median</th><th>95% CI</th>"
                  "<th>PLT mean</th><th>95% CI</th><th>p95</th><th>TTFB mean</th><th>connections</th>"
                  "<th>handshakes</th>"
                  "<th>retransmissions</th><th>bytes on wire</th><th>failed loads</th></tr>\n";
  for (const CombinationStats& cs : agg.combinations) {
    auto m = [&](Metric x) -> const Summary& { return cs.metrics[static_cast<std::size_t>(x)]; };
    h += "<tr>" + td(setup.label(cs.combination), true) + td(std::to_string(cs.runs)) +
         td(shown(m(Metric::kPageLoadMs).median, 1)) +
         td(interval(m(Metric::kPageLoadMs).median_ci_low, m(Metric::kPageLoadMs).median_ci_high, 1)) +
         td(shown(m(Metric::kPageLoadMs).mean, 1)) +
         td(interval(m(Metric::kPageLoadMs).mean_ci_low, m(Metric::kPageLoadMs).mean_ci_high, 1)) +
         td(shown(m(Metric::kPageLoadMs).p95, 1)) +
         td(shown(m(Metric::kTtfbMs).mean, 1)) + td(shown(m(Metric::kConnections).mean, 2)) +
         td(shown(m(Metric::kHandshakes).mean, 2)) + td(shown(m(Metric::kRetransmissions).mean, 2)) +
         td(shown(m(Metric::kWireBytes).mean, 0)) + td(shown(m(Metric::kFailedLoads).mean, 2)) + "</tr>\n";
  }
  return h + "</table>\n";
}

/// A p-value cell: "<0.0001", four decimals, or "-" where no test was made.
std::string p_cell(double p) {
  if (!std::isfinite(p)) return "-";
  return p < 0.0001 ? std::string("<0.0001") : fixed(p, 4);
}

std::string difference_table(const CompareSetup& setup, const CompareAggregate& agg) {
  if (agg.differences.empty()) return "<p>Only one value per factor: nothing to compare.</p>\n";
  std::string h = "<table>\n<tr><th class=\"l\">variant</th><th class=\"l\">baseline</th><th class=\"l\">metric</th>"
                  "<th>pairs</th><th>median difference</th><th>95% CI</th><th>relative</th><th>mean difference</th>"
                  "<th>95% CI</th><th>HL shift</th><th>p (Wilcoxon)</th><th>p (Holm)</th>"
                  "<th class=\"l\">verdict</th></tr>\n";
  for (const Difference& d : agg.differences) {
    if (d.metric == Metric::kHandshakes || d.metric == Metric::kFailedLoads) continue;
    const int dec = d.metric == Metric::kWireBytes ? 0 : 2;
    const PairedDifference& x = d.diff;
    h += "<tr>" + td(setup.label(d.b), true) + td(setup.label(d.a), true) + td(title_of(d.metric), true) +
         td(std::to_string(x.n)) + td(shown(x.median_diff, dec)) +
         td(interval(x.median_ci_low, x.median_ci_high, dec)) +
         td(std::isfinite(x.relative_median) ? fixed(x.relative_median * 100, 1) + "%" : std::string("n/a")) +
         td(shown(x.mean, dec)) + td(interval(x.mean_ci_low, x.mean_ci_high, dec)) +
         td(shown(x.hodges_lehmann, dec)) + td(p_cell(x.p_value)) + td(p_cell(d.p_holm)) +
         (d.significant      ? "<td class=\"l sig\">significant</td>"
          : d.diff.n == 0 ? "<td class=\"l ns\">no pairs</td>"
                             : "<td class=\"l ns\">not significant</td>") +
         "</tr>\n";
  }
  return h + "</table>\n";
}

}  // namespace

std::string distribution_svg(const CompareSetup& setup, const RunTable& runs) {
  const std::size_t combos = setup.combination_count();
  // Colour: the first factor's value; x groups: the other factors' values.
  const std::size_t series = setup.factors.empty() ? 1 : setup.factors.front().values.size();
  const std::size_t groups = combos / series;
  double hi = 0;
  for (std::size_t c = 0; c < runs.combinations(); ++c) {
    for (std::size_t k = 0; k < runs.seeds(); ++k) {
      if (const auto plt = runs.value(c, k, Metric::kPageLoadMs)) hi = std::max(hi, *plt);
    }
  }
  const double slot = 70;
  const double group_w = slot * static_cast<double>(series) + 40;
  const double width = std::max(500.0, 110 + group_w * static_cast<double>(groups));
  const double height = 420;
  Svg svg(width, height);
  const Axis y(0, hi > 0 ? hi * 1.08 : 1, height - 80, 30);
  const Axis x(0, 1, 90, width - 20);
  for (const double t : y.ticks()) {
    svg.line(90, y(t), width - 20, y(t), "grid");
    svg.text(84, y(t) + 4, fmt::format("{:g}", t), "end", "small");
  }
  svg.line(90, y(0), width - 20, y(0), "axis");
  svg.line(90, y(0), 90, 30, "axis");
  svg.raw(fmt::format("<text x=\"30\" y=\"{0}\" text-anchor=\"middle\" transform=\"rotate(-90 30 {0})\">page load "
                      "time (ms), one dot per seed{1}</text>\n",
                      coord((y(0) + 30) / 2),
                      setup.seeds > kMaxDistributionDots
                          ? fmt::format(" (the first {})", kMaxDistributionDots)
                          : std::string{}));
  (void)x;
  for (std::size_t c = 0; c < combos; ++c) {
    const std::size_t s = setup.factors.empty() ? 0 : setup.levels(c).front();
    const std::size_t g = c % groups;
    const double cx = 110 + group_w * static_cast<double>(g) + slot * (static_cast<double>(s) + 0.5);
    std::vector<double> v;
    for (std::size_t k = 0; k < setup.seeds; ++k) {
      const std::optional<double> plt = runs.value(c, k, Metric::kPageLoadMs);
      if (!plt) continue;
      v.push_back(*plt);
      if (k >= kMaxDistributionDots) continue;  // the box still uses every seed
      // Deterministic jitter: the golden-ratio sequence.
      const double jitter = (std::fmod(static_cast<double>(k) * 0.6180339887, 1.0) - 0.5) * slot * 0.5;
      svg.circle(cx + jitter, y(*plt), 2.5, "dot", palette(s),
                 fmt::format("{}, seed {}: {:.1f} ms", setup.label(c), setup.first_seed + k, *plt));
    }
    if (!v.empty()) {
      std::sort(v.begin(), v.end());
      const double q1 = quantile_sorted(v, 0.25);
      const double q3 = quantile_sorted(v, 0.75);
      const double med = quantile_sorted(v, 0.5);
      const double p95 = quantile_sorted(v, 0.95);
      svg.rect(cx - slot * 0.3, y(q3), slot * 0.6, y(q1) - y(q3), "box", "",
               fmt::format("{}: median {:.1f} ms, quartiles {:.1f}-{:.1f}, p95 {:.1f}", setup.label(c), med, q1, q3, p95));
      svg.line(cx - slot * 0.3, y(med), cx + slot * 0.3, y(med), "median");
      svg.line(cx, y(q3), cx, y(p95), "box");
      svg.line(cx - slot * 0.12, y(p95), cx + slot * 0.12, y(p95), "box");
      svg.line(cx, y(q1), cx, y(v.front()), "box");
    }
    if (s == 0) {
      // The group's label: the values of every factor but the first.
      std::string label;
      const std::vector<std::size_t> lv = setup.levels(c);
      for (std::size_t i = 1; i < setup.factors.size(); ++i) {
        label += (label.empty() ? "" : ", ") + short_key(setup.factors[i].key) + "=" + setup.factors[i].values[lv[i]];
      }
      svg.text(110 + group_w * static_cast<double>(g) + slot * static_cast<double>(series) / 2, height - 52,
               label.empty() ? "all runs" : label, "middle", "");
    }
  }
  // Legend: the first factor's values.
  double lx = 110;
  for (std::size_t s = 0; s < series && !setup.factors.empty(); ++s) {
    svg.rect(lx, height - 28, 12, 12, "bar", palette(s));
    const std::string t = short_key(setup.factors.front().key) + "=" + setup.factors.front().values[s];
    svg.text(lx + 18, height - 18, t, "start", "small");
    lx += 30 + 7.0 * static_cast<double>(t.size());
  }
  return svg.str();
}

std::string waterfall_svg(const Waterfall& w, const std::string& title) {
  const double row = 22;
  const double left = 230;
  const double width = 1000;
  const double height = 70 + row * static_cast<double>(w.objects.size()) + 50;
  double hi = 1;
  for (const WaterfallObject& o : w.objects) {
    for (const auto& t : {o.queued_ms, o.connect_end_ms, o.request_ms, o.first_byte_ms, o.last_byte_ms}) {
      if (t) hi = std::max(hi, *t);
    }
  }
  Svg svg(width, height);
  svg.text(10, 20, title, "start", "title");
  const Axis x(0, hi * 1.05, left, width - 20);
  const double top = 40;
  const double bottom = top + row * static_cast<double>(w.objects.size());
  for (const double t : x.ticks()) {
    svg.line(x(t), top - 4, x(t), bottom, "grid");
    svg.text(x(t), bottom + 16, fmt::format("{:g}", t), "middle", "small");
  }
  svg.text((left + width - 20) / 2, bottom + 34, "time since the page load started (ms)", "middle", "");
  double y = top;
  for (const WaterfallObject& o : w.objects) {
    const std::string colour(palette(o.connection == 0 ? 7 : o.connection - 1));
    std::string name = path_of(o.url);
    if (name.size() > 28) name = name.substr(0, 25) + "...";
    svg.text(left - 8, y + 15, fmt::format("{}  #{}", name, o.connection), "end", "small");
    const double start = o.queued_ms.value_or(0);
    auto span = [&](std::optional<double> a, std::optional<double> b, std::string_view fill, double opacity,
                    std::string_view what) {
      if (!a || !b || *b < *a) return;
      svg.raw(fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"{}\" fill-opacity=\"{}\">"
                          "<title>{}</title></rect>\n",
                          coord(x(*a)), coord(y + 4), coord(std::max(x(*b) - x(*a), 1.0)), fill, coord(opacity),
                          escape_xml(fmt::format("{} {}: {:.3f} - {:.3f} ms", path_of(o.url), what, *a, *b))));
    };
    span(std::optional<double>(start), o.connect_start_ms ? o.connect_start_ms : o.request_ms, "#bbbbbb", 0.8,
         "queued");
    span(o.connect_start_ms, o.connect_end_ms, "#f2b134", 0.9, "TCP connect");
    span(o.request_ms, o.first_byte_ms, colour, 0.35, "waiting for the first byte");
    span(o.first_byte_ms, o.last_byte_ms, colour, 1.0, "receiving");
    if (!o.error.empty()) svg.text(x(start) + 4, y + 15, "failed: " + o.error, "start", "small");
    y += row;
  }
  if (w.page_load_ms) {
    svg.line(x(*w.page_load_ms), top - 6, x(*w.page_load_ms), bottom, "ctl arrow");
    svg.text(x(*w.page_load_ms), top - 10, fmt::format("onload {:.1f} ms", *w.page_load_ms), "middle", "small");
  }
  return svg.str();
}

namespace {

/// The plots after the tables: seeds paired, distributions, failures, the
/// example runs' waterfalls and one connection of them up close.
std::string figure_sections(const ReportInput& in) {
  const CompareSetup& setup = *in.setup;
  const RunTable& runs = *in.runs;
  std::string b = "<h2>Page load time, seed by seed</h2>\n<figure>" + paired_difference_svg(setup, runs, *in.aggregate) +
                  "<figcaption>One dot per seed: the variant's page load time minus the baseline's with the same "
                  "seed (the same random draws on every link), seeds ordered by that difference. Dots below the "
                  "zero line are seeds where the variant was faster; the dashed line is the median difference. "
                  "Seeds where either side has no page load time (a failed load) are left out and counted under "
                  "Failures.</figcaption></figure>\n";
  b += "<h2>Page load time distributions</h2>\n<figure>" + ecdf_svg(setup, runs) +
       "<figcaption>Empirical distribution functions: for each time on the x axis, the share of seeds whose page "
       "had loaded by then. A curve to the left is faster; where two curves cross, neither is faster for every "
       "seed. Runs without a page load time count in the denominator, so a curve ends below 1 by its share of "
       "failures.</figcaption></figure>\n";
  b += "<figure>" + distribution_svg(setup, runs) + "<figcaption>Each dot is one seed" +
       (setup.seeds > kMaxDistributionDots
            ? " (the first " + std::to_string(kMaxDistributionDots) + " of each combination; the boxes use every seed)"
            : std::string{}) +
       "; boxes span the quartiles with the median as a thick line; whiskers reach "
       "down to the minimum and up to the 95th percentile.</figcaption></figure>\n";
  b += "<h2>Failure rates</h2>\n<figure>" + failure_svg(setup, runs) +
       "<figcaption>A run counts as failed when it ended with an error or one of its page loads failed (it then "
       "has no page load time; see Failures above for the counts and the paired test). Whiskers: 95% Wilson score interval of the rate (Wilson "
       "1927; Brown, Cai and DasGupta 2001).</figcaption></figure>\n";
  if (!in.waterfalls.empty()) {
    b += "<h2>One page load per combination</h2>\n<p>The example runs use " + escape_xml(in.example.why) +
         ". Every combination runs that same seed, so the waterfalls below differ only by the variant. The first "
         "page load of each, like a browser's network panel: grey is waiting for a connection, yellow the TCP "
         "handshake, the pale bar waiting for the first byte, the solid bar receiving; the colour is the "
         "connection (#1, #2, ...).";
    if (!in.examples_folder.empty()) {
      b += " Every output of these runs (captures, TCP traces, HAR) is in <code>" + escape_xml(in.examples_folder) +
           "/</code>.";
    }
    b += "</p>\n";
    for (const Waterfall& w : in.waterfalls) {
      b += "<figure>" +
           waterfall_svg(w, fmt::format("{} (seed {}): {}, {} connection{}", setup.label(w.combination), w.seed,
                                        w.page_load_ms ? fmt::format("{:.1f} ms", *w.page_load_ms)
                                        : w.error.empty() ? std::string("incomplete")
                                                          : "failed (" + w.error + ")",
                                        w.connections, w.connections == 1 ? "" : "s")) +
           "</figure>\n";
    }
  }
  if (in.time_sequence) {
    const TimeSequence& ts = *in.time_sequence;
    b += "<h2>One connection up close</h2>\n<p>" + escape_xml(ts.run) + ": the data from <code>" +
         escape_xml(ts.sender) + "</code> to <code>" + escape_xml(ts.receiver) + "</code> as captured in <code>" +
         escape_xml(ts.capture) +
         "</code> (the connection that carried the most bytes, in the example run with the most "
         "retransmissions). The five plots share their time axis.</p>\n";
    b += "<figure>" + time_sequence_svg(ts) +
         "<figcaption>Time-sequence graph (Stevens): each vertical stroke is a segment at the time the capture saw "
         "it, from its first to its last byte; red strokes resend bytes, and the marker above each says why the "
         "sender resent it (its reason in tcp-retransmits.csv). The green steps are the receiver's cumulative "
         "ACKs; rings mark duplicate ACKs (Wireshark's rule) and cyan bars the SACK blocks they "
         "carry. Black triangles on the time axis are the handshake's SYN and SYN-ACK; one sent again carries its "
         "resend's marker instead (a lost SYN waits a whole initial RTO).</figcaption></figure>\n";
    b += "<figure>" + window_svg(ts) +
         "<figcaption>The receiver's advertised window (scaled, RFC 7323) and the sender's congestion window: "
         "the sender may have the smaller of the two unacknowledged (RFC 5681 &sect;2), so where the grey line "
         "is the lower one the receiver limits the sender, elsewhere the network does.</figcaption></figure>\n";
    b += "<figure>" + cwnd_svg(ts) +
         "<figcaption>The sender's congestion window and slow-start threshold (tcp-cwnd.csv); triangles mark the "
         "resends of the graph above.</figcaption></figure>\n";
    b += "<figure>" + throughput_svg(ts) +
         "<figcaption>Throughput of this connection at the capture point, in " + std::to_string(kThroughputBins) +
         " equal intervals.</figcaption></figure>\n";
    b += "<figure>" + rtt_svg(ts) +
         "<figcaption>The sender's RTT estimator (RFC 6298, from tcp-cwnd.csv): the smoothed RTT and the "
         "retransmission timeout it derives, doubled by each backoff.</figcaption></figure>\n";
  }
  return b;
}

}  // namespace

std::string compare_html(const ReportInput& in) {
  const CompareSetup& setup = *in.setup;
  std::string b = "<h1>" + escape_xml(setup.scenario) + ": compared across seeds</h1>\n";
  b += "<p>Scenario <code>" + escape_xml(setup.scenario_file) + "</code>";
  for (const std::string& s : setup.sets) b += ", <code>--set " + escape_xml(s) + "</code>";
  b += fmt::format(". {} combination{} &times; {} seed{} (seeds {} to {}), made by wiresim {}.</p>\n",
                   setup.combination_count(), setup.combination_count() == 1 ? "" : "s", setup.seeds,
                   setup.seeds == 1 ? "" : "s", setup.first_seed, setup.first_seed + setup.seeds - 1,
                   escape_xml(in.version));
  b += "<p><b>Paired seeds.</b> Seed <i>k</i> of every combination runs with the same seed, so each link draws its "
       "loss and jitter from the same random stream in every variant: a difference between variants comes from the "
       "variants, not from one of them being luckier. Differences below are computed seed by seed (variant minus "
       "baseline): the difference of the medians and of the means, each with a 95% percentile-bootstrap interval "
       "(10,000 resamples of the seed pairs, fixed generator seed), and the Hodges-Lehmann shift (the median of the "
       "Walsh averages of the paired differences). The test is the two-sided Wilcoxon signed-rank test of the paired "
       "differences (zero differences dropped; exact up to 50 non-zero pairs, normal approximation with tie and "
       "continuity corrections above). Its p-values are corrected for multiplicity by Holm's step-down procedure "
       "over all " + std::to_string(in.aggregate->tests) + " tests (every metric, every pair of variants), and a "
       "difference is called significant when its Holm-corrected p is at most " + fixed(in.aggregate->alpha, 2) +
       ". Verdict and p-value come from the same test; the intervals say how large a difference is.</p>\n";
  b += "<h2>Per combination</h2>\n" + combination_table(setup, *in.aggregate);
  b += "<p>Times in ms. A run's page load time is the mean over its page loads (start to onload, favicon excluded); "
       "the intervals are 95% percentile-bootstrap intervals (10,000 resamples of the runs) and never leave the range "
       "of the values.</p>\n";
  b += failures_html(setup, *in.aggregate);
  b += "<h2>Differences, paired by seed</h2>\n" + difference_table(setup, *in.aggregate);
  b += figure_sections(in);
  return html_page(setup.scenario + ": wiresim compare", b);
}

}  // namespace wiresim::report
