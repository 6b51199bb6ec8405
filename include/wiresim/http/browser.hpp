#pragma once
/// A browser model: loads a page `page_loads` times, `think_time` apart.
/// Each load requests the document, scans its HTML as it arrives
/// (HtmlScanner) and its stylesheets (CssScanner), and requests every
/// subresource once: images, scripts and stylesheets as soon as they are
/// found; <body background> and CSS url() images after style resolution
/// (once the document and its stylesheets are complete, and with
/// BrowserProfile::backgrounds_wait_for_images once the <img>s found so
/// far have loaded: either way the lab page's Myhead.jpg goes before
/// background.png); <link rel=icon> or /favicon.ico after the load event
/// (which is when every other object is done).
/// Requests go through one ConnectionPool per server (see there for which
/// connection a request takes).
///
/// Results: one PageLoadResult per load (results()), one ConnectionRecord
/// per TCP connection (connections()), and a HAR log (har()). Errors
/// (unknown host, no route, refused, reset, timed out, malformed response)
/// fail the objects they hit and end up in the page's `error`; a load
/// always ends.
///
/// Processing times are the profile's DelayRanges, drawn from the
/// browser's own stream: the preconnect's delay, the request write, the
/// renderer's time from a response to the requests it reveals, layout
/// before backgrounds, the favicon after the load event, and the exit
/// (close_after) after the last load event, which closes every connection
/// from the client's side.
///
/// The browser is finished (finished(), BrowserObserver::on_finished) when
/// every page load has ended and every connection it opened is closed (by
/// its exit, the server's keep-alive timeout, the browser's own idle
/// timeouts, or failed) and settled (ClientConnection: both FINs exchanged). So a run
/// stopped when all browsers finished still shows each connection's
/// teardown, without waiting out TIME-WAIT.
///
/// Lifetime: the Simulator and the TcpStack must outlive the browser.
/// Several browsers may share a stack or a world; they share no state.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/http/browser_profile.hpp"
#include "wiresim/http/client_connection.hpp"
#include "wiresim/http/connection_pool.hpp"
#include "wiresim/http/css_scanner.hpp"
#include "wiresim/http/har.hpp"
#include "wiresim/http/html_scanner.hpp"
#include "wiresim/http/load_priority.hpp"
#include "wiresim/http/page_load.hpp"
#include "wiresim/http/parser_limits.hpp"
#include "wiresim/http/url.hpp"
#include "wiresim/tcp/tcp_stack.hpp"
#include "wiresim/wire/address.hpp"

namespace wiresim::http {

class Browser;

struct BrowserConfig {
  std::string name = "browser";  ///< for messages and the HAR creator
  /// The page: "http://host[:port]/path". The host is a dotted IPv4
  /// address or a name in `hosts`.
  std::string url;
  /// More URLs fetched with the page, in order, as documents of their own
  /// (curl's URL list after the first). Same form as `url`.
  std::vector<std::string> extra_urls;
  BrowserProfile profile = chrome_profile();
  std::uint32_t page_loads = 1;  ///< >= 1
  Duration think_time{};         ///< from the end of one load to the start of the next
  Time start{};                  ///< the first load
  std::int64_t start_unix_ns = 0;  ///< Unix time of simulated t=0 (HAR dates)
  /// Host names and their addresses (no DNS is modelled).
  std::map<std::string, wire::Ipv4Address, std::less<>> hosts;
  /// Keep every object's body in its ObjectResult (hashes are always kept).
  bool keep_bodies = false;
  ParserLimits limits{};
};

/// What a browser tells whoever runs it.
class BrowserObserver {
 public:
  virtual ~BrowserObserver() = default;
  /// A page load ended; `result` is final.
  virtual void on_page_load_done(Browser& /*b*/, const PageLoadResult& /*result*/) {}
  /// Every page load ended and every connection is closed and settled.
  virtual void on_finished(Browser& /*b*/) {}

 protected:
  BrowserObserver() = default;
  BrowserObserver(const BrowserObserver&) = default;
  BrowserObserver& operator=(const BrowserObserver&) = default;
};

class Browser final : private ClientConnectionHandler {
 public:
  /// Throws std::invalid_argument if the URL is not an http URL, the
  /// profile is invalid (validate()) or page_loads is 0.
  /// `rng` draws the profile's delays (the app's own named stream).
  Browser(Simulator& sim, tcp::TcpStack& stack, BrowserConfig config, Rng rng = Rng(0));
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;
  ~Browser() override;

  /// Schedules the first load at config().start (now if that has passed).
  void start();
  /// nullptr: none. Must outlive the browser's run.
  void set_observer(BrowserObserver* observer) { observer_ = observer; }

  [[nodiscard]] const BrowserConfig& config() const { return config_; }
  /// Every page load has ended.
  [[nodiscard]] bool loads_done() const { return loads_done_; }
  /// loads_done() and every connection closed and settled.
  [[nodiscard]] bool finished() const { return finished_; }
  /// The simulation stopped (`why`, e.g. "the simulation went idle at 213 s")
  /// with a page load still in progress: that load ends here, incomplete
  /// (no `end`, no onload) but with an error that says what it was still
  /// waiting for, and each unfinished object fails with the reason. For the
  /// end of a run; no effect when no load is in progress.
  void abandon(const std::string& why);
  /// One per page load started, in order; the last may be in progress.
  [[nodiscard]] const std::vector<PageLoadResult>& results() const { return results_; }
  /// One per connection opened, in opening order (kept up to date).
  [[nodiscard]] const std::deque<ConnectionRecord>& connections() const { return records_; }
  /// The HAR log of the page loads so far.
  [[nodiscard]] HarLog har(const std::string& creator_version = {}) const;

