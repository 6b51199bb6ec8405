#include <string>

#include <catch2/catch.hpp>

#include "http_test_util.hpp"
#include "wiresim/http/parser.hpp"
#include "wiresim/http/writer.hpp"

using namespace wiresim::http;
using namespace std::string_literals;

namespace {

Request round_trip(const Request& r) {
  RequestParser p;
  p.feed(serialize(r));
  std::optional<Parsed<Request>> out = p.next();
  REQUIRE(out);
  CHECK_FALSE(p.next());
  CHECK_FALSE(p.error());
  return std::move(out->message);
}

Response round_trip(const Response& r, const std::string& method = "GET") {
  ResponseParser p;
  p.expect(method);
  p.feed(method == "HEAD" ? serialize_head(r) : serialize(r));
  std::optional<Parsed<Response>> out = p.next();
  REQUIRE(out);
  CHECK_FALSE(p.error());
  return std::move(out->message);
}

}  // namespace

TEST_CASE("requests are written exactly as given", "[http][writer]") {
  const Request r{"POST", "/form?a=b", Version::kHttp10, Headers{{"host", "x"}, {"Content-Length", "3"}, {"X-B", ""}},
                  Body("abc"s)};
  CHECK(serialize_head(r) == "POST /form?a=b HTTP/1.0\r\nhost: x\r\nContent-Length: 3\r\nX-B: \r\n\r\n");
  CHECK(serialize(r) == serialize_head(r) + "abc");
}

TEST_CASE("responses are written exactly as given", "[http][writer]") {
  const Response r{Version::kHttp11, 200, "OK", Headers{{"Content-Type", "text/plain"}, {"Content-Length", "2"}},
                   Body("hi"s)};
  CHECK(serialize(r) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi");
  // RFC 9112 §4: the SP after the code stays when the reason is empty.
  CHECK(serialize_head(Response{Version::kHttp10, 599, "", {}, Body{}}) == "HTTP/1.0 599 \r\n\r\n");
}

TEST_CASE("the lab's browser GET", "[http][writer]") {
  const Url url = *Url::parse("http://10.130.197.105:24/");
  const Request r = make_get(url, {{"Connection", "keep-alive"}, {"Accept-Encoding", "gzip, deflate"}});
  CHECK(serialize(r) ==
        "GET / HTTP/1.1\r\nHost: 10.130.197.105:24\r\nConnection: keep-alive\r\nAccept-Encoding: gzip, deflate\r\n\r\n");
  CHECK(serialize(make_request("HEAD", *Url::parse("http://Example.com/a b?q"))) ==
        "HEAD /a%20b?q HTTP/1.1\r\nHost: example.com\r\n\r\n");
}

TEST_CASE("response builders fill in the framing fields", "[http][writer]") {
  const Response file = make_response(200, "image/png", Body("\x89PNG"s), {{"ETag", "\"1\""}});
  CHECK(serialize(file) == "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 4\r\nETag: \"1\"\r\n\r\n\x89PNG");
  const Response missing = make_error_response(404, {{"Connection", "close"}});
  const std::string page = "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n";
  CHECK(serialize(missing) ==
        "HTTP/1.1 404 Not Found\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
            std::to_string(page.size()) + "\r\nConnection: close\r\n\r\n" + page);
  CHECK(serialize(make_not_modified({{"ETag", "\"1\""}})) == "HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n");
}

TEST_CASE("reason phrases of RFC 9110 section 15", "[http][writer]") {
  CHECK(reason_phrase(200) == "OK");
  CHECK(reason_phrase(304) == "Not Modified");
  CHECK(reason_phrase(400) == "Bad Request");
  CHECK(reason_phrase(413) == "Content Too Large");
  CHECK(reason_phrase(431) == "Request Header Fields Too Large");
  CHECK(reason_phrase(505) == "HTTP Version Not Supported");
  CHECK(reason_phrase(299).empty());
}

TEST_CASE("written messages parse back to themselves", "[http][writer][parser]") {
  const Request get = make_get(*Url::parse("http://h:8080/x?y"), {{"User-Agent", "wiresim"}});
  CHECK(round_trip(get) == get);
  const Request post{"POST", "/p", Version::kHttp11, {{"Host", "h"}, {"Content-Length", "5"}}, Body("a\r\nb\0"s)};
  CHECK(round_trip(post) == post);
  const Request old{"GET", "*", Version::kHttp10, {}, Body{}};
  CHECK(round_trip(old) == old);

  const Response file = make_response(200, "image/jpeg", Body(std::string(70'000, '\xff')));
  CHECK(round_trip(file) == file);
  const Response error = make_error_response(400, {{"Connection", "close"}});
  CHECK(round_trip(error) == error);
  const Response not_modified = make_not_modified({{"ETag", "\"abc\""}});
  CHECK(round_trip(not_modified) == not_modified);
  const Response empty_reason{Version::kHttp11, 200, "", {{"Content-Length", "0"}}, Body{}};
  CHECK(round_trip(empty_reason) == empty_reason);
  // A HEAD answer is the head alone; the parser, told the method, wants no body.
  Response head = make_response(200, "text/html", Body("<p>"s));
  Response head_received = round_trip(head, "HEAD");
  head.body = Body{};
  CHECK(head_received == head);
}
