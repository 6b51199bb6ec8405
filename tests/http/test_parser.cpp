// RequestParser and ResponseParser: every message is parsed whole, split
// at every byte offset, split in three everywhere (short ones) and fed one
// byte at a time, and must come out the same each way (muduo's test style).

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "http_test_util.hpp"
#include "wiresim/core/rng.hpp"
#include "wiresim/http/digest.hpp"
#include "wiresim/http/parser.hpp"

using namespace wiresim::http;
using namespace std::string_literals;

namespace {

template <class Message>
struct Outcome {
  std::vector<Parsed<Message>> messages;
  std::optional<ParseError> error;

  bool operator==(const Outcome&) const = default;
};

template <class Message>
std::ostream& operator<<(std::ostream& os, const Outcome<Message>& o) {
  for (const Parsed<Message>& m : o.messages) {
    os << "[head " << m.head_size << ", body " << m.body_size << ", " << m.trailers.size() << " trailers]\n"
       << serialize(m.message) << "\n";
  }
  return os << "error: " << (o.error ? to_string(*o.error) : "none");
}

using Pieces = std::vector<std::string_view>;

template <class Parser, class Message>
void drain(Parser& p, Outcome<Message>& out) {
  while (auto m = p.next()) out.messages.push_back(std::move(*m));
}

/// Feeds `pieces` to a RequestParser; `finish` then signals the end of input.
Outcome<Request> run_requests(const Pieces& pieces, bool finish = false, const ParserLimits& limits = {}) {
  RequestParser p(limits);
  Outcome<Request> out;
  for (const std::string_view piece : pieces) {
    p.feed(piece);
    drain(p, out);
  }
  if (finish) p.finish();
  drain(p, out);
  out.error = p.error();
  return out;
}

/// Feeds `pieces` to a ResponseParser that expects answers to `methods`.
Outcome<Response> run_responses(const Pieces& pieces, const std::vector<std::string>& methods,
                                bool finish = false, const ParserLimits& limits = {}) {
  ResponseParser p(limits);
  for (const std::string& m : methods) p.expect(m);
  Outcome<Response> out;
  for (const std::string_view piece : pieces) {
    p.feed(piece);
    drain(p, out);
  }
  if (finish) p.finish();
  drain(p, out);
  out.error = p.error();
  return out;
}

/// `run` gives `expected` for `input` however it is cut.
template <class Run, class Message>
void check_every_split(std::string_view input, const Run& run, const Outcome<Message>& expected) {
  REQUIRE(run(Pieces{input}) == expected);
  for (std::size_t i = 0; i <= input.size(); ++i) {
    INFO("split at " << i);
    REQUIRE(run(Pieces{input.substr(0, i), input.substr(i)}) == expected);
  }
  Pieces bytes;
  for (std::size_t i = 0; i < input.size(); ++i) bytes.push_back(input.substr(i, 1));
  CHECK(run(bytes) == expected);
  if (input.size() > 400) return;
  for (std::size_t i = 0; i <= input.size(); ++i) {
    for (std::size_t j = i; j <= input.size(); ++j) {
      INFO("split at " << i << " and " << j);
      REQUIRE(run(Pieces{input.substr(0, i), input.substr(i, j - i), input.substr(j)}) == expected);
    }
  }
}

void check_requests(std::string_view input, const Outcome<Request>& expected, bool finish = false) {
  check_every_split(input, [finish](const Pieces& p) { return run_requests(p, finish); }, expected);
}

void check_responses(std::string_view input, const std::vector<std::string>& methods,
                     const Outcome<Response>& expected, bool finish = false) {
  check_every_split(input, [&](const Pieces& p) { return run_responses(p, methods, finish); }, expected);
}

ParseError request_error(std::string_view input, const ParserLimits& limits = {}) {
  const Outcome<Request> out = run_requests(Pieces{input}, false, limits);
  REQUIRE(out.error.has_value());
  // The same error however the bytes arrive.
  for (std::size_t i = 0; i <= input.size(); ++i) {
    INFO("split at " << i);
    REQUIRE(run_requests(Pieces{input.substr(0, i), input.substr(i)}, false, limits).error == out.error);
  }
  return *out.error;
}

ParseError response_error(std::string_view input, const std::string& method = "GET", bool finish = false,
                          const ParserLimits& limits = {}) {
  const Outcome<Response> out = run_responses(Pieces{input}, {method}, finish, limits);
  REQUIRE(out.error.has_value());
  for (std::size_t i = 0; i <= input.size(); ++i) {
    INFO("split at " << i);
    REQUIRE(run_responses(Pieces{input.substr(0, i), input.substr(i)}, {method}, finish, limits).error == out.error);
  }
  return *out.error;
}

/// What the parsers report of a body: its decoded size and one-shot
/// body_digest(), which the parsers compute piece by piece as it arrives
/// (so every split below also checks the streaming digest).
BodySummary summary_of(const Body& body) { return {body.size(), body_digest(body.view())}; }

Parsed<Request> parsed(Request r, std::size_t head_size, std::uint64_t body_size = 0, Headers trailers = {}) {
  const BodySummary summary = summary_of(r.body);
  return {std::move(r), std::move(trailers), head_size, body_size, summary};
}

Parsed<Response> parsed(Response r, std::size_t head_size, std::uint64_t body_size = 0, Headers trailers = {}) {
  const BodySummary summary = summary_of(r.body);
  return {std::move(r), std::move(trailers), head_size, body_size, summary};
}

Response response(int status, std::string reason, Headers headers, std::string body = {},
                  Version version = Version::kHttp11) {
  return Response{version, status, std::move(reason), std::move(headers), Body(std::move(body))};
}

// The lab's first request (frame 254 of the capture, Chrome on Windows).
const std::string kLabGetHead =
    "GET / HTTP/1.1\r\n"
    "Host: 10.130.197.105:24\r\n"
    "Connection: keep-alive\r\n"
    "Upgrade-Insecure-Requests: 1\r\n"
    "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/107.0.0.0 Safari/537.36\r\n"
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
    "Accept-Encoding: gzip, deflate\r\n"
    "Accept-Language: zh-CN,zh;q=0.9\r\n"
    "\r\n";

Request lab_get() {
  return Request{"GET",
                 "/",
                 Version::kHttp11,
                 Headers{{"Host", "10.130.197.105:24"},
                         {"Connection", "keep-alive"},
                         {"Upgrade-Insecure-Requests", "1"},
                         {"User-Agent",
                          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                          "Chrome/107.0.0.0 Safari/537.36"},
                         {"Accept",
                          "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
                         {"Accept-Encoding", "gzip, deflate"},
                         {"Accept-Language", "zh-CN,zh;q=0.9"}},
                 Body{}};
}

}  // namespace

TEST_CASE("a browser GET parses the same however it is split", "[http][parser]") {
  check_requests(kLabGetHead, {{parsed(lab_get(), kLabGetHead.size())}, std::nullopt});
}

TEST_CASE("a request with a Content-Length body", "[http][parser]") {
  const std::string in = "POST /form?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world";
  Request r{"POST", "/form?x=1", Version::kHttp11, Headers{{"Host", "a"}, {"Content-Length", "11"}},
            Body("hello world"s)};
  check_requests(in, {{parsed(r, in.size() - 11, 11)}, std::nullopt});
}

TEST_CASE("a chunked request with extensions and trailers", "[http][parser][chunked]") {
  const std::string head = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string body = "5;name=val\r\nhello\r\n6 ; a=\"q;\\\"x\" ;b\r\n world\r\n0\r\nChecksum: abc\r\n\r\n";
  Request r{"POST", "/up", Version::kHttp11, Headers{{"Host", "a"}, {"Transfer-Encoding", "chunked"}},
            Body("hello world"s)};
  check_requests(head + body, {{parsed(r, head.size(), body.size(), Headers{{"Checksum", "abc"}})}, std::nullopt});
}

TEST_CASE("pipelined requests come out in order", "[http][parser][pipeline]") {
  const std::string a = "GET /Myhead.jpg HTTP/1.1\r\nHost: s\r\n\r\n";
  const std::string b = "POST /p HTTP/1.1\r\nHost: s\r\nContent-Length: 3\r\n\r\nxyz";
  const std::string c = "HEAD /background.png HTTP/1.0\r\n\r\n";
  Request ra{"GET", "/Myhead.jpg", Version::kHttp11, Headers{{"Host", "s"}}, Body{}};
  Request rb{"POST", "/p", Version::kHttp11, Headers{{"Host", "s"}, {"Content-Length", "3"}}, Body("xyz"s)};
  Request rc{"HEAD", "/background.png", Version::kHttp10, Headers{}, Body{}};
  check_requests(a + b + c,
                 {{parsed(ra, a.size()), parsed(rb, b.size() - 3, 3), parsed(rc, c.size())}, std::nullopt});
}

TEST_CASE("bare LF line ends and empty lines before a request are accepted", "[http][parser]") {
  // RFC 9112 §2.2: a recipient may accept LF alone and should ignore
  // empty lines before the request-line (here after a POST body).
  const std::string in = "\r\n\nGET /a HTTP/1.1\nHost: x\n\n";
  Request r{"GET", "/a", Version::kHttp11, Headers{{"Host", "x"}}, Body{}};
  check_requests(in, {{parsed(r, in.size() - 3)}, std::nullopt});
}

TEST_CASE("header values lose surrounding whitespace and keep their case", "[http][parser][headers]") {
  const std::string in = "GET / HTTP/1.1\r\nhOsT:\t  a.example \t\r\nX-Empty:\r\nX-Obs: caf\xc3\xa9\r\n\r\n";
  const Outcome<Request> out = run_requests(Pieces{in});
  REQUIRE(out.messages.size() == 1);
  const Headers& h = out.messages[0].message.headers;
  CHECK(h == Headers{{"hOsT", "a.example"}, {"X-Empty", ""}, {"X-Obs", "caf\xc3\xa9"}});
  CHECK(h.get("host") == "a.example");
}

TEST_CASE("a response with Content-Length, then one to HEAD, pipelined", "[http][parser][pipeline]") {
  const std::string page = "<html>lab</html>\n";
  const std::string a = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 17\r\n\r\n" + page;
  const std::string b = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 47981\r\n\r\n";
  const std::string c = "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno";
  check_responses(a + b + c, {"GET", "HEAD", "GET"},
                  {{parsed(response(200, "OK", {{"Content-Type", "text/html"}, {"Content-Length", "17"}}, page),
                           a.size() - page.size(), page.size()),
                    parsed(response(200, "OK", {{"Content-Type", "image/png"}, {"Content-Length", "47981"}}), b.size()),
                    parsed(response(404, "Not Found", {{"Content-Length", "2"}}, "no"), c.size() - 2, 2)},
                   std::nullopt});
}

TEST_CASE("a response expected without its body is digested, not stored", "[http][parser][digest]") {
  // Content-Length, chunked and until-close bodies, pipelined behind one
  // kept response: the one not kept has an empty body, the same summary
  // (size, XXH3) and wire size as if it had been kept, however it is cut.
  std::string image(3000, '\0');
  for (std::size_t i = 0; i < image.size(); ++i) image[i] = static_cast<char>((i * 7 + i / 256) & 0xff);
  const std::string chunked_body = "1f4\r\n" + image.substr(0, 500) + "\r\n9c4\r\n" + image.substr(500) + "\r\n0\r\n\r\n";
  const std::string kept = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  const std::pair<std::string, std::string> cases[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + image, "length"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body, "chunked"},
      {"HTTP/1.0 200 OK\r\n\r\n" + image, "until close"},
  };
  for (const auto& [second, what] : cases) {
    INFO(what);
    const std::string input = kept + second;
    const auto run = [&](const Pieces& pieces) {
      ResponseParser p;
      p.expect("GET");
      p.expect("GET", false);
      std::vector<Parsed<Response>> out;
      for (const std::string_view piece : pieces) {
        p.feed(piece);
        CHECK(p.current_body().size() <= 5);  // the image is never in it
        while (auto r = p.next()) out.push_back(std::move(*r));
      }
      p.finish();
      while (auto r = p.next()) out.push_back(std::move(*r));
      CHECK(!p.error());
      return out;
    };
    const std::vector<Parsed<Response>> whole = run(Pieces{input});
    REQUIRE(whole.size() == 2);
    CHECK(whole[0].message.body.view() == "hello");
    CHECK(whole[0].summary == BodySummary{5, body_digest("hello")});
    CHECK(whole[1].message.body.empty());
    CHECK(whole[1].summary == BodySummary{image.size(), body_digest(image)});
    CHECK(whole[1].body_size == second.size() - second.find("\r\n\r\n") - 4);
    for (std::size_t i = 0; i <= input.size(); i += 97) {
      INFO("split at " << i);
      CHECK(run(Pieces{input.substr(0, i), input.substr(i)}) == whole);
    }
  }
}

