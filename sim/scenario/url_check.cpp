#include "wiresim/scenario/url_check.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "wiresim/scenario/app_reader.hpp"
#include "wiresim/scenario/did_you_mean.hpp"
#include "wiresim/scenario/interface_address.hpp"

namespace wiresim::scenario {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

/// What a URL's host reaches.
struct Target {
  std::string node;
  bool is_router = false;
};

/// What the checks look things up in, built once per scenario.
struct UrlIndex {
  explicit UrlIndex(const Scenario& s);

  HostNames names;
  std::map<std::uint32_t, Target> owners;  ///< every interface address -> its node
  /// node -> (port, app) of its http_server apps, in app order.
  std::map<std::string, std::vector<std::pair<std::uint16_t, std::string>>, std::less<>> servers;
  std::set<std::string, std::less<>> routers_lower;
  std::vector<std::string_view> host_list;  ///< for suggestions, in file order
  std::string example;  ///< "10.0.2.2 of host 'server'": an address a URL may name
};

UrlIndex::UrlIndex(const Scenario& s) : names(s.hosts) {
  for (const RouterSpec& r : s.routers) routers_lower.insert(ascii_lower(r.name));
  const std::set<std::string_view> routers = [&s] {
    std::set<std::string_view> out;
    for (const RouterSpec& r : s.routers) out.insert(r.name);
    return out;
  }();
  for (const HostSpec& h : s.hosts) {
    owners.emplace(h.address.address, Target{h.name, false});
    host_list.push_back(h.name);
  }
  for (const LinkSpec& l : s.links) {
    for (const LinkEnd* e : {&l.a, &l.b}) {
      owners.emplace(e->address.address, Target{e->node, routers.count(e->node) > 0});
    }
  }
  std::map<std::string_view, std::uint32_t> host_address;
  for (const HostSpec& h : s.hosts) host_address.emplace(h.name, h.address.address);
  for (const AppSpec& a : s.apps) {
    const auto* srv = std::get_if<HttpServerApp>(&a.config);
    if (srv == nullptr) continue;
    servers[srv->host].emplace_back(srv->port, a.name);
    if (const auto it = host_address.find(srv->host); example.empty() && it != host_address.end()) {
      example = fmt::format("{} of host '{}'", ipv4_to_string(it->second), srv->host);
    }
  }
  if (example.empty()) {
    example = s.hosts.empty() ? "none: the scenario has no host"
                              : fmt::format("{} of host '{}'", ipv4_to_string(s.hosts.front().address.address),
                                            s.hosts.front().name);
  }
}

/// One URL of an app, with where it was written.
struct AppUrl {
  std::string url;
  SourceLocation where;
};

/// The URLs of app `name` as its map in `root` gives them (url, or each of urls).
std::vector<AppUrl> urls_of(const ConfigNode& root, const std::string& name) {
  std::vector<AppUrl> out;
  const ConfigNode::Entry* apps = root.find("apps");
  const ConfigNode::Entry* app = apps != nullptr ? apps->value.find(name) : nullptr;
  if (app == nullptr || !app->value.is_map()) return out;
  if (const ConfigNode::Entry* url = app->value.find("url"); url != nullptr && url->value.is_scalar()) {
    out.push_back({url->value.scalar, url->value.where});
  }
  if (const ConfigNode::Entry* urls = app->value.find("urls"); urls != nullptr && urls->value.is_sequence()) {
    for (const ConfigNode& item : urls->value.items) {
      if (item.is_scalar()) out.push_back({item.scalar, item.where});
    }
  }
  return out;
}

/// A valid target without a server, or without one on the URL's port: a warning.
void check_listener(ReadContext& ctx, const UrlIndex& index, const AppUrl& u, const UrlHost& h, const Target& t) {
  const std::string what = fmt::format("{} '{}'", t.is_router ? "router" : "host", t.node);
  const auto it = index.servers.find(t.node);
  if (it == index.servers.end()) {
    ctx.warnings.push_back(
        {u.where, fmt::format("URL '{}': no http_server app runs on {}; every load of it will fail", u.url, what)});
    return;
  }
  const auto& ports = it->second;
  if (std::any_of(ports.begin(), ports.end(), [&h](const auto& p) { return p.first == h.port; })) return;
  std::string listening;
  for (const auto& [port, app] : ports) {
    listening += fmt::format("{}app '{}' listens on port {}", listening.empty() ? "" : ", ", app, port);
  }
  ctx.warnings.push_back({u.where, fmt::format("URL '{}': no http_server app listens on port {} of {} ({}); every "
                                               "load of it will fail",
                                               u.url, h.port, what, listening)});
}

void check_url(ReadContext& ctx, const UrlIndex& index, const AppUrl& u) {
  const UrlHost h = url_host(u.url);
  if (const auto address = parse_ipv4(h.host); address) {
    const auto it = index.owners.find(*address.value);
    if (it == index.owners.end()) {
      ctx.fields.error(u.where, fmt::format("URL '{}': no host or router of the scenario has the address {} (expected "
                                            "an address of a host, such as {})",
                                            u.url, h.host, index.example));
      return;
    }
    check_listener(ctx, index, u, h, it->second);
    return;
  }
  if (const auto host = index.names.find(h.host)) {
    check_listener(ctx, index, u, h, Target{*host, false});
    return;
  }
  const std::string hint = suggest(h.host, index.host_list, "a host, but the scenario has none");
  if (index.routers_lower.count(h.host) > 0) {
    ctx.fields.error(u.where, fmt::format("URL '{}': '{}' is a router, which runs no server; a URL names a host {}",
                                          u.url, h.host, hint));
    return;
  }
  ctx.fields.error(u.where, fmt::format("URL '{}': unknown host '{}'; there is no DNS in the model, so a URL names a "
                                        "host of the scenario or an address of one {}",
                                        u.url, h.host, hint));
}

}  // namespace

