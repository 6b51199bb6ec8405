// HTTP/2 (h2c with prior knowledge) between the browser and the server over
// a real TcpStack pair: the lab page on one connection, the frames each side
// sends, determinism, loss, and the error paths (a malformed frame, a
// RST_STREAM, a GOAWAY, a header list over the limit, a zero flow-control
// window). Frames are read here with a 9-byte-header walker of the test's
// own (RFC 9113 §4.1), independent of nghttp2.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "http_world.hpp"
#include "wiresim/http/digest.hpp"
#include "wiresim/http/h2/session.hpp"
#include "wiresim/http/load_priority.hpp"

using namespace wiresim;
using namespace wiresim::http;
using namespace wiresim::http::test;
using namespace wiresim::literals;

namespace {

constexpr std::uint8_t kData = 0x0;
constexpr std::uint8_t kHeaders = 0x1;
constexpr std::uint8_t kRstStream = 0x3;
constexpr std::uint8_t kSettings = 0x4;
constexpr std::uint8_t kGoaway = 0x7;
constexpr std::uint8_t kWindowUpdate = 0x8;
constexpr std::uint8_t kEndStream = 0x1;
constexpr std::uint8_t kAck = 0x1;

struct Frame {
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::uint32_t stream = 0;
  std::string payload;
};

/// The frames in `bytes` (after the client preface, if it starts with one).
std::vector<Frame> frames_of(std::string_view bytes) {
  if (bytes.starts_with(h2::client_preface())) bytes.remove_prefix(h2::client_preface().size());
  std::vector<Frame> out;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])); };
  while (bytes.size() >= 9) {
    const std::size_t length = (byte(0) << 16) | (byte(1) << 8) | byte(2);
    if (bytes.size() < 9 + length) break;
    Frame f;
    f.type = static_cast<std::uint8_t>(byte(3));
    f.flags = static_cast<std::uint8_t>(byte(4));
    f.stream = ((byte(5) << 24) | (byte(6) << 16) | (byte(7) << 8) | byte(8)) & 0x7fffffffu;
    f.payload = std::string(bytes.substr(9, length));
    out.push_back(std::move(f));
    bytes.remove_prefix(9 + length);
  }
  return out;
}

std::string u32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>((v >> 16) & 0xff), static_cast<char>((v >> 8) & 0xff),
          static_cast<char>(v & 0xff)};
}

/// One frame's bytes.
std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, const std::string& payload) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  std::string out{static_cast<char>(n >> 16), static_cast<char>((n >> 8) & 0xff), static_cast<char>(n & 0xff),
                  static_cast<char>(type), static_cast<char>(flags)};
  return out + u32(stream) + payload;
}

std::string setting(std::uint16_t id, std::uint32_t value) {
  return std::string{static_cast<char>(id >> 8), static_cast<char>(id & 0xff)} + u32(value);
}

std::uint32_t u32_at(const std::string& s, std::size_t i) {
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(s[i + k]);
  return v;
}

/// The body the load got for the lab server's `path` ("" if none).
std::string body_of(const PageLoadResult& r, const std::string& path) {
  const ObjectResult* o = r.find("http://10.130.197.105" + path);
  return o == nullptr ? std::string("(no object)") : std::string(o->body.view());
}

BrowserConfig h2_config() {
  BrowserConfig c;
  c.url = HttpWorld::server_url();
  c.profile = chrome_profile();
  c.profile.protocol = Protocol::kH2c;
  c.profile.close_after = DelayRange(Duration::seconds(1));
  c.keep_bodies = true;
  return c;
}

HttpServerConfig h2_server() {
  HttpServerConfig c = nginx_server();
  c.h2c = true;
  return c;
}

/// A raw HTTP/2 client: the preface, SETTINGS with `settings`, then `more`.
std::string client_start(const std::string& settings, const std::string& more = {}) {
  return std::string(h2::client_preface()) + frame(kSettings, 0, 0, settings) + more;
}

