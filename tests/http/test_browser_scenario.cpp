// The browser as a scenario sets it up: profile fields a scenario file (or
// --set) overrides reach the browser and change what it does on the wire.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "http_test_util.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/sites.hpp"
#include "wiresim/scenario/world.hpp"

using namespace wiresim;
namespace sc = wiresim::scenario;

namespace {

const std::string kLogo = "http://10.130.197.105:24/Myhead.jpg";
const std::string kBackground = "http://10.130.197.105:24/background.png";

/// The lab (lab-http.yaml) without captures or traces; `browser_extra` is
/// appended to the browser's map ("" or ", key: value").
std::string lab_text(const std::string& browser_extra) {
  const std::filesystem::path site = http::test::lab_site_dir();
  return "name: lab-yaml\n"
         "hosts:\n"
         "  client: { address: 10.130.98.8/16, tcp: { profile: windows } }\n"
         "  server: { address: 10.130.197.105/16, tcp: { profile: windows } }\n"
         "links:\n"
         "  lan: { a: client, b: server, bandwidth: 100Mbps, delay: 1ms }\n"
         "apps:\n"
         "  web: { type: http_server, host: server, port: 24, site: \"" +
         site.string() +
         "\" }\n"
         "  browser: { type: browser, host: client, url: \"http://10.130.197.105:24/\", profile: chrome" +
         browser_extra + " }\n";
}

sc::LoadResult load(const std::string& text, const sc::LoadOptions& options = {}) {
  return sc::load_scenario_text(text, http::test::source_dir() / "lab-yaml.yaml", options);
}

const sc::BrowserApp& browser_app(const sc::Scenario& s) {
  for (const sc::AppSpec& a : s.apps) {
    if (const auto* b = std::get_if<sc::BrowserApp>(&a.config)) return *b;
  }
  FAIL("no browser app");
  throw std::logic_error("unreachable");
}

/// Which connection (1-based) carried each of the logo and the background,
/// and how many connections carried data.
struct Placement {
  std::uint64_t logo = 0;
  std::uint64_t background = 0;
  int with_data = 0;
  int connections = 0;
};

Placement run_lab(const sc::Scenario& s) {
  sc::World world(s, s.seed, std::filesystem::temp_directory_path() / "wiresim-test-unused");  // writes nothing
  world.run(nullptr);
  const auto browsers = world.browsers();
  REQUIRE(browsers.size() == 1);
  const http::Browser& b = *browsers.front().app;
  REQUIRE(b.finished());
  REQUIRE(b.results().size() == 1);
  const http::PageLoadResult& r = b.results().front();
  CHECK(r.ok());
  const http::ObjectResult* logo = r.find(kLogo);
  const http::ObjectResult* background = r.find(kBackground);
  REQUIRE(logo != nullptr);
  REQUIRE(background != nullptr);
  CHECK(logo->status == 200);
  CHECK(background->status == 200);
  Placement p;
  p.logo = logo->connection;
  p.background = background->connection;
  for (const http::ConnectionRecord& c : b.connections()) {
    ++p.connections;
    if (c.carried_data()) ++p.with_data;
  }
  return p;
}

}  // namespace

TEST_CASE("backgrounds_wait_for_images is read from a browser app, unset by default", "[http][scenario]") {
  SECTION("unset: the profile's") {
    const auto l = load(lab_text(""));
    REQUIRE(l.ok());
    CHECK_FALSE(browser_app(*l.scenario).backgrounds_wait_for_images.has_value());
  }
  SECTION("false") {
    const auto l = load(lab_text(", backgrounds_wait_for_images: false"));
    REQUIRE(l.ok());
    CHECK(browser_app(*l.scenario).backgrounds_wait_for_images == false);
  }
  SECTION("true, by --set") {
    const auto l = load(lab_text(""), sc::LoadOptions{{"apps.browser.backgrounds_wait_for_images=true"}, {}});
    REQUIRE(l.ok());
    CHECK(browser_app(*l.scenario).backgrounds_wait_for_images == true);
  }
}

TEST_CASE("backgrounds_wait_for_images must be a boolean", "[http][scenario]") {
  const auto l = load(lab_text(", backgrounds_wait_for_images: sometimes"));
  REQUIRE_FALSE(l.ok());
  REQUIRE(l.diagnostics.size() == 1);
  const std::string message = to_string(l.diagnostics.front());
  CHECK_THAT(message, Catch::Contains("lab-yaml.yaml:9:"));
  CHECK_THAT(message, Catch::Contains("sometimes"));
  CHECK_THAT(message, Catch::Contains("boolean"));
}

TEST_CASE("chrome from a scenario: the background on the preconnect connection, as Chromium 156", "[http][scenario]") {
  const auto l = load(lab_text(""));
  REQUIRE(l.ok());
  const Placement p = run_lab(*l.scenario);
  CHECK(p.connections == 2);  // the document's and the preconnect
  CHECK(p.with_data == 2);
  CHECK(p.logo == 1);
  CHECK(p.background == 2);
}

