// Browser: page loads, and the subresources they discover. Pools,
// connections and the request/response plumbing are in browser_fetch.cpp.

#include "wiresim/http/browser.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "wiresim/http/mime.hpp"
#include "wiresim/http/writer.hpp"

namespace wiresim::http {
namespace {

Url parse_page_url(const std::string& name, const std::string& url) {
  const std::optional<Url> parsed = Url::parse(url);
  if (!parsed) throw std::invalid_argument(fmt::format("browser '{}': '{}' is not an http URL", name, url));
  return *parsed;
}

/// Fetched after style resolution: what a background or CSS image is.
bool is_background(ResourceKind kind) { return kind == ResourceKind::kBackground || kind == ResourceKind::kCssUrl; }

}  // namespace

Browser::Browser(Simulator& sim, tcp::TcpStack& stack, BrowserConfig config, Rng rng)
    : sim_(sim),
      stack_(stack),
      config_(std::move(config)),
      page_url_(parse_page_url(config_.name, config_.url)),
      rng_(rng),
      read_rng_(Rng(rng).next_u64(), stable_hash("read_delay")),
      page_timer_(sim),
      pump_timer_(sim),
      preconnect_timer_(sim),
      reveal_timer_(sim),
      layout_timer_(sim),
      favicon_timer_(sim),
      exit_timer_(sim),
      connect_timer_(sim) {
  for (const std::string& u : config_.extra_urls) extra_urls_.push_back(parse_page_url(config_.name, u));
  if (const std::string error = validate(config_.profile); !error.empty()) {
    throw std::invalid_argument(fmt::format("browser '{}': {}", config_.name, error));
  }
  if (config_.page_loads == 0) throw std::invalid_argument(fmt::format("browser '{}': page_loads must be >= 1", config_.name));
  const BrowserProfile& p = config_.profile;
  connection_options_.pipeline_depth = p.pipeline_depth();
  connection_options_.keep_alive = p.keep_alive;
  connection_options_.tcp_nodelay = p.tcp_nodelay;
  connection_options_.keepalive = p.tcp_keepalive;
  connection_options_.unused_idle_timeout = p.unused_idle_timeout;
  connection_options_.used_idle_timeout = p.used_idle_timeout;
  connection_options_.close_on_server_fin = p.close_on_server_fin;
  connection_options_.limits = config_.limits;
  connection_options_.read_size = p.read_size;
  if (p.protocol == Protocol::kH2c) {
    // Chromium: one SpdySession per origin; a preconnect to a server known
    // to speak HTTP/2 asks for one stream (HttpStreamFactory::JobController
    // ::Preconnect), which that session already is.
    connection_options_.h2 = true;
    config_.profile.max_connections = 1;
    config_.profile.preconnect = 0;
  }
}

Browser::~Browser() = default;

void Browser::start() {
  if (started_) return;
  started_ = true;
  page_timer_.arm_at(std::max(config_.start, sim_.now()), [this] { begin_page(); });
}

HarLog Browser::har(const std::string& creator_version) const {
  return to_har(results_, HarSource{config_.start_unix_ns, creator_version, config_.profile.name, ""});
}

// ---- one page load ----

void Browser::begin_page() {
  PageLoadResult r;
  r.index = static_cast<std::uint32_t>(results_.size() + 1);
  r.url = page_url_.to_string();
  r.start = sim_.now();
  results_.push_back(std::move(r));
  page_.emplace();
  const std::optional<std::size_t> doc = add_object(page_url_, std::nullopt, std::nullopt);
  if (doc) {
    enqueue(*doc);
    // Chrome's predictor: speculative sockets with the first request to a
    // server, preconnect_delay after the navigation's own connect job. As
    // ClientSocketPool::RequestSockets, it asks for a number of sockets in
    // the group (1 + preconnect) and opens only those missing by then.
    ConnectionPool* pool = page_->fetches[*doc].pool;
    const int n = config_.profile.preconnect;
    if (pool != nullptr && pool->live() == 0 && n > 0) {
      preconnect_timer_.arm_in(config_.profile.preconnect_delay.draw(rng_), [this, pool, n] {
        const int missing = n + 1 - static_cast<int>(pool->live());
        if (missing > 0) pool->add_preconnects(missing);
        schedule_pump();
      });
    }
  }
  for (const Url& u : extra_urls_) {
    if (const std::optional<std::size_t> i = add_object(u, std::nullopt, std::nullopt)) enqueue(*i);
  }
  schedule_pump();
}

/// A new object for `url` (nullopt if this load has it already). Not yet queued.
std::optional<std::size_t> Browser::add_object(const Url& url, std::optional<ResourceKind> kind,
                                               const std::optional<Url>& referer) {
  std::string key = url.to_string();
  if (!page_->seen.insert(key).second) return std::nullopt;
  ObjectResult o;
  o.url = std::move(key);
  o.kind = kind;
  o.discovered = sim_.now();
  o.request = make_browser_request(config_.profile, url, kind ? destination_of(*kind) : RequestDestination::kDocument,
                                   referer);
  Fetch f;
  f.info.kind = kind;  // found() adds what the scanner saw
  f.request_bytes = serialize(o.request);
  f.url = url;
  o.request_head_size = f.request_bytes.size();
  if (config_.profile.protocol == Protocol::kH2c) o.request.version = Version::kHttp2;  // HAR: "HTTP/2.0"
  std::string error;
  f.pool = pool_for(url, error);
  if (f.pool != nullptr) o.server = f.pool->server();
  current().objects.push_back(std::move(o));
  page_->fetches.push_back(std::move(f));
  const std::size_t index = current().objects.size() - 1;
  if (page_->fetches[index].pool == nullptr) {
    fail(index, error);
    return std::nullopt;
  }
  return index;
}

/// Scanning starts once a response head says what the body is: the
/// document's HTML, or a stylesheet.
void Browser::start_scanner(std::size_t object, const Response& head) {
  Fetch& f = page_->fetches[object];
  if (f.scan_checked) return;
  f.scan_checked = true;
  const ObjectResult& o = current().objects[object];
  if (head.status != 200 || !config_.profile.scan_subresources) return;
  const std::string type = media_type(head.headers.get("Content-Type").value_or(""));
  if (o.is_document() && type == "text/html") page_->html.emplace(*f.url);
  if (o.kind == ResourceKind::kStylesheet && type == "text/css") f.css.emplace(*f.url);
}

/// Feeds the part of `body` not scanned yet to the object's scanner.
void Browser::discover(std::size_t object, std::string_view body, bool complete) {
  Fetch& f = page_->fetches[object];
  const bool document = current().objects[object].is_document();
  if (document ? !page_->html : !f.css) return;
  const std::string_view fresh = body.substr(std::min(f.scanned, body.size()));
  f.scanned = body.size();
  const Url base = *f.url;  // found() may grow fetches: no reference into it past here
  if (document) {
    found(page_->html->feed(fresh), base, true);
    if (complete) found(page_->html->finish(), base, true);
  } else {
    found(f.css->feed(fresh), base, false);
    if (complete) found(page_->fetches[object].css->finish(), base, false);
  }
}

/// New subresources: scripts, stylesheets and images are queued now;
/// backgrounds wait for style resolution, icons for the load event.
void Browser::found(const std::vector<Subresource>& resources, const Url& referer, bool in_document) {
  for (const Subresource& r : resources) {
    const std::optional<std::size_t> index = add_object(r.url, r.kind, referer);
    if (!index) continue;
    // The preload scanner fetches <img>, <script> and stylesheets (<link>,
    // @import in <style>); the rest waits for style resolution or onload.
    const bool speculative = in_document && (r.kind == ResourceKind::kImage || r.kind == ResourceKind::kScript ||
                                             r.kind == ResourceKind::kStylesheet);
    page_->fetches[*index].info = FetchInfo{r.kind, speculative, r.width, r.height, r.deferred};
    if (is_background(r.kind)) {
      page_->held.push_back(*index);
    } else if (r.kind == ResourceKind::kIcon) {
      page_->deferred_icons.push_back(*index);
    } else {
      reveal(*index);
    }
  }
}

/// The renderer requests what a response revealed renderer_delay after
/// it (one batch: what is found while the renderer works joins it).
void Browser::reveal(std::size_t object) {
  page_->revealed.push_back(object);
  if (reveal_timer_.armed()) return;
  const Duration d = config_.profile.renderer_delay.draw(rng_);
  if (d <= Duration::zero()) return on_revealed();
  reveal_timer_.arm_in(d, [this] { on_revealed(); });
}

void Browser::on_revealed() {
  if (!page_) return;
  std::vector<std::size_t> revealed;
  revealed.swap(page_->revealed);
  for (const std::size_t i : revealed) enqueue(i);
  release_held();
}

/// Style resolution: backgrounds go once the document and its stylesheets
/// are complete (and, if the profile says so, the images found so far).
void Browser::release_held() {
  if (!page_ || page_->held.empty() || laying_out_ || !current().objects.front().complete() ||
      style_pending() || !page_->revealed.empty()) {
    return;
  }
  const Duration d = config_.profile.layout_delay.draw(rng_);
  if (d <= Duration::zero()) return on_laid_out();
  laying_out_ = true;
  layout_timer_.arm_in(d, [this] { on_laid_out(); });
}

void Browser::on_laid_out() {
  if (!page_) return;
  laying_out_ = false;
  std::vector<std::size_t> held;
  held.swap(page_->held);
  for (const std::size_t i : held) enqueue(i);
}

bool Browser::style_pending() const {
  return std::any_of(current().objects.begin(), current().objects.end(), [this](const ObjectResult& o) {
    if (o.complete()) return false;
    if (o.kind == ResourceKind::kStylesheet) return true;
    return o.kind == ResourceKind::kImage && config_.profile.backgrounds_wait_for_images;
  });
}

/// Every object complete, icons waiting for the load event aside.
bool Browser::all_complete() const {
  if (!page_->held.empty()) return false;
  const auto& objects = current().objects;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const bool deferred = std::find(page_->deferred_icons.begin(), page_->deferred_icons.end(), i) !=
                          page_->deferred_icons.end();
    if (!objects[i].complete() && !deferred) return false;
  }
  return true;
}