/// HEADERS for GET `path` on `stream` (HPACK: static-table :method GET,
/// :scheme http, :path literal, :authority literal; RFC 7541 appendix A).
std::string get_headers(std::uint32_t stream, const std::string& path) {
  std::string block;
  block += static_cast<char>(0x82);  // :method GET
  block += static_cast<char>(0x86);  // :scheme http
  block += static_cast<char>(0x04);  // :path, literal without indexing, static name 4
  block += static_cast<char>(path.size());
  block += path;
  block += static_cast<char>(0x01);  // :authority, static name 1
  block += static_cast<char>(1);
  block += "x";
  return frame(kHeaders, 0x4 | kEndStream, stream, block);  // END_HEADERS | END_STREAM
}

}  // namespace

TEST_CASE("h2: the lab page on one connection, every request a stream, bodies byte for byte", "[http][h2]") {
  HttpWorld w;
  HttpServer& server = w.add_server(h2_server());
  Browser& b = w.add_browser(h2_config());
  REQUIRE(w.run());
  const PageLoadResult& r = b.results().at(0);
  CHECK(r.error.empty());
  CHECK(r.complete());
  REQUIRE(r.objects.size() == 4);
  CHECK(body_of(r, "/") == lab_file("index.html"));
  CHECK(body_of(r, "/Myhead.jpg") == lab_file("Myhead.jpg"));
  CHECK(body_of(r, "/background.png") == lab_file("background.png"));
  REQUIRE(r.find("http://10.130.197.105/favicon.ico") != nullptr);
  CHECK(r.find("http://10.130.197.105/favicon.ico")->status == 404);
  for (const ObjectResult& o : r.objects) {
    CHECK(o.response_version == Version::kHttp2);
    CHECK(o.connection == 1);
  }
  REQUIRE(b.connections().size() == 1);
  CHECK(b.connections()[0].requests == 4);
  CHECK(b.connections()[0].responses == 4);
  CHECK(server.stats().connections_accepted == 1);
  CHECK(server.stats().requests == 4);
  CHECK(server.stats().parse_errors == 0);
}

TEST_CASE("h2: the server's frames for a raw client's two GETs, exactly", "[http][h2]") {
  HttpWorld w;
  w.add_server(h2_server());
  RawClient c(w);
  c.connect(80, client_start("", frame(kSettings, kAck, 0, "") + get_headers(1, "/") + get_headers(3, "/Myhead.jpg")));
  w.run_all(Duration::seconds(2));
  const std::vector<Frame> frames = frames_of(c.received);
  REQUIRE(frames.size() >= 4);
  // nginx 1.22's SETTINGS and connection WINDOW_UPDATE come first.
  CHECK(frames[0].type == kSettings);
  CHECK(frames[0].payload == setting(3, 128) + setting(4, 65536) + setting(5, 16777215));
  CHECK(frames[1].type == kWindowUpdate);
  CHECK(frames[1].stream == 0);
  CHECK(u32_at(frames[1].payload, 0) == 2147418112u);
  CHECK(frames[2].type == kSettings);
  CHECK(frames[2].flags == kAck);
  // Each response: HEADERS, then DATA of at most 8192 bytes (http2_chunk_size), the last with END_STREAM.
  std::map<std::uint32_t, std::string> bodies;
  std::map<std::uint32_t, bool> ended;
  for (std::size_t i = 3; i < frames.size(); ++i) {
    const Frame& f = frames[i];
    REQUIRE((f.stream == 1 || f.stream == 3));
    CHECK_FALSE(ended[f.stream]);
    if (f.type == kData) {
      CHECK(f.payload.size() <= 8192);
      bodies[f.stream] += f.payload;
    } else {
      CHECK(f.type == kHeaders);
      CHECK(bodies[f.stream].empty());
    }
    if ((f.flags & kEndStream) != 0) ended[f.stream] = true;
  }
  CHECK(ended[1]);
  CHECK(ended[3]);
  CHECK(bodies[1] == lab_file("index.html"));
  CHECK(bodies[3] == lab_file("Myhead.jpg"));
}

