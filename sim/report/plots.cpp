// The compare report's plots across seeds: ECDFs, paired differences,
// failure rates, and the choice of the example seed.
#include "wiresim/report/plots.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "plot_parts.hpp"
#include "wiresim/report/svg.hpp"

namespace wiresim::report {

// ----- the example seed -------------------------------------------------

std::optional<std::size_t> median_seed_index(const RunTable& runs, std::size_t combination) {
  std::vector<std::pair<double, std::size_t>> loaded;  // (page load time, seed index)
  for (std::size_t k = 0; k < runs.seeds(); ++k) {
    if (const auto plt = runs.value(combination, k, Metric::kPageLoadMs)) loaded.emplace_back(*plt, k);
  }
  if (loaded.empty()) return std::nullopt;
  std::sort(loaded.begin(), loaded.end());
  const double median = loaded[(loaded.size() - 1) / 2].first;
  // Of the seeds with the median time, the smallest: the first in (time, seed) order.
  return std::find_if(loaded.begin(), loaded.end(), [median](const auto& l) { return l.first == median; })->second;
}

ExampleSeed default_example_seed(const CompareSetup& setup, const RunTable& runs) {
  const std::optional<std::size_t> k = median_seed_index(runs, 0);
  if (!k) {
    return {setup.first_seed, fmt::format("seed {}, the first: no page load of the baseline ({}) completed, so it "
                                          "has no median seed",
                                          setup.first_seed, setup.label(0))};
  }
  std::size_t loaded = 0;
  for (std::size_t i = 0; i < runs.seeds(); ++i) if (runs.value(0, i, Metric::kPageLoadMs)) ++loaded;
  const double plt = *runs.value(0, *k, Metric::kPageLoadMs);
  return {setup.first_seed + *k,
          fmt::format("seed {}, the median seed of the baseline ({}): its page load time, {:.1f} ms, is the median of "
                      "the {} seed{} whose load completed{}. Choose another with --example-seed",
                      setup.first_seed + *k, setup.label(0), plt, loaded, loaded == 1 ? "" : "s",
                      loaded % 2 == 0 && loaded > 0 ? " (the lower of the two middle values)" : "")};
}

std::optional<ExampleSeed> chosen_example_seed(const CompareSetup& setup, std::uint64_t seed, std::string& error) {
  const std::uint64_t last = setup.first_seed + (setup.seeds - 1);
  if (seed < setup.first_seed || seed > last) {
    error = fmt::format("--example-seed {}: not among the seeds of this compare ({} to {}); the example runs repeat "
                        "one of the measured seeds",
                        seed, setup.first_seed, last);
    return std::nullopt;
  }
  return ExampleSeed{seed, fmt::format("seed {}, chosen with --example-seed", seed)};
}

// ----- failures -----------------------------------------------------------

bool run_failed(const RunTable& runs, std::size_t c, std::size_t k) {
  return runs.failed(c, k);  // RunMetrics::failed(): an error, or a failed page load
}

std::pair<double, double> wilson_interval(std::size_t failed, std::size_t runs) {
  if (runs == 0) return {0, 0};
  const double z = 1.959963984540054;  // the 0.975 quantile of the standard normal
  const double n = static_cast<double>(runs);
  const double p = static_cast<double>(failed) / n;
  const double denom = 1 + z * z / n;
  const double centre = (p + z * z / (2 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

FailureRate failure_rate(const RunTable& runs, std::size_t c) {
  FailureRate f;
  f.runs = runs.seeds();
  for (std::size_t k = 0; k < runs.seeds(); ++k) if (run_failed(runs, c, k)) ++f.failed;
  f.rate = f.runs == 0 ? 0 : static_cast<double>(f.failed) / static_cast<double>(f.runs);
  std::tie(f.ci_low, f.ci_high) = wilson_interval(f.failed, f.runs);
  return f;
}

std::string failure_svg(const CompareSetup& setup, const RunTable& runs) {
  const std::size_t combos = runs.combinations();
  const double left = 260;
  const double right = kPlotFrame.right - 170;
  const double top = 20;
  const double row = 26;
  const double bottom = top + row * static_cast<double>(combos);
  Svg svg(kPlotFrame.width, bottom + 50);
  std::vector<FailureRate> rates;
  double hi = 0.05;
  for (std::size_t c = 0; c < combos; ++c) {
    rates.push_back(failure_rate(runs, c));
    hi = std::max(hi, rates.back().ci_high);
  }
  const Axis x(0, std::min(1.0, hi * 1.1) * 100, left, right);
  for (const double t : x.ticks()) {
    svg.line(x(t), top - 4, x(t), bottom, "grid");
    svg.text(x(t), bottom + 16, fmt::format("{:g}%", t), "middle", "small");
  }
  svg.line(left, bottom, right, bottom, "axis");
  svg.line(left, top - 4, left, bottom, "axis");
  svg.text((left + right) / 2, bottom + 36, "runs that failed (%), with the 95% Wilson interval", "middle", "");
  for (std::size_t c = 0; c < combos; ++c) {
    const FailureRate& f = rates[c];
    const double y = top + row * static_cast<double>(c);
    svg.text(left - 8, y + 16, setup.label(c), "end", "small");
    const std::string tip = fmt::format("{}: {} of {} runs failed ({:.1f}%), 95% interval {:.1f}-{:.1f}%",
                                        setup.label(c), f.failed, f.runs, f.rate * 100, f.ci_low * 100, f.ci_high * 100);
    svg.rect(left, y + 5, x(f.rate * 100) - left, 14, "bar failure", palette(c), tip);
    svg.line(x(f.ci_low * 100), y + 12, x(f.ci_high * 100), y + 12, "box");
    svg.line(x(f.ci_low * 100), y + 7, x(f.ci_low * 100), y + 17, "box");
    svg.line(x(f.ci_high * 100), y + 7, x(f.ci_high * 100), y + 17, "box");
    svg.text(right + 10, y + 16, fmt::format("{} of {} ({:.1f}%)", f.failed, f.runs, f.rate * 100), "start", "small");
  }
  return svg.str();
}

// ----- ECDF -----------------------------------------------------------------

std::vector<StepPoint> ecdf_steps(std::vector<double> values, std::size_t total) {
  std::vector<StepPoint> out;
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(std::max(total, values.size()));
  std::size_t below = 0;
  for (std::size_t i = 0; i < values.size();) {
    std::size_t j = i;
    while (j < values.size() && values[j] == values[i]) ++j;  // ties make one step
    out.push_back({values[i], static_cast<double>(below) / n});
    below = j;
    out.push_back({values[i], static_cast<double>(below) / n});
    i = j;
  }
  return out;
}

namespace {

/// Seeds from which on a plot's axis stops at a tail percentile rather
/// than the extreme: below it every seed is drawn where it lies.
constexpr std::size_t kTailCutSeeds = 200;

/// The highest 99th percentile of the samples with at least kTailCutSeeds
/// values; +inf (no cut) when none has that many.
double tail_cut(const std::vector<std::vector<double>>& samples) {
  double cut = -std::numeric_limits<double>::infinity();
  bool any = false;
  for (std::vector<double> v : samples) {
    if (v.size() < kTailCutSeeds) continue;
    std::sort(v.begin(), v.end());
    cut = std::max(cut, quantile_sorted(v, 0.99));
    any = true;
  }
  return any ? cut : std::numeric_limits<double>::infinity();
}

}  // namespace

std::string ecdf_svg(const CompareSetup& setup, const RunTable& runs) {
  const std::size_t combos = runs.combinations();
  std::vector<std::vector<double>> values(combos);
  double lo = 0;
  double hi = 0;
  bool any = false;
  for (std::size_t c = 0; c < combos; ++c) {
    for (std::size_t k = 0; k < runs.seeds(); ++k) {
      const std::optional<double> plt = runs.value(c, k, Metric::kPageLoadMs);
      if (!plt) continue;
      values[c].push_back(*plt);
      lo = any ? std::min(lo, *plt) : *plt;
      hi = any ? std::max(hi, *plt) : *plt;
      any = true;
    }
  }
  std::vector<Key> keys;
  for (std::size_t c = 0; c < combos; ++c) {
    keys.push_back({std::string(palette(c)), fmt::format("{} ({} of {} loaded)", setup.label(c), values[c].size(),
                                                         runs.seeds()),
                    KeyShape::kLine});
  }
  const double top = legend_bottom(keys) + 10;
  const double bottom = top + 300;
  const double x_end = std::min(hi, tail_cut(values));
  Svg svg(kPlotFrame.width, bottom + (x_end < hi ? 68 : 50));  // a line under the axis says where it was cut
  draw_legend(svg, keys);
  // A long tail (one seed in hundreds ten times slower) would squeeze every
  // curve into a corner: the axis ends at the highest 99th percentile, and
  // the rest of each curve rises at the right edge.
  const double span = x_end - lo;
  const double x_lo = lo < 0.3 * x_end ? 0 : lo - span * 0.05;  // from zero unless that leaves a sliver
  const Axis x(x_lo, x_end + std::max(span * 0.03, 1.0), kPlotFrame.left, kPlotFrame.right);
  const Axis y(0, 1, bottom, top);
  draw_axes(svg, x, y, "page load time (ms)", "share of seeds loaded by then");
  svg.line(kPlotFrame.left, y(0.5), kPlotFrame.right, y(0.5), "phase");
  svg.text(kPlotFrame.right - 4, y(0.5) - 4, "median", "end", "small");
  if (x_end < hi) {
    svg.text(kPlotFrame.left, bottom + 58,
             fmt::format("The axis ends at the highest 99th percentile, {:.0f} ms; the slowest seed took {:.0f} ms.",
                         x_end, hi),
             "start", "small");
  }
  for (std::size_t c = 0; c < combos; ++c) {
    std::vector<double> xy;
    for (const StepPoint& p : ecdf_steps(values[c], runs.seeds())) {
      xy.insert(xy.end(), {std::min(x(p.x), kPlotFrame.right), y(p.y)});
    }
    svg.polyline(xy, "series ecdf", palette(c));
  }
  return svg.str();
}

// ----- paired differences ---------------------------------------------------

std::vector<SeedDifference> paired_differences(const CompareSetup& setup, const RunTable& runs, std::size_t a,
                                               std::size_t b) {
  std::vector<SeedDifference> out;
  for (std::size_t k = 0; k < runs.seeds(); ++k) {
    const std::optional<double> va = runs.value(a, k, Metric::kPageLoadMs);
    const std::optional<double> vb = runs.value(b, k, Metric::kPageLoadMs);
    if (va && vb) out.push_back({setup.first_seed + k, *vb - *va});
  }
  return out;
}

namespace {

/// One panel of paired_difference_svg, from y = `top`; returns its height.
double difference_panel(Svg& svg, const CompareSetup& setup, const RunTable& runs, const Difference& d, double top) {
  std::vector<SeedDifference> diffs = paired_differences(setup, runs, d.a, d.b);
  std::stable_sort(diffs.begin(), diffs.end(),
                   [](const SeedDifference& l, const SeedDifference& r) { return l.ms < r.ms; });
  std::size_t faster = 0;
  std::size_t slower = 0;
  for (const SeedDifference& s : diffs) {
    if (s.ms < 0) ++faster;
    if (s.ms > 0) ++slower;
  }
  const std::size_t n = diffs.size();
  const double median = n == 0 ? 0 : (diffs[(n - 1) / 2].ms + diffs[n / 2].ms) / 2;
  svg.text(kPlotFrame.left, top + 14,
           fmt::format("{}  minus  {}: {} seed{} paired; {} faster, {} slower, {} equal; median {:+.1f} ms",
                       setup.label(d.b), setup.label(d.a), n, n == 1 ? "" : "s", faster, slower, n - faster - slower,
                       median),
           "start", "phase-title");
  const double plot_top = top + 40;  // under the title and a line for a note
  const double plot_bottom = plot_top + 150;
  double lo = 0;
  double hi = 0;
  for (const SeedDifference& s : diffs) {
    lo = std::min(lo, s.ms);
    hi = std::max(hi, s.ms);
  }
  // With many seeds, a few extreme ones would flatten the rest onto the
  // zero line: the axis then spans the 1st to 99th percentile (and zero),
  // and the seeds beyond sit on its edge as triangles pointing out.
  std::size_t beyond = 0;
  if (n >= kTailCutSeeds) {
    std::vector<double> sorted;
    for (const SeedDifference& s : diffs) sorted.push_back(s.ms);
    lo = std::min(0.0, quantile_sorted(sorted, 0.01));
    hi = std::max(0.0, quantile_sorted(sorted, 0.99));
    for (const SeedDifference& s : diffs) {
      if (s.ms < lo || s.ms > hi) ++beyond;
    }
  }
  const double pad = std::max((hi - lo) * 0.06, 1.0);
  const Axis x(0, 100, kPlotFrame.left, kPlotFrame.right);
  const Axis y(lo - pad, hi + pad, plot_bottom, plot_top);
  draw_axes(svg, x, y, "seeds ordered by their difference (% of the pairs)", "difference (ms)");
  svg.line(kPlotFrame.left, y(0), kPlotFrame.right, y(0), "zero");
  if (n > 0) {
    svg.line(kPlotFrame.left, y(median), kPlotFrame.right, y(median), "median-diff");
  }
  const double r = n <= 100 ? 3 : n <= 500 ? 2 : 1.4;
  for (std::size_t i = 0; i < n; ++i) {
    const SeedDifference& s = diffs[i];
    const double px = x((static_cast<double>(i) + 0.5) / static_cast<double>(n) * 100);
    const char* cls = s.ms < 0 ? "diff faster" : s.ms > 0 ? "diff slower" : "diff same";
    const std::string tip = fmt::format("seed {}: {:+.1f} ms", s.seed, s.ms);
    if (s.ms >= lo && s.ms <= hi) {
      svg.circle(px, y(s.ms), r, cls, {}, tip);
      continue;
    }
    const double edge = s.ms > hi ? plot_top : plot_bottom;  // a triangle pointing off the axis
    const double dir = s.ms > hi ? -1 : 1;
    svg.raw(fmt::format("<polygon points=\"{},{} {},{} {},{}\" class=\"{} beyond\"><title>{}</title></polygon>\n",
                        coord(px), coord(edge + dir * 1), coord(px - 3.5), coord(edge - dir * 5), coord(px + 3.5),
                        coord(edge - dir * 5), cls, escape_xml(tip)));
  }
  if (beyond > 0) {
    svg.text(kPlotFrame.left, top + 30,
             fmt::format("The axis spans the 1st to 99th percentile: {} seed{} beyond it sit on its edge as "
                         "triangles (from {:+.0f} to {:+.0f} ms).",
                         beyond, beyond == 1 ? "" : "s", diffs.front().ms, diffs.back().ms),
             "start", "small");
  }
  return plot_bottom + 46 - top;
}

}  // namespace

std::string paired_difference_svg(const CompareSetup& setup, const RunTable& runs, const CompareAggregate& agg) {
  std::vector<const Difference*> page_loads;
  for (const Difference& d : agg.differences) {
    if (d.metric == Metric::kPageLoadMs) page_loads.push_back(&d);
  }
  const std::vector<Key> keys{{"#1f77b4", "faster than the baseline (below 0)", KeyShape::kDot},
                              {"#d62728", "slower (above 0)", KeyShape::kDot},
                              {"#7f7f7f", "equal", KeyShape::kDot},
                              {"#000000", "median difference", KeyShape::kDashed}};
  const double panel = 236;
  const double top = legend_bottom(keys) + 6;
  Svg svg(kPlotFrame.width, top + panel * static_cast<double>(std::max<std::size_t>(page_loads.size(), 1)));
  draw_legend(svg, keys);
  if (page_loads.empty()) svg.text(kPlotFrame.left, top + 20, "only one value per factor: nothing to pair", "start", "");
  double y = top;
  for (const Difference* d : page_loads) y += difference_panel(svg, setup, runs, *d, y);
  return svg.str();
}

}  // namespace wiresim::report
