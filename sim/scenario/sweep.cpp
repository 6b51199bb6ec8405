// Many runs of one scenario on several threads (wiresim compare).
#include "wiresim/scenario/sweep.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/sites.hpp"
#include "wiresim/scenario/summary.hpp"
#include "wiresim/scenario/world.hpp"

namespace wiresim::scenario {
namespace {

double ms(Duration d) { return static_cast<double>(d.ns()) / 1e6; }
std::optional<double> ms_since(const std::optional<Time>& t, Time origin) {
  if (!t) return std::nullopt;
  return ms(*t - origin);
}

/// `base` with outputs off (no captures, no traces): what a measured run
/// builds. Resolved once per combination, not per run.
Scenario measured_scenario(const Scenario& base) {
  Scenario s = base;
  s.captures.clear();
  s.traces = TraceSpec{};
  return s;
}

/// Runs one world of `s` (outputs off) with `seed`; the metrics of the run.
/// The world writes nothing and reads no file (its sites come from `sites`).
report::RunMetrics measure(const Scenario& s, std::uint64_t seed, const SiteSet& sites,
                           const std::atomic<bool>* interrupted) {
  World world(s, seed, std::filesystem::path{}, &sites);
  if (world.run(interrupted) == StopReason::kInterrupted) {
    report::RunMetrics r;
    r.error = "interrupted";
    return r;
  }
  return metrics_of(world);
}

/// Runs one world with every output into `dir`, like `wiresim run`, with
/// the TCP state and cwnd traces on.
std::optional<report::Waterfall> run_example(const Scenario& base, std::uint64_t seed, const SiteSet& sites,
                                             const std::filesystem::path& dir, const std::atomic<bool>* interrupted,
                                             const std::filesystem::path& scenario_file,
                                             const std::vector<std::string>& sets) {
  Scenario s = base;
  s.seed = seed;
  s.traces.tcp_states = true;
  s.traces.cwnd = true;
  std::filesystem::create_directories(dir);
  World world(s, seed, dir, &sites);
  const StopReason reason = world.run(interrupted);
  if (reason == StopReason::kInterrupted) return std::nullopt;
  write_outputs(world, RunOptions{seed, true, scenario_file, sets, nullptr}, reason, dir);
  return waterfall_of(world);
}

/// "--vary KEY=VALUES" as the user wrote it.
std::string vary_text(const report::Factor& f) {
  if (!f.given.empty()) return "--vary " + f.given;
  std::string out = "--vary " + f.key + "=";
  for (std::size_t i = 0; i < f.values.size(); ++i) out += (i > 0 ? "," : "") + f.values[i];
  return out;
}

/// "links.access.loss=2%, apps.browser.max_connections=6": combination `c` with full keys.
std::string combination_text(const report::CompareSetup& setup, std::size_t c) {
  std::string out;
  for (const std::string& set : setup.sets_of(c)) out += (out.empty() ? "" : ", ") + set;
  return out;
}

/// One problem of one combination, and the factor whose value it is in (if any).
struct Found {
  Diagnostic d;
  std::size_t combination;
  std::optional<std::size_t> factor;
};

/// Collects the problems of every combination and says where each lies:
/// - in a factor's value: once per value, at the value's column of the
///   --vary text, as "KEY=VALUE: problem" (whatever the other factors are);
///   a problem every value of the factor has (an unknown KEY) once, at the
///   --vary text;
/// - elsewhere (the file, a --set), if every combination has it: once, as it
///   is; otherwise once per combination that has it, as "in combination
///   KEY=VALUE, ...: problem".
class ProblemNamer {
 public:
  explicit ProblemNamer(const report::CompareSetup& setup) : setup_(setup) {}

  void add(Diagnostic d, std::size_t c, const std::vector<std::string>& factor_sets) {
    std::optional<std::size_t> factor;
    for (std::size_t i = 0; i < factor_sets.size(); ++i) {
      if (d.where.origin == "--set " + factor_sets[i]) factor = i;
    }
    found_.push_back({std::move(d), c, factor});
  }

  [[nodiscard]] std::vector<Diagnostic> named() const {
    std::vector<Diagnostic> out;
    const auto put = [&out](Diagnostic d) {
      if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(std::move(d));
    };
    for (const Found& f : found_) put(f.factor ? value_problem(f) : other_problem(f));
    return out;
  }

