// The hosts that browser and curl URLs name (issue 17): there is no DNS in
// the model, so a URL's host is a scenario host's name or an address of the
// scenario; anything else is an error at the URL's position. A URL whose
// host runs no http_server, or none on its port, is a warning.

#include <catch2/catch.hpp>

#include "test_paths.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/url_check.hpp"

using namespace wiresim::scenario;
namespace fs = std::filesystem;

namespace {

/// Two hosts behind a router; `web` serves on port 80 of `server`.
constexpr std::string_view kNetwork = R"(name: urls
hosts:
  client: { address: 10.0.1.2/24 }
  server: { address: 10.0.2.2/24 }
routers:
  r1: {}
links:
  access: { a: client, b: { node: r1, address: 10.0.1.1/24 }, bandwidth: 10Mbps, delay: 1ms }
  core: { a: { node: r1, address: 10.0.2.1/24 }, b: server, bandwidth: 10Mbps, delay: 1ms }
apps:
  web: { type: http_server, host: server, site: sites/lab }
)";

LoadResult load_with(const std::string& apps) {
  return load_scenario_text(std::string(kNetwork) + apps, test::fixtures_dir() / "valid" / "urls.yaml");
}

std::vector<std::string> errors(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(to_string(d));
  return out;
}

std::vector<std::string> warnings(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.warnings) out.push_back(warning_text(d));
  return out;
}

std::string at(int line, int column) {
  return (test::fixtures_dir() / "valid" / "urls.yaml").string() + ":" + std::to_string(line) + ":" +
         std::to_string(column);
}

}  // namespace

TEST_CASE("a URL names a scenario host or one of its addresses", "[scenario][url]") {
  for (const char* url : {"http://10.0.2.2/", "http://server/", "http://SERVER:80/x", "http://10.0.2.2:80"}) {
    INFO(url);
    const LoadResult r = load_with(std::string("  b: { type: browser, host: client, url: \"") + url + "\" }\n");
    CHECK(errors(r).empty());
    CHECK(warnings(r).empty());
    CHECK(r.ok());
  }
}

TEST_CASE("a URL host that is no scenario host is an error at the URL: there is no DNS", "[scenario][url]") {
  const LoadResult r = load_with(R"(  b: { type: browser, host: client, url: "http://server.example/" }
  c: { type: curl, host: client, urls: ["http://10.0.2.2/", "http://servr/a", "http://192.0.2.1/"] }
  d: { type: browser, host: client, url: "http://r1/" }
)");
  CHECK_FALSE(r.ok());
  CHECK(errors(r) == std::vector<std::string>{
                         at(12, 42) + ": error: URL 'http://server.example/': unknown host 'server.example'; there is "
                                      "no DNS in the model, so a URL names a host of the scenario or an address of "
                                      "one (expected one of: client, server)",
                         at(13, 61) + ": error: URL 'http://servr/a': unknown host 'servr'; there is no DNS in the "
                                      "model, so a URL names a host of the scenario or an address of one (did you "
                                      "mean 'server'?)",
                         at(13, 79) + ": error: URL 'http://192.0.2.1/': no host or router of the scenario has the "
                                      "address 192.0.2.1 (expected an address of a host, such as 10.0.2.2 of host "
                                      "'server')",
                         at(14, 42) + ": error: URL 'http://r1/': 'r1' is a router, which runs no server; a URL "
                                      "names a host (expected one of: client, server)",
                     });
}

TEST_CASE("a URL to a host without a server, or to a port without one, is a warning", "[scenario][url]") {
  const LoadResult r = load_with(R"(  b: { type: browser, host: client, url: "http://client/" }
  c: { type: curl, host: client, urls: ["http://10.0.2.2:8080/", "http://10.0.2.1/"] }
)");
  CHECK(errors(r).empty());
  REQUIRE(r.ok());
  CHECK(warnings(r) == std::vector<std::string>{
                           at(12, 42) + ": warning: URL 'http://client/': no http_server app runs on host 'client'; "
                                        "every load of it will fail",
                           at(13, 41) + ": warning: URL 'http://10.0.2.2:8080/': no http_server app listens on port "
                                        "8080 of host 'server' (app 'web' listens on port 80); every load of it will "
                                        "fail",
                           at(13, 66) + ": warning: URL 'http://10.0.2.1/': no http_server app runs on router 'r1'; "
                                        "every load of it will fail",
                       });
}

TEST_CASE("a URL set on the command line is checked where it was given", "[scenario][url]") {
  LoadOptions o;
  o.overrides = {"apps.b.url=http://nowhere/"};
  std::string text(kNetwork);
  text += "  b: { type: browser, host: client, url: \"http://server/\" }\n";
  const LoadResult r = load_scenario_text(text, test::fixtures_dir() / "valid" / "urls.yaml", o);
  CHECK(errors(r) == std::vector<std::string>{
                         "--set apps.b.url=http://nowhere/: error: URL 'http://nowhere/': unknown host 'nowhere'; "
                         "there is no DNS in the model, so a URL names a host of the scenario or an address of one "
                         "(expected one of: client, server)"});
}

TEST_CASE("url_host and HostNames read a URL's host as the browser will", "[scenario][url]") {
  CHECK(url_host("http://Server:8080/x").host == "server");
  CHECK(url_host("http://Server:8080/x").port == 8080);
  CHECK(url_host("HTTP://10.0.0.2").port == 80);
  CHECK(url_host("http://h:/").port == 80);  // an empty port is the default (RFC 3986 §3.2.3)
  const HostNames names({HostSpec{"Web", {}, {}}, HostSpec{"web", {}, {}}, HostSpec{"Other", {}, {}},
                         HostSpec{"OTHER", {}, {}}});
  CHECK(names.find("web") == "web");      // the exact name first
  CHECK(names.find("other") == "Other");  // then the first without regard to case
  CHECK_FALSE(names.find("nope").has_value());
  CHECK_FALSE(names.find("Web").has_value());  // URL hosts come lower case
}
