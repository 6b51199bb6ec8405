// HttpServer through a real TcpStack pair: exact responses on the wire,
// connection handling (keep-alive, close, HTTP/1.0, pipelining, the idle
// timeout), backpressure with large bodies, and the processing delay.

#include <catch2/catch.hpp>

#include <string>

#include "http_world.hpp"
#include "wiresim/core/rng.hpp"
#include "wiresim/http/parser.hpp"
#include "wiresim/http/writer.hpp"
#include "wiresim/wire/tcp.hpp"

using namespace wiresim;
using namespace wiresim::http;
using namespace wiresim::http::test;
using namespace wiresim::literals;

namespace {

constexpr const char* kDate = "Date: Wed, 25 Oct 2023 14:30:00 GMT\r\n";
constexpr const char* kLastModifiedField = "Last-Modified: Fri, 20 Oct 2023 08:00:00 GMT\r\n";

std::string get_request(const std::string& target, const std::string& extra = {}) {
  return "GET " + target + " HTTP/1.1\r\nHost: 10.130.197.105\r\n" + extra + "\r\n";
}

/// The head a 200 for site file `name` has (the HTTP/1.1 defaults).
std::string ok_head(const std::string& name, const std::string& type, const std::string& extra = {}) {
  const std::string bytes = lab_file(name);
  return "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + std::to_string(bytes.size()) +
         "\r\n" + kLastModifiedField + "ETag: " + strong_etag(bytes) + "\r\nServer: Microsoft-IIS/10.0\r\n" + kDate +
         extra + "\r\n";
}

/// make_error_response()'s page for `status`.
std::string error_body(int status) { return std::string(make_error_response(status).body.view()); }

std::string error_response(int status, const std::string& fields) {
  const std::string body = error_body(status);
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) +
         "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         fields + "\r\n" + body;
}

/// Sends `request` on a new connection and returns everything received
/// within `wait`.
std::string round_trip(HttpWorld& w, const std::string& request, Duration wait = 1_s) {
  RawClient c(w);
  c.connect(80, request);
  w.run_all(wait);
  return c.received;
}

/// Responses to `methods.size()` requests, parsed from `bytes`.
std::vector<Response> parse_responses(const std::string& bytes, const std::vector<std::string>& methods) {
  ResponseParser p;
  for (const std::string& m : methods) p.expect(m);
  p.feed(bytes);
  std::vector<Response> out;
  while (auto r = p.next()) out.push_back(r->message);
  REQUIRE_FALSE(p.error());
  return out;
}

/// Segments the server sent with `flag`, in order.
std::vector<WireSegment> server_segments(const HttpWorld& w, std::uint8_t flag) {
  std::vector<WireSegment> out;
  for (const WireSegment& s : w.wire_log.segments) {
    if (!s.to_server && (s.flags & flag) != 0) out.push_back(s);
  }
  return out;
}

/// The last server segment carrying data.
std::optional<WireSegment> last_server_data(const HttpWorld& w) {
  std::optional<WireSegment> last;
  for (const WireSegment& s : w.wire_log.segments) {
    if (!s.to_server && s.payload > 0 && !s.dropped) last = s;
  }
  return last;
}

}  // namespace

TEST_CASE("GET of the lab page: exact status line, fields and body", "[http][server]") {
  HttpWorld w;
  HttpServer& server = w.add_server();
  CHECK(round_trip(w, get_request("/")) == ok_head("index.html", "text/html; charset=utf-8") + lab_file("index.html"));
  CHECK(server.stats().requests == 1);
  CHECK(server.stats().responses(200) == 1);
  CHECK(server.stats().body_bytes_sent == lab_file("index.html").size());
}

TEST_CASE("GET of the images sends the files' real bytes", "[http][server]") {
  HttpWorld w;
  w.add_server();
  CHECK(round_trip(w, get_request("/Myhead.jpg")) == ok_head("Myhead.jpg", "image/jpeg") + lab_file("Myhead.jpg"));
  HttpWorld w2;
  w2.add_server();
  CHECK(round_trip(w2, get_request("/background.png")) == ok_head("background.png", "image/png") + lab_file("background.png"));
}