UrlHost url_host(std::string_view url) {
  UrlHost out;
  constexpr std::size_t kScheme = std::string_view("http://").size();
  const std::string_view rest = url.substr(std::min(kScheme, url.size()));
  const std::string_view authority = rest.substr(0, std::min(rest.find_first_of("/?#"), rest.size()));
  const std::size_t colon = authority.find(':');
  out.host = ascii_lower(authority.substr(0, colon));
  if (colon != std::string_view::npos && colon + 1 < authority.size()) {
    if (const auto port = parse_unsigned(authority.substr(colon + 1)); port && *port.value >= 1 && *port.value <= 65535) {
      out.port = static_cast<std::uint16_t>(*port.value);
    }
  }
  return out;
}

HostNames::HostNames(const std::vector<HostSpec>& hosts) {
  for (const HostSpec& h : hosts) by_lower_.emplace(ascii_lower(h.name), h.name);  // the first in file order
  for (const HostSpec& h : hosts) {
    if (ascii_lower(h.name) == h.name) by_lower_[h.name] = h.name;  // an exact name wins
  }
}

std::optional<std::string> HostNames::find(std::string_view name) const {
  const auto it = by_lower_.find(name);
  if (it == by_lower_.end()) return std::nullopt;
  return it->second;
}

void check_app_urls(ReadContext& ctx, const ConfigNode& root, const Scenario& s) {
  if (std::none_of(s.apps.begin(), s.apps.end(), [](const AppSpec& a) { return std::holds_alternative<BrowserApp>(a.config); })) {
    return;
  }
  const UrlIndex index(s);
  for (const AppSpec& a : s.apps) {
    if (!std::holds_alternative<BrowserApp>(a.config)) continue;
    for (const AppUrl& u : urls_of(root, a.name)) {
      if (!check_http_url(u.url).empty()) continue;  // reported as malformed already
      check_url(ctx, index, u);
    }
  }
}

}  // namespace wiresim::scenario
