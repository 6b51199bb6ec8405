// HTTP/2 (h2c with prior knowledge) as tshark sees it at the client's NIC:
// the HTTP dissector hands a connection that opens with the preface to the
// HTTP2 dissector, so no "-d tcp.port==80,http2" is needed (checksums
// validated, out-of-order reassembly on for the lossy captures). The
// exact frame sequence of the lab page on a lossless link, Chromium's
// SETTINGS and WINDOW_UPDATE, each stream's DATA equal to the site's file
// byte for byte (under loss too), and no malformed frame or expert error.

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "http_world.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"
#include "wiresim/report/run_folder.hpp"

using namespace wiresim;
using namespace wiresim::http;
using namespace wiresim::http::test;
using wiresim::test::TempDir;

namespace {

/// tshark_fields with out-of-order reassembly on (Wireshark's TCP preference
/// "Reassemble out-of-order segments"): in a capture with losses an HTTP/2
/// frame spans a gap that the retransmission fills later; without it the
/// HTTP2 dissector sees the frame cut short and calls it malformed.
/// `aggregator`: what separates the values of a field that occurs more
/// than once in a packet (tshark's default ",").
std::string tshark_fields(const std::string& file, const std::vector<std::string>& fields,
                          const std::string& display_filter = {}, const std::string& aggregator = ",") {
  std::vector<std::string> argv = wiresim::test::tshark_base(file);
  argv.insert(argv.end(), {"-o", "tcp.reassemble_out_of_order:TRUE"});
  if (!display_filter.empty()) argv.insert(argv.end(), {"-Y", display_filter});
  argv.insert(argv.end(), {"-T", "fields", "-E", "aggregator=" + aggregator});
  for (const std::string& f : fields) argv.insert(argv.end(), {"-e", f});
  const auto result = wiresim::test::run_process(argv, wiresim::test::Stderr::kDiscard);
  REQUIRE(result.exit_status == 0);
  return result.output;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string part; std::getline(in, part, sep);) out.push_back(part);
  return out;
}

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

/// The lab page (or `site`'s) over HTTP/2, the client NIC captured into `file`.
void capture_h2_load(const std::string& file, double loss, std::uint64_t seed,
                     std::optional<Site> site = std::nullopt) {
  HttpWorldConfig cfg;
  cfg.seed = seed;
  cfg.to_client = lan(loss);
  cfg.to_server = lan(loss);
  HttpWorld w(cfg);
  w.capture_client(file);
  HttpServerConfig server = nginx_server();
  server.h2c = true;
  w.add_server(server, std::move(site));
  BrowserConfig c;
  c.url = HttpWorld::server_url();
  c.profile = chrome_profile();
  c.profile.protocol = Protocol::kH2c;
  c.profile.close_after = DelayRange(Duration::seconds(1));
  Browser& b = w.add_browser(c);
  REQUIRE(w.run());
  REQUIRE(b.results().at(0).ok());
  w.close_capture();
}

/// The HTTP/2 frames of each direction in order ("to_server"/"to_client"),
/// as "TYPE[stream]" with " end" (END_STREAM) or " ack"; consecutive DATA
/// frames of one stream without END_STREAM are shown once, as "DATA[n]...".
std::map<std::string, std::vector<std::string>> frame_sequence(const std::string& file) {
  static const std::map<std::string, std::string> kNames{{"0", "DATA"},     {"1", "HEADERS"}, {"3", "RST_STREAM"},
                                                         {"4", "SETTINGS"}, {"6", "PING"},    {"7", "GOAWAY"},
                                                         {"8", "WINDOW_UPDATE"}};
  std::map<std::string, std::vector<std::string>> out;
  for (const std::string& line : split(tshark_fields(file, {"tcp.dstport", "http2.type", "http2.streamid", "http2.flags"}, "http2"), '\n')) {
    const std::vector<std::string> f = split(line, '\t');
    if (f.size() < 4 || f[1].empty()) continue;  // the preface alone
    std::vector<std::string>& seq = out[f[0] == "80" ? "to_server" : "to_client"];
    const auto types = split(f[1], ',');
    const auto streams = split(f[2], ',');
    const auto flags = split(f[3], ',');
    REQUIRE(types.size() == streams.size());
    REQUIRE(types.size() == flags.size());
    for (std::size_t i = 0; i < types.size(); ++i) {
      const int bits = std::stoi(flags[i], nullptr, 16);
      std::string d = kNames.at(types[i]) + "[" + streams[i] + "]";
      if ((types[i] == "0" || types[i] == "1") && (bits & 1) != 0) d += " end";
      if (types[i] == "4" && (bits & 1) != 0) d += " ack";
      if (types[i] == "0" && (bits & 1) == 0) d += "...";
      if (!seq.empty() && seq.back() == d && d.ends_with("...")) continue;
      seq.push_back(d);
    }
  }
  return out;
}