TEST_CASE("a chunked response with trailers", "[http][parser][chunked]") {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
  const std::string body = "4\r\nWiki\r\n6;ext\r\npedia \r\n00E\r\nin \r\n\r\nchunks.\r\n000\r\nA: 1\r\nB: 2\r\n\r\n";
  check_responses(head + body, {"GET"},
                  {{parsed(response(200, "OK", {{"Transfer-Encoding", "gzip, chunked"}}, "Wikipedia in \r\n\r\nchunks."),
                           head.size(), body.size(), Headers{{"A", "1"}, {"B", "2"}})},
                   std::nullopt});
}

TEST_CASE("multi-megabyte bodies in segment-sized pieces", "[http][parser]") {
  std::string file(5'000'000, '\0');
  for (std::size_t i = 0; i < file.size(); ++i) file[i] = static_cast<char>(i * 7 % 251);
  std::string chunked;
  for (std::size_t i = 0; i < file.size(); i += 4096) {
    const std::string_view part = std::string_view{file}.substr(i, 4096);
    chunked += fmt::format("{:x}\r\n", part.size()) + std::string(part) + "\r\n";
  }
  const std::string stream = "HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\n" + file +
                             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + "0\r\n\r\n";
  Pieces segments;
  for (std::size_t i = 0; i < stream.size(); i += 1460) segments.push_back(std::string_view{stream}.substr(i, 1460));
  const Outcome<Response> out = run_responses(segments, {"GET", "GET"});
  CHECK_FALSE(out.error);
  REQUIRE(out.messages.size() == 2);
  CHECK(out.messages[0].message.body.view() == file);
  CHECK(out.messages[1].message.body.view() == file);
  CHECK(out.messages[1].body_size == chunked.size() + 5);
}