 private:
  Diagnostic value_problem(const Found& f) const {
    const report::Factor& factor = setup_.factors[*f.factor];
    const std::size_t level = setup_.levels(f.combination)[*f.factor];
    std::set<std::size_t> levels;
    for (const Found& g : found_) {
      if (g.factor == f.factor && g.d.message == f.d.message) levels.insert(setup_.levels(g.combination)[*f.factor]);
    }
    if (factor.values.size() > 1 && levels.size() == factor.values.size()) {
      return {SourceLocation{vary_text(factor), 0, 0, f.d.where.source}, f.d.message};
    }
    const int column = level < factor.columns.size() ? factor.columns[level] : 0;
    return {SourceLocation{vary_text(factor), column > 0 ? 1 : 0, column, f.d.where.source},
            fmt::format("{}={}: {}", factor.key, factor.values[level], f.d.message)};
  }

  Diagnostic other_problem(const Found& f) const {
    std::set<std::size_t> combinations;
    for (const Found& g : found_) {
      if (!g.factor && g.d == f.d) combinations.insert(g.combination);
    }
    if (combinations.size() == setup_.combination_count()) return f.d;
    Diagnostic d = f.d;
    d.message = fmt::format("in combination {}: {}", combination_text(setup_, f.combination), f.d.message);
    return d;
  }

  const report::CompareSetup& setup_;
  std::vector<Found> found_;
};

}  // namespace

SweepPlan plan_sweep(const std::filesystem::path& file, report::CompareSetup setup,
                     const std::vector<std::filesystem::path>& allowed_site_dirs) {
  SweepPlan plan;
  ProblemNamer problems(setup);
  const std::size_t combos = setup.combination_count();
  for (std::size_t c = 0; c < combos; ++c) {
    LoadOptions lo;
    lo.allowed_site_dirs = allowed_site_dirs;
    lo.overrides = setup.sets;
    const std::vector<std::string> factor_sets = setup.sets_of(c);
    for (const std::string& s : factor_sets) lo.overrides.push_back(s);
    LoadResult r = load_scenario_file(file, lo);
    for (Diagnostic& d : r.diagnostics) problems.add(std::move(d), c, factor_sets);
    for (Diagnostic& w : r.warnings) {
      if (std::find(plan.warnings.begin(), plan.warnings.end(), w) == plan.warnings.end()) {
        plan.warnings.push_back(std::move(w));
      }
    }
    if (r.scenario) plan.scenarios.push_back(std::move(*r.scenario));
  }
  plan.diagnostics = problems.named();
  if (!plan.scenarios.empty()) {
    setup.scenario = plan.scenarios.front().name;
    if (setup.first_seed == 0) setup.first_seed = plan.scenarios.front().seed;
  }
  plan.setup = std::move(setup);
  return plan;
}

namespace {

/// Hands measured runs to SweepOptions::on_run in (combination, seed) order
/// and into the result's table, whatever order the workers finish them in.
/// Runs that finish ahead of an unfinished one wait here; a worker does not
/// start a run more than `window` places ahead of the first undelivered
/// one, so at most `window` runs are ever held, whatever the sweep's size.
class InOrderDelivery {
 public:
  InOrderDelivery(std::size_t window, const SweepOptions& options, report::RunTable& table)
      : window_(window), options_(options), table_(table) {}

  /// Blocks until run `i` may start; false if the sweep is stopping.
  bool wait_turn(std::size_t i, const std::atomic<bool>& stop) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (i >= next_ + window_ || !error_.empty()) {
      if (stop.load() || !error_.empty()) return false;
      // Woken by each delivery; the timeout only re-checks `stop` (a signal).
      turn_.wait_for(lock, std::chrono::milliseconds(50));
    }
    return true;
  }

  void finished(std::size_t i, report::RunMetrics r) {
    const std::lock_guard<std::mutex> lock(mutex_);
    held_.emplace(i, std::move(r));
    while (!held_.empty() && held_.begin()->first == next_) {
      const report::RunMetrics& run = held_.begin()->second;
      table_.append(run);
      if (options_.on_run && error_.empty()) {
        try {
          options_.on_run(run);
        } catch (const std::exception& e) {
          error_ = e.what();  // say a full disk: the sweep stops
        }
      }
      held_.erase(held_.begin());
      ++next_;
    }
    turn_.notify_all();
  }

