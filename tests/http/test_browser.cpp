// The browser model against the real server over a real TcpStack pair: the
// lab page with each profile and connection limit, what goes on which
// connection, body bytes, errors, repeated loads, several browsers,
// pipelining, HAR, determinism, and page loads under random loss.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "http_world.hpp"
#include "wiresim/core/rng.hpp"
#include "wiresim/http/digest.hpp"
#include "wiresim/http/har.hpp"
#include "wiresim/http/writer.hpp"

#ifndef WIRESIM_PROPERTY_SEEDS_DEFAULT
#define WIRESIM_PROPERTY_SEEDS_DEFAULT 100
#endif

using namespace wiresim;
using namespace wiresim::http;
using namespace wiresim::http::test;
using namespace wiresim::literals;

namespace {

const std::string kDoc = "http://10.130.197.105/";
const std::string kLogo = "http://10.130.197.105/Myhead.jpg";
const std::string kBackground = "http://10.130.197.105/background.png";
const std::string kFavicon = "http://10.130.197.105/favicon.ico";

BrowserConfig lab_config(BrowserProfile profile) {
  BrowserConfig c;
  c.url = HttpWorld::server_url();
  c.profile = std::move(profile);
  c.keep_bodies = true;
  return c;
}

BrowserProfile chrome_with(int max_connections) {
  BrowserProfile p = chrome_profile();
  p.max_connections = max_connections;
  // The browser exits 1 s after the load: before the test server's 5 s keep-alive timeout.
  p.close_after = DelayRange(Duration::seconds(1));
  return p;
}

/// The object for `url`; fails the test if there is none.
const ObjectResult& object(const PageLoadResult& r, const std::string& url) {
  const ObjectResult* o = r.find(url);
  INFO(url);
  REQUIRE(o != nullptr);
  return *o;
}

/// The document and both images arrived with exactly the site's bytes.
void check_lab_bodies(const PageLoadResult& r) {
  for (const auto& [url, file] : {std::pair{kDoc, "index.html"}, {kLogo, "Myhead.jpg"}, {kBackground, "background.png"}}) {
    INFO(url);
    const ObjectResult& o = object(r, url);
    const std::string bytes = lab_file(file);
    CHECK(o.ok());
    CHECK(o.status == 200);
    CHECK(o.body_size == bytes.size());
    CHECK(o.body_hash == body_digest(bytes));
    if (!o.body.empty()) CHECK(o.body.view() == bytes);
  }
}

std::set<std::uint64_t> connections_used(const PageLoadResult& r) {
  std::set<std::uint64_t> used;
  for (const ObjectResult& o : r.objects) used.insert(o.connection);
  return used;
}

/// Runs one browser on the lab page to the end; its only result.
struct LabLoad {
  explicit LabLoad(BrowserProfile profile, HttpWorldConfig wc = {}, HttpServerConfig sc = {}) : world(wc) {
    world.add_server(sc);
    browser = &world.add_browser(lab_config(std::move(profile)));
    finished = world.run();
  }
  [[nodiscard]] const PageLoadResult& result() const { return browser->results().at(0); }
  HttpWorld world;
  Browser* browser = nullptr;
  bool finished = false;
};

std::uint64_t seed_count() {
  if (const char* env = std::getenv("WIRESIM_PROPERTY_SEEDS")) return std::strtoull(env, nullptr, 10);
  return WIRESIM_PROPERTY_SEEDS_DEFAULT;
}

}  // namespace

TEST_CASE("max_connections 1: every object over one TCP connection, the logo before the background",
          "[http][browser]") {
  LabLoad load(chrome_with(1));
  REQUIRE(load.finished);
  const PageLoadResult& r = load.result();
  CHECK(r.ok());
  CHECK(r.error.empty());
  check_lab_bodies(r);
  REQUIRE(r.objects.size() == 4);
  CHECK(r.objects[0].url == kDoc);
  CHECK(connections_used(r) == std::set<std::uint64_t>{1});
  REQUIRE(load.browser->connections().size() == 1);
  CHECK(r.connections_opened == 1);
  CHECK(*object(r, kLogo).request_sent < *object(r, kBackground).request_sent);
  CHECK(*object(r, kBackground).request_sent < *object(r, kFavicon).request_sent);
  const ConnectionRecord& c = load.browser->connections()[0];
  CHECK(c.requests == 4);
  CHECK(c.responses == 4);
  CHECK_FALSE(c.closed_by_server);  // the browser's exit, 1 s after the load, ends it
  REQUIRE(c.released);
  CHECK(*c.released == *r.onload + Duration::seconds(1));
  CHECK(c.local_port == object(r, kLogo).local_port);
}

