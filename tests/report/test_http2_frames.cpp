// The HTTP/2 frame labels `wiresim explain` draws: frames named where
// their 9-byte header starts (RFC 9113 §4.1), each direction put back in
// order by sequence number, resends labelled as what they repeat, and
// nothing for a connection that does not open with the preface.

#include <catch2/catch.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wiresim/report/http2_frames.hpp"
#include "wiresim/wire/tcp.hpp"

using namespace wiresim::report;

namespace {

std::string frame(std::uint32_t len, std::uint8_t type, std::uint8_t flags, std::uint32_t stream) {
  std::string f{static_cast<char>(len >> 16), static_cast<char>(len >> 8), static_cast<char>(len),
                static_cast<char>(type), static_cast<char>(flags), static_cast<char>(stream >> 24),
                static_cast<char>(stream >> 16), static_cast<char>(stream >> 8), static_cast<char>(stream)};
  return f + std::string(len, 'x');
}

struct Capture {
  std::vector<CapturedSegment> segs;
  std::vector<std::string> bytes;

  void syn(const std::string& src, const std::string& dst, std::uint32_t isn) {
    CapturedSegment s;
    s.src = src;
    s.dst = dst;
    s.seq = isn;
    s.flags = wiresim::wire::kSyn;
    segs.push_back(s);
    bytes.emplace_back();
  }
  void data(const std::string& src, const std::string& dst, std::uint32_t seq, const std::string& payload) {
    CapturedSegment s;
    s.src = src;
    s.dst = dst;
    s.seq = seq;
    s.flags = wiresim::wire::kAck;
    s.payload_len = static_cast<std::uint32_t>(payload.size());
    segs.push_back(s);
    bytes.push_back(payload);
  }
  void label() {
    std::vector<std::span<const std::uint8_t>> p;
    for (const std::string& b : bytes) p.emplace_back(reinterpret_cast<const std::uint8_t*>(b.data()), b.size());
    label_http2_frames(segs, p);
  }
};

constexpr const char* kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const std::string kC = "10.0.0.1:40000";
const std::string kS = "10.0.0.2:80";

}  // namespace

TEST_CASE("http2 labels: frames where their header starts, in stream order, resends as their originals",
          "[report][http2]") {
  Capture c;
  c.syn(kC, kS, 1000);
  c.syn(kS, kC, 5000);
  const std::string client = std::string(kPreface) + frame(6, 4, 0, 0) + frame(4, 8, 0, 0) + frame(20, 1, 0x5, 1);
  // The client's bytes in two segments split inside the HEADERS frame.
  const std::size_t cut = 24 + 15 + 13 + 5;
  c.data(kC, kS, 1001, client.substr(0, cut));
  c.data(kC, kS, 1001 + static_cast<std::uint32_t>(cut), client.substr(cut));
  // The server: SETTINGS, SETTINGS ACK, HEADERS[1]; then DATA[1] arrives
  // before the segment ahead of it (out of order), and is resent.
  const std::string s1 = frame(6, 4, 0, 0) + frame(0, 4, 0x1, 0) + frame(10, 1, 0x4, 1);
  const std::string s2 = frame(30, 0, 0, 1);
  const std::string s3 = frame(5, 0, 0x1, 1) + frame(0, 0x20, 0, 0);
  c.data(kS, kC, 5001 + static_cast<std::uint32_t>(s1.size()), s2 + s3);  // ahead of s1
  c.data(kS, kC, 5001, s1);
  c.data(kS, kC, 5001 + static_cast<std::uint32_t>(s1.size()), s2);  // a resend of the first bytes of it
  c.label();
  CHECK(c.segs[0].http2.empty());  // the SYNs
  CHECK(c.segs[2].http2 == "HTTP2 Magic, SETTINGS[0], WINDOW_UPDATE[0], HEADERS[1] END_STREAM");
  CHECK(c.segs[3].http2.empty());  // only the rest of the HEADERS frame
  CHECK(c.segs[4].http2 == "HTTP2 DATA[1], DATA[1] END_STREAM, UNKNOWN(0x20)[0]");
  CHECK(c.segs[5].http2 == "HTTP2 SETTINGS[0], SETTINGS[0] ACK, HEADERS[1]");
  CHECK(c.segs[6].http2 == "HTTP2 DATA[1]");
}

TEST_CASE("http2 labels: no preface, no labels, and many frames in one segment are counted", "[report][http2]") {
  Capture c;
  c.syn(kC, kS, 0);
  c.data(kC, kS, 1, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  c.syn(kC, "10.0.0.2:81", 0);
  std::string many = kPreface;
  for (int i = 0; i < 9; ++i) many += frame(0, 6, 0, 0);  // nine PINGs
  c.data(kC, "10.0.0.2:81", 1, many);
  c.label();
  CHECK(c.segs[1].http2.empty());
  CHECK(c.segs[3].http2 == "HTTP2 Magic, PING[0], PING[0], PING[0], PING[0], PING[0] (+4 more)");
  CHECK(http2_frame_type_name(9) == "CONTINUATION");
}