TEST_CASE("HEAD gets the GET head and no body, the connection stays open", "[http][server]") {
  HttpWorld w;
  w.add_server();
  RawClient c(w);
  c.connect(80, "HEAD /Myhead.jpg HTTP/1.1\r\nHost: x\r\n\r\n");
  w.run_all(1_s);
  CHECK(c.received == ok_head("Myhead.jpg", "image/jpeg"));
  CHECK_FALSE(c.peer_fin_at);
}

TEST_CASE("304 for a matching If-None-Match or a current If-Modified-Since", "[http][server]") {
  const std::string etag = strong_etag(lab_file("index.html"));
  const std::string expected = "HTTP/1.1 304 Not Modified\r\n" + std::string(kLastModifiedField) + "ETag: " + etag +
                               "\r\nServer: Microsoft-IIS/10.0\r\n" + kDate + "\r\n";
  SECTION("If-None-Match") {
    HttpWorld w;
    HttpServer& server = w.add_server();
    CHECK(round_trip(w, get_request("/", "If-None-Match: " + etag + "\r\n")) == expected);
    CHECK(server.stats().responses(304) == 1);
  }
  SECTION("If-Modified-Since") {
    HttpWorld w;
    w.add_server();
    CHECK(round_trip(w, get_request("/", "If-Modified-Since: Fri, 20 Oct 2023 08:00:00 GMT\r\n")) == expected);
  }
  SECTION("an outdated copy gets the file") {
    HttpWorld w;
    w.add_server();
    const std::string r = round_trip(w, get_request("/", "If-None-Match: \"0000000000000000\"\r\n"));
    CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  }
}

TEST_CASE("404 for a missing file, 403 for '..', 400 for a bad target", "[http][server]") {
  const std::string fields = std::string("Server: Microsoft-IIS/10.0\r\n") + kDate;
  {
    HttpWorld w;
    HttpServer& server = w.add_server();
    CHECK(round_trip(w, get_request("/favicon.ico")) == error_response(404, fields));
    CHECK(server.stats().responses(404) == 1);
  }
  {
    HttpWorld w;
    w.add_server();
    CHECK(round_trip(w, get_request("/a/../../etc/passwd")) == error_response(403, fields));
  }
  {
    HttpWorld w;
    w.add_server();
    CHECK(round_trip(w, get_request("/bad%zz")) == error_response(400, fields));
  }
}

TEST_CASE("HEAD of a missing file: the 404 head only", "[http][server]") {
  HttpWorld w;
  w.add_server();
  const std::string full = error_response(404, std::string("Server: Microsoft-IIS/10.0\r\n") + kDate);
  CHECK(round_trip(w, "HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n") == full.substr(0, full.find("\r\n\r\n") + 4));
}

TEST_CASE("405 with Allow for other methods, the connection stays usable", "[http][server]") {
  HttpWorld w;
  HttpServer& server = w.add_server();
  const std::string post = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  const std::string r = round_trip(w, post + get_request("/Myhead.jpg"));
  const std::string expected_405 =
      error_response(405, std::string("Allow: GET, HEAD\r\nServer: Microsoft-IIS/10.0\r\n") + kDate);
  CHECK(r == expected_405 + ok_head("Myhead.jpg", "image/jpeg") + lab_file("Myhead.jpg"));
  CHECK(server.stats().responses(405) == 1);
  CHECK(server.stats().responses(200) == 1);
}