/// Each stream's body as tshark reassembles it: the HTTP2 dissector shows
/// the whole body as the data of the stream's END_STREAM DATA frame.
std::map<std::string, std::string> stream_bodies(const std::string& file) {
  std::map<std::string, std::string> out;
  const std::string lines =
      tshark_fields(file, {"http2.type", "http2.streamid", "http2.flags", "http2.data.data"}, "http2.type == 0");
  for (const std::string& line : split(lines, '\n')) {
    const std::vector<std::string> f = split(line, '\t');
    if (f.size() < 4) continue;
    const auto types = split(f[0], ',');
    const auto streams = split(f[1], ',');
    const auto flags = split(f[2], ',');
    const auto data = split(f[3], ',');
    REQUIRE(types.size() == streams.size());
    REQUIRE(types.size() == flags.size());
    std::size_t d = 0;
    for (std::size_t i = 0; i < types.size(); ++i) {
      if (types[i] != "0") continue;
      REQUIRE(d < data.size());
      const std::string& bytes = data[d++];
      if ((std::stoi(flags[i], nullptr, 16) & 1) != 0) out[streams[i]] = unhex(bytes);
    }
  }
  return out;
}

/// Stream 1 carried the document; streams 3 and 5 the two images (in the
/// order the renderer asked for them).
void check_bodies(const std::map<std::string, std::string>& bodies) {
  REQUIRE(bodies.contains("1"));
  REQUIRE(bodies.contains("3"));
  REQUIRE(bodies.contains("5"));
  INFO("sizes: 1=" << bodies.at("1").size() << " 3=" << bodies.at("3").size() << " 5=" << bodies.at("5").size()
                   << " jpg=" << lab_file("Myhead.jpg").size() << " png=" << lab_file("background.png").size());
  CHECK(bodies.at("1") == lab_file("index.html"));
  CHECK(std::set<std::string>{bodies.at("3"), bodies.at("5")} ==
        std::set<std::string>{lab_file("Myhead.jpg"), lab_file("background.png")});
}

void check_clean(const std::string& file) {
  CHECK(tshark_fields(file, {"frame.number"}, "_ws.malformed || _ws.expert.severity == error").empty());
  CHECK(tshark_fields(file, {"frame.number"}, "ip.checksum.status != 1 || tcp.checksum.status != 1").empty());
}

/// The same sequences from wiresim's own reading (report::read_tcp_segments,
/// the HTTP/2 labels `wiresim explain` prints), first copies only.
std::map<std::string, std::vector<std::string>> explain_sequence(const std::string& file) {
  std::map<std::string, std::vector<std::string>> out;
  std::map<std::string, std::set<std::uint32_t>> seen;  // direction -> sequence numbers already labelled
  for (const wiresim::report::CapturedSegment& s : wiresim::report::read_tcp_segments(file)) {
    if (s.http2.empty()) continue;
    const std::string dir = s.dst.ends_with(":80") ? "to_server" : "to_client";
    if (!seen[dir].insert(s.seq).second) continue;  // a resend repeats its original's label
    REQUIRE(s.http2.starts_with("HTTP2 "));
    std::vector<std::string>& seq = out[dir];
    for (std::string item : split(s.http2.substr(6), ',')) {
      if (item.starts_with(" ")) item.erase(0, 1);
      if (item == "Magic") continue;
      std::string d = item;
      if (d.ends_with(" END_STREAM")) d = d.substr(0, d.size() - 11) + " end";
      if (d.ends_with(" ACK")) d = d.substr(0, d.size() - 4) + " ack";
      if (d.starts_with("DATA[") && !d.ends_with(" end")) d += "...";
      if (!seq.empty() && seq.back() == d && d.ends_with("...")) continue;
      seq.push_back(d);
    }
  }
  return out;
}

