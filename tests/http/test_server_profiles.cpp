// Server software profiles (nginx, IIS) as pure decisions: the exact head
// and error page reply_to() builds for each, and the processing-delay
// draws. The same against the real nginx's bytes: tests/fidelity/apps/.

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "wiresim/core/rng.hpp"
#include "wiresim/http/delay_range.hpp"
#include "wiresim/http/server_config.hpp"
#include "wiresim/http/server_reply.hpp"
#include "wiresim/http/writer.hpp"

using namespace wiresim;
using namespace wiresim::http;

namespace {

constexpr std::string_view kDate = "Tue, 24 Nov 2026 08:22:03 GMT";
constexpr std::int64_t kMtime = 0x6b0544d8;  // Tue, 24 Nov 2026 08:03:36 GMT

Site lab_like_site() {
  Site s;
  s.add("/index.html", std::string(427, 'x'), kMtime);
  return s;
}

Request get(const std::string& target, const std::string& user_agent = "curl/7.88.1") {
  Request r;
  r.method = "GET";
  r.target = target;
  r.headers.add("Host", "198.18.0.1");
  r.headers.add("User-Agent", user_agent);
  return r;
}

constexpr const char* kPadding = "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n";

std::string nginx_404_page(bool padded) {
  std::string page =
      "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n"
      "<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
  if (padded) {
    for (int i = 0; i < 6; ++i) page += kPadding;
  }
  return page;
}

}  // namespace

TEST_CASE("nginx: a 200's head is ngx_http_header_filter's, field for field", "[http][server][nginx]") {
  const ServerReply r = reply_to(lab_like_site(), nginx_server(), get("/"), kDate);
  CHECK(serialize_head(r.response) ==
        "HTTP/1.1 200 OK\r\n"
        "Server: nginx/1.22.1\r\n"
        "Date: Tue, 24 Nov 2026 08:22:03 GMT\r\n"
        "Content-Type: text/html\r\n"
        "Content-Length: 427\r\n"
        "Last-Modified: Tue, 24 Nov 2026 08:03:36 GMT\r\n"
        "Connection: keep-alive\r\n"
        "ETag: \"6b0544d8-1ab\"\r\n"
        "Accept-Ranges: bytes\r\n"
        "\r\n");
  CHECK_FALSE(r.close);
}

TEST_CASE("nginx: its 404 page, padded for Chrome and MSIE only (msie_padding)", "[http][server][nginx]") {
  SECTION("Chrome: 555 bytes, as the reference capture") {
    const ServerReply r =
        reply_to(lab_like_site(), nginx_server(), get("/favicon.ico", "Mozilla/5.0 Chrome/156.0.0.0"), kDate);
    CHECK(r.response.status == 404);
    CHECK(std::string(r.response.body.view()) == nginx_404_page(true));
    CHECK(r.response.body.size() == 555);
    CHECK(r.response.headers.get("Connection") == "keep-alive");
    CHECK(r.response.headers.get("Content-Type") == "text/html");
  }
  SECTION("curl: no padding") {
    const ServerReply r = reply_to(lab_like_site(), nginx_server(), get("/favicon.ico"), kDate);
    CHECK(std::string(r.response.body.view()) == nginx_404_page(false));
  }
}

TEST_CASE("nginx: keepalive_timeout 0 answers with Connection: close and closes", "[http][server][nginx]") {
  HttpServerConfig c = nginx_server();
  c.keep_alive_timeout = Duration::zero();
  const ServerReply r = reply_to(lab_like_site(), c, get("/"), kDate);
  CHECK(r.close);
  CHECK(r.response.headers.get("Connection") == "close");
}

TEST_CASE("nginx: 405 is nginx's 'Not Allowed'", "[http][server][nginx]") {
  Request post = get("/");
  post.method = "POST";
  const ServerReply r = reply_to(lab_like_site(), nginx_server(), post, kDate);
  CHECK(serialize_head(r.response).rfind("HTTP/1.1 405 Not Allowed\r\nServer: nginx/1.22.1\r\n", 0) == 0);
}

TEST_CASE("iis: the lab's IIS 10 head, no Connection field on keep-alive", "[http][server][iis]") {
  const ServerReply r = reply_to(lab_like_site(), iis_server(), get("/"), kDate);
  const std::string head = serialize_head(r.response);
  CHECK(head.rfind("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 427\r\n", 0) == 0);
  CHECK(head.find("Server: Microsoft-IIS/10.0\r\n") != std::string::npos);
  CHECK_FALSE(r.response.headers.contains("Connection"));
  CHECK_FALSE(r.response.headers.contains("Accept-Ranges"));
}

TEST_CASE("profiles by name, with their idle timeouts and latencies", "[http][server]") {
  CHECK(server_profile_by_name("nginx")->keep_alive_timeout == Duration::seconds(65));
  CHECK(server_profile_by_name("iis")->keep_alive_timeout == Duration::seconds(120));
  CHECK_FALSE(server_profile_by_name("apache"));
  const DelayRange d = nginx_server().processing_delay;
  CHECK(d.min == Duration::microseconds(150));
  CHECK(d.max == Duration::microseconds(250));
}

TEST_CASE("DelayRange: draws within [min, max], the same for the same stream, none for a fixed delay",
          "[http][delay]") {
  const DelayRange r(Duration::milliseconds(12), Duration::milliseconds(18));
  Rng a = Rng::stream(7, "app/browser");
  Rng b = Rng::stream(7, "app/browser");
  std::set<std::int64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const Duration x = r.draw(a);
    CHECK(x == r.draw(b));
    CHECK(x >= r.min);
    CHECK(x <= r.max);
    seen.insert(x.ns());
  }
  CHECK(seen.size() > 900);  // whole nanoseconds: practically no repeats
  // A fixed delay takes no number from the stream.
  Rng c = Rng::stream(7, "app/browser");
  Rng d = Rng::stream(7, "app/browser");
  CHECK(DelayRange(Duration::microseconds(5)).draw(c) == Duration::microseconds(5));
  CHECK(c.next_u64() == d.next_u64());
  CHECK_FALSE(DelayRange(Duration::milliseconds(2), Duration::milliseconds(1)).valid());
}