TEST_CASE("chrome: the lab page over two connections, the background on the preconnect", "[http][browser]") {
  LabLoad load(chrome_profile());
  REQUIRE(load.finished);
  const PageLoadResult& r = load.result();
  CHECK(r.ok());
  check_lab_bodies(r);
  CHECK(r.connections_opened == 2);
  const auto& conns = load.browser->connections();
  REQUIRE(conns.size() == 2);
  CHECK_FALSE(conns[0].preconnect);
  CHECK(conns[1].preconnect);
  // The preconnect's SYN 2-18 ms after the first (preconnect_delay).
  CHECK(conns[1].opened - conns[0].opened >= Duration::milliseconds(2));
  CHECK(conns[1].opened - conns[0].opened <= Duration::milliseconds(18));
  // html and logo on the first; the background (found by layout 2-4 ms after
  // the logo's request) on the idle preconnect, as Chromium's pool assigns them.
  CHECK(object(r, kDoc).connection == 1);
  CHECK(object(r, kLogo).connection == 1);
  CHECK(object(r, kBackground).connection == 2);
  // The renderer: 12-18 ms from the document's last byte to the logo's
  // request, plus 0.25-1 ms to write it.
  const Duration think = *object(r, kLogo).request_sent - *object(r, kDoc).last_byte;
  CHECK(think >= Duration::milliseconds(12));
  CHECK(think <= Duration::milliseconds(19));
  const Duration layout = *object(r, kBackground).request_sent - *object(r, kLogo).request_sent;
  CHECK(layout >= Duration::milliseconds(2) - Duration::microseconds(750));
  CHECK(layout <= Duration::milliseconds(4) + Duration::microseconds(750));
  // Like Chromium, the favicon 6-25 ms after the load event; the lab site has none.
  const ObjectResult& favicon = object(r, kFavicon);
  CHECK(favicon.status == 404);
  CHECK(favicon.ok());
  CHECK(favicon.kind == ResourceKind::kIcon);
  CHECK(*favicon.queued >= *r.onload + Duration::milliseconds(6));
  CHECK(*favicon.queued <= *r.onload + Duration::milliseconds(25));
  CHECK(*r.onload <= *r.end);
  // The browser's exit, 4-6 s after the load, closes both (before the
  // test server's 5 s keep-alive timeout or after it: whoever is first).
  for (const ConnectionRecord& c : conns) {
    REQUIRE(c.released);
    CHECK(*c.released >= *r.onload + Duration::seconds(4));
    CHECK(*c.released <= *r.onload + Duration::seconds(6));
  }
}

TEST_CASE("chrome: a page that is one image leaves the preconnect without data until the exit", "[http][browser]") {
  HttpWorld world;
  HttpServerConfig sc;
  sc.keep_alive_timeout = Duration::seconds(65);  // nginx's: the browser's exit comes first
  world.add_server(sc);
  BrowserConfig c = lab_config(chrome_profile());
  c.url = kLogo;
  Browser& b = world.add_browser(c);
  REQUIRE(world.run());
  const PageLoadResult& r = b.results().at(0);
  CHECK(r.ok());
  REQUIRE(r.objects.size() == 2);  // the image, then /favicon.ico on the same connection
  CHECK(r.objects[0].connection == 1);
  CHECK(r.objects[1].connection == 1);
  const auto& conns = b.connections();
  REQUIRE(conns.size() == 2);
  CHECK(conns[1].preconnect);
  CHECK(conns[1].established);
  CHECK_FALSE(conns[1].carried_data());
  CHECK(conns[1].requests == 0);
  // Closed by the browser when it exits, with the used one.
  CHECK_FALSE(conns[1].closed_by_server);
  REQUIRE(conns[1].released);
  CHECK(*conns[1].released == *conns[0].released);
  CHECK(*conns[1].released >= *r.onload + Duration::seconds(4));
}