  /// What on_run threw, if it did; empty otherwise.
  [[nodiscard]] std::string error() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return error_;
  }

 private:
  std::size_t window_;
  const SweepOptions& options_;
  report::RunTable& table_;
  std::mutex mutex_;
  std::condition_variable turn_;
  std::map<std::size_t, report::RunMetrics> held_;  ///< finished, waiting for an earlier run
  std::size_t next_ = 0;                            ///< the first run not yet delivered
  std::string error_;                               ///< what on_run threw
};

}  // namespace

namespace {

/// Runs `work` on `jobs` threads (the caller's among them) until it returns
/// on every one of them.
void on_threads(unsigned jobs, const std::function<void()>& work) {
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // the OS gives no more threads: the ones we have do the work
    }
  }
  work();
  for (std::thread& t : threads) t.join();
}

}  // namespace

SweepResult run_sweep(const SweepPlan& plan, const SweepOptions& options) {
  const report::CompareSetup& setup = plan.setup;
  const std::size_t combos = plan.scenarios.size();
  const std::size_t measured = combos * setup.seeds;
  const std::size_t examples = options.examples_dir ? combos : 0;
  const std::size_t total = measured + examples;
  const std::vector<std::string> slugs = examples > 0 ? setup.slugs() : std::vector<std::string>{};

  SweepResult result;
  result.table = report::RunTable(combos, setup.seeds);
  const unsigned jobs = std::max(1u, options.jobs);
  InOrderDelivery delivery(std::size_t{64} * jobs, options, result.table);
  std::vector<std::optional<report::Waterfall>> waterfalls(examples);
  // What is the same for every run, resolved once and shared read-only by
  // every worker: each combination's scenario with outputs off, and the
  // sites its servers serve (read and hashed once, not per run). A site
  // that cannot be loaded is left out: each run then loads it itself and
  // reports the failure as its error, as before.
  std::vector<Scenario> measured_scenarios;
  measured_scenarios.reserve(combos);
  SiteSet sites;
  for (const Scenario& s : plan.scenarios) {
    measured_scenarios.push_back(measured_scenario(s));
    try {
      sites.add(s);
    } catch (const std::exception&) {
      // Left out: every run of this combination loads it and fails alike.
    }
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex progress_mutex;
  std::size_t done = 0;
  const auto stopping = [&] {
    if (stop.load() || (options.interrupted != nullptr && options.interrupted->load())) stop = true;
    return stop.load();
  };
  const auto progressed = [&] {
    if (!options.progress) return;
    const std::lock_guard<std::mutex> lock(progress_mutex);
    options.progress(++done, total);
  };

  // First every measured run: the example seed may depend on what they measured.
  on_threads(jobs, [&] {
    for (;;) {
      if (stopping()) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= measured) return;
      if (!delivery.wait_turn(i, stop)) {
        stop = true;
        return;
      }
      const std::size_t c = i / setup.seeds;
      const std::uint64_t seed = setup.first_seed + i % setup.seeds;
      report::RunMetrics r;
      try {
        r = measure(measured_scenarios[c], seed, sites, options.interrupted);
      } catch (const std::exception& e) {
        r = report::RunMetrics{};
        r.error = e.what();
      }
      r.combination = c;
      r.seed = seed;
      delivery.finished(i, std::move(r));
      progressed();
    }
  });

  // Then the example run of each combination, all with the same seed.
  if (examples > 0 && !stopping() && delivery.error().empty()) {
    result.example_seed = options.example_seed ? options.example_seed(result.table) : setup.first_seed;
    next = 0;
    on_threads(jobs, [&] {
      for (;;) {
        if (stopping()) return;
        const std::size_t c = next.fetch_add(1);
        if (c >= examples) return;
        std::vector<std::string> sets = setup.sets;
        for (std::string& s : setup.sets_of(c)) sets.push_back(std::move(s));
        try {
          waterfalls[c] = run_example(plan.scenarios[c], result.example_seed, sites, *options.examples_dir / slugs[c],
                                      options.interrupted, setup.scenario_file, sets);
          if (waterfalls[c]) {
            waterfalls[c]->combination = c;
            waterfalls[c]->seed = result.example_seed;
          }
        } catch (const std::exception&) {
          waterfalls[c].reset();  // the example is an illustration; its run's error shows in compare.csv
        }
        progressed();
      }
    });
  }

  result.error = delivery.error();
  result.interrupted = result.error.empty() &&
                       (stop.load() || (options.interrupted != nullptr && options.interrupted->load()));
  for (std::optional<report::Waterfall>& w : waterfalls) {
    if (w) result.waterfalls.push_back(std::move(*w));
  }
  return result;
}

