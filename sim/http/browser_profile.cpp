#include "wiresim/http/browser_profile.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace wiresim::http {
namespace {

constexpr std::array<std::string_view, 8> kKnownFields = {
    "Host", "Connection", "Upgrade-Insecure-Requests", "User-Agent",
    "Accept", "Referer", "Accept-Encoding", "Accept-Language"};

const std::string& accept_for(const BrowserProfile& p, RequestDestination d) {
  switch (d) {
    case RequestDestination::kDocument: return p.accept_document;
    case RequestDestination::kStyle: return p.accept_style;
    case RequestDestination::kScript: return p.accept_script;
    case RequestDestination::kImage: break;
  }
  return p.accept_image;
}

/// The value `profile` sends in field `name` ("" = leave the field out).
std::string field_value(const BrowserProfile& p, std::string_view name, const Url& url, RequestDestination d,
                        const std::optional<Url>& referer) {
  if (name == "Host") return url.authority();
  if (name == "Connection") return p.connection_value;
  if (name == "Upgrade-Insecure-Requests") {
    return p.upgrade_insecure_requests && d == RequestDestination::kDocument ? "1" : "";
  }
  if (name == "User-Agent") return p.user_agent;
  if (name == "Accept") return accept_for(p, d);
  if (name == "Referer") return referer ? referer->to_string() : "";
  if (name == "Accept-Encoding") return p.accept_encoding;
  if (name == "Accept-Language") return p.accept_language;
  return "";
}

}  // namespace

std::string_view to_string(Protocol p) { return p == Protocol::kH2c ? "h2" : "h1"; }

RequestDestination destination_of(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kStylesheet: return RequestDestination::kStyle;
    case ResourceKind::kScript: return RequestDestination::kScript;
    case ResourceKind::kImage:
    case ResourceKind::kBackground:
    case ResourceKind::kIcon:
    case ResourceKind::kCssUrl: break;
  }
  return RequestDestination::kImage;
}

int BrowserProfile::pipeline_depth() const {
  if (!keep_alive || version == Version::kHttp10) return 1;
  return std::max(1, pipelining);
}

BrowserProfile chrome_profile() {
  BrowserProfile p;
  p.name = "chrome";
  p.max_connections = 6;  // Chromium: kMaxSocketsPerGroup
  p.preconnect = 1;
  // Delays: the ranges seen in the reference captures of Chromium 156
  // (../shared/reference/README.md), drawn per event from the browser's stream.
  p.preconnect_delay = DelayRange(Duration::milliseconds(2), Duration::milliseconds(18));
  p.request_delay = DelayRange(Duration::microseconds(250), Duration::microseconds(1000));
  p.read_delay = DelayRange(Duration::microseconds(140), Duration::microseconds(340));
  p.renderer_delay = DelayRange(Duration::milliseconds(12), Duration::milliseconds(18));
  p.layout_delay = DelayRange(Duration::milliseconds(2), Duration::milliseconds(4));
  p.favicon_delay = DelayRange(Duration::milliseconds(6), Duration::milliseconds(25));
  p.close_after = DelayRange(Duration::seconds(4), Duration::seconds(6));
  p.close_on_server_fin = false;
  p.tcp_nodelay = true;
  p.tcp_keepalive = tcp::KeepAlive{Duration::seconds(45), Duration::seconds(45), 9};  // Chromium: SetTCPKeepAlive(45 s)
  p.request_favicon = true;
  // The logo (<img>, found by the preload scanner) goes first; the body
  // background follows after layout, while the logo still loads, so it
  // takes the idle preconnect (see layout_delay).
  p.backgrounds_wait_for_images = false;
  p.header_order = {"Host", "Connection", "Upgrade-Insecure-Requests", "User-Agent",
                    "Accept", "Referer", "Accept-Encoding", "Accept-Language"};
  p.connection_value = "keep-alive";
  // Chromium 156 on Linux, its reduced User-Agent (the captures' headless
  // one says "HeadlessChrome/"; scenarios may set user_agent).
  p.user_agent =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
  p.accept_document =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,image/avif,image/webp,image/apng,*/*;q=0.8,"
      "application/signed-exchange;v=b3;q=0.7";
  p.accept_style = "text/css,*/*;q=0.1";
  p.accept_script = "*/*";
  p.accept_image = "image/jxl,image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
  p.accept_encoding = "gzip, deflate";  // no "br" or "zstd" over plain http
  p.accept_language = "en-US,en;q=0.9";
  p.upgrade_insecure_requests = true;
  return p;
}