TEST_CASE("chrome's GET / is Chrome's request, a few hundred bytes", "[http][browser]") {
  LabLoad load(chrome_profile());
  const ObjectResult& doc = load.result().objects.at(0);
  const std::string expected =
      "GET / HTTP/1.1\r\n"
      "Host: 10.130.197.105\r\n"
      "Connection: keep-alive\r\n"
      "Upgrade-Insecure-Requests: 1\r\n"
      "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/156.0.0.0 Safari/537.36\r\n"
      "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,image/avif,image/webp,image/apng,"
      "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7\r\n"
      "Accept-Encoding: gzip, deflate\r\n"
      "Accept-Language: en-US,en;q=0.9\r\n"
      "\r\n";
  CHECK(serialize(doc.request) == expected);
  CHECK(doc.request_head_size == expected.size());
  const ObjectResult& logo = object(load.result(), kLogo);
  CHECK(logo.request.headers.get("Referer") == kDoc);
  CHECK_FALSE(logo.request.headers.contains("Upgrade-Insecure-Requests"));
  CHECK(logo.request.headers.get("Accept") ==
        "image/jxl,image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8");
}

TEST_CASE("six connections spread the objects", "[http][browser]") {
  SECTION("ie allowed 6: the background goes on a second connection") {
    BrowserProfile p = ie_profile();
    p.max_connections = 6;
    LabLoad load(p);
    REQUIRE(load.finished);
    const PageLoadResult& r = load.result();
    CHECK(r.ok());
    check_lab_bodies(r);
    REQUIRE(load.browser->connections().size() == 2);
    CHECK(object(r, kDoc).connection == 1);
    CHECK(object(r, kLogo).connection == 1);
    CHECK(object(r, kBackground).connection == 2);
    for (const ConnectionRecord& c : load.browser->connections()) CHECK(c.carried_data());
  }
  SECTION("chrome waiting for images: the background after the logo, on the first connection") {
    BrowserProfile p = chrome_profile();
    p.backgrounds_wait_for_images = true;
    LabLoad load(p);
    const PageLoadResult& r = load.result();
    CHECK(r.ok());
    check_lab_bodies(r);
    REQUIRE(load.browser->connections().size() == 2);
    CHECK(object(r, kLogo).connection == 1);
    CHECK(object(r, kBackground).connection == 1);
    CHECK(*object(r, kLogo).last_byte <= *object(r, kBackground).request_sent);
    CHECK_FALSE(load.browser->connections()[1].carried_data());
  }
}

TEST_CASE("curl --parallel: its connects leave connect_delay apart, not in the same instant", "[http][browser]") {
  // curl_profile(true) with a fixed connect_delay: three URLs queued at
  // once open three connections, the 2nd SYN 70 µs after the 1st and the
  // 3rd 70 µs after the 2nd (the client's own work per connect).
  BrowserProfile p = curl_profile(true);
  p.connect_delay = DelayRange(Duration::microseconds(70));
  BrowserConfig c = lab_config(p);
  c.extra_urls = {HttpWorld::server_url(80, "/Myhead.jpg"), HttpWorld::server_url(80, "/background.png")};
  HttpWorld world;
  world.add_server();
  Browser& b = world.add_browser(c);
  REQUIRE(world.run());
  CHECK(b.results().at(0).ok());
  std::vector<Time> syns;
  for (const WireSegment& s : world.wire_log.segments) {
    if (s.to_server && s.flags == wire::kSyn) syns.push_back(s.at);
  }
  REQUIRE(syns.size() == 3);
  CHECK(syns[1] - syns[0] == Duration::microseconds(70));
  CHECK(syns[2] - syns[1] == Duration::microseconds(70));
  CHECK(curl_profile(false).connect_delay == DelayRange(Duration::microseconds(30), Duration::microseconds(200)));
  CHECK(chrome_profile().connect_delay == DelayRange{});
}

TEST_CASE("ie: one connection, IE's fields in IE's order", "[http][browser]") {
  LabLoad load(ie_profile());
  REQUIRE(load.finished);
  const PageLoadResult& r = load.result();
  CHECK(r.ok());
  check_lab_bodies(r);
  CHECK(r.objects.size() == 3);  // no favicon
  REQUIRE(load.browser->connections().size() == 1);
  CHECK(load.browser->connections()[0].requests == 3);
  CHECK(serialize(object(r, kLogo).request) ==
        "GET /Myhead.jpg HTTP/1.1\r\n"
        "Accept: image/png, image/svg+xml, image/jxr, image/*;q=0.8, */*;q=0.5\r\n"
        "Referer: http://10.130.197.105/\r\n"
        "Accept-Language: zh-CN\r\n"
        "User-Agent: Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko\r\n"
        "Accept-Encoding: gzip, deflate\r\n"
        "Host: 10.130.197.105\r\n"
        "Connection: Keep-Alive\r\n"
        "\r\n");
}