void Browser::check_page() {
  if (!page_) return;
  PageLoadResult& r = current();
  if (!r.onload) {
    if (!all_complete()) return;
    r.onload = sim_.now();
    last_onload_ = r.onload;
    after_onload();
  }
  if (all_complete()) finish_page();
}

/// The load event: the page's icons, or Chromium's /favicon.ico when the
/// page named none and its document was answered.
void Browser::after_onload() {
  std::vector<std::size_t> icons;
  icons.swap(page_->deferred_icons);
  const bool named_icon = std::any_of(current().objects.begin(), current().objects.end(),
                                      [](const ObjectResult& o) { return o.kind == ResourceKind::kIcon; });
  if (config_.profile.request_favicon && !named_icon && current().objects.front().status != 0) {
    Url favicon = page_url_;
    favicon.path = "/favicon.ico";
    favicon.query.reset();
    if (const std::optional<std::size_t> i = add_object(favicon, ResourceKind::kIcon, page_url_)) icons.push_back(*i);
  }
  if (icons.empty()) return;
  // Added now (the page is not over until they are done), requested favicon_delay later.
  const Duration d = config_.profile.favicon_delay.draw(rng_);
  if (d <= Duration::zero()) {
    for (const std::size_t i : icons) enqueue(i);
    return;
  }
  favicon_timer_.arm_in(d, [this, icons] {
    if (!page_) return;
    for (const std::size_t i : icons) enqueue(i);
  });
}