BrowserProfile ie_profile() {
  BrowserProfile p;
  p.name = "ie";
  p.max_connections = 1;
  p.header_order = {"Accept", "Referer", "Accept-Language", "User-Agent", "Accept-Encoding", "Host", "Connection"};
  p.connection_value = "Keep-Alive";
  p.user_agent = "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko";
  p.accept_document = "text/html, application/xhtml+xml, image/jxr, */*";
  p.accept_style = "text/css, */*";
  p.accept_script = "application/javascript, */*;q=0.8";
  p.accept_image = "image/png, image/svg+xml, image/jxr, image/*;q=0.8, */*;q=0.5";
  p.accept_encoding = "gzip, deflate";
  p.accept_language = "zh-CN";
  return p;
}

BrowserProfile http10_profile() {
  BrowserProfile p;
  p.name = "http10";
  p.version = Version::kHttp10;
  p.keep_alive = false;
  p.max_connections = 4;
  p.header_order = {"Referer", "User-Agent", "Host", "Accept"};
  p.user_agent = "Mozilla/3.01 (Win95; I)";
  const std::string accept = "image/gif, image/x-xbitmap, image/jpeg, image/pjpeg, */*";
  p.accept_document = p.accept_style = p.accept_script = p.accept_image = accept;
  return p;
}

BrowserProfile curl_profile(bool parallel) {
  BrowserProfile p;
  p.name = "curl";
  // curl --parallel-max 6 (the reference's par6); sequential: one handle, one connection.
  p.max_connections = parallel ? 6 : 1;
  p.scan_subresources = false;
  p.tcp_nodelay = true;  // curl: CURLOPT_TCP_NODELAY on by default since 7.50.2
  p.request_delay = DelayRange(Duration::microseconds(100), Duration::microseconds(500));
  p.connect_delay = DelayRange(Duration::microseconds(30), Duration::microseconds(200));
  p.read_delay = DelayRange(Duration::microseconds(120), Duration::microseconds(170));
  p.read_size = 16384;  // CURLOPT_BUFFERSIZE's default
  p.close_after = DelayRange(Duration::microseconds(100), Duration::microseconds(200));
  p.header_order = {"Host", "User-Agent", "Accept"};  // lib/http.c: Curl_http() writes them in this order
  p.user_agent = "curl/7.88.1";
  p.accept_document = p.accept_style = p.accept_script = p.accept_image = "*/*";
  return p;
}

std::optional<BrowserProfile> browser_profile_by_name(std::string_view name) {
  if (name == "chrome") return chrome_profile();
  if (name == "curl") return curl_profile(false);
  if (name == "ie") return ie_profile();
  if (name == "http10") return http10_profile();
  return std::nullopt;
}

std::string validate(const BrowserProfile& p) {
  if (p.max_connections < 1 || p.max_connections > BrowserProfile::kMaxConnectionsLimit) {
    return fmt::format("max_connections must be 1..{}, not {}", BrowserProfile::kMaxConnectionsLimit,
                       p.max_connections);
  }
  if (p.pipelining < 0 || p.pipelining > BrowserProfile::kMaxPipelining) {
    return fmt::format("pipelining must be 0..{}, not {}", BrowserProfile::kMaxPipelining, p.pipelining);
  }
  if (p.preconnect < 0) return fmt::format("preconnect must be >= 0, not {}", p.preconnect);
  for (const DelayRange* d : {&p.preconnect_delay, &p.request_delay, &p.connect_delay, &p.read_delay, &p.renderer_delay, &p.layout_delay,
                              &p.favicon_delay}) {
    if (!d->valid()) return "delays must be >= 0 with min <= max";
  }
  if (p.close_after && !p.close_after->valid()) return "close_after must be >= 0 with min <= max";
  if (p.unused_idle_timeout <= Duration::zero() || p.used_idle_timeout <= Duration::zero()) {
    return "idle timeouts must be > 0";
  }
  if (p.tcp_keepalive && (p.tcp_keepalive->idle <= Duration::zero() || p.tcp_keepalive->interval <= Duration::zero() ||
                          p.tcp_keepalive->probes == 0)) {
    return "tcp_keepalive needs an idle time and an interval > 0 and at least one probe";
  }
  for (const std::string& name : p.header_order) {
    if (std::find(kKnownFields.begin(), kKnownFields.end(), name) == kKnownFields.end()) {
      return fmt::format("unknown request header field '{}' in header_order", name);
    }
  }
  return "";
}

Request make_browser_request(const BrowserProfile& profile, const Url& url, RequestDestination destination,
                             const std::optional<Url>& referer) {
  Request r;
  r.method = "GET";
  r.target = url.target();
  r.version = profile.version;
  r.headers.reserve(profile.header_order.size() + profile.extra_headers.size());
  for (const std::string& name : profile.header_order) {
    std::string value = field_value(profile, name, url, destination, referer);
    if (!value.empty()) r.headers.add(name, std::move(value));
  }
  for (const HeaderField& f : profile.extra_headers) r.headers.add(f.name, f.value);
  return r;
}

}  // namespace wiresim::http