TEST_CASE("http10: HTTP/1.0, one connection per object, each closed by the server", "[http][browser]") {
  LabLoad load(http10_profile());
  REQUIRE(load.finished);
  const PageLoadResult& r = load.result();
  CHECK(r.ok());
  check_lab_bodies(r);
  REQUIRE(r.objects.size() == 3);
  CHECK(connections_used(r).size() == 3);
  REQUIRE(load.browser->connections().size() == 3);
  for (const ConnectionRecord& c : load.browser->connections()) {
    CHECK(c.requests == 1);
    CHECK(c.closed_by_server);
  }
  CHECK(object(r, kDoc).request.version == Version::kHttp10);
  CHECK(serialize(object(r, kDoc).request).rfind("GET / HTTP/1.0\r\n", 0) == 0);
  CHECK(object(r, kDoc).response_headers.get("Connection") == "close");
}

TEST_CASE("pipelining puts the images on one connection back to back", "[http][browser]") {
  BrowserProfile p = chrome_with(1);
  p.pipelining = 4;
  p.backgrounds_wait_for_images = false;
  p.layout_delay = DelayRange{};  // the background found with the logo
  LabLoad load(p);
  const PageLoadResult& r = load.result();
  CHECK(r.ok());
  check_lab_bodies(r);
  CHECK(connections_used(r) == std::set<std::uint64_t>{1});
  CHECK(object(r, kLogo).request_sent == object(r, kBackground).request_sent);
  CHECK(*object(r, kLogo).last_byte <= *object(r, kBackground).first_byte);  // in order
}

TEST_CASE("repeated loads with think time reuse the kept-alive connection", "[http][browser]") {
  HttpWorld w;
  w.add_server();
  BrowserConfig c = lab_config(chrome_profile());
  c.page_loads = 3;
  c.think_time = 1_s;
  Browser& b = w.add_browser(c);
  REQUIRE(w.run());
  REQUIRE(b.results().size() == 3);
  for (const PageLoadResult& r : b.results()) {
    CHECK(r.ok());
    check_lab_bodies(r);
  }
  CHECK(b.results()[0].connections_opened == 2);
  CHECK(b.results()[1].connections_opened == 0);
  CHECK(b.results()[2].connections_opened == 0);
  CHECK(b.results()[1].start == *b.results()[0].end + 1_s);
  CHECK(b.results()[1].objects[0].connect_start == std::nullopt);
  CHECK(b.connections().size() == 2);
}

TEST_CASE("a think time longer than the server's keep-alive: new connections each load", "[http][browser]") {
  HttpWorld w;
  w.add_server();
  BrowserConfig c = lab_config(chrome_profile());
  c.page_loads = 2;
  c.think_time = 10_s;
  Browser& b = w.add_browser(c);
  REQUIRE(w.run());
  CHECK(b.results()[1].ok());
  CHECK(b.results()[1].connections_opened == 2);
  CHECK(b.results()[1].objects[0].connect_start.has_value());
}

TEST_CASE("a request sent just as the server's keep-alive timeout closes the connection is retried",
          "[http][browser]") {
  HttpWorld w;
  w.add_server();  // keep-alive 5 s
  BrowserConfig c = lab_config(chrome_with(1));
  c.page_loads = 2;
  c.think_time = 5_s - 1_ms;  // the next GET leaves after the server closed, before its FIN arrives
  Browser& b = w.add_browser(c);
  REQUIRE(w.run());
  REQUIRE(b.results().size() == 2);
  const PageLoadResult& second = b.results()[1];
  CHECK(second.ok());
  check_lab_bodies(second);
  CHECK(second.objects[0].attempts == 2);
  CHECK(second.objects[0].connection == 2);
  CHECK(b.connections()[0].closed_by_server);
}

TEST_CASE("several browsers in one world share nothing", "[http][browser]") {
  HttpWorld w;
  HttpServer& server = w.add_server();
  std::vector<Browser*> browsers;
  for (int i = 0; i < 3; ++i) {
    BrowserConfig c = lab_config(i == 1 ? ie_profile() : chrome_profile());
    c.name = "b" + std::to_string(i);
    c.start = Time::zero() + Duration::milliseconds(i);
    browsers.push_back(&w.add_browser(c));
  }
  REQUIRE(w.run());
  for (Browser* b : browsers) {
    REQUIRE(b->results().size() == 1);
    CHECK(b->results()[0].ok());
    check_lab_bodies(b->results()[0]);
    CHECK(b->finished());
  }
  CHECK(browsers[0]->connections().size() == 2);
  CHECK(browsers[1]->connections().size() == 1);
  CHECK(server.stats().connections_accepted == 5);
  CHECK(server.stats().responses(200) == 9);
  CHECK(server.stats().responses(404) == 2);
}

