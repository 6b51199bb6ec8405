#include <catch2/catch.hpp>

#include "wiresim/http/body.hpp"
#include "wiresim/http/headers.hpp"
#include "wiresim/http/message.hpp"

using namespace wiresim::http;

TEST_CASE("headers keep order and case, lookups ignore case", "[http][headers]") {
  Headers h;
  h.add("Content-Type", "text/html");
  h.add("set-cookie", "a=1");
  h.add("Set-Cookie", "b=2");
  REQUIRE(h.size() == 3);
  CHECK(h[0].name == "Content-Type");
  CHECK(h[1].name == "set-cookie");
  CHECK(h.get("CONTENT-TYPE") == "text/html");
  CHECK(h.get("SET-COOKIE") == "a=1");
  CHECK(h.get_all("Set-Cookie") == std::vector<std::string_view>{"a=1", "b=2"});
  CHECK_FALSE(h.get("Content-Length"));
  CHECK(h.contains("content-type"));
  CHECK_FALSE(h.contains("content"));
}

TEST_CASE("set replaces the first field and removes the rest, in place", "[http][headers]") {
  Headers h{{"A", "1"}, {"X", "old"}, {"B", "2"}, {"x", "older"}};
  h.set("X", "new");
  CHECK(h == Headers{{"A", "1"}, {"X", "new"}, {"B", "2"}});
  h.set("C", "3");
  CHECK(h == Headers{{"A", "1"}, {"X", "new"}, {"B", "2"}, {"C", "3"}});
  CHECK(h.remove("x") == 1);
  CHECK(h.remove("x") == 0);
  CHECK(h == Headers{{"A", "1"}, {"B", "2"}, {"C", "3"}});
}

TEST_CASE("combined values and list tokens", "[http][headers]") {
  const Headers h{{"Cache-Control", "no-cache"}, {"cache-control", "no-store"}, {"Connection", "Keep-Alive, Upgrade"}};
  CHECK(h.combined("Cache-Control") == "no-cache, no-store");
  CHECK_FALSE(h.combined("Vary"));
  CHECK(h.has_token("connection", "upgrade"));
  CHECK(h.has_token("Connection", "keep-alive"));
  CHECK_FALSE(h.has_token("Connection", "close"));
  CHECK_FALSE(h.has_token("Connection", "keep"));
}

TEST_CASE("persistence follows RFC 9112 section 9.3", "[http][headers]") {
  CHECK_FALSE(wants_close(Version::kHttp11, {}));
  CHECK(wants_close(Version::kHttp11, {{"Connection", "close"}}));
  CHECK(wants_close(Version::kHttp10, {}));
  CHECK_FALSE(wants_close(Version::kHttp10, {{"Connection", "keep-alive"}}));
  CHECK(wants_close(Request{"GET", "/", Version::kHttp11, {{"connection", "Close"}}, Body{}}));
}

TEST_CASE("bodies share their bytes", "[http][body]") {
  const Body empty;
  CHECK(empty.empty());
  CHECK(empty.view().empty());
  CHECK(empty.shared() == nullptr);
  const Body a(std::string(1'000'000, 'x'));
  const Body b = a;  // NOLINT(performance-unnecessary-copy-initialization): the point
  CHECK(b.shared() == a.shared());
  CHECK(b.view().data() == a.view().data());
  CHECK(b.size() == 1'000'000);
  CHECK(Body(std::string("abc")) == Body(std::make_shared<const std::string>("abc")));
  CHECK_FALSE(Body(std::string("abc")) == Body(std::string("abd")));
}