TEST_CASE("h2: the same run twice gives the same bytes", "[http][h2][determinism]") {
  const auto run = [] {
    HttpWorldConfig cfg;
    cfg.to_client = lan(0.05);
    cfg.to_server = lan(0.05);
    cfg.seed = 7;
    HttpWorld w(cfg);
    w.add_server(h2_server());
    Browser& b = w.add_browser(h2_config());
    REQUIRE(w.run());
    std::string out;
    for (const WireSegment& s : w.wire_log.segments) {
      out += std::to_string(s.at.ns()) + " " + std::to_string(s.payload) + " " + std::to_string(s.flags) +
             (s.dropped ? " d\n" : "\n");
    }
    for (const ObjectResult& o : b.results().at(0).objects) out += o.url + " " + std::to_string(o.status) + "\n";
    return out;
  };
  const std::string a = run();
  CHECK(a == run());
}

TEST_CASE("h2: page loads complete under 5% loss in both directions", "[http][h2][loss]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    HttpWorldConfig cfg;
    cfg.seed = seed;
    cfg.to_client = lan(0.05);
    cfg.to_server = lan(0.05);
    HttpWorld w(cfg);
    w.add_server(h2_server());
    Browser& b = w.add_browser(h2_config());
    REQUIRE(w.run());
    const PageLoadResult& r = b.results().at(0);
    CHECK(r.error.empty());
    REQUIRE(r.objects.size() == 4);
    CHECK(body_of(r, "/Myhead.jpg") == lab_file("Myhead.jpg"));
    CHECK(body_of(r, "/background.png") == lab_file("background.png"));
    CHECK(b.connections().size() == 1);
  }
}

TEST_CASE("h2: errors from the server end up in the results", "[http][h2][errors]") {
  const std::string settings = frame(kSettings, 0, 0, "");
  SECTION("RST_STREAM fails the stream's object") {
    HttpWorld w;
    RawServer raw(w, 80, settings + frame(kRstStream, 0, 1, u32(0x2)));  // INTERNAL_ERROR, then FIN
    Browser& b = w.add_browser(h2_config());
    REQUIRE(w.run());
    CHECK(b.results().at(0).objects.at(0).error == "HTTP/2 stream reset by the server (INTERNAL_ERROR)");
  }
  SECTION("GOAWAY: the request was not processed, retried once on a new connection, then failed") {
    HttpWorld w;
    RawServer raw(w, 80, settings + frame(kGoaway, 0, 0, u32(0) + u32(0)));  // last stream 0, NO_ERROR
    Browser& b = w.add_browser(h2_config());
    REQUIRE(w.run());
    const ObjectResult& doc = b.results().at(0).objects.at(0);
    CHECK(doc.error == "HTTP/2 stream not processed: the server sent GOAWAY (NO_ERROR) with last stream 0");
    CHECK(doc.attempts == 2);
    CHECK(b.connections().size() == 2);
  }
  SECTION("a malformed frame is a connection error: GOAWAY, then the connection closes") {
    HttpWorld w;
    RawServer raw(w, 80, std::string(9, '\xff'), false);  // a frame header of 16 MiB: over MAX_FRAME_SIZE
    Browser& b = w.add_browser(h2_config());
    REQUIRE(w.run());
    const std::string& error = b.results().at(0).objects.at(0).error;
    CHECK(error.starts_with("HTTP/2 connection error: "));
    CHECK(b.connections().at(0).error == error);
  }
  SECTION("a server answering in HTTP/1.1 does not speak h2c, and the error says so") {
    HttpWorld w;
    w.add_server(nginx_server());  // h2c off: the preface is a bad request to it
    Browser& b = w.add_browser(h2_config());
    REQUIRE(w.run());
    CHECK(b.results().at(0).objects.at(0).error ==
          "HTTP/2 connection error: the server answered in HTTP/1.1: it does not speak HTTP/2 with prior knowledge "
          "(h2c)");
  }
  SECTION("a response header list over Chromium's 256 KiB resets the stream") {
    HttpWorld w;
    // :status 200 (static index 8), one literal "x: y" added to the dynamic
    // table, then 8000 references to it (index 62): 8000 * 34 counted bytes.
    std::string block{static_cast<char>(0x88), static_cast<char>(0x40), static_cast<char>(1), 'x', static_cast<char>(1),
                      'y'};
    block += std::string(8000, static_cast<char>(0xbe));
    RawServer raw(w, 80, settings + frame(kHeaders, 0x4 | kEndStream, 1, block), false);
    Browser& b = w.add_browser(h2_config());
    w.run(Duration::seconds(3));
    CHECK(b.results().at(0).objects.at(0).error ==
          "HTTP/2 stream reset by the browser: header list of more than 262144 bytes (SETTINGS_MAX_HEADER_LIST_SIZE)");
  }
}