TEST_CASE("subresources from HTML and CSS: stylesheets, @import, url(), scripts, many images", "[http][browser]") {
  Site site;
  std::string html = "<html><head><link rel=stylesheet href=a.css><script src=app.js></script></head>"
                     "<body background=bg.png>";
  for (int i = 0; i < 20; ++i) html += "<img src=img" + std::to_string(i) + ".png>";
  html += "<img src=img3.png></body></html>";  // repeated: fetched once
  site.add("/index.html", html, kLastModified);
  site.add("/a.css", "@import 'b.css'; body { background: url(bg2.png) }", kLastModified);
  site.add("/b.css", ".x { background-image: url(\"bg3.png\") }", kLastModified);
  site.add("/app.js", "var x = 1;", kLastModified);
  for (const char* name : {"/bg.png", "/bg2.png", "/bg3.png"}) site.add(name, std::string(3000, 'b'), kLastModified);
  for (int i = 0; i < 20; ++i) site.add("/img" + std::to_string(i) + ".png", std::string(static_cast<std::size_t>(5000 + 100 * i), 'i'), kLastModified);
  HttpWorld w;
  w.add_server({}, site);
  Browser& b = w.add_browser(lab_config(chrome_profile()));
  REQUIRE(w.run());
  const PageLoadResult& r = b.results().at(0);
  CHECK(r.ok());
  // document, a.css, app.js, 20 images, b.css, 3 backgrounds, favicon
  CHECK(r.objects.size() == 1 + 1 + 1 + 20 + 1 + 3 + 1);
  for (const ObjectResult& o : r.objects) {
    INFO(o.url);
    if (o.url == kFavicon) continue;
    CHECK(o.status == 200);
    const std::string path = o.url.substr(std::string("http://10.130.197.105").size());
    const std::string expected(site.find(path == "/" ? "/index.html" : path)->body.view());
    CHECK(o.body_hash == body_digest(expected));
  }
  CHECK(b.connections().size() == 6);  // never more than max_connections
  CHECK(object(r, "http://10.130.197.105/b.css").kind == ResourceKind::kStylesheet);
  CHECK(object(r, "http://10.130.197.105/b.css").request.headers.get("Referer") == "http://10.130.197.105/a.css");
  // Backgrounds only after the images and stylesheets have loaded.
  Time last_image_or_css = Time::zero();
  for (const ObjectResult& o : r.objects) {
    if (o.kind == ResourceKind::kImage || o.kind == ResourceKind::kStylesheet) {
      last_image_or_css = std::max(last_image_or_css, *o.end);
    }
  }
  for (const char* bg : {"/bg.png", "/bg2.png", "/bg3.png"}) {
    CHECK(*object(r, std::string("http://10.130.197.105") + bg).queued >= last_image_or_css);
  }
}

