#pragma once
/// Everything of one run, built from a Scenario: the simulator, the packet
/// pool, nodes, links and routes, a TCP stack per host, the apps, capture
/// taps and traces. Worlds share nothing mutable (at most the immutable
/// sites of a SiteSet), so several can run in one process at once.

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "wiresim/capture/capture_file.hpp"
#include "wiresim/capture/capture_tap.hpp"
#include "wiresim/capture/tcp_trace.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/http/browser.hpp"
#include "wiresim/http/server.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_pool.hpp"
#include "wiresim/scenario/bulk_transfer.hpp"
#include "wiresim/scenario/progress.hpp"
#include "wiresim/scenario/scenario.hpp"
#include "wiresim/scenario/scripted_close.hpp"
#include "wiresim/scenario/sites.hpp"
#include "wiresim/tcp/tcp_stack.hpp"

namespace wiresim::scenario {

/// Why the run ended.
enum class StopReason { kIdle, kTimeLimit, kInterrupted };
std::string_view to_string(StopReason r);

/// The TCP profile of a host: its named profile with the scenario's overrides.
tcp::TcpProfile tcp_profile_for(const TcpSpec& spec);

class World final : private AppDoneSink, private http::BrowserObserver {
 public:
  /// Builds the world; outputs (captures, traces) go into `out_dir`.
  /// Servers serve the sites in `sites` (shared, not copied: `sites` need
  /// only live while the constructor runs) and load any site not there;
  /// nullptr: every site is loaded for this world.
  World(const Scenario& scenario, std::uint64_t seed, const std::filesystem::path& out_dir,
        const SiteSet* sites = nullptr);
  ~World() override;
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  /// Runs until the stop conditions hold: with `when_apps_done`, until every
  /// client app finished and the connections wound down (the event queue is
  /// empty: teardowns and TIME-WAIT included), never past `after`.
  /// `interrupted` is polled between slices of simulated time, and
  /// `progress` (if set) is called after each slice and once more, with
  /// `finished` set, when the run stops. Unless interrupted, the end is
  /// then recorded: connections still open join connections() with their
  /// state, and a page load still in progress ends with an error that says
  /// why (http::Browser::abandon). Call once per world.
  StopReason run(const std::atomic<bool>* interrupted, const ProgressCallback& progress = {});
  /// Writes each browser's HAR (`<app>.har`), then flushes and closes
  /// every output file.
  void close_outputs();

  [[nodiscard]] const Scenario& scenario() const { return scenario_; }
  [[nodiscard]] const Simulator& simulator() const { return sim_; }
  [[nodiscard]] std::size_t client_apps() const { return client_apps_; }
  [[nodiscard]] std::size_t client_apps_done() const { return apps_done_; }
  [[nodiscard]] std::optional<Time> apps_done_at() const { return apps_done_at_; }

  struct LinkView {
    const LinkSpec* spec;
    const net::Link* link;
  };
  struct BulkView {
    std::string name;
    const BulkTransfer* app;
  };
  struct TeardownView {
    std::string name;
    const ScriptedClose* app;
  };
  struct BrowserView {
    std::string name;
    const http::Browser* app;
  };
  struct ServerView {
    std::string name;
    const http::HttpServer* app;
  };
  struct CaptureView {
    const CaptureSpec* spec;
    const capture::CaptureFile* file;
  };
  struct StackView {
    std::string host;
    const tcp::TcpStack* stack;
    const net::Node* node;  ///< the host's node: its IP-layer drops
  };
  [[nodiscard]] std::vector<LinkView> links() const;
  [[nodiscard]] std::vector<BulkView> bulk_apps() const;
  [[nodiscard]] std::vector<TeardownView> teardown_apps() const;
  [[nodiscard]] std::vector<BrowserView> browsers() const;
  [[nodiscard]] std::vector<ServerView> servers() const;
  [[nodiscard]] std::vector<CaptureView> captures() const;
  [[nodiscard]] std::vector<StackView> stacks() const;
  [[nodiscard]] const std::vector<capture::ConnectionRecord>& connections() const { return connections_; }

 private:
  void app_done() override;
  void on_finished(http::Browser& b) override;
  void add_http_server(const std::string& name, const HttpServerApp& a);
  void add_browser(const std::string& name, const BrowserApp& a);
  void add_teardown(const std::string& name, const TeardownApp& a);
  [[nodiscard]] RunProgress progress_now(Time limit, bool finished) const;
  void build_nodes();
  void build_links();
  void install_routes();
  void build_stacks();
  /// The captures a host's TCP trace takes frame numbers from: its own first.
  [[nodiscard]] std::vector<capture::FrameSource> frame_sources_for(const net::Node& n) const;
  void build_captures(const std::filesystem::path& out_dir);
  void build_traces(const std::filesystem::path& out_dir);
  void build_apps();
  net::Node& node(const std::string& name) { return *nodes_.at(node_index_.at(name)); }

  const Scenario& scenario_;
  const SiteSet* sites_;  ///< may be null; only read while building
  std::uint64_t seed_;
  std::filesystem::path out_dir_;
  // Declaration order is destruction order reversed: the pool outlives every
  // packet, the simulator every timer, nodes and links every tap.
  Simulator sim_;
  net::PacketPool pool_;
  std::vector<std::unique_ptr<net::Node>> nodes_;  ///< hosts, then routers
  std::map<std::string, std::size_t> node_index_;
  /// link index -> (interface index at end a, at end b)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> link_ifaces_;
  std::vector<std::unique_ptr<net::Link>> links_;
  std::vector<std::unique_ptr<capture::CaptureFile>> capture_files_;
  std::vector<std::unique_ptr<capture::NodeTap>> node_taps_;
  std::vector<std::unique_ptr<capture::LinkTap>> link_taps_;
  std::unique_ptr<capture::TcpTraceFiles> trace_files_;
  std::vector<capture::ConnectionRecord> connections_;
  std::vector<std::unique_ptr<capture::HostTcpTrace>> host_traces_;  ///< observers outlive the stacks
  std::map<std::string, tcp::TcpStack*> stack_by_host_;
  std::vector<std::unique_ptr<tcp::TcpStack>> stacks_;
  std::vector<std::pair<std::string, std::unique_ptr<BulkTransfer>>> bulk_;
  std::vector<std::pair<std::string, std::unique_ptr<ScriptedClose>>> teardowns_;
  std::vector<std::pair<std::string, std::unique_ptr<http::HttpServer>>> servers_;
  std::vector<std::pair<std::string, std::unique_ptr<http::Browser>>> browsers_;
  std::size_t client_apps_ = 0;
  std::size_t apps_done_ = 0;
  std::optional<Time> apps_done_at_;
};

}  // namespace wiresim::scenario
