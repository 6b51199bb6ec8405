#include "wiresim/scenario/url_check.hpp"

#include <algorithm>
#include <map>
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

/// What a URL's host reaches: a node and the address the browser connects to.
struct Target {
  std::string node;
  bool is_router = false;
};

/// Every interface address of the scenario -> its node (hosts' own
/// addresses and every link end).
std::map<std::uint32_t, Target> address_owners(const Scenario& s) {
  std::map<std::uint32_t, Target> out;
  for (const HostSpec& h : s.hosts) out.emplace(h.address.address, Target{h.name, false});
  const auto is_router = [&s](const std::string& node) {
    return std::any_of(s.routers.begin(), s.routers.end(), [&node](const RouterSpec& r) { return r.name == node; });
  };
  for (const LinkSpec& l : s.links) {
    for (const LinkEnd* e : {&l.a, &l.b}) out.emplace(e->address.address, Target{e->node, is_router(e->node)});
  }
  return out;
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

/// "10.0.2.2 of host 'server'": an example of an address a URL may name,
/// a host that serves HTTP if there is one.
std::string example_address(const Scenario& s) {
  for (const AppSpec& a : s.apps) {
    if (const auto* srv = std::get_if<HttpServerApp>(&a.config)) {
      for (const HostSpec& h : s.hosts) {
        if (h.name == srv->host) return fmt::format("{} of host '{}'", ipv4_to_string(h.address.address), h.name);
      }
    }
  }
  if (s.hosts.empty()) return "none: the scenario has no host";
  return fmt::format("{} of host '{}'", ipv4_to_string(s.hosts.front().address.address), s.hosts.front().name);
}

/// The ports the http_server apps of `node` listen on, in app order.
std::vector<std::pair<std::uint16_t, std::string>> server_ports(const Scenario& s, const std::string& node) {
  std::vector<std::pair<std::uint16_t, std::string>> out;
  for (const AppSpec& a : s.apps) {
    if (const auto* srv = std::get_if<HttpServerApp>(&a.config); srv != nullptr && srv->host == node) {
      out.emplace_back(srv->port, a.name);
    }
  }
  return out;
}

/// A valid target without a server, or without one on the URL's port: a warning.
void check_listener(ReadContext& ctx, const Scenario& s, const AppUrl& u, const UrlHost& h, const Target& t) {
  const std::string what = fmt::format("{} '{}'", t.is_router ? "router" : "host", t.node);
  const auto ports = server_ports(s, t.node);
  if (ports.empty()) {
    ctx.warnings.push_back(
        {u.where, fmt::format("URL '{}': no http_server app runs on {}; every load of it will fail", u.url, what)});
    return;
  }
  if (std::any_of(ports.begin(), ports.end(), [&h](const auto& p) { return p.first == h.port; })) return;
  std::string listening;
  for (const auto& [port, app] : ports) {
    listening += fmt::format("{}app '{}' listens on port {}", listening.empty() ? "" : ", ", app, port);
  }
  ctx.warnings.push_back({u.where, fmt::format("URL '{}': no http_server app listens on port {} of {} ({}); every "
                                               "load of it will fail",
                                               u.url, h.port, what, listening)});
}

void check_url(ReadContext& ctx, const Scenario& s, const std::map<std::uint32_t, Target>& owners,
               const AppUrl& u) {
  const UrlHost h = url_host(u.url);
  if (const auto address = parse_ipv4(h.host); address) {
    const auto it = owners.find(*address.value);
    if (it == owners.end()) {
      ctx.fields.error(u.where, fmt::format("URL '{}': no host or router of the scenario has the address {} (expected "
                                            "an address of a host, such as {})",
                                            u.url, h.host, example_address(s)));
      return;
    }
    check_listener(ctx, s, u, h, it->second);
    return;
  }
  if (const auto host = host_named(s, h.host)) {
    check_listener(ctx, s, u, h, Target{*host, false});
    return;
  }
  std::vector<std::string_view> names;
  for (const HostSpec& hs : s.hosts) names.push_back(hs.name);
  const auto is_router = std::any_of(s.routers.begin(), s.routers.end(), [&h](const RouterSpec& r) {
    return ascii_lower(r.name) == h.host;
  });
  if (is_router) {
    ctx.fields.error(u.where, fmt::format("URL '{}': '{}' is a router, which runs no server; a URL names a host {}",
                                          u.url, h.host, suggest(h.host, names, "a host, but the scenario has none")));
    return;
  }
  ctx.fields.error(u.where, fmt::format("URL '{}': unknown host '{}'; there is no DNS in the model, so a URL names a "
                                        "host of the scenario or an address of one {}",
                                        u.url, h.host, suggest(h.host, names, "a host, but the scenario has none")));
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

std::optional<std::string> host_named(const Scenario& s, std::string_view name) {
  std::optional<std::string> folded;
  for (const HostSpec& h : s.hosts) {
    if (h.name == name) return h.name;
    if (!folded && ascii_lower(h.name) == name) folded = h.name;
  }
  return folded;
}

void check_app_urls(ReadContext& ctx, const ConfigNode& root, const Scenario& s) {
  const std::map<std::uint32_t, Target> owners = address_owners(s);
  for (const AppSpec& a : s.apps) {
    if (!std::holds_alternative<BrowserApp>(a.config)) continue;
    for (const AppUrl& u : urls_of(root, a.name)) {
      if (!check_http_url(u.url).empty()) continue;  // reported as malformed already
      check_url(ctx, s, owners, u);
    }
  }
}

}  // namespace wiresim::scenario
