#include "wiresim/scenario/app_reader.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "wiresim/scenario/enum_names.hpp"

namespace wiresim::scenario {
namespace {

namespace fs = std::filesystem;

enum class AppType { kHttpServer, kBrowser, kCurl, kBulk, kTeardown };
constexpr std::array<NamedValue<AppType>, 5> kAppTypeNames{{
    {"http_server", AppType::kHttpServer},
    {"browser", AppType::kBrowser},
    {"curl", AppType::kCurl},
    {"bulk", AppType::kBulk},
    {"teardown", AppType::kTeardown},
}};
constexpr std::string_view kServerKeys[] = {"type", "host", "port", "site", "profile", "keep_alive_timeout",
                                            "processing_delay", "h2c"};
constexpr std::string_view kBrowserKeys[] = {"type",          "host",           "url",
                                             "profile",       "max_connections", "pipelining",
                                             "page_loads",    "think_time",     "start",
                                             "backgrounds_wait_for_images",     "user_agent",
                                             "preconnect_delay", "request_delay", "connect_delay", "renderer_delay",
                                             "favicon_delay", "close_after", "close_on_server_fin", "protocol",
                                             "read_delay"};
constexpr std::string_view kCurlKeys[] = {"type",       "host",       "url",        "urls",          "parallel",
                                          "page_loads", "think_time", "start",      "user_agent",
                                          "request_delay", "connect_delay", "close_after", "read_delay"};
constexpr std::string_view kRangeHint = "a duration such as 200us, or a range [min, max] such as [4s, 6s]";
constexpr std::string_view kBulkKeys[] = {"type", "from", "to", "port", "bytes", "start"};
constexpr std::string_view kTeardownKeys[] = {"type",  "client", "server",      "port",
                                              "close", "bytes",  "start",       "close_after",
                                              "second_close_after"};
constexpr std::int64_t kMaxTeardownBytes = 65536;
constexpr std::string_view kUrlHint = "a URL such as http://10.0.0.2:80/index.html";
constexpr std::int64_t kMaxBulkBytes = std::int64_t{1} << 50;

/// Ports apps listen on: (host, port) -> app name.
using PortRegistry = std::map<std::pair<std::string, std::uint16_t>, std::string>;

/// What one app needs besides its own map.
struct AppScope {
  ReadContext& ctx;
  const std::string& name;
  const ConfigNode::Entry& entry;
  std::string context;  ///< "in app 'web'"
  PortRegistry& ports;
};

std::optional<std::string> required_host(AppScope& s, std::string_view key) {
  const Field f = field(s.entry.value, key);
  if (!s.ctx.fields.require(f, s.entry.key_where, s.context, "a host name")) return std::nullopt;
  return s.ctx.nodes.resolve(f, "host", s.ctx.fields);
}

/// The app's `port`, `fallback` if absent, nullopt if invalid (reported).
std::optional<std::uint16_t> listening_port(AppScope& s, std::uint16_t fallback) {
  const Field f = field(s.entry.value, "port");
  if (f.value == nullptr) return fallback;
  return s.ctx.fields.port(f);
}

/// Registers `port` of `host` as listened on by this app; reports a clash.
/// `port` is nullopt when the app's port field is invalid (already reported).
void claim_port(AppScope& s, const std::optional<std::string>& host, std::optional<std::uint16_t> port) {
  if (!host || !port) return;
  const Field f = field(s.entry.value, "port");
  const SourceLocation& where = f.value != nullptr ? f.value->where : s.entry.key_where;
  const auto [it, inserted] = s.ports.emplace(std::pair{*host, *port}, s.name);
  if (!inserted) {
    s.ctx.fields.error(where, fmt::format("port {} of host '{}' is already used by app '{}' (expected a different "
                                          "port)",
                                          *port, *host, it->second));
  }
}

/// A DurationRange key: a duration or [min, max]; nullopt if absent or invalid.
std::optional<DurationRange> read_range(AppScope& s, std::string_view key) {
  const auto r = s.ctx.fields.duration_range(field(s.entry.value, key), kRangeHint);
  if (!r) return std::nullopt;
  return DurationRange{r->first, r->second};
}

std::optional<fs::path> read_site(AppScope& s) {
  const Field f = field(s.entry.value, "site");
  if (!s.ctx.fields.require(f, s.entry.key_where, s.context, "the folder of the site to serve")) return std::nullopt;
  const auto site = s.ctx.fields.text(f, "a folder name");
  if (!site) return std::nullopt;
  auto folder = site->empty() ? std::nullopt : find_site(s.ctx.scenario_file, *site);
  if (!folder) {
    s.ctx.fields.error(f.value->where, fmt::format("site folder '{}' does not exist (expected a folder relative to "
                                                   "the scenario file or to the scenarios/ folder)",
                                                   *site));
    return std::nullopt;
  }
  const std::string problem =
      check_site(*site, *folder, site_roots(s.ctx.scenario_file, s.ctx.allowed_site_dirs));
  if (!problem.empty()) {
    s.ctx.fields.error(f.value->where, problem);
    return std::nullopt;
  }
  return folder;
}

HttpServerApp read_http_server(AppScope& s) {
  FieldReader& fields = s.ctx.fields;
  const ConfigNode& m = s.entry.value;
  fields.check_keys(m, kServerKeys, s.context);
  HttpServerApp app;
  const auto host = required_host(s, "host");
  app.host = host.value_or("");
  const auto port = listening_port(s, app.port);
  app.port = port.value_or(app.port);
  app.site = read_site(s).value_or(fs::path{});
  app.profile = fields.choice<ServerProfile>(field(m, "profile"), kServerProfileNames, "server profile")
                    .value_or(app.profile);
  app.keep_alive_timeout = fields.duration(field(m, "keep_alive_timeout"));
  app.processing_delay = read_range(s, "processing_delay");
  app.h2c = fields.boolean(field(m, "h2c")).value_or(false);
  claim_port(s, host, port);
  return app;
}

std::string read_url(AppScope& s) {
  const Field f = field(s.entry.value, "url");
  if (!s.ctx.fields.require(f, s.entry.key_where, s.context, kUrlHint)) return {};
  const auto url = s.ctx.fields.parse<std::string>(f, kUrlHint, [](std::string_view t) {
    const std::string problem = check_http_url(t);
    if (!problem.empty()) return ParseResult<std::string>::fail(problem);
    return ParseResult<std::string>::ok(std::string(t));
  });
  return url.value_or("");
}

void read_client_common(AppScope& s, BrowserApp& app);

BrowserApp read_browser(AppScope& s) {
  FieldReader& fields = s.ctx.fields;
  const ConfigNode& m = s.entry.value;
  fields.check_keys(m, kBrowserKeys, s.context);
  BrowserApp app;
  app.host = required_host(s, "host").value_or("");
  app.url = read_url(s);
  app.profile = fields.choice<BrowserProfile>(field(m, "profile"), kBrowserProfileNames, "browser profile")
                    .value_or(app.profile);
  if (const auto n = fields.integer(field(m, "max_connections"), 1, 256)) app.max_connections = static_cast<int>(*n);
  if (const auto n = fields.integer(field(m, "pipelining"), 0, 64)) app.pipelining = static_cast<int>(*n);
  app.backgrounds_wait_for_images = fields.boolean(field(m, "backgrounds_wait_for_images"));
  app.preconnect_delay = read_range(s, "preconnect_delay");
  app.renderer_delay = read_range(s, "renderer_delay");
  app.favicon_delay = read_range(s, "favicon_delay");
  app.close_on_server_fin = fields.boolean(field(m, "close_on_server_fin"));
  app.protocol = fields.choice<HttpProtocol>(field(m, "protocol"), kHttpProtocolNames, "protocol").value_or(app.protocol);
  read_client_common(s, app);
  return app;
}

/// Keys a browser and curl share.
void read_client_common(AppScope& s, BrowserApp& app) {
  FieldReader& fields = s.ctx.fields;
  const ConfigNode& m = s.entry.value;
  app.page_loads = fields.integer(field(m, "page_loads"), 1, 1'000'000).value_or(app.page_loads);
  app.think_time = fields.duration(field(m, "think_time")).value_or(app.think_time);
  app.start = fields.duration(field(m, "start")).value_or(app.start);
  app.user_agent = fields.text(field(m, "user_agent"), "a User-Agent value");
  app.request_delay = read_range(s, "request_delay");
  app.connect_delay = read_range(s, "connect_delay");
  app.read_delay = read_range(s, "read_delay");
  app.close_after = read_range(s, "close_after");
}

/// `type: curl`: `url`, or `urls` (a list), fetched in order; `parallel`.
BrowserApp read_curl(AppScope& s) {
  FieldReader& fields = s.ctx.fields;
  const ConfigNode& m = s.entry.value;
  fields.check_keys(m, kCurlKeys, s.context);
  BrowserApp app;
  app.profile = BrowserProfile::kCurl;
  app.url_list = true;
  app.host = required_host(s, "host").value_or("");
  const Field urls = field(m, "urls");
  const Field url = field(m, "url");
  if (urls.value == nullptr) {
    app.url = read_url(s);
  } else if (url.value != nullptr) {
    fields.error(url.value->where, fmt::format("app '{}' has both url and urls (expected one of the two)", s.name));
  } else if (!urls.value->is_sequence() || urls.value->items.empty()) {
    fields.error(urls.value->where, "invalid urls (expected a list of one or more http:// URLs)");
  } else {
    for (const ConfigNode& item : urls.value->items) {
      const auto u = fields.parse<std::string>(Field{&item, "urls"}, kUrlHint, [](std::string_view t) {
        const std::string problem = check_http_url(t);
        if (!problem.empty()) return ParseResult<std::string>::fail(problem);
        return ParseResult<std::string>::ok(std::string(t));
      });
      if (!u) continue;
      if (app.url.empty()) {
        app.url = *u;
      } else {
        app.extra_urls.push_back(*u);
      }
    }
  }
  app.parallel = fields.boolean(field(m, "parallel")).value_or(false);
  read_client_common(s, app);
  return app;
}

BulkApp read_bulk(AppScope& s) {
  FieldReader& fields = s.ctx.fields;
  const ConfigNode& m = s.entry.value;
  fields.check_keys(m, kBulkKeys, s.context);
  BulkApp app;
  const auto from = required_host(s, "from");
  const auto to = required_host(s, "to");
  if (from && to && *from == *to) {
    fields.error(field(m, "to").value->where, fmt::format("app '{}' sends from host '{}' to itself (expected two "
                                                          "different hosts)",
                                                          s.name, *from));
  }
  app.from = from.value_or("");
  app.to = to.value_or("");
  const auto port = listening_port(s, app.port);
  app.port = port.value_or(app.port);
  const Field bytes = field(m, "bytes");
  fields.require(bytes, s.entry.key_where, s.context, "how much to send, such as 10MB");
  app.bytes = fields.byte_size(bytes, 1, kMaxBulkBytes).value_or(app.bytes);
  app.start = fields.duration(field(m, "start")).value_or(app.start);
  claim_port(s, to, port);
  return app;
}

/// `second_close_after` is only for the orders with a second, later close.
void check_second_close(AppScope& s, const TeardownApp& app) {
  const Field f = field(s.entry.value, "second_close_after");
  if (f.value == nullptr || app.close == CloseOrder::kClientFirst || app.close == CloseOrder::kServerFirst) return;
  s.ctx.fields.error(f.value->where,
                     fmt::format("second_close_after does not apply to close: {} (expected it only with close: "
                                 "client_first or server_first)",
                                 to_string(app.close)));
}

TeardownApp read_teardown(AppScope& s) {
  FieldReader& fields = s.ctx.fields;
  const ConfigNode& m = s.entry.value;
  fields.check_keys(m, kTeardownKeys, s.context);
  TeardownApp app;
  const auto client = required_host(s, "client");
  const auto server = required_host(s, "server");
  if (client && server && *client == *server) {
    fields.error(field(m, "server").value->where, fmt::format("app '{}' connects host '{}' to itself (expected two "
                                                              "different hosts)",
                                                              s.name, *client));
  }
  app.client = client.value_or("");
  app.server = server.value_or("");
  const auto port = listening_port(s, app.port);
  app.port = port.value_or(app.port);
  const Field close = field(m, "close");
  fields.require(close, s.entry.key_where, s.context, "client_first, server_first, simultaneous or merged_fin");
  app.close = fields.choice<CloseOrder>(close, kCloseOrderNames, "close order").value_or(app.close);
  app.bytes = fields.byte_size(field(m, "bytes"), 0, kMaxTeardownBytes).value_or(app.bytes);
  app.start = fields.duration(field(m, "start")).value_or(app.start);
  app.close_after = fields.duration(field(m, "close_after"), Duration::nanoseconds(1)).value_or(app.close_after);
  app.second_close_after = fields.duration(field(m, "second_close_after")).value_or(app.second_close_after);
  check_second_close(s, app);
  claim_port(s, server, port);
  return app;
}

std::optional<AppSpec> read_app(AppScope& s) {
  FieldReader& fields = s.ctx.fields;
  if (!fields.expect_map(s.entry.value, "app", "a map with type and the app's settings")) return std::nullopt;
  const Field type = field(s.entry.value, "type");
  if (!fields.require(type, s.entry.key_where, s.context, "one of: http_server, browser, curl, bulk, teardown")) {
    return std::nullopt;
  }
  const auto t = fields.choice<AppType>(type, kAppTypeNames, "app type");
  if (!t) return std::nullopt;
  switch (*t) {
    case AppType::kHttpServer: return AppSpec{s.name, read_http_server(s)};
    case AppType::kBrowser: return AppSpec{s.name, read_browser(s)};
    case AppType::kCurl: return AppSpec{s.name, read_curl(s)};
    case AppType::kBulk: return AppSpec{s.name, read_bulk(s)};
    case AppType::kTeardown: return AppSpec{s.name, read_teardown(s)};
  }
  return std::nullopt;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}

}  // namespace

std::vector<AppSpec> read_apps(ReadContext& ctx, const ConfigNode& root) {
  std::vector<AppSpec> apps;
  PortRegistry ports;
  for_each_entry(ctx, root, "apps", "app", [&](const std::string& name, const ConfigNode::Entry& e) {
    ctx.apps.add(name, "app", e.key_where, ctx.fields);
    AppScope scope{ctx, name, e, fmt::format("in app '{}'", name), ports};
    if (auto app = read_app(scope)) apps.push_back(std::move(*app));
  });
  return apps;
}

std::optional<fs::path> find_site(const fs::path& scenario_file, std::string_view site) {
  const fs::path relative(site);
  std::vector<fs::path> candidates;
  std::error_code ec;
  if (relative.is_absolute()) {
    candidates.push_back(relative);
  } else {
    const fs::path dir = fs::absolute(scenario_file, ec).parent_path();
    candidates.push_back(dir / relative);
    for (fs::path up = dir; !up.empty(); up = up.parent_path()) {
      if (up.filename() == "scenarios") {
        candidates.push_back(up / relative);
        break;
      }
      if (up == up.parent_path()) break;
    }
  }
  for (const fs::path& c : candidates) {
    if (fs::is_directory(c, ec)) return c.lexically_normal();
  }
  return std::nullopt;
}

namespace {

/// True if `path` is `root` or lies under it (both canonical).
bool is_within(const fs::path& path, const fs::path& root) {
  const auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

bool is_within_any(const fs::path& path, const std::vector<fs::path>& roots) {
  return std::any_of(roots.begin(), roots.end(), [&path](const fs::path& r) { return is_within(path, r); });
}

/// "the scenario's folder tree (/a/b) or --allow-site /c": where sites may be.
std::string roots_text(const std::vector<fs::path>& roots) {
  std::string out;
  // Two appends, not `(sep) + r.string()`: g++ 12 -O3 with LTO reports a
  // false -Wstringop-overflow in that temporary (scripts/bench.sh's build).
  for (const fs::path& r : roots) {
    if (!out.empty()) out += ", ";
    out += r.string();
  }
  return out;
}

/// The problems of one file of a site, in words; empty if none.
std::string check_site_file(const fs::path& file, const std::string& name, const std::vector<fs::path>& roots,
                            std::uintmax_t& total) {
  std::error_code ec;
  const fs::path real = fs::canonical(file, ec);
  if (ec) return fmt::format("site file '{}' cannot be resolved: {}", name, ec.message());
  if (!is_within_any(real, roots)) {
    return fmt::format("site file '{}' is a link to '{}', outside the folders a site may use ({}); allow its "
                       "folder with --allow-site DIR",
                       name, real.string(), roots_text(roots));
  }
  const std::uintmax_t size = fs::file_size(real, ec);
  if (ec) return fmt::format("site file '{}' cannot be read: {}", name, ec.message());
  if (size > kMaxSiteFileBytes) {
    return fmt::format("site file '{}' is {} bytes; at most {} (64 MiB) per file", name, size, kMaxSiteFileBytes);
  }
  total += size;
  return {};
}

}  // namespace

std::vector<fs::path> site_roots(const fs::path& scenario_file, const std::vector<fs::path>& allowed) {
  std::vector<fs::path> roots;
  std::error_code ec;
  const fs::path dir = fs::absolute(scenario_file, ec).parent_path();
  roots.push_back(fs::weakly_canonical(dir, ec));
  for (fs::path up = dir; !up.empty(); up = up.parent_path()) {
    if (up.filename() == "scenarios") {
      roots.push_back(fs::weakly_canonical(up, ec));
      break;
    }
    if (up == up.parent_path()) break;
  }
  for (const fs::path& a : allowed) roots.push_back(fs::weakly_canonical(fs::absolute(a, ec), ec));
  // Once each (a scenario directly in scenarios/ has one folder twice), in order.
  std::vector<fs::path> unique;
  for (const fs::path& r : roots) {
    if (std::find(unique.begin(), unique.end(), r) == unique.end()) unique.push_back(r);
  }
  return unique;
}

std::string check_site(std::string_view site, const fs::path& folder, const std::vector<fs::path>& roots) {
  std::error_code ec;
  const fs::path real = fs::canonical(folder, ec);
  if (ec) return fmt::format("site folder '{}' cannot be resolved: {}", site, ec.message());
  if (!is_within_any(real, roots)) {
    return fmt::format("site folder '{}' ({}) is outside the scenario's folder tree ({}); to serve it anyway, "
                       "run with --allow-site {}",
                       site, real.string(), roots_text(roots), real.string());
  }
  // The files http::Site::load will read (hidden names skipped, links to
  // folders not followed), in path order so the first problem is the same
  // on every machine.
  std::map<std::string, std::string> problems;
  std::uintmax_t total = 0;
  std::size_t files = 0;
  for (auto it = fs::recursive_directory_iterator(real, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().lexically_relative(real).generic_string();
    if (it->path().filename().string().front() == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    if (++files > kMaxSiteFiles) {
      return fmt::format("site folder '{}' holds more than {} files (the most a site may serve)", site, kMaxSiteFiles);
    }
    std::string problem = check_site_file(it->path(), name, roots, total);
    if (!problem.empty()) problems.emplace(name, std::move(problem));
  }
  if (ec) return fmt::format("site folder '{}' cannot be read: {}", site, ec.message());
  if (!problems.empty()) {
    const std::size_t more = problems.size() - 1;
    return problems.begin()->second +
           (more == 0 ? std::string{} : fmt::format(" (and {} more file{})", more, more == 1 ? "" : "s"));
  }
  if (total > kMaxSiteBytes) {
    return fmt::format("site folder '{}' holds {} bytes; at most {} (256 MiB) per site", site, total, kMaxSiteBytes);
  }
  return {};
}

std::string check_http_url(std::string_view url) {
  // The scheme is case-insensitive (RFC 3986 §3.1): "HTTP://" is "http://".
  constexpr std::string_view kScheme = "http://";
  if (url.size() < kScheme.size() || !std::equal(kScheme.begin(), kScheme.end(), url.begin(), [](char a, char b) {
        return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
      })) {
    return "not an http:// URL";
  }
  const std::string_view rest = url.substr(kScheme.size());
  const std::string_view authority = rest.substr(0, std::min(rest.find_first_of("/?#"), rest.size()));
  const std::string_view path = rest.substr(authority.size());
  // Mirrors http::Url::problem(): userinfo is deprecated in http URLs
  // (RFC 9110 §4.2.4) and not supported, nor are IP-literals.
  if (authority.find('@') != std::string_view::npos) {
    return "userinfo ('user:password@' before the host) is not supported (RFC 9110 section 4.2.4 deprecates it)";
  }
  if (authority.starts_with('[')) return "IPv6 literals ('[...]') are not supported";
  const std::size_t colon = authority.find(':');
  const std::string_view host = authority.substr(0, colon);
  if (host.empty()) return "no host";
  for (const char c : host) {
    if (!is_host_char(c)) return fmt::format("invalid character '{}' in the host", c);
  }
  if (colon != std::string_view::npos) {
    const std::string_view port_text = authority.substr(colon + 1);
    const auto port = parse_unsigned(port_text);
    if (!port_text.empty() && (!port || *port.value < 1 || *port.value > 65535)) {
      return fmt::format("invalid port '{}' (expected 1 to 65535)", port_text);
    }
  }
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) return "a space, control or non-ASCII character in the path (percent-encode it)";
  }
  return {};
}

}  // namespace wiresim::scenario
