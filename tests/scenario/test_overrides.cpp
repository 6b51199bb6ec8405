// --set KEY=VALUE and --seed: each changes exactly the value it names, is
// validated like the file, and its problems name the override.

#include <functional>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "test_paths.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/overrides.hpp"

using namespace wiresim;
using namespace wiresim::scenario;
using namespace wiresim::literals;
namespace fs = std::filesystem;

namespace {

fs::path full_yaml() { return test::fixtures_dir() / "valid" / "full.yaml"; }

Scenario load_ok(const fs::path& file, const LoadOptions& options) {
  const LoadResult r = load_scenario_file(file, options);
  for (const Diagnostic& d : r.diagnostics) UNSCOPED_INFO(to_string(d));
  REQUIRE(r.ok());
  return *r.scenario;
}

std::vector<std::string> messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(to_string(d));
  return out;
}

/// The problems of full.yaml with these --set texts.
std::vector<std::string> set_errors(std::vector<std::string> sets) {
  return messages(load_scenario_file(full_yaml(), LoadOptions{std::move(sets), std::nullopt}));
}

LinkSpec& link(Scenario& s, std::string_view name) {
  for (LinkSpec& l : s.links) {
    if (l.name == name) return l;
  }
  FAIL("no link " << name);
  throw std::logic_error("unreachable");
}

template <class App>
App& app(Scenario& s, std::string_view name) {
  for (AppSpec& a : s.apps) {
    if (a.name == name) return std::get<App>(a.config);
  }
  FAIL("no app " << name);
  throw std::logic_error("unreachable");
}

struct SetCase {
  std::vector<std::string> sets;
  std::function<void(Scenario&)> change;  ///< what the sets should change in the baseline
};

}  // namespace

TEST_CASE("a --set override changes exactly the value it names", "[scenario][overrides]") {
  const Scenario base = load_ok(full_yaml(), {});
  const std::vector<SetCase> cases = {
      // a_to_b has a loss of its own, so only b_to_a follows the link's loss.
      {{"links.access.loss=1%"},
       [](Scenario& s) { link(s, "access").b_to_a.loss = LossSpec{LossModel::kBernoulli, 0.01, 0.99, 1.0, 0.0}; }},
      {{"apps.browser.max_connections=1"}, [](Scenario& s) { app<BrowserApp>(s, "browser").max_connections = 1; }},
      {{"hosts.server.tcp.msl=10s"}, [](Scenario& s) { s.hosts[1].tcp.overrides.msl = 10_s; }},
      {{"hosts.client.tcp.profile=linux"}, [](Scenario& s) { s.hosts[0].tcp.profile = TcpProfile::kLinux; }},
      // b_to_a has its own (empty) drop list.
      {{"links.access.drop.1.nth=7"},
       [](Scenario& s) {
         link(s, "access").a_to_b.drop[1].first_nth = 7;
         link(s, "access").a_to_b.drop[1].last_nth = 7;
       }},
      // Keys missing from the file are created.
      {{"links.core.a_to_b.loss=1%"},
       [](Scenario& s) { link(s, "core").a_to_b.loss = LossSpec{LossModel::kBernoulli, 0.01, 0.99, 1.0, 0.0}; }},
      {{"links.access.a_to_b.loss={ model: bernoulli, p: 3% }"},
       [](Scenario& s) { link(s, "access").a_to_b.loss = LossSpec{LossModel::kBernoulli, 0.03, 0.97, 1.0, 0.0}; }},
      // An empty value removes the key: the default applies.
      {{"links.access.jitter="},
       [](Scenario& s) {
         link(s, "access").a_to_b.jitter = 0_ms;
         link(s, "access").b_to_a.jitter = 0_ms;
       }},
      {{"traces.cwnd=false"}, [](Scenario& s) { s.traces.cwnd = false; }},
      {{"name=renamed"}, [](Scenario& s) { s.name = "renamed"; }},
      // In order: the last one wins.
      {{"apps.bulk.bytes=1MB", "apps.bulk.bytes=2MiB"}, [](Scenario& s) { app<BulkApp>(s, "bulk").bytes = 2'097'152; }},
      {{"apps.browser.url=http://10.0.2.2:8080/a?b=c"},
       [](Scenario& s) { app<BrowserApp>(s, "browser").url = "http://10.0.2.2:8080/a?b=c"; }},
  };
  for (const SetCase& c : cases) {
    INFO("--set " << c.sets.front());
    Scenario expected = base;
    c.change(expected);
    REQUIRE(expected != base);
    CHECK(load_ok(full_yaml(), LoadOptions{c.sets, std::nullopt}) == expected);
  }
}

TEST_CASE("the --seed option replaces the seed, after every --set", "[scenario][overrides]") {
  CHECK(load_ok(full_yaml(), LoadOptions{{}, 7}).seed == 7);
  CHECK(load_ok(full_yaml(), LoadOptions{{"seed=9"}, std::nullopt}).seed == 9);
  CHECK(load_ok(full_yaml(), LoadOptions{{"seed=9"}, 11}).seed == 11);
  CHECK(load_ok(full_yaml(), LoadOptions{{}, 18'446'744'073'709'551'615u}).seed == 18'446'744'073'709'551'615u);
}