TEST_CASE("backgrounds_wait_for_images true: the background waits for the logo, on the first connection",
          "[http][scenario]") {
  SECTION("in the file") {
    const auto l = load(lab_text(", backgrounds_wait_for_images: true"));
    REQUIRE(l.ok());
    const Placement p = run_lab(*l.scenario);
    CHECK(p.connections == 2);
    CHECK(p.with_data == 1);  // the preconnect stays unused
    CHECK(p.logo == 1);
    CHECK(p.background == 1);
  }
  SECTION("by --set") {
    const auto l = load(lab_text(""), sc::LoadOptions{{"apps.browser.backgrounds_wait_for_images=true"}, {}});
    REQUIRE(l.ok());
    const Placement p = run_lab(*l.scenario);
    CHECK(p.with_data == 1);
    CHECK(p.background == 1);
  }
}

TEST_CASE("a load cut off by the run's time limit ends with an error naming the limit", "[http][scenario]") {
  // The server takes 60 s per response; the run stops at 10 s.
  const auto l = load(lab_text(""), sc::LoadOptions{{"apps.web.processing_delay=60s", "stop.after=10s"}, {}});
  REQUIRE(l.ok());
  sc::World world(*l.scenario, l.scenario->seed, std::filesystem::temp_directory_path() / "wiresim-test-unused");
  CHECK(world.run(nullptr) == sc::StopReason::kTimeLimit);
  const http::Browser& b = *world.browsers().at(0).app;
  REQUIRE(b.results().size() == 1);
  const http::PageLoadResult& r = b.results()[0];
  CHECK(r.error == "did not finish: 1 of 1 objects unfinished (first: http://10.130.197.105:24/: request sent, "
                   "no response when the run reached its time limit at 10.000000000 s)");
  CHECK_FALSE(r.complete());
  CHECK(r.objects.at(0).end == Time::zero() + Duration::seconds(10));
  // The connections as the run left them: both open at both ends (IIS
  // keeps an idle connection 120 s; the browser has not exited, its page
  // never loaded).
  std::vector<std::string> seen;
  for (const capture::ConnectionRecord& c : world.connections()) {
    seen.push_back(c.node + " " + tcp::to_string(c.tuple.local) + " " + std::string(tcp::to_string(c.state_at_end)));
  }
  CHECK(seen == std::vector<std::string>{"client 10.130.98.8:57221 ESTABLISHED", "client 10.130.98.8:57222 ESTABLISHED",
                                         "server 10.130.197.105:24 ESTABLISHED",
                                         "server 10.130.197.105:24 ESTABLISHED"});
}

TEST_CASE("worlds built with one SiteSet serve the same immutable site, loaded once", "[http][scenario][sweep]") {
  const auto l = load(lab_text(""));
  REQUIRE(l.ok());
  const sc::Scenario& s = *l.scenario;
  sc::SiteSet sites;
  sites.add(s);
  sites.add(s);  // already there: not loaded again
  REQUIRE(sites.size() == 1);
  const auto site = sites.find(http::test::lab_site_dir(), sc::site_last_modified(s));
  REQUIRE(site != nullptr);
  CHECK(site.use_count() == 2);  // the set's and ours

  {
    sc::World a(s, 1, std::filesystem::path{}, &sites);
    sc::World b(s, 2, std::filesystem::path{}, &sites);
    REQUIRE(a.servers().size() == 1);
    REQUIRE(b.servers().size() == 1);
    CHECK(&a.servers().front().app->site() == site.get());  // shared, not copied
    CHECK(&b.servers().front().app->site() == site.get());
    CHECK(site.use_count() == 4);
    a.run(nullptr);
    b.run(nullptr);
    for (const sc::World* w : {&a, &b}) {
      const http::PageLoadResult& r = w->browsers().front().app->results().front();
      CHECK(r.ok());
      for (const std::string& url : {kLogo, kBackground}) {
        const http::ObjectResult* o = r.find(url);
        REQUIRE(o != nullptr);
        CHECK(o->status == 200);
      }
    }
  }
  CHECK(site.use_count() == 2);  // the worlds let go

  // A world without a SiteSet loads its own copy, with the same files and ETags.
  sc::World own(s, 1, std::filesystem::path{});
  const http::Site& mine = own.servers().front().app->site();
  CHECK(&mine != site.get());
  REQUIRE(mine.files().size() == site->files().size());
  for (const auto& [path, file] : mine.files()) {
    const http::SiteFile* shared = site->find(path);
    REQUIRE(shared != nullptr);
    CHECK(file.etag == shared->etag);
    CHECK(file.body == shared->body);
    CHECK(file.last_modified_text == shared->last_modified_text);
  }
}
