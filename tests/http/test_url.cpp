#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "http_test_util.hpp"
#include "wiresim/http/uri_reference.hpp"
#include "wiresim/http/url.hpp"

using namespace wiresim::http;

namespace {

using Table = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kRfcBase = "http://a/b/c/d;p?q";

}  // namespace

TEST_CASE("RFC 3986 section 5.4.1: normal examples", "[http][url]") {
  const Table table{{"g:h", "g:h"},          {"g", "http://a/b/c/g"},        {"./g", "http://a/b/c/g"},
                    {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},        {"//g", "http://g"},
                    {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
                    {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
                    {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"}, {"", "http://a/b/c/d;p?q"},
                    {".", "http://a/b/c/"},    {"./", "http://a/b/c/"},        {"..", "http://a/b/"},
                    {"../", "http://a/b/"},    {"../g", "http://a/b/g"},       {"../..", "http://a/"},
                    {"../../", "http://a/"},   {"../../g", "http://a/g"}};
  for (const auto& [ref, target] : table) {
    INFO(ref);
    CHECK(resolve_reference(kRfcBase, ref) == target);
  }
}

TEST_CASE("RFC 3986 section 5.4.2: abnormal examples", "[http][url]") {
  const Table table{{"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
                    {"/../g", "http://a/g"},      {"g.", "http://a/b/c/g."},       {".g", "http://a/b/c/.g"},
                    {"g..", "http://a/b/c/g.."},  {"..g", "http://a/b/c/..g"},     {"./../g", "http://a/b/g"},
                    {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"},   {"g/../h", "http://a/b/c/h"},
                    {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
                    {"g?y/./x", "http://a/b/c/g?y/./x"},   {"g?y/../x", "http://a/b/c/g?y/../x"},
                    {"g#s/./x", "http://a/b/c/g#s/./x"},   {"g#s/../x", "http://a/b/c/g#s/../x"},
                    {"http:g", "http:g"}};  // strict parser
  for (const auto& [ref, target] : table) {
    INFO(ref);
    CHECK(resolve_reference(kRfcBase, ref) == target);
  }
}

TEST_CASE("remove_dot_segments, RFC 3986 section 5.2.4 examples", "[http][url]") {
  CHECK(remove_dot_segments("/a/b/c/./../../g") == "/a/g");
  CHECK(remove_dot_segments("mid/content=5/../6") == "mid/6");
  CHECK(remove_dot_segments("/..") == "/");
  CHECK(remove_dot_segments("").empty());
}

TEST_CASE("URI references split into their components", "[http][url]") {
  const UriReference r = UriReference::split("http://a:8/p/q?x=1#frag");
  CHECK(r.scheme == "http");
  CHECK(r.authority == "a:8");
  CHECK(r.path == "/p/q");
  CHECK(r.query == "x=1");
  CHECK(r.fragment == "frag");
  const UriReference rel = UriReference::split("img/logo.png");
  CHECK_FALSE(rel.scheme);
  CHECK_FALSE(rel.authority);
  CHECK(rel.path == "img/logo.png");
  CHECK_FALSE(rel.query);
  CHECK(UriReference::split("?").query == "");
  CHECK_FALSE(UriReference::split("1a:b").scheme);  // not a scheme
  CHECK(UriReference::split("//h").to_string() == "//h");
}

TEST_CASE("http URLs parse and normalise", "[http][url]") {
  const std::optional<Url> lab = Url::parse("http://10.130.197.105:24/");
  REQUIRE(lab);
  CHECK(lab->host == "10.130.197.105");
  CHECK(lab->port == 24);
  CHECK(lab->path == "/");
  CHECK_FALSE(lab->query);
  CHECK(lab->host_is_ipv4());
  CHECK(lab->authority() == "10.130.197.105:24");
  CHECK(lab->to_string() == "http://10.130.197.105:24/");

  const std::optional<Url> n = Url::parse("HTTP://Example.COM:80/a/./b/../%7e%2fc%2F?q=%7E%20#frag");
  REQUIRE(n);
  CHECK(n->to_string() == "http://example.com/a/~%2Fc%2F?q=~%20");
  CHECK(n->target() == "/a/~%2Fc%2F?q=~%20");
  CHECK_FALSE(n->host_is_ipv4());

  CHECK(Url::parse("http://h")->to_string() == "http://h/");
  CHECK(Url::parse("http://h:/x")->port == 80);
  CHECK(Url::parse("http://h/?")->to_string() == "http://h/?");
  CHECK(Url::parse("http://h/a b\"<>")->path == "/a%20b%22%3C%3E");
  CHECK(Url::parse("http://h/100%")->path == "/100%25");
  CHECK(Url::parse("http://h:65535/")->port == 65535);
}

TEST_CASE("URLs wiresim cannot fetch are refused", "[http][url]") {
  for (const char* bad : {"https://h/", "ftp://h/", "//h/", "/path", "http:/h", "http://", "http://:80/",
                          "http://u@h/", "http://[::1]/", "http://h:0/", "http://h:65536/", "http://h:8x/",
                          "http://h%41/", "data:image/png;base64,AAAA", "javascript:void(0)"}) {
    INFO(bad);
    CHECK_FALSE(Url::parse(bad));
  }
}

TEST_CASE("RFC 3986: the scheme is case-insensitive, userinfo is named as unsupported", "[http][url]") {
  // §3.1: schemes are case-insensitive; the canonical form is lower case.
  REQUIRE(Url::parse("HTTP://h/"));
  CHECK(Url::parse("HTTP://h/")->to_string() == "http://h/");
  CHECK(Url::parse("hTtP://H:8080/x")->to_string() == "http://h:8080/x");
  CHECK(Url::problem("HTTP://h/").empty());
  // §3.2.1 userinfo: refused with its name, never "invalid port".
  const std::string userinfo =
      "userinfo ('user:password@' before the host) is not supported (RFC 9110 section 4.2.4 deprecates it)";
  CHECK(Url::problem("http://user:pw@host/") == userinfo);
  CHECK(Url::problem("http://user@host:80/") == userinfo);
  CHECK_FALSE(Url::parse("http://user:pw@host/"));
  CHECK(Url::problem("http://[::1]/") == "IPv6 literals ('[...]') are not supported");
  CHECK(Url::problem("http://h:65536/") == "invalid port '65536' (expected 1 to 65535)");
  CHECK(Url::problem("http://h:8x/") == "invalid port '8x' (expected 1 to 65535)");
  CHECK(Url::problem("http://:80/") == "no host");
  CHECK(Url::problem("http://h%41/") == "invalid character '%' in the host");
  CHECK(Url::problem("https://h/") == "not an http:// URL");
  CHECK(Url::problem("//h/") == "not an http:// URL");
}

TEST_CASE("IPv4 literals are dotted decimal octets", "[http][url]") {
  const auto ipv4 = [](const char* host) { return Url{host, 80, "/", std::nullopt}.host_is_ipv4(); };
  CHECK(ipv4("0.0.0.0"));
  CHECK(ipv4("255.255.255.255"));
  CHECK_FALSE(ipv4("256.1.1.1"));
  CHECK_FALSE(ipv4("1.2.3"));
  CHECK_FALSE(ipv4("1.2.3.4.5"));
  CHECK_FALSE(ipv4("01.2.3.4"));
  CHECK_FALSE(ipv4("1.2.3."));
  CHECK_FALSE(ipv4("a.b.c.d"));
}

TEST_CASE("references from attributes resolve as browsers read them", "[http][url]") {
  const Url page = *Url::parse("http://10.130.197.105:24/dir/index.html?x");
  CHECK(page.resolve("Myhead.jpg")->to_string() == "http://10.130.197.105:24/dir/Myhead.jpg");
  CHECK(page.resolve("../background.png")->to_string() == "http://10.130.197.105:24/background.png");
  CHECK(page.resolve("  /a.png\n")->to_string() == "http://10.130.197.105:24/a.png");
  CHECK(page.resolve("im\tg/lo\ngo.png")->to_string() == "http://10.130.197.105:24/dir/img/logo.png");
  CHECK(page.resolve("img\\a.png?x\\y")->to_string() == "http://10.130.197.105:24/dir/img/a.png?x%5Cy");
  CHECK(page.resolve("my logo.png#top")->to_string() == "http://10.130.197.105:24/dir/my%20logo.png");
  CHECK(page.resolve("//cdn.example:8080/x.js")->to_string() == "http://cdn.example:8080/x.js");
  CHECK(page.resolve("")->to_string() == "http://10.130.197.105:24/dir/index.html?x");
  CHECK_FALSE(page.resolve("https://secure.example/"));
  CHECK_FALSE(page.resolve("data:image/gif;base64,R0lGOD"));
}