TEST_CASE("1xx, 204 and 304 responses have no body", "[http][parser]") {
  // 100 is interim: it does not answer the GET; 304 ignores its Content-Length.
  const std::string a = "HTTP/1.1 100 Continue\r\n\r\n";
  const std::string b = "HTTP/1.1 204 No Content\r\n\r\n";
  const std::string c = "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nContent-Length: 500\r\n\r\n";
  const std::string d = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n!";
  check_responses(a + b + c + d, {"GET", "GET", "GET"},
                  {{parsed(response(100, "Continue", {}), a.size()), parsed(response(204, "No Content", {}), b.size()),
                    parsed(response(304, "Not Modified", {{"ETag", "\"x\""}, {"Content-Length", "500"}}), c.size()),
                    parsed(response(200, "OK", {{"Content-Length", "1"}}, "!"), d.size() - 1, 1)},
                   std::nullopt});
}

TEST_CASE("a response without length is read until the connection closes", "[http][parser][close]") {
  const std::string head = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n";
  const std::string body = "HTTP/1.1 200 OK\r\n\r\nnot a second response";
  check_responses(head + body, {"GET"},
                  {{parsed(response(200, "OK", {{"Content-Type", "text/plain"}}, body, Version::kHttp10), head.size(),
                           body.size())},
                   std::nullopt},
                  true);
  // Without the close it is not complete yet, and not an error.
  const Outcome<Response> open = run_responses(Pieces{head + body}, {"GET"});
  CHECK(open.messages.empty());
  CHECK_FALSE(open.error);
}