TEST_CASE("400 on a malformed request, then the server closes", "[http][server]") {
  HttpWorld w;
  HttpServer& server = w.add_server();
  RawClient c(w);
  c.connect(80, "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
  w.run_all(1_s);
  const std::string fields = std::string("Server: Microsoft-IIS/10.0\r\n") + kDate + "Connection: close\r\n";
  CHECK(c.received == error_response(400, fields));
  REQUIRE(c.peer_fin_at);
  CHECK(server.stats().parse_errors == 1);
  CHECK(server.stats().responses(400) == 1);
  // The server's FIN leaves with (or right after) the response: it closes first.
  const auto fins = server_segments(w, wire::kFin);
  REQUIRE(fins.size() == 1);
  CHECK(fins[0].at == last_server_data(w)->at);
  CHECK(c.closed);
}

TEST_CASE("505 for HTTP/2.0 on the request line, then close", "[http][server]") {
  HttpWorld w;
  w.add_server();
  RawClient c(w);
  c.connect(80, "GET / HTTP/2.0\r\nHost: x\r\n\r\n");
  w.run_all(1_s);
  const std::string fields = std::string("Server: Microsoft-IIS/10.0\r\n") + kDate + "Connection: close\r\n";
  CHECK(c.received == error_response(505, fields));
  CHECK(c.peer_fin_at);
}

TEST_CASE("pipelined requests are answered in order on one connection", "[http][server]") {
  HttpWorld w;
  HttpServer& server = w.add_server();
  RawClient c(w);
  c.connect(80, get_request("/Myhead.jpg") + get_request("/nope") + "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + get_request("/"));
  w.run_all(1_s);
  const auto responses = parse_responses(c.received, {"GET", "GET", "HEAD", "GET"});
  REQUIRE(responses.size() == 4);
  CHECK(responses[0].status == 200);
  CHECK(responses[0].body.view() == lab_file("Myhead.jpg"));
  CHECK(responses[1].status == 404);
  CHECK(responses[2].status == 200);
  CHECK(responses[2].body.empty());
  CHECK(responses[3].body.view() == lab_file("index.html"));
  CHECK(server.stats().requests == 4);
  CHECK(server.stats().connections_accepted == 1);
  CHECK_FALSE(c.peer_fin_at);
}

TEST_CASE("the keep-alive timeout: the server closes first, exactly that long after its last response",
          "[http][server]") {
  const Duration timeout = GENERATE(5_s, 1500_ms);
  HttpWorld w;
  HttpServerConfig config;
  config.keep_alive_timeout = timeout;
  HttpServer& server = w.add_server(config);
  RawClient c(w);
  c.connect(80, get_request("/nope"));
  c.send_at(Time::zero() + 1_s, get_request("/"));  // a second request restarts the idle time
  w.run_all(30_s);
  const auto fins = server_segments(w, wire::kFin);
  REQUIRE(fins.size() == 1);
  const std::optional<WireSegment> last = last_server_data(w);
  REQUIRE(last);
  CHECK(fins[0].at - last->at == timeout);
  CHECK(fins[0].payload == 0);
  // The client's FIN follows the server's: the server closed first.
  REQUIRE(c.peer_fin_at);
  CHECK(server.stats().keep_alive_timeouts == 1);
  CHECK(c.closed);
}

TEST_CASE("a connection that never sends a request is closed after the timeout too", "[http][server]") {
  HttpWorld w;
  w.add_server();
  RawClient c(w);
  c.connect(80);
  w.run_all(30_s);
  REQUIRE(c.connected_at);
  REQUIRE(c.peer_fin_at);
  const auto fins = server_segments(w, wire::kFin);
  REQUIRE(fins.size() == 1);
  // Accepted when the client's ACK of the SYN,ACK arrived: 54 bytes at
  // 100 Mbit/s and 2 ms after connected_at.
  CHECK(fins[0].at == *c.connected_at + DataRate::mbps(100).transmission_time(54) + 2_ms + 5_s);
}

TEST_CASE("Connection: close is honoured", "[http][server]") {
  HttpWorld w;
  w.add_server();
  RawClient c(w);
  c.connect(80, get_request("/", "Connection: close\r\n") + get_request("/Myhead.jpg"));
  w.run_all(1_s);
  CHECK(c.received == ok_head("index.html", "text/html; charset=utf-8", "Connection: close\r\n") +
                          lab_file("index.html"));
  REQUIRE(c.peer_fin_at);
  CHECK(server_segments(w, wire::kFin).size() == 1);
}

TEST_CASE("HTTP/1.0: close after the response unless keep-alive is asked", "[http][server]") {
  SECTION("plain HTTP/1.0") {
    HttpWorld w;
    w.add_server();
    RawClient c(w);
    c.connect(80, "GET / HTTP/1.0\r\n\r\n");
    w.run_all(1_s);
    CHECK(c.received == ok_head("index.html", "text/html; charset=utf-8", "Connection: close\r\n") +
                            lab_file("index.html"));
    CHECK(c.peer_fin_at);
  }
  SECTION("HTTP/1.0 with keep-alive") {
    HttpWorld w;
    w.add_server();
    RawClient c(w);
    c.connect(80, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    w.run_all(1_s);
    CHECK(c.received == ok_head("index.html", "text/html; charset=utf-8", "Connection: keep-alive\r\n") +
                            lab_file("index.html"));
    CHECK_FALSE(c.peer_fin_at);
  }
}

TEST_CASE("keep_alive_timeout 0: every response closes the connection", "[http][server]") {
  HttpWorld w;
  HttpServerConfig config;
  config.keep_alive_timeout = Duration::zero();
  w.add_server(config);
  RawClient c(w);
  c.connect(80, get_request("/Myhead.jpg"));
  w.run_all(1_s);
  CHECK(c.received == ok_head("Myhead.jpg", "image/jpeg", "Connection: close\r\n") + lab_file("Myhead.jpg"));
  CHECK(c.peer_fin_at);
}

TEST_CASE("nginx, keepalive_timeout 0: sent under TCP_CORK, the FIN rides on the last data segment",
          "[http][server][nginx][cork]") {
  // tcp_nopush holds the partial tail; close() finds it unsent and
  // tcp_send_fin puts the FIN on it: the response ends in one segment
  // with data and FIN. Kept alive, the uncork sends the same tail alone.
  for (const bool keep_alive : {false, true}) {
    const std::string variant = keep_alive ? "keep-alive" : "keepalive_timeout 0";
    INFO(variant);
    HttpWorld w;
    HttpServerConfig config = nginx_server();
    if (!keep_alive) config.keep_alive_timeout = Duration::zero();
    w.add_server(config);
    RawClient c(w);
    c.connect(80, get_request("/Myhead.jpg"));
    w.run_all(1_s);
    const auto last = last_server_data(w);
    REQUIRE(last);
    CHECK(((last->flags & wire::kFin) != 0) == !keep_alive);
    const auto fins = server_segments(w, wire::kFin);
    CHECK(fins.size() == (keep_alive ? 0u : 1u));
    // Every data segment before the last is full-sized: the cork let no runt out.
    for (const WireSegment& seg : w.wire_log.segments) {
      if (!seg.to_server && seg.payload > 0 && seg.at < last->at) CHECK(seg.payload == 1460);
    }
  }
}

TEST_CASE("a configurable Server field and the processing delay", "[http][server]") {
  HttpWorldConfig wc;
  wc.to_server.rate = DataRate::infinite();  // arrival = sent + 2 ms exactly
  // The client delays its ACK of the two small responses (40 ms) past the
  // server's tail loss probe (2 SRTT + 2 ms), which would resend the second
  // one, as Linux does; this test is about when the responses first leave.
  wc.server_tcp.loss_detection = tcp::LossDetection::kDupAck;
  HttpWorld w(wc);
  HttpServerConfig config;
  config.server_name = "Apache/2.4.57";
  config.processing_delay = 25_ms;
  w.add_server(config);
  RawClient c(w);
  c.connect(80, get_request("/nope") + get_request("/nope"));
  w.run_all(1_s);
  const auto responses = parse_responses(c.received, {"GET", "GET"});
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].headers.get("Server") == "Apache/2.4.57");
  // Both requests leave in one segment and arrive 2 ms later; each
  // response goes 25 ms after the previous one.
  std::vector<WireSegment> requests;
  std::vector<Time> response_times;
  for (const WireSegment& s : w.wire_log.segments) {
    if (s.payload == 0) continue;
    if (s.to_server) requests.push_back(s);
    if (!s.to_server) response_times.push_back(s.at);
  }
  REQUIRE(requests.size() == 1);
  REQUIRE(response_times.size() == 2);
  CHECK(response_times[0] == requests[0].at + 2_ms + 25_ms);
  CHECK(response_times[1] == response_times[0] + 25_ms);
}

TEST_CASE("a multi-megabyte file through a small send buffer arrives intact", "[http][server]") {
  HttpWorldConfig wc;
  wc.server_tcp.snd_buf = 16 * 1024;
  HttpWorld w(wc);
  Site site;
  std::string big(3 * 1024 * 1024 + 17, '\0');
  Rng rng(7);
  for (char& ch : big) ch = static_cast<char>(rng.next_u64());
  site.add("/big.bin", big, kLastModified);
  HttpServer& server = w.add_server({}, site);
  RawClient c(w);
  c.connect(80, get_request("/big.bin") + get_request("/big.bin"));
  w.run_all(60_s);
  const auto responses = parse_responses(c.received, {"GET", "GET"});
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].body.view() == big);
  CHECK(responses[1].body.view() == big);
  CHECK(server.stats().body_bytes_sent == 2 * big.size());
}