TEST_CASE("the HTML is scanned as it arrives: an early image is requested before the document ends",
          "[http][browser]") {
  Site site;
  site.add("/index.html", "<html><body><img src=early.png>" + std::string(200'000, 'x') + "</body></html>",
           kLastModified);
  site.add("/early.png", std::string(1000, 'e'), kLastModified);
  HttpWorld w;
  w.add_server({}, site);
  Browser& b = w.add_browser(lab_config(chrome_profile()));
  REQUIRE(w.run());
  const PageLoadResult& r = b.results().at(0);
  CHECK(r.ok());
  CHECK(*object(r, "http://10.130.197.105/early.png").request_sent < *r.objects[0].last_byte);
  CHECK(object(r, "http://10.130.197.105/early.png").connection == 2);  // the preconnect socket
}

TEST_CASE("a server that cannot be reached, refuses or misbehaves ends the load with an error",
          "[http][browser]") {
  SECTION("no host answers: the SYNs time out") {
    HttpWorld w;
    BrowserConfig c = lab_config(chrome_profile());
    c.url = "http://10.130.200.1/";
    Browser& b = w.add_browser(c);
    REQUIRE(w.run());
    const PageLoadResult& r = b.results().at(0);
    CHECK_FALSE(r.ok());
    CHECK(r.complete());
    CHECK(r.error == "connection to 10.130.200.1:80 timed out");
    CHECK(r.objects.size() == 1);  // no favicon for a page that never came
    CHECK(b.connections().size() == 2);
  }
  SECTION("no route") {
    HttpWorld w;
    BrowserConfig c = lab_config(chrome_profile());
    c.url = "http://192.168.1.1/";
    Browser& b = w.add_browser(c);
    REQUIRE(w.run());
    CHECK(b.results().at(0).error == "cannot connect to 192.168.1.1:80: tcp: no route to 192.168.1.1");
  }
  SECTION("unknown host name") {
    HttpWorld w;
    BrowserConfig c = lab_config(chrome_profile());
    c.url = "http://nowhere.example/";
    Browser& b = w.add_browser(c);
    REQUIRE(w.run());
    CHECK(b.results().at(0).error == "cannot resolve host 'nowhere.example'");
    CHECK(b.connections().empty());
  }
  SECTION("a host name the browser knows") {
    HttpWorld w;
    w.add_server();
    BrowserConfig c = lab_config(chrome_profile());
    c.url = "http://server/";
    Browser& b = w.add_browser(c);
    REQUIRE(w.run());
    CHECK(b.results().at(0).ok());
    CHECK(b.results().at(0).objects[0].request.headers.get("Host") == "server");
  }
  SECTION("nothing listens: refused") {
    HttpWorld w;
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE(w.run());
    CHECK(b.results().at(0).error == "connection refused by 10.130.197.105:80");
    CHECK(b.connections()[0].error == "connection refused by 10.130.197.105:80");
  }
  SECTION("a malformed response fails the object") {
    HttpWorld w;
    RawServer raw(w, 80, "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n");
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE(w.run());
    CHECK(b.results().at(0).error == "malformed response: malformed Content-Length");
  }
  SECTION("the server resets the connection") {
    HttpWorld w;
    RawServer raw(w, 80, "", false, true);
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE(w.run());
    CHECK(b.results().at(0).error == "connection reset by 10.130.197.105:80");
  }
  SECTION("the server closes without answering") {
    HttpWorld w;
    RawServer raw(w, 80, "");
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE(w.run());
    CHECK(b.results().at(0).error == "connection closed by the server before the response was complete");
  }
  SECTION("a response cut short by the server's close") {
    HttpWorld w;
    RawServer raw(w, 80, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE(w.run());
    CHECK(b.results().at(0).error == "connection closed by the server before the response was complete");
    CHECK(b.results().at(0).objects[0].first_byte.has_value());
  }
  SECTION("a failed subresource: the page ends, with the failure named") {
    HttpWorld w;
    Site site;
    site.add("/index.html", "<img src=http://10.130.197.105:8080/x.png><img src=ok.png>", kLastModified);
    site.add("/ok.png", "png", kLastModified);
    w.add_server({}, site);
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE(w.run());
    const PageLoadResult& r = b.results().at(0);
    CHECK(r.failed_objects() == 1);
    CHECK(r.error ==
          "1 of 3 objects failed (first: http://10.130.197.105:8080/x.png: connection refused by 10.130.197.105:8080)");
    CHECK(object(r, "http://10.130.197.105/ok.png").ok());
  }
}

TEST_CASE("a load the simulation leaves unfinished ends with an error that says what it waited for",
          "[http][browser]") {
  const std::string why = "the simulation went idle at 1 s";
  SECTION("the response never comes") {
    HttpWorld w;
    RawServer raw(w, 80, "", false);  // reads the request, answers nothing, stays open
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE_FALSE(w.run());
    REQUIRE(b.results().size() == 1);
    CHECK(b.results()[0].error.empty());  // in progress: nothing to say yet
    b.abandon(why);
    const PageLoadResult& r = b.results()[0];
    CHECK(r.error == "did not finish: 1 of 1 objects unfinished (first: http://10.130.197.105/: "
                     "request sent, no response when the simulation went idle at 1 s)");
    CHECK_FALSE(r.complete());
    CHECK_FALSE(r.page_load_time().has_value());
    CHECK(r.failed_objects() == 1);
    const ObjectResult& doc = r.objects.at(0);
    CHECK(doc.status == 0);
    CHECK(doc.end == w.sim.now());
    const HarTimings t = har_timings(doc);
    REQUIRE(doc.request_sent.has_value());
    CHECK(t.wait == w.sim.now() - *doc.request_sent);
    CHECK(t.receive == Duration::zero());
    CHECK_FALSE(b.loads_done());
  }
  SECTION("half a response") {
    HttpWorld w;
    RawServer raw(w, 80, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", false);
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE_FALSE(w.run());
    b.abandon(why);
    const PageLoadResult& r = b.results().at(0);
    CHECK(r.error == "did not finish: 1 of 1 objects unfinished (first: http://10.130.197.105/: "
                     "response incomplete when the simulation went idle at 1 s)");
    const ObjectResult& doc = r.objects.at(0);
    REQUIRE(doc.first_byte.has_value());
    const HarTimings t = har_timings(doc);
    CHECK(t.receive == w.sim.now() - *doc.first_byte);
    CHECK(t.wait + t.receive == w.sim.now() - *doc.request_sent);
  }
  SECTION("a finished load is left as it is") {
    HttpWorld w;
    w.add_server();
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE(w.run());
    b.abandon(why);
    CHECK(b.results().at(0).ok());
    CHECK(b.results().at(0).failed_objects() == 0);
  }
}

TEST_CASE("a bad profile or URL is refused up front", "[http][browser]") {
  HttpWorld w;
  BrowserConfig c = lab_config(chrome_with(0));
  CHECK_THROWS_AS(Browser(w.sim, w.client, c), std::invalid_argument);
  c = lab_config(chrome_profile());
  c.profile.header_order.push_back("Cookie");
  CHECK_THROWS_WITH(Browser(w.sim, w.client, c),
                    "browser 'browser': unknown request header field 'Cookie' in header_order");
  c = lab_config(chrome_profile());
  c.url = "ftp://x/";
  CHECK_THROWS_AS(Browser(w.sim, w.client, c), std::invalid_argument);
  CHECK(validate(chrome_profile()).empty());
  CHECK(validate(ie_profile()).empty());
  CHECK(validate(http10_profile()).empty());
  CHECK(browser_profile_by_name("chrome")->name == "chrome");
  CHECK_FALSE(browser_profile_by_name("netscape"));
}

TEST_CASE("the HAR log of a page load", "[http][browser][har]") {
  LabLoad load(chrome_profile());
  const PageLoadResult& r = load.result();
  const nlohmann::json har = nlohmann::json::parse(to_har_text(load.browser->har("0.1.0")));
  const auto& log = har.at("log");
  CHECK(log.at("creator").at("version") == "0.1.0");
  REQUIRE(log.at("pages").size() == 1);
  CHECK(log.at("pages")[0].at("id") == "page_1");
  REQUIRE(log.at("entries").size() == r.objects.size());
  const auto& doc = log.at("entries")[0];
  CHECK(doc.at("request").at("url") == kDoc);
  CHECK(doc.at("response").at("status") == 200);
  CHECK(doc.at("response").at("content").at("size") == lab_file("index.html").size());
  CHECK(doc.at("connection") == std::to_string(r.objects[0].local_port));
  CHECK(doc.at("serverIPAddress") == "10.130.197.105");
  CHECK(doc.at("timings").at("connect").get<double>() > 0.0);
  CHECK(log.at("entries")[1].at("timings").at("connect") == -1);
  for (const ObjectResult& o : r.objects) {
    INFO(o.url);
    const HarTimings t = har_timings(o);
    const Duration sum = t.blocked.value_or(Duration::zero()) + t.connect.value_or(Duration::zero()) + t.send +
                         t.wait + t.receive;
    CHECK(sum == *o.end - *o.queued);
    CHECK(t.wait > Duration::zero());
  }
}

TEST_CASE("the same world twice gives the same page loads", "[http][browser][determinism]") {
  const auto run = [] {
    HttpWorldConfig wc;
    wc.to_server = lan(0.05);
    wc.to_client = lan(0.05);
    wc.seed = 3;
    LabLoad load(chrome_profile(), wc);
    return std::pair{to_har_text(load.browser->har()), load.world.wire_log.segments.size()};
  };
  CHECK(run() == run());
}

TEST_CASE("with 5% loss both ways every page load completes with the right bytes", "[http][browser][property]") {
  const std::uint64_t seeds = seed_count();
  std::uint64_t drops = 0;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    HttpWorldConfig wc;
    wc.seed = seed;
    wc.client_tcp = tcp::linux_profile();  // 6 SYN retries: a connection attempt outlives the loss
    wc.server_tcp = tcp::linux_profile();
    wc.to_server = lan(0.05);
    wc.to_client = lan(0.05);
    Rng pick = Rng::stream(seed, "test/browser-profile");
    const char* names[] = {"chrome", "ie", "http10"};
    BrowserProfile profile = *browser_profile_by_name(names[pick.uniform_below(3)]);
    profile.max_connections = static_cast<int>(pick.uniform_int(1, 6));
    profile.pipelining = pick.bernoulli(0.25) ? 3 : 0;
    INFO(profile.name << ", max_connections " << profile.max_connections << ", pipelining " << profile.pipelining);
    LabLoad load(profile, wc);
    REQUIRE(load.finished);
    REQUIRE(load.result().ok());
    check_lab_bodies(load.result());
    for (const WireSegment& s : load.world.wire_log.segments) drops += s.dropped ? 1 : 0;
  }
  CHECK(drops > seeds);  // the loss really happened: about 5% of some 150 segments per load
}

TEST_CASE("a document answered with a status other than 2xx is a failed load without a page load time",
          "[http][browser][failures]") {
  SECTION("404: the page the user asked for did not arrive") {
    HttpWorld w;
    w.add_server();
    BrowserConfig c = lab_config(chrome_profile());
    c.url = "http://10.130.197.105/missing.html";
    Browser& b = w.add_browser(c);
    REQUIRE(w.run());
    const PageLoadResult& r = b.results().at(0);
    CHECK(r.complete());
    CHECK(r.onload.has_value());  // the browser's event happened; it is not a page load time
    CHECK_FALSE(r.ok());
    CHECK_FALSE(r.page_load_time().has_value());
    CHECK(r.time_to_first_byte().has_value());
    CHECK(r.document_status() == 404);
    CHECK(r.error == "document http://10.130.197.105/missing.html answered 404 Not Found (expected a 2xx status)");
    CHECK(r.objects.at(0).ok());  // the object itself got a usable response
    CHECK(r.failed_objects() == 0);
  }
  SECTION("a redirect is not followed, so the load ends there") {
    HttpWorld w;
    RawServer raw(w, 80, "HTTP/1.1 301 Moved Permanently\r\nLocation: /new/\r\nContent-Length: 0\r\n\r\n");
    Browser& b = w.add_browser(lab_config(ie_profile()));
    REQUIRE(w.run());
    const PageLoadResult& r = b.results().at(0);
    CHECK(r.document_status() == 301);
    CHECK(r.error ==
          "document http://10.130.197.105/ answered 301 Moved Permanently (a redirect, and the browser model follows "
          "none)");
    CHECK_FALSE(r.page_load_time().has_value());
  }
  SECTION("a 404 subresource (the favicon) leaves the load a success") {
    HttpWorld w;
    w.add_server();
    Browser& b = w.add_browser(lab_config(chrome_profile()));
    REQUIRE(w.run());
    const PageLoadResult& r = b.results().at(0);
    CHECK(r.ok());
    CHECK(r.document_status() == 200);
    CHECK(r.page_load_time() == *r.onload - r.start);
  }
}

namespace {

/// The client's pure ACKs (no data, no SYN or FIN) in a linux-to-linux
/// load of the lab page over one connection, the client reading
/// `read_delay` after its socket becomes readable.
std::size_t client_pure_acks(Duration read_delay) {
  HttpWorldConfig wc;
  wc.client_tcp = tcp::linux_profile();
  wc.server_tcp = tcp::linux_profile();
  BrowserProfile p = chrome_with(1);
  p.read_delay = read_delay;
  LabLoad load(p, wc);
  REQUIRE(load.finished);
  CHECK(load.result().ok());
  check_lab_bodies(load.result());
  return static_cast<std::size_t>(std::count_if(
      load.world.wire_log.segments.begin(), load.world.wire_log.segments.end(), [](const WireSegment& s) {
        return s.to_server && s.payload == 0 && s.flags == wire::kAck;
      }));
}

}  // namespace

TEST_CASE("a client that reads late gets stretch ACKs: Linux acknowledges what waited at the read",
          "[http][browser][ack]") {
  // Read as it arrives, the buffer stays empty, the window Linux offers
  // never shrinks, and every second segment is acknowledged. Read 1 ms
  // later (eight 100 Mbit/s frames), the unread data shrinks that window:
  // __tcp_ack_snd_check holds the ACK and the read's tcp_cleanup_rbuf
  // sends one for all of it, so fewer ACKs for the same bytes.
  const std::size_t at_once = client_pure_acks(Duration::zero());
  const std::size_t late = client_pure_acks(Duration::milliseconds(1));
  INFO("ACKs: reading at once " << at_once << ", 1 ms late " << late);
  CHECK(late < at_once);
}