TEST_CASE("reason phrases may be empty or missing", "[http][parser]") {
  const std::string in = "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\nHTTP/1.1 299\r\nContent-Length: 0\r\n\r\n";
  const Outcome<Response> out = run_responses(Pieces{in}, {"GET", "GET"});
  REQUIRE(out.messages.size() == 2);
  CHECK(out.messages[0].message.reason.empty());
  CHECK(out.messages[1].message.status == 299);
  CHECK_FALSE(out.error);
}

TEST_CASE("the response in progress is visible with its body so far", "[http][parser]") {
  ResponseParser p;
  p.expect("GET");
  CHECK(p.current() == nullptr);
  CHECK(p.awaiting() == 1);
  p.feed("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n");
  CHECK(p.current() == nullptr);
  CHECK(p.in_message());
  p.feed("\r\n<html");
  REQUIRE(p.current() != nullptr);
  CHECK(p.current()->status == 200);
  CHECK(p.current_body() == "<html");
  CHECK(p.awaiting() == 0);
  p.feed("></htm");
  CHECK(p.current_body() == "<html></htm");
  CHECK_FALSE(p.next());
  p.feed("l>");
  CHECK(p.current() == nullptr);
  CHECK_FALSE(p.in_message());
  const std::optional<Parsed<Response>> r = p.next();
  REQUIRE(r);
  CHECK(r->message.body.view() == "<html></html>");
}