TEST_CASE("the request stream ends with the client's FIN: the answers still go out", "[http][server]") {
  HttpWorld w;
  HttpServerConfig config;
  config.processing_delay = 50_ms;  // the FIN arrives while both requests wait
  w.add_server(config);
  RawClient c(w);
  c.connect(80, get_request("/nope") + get_request("/nope"));
  w.sim.schedule_at(Time::zero() + 10_ms, [&c] { c.socket.shutdown_write(); });
  w.run_all(1_s);
  CHECK(parse_responses(c.received, {"GET", "GET"}).size() == 2);
  CHECK(c.peer_fin_at);
}

TEST_CASE("stop() closes the port: new connections are refused, open ones go on", "[http][server]") {
  HttpWorld w;
  HttpServer& server = w.add_server();
  RawClient before(w);
  before.connect(80);
  w.run_all(10_ms);
  server.stop();
  CHECK_FALSE(server.listening());
  before.send(get_request("/nope"));
  RawClient after(w);
  after.connect(80, get_request("/"));
  w.run_all(1_s);
  CHECK(before.received.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
  CHECK(after.error == tcp::ConnectionError::kRefused);
  CHECK_THROWS_AS(server.start(), std::logic_error);
}

TEST_CASE("more pipelined requests than the server holds, then the client's FIN: all are answered",
          "[http][server]") {
  HttpWorld w;
  HttpServerConfig config;
  config.processing_delay = 1_ms;
  HttpServer& server = w.add_server(config);
  RawClient c(w);
  std::string requests;
  for (int i = 0; i < 40; ++i) requests += get_request("/nope");
  c.connect(80, requests);
  w.sim.schedule_at(Time::zero() + 10_ms, [&c] { c.socket.shutdown_write(); });
  w.run_all(1_s);
  CHECK(parse_responses(c.received, std::vector<std::string>(40, "GET")).size() == 40);
  CHECK(server.stats().responses(404) == 40);
  CHECK(server.stats().parse_errors == 0);
  CHECK(c.peer_fin_at);
}

TEST_CASE("Date follows simulated time on a kept-alive connection", "[http][server]") {
  HttpWorld w;
  w.add_server();  // keep-alive timeout 5 s
  RawClient c(w);
  c.connect(80, get_request("/favicon.ico"));
  c.send_at(Time::zero() + 400_ms, get_request("/favicon.ico"));   // same second: the same Date
  c.send_at(Time::zero() + 2500_ms, get_request("/favicon.ico"));  // two seconds on
  w.run_all(3_s);
  const std::vector<Response> r = parse_responses(c.received, {"GET", "GET", "GET"});
  REQUIRE(r.size() == 3);
  CHECK(r[0].headers.get("Date") == "Wed, 25 Oct 2023 14:30:00 GMT");
  CHECK(r[1].headers.get("Date") == "Wed, 25 Oct 2023 14:30:00 GMT");
  CHECK(r[2].headers.get("Date") == "Wed, 25 Oct 2023 14:30:02 GMT");
}