/// A page with every kind of request Chromium prioritises differently
/// (LoadPriorities' table); every image is the lab's photo.
Site priority_site() {
  Site site;
  const std::int64_t t = kLastModified;
  site.add("/index.html",
           "<!DOCTYPE html><html><head>\n"
           "<link rel=\"stylesheet\" href=\"a.css\">\n"
           "<script src=\"head.js\"></script>\n"
           "<script async src=\"async.js\"></script>\n"
           "<link rel=\"icon\" href=\"icon.jpg\">\n"
           "</head><body>\n"
           "<img src=\"i1.jpg\"><img src=\"i2.jpg\"><img src=\"i3.jpg\" width=\"200\" height=\"100\">\n"
           "<img src=\"small.jpg\" width=\"20\" height=\"20\">\n"
           "<img src=\"i4.jpg\"><img src=\"i5.jpg\"><img src=\"i6.jpg\">\n"
           "<script src=\"late.js\"></script>\n"
           "<link rel=\"stylesheet\" href=\"late.css\">\n"
           "</body></html>\n",
           t);
  site.add("/a.css", "@import \"imp.css\";\nbody { background: url(bg.jpg) }\n", t);
  site.add("/imp.css", "p { margin: 0 }\n", t);
  site.add("/late.css", "h1 { margin: 0 }\n", t);
  for (const char* js : {"/head.js", "/async.js", "/late.js"}) site.add(js, "var x = 1;\n", t);
  for (const char* jpg : {"/i1.jpg", "/i2.jpg", "/i3.jpg", "/i4.jpg", "/i5.jpg", "/i6.jpg", "/small.jpg", "/bg.jpg",
                          "/icon.jpg"}) {
    site.add(jpg, lab_file("Myhead.jpg"), t);
  }
  return site;
}

/// One request as tshark decodes its HEADERS frame.
struct SentHeaders {
  std::string stream;
  std::string path;
  std::string priority;  ///< the `priority` field's value, "(none)" without one
  int weight = 0;        ///< RFC 7540 weight (tshark shows weight - 1)
  std::string depends_on;
  std::string exclusive;
};