TEST_CASE("unknown override paths are errors with a suggestion", "[scenario][overrides]") {
  CHECK(set_errors({"sed=5"}) ==
        std::vector<std::string>{"--set sed=5: error: unknown key 'sed' at the top level (did you mean 'seed'?)"});
  CHECK(set_errors({"links.acess.loss=2%"}) ==
        std::vector<std::string>{"--set links.acess.loss=2%: error: unknown link 'acess' (did you mean 'access'?)"});
  CHECK(set_errors({"apps.browser.max_conections=1"}) ==
        std::vector<std::string>{"--set apps.browser.max_conections=1: error: unknown key 'max_conections' in app "
                                 "'browser' (did you mean 'max_connections'?)"});
  CHECK(set_errors({"hosts.ghost.address=10.9.9.9/8"}) ==
        std::vector<std::string>{"--set hosts.ghost.address=10.9.9.9/8: error: unknown host 'ghost' (expected one "
                                 "of: client, server, sink)"});
  CHECK(set_errors({"hostz.client.address=10.0.1.2/24"}) ==
        std::vector<std::string>{"--set hostz.client.address=10.0.1.2/24: error: unknown key 'hostz' at the top "
                                 "level (did you mean 'hosts'?)"});
}

TEST_CASE("override values are validated like the file's", "[scenario][overrides]") {
  CHECK(set_errors({"links.access.loss=150%"}) ==
        std::vector<std::string>{"--set links.access.loss=150%: error: invalid loss '150%': more than 100% "
                                 "(expected a probability from 0 to 1, such as 0.02 or 2%)"});
  CHECK(set_errors({"apps.browser.profile=firefox"}) ==
        std::vector<std::string>{"--set apps.browser.profile=firefox: error: unknown browser profile 'firefox' "
                                 "(expected one of: chrome, ie, http10, curl)"});
  CHECK(set_errors({"links.access.b=nowhere"}) ==
        std::vector<std::string>{"--set links.access.b=nowhere: error: unknown node 'nowhere' (expected one of: "
                                 "client, server, sink, r1)"});
}

TEST_CASE("overrides that cannot be applied name the reason", "[scenario][overrides]") {
  CHECK(set_errors({"links.access.a.address=10.0.1.9/24"}) ==
        std::vector<std::string>{"--set links.access.a.address=10.0.1.9/24: error: cannot set 'address' inside "
                                 "'links.access.a', which is the value 'client' (expected to set 'links.access.a' "
                                 "itself)"});
  CHECK(set_errors({"links.access.drop.5.nth=1"}) ==
        std::vector<std::string>{"--set links.access.drop.5.nth=1: error: no item '5' in 'links.access.drop', a "
                                 "list of 2 items (expected an index from 0 to 1)"});
  CHECK(set_errors({"links.access.drop.first.nth=1"}) ==
        std::vector<std::string>{"--set links.access.drop.first.nth=1: error: no item 'first' in "
                                 "'links.access.drop', a list of 2 items (expected an index from 0 to 1)"});
  CHECK(set_errors({"links.access.loss=[1%"}) ==
        std::vector<std::string>{"--set links.access.loss=[1%: error: invalid YAML: end of sequence flow not found"});
  for (const char* bad : {"linksaccess", "=5", "links..loss=1%", "links.access.=1%", ".seed=1"}) {
    CHECK(set_errors({bad}) == std::vector<std::string>{std::string("--set ") + bad +
                                                        ": error: invalid override (expected KEY=VALUE with a dotted "
                                                        "KEY, such as links.lan.loss=2%)"});
  }
}

TEST_CASE("file problems come first, then each override's in command-line order", "[scenario][overrides]") {
  const fs::path file = test::fixtures_dir() / "broken" / "three_errors.yaml";
  // The first is found while reading, the second while applying; the order
  // is still the command line's.
  const LoadResult r = load_scenario_file(file, LoadOptions{{"links.lan.delay=soon", "apps.webb.port=1"}, std::nullopt});
  const std::vector<std::string> got = messages(r);
  REQUIRE(got.size() == 5);
  CHECK(got[0].starts_with(file.string() + ":7:69: "));
  CHECK(got[1].starts_with(file.string() + ":9:35: "));
  CHECK(got[2].starts_with(file.string() + ":11:44: "));
  CHECK(got[3] == "--set links.lan.delay=soon: error: invalid delay 'soon': not a number (expected a duration such "
                  "as 20ms, 500us or 1.5s)");
  CHECK(got[4] == "--set apps.webb.port=1: error: unknown app 'webb' (did you mean 'web'?)");
}

TEST_CASE("an override can repair the file", "[scenario][overrides]") {
  const fs::path file = test::fixtures_dir() / "broken" / "three_errors.yaml";
  const LoadOptions options{{"links.lan.loss=1%", "apps.web.host=server", "captures.wire.file=wire.pcapng"},
                            std::nullopt};
  const LoadResult r = load_scenario_file(file, options);
  CHECK(messages(r).empty());
  CHECK(r.ok());
}

TEST_CASE("override texts split into path and value", "[scenario][overrides]") {
  std::vector<Diagnostic> out;
  const auto o = parse_set_option("apps.browser.url=http://x/?a=b", 3, out);
  REQUIRE(o);
  CHECK(out.empty());
  CHECK(o->path == std::vector<std::string>{"apps", "browser", "url"});
  CHECK(o->value == "http://x/?a=b");
  CHECK(o->where == SourceLocation{"--set apps.browser.url=http://x/?a=b", 0, 0, 3});
  const Override seed = seed_override(5, 4);
  CHECK(seed.where == SourceLocation{"--seed 5", 0, 0, 4});
  CHECK(seed.path == std::vector<std::string>{"seed"});
  CHECK(seed.value == "5");
}