namespace {

/// Why a document answered with a status other than 2xx is a failed load:
/// the page the user asked for did not arrive. A browser would follow a
/// 3xx (RFC 9110 §15.4); this model follows none, so the load ends there.
std::string document_status_error(const ObjectResult& doc) {
  const bool redirect = doc.status >= 300 && doc.status <= 399;
  return fmt::format("document {} answered {} {} ({})", doc.url, doc.status, doc.reason,
                     redirect ? "a redirect, and the browser model follows none" : "expected a 2xx status");
}

}  // namespace

void Browser::finish_page() {
  PageLoadResult& r = current();
  r.end = sim_.now();
  for (const ObjectResult& o : r.objects) r.bytes_received += o.response_head_size + o.body_wire_size;
  const ObjectResult& doc = r.objects.front();
  if (!doc.error.empty()) {
    r.error = doc.error;
  } else if (doc.status < 200 || doc.status > 299) {
    r.error = document_status_error(doc);
  } else if (const std::size_t failed = r.failed_objects(); failed > 0) {
    const auto first = std::find_if(r.objects.begin(), r.objects.end(), [](const ObjectResult& o) { return !o.error.empty(); });
    r.error = fmt::format("{} of {} objects failed (first: {}: {})", failed, r.objects.size(), first->url, first->error);
  }
  page_.reset();
  if (observer_ != nullptr) observer_->on_page_load_done(*this, results_.back());
  if (results_.size() < config_.page_loads) {
    page_timer_.arm_in(config_.think_time, [this] { begin_page(); });
  } else {
    loads_done_ = true;
    arm_exit();
  }
}

/// The client exits close_after the last load event (not before the page
/// has ended): every connection is closed from this side.
void Browser::arm_exit() {
  if (!config_.profile.close_after) return;
  const Time base = last_onload_.value_or(sim_.now());
  const Time at = std::max(base + config_.profile.close_after->draw(rng_), sim_.now());
  exit_timer_.arm_at(at, [this] { exit_now(); });
}

void Browser::exit_now() {
  for (auto& [server, pool] : pools_) pool->close_all();
  schedule_pump();
}

namespace {

/// What an object that never finished was waiting for.
std::string unfinished_state(const ObjectResult& o) {
  if (!o.request_sent) return o.connect_start && !o.connect_end ? "connecting" : "not requested (queued)";
  if (!o.first_byte) return "request sent, no response";
  return "response incomplete";
}

}  // namespace

void Browser::abandon(const std::string& why) {
  if (!page_) return;
  PageLoadResult& r = current();
  std::size_t unfinished = 0;
  const ObjectResult* first = nullptr;
  for (ObjectResult& o : r.objects) {
    r.bytes_received += o.response_head_size + o.body_wire_size;
    if (o.complete()) continue;
    o.error = fmt::format("{} when {}", unfinished_state(o), why);
    o.end = sim_.now();
    if (first == nullptr) first = &o;
    ++unfinished;
  }
  r.error = first == nullptr ? fmt::format("did not finish: {}", why)
                             : fmt::format("did not finish: {} of {} objects unfinished (first: {}: {})", unfinished,
                                           r.objects.size(), first->url, first->error);
  page_.reset();
  reveal_timer_.cancel();
  layout_timer_.cancel();
  favicon_timer_.cancel();
  laying_out_ = false;
}

void Browser::check_finished() {
  if (!loads_done_ || finished_ || any_unsettled_connection()) return;
  finished_ = true;
  if (observer_ != nullptr) observer_->on_finished(*this);
}

}  // namespace wiresim::http