/// The browser's HEADERS frames in order, and, before each, which streams
/// the browser had open (HEADERS sent, no END_STREAM or RST_STREAM back yet).
std::vector<std::pair<SentHeaders, std::vector<std::string>>> sent_headers(const std::string& file) {
  std::vector<std::pair<SentHeaders, std::vector<std::string>>> out;
  std::vector<std::string> open;  // in creation order
  const std::string lines = tshark_fields(file,
                                          {"tcp.dstport", "http2.type", "http2.streamid", "http2.flags",
                                           "http2.headers.weight", "http2.stream_dependency", "http2.exclusive",
                                           "http2.header.name", "http2.header.value"},
                                          "http2", "~");
  for (const std::string& line : split(lines, '\n')) {
    std::vector<std::string> f = split(line, '\t');
    f.resize(9);  // getline drops the empty fields at the end of a line
    if (f[1].empty()) continue;
    const auto types = split(f[1], '~');
    const auto streams = split(f[2], '~');
    const auto flags = split(f[3], '~');
    const auto weights = split(f[4], '~');
    const auto deps = split(f[5], '~');
    const auto excl = split(f[6], '~');
    const auto names = split(f[7], '~');
    const auto values = split(f[8], '~');
    REQUIRE(names.size() == values.size());
    std::size_t h = 0;  // HEADERS frames of this packet so far
    std::size_t field = 0;
    for (std::size_t i = 0; i < types.size(); ++i) {
      const int bits = std::stoi(flags[i], nullptr, 16);
      if (f[0] != "80") {  // from the server: END_STREAM or RST_STREAM closes the stream
        if (((types[i] == "0" || types[i] == "1") && (bits & 1) != 0) || types[i] == "3") std::erase(open, streams[i]);
        continue;
      }
      if (types[i] != "1") continue;
      SentHeaders s;
      s.stream = streams[i];
      REQUIRE(h < weights.size());
      s.weight = std::stoi(weights[h]) + 1;
      s.depends_on = deps[h];
      s.exclusive = excl[h];
      ++h;
      s.priority = "(none)";
      // This frame's fields run from its :method to the next one's.
      REQUIRE(field < names.size());
      REQUIRE(names[field] == ":method");
      do {
        if (names[field] == ":path") s.path = values[field];
        if (names[field] == "priority") s.priority = values[field];
        ++field;
      } while (field < names.size() && names[field] != ":method");
      out.emplace_back(s, open);
      open.push_back(s.stream);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("h2: wiresim explain names the same HTTP/2 frames as tshark, in order", "[integration][http][h2][tshark][explain]") {
  if (!wiresim::test::have_tshark()) return;
  TempDir dir;
  for (const double loss : {0.0, 0.05}) {
    INFO("loss " << loss);
    const std::string file = (dir.path() / (loss > 0 ? "lossy.pcap" : "clean.pcap")).string();
    capture_h2_load(file, loss, 2);
    const auto ours = explain_sequence(file);
    const auto theirs = frame_sequence(file);
    CHECK(ours == theirs);
  }
}

TEST_CASE("h2: the lab page's frames, exactly, as tshark decodes them", "[integration][http][h2][tshark]") {
  if (!wiresim::test::have_tshark()) return;
  TempDir dir;
  const std::string file = (dir.path() / "h2.pcap").string();
  capture_h2_load(file, 0.0, 1);
  check_clean(file);
  const auto seq = frame_sequence(file);
  // Preface, SETTINGS and WINDOW_UPDATE, then the document; the logo and the
  // background as the renderer finds them; the favicon after the load event.
  CHECK(seq.at("to_server") == std::vector<std::string>{"SETTINGS[0]", "WINDOW_UPDATE[0]", "HEADERS[1] end",
                                                         "SETTINGS[0] ack", "HEADERS[3] end", "HEADERS[5] end",
                                                         "HEADERS[7] end"});
  // One stream's DATA after another's: the background's stream depends
  // exclusively on the logo's (same priority), which the server honours.
  CHECK(seq.at("to_client") == std::vector<std::string>{"SETTINGS[0]", "WINDOW_UPDATE[0]", "SETTINGS[0] ack",
                                                         "HEADERS[1]", "DATA[1] end", "HEADERS[3]", "DATA[3]...",
                                                         "DATA[3] end", "HEADERS[5]", "DATA[5]...", "DATA[5] end",
                                                         "HEADERS[7]", "DATA[7] end"});
  for (const std::string& stream : split(tshark_fields(file, {"tcp.stream"}, "http2"), '\n')) {
    CHECK(stream == "0");  // every frame on one TCP connection
  }
  // Chromium's SETTINGS and connection WINDOW_UPDATE; nginx's.
  CHECK(tshark_fields(file,
                      {"http2.settings.header_table_size", "http2.settings.enable_push",
                       "http2.settings.initial_window_size", "http2.settings.max_header_list_size"},
                      "tcp.dstport == 80 && http2.type == 4 && http2.flags.ack.settings == 0") ==
        "65536\t0\t6291456\t262144\n");
  CHECK(tshark_fields(file, {"http2.window_update.window_size_increment"}, "tcp.dstport == 80 && http2.type == 8") ==
        "15663105\n");
  CHECK(tshark_fields(file,
                      {"http2.settings.max_concurrent_streams", "http2.settings.initial_window_size",
                       "http2.settings.max_frame_size"},
                      "tcp.srcport == 80 && http2.type == 4 && http2.flags.ack.settings == 0") ==
        "128\t65536\t16777215\n");
  check_bodies(stream_bodies(file));
}

TEST_CASE("h2: under 5% loss every stream's DATA still reassembles to the site's file", "[integration][http][h2][tshark]") {
  if (!wiresim::test::have_tshark()) return;
  TempDir dir;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    const std::string file = (dir.path() / ("h2-" + std::to_string(seed) + ".pcap")).string();
    capture_h2_load(file, 0.05, seed);
    check_clean(file);
    check_bodies(stream_bodies(file));
  }
}

TEST_CASE("h2: each request's priority, exactly as Chromium sends it", "[integration][http][h2][tshark][priority]") {
  if (!wiresim::test::have_tshark()) return;
  TempDir dir;
  const std::string file = (dir.path() / "priority.pcap").string();
  capture_h2_load(file, 0.0, 1, priority_site());
  check_clean(file);
  // The `priority` field (RFC 9218, CreateSpdyHeadersFromHttpRequest) and
  // the HEADERS weight (Spdy3PriorityToHttp2Weight) of each request.
  const std::map<std::string, std::pair<std::string, int>> expected{
      {"/", {"u=0, i", 256}},           // a navigation: HIGHEST, incremental
      {"/a.css", {"u=0", 256}},         // VeryHigh -> HIGHEST
      {"/imp.css", {"u=0", 256}},       // @import: found by the CSS parser, still VeryHigh
      {"/head.js", {"u=1", 220}},       // High -> MEDIUM
      {"/async.js", {"(none)", 147}},   // async: Low -> LOWEST, urgency 3 and not incremental
      {"/i1.jpg", {"u=2, i", 183}},     // the first five not-small images: Medium -> LOW
      {"/i2.jpg", {"u=2, i", 183}},
      {"/i3.jpg", {"u=2, i", 183}},     // 200 x 100 px: not small
      {"/small.jpg", {"i", 147}},       // 20 x 20 px: small, Low, and not counted
      {"/i4.jpg", {"u=2, i", 183}},
      {"/i5.jpg", {"u=2, i", 183}},
      {"/i6.jpg", {"i", 147}},          // the sixth: Low -> LOWEST
      {"/late.js", {"u=2", 183}},       // after the first image: Medium
      {"/late.css", {"u=2", 183}},
      {"/bg.jpg", {"i", 147}},          // a CSS url(): an image, not the preload scanner's
      {"/icon.jpg", {"u=1, i", 220}},   // the favicon: a raw fetch, High -> MEDIUM
  };
  const auto sent = sent_headers(file);
  std::map<std::string, std::pair<std::string, int>> got;
  std::map<std::string, int> weight_of_stream;
  for (const auto& [s, open] : sent) {
    INFO("stream " << s.stream << " " << s.path);
    got[s.path] = {s.priority, s.weight};
    weight_of_stream[s.stream] = s.weight;
    CHECK(s.exclusive == "1");
    // Http2PriorityDependencies: the newest open stream of the same or a
    // more urgent priority (a weight at least as high), else stream 0.
    std::string parent = "0";
    for (int w = s.weight; w <= 256 && parent == "0"; ++w) {
      for (auto it = open.rbegin(); it != open.rend(); ++it) {
        if (weight_of_stream.at(*it) == w) {
          parent = *it;
          break;
        }
      }
    }
    CHECK(s.depends_on == parent);
  }
  CHECK(got == expected);
  // Some request did depend on another: the chain is exercised, not only stream 0.
  CHECK(std::any_of(sent.begin(), sent.end(), [](const auto& e) { return e.first.depends_on != "0"; }));
}