TEST_CASE("end of input between messages is not an error", "[http][parser][close]") {
  RequestParser p;
  p.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n");
  p.finish();
  CHECK_FALSE(p.error());
  CHECK(p.next());
}

TEST_CASE("end of input inside a message is kIncomplete", "[http][parser][close][error]") {
  for (const std::string& in : {"G"s, "GET / HTTP/1.1\r\nHost: a\r\n"s, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabc"s,
                               "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n"s}) {
    INFO(in);
    CHECK(run_requests(Pieces{in}, true).error == ParseError::kIncomplete);
  }
  CHECK(run_responses(Pieces{"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab"}, {"GET"}, true).error ==
        ParseError::kIncomplete);
}

TEST_CASE("messages before an error stay available, later input is ignored", "[http][parser][error]") {
  RequestParser p;
  p.feed("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost a\r\n\r\n");
  p.feed("GET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
  CHECK(p.error() == ParseError::kBadHeader);
  const std::optional<Parsed<Request>> first = p.next();
  REQUIRE(first);
  CHECK(first->message.target == "/1");
  CHECK_FALSE(p.next());
}

// One test per malformed input, each giving its specific error.

TEST_CASE("malformed request lines", "[http][parser][error]") {
  CHECK(request_error("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == ParseError::kBadRequestLine);
  CHECK(request_error("GET /\r\n\r\n") == ParseError::kBadRequestLine);  // HTTP/0.9
  CHECK(request_error("G(T / HTTP/1.1\r\nHost: a\r\n\r\n") == ParseError::kBadRequestLine);
  CHECK(request_error("GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n") == ParseError::kBadRequestLine);
  CHECK(request_error("GET / FTP/1.1\r\nHost: a\r\n\r\n") == ParseError::kBadRequestLine);
  CHECK(request_error("GET / HTTP/1.1 x\r\nHost: a\r\n\r\n") == ParseError::kBadRequestLine);
  CHECK(request_error("GET / HTTP/1.1\rHost: a\r\n\r\n") == ParseError::kBadRequestLine);  // bare CR
  CHECK(request_error("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"s) == ParseError::kBadRequestLine);  // TLS
}

TEST_CASE("malformed and unsupported versions", "[http][parser][error]") {
  CHECK(request_error("GET / HTTP/1.10\r\n\r\n") == ParseError::kBadVersion);
  CHECK(request_error("GET / HTTP/11\r\n\r\n") == ParseError::kBadVersion);
  CHECK(request_error("GET / HTTP/1.x\r\n\r\n") == ParseError::kBadVersion);
  CHECK(request_error("GET / HTTP/2.0\r\n\r\n") == ParseError::kUnsupportedVersion);
  CHECK(response_error("HTTP/1 200 OK\r\n\r\n") == ParseError::kBadVersion);
  CHECK(response_error("HTTP/3.0 200 OK\r\n\r\n") == ParseError::kUnsupportedVersion);
}

TEST_CASE("a higher HTTP/1 minor version reads as HTTP/1.1", "[http][parser]") {
  const Outcome<Request> out = run_requests(Pieces{"GET / HTTP/1.2\r\nHost: a\r\n\r\n"});
  REQUIRE(out.messages.size() == 1);
  CHECK(out.messages[0].message.version == Version::kHttp11);
}

TEST_CASE("malformed status lines", "[http][parser][error]") {
  CHECK(response_error("HTTP/1.1 2000 OK\r\n\r\n") == ParseError::kBadStatusLine);
  CHECK(response_error("HTTP/1.1 OK\r\n\r\n") == ParseError::kBadStatusLine);
  CHECK(response_error("HTTP/1.1 099 Low\r\n\r\n") == ParseError::kBadStatusLine);
  CHECK(response_error("HTTP/1.1 600 High\r\n\r\n") == ParseError::kBadStatusLine);
  CHECK(response_error("ICY 200 OK\r\n\r\n") == ParseError::kBadStatusLine);
  CHECK(response_error("HTTP/1.1\r\n\r\n") == ParseError::kBadStatusLine);
  CHECK(response_error("HTTP/1.1 200 O\x7fK\r\n\r\n") == ParseError::kBadStatusLine);
}

TEST_CASE("an HTTP/1.1 request needs exactly one Host", "[http][parser][error]") {
  CHECK(request_error("GET / HTTP/1.1\r\n\r\n") == ParseError::kBadHost);
  CHECK(request_error("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == ParseError::kBadHost);
  CHECK_FALSE(run_requests(Pieces{"GET / HTTP/1.0\r\n\r\n"}).error);
}

TEST_CASE("malformed field lines", "[http][parser][error]") {
  CHECK(request_error("GET / HTTP/1.1\r\nHost a\r\n\r\n") == ParseError::kBadHeader);
  CHECK(request_error("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == ParseError::kBadHeader);
  CHECK(request_error("GET / HTTP/1.1\r\n: a\r\n\r\n") == ParseError::kBadHeader);
  CHECK(request_error("GET / HTTP/1.1\r\nX@Y: a\r\n\r\n") == ParseError::kBadHeader);
  CHECK(request_error("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n"s) == ParseError::kBadHeader);
  CHECK(request_error("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n") == ParseError::kBadHeader);  // bare CR
  // Whitespace right after the start line (RFC 9112 §2.2).
  CHECK(request_error("GET / HTTP/1.1\r\n Host: a\r\n\r\n") == ParseError::kBadHeader);
}

TEST_CASE("obsolete line folding is rejected", "[http][parser][error]") {
  CHECK(request_error("GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n  two\r\n\r\n") == ParseError::kObsFold);
  CHECK(response_error("HTTP/1.1 200 OK\r\nX: a\r\n\tb\r\n\r\n") == ParseError::kObsFold);
}

TEST_CASE("header limits: line length, count, total bytes, start line", "[http][parser][error][limits]") {
  ParserLimits limits;
  limits.max_start_line = 20;
  limits.max_header_line = 16;
  limits.max_header_count = 3;
  limits.max_header_bytes = 33;
  const auto req = [&](std::string_view in) { return request_error(in, limits); };
  CHECK(req("GET /0123456789abc HTTP/1.1\r\n") == ParseError::kStartLineTooLong);
  CHECK(req("GET /01234567890123456789") == ParseError::kStartLineTooLong);  // no line end needed
  CHECK(req("GET / HTTP/1.1\r\nHost: a\r\nX-Long: 0123456789\r\n\r\n") == ParseError::kHeaderLineTooLong);
  CHECK(req("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n") == ParseError::kTooManyHeaders);
  CHECK(req("GET / HTTP/1.1\r\nHost: a\r\nA: 01234567\r\nB: 0123456\r\n\r\n") == ParseError::kHeadersTooLarge);
  // Exactly at the limits is fine: 20-byte line, 16-byte field line, 3 fields, 33 bytes.
  const Outcome<Request> ok =
      run_requests(Pieces{"GET /234567 HTTP/1.1\r\nHost: a\r\nA: 0123456789012\r\nB: 0\r\n\r\n"}, false, limits);
  CHECK_FALSE(ok.error);
  CHECK(ok.messages.size() == 1);
}

TEST_CASE("malformed Content-Length", "[http][parser][error][length]") {
  for (const char* value : {"abc", "-1", "+5", "1 2", "0x10", "", " , "}) {
    INFO(value);
    CHECK(request_error("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "s + value + "\r\n\r\n") ==
          ParseError::kBadContentLength);
  }
  CHECK(response_error("HTTP/1.1 200 OK\r\nContent-Length: 1.5\r\n\r\n") == ParseError::kBadContentLength);
}

TEST_CASE("conflicting Content-Length values", "[http][parser][error][length]") {
  CHECK(request_error("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n") ==
        ParseError::kConflictingContentLength);
  CHECK(request_error("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n") ==
        ParseError::kConflictingContentLength);
  // Identical values are one length (RFC 9110 §8.6).
  const Outcome<Request> ok =
      run_requests(Pieces{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc"});
  CHECK_FALSE(ok.error);
  REQUIRE(ok.messages.size() == 1);
  CHECK(ok.messages[0].message.body.view() == "abc");
}

TEST_CASE("invalid Transfer-Encoding", "[http][parser][error][chunked]") {
  const auto req = [](const std::string& te, const char* version = "HTTP/1.1") {
    return request_error("POST / "s + version + "\r\nHost: a\r\nTransfer-Encoding: " + te + "\r\n\r\n");
  };
  CHECK(req("gzip") == ParseError::kBadTransferEncoding);  // request not ending in chunked
  CHECK(req("chunked, chunked") == ParseError::kBadTransferEncoding);
  CHECK(req("chunked, gzip") == ParseError::kBadTransferEncoding);
  CHECK(req("") == ParseError::kBadTransferEncoding);
  CHECK(req("chunked", "HTTP/1.0") == ParseError::kBadTransferEncoding);
  CHECK(req("gzip, chunked") == ParseError::kUnsupportedTransferEncoding);
  CHECK(response_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n") ==
        ParseError::kBadTransferEncoding);
}

TEST_CASE("Content-Length together with Transfer-Encoding", "[http][parser][error][chunked]") {
  CHECK(request_error("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n") ==
        ParseError::kLengthAndTransferEncoding);
  CHECK(response_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n") ==
        ParseError::kLengthAndTransferEncoding);
}

TEST_CASE("a response with a transfer coding other than chunked is read until close", "[http][parser][close]") {
  const Outcome<Response> out =
      run_responses(Pieces{"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b"}, {"GET"}, true);
  CHECK_FALSE(out.error);
  REQUIRE(out.messages.size() == 1);
  CHECK(out.messages[0].message.body.view() == "\x1f\x8b");
}

TEST_CASE("malformed chunk sizes", "[http][parser][error][chunked]") {
  const std::string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const char* line : {"zz", "", " 5", "-5", "5;", "5 x", "5;a=", "5;a=\"open", "5;=b", "10000000000000000"}) {
    INFO(line);
    CHECK(request_error(head + line + "\r\n") == ParseError::kBadChunkSize);
  }
  ParserLimits limits;
  limits.max_header_line = 26;  // "Transfer-Encoding: chunked"
  CHECK(request_error(head + "5;" + std::string(25, 'a'), limits) == ParseError::kBadChunkSize);
}

TEST_CASE("chunk data not followed by CRLF", "[http][parser][error][chunked]") {
  const std::string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(request_error(head + "5\r\nhelloX\r\n0\r\n\r\n") == ParseError::kBadChunk);
  CHECK(request_error(head + "5\r\nhello\r\r\n0\r\n\r\n") == ParseError::kBadChunk);
}

TEST_CASE("malformed trailers give the header errors", "[http][parser][error][chunked]") {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n";
  CHECK(response_error(head + "A: 1\r\n b\r\n\r\n") == ParseError::kObsFold);
  CHECK(response_error(head + "A 1\r\n\r\n") == ParseError::kBadHeader);
}

TEST_CASE("bodies over the limit", "[http][parser][error][limits]") {
  ParserLimits limits;
  limits.max_body = 8;
  CHECK(request_error("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\n", limits) == ParseError::kBodyTooLarge);
  CHECK(request_error("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n") ==
        ParseError::kBodyTooLarge);
  CHECK(request_error("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n4\r\n", limits) ==
        ParseError::kBodyTooLarge);
  CHECK(request_error("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n") ==
        ParseError::kBodyTooLarge);
  CHECK(response_error("HTTP/1.1 200 OK\r\n\r\n0123456789", "GET", false, limits) == ParseError::kBodyTooLarge);
  // Exactly at the limit is fine.
  const Outcome<Request> ok =
      run_requests(Pieces{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\n01234567"}, false, limits);
  CHECK_FALSE(ok.error);
  CHECK(ok.messages.size() == 1);
}

TEST_CASE("the status a server answers for each error", "[http][parser][error]") {
  CHECK(response_status(ParseError::kBadRequestLine) == 400);
  CHECK(response_status(ParseError::kBadHost) == 400);
  CHECK(response_status(ParseError::kObsFold) == 400);
  CHECK(response_status(ParseError::kStartLineTooLong) == 414);
  CHECK(response_status(ParseError::kHeaderLineTooLong) == 431);
  CHECK(response_status(ParseError::kTooManyHeaders) == 431);
  CHECK(response_status(ParseError::kHeadersTooLarge) == 431);
  CHECK(response_status(ParseError::kBodyTooLarge) == 413);
  CHECK(response_status(ParseError::kUnsupportedTransferEncoding) == 501);
  CHECK(response_status(ParseError::kUnsupportedVersion) == 505);
  CHECK(std::string(to_string(ParseError::kObsFold)) == "obsolete line folding in a field line");
}

TEST_CASE("garbage and damaged messages end cleanly, the same however split", "[http][parser][fuzz]") {
  // Deterministic damage: random bytes, and valid messages with bytes
  // overwritten. Either complete messages, an error, or waiting for more;
  // never a crash, and always the same outcome for one feed and for bytes.
  wiresim::Rng rng = wiresim::Rng::stream(1, "http/parser/fuzz");
  const std::string valid = kLabGetHead + "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\nT: 1\r\n\r\n";
  const std::string valid_response =
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n";
  for (int round = 0; round < 300; ++round) {
    std::string in = round % 3 == 0 ? std::string(rng.uniform_below(200), '\0') : (round % 3 == 1 ? valid : valid_response);
    const std::size_t damage = round % 3 == 0 ? in.size() : 1 + rng.uniform_below(4);
    for (std::size_t k = 0; k < damage && !in.empty(); ++k) {
      const std::string_view alphabet = "\r\n :;0aZ\"\t\x01\xff";
      const bool from_alphabet = rng.uniform_below(2) == 0;
      in[round % 3 == 0 ? k : rng.uniform_below(in.size())] =
          from_alphabet ? alphabet[rng.uniform_below(alphabet.size())] : static_cast<char>(rng.uniform_below(256));
    }
    Pieces bytes;
    for (std::size_t i = 0; i < in.size(); ++i) bytes.push_back(std::string_view{in}.substr(i, 1));
    INFO("round " << round);
    for (const bool finish : {false, true}) {
      REQUIRE(run_requests(Pieces{in}, finish) == run_requests(bytes, finish));
      REQUIRE(run_responses(Pieces{in}, {"GET", "GET"}, finish) == run_responses(bytes, {"GET", "GET"}, finish));
    }
  }
}