report::RunMetrics metrics_of(const World& world) {
  report::RunMetrics r;
  double plt_sum = 0;
  double ttfb_sum = 0;
  std::uint32_t plt_n = 0;
  std::uint32_t ttfb_n = 0;
  for (const auto& b : world.browsers()) {
    for (const http::PageLoadResult& p : b.app->results()) {
      ++r.page_loads;
      if (!r.document_status) r.document_status = p.document_status();
      const auto plt = p.page_load_time();
      if (!p.ok() || !plt) {
        if (++r.failed_loads == 1) {
          r.document_status = p.document_status();
          r.load_error = fmt::format("{} load {}: {}", b.name, p.index, p.error.empty() ? "did not finish" : p.error);
        }
        continue;
      }
      plt_sum += ms(*plt);
      ++plt_n;
      if (const auto ttfb = p.time_to_first_byte()) {
        ttfb_sum += ms(*ttfb);
        ++ttfb_n;
      }
    }
    for (const http::ConnectionRecord& c : b.app->connections()) {
      ++r.connections;
      if (c.established) {
        ++r.handshakes;
        if (!c.carried_data()) ++r.unused_connections;
      }
    }
  }
  // A run with a failed load is a failed run: no page-load figures at all.
  if (plt_n > 0 && r.failed_loads == 0) r.page_load_ms = plt_sum / plt_n;
  if (ttfb_n > 0 && r.failed_loads == 0) r.ttfb_ms = ttfb_sum / ttfb_n;
  for (const capture::ConnectionRecord& c : world.connections()) {
    r.retransmissions += c.counters.retransmits_timeout + c.counters.retransmits_fast + c.counters.retransmits_sack +
                         c.counters.retransmits_tlp;
  }
  for (const auto& l : world.links()) {
    for (const net::LinkDirection d : {net::LinkDirection::kAToB, net::LinkDirection::kBToA}) {
      const net::LinkStats& s = l.link->stats(d);
      r.wire_packets += s.packets_sent;
      r.wire_bytes += s.bytes_sent;
      r.drops += s.dropped_total();
    }
  }
  r.warnings = run_warnings(world);
  r.events = world.simulator().events_executed();
  r.end_time_s = to_string(world.simulator().now());
  return r;
}

std::optional<report::Waterfall> waterfall_of(const World& world) {
  const auto browsers = world.browsers();
  if (browsers.empty() || browsers.front().app->results().empty()) return std::nullopt;
  const http::Browser& b = *browsers.front().app;
  const http::PageLoadResult& p = b.results().front();
  report::Waterfall w;
  w.browser = browsers.front().name;
  if (const auto plt = p.page_load_time()) w.page_load_ms = ms(*plt);
  w.error = p.error;
  w.connections = p.connections_opened;
  for (const http::ObjectResult& o : p.objects) {
    report::WaterfallObject wo;
    wo.url = o.url;
    wo.connection = o.connection;
    wo.status = o.status;
    wo.bytes = o.body_size;
    wo.queued_ms = ms_since(o.queued, p.start);
    wo.connect_start_ms = ms_since(o.connect_start, p.start);
    wo.connect_end_ms = ms_since(o.connect_end, p.start);
    wo.request_ms = ms_since(o.request_sent, p.start);
    wo.first_byte_ms = ms_since(o.first_byte, p.start);
    wo.last_byte_ms = ms_since(o.last_byte, p.start);
    wo.error = o.error;
    w.objects.push_back(std::move(wo));
  }
  return w;
}

}  // namespace wiresim::scenario