 private:
  /// What the browser keeps per object besides its result.
  struct Fetch {
    ConnectionPool* pool = nullptr;  ///< nullptr: the host could not be resolved
    std::string request_bytes;
    std::optional<Url> url;
    std::uint64_t queue_seq = 0;     ///< order among queued requests (a retry keeps its place)
    bool scan_checked = false;       ///< the response head was looked at for scanning
    std::size_t scanned = 0;         ///< body bytes given to a scanner so far
    std::optional<CssScanner> css;   ///< a stylesheet being scanned
    FetchInfo info;                  ///< what its priority depends on
    std::optional<h2::StreamPriority> priority;  ///< set when first queued (Blink: when fetched)
  };
  /// The page load in progress.
  struct Page {
    std::optional<HtmlScanner> html;
    std::set<std::string> seen;         ///< URLs requested (or failed) in this load
    std::vector<std::size_t> held;      ///< backgrounds waiting for style resolution
    std::vector<std::size_t> revealed;  ///< found, waiting for the renderer (renderer_delay)
    std::vector<std::size_t> deferred_icons;  ///< <link rel=icon>, fetched after onload
    std::vector<Fetch> fetches;         ///< parallel to PageLoadResult::objects
    LoadPriorities priorities;
  };

  // browser.cpp: page loads and what they discover
  void begin_page();
  std::optional<std::size_t> add_object(const Url& url, std::optional<ResourceKind> kind,
                                        const std::optional<Url>& referer);
  void enqueue(std::size_t object);
  void start_scanner(std::size_t object, const Response& head);
  void discover(std::size_t object, std::string_view body, bool complete);
  /// `in_document`: found by the document's scanner (Blink's preload scanner), not a stylesheet's.
  void found(const std::vector<Subresource>& resources, const Url& referer, bool in_document);
  void release_held();
  void reveal(std::size_t object);
  void on_revealed();
  void on_laid_out();
  void arm_exit();
  void exit_now();
  void check_page();
  void after_onload();
  void finish_page();
  void check_finished();
  [[nodiscard]] bool all_complete() const;
  [[nodiscard]] bool style_pending() const;
  [[nodiscard]] PageLoadResult& current() { return results_.back(); }
  [[nodiscard]] const PageLoadResult& current() const { return results_.back(); }

  // browser_fetch.cpp: pools, connections, requests and responses
  ConnectionPool* pool_for(const Url& url, std::string& error);
  void schedule_pump();
  void pump();
  void dispatch(ConnectionPool& pool);
  bool open_connection(ConnectionPool& pool, bool preconnect, std::string& error);
  bool may_connect_now();
  void requeue(std::size_t object);
  void send(std::size_t object, ClientConnection& c);
  void fail(std::size_t object, const std::string& error);
  void record_response(ObjectResult& o, Parsed<Response>&& r);
  [[nodiscard]] std::optional<std::size_t> object_of(std::uint64_t tag) const;
  [[nodiscard]] std::uint64_t tag_of(std::size_t object) const;
  [[nodiscard]] bool any_unsettled_connection() const;

  // ClientConnectionHandler
  void on_connection_ready(ClientConnection& c) override;
  void on_connect_failed(ClientConnection& c, const std::string& error) override;
  void on_response_progress(ClientConnection& c, std::uint64_t tag, const Response* head,
                            std::string_view body_so_far) override;
  void on_response(ClientConnection& c, std::uint64_t tag, Parsed<Response>&& response) override;
  void on_request_failed(ClientConnection& c, std::uint64_t tag, const std::string& error, bool retryable) override;
  void on_released(ClientConnection& c) override;
  void on_settled(ClientConnection& c) override;
  Duration read_delay() override;

  Simulator& sim_;
  tcp::TcpStack& stack_;
  BrowserConfig config_;
  Url page_url_;
  std::vector<Url> extra_urls_;
  Rng rng_;
  /// The read delays' own stream (split from rng_'s seed), so that the
  /// wakeups, one per flight of data, shift none of the other delays.
  Rng read_rng_;
  ClientConnectionOptions connection_options_;
  BrowserObserver* observer_ = nullptr;
  std::map<std::string, std::unique_ptr<ConnectionPool>> pools_;  ///< by server "addr:port"
  std::deque<ConnectionRecord> records_;        ///< stable addresses: connections point into it
  std::vector<PageLoadResult> results_;
  std::optional<Page> page_;                    ///< the load in progress
  Timer page_timer_;   ///< the next load
  Timer pump_timer_;   ///< zero-delay: work deferred out of connection callbacks
  Timer preconnect_timer_;  ///< the speculative connection (preconnect_delay)
  Timer reveal_timer_;      ///< revealed subresources reach the queue (renderer_delay)
  Timer layout_timer_;      ///< held backgrounds reach the queue (layout_delay)
  Timer favicon_timer_;     ///< icons after the load event (favicon_delay)
  Timer exit_timer_;        ///< the client exits (close_after)
  Timer connect_timer_;     ///< the next connect for waiting requests may start (connect_delay)
  /// When the client last started a connect for waiting requests, and the
  /// earliest time of its next one (drawn when a next one is wanted).
  std::optional<Time> last_connect_;
  std::optional<Time> next_connect_at_;
  std::optional<Time> last_onload_;  ///< the load event of the latest page
  /// Held backgrounds released, layout_delay running (not in Page: a
  /// default member initializer there keeps clang from constructing it
  /// before Browser is complete).
  bool laying_out_ = false;
  std::uint64_t next_queue_seq_ = 1;
  bool started_ = false;
  bool loads_done_ = false;
  bool finished_ = false;
};

}  // namespace wiresim::http