TEST_CASE("h2: the server's errors and flow control, against a raw client", "[http][h2][errors]") {
  SECTION("a malformed frame: GOAWAY FRAME_SIZE_ERROR, then the server closes") {
    HttpWorld w;
    HttpServer& server = w.add_server(h2_server());
    RawClient c(w);
    c.connect(80, client_start(setting(4, 65535).substr(0, 5)));  // SETTINGS of 5 bytes: not a multiple of 6
    w.run_all(Duration::seconds(2));
    const std::vector<Frame> frames = frames_of(c.received);
    REQUIRE_FALSE(frames.empty());
    CHECK(frames.back().type == kGoaway);
    CHECK(u32_at(frames.back().payload, 4) == 0x6);  // FRAME_SIZE_ERROR
    CHECK(c.peer_fin_at.has_value());
    CHECK(server.stats().parse_errors == 1);
  }
  SECTION("a stream window of zero holds the body back until WINDOW_UPDATE") {
    HttpWorld w;
    w.add_server(h2_server());
    RawClient c(w);
    c.connect(80, client_start(setting(4, 0), frame(kSettings, kAck, 0, "") + get_headers(1, "/")));
    w.run_all(Duration::milliseconds(500));
    std::vector<Frame> frames = frames_of(c.received);
    CHECK(std::none_of(frames.begin(), frames.end(), [](const Frame& f) { return f.type == kData; }));
    CHECK(std::any_of(frames.begin(), frames.end(), [](const Frame& f) { return f.type == kHeaders && f.stream == 1; }));
    c.send(frame(kWindowUpdate, 0, 1, u32(1 << 20)));
    w.run_all(Duration::milliseconds(500));
    frames = frames_of(c.received);
    std::string body;
    for (const Frame& f : frames) {
      if (f.type == kData && f.stream == 1) body += f.payload;
    }
    CHECK(body == lab_file("index.html"));
  }
  SECTION("an HTTP/1.1 client on an h2c port is still served HTTP/1.1") {
    HttpWorld w;
    w.add_server(h2_server());
    RawClient c(w);
    c.connect(80, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    w.run_all(Duration::seconds(1));
    CHECK(c.received.starts_with("HTTP/1.1 200 OK\r\n"));
  }
}

namespace {

/// HEADERS for GET `path` on `stream` with RFC 7540 §6.2 priority fields
/// (the PRIORITY flag): `depends_on`, `exclusive`, `weight` (1 to 256).
/// `urgency` non-empty: an RFC 9218 `priority` field with that value too.
std::string get_headers_with_priority(std::uint32_t stream, const std::string& path, std::uint32_t depends_on,
                                      bool exclusive, int weight, const std::string& urgency = {}) {
  std::string f = get_headers(stream, path);
  std::string block = f.substr(9);
  if (!urgency.empty()) {
    // A literal field without indexing, new name (RFC 7541 §6.2.2).
    block += std::string(1, '\0') + static_cast<char>(8) + "priority" + static_cast<char>(urgency.size()) + urgency;
  }
  const std::string fields = u32(depends_on | (exclusive ? 0x80000000u : 0u)) + static_cast<char>(weight - 1);
  return frame(kHeaders, 0x4 | 0x20 | kEndStream, stream, fields + block);  // END_HEADERS | PRIORITY | END_STREAM
}

/// The streams of the DATA frames the server sent, in order, consecutive repeats once.
std::vector<std::uint32_t> data_order(const std::string& received) {
  std::vector<std::uint32_t> order;
  for (const Frame& f : frames_of(received)) {
    if (f.type == kData && (order.empty() || order.back() != f.stream)) order.push_back(f.stream);
  }
  return order;
}

/// Two GETs in one segment, answered at once (no processing delay), with
/// windows that let both bodies go: the server's DATA order.
std::vector<std::uint32_t> server_order(const std::string& requests) {
  HttpWorld w;
  HttpServerConfig server = h2_server();
  server.processing_delay = DelayRange(Duration::zero());
  w.add_server(server);
  RawClient c(w);
  c.connect(80, client_start(setting(4, 1 << 20), frame(kSettings, kAck, 0, "") +
                                                     frame(kWindowUpdate, 0, 0, u32(1 << 20)) + requests));
  w.run_all(Duration::seconds(2));
  std::string bodies[2];
  for (const Frame& f : frames_of(c.received)) {
    if (f.type == kData) bodies[f.stream == 1 ? 0 : 1] += f.payload;
  }
  CHECK(bodies[0] == lab_file("background.png"));
  CHECK(bodies[1] == lab_file("Myhead.jpg"));
  return data_order(c.received);
}

}  // namespace

// nginx 1.22 orders its output queue by the depth of each stream in the
// RFC 7540 tree, then by weight (ngx_http_v2_queue_frame); nghttp2's server
// sends a stream's DATA only when no ancestor has DATA to send. For the
// exclusive chains Chromium builds both give the same order: the chain's.
TEST_CASE("h2: the server sends DATA in the order of the client's RFC 7540 priorities", "[http][h2][priority]") {
  SECTION("Chromium's chain: a more urgent stream made the exclusive parent goes first, though requested later") {
    // Stream 1 LOWEST (weight 147) on 0; stream 3 HIGHEST (weight 256) exclusive on 0: 3 becomes 1's parent.
    const auto order = server_order(get_headers_with_priority(1, "/background.png", 0, true, 147) +
                                    get_headers_with_priority(3, "/Myhead.jpg", 0, true, 256));
    CHECK(order == std::vector<std::uint32_t>{3, 1});
  }
  SECTION("a stream depending on another waits for all of its parent's DATA") {
    const auto order = server_order(get_headers_with_priority(1, "/background.png", 0, true, 256) +
                                    get_headers_with_priority(3, "/Myhead.jpg", 1, true, 256));
    CHECK(order == std::vector<std::uint32_t>{1, 3});
  }
  SECTION("the RFC 9218 priority field changes nothing (nginx 1.22 does not read it)") {
    const auto order = server_order(get_headers_with_priority(1, "/background.png", 0, true, 147, "u=0") +
                                    get_headers_with_priority(3, "/Myhead.jpg", 0, true, 256, "u=7"));
    CHECK(order == std::vector<std::uint32_t>{3, 1});
  }
}

TEST_CASE("h2: the RFC 9218 priority field value, as quiche serialises it", "[http][h2][priority]") {
  using h2::Priority;
  CHECK(h2::priority_field_value({Priority::kHighest, true}) == "u=0, i");
  CHECK(h2::priority_field_value({Priority::kHighest, false}) == "u=0");
  CHECK(h2::priority_field_value({Priority::kMedium, false}) == "u=1");
  CHECK(h2::priority_field_value({Priority::kMedium, true}) == "u=1, i");
  CHECK(h2::priority_field_value({Priority::kLow, true}) == "u=2, i");
  CHECK(h2::priority_field_value({Priority::kLowest, true}) == "i");  // urgency 3 is the default: left out
  CHECK(h2::priority_field_value({Priority::kLowest, false}).empty());  // both defaults: no field at all
  CHECK(h2::priority_field_value({Priority::kIdle, false}) == "u=4");
  // Spdy3PriorityToHttp2Weight.
  CHECK(h2::weight_of(Priority::kHighest) == 256);
  CHECK(h2::weight_of(Priority::kMedium) == 220);
  CHECK(h2::weight_of(Priority::kLow) == 183);
  CHECK(h2::weight_of(Priority::kLowest) == 147);
  CHECK(h2::weight_of(Priority::kIdle) == 110);
}

TEST_CASE("h2: Blink's priorities for a page's requests, in fetch order", "[http][h2][priority]") {
  using L = LoadPriorities::Level;
  using h2::Priority;
  const auto fetch = [](ResourceKind k, bool speculative = true) { return FetchInfo{k, speculative, {}, {}, false}; };
  LoadPriorities p;
  CHECK(p.next(FetchInfo{}) == h2::StreamPriority{Priority::kHighest, true});  // the document
  CHECK(p.level_of(fetch(ResourceKind::kStylesheet)) == L::kVeryHigh);
  CHECK(p.level_of(fetch(ResourceKind::kScript)) == L::kHigh);
  FetchInfo async = fetch(ResourceKind::kScript);
  async.deferred = true;
  CHECK(p.level_of(async) == L::kLow);
  // A small image (<= 10000 px²) is neither boosted nor counted, but it is the first image.
  FetchInfo small = fetch(ResourceKind::kImage);
  small.width = 100;
  small.height = 100;
  CHECK(p.level_of(small) == L::kLow);
  CHECK(p.level_of(fetch(ResourceKind::kScript)) == L::kMedium);      // late: after the first image
  CHECK(p.level_of(fetch(ResourceKind::kStylesheet)) == L::kMedium);  // late too
  CHECK(p.level_of(fetch(ResourceKind::kStylesheet, false)) == L::kVeryHigh);  // @import: not the preload scanner's
  FetchInfo wide = fetch(ResourceKind::kImage);
  wide.width = 101;
  wide.height = 100;
  CHECK(p.level_of(wide) == L::kMedium);  // 1 of 5
  CHECK(p.level_of(fetch(ResourceKind::kImage, false)) == L::kLow);   // a CSS image: not boosted, not counted
  for (int i = 2; i <= 5; ++i) CHECK(p.level_of(fetch(ResourceKind::kImage)) == L::kMedium);
  CHECK(p.level_of(fetch(ResourceKind::kImage)) == L::kLow);  // the sixth
  CHECK(p.next(fetch(ResourceKind::kIcon, false)) == h2::StreamPriority{Priority::kMedium, true});
  CHECK(p.next(fetch(ResourceKind::kBackground, false)) == h2::StreamPriority{Priority::kLowest, true});
  CHECK(p.next(fetch(ResourceKind::kCssUrl, false)) == h2::StreamPriority{Priority::kLowest, true});
}

TEST_CASE("h2: a field value with leading or trailing spaces is served, as nginx 1.22 serves it", "[http][h2]") {
  // HEADERS for GET / whose user-agent value is " x " (RFC 9113 §8.2.1
  // calls it malformed; ngx_http_v2_validate_header refuses only NUL, CR, LF).
  std::string block = get_headers(1, "/").substr(9);
  // Literal without indexing, new name (0x00), name length 10, value length 3.
  block += std::string_view("\x00\x0auser-agent\x03 x ", 16);
  HttpWorld w;
  HttpServer& server = w.add_server(h2_server());
  RawClient c(w);
  c.connect(80, client_start("", frame(kSettings, kAck, 0, "") + frame(kHeaders, 0x4 | kEndStream, 1, block)));
  w.run_all(Duration::seconds(2));
  std::string body;
  for (const Frame& f : frames_of(c.received)) {
    CHECK(f.type != kRstStream);
    if (f.type == kData && f.stream == 1) body += f.payload;
  }
  CHECK(body == lab_file("index.html"));
  CHECK(server.stats().parse_errors == 0);
}
