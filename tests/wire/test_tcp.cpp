// Real packets written by hand, byte for byte, with checksums verified by
// tshark 4.0 (ip.checksum.status and tcp.checksum.status "Good").

#include <array>
#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"
#include "wiresim/wire/tcp.hpp"

using namespace wiresim::wire;

namespace {

using K = TcpOptionKind;

/// Windows 10 style SYN: 10.0.0.1:49152 -> 10.0.0.2:80,
/// options MSS 1460, NOP, WS 8, NOP, NOP, SACK_PERM.
const std::array<std::uint8_t, 66> kWindowsSyn{
    // Ethernet: dst 02:00:00:00:00:02, src 02:00:00:00:00:01, IPv4
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
    // IPv4: IHL 5, total 52, id 0x1c46, DF, TTL 128, TCP, checksum 0xca7b
    0x45, 0x00, 0x00, 0x34, 0x1c, 0x46, 0x40, 0x00, 0x80, 0x06, 0xca, 0x7b,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    // TCP: 49152 -> 80, seq 0x8c2f1a01, ack 0, offset 8, SYN, win 64240, csum 0xf99b
    0xc0, 0x00, 0x00, 0x50, 0x8c, 0x2f, 0x1a, 0x01, 0x00, 0x00, 0x00, 0x00, 0x80, 0x02,
    0xfa, 0xf0, 0xf9, 0x9b, 0x00, 0x00,
    // options
    0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x08, 0x01, 0x01, 0x04, 0x02};

/// The pure ACK that completes the handshake above (no options).
const std::array<std::uint8_t, 54> kPureAck{
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
    // IPv4: total 40, id 0x1c47, DF, TTL 128, checksum 0xca86
    0x45, 0x00, 0x00, 0x28, 0x1c, 0x47, 0x40, 0x00, 0x80, 0x06, 0xca, 0x86,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    // TCP: seq 0x8c2f1a02, ack 0x5e3b7c11, offset 5, ACK, win 1026, csum 0x5701
    0xc0, 0x00, 0x00, 0x50, 0x8c, 0x2f, 0x1a, 0x02, 0x5e, 0x3b, 0x7c, 0x11, 0x50, 0x10,
    0x04, 0x02, 0x57, 0x01, 0x00, 0x00};

/// Linux SYN: 192.168.1.20:41234 -> 93.184.216.34:443,
/// options MSS 1460, SACK_PERM, TS val 0x0a1b2c3d ecr 0, NOP, WS 7.
const std::array<std::uint8_t, 74> kLinuxSyn{
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00,
    // IPv4: total 60, id 0xb1d4, DF, TTL 64, checksum 0x9150
    0x45, 0x00, 0x00, 0x3c, 0xb1, 0xd4, 0x40, 0x00, 0x40, 0x06, 0x91, 0x50,
    0xc0, 0xa8, 0x01, 0x14, 0x5d, 0xb8, 0xd8, 0x22,
    // TCP: 41234 -> 443, seq 1000000000, offset 10, SYN, win 64240, csum 0x76b7
    0xa1, 0x12, 0x01, 0xbb, 0x3b, 0x9a, 0xca, 0x00, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
    0xfa, 0xf0, 0x76, 0xb7, 0x00, 0x00,
    // options
    0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x0a, 0x1b, 0x2c, 0x3d,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};

const Ipv4Address kClient = Ipv4Address::from_octets(10, 0, 0, 1);
const Ipv4Address kServer = Ipv4Address::from_octets(10, 0, 0, 2);

struct Decoded {
  EthernetRepr eth;
  Ipv4Repr ip;
  TcpRepr tcp;
  std::size_t payload_len = 0;
};

/// Parses a frame through every layer, requiring valid checksums.
Decoded decode(std::span<const std::uint8_t> frame) {
  const auto eth = EthernetFrameView::check(frame);
  REQUIRE(eth.ok());
  const auto ip = Ipv4PacketView::check(eth.value().payload());
  REQUIRE(ip.ok());
  REQUIRE(ip.value().header_checksum_ok());
  const auto ip_repr = Ipv4Repr::parse(ip.value());
  REQUIRE(ip_repr.ok());
  REQUIRE(tcp_checksum_ok(ip.value().payload(), ip.value().src(), ip.value().dst()));
  const auto tcp = TcpSegmentView::check(ip.value().payload());
  REQUIRE(tcp.ok());
  const auto tcp_repr = TcpRepr::parse(tcp.value());
  REQUIRE(tcp_repr.ok());
  return Decoded{EthernetRepr::parse(eth.value()).value(), ip_repr.value(), tcp_repr.value(),
                 tcp.value().payload().size()};
}

/// Builds a frame: Ethernet, IPv4 and TCP headers, then the checksum step.
std::vector<std::uint8_t> build(const EthernetRepr& eth, Ipv4Repr ip, const TcpRepr& tcp) {
  ip.payload_len = static_cast<std::uint16_t>(tcp.header_len());
  std::vector<std::uint8_t> f(kEthernetHeaderLen + ip.buffer_len(), 0xee);
  const auto out = std::span<std::uint8_t>(f);
  eth.emit(out);
  ip.emit(out.subspan(kEthernetHeaderLen));
  const auto seg = out.subspan(kEthernetHeaderLen + kIpv4HeaderLen);
  tcp.emit(seg);
  fill_tcp_checksum(seg, ip.src, ip.dst);
  return f;
}

std::vector<std::uint8_t> to_vec(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

TcpRepr windows_syn() {
  return TcpRepr{.src_port = 49152,
                 .dst_port = 80,
                 .seq = SeqNum{0x8c2f1a01U},
                 .flags = kSyn,
                 .window = 64240,
                 .mss = 1460,
                 .window_scale = 8,
                 .sack_permitted = true,
                 .layout = TcpOptionLayout::of(
                     {K::kMss, K::kNop, K::kWindowScale, K::kNop, K::kNop, K::kSackPermitted})};
}

/// Segment bytes with data offset `offset` words and the given options.
std::vector<std::uint8_t> segment(std::uint8_t offset, std::vector<std::uint8_t> options) {
  // Ports, seq and ack zero; data offset; ACK; window, checksum, urgent zero.
  std::vector<std::uint8_t> s{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                              static_cast<std::uint8_t>(offset << 4), kAck, 0, 0, 0, 0, 0, 0};
  for (const std::uint8_t b : options) s.push_back(b);
  return s;
}

ParseError tcp_error(const std::vector<std::uint8_t>& seg) {
  const auto v = TcpSegmentView::check(seg);
  REQUIRE_FALSE(v.ok());
  return v.error();
}

}  // namespace

TEST_CASE("windows SYN parses", "[wire][tcp][golden]") {
  const Decoded d = decode(kWindowsSyn);
  CHECK(d.eth == EthernetRepr{.dst = MacAddress::local(2), .src = MacAddress::local(1)});
  CHECK(d.ip == Ipv4Repr{.src = kClient, .dst = kServer, .ttl = 128,
                         .identification = 0x1c46, .payload_len = 32});
  CHECK(d.tcp == windows_syn());
  CHECK(d.payload_len == 0);
  CHECK(describe(d.tcp, d.payload_len) ==
        "49152 > 80 [SYN] seq=2351897089 win=64240 len=0 "
        "<mss 1460,nop,wscale 8,nop,nop,sackOK>");
}

TEST_CASE("windows SYN emit reproduces the bytes", "[wire][tcp][golden]") {
  const auto f = build({.dst = MacAddress::local(2), .src = MacAddress::local(1)},
                       {.src = kClient, .dst = kServer, .ttl = 128, .identification = 0x1c46},
                       windows_syn());
  CHECK(f == to_vec(kWindowsSyn));
}

TEST_CASE("pure ACK parses and emit reproduces the bytes", "[wire][tcp][golden]") {
  const TcpRepr ack{.src_port = 49152,
                    .dst_port = 80,
                    .seq = SeqNum{0x8c2f1a02U},
                    .ack = SeqNum{0x5e3b7c11U},
                    .flags = kAck,
                    .window = 1026};
  const Decoded d = decode(kPureAck);
  CHECK(d.tcp == ack);
  CHECK(d.tcp.header_len() == 20);
  CHECK(describe(d.tcp, 0) == "49152 > 80 [ACK] seq=2351897090 ack=1580956689 win=1026 len=0");
  const auto f = build({.dst = MacAddress::local(2), .src = MacAddress::local(1)},
                       {.src = kClient, .dst = kServer, .ttl = 128, .identification = 0x1c47},
                       ack);
  CHECK(f == to_vec(kPureAck));
}

TEST_CASE("linux SYN parses and the canonical layout reproduces it", "[wire][tcp][golden]") {
  const TcpRepr syn{.src_port = 41234,
                    .dst_port = 443,
                    .seq = SeqNum{1000000000U},
                    .flags = kSyn,
                    .window = 64240,
                    .mss = 1460,
                    .window_scale = 7,
                    .sack_permitted = true,
                    .timestamps = TcpTimestamps{0x0a1b2c3dU, 0}};
  const Decoded d = decode(kLinuxSyn);
  TcpRepr parsed = d.tcp;
  CHECK(parsed.layout == TcpOptionLayout::of({K::kMss, K::kSackPermitted, K::kTimestamps,
                                               K::kNop, K::kWindowScale}));
  CHECK(parsed.layout == syn.canonical_layout());
  parsed.layout = {};
  CHECK(parsed == syn);
  CHECK(describe(syn, 0) ==
        "41234 > 443 [SYN] seq=1000000000 win=64240 len=0 "
        "<mss 1460,sackOK,TS val 169552957 ecr 0,nop,wscale 7>");

  const Ipv4Address src = Ipv4Address::from_octets(192, 168, 1, 20);
  const Ipv4Address dst = Ipv4Address::from_octets(93, 184, 216, 34);
  CHECK(d.ip == Ipv4Repr{.src = src, .dst = dst, .identification = 0xb1d4, .payload_len = 40});
  const auto f = build({.dst = MacAddress::local(1), .src = MacAddress::local(2)},
                       {.src = src, .dst = dst, .identification = 0xb1d4}, syn);
  CHECK(f == to_vec(kLinuxSyn));
}

TEST_CASE("tcp view accessors", "[wire][tcp]") {
  const auto seg = std::span<const std::uint8_t>(kWindowsSyn).subspan(34);
  const auto v = TcpSegmentView::check(seg);
  REQUIRE(v.ok());
  CHECK(v.value().src_port() == 49152);
  CHECK(v.value().dst_port() == 80);
  CHECK(v.value().seq() == SeqNum{0x8c2f1a01U});
  CHECK(v.value().ack() == SeqNum{0});
  CHECK(v.value().header_len() == 32);
  CHECK(v.value().flags() == kSyn);
  CHECK(v.value().has(kSyn));
  CHECK_FALSE(v.value().has(kAck));
  CHECK(v.value().window() == 64240);
  CHECK(v.value().checksum() == 0xf99b);
  CHECK(v.value().urgent() == 0);
  CHECK(v.value().options().size() == 12);
  CHECK(v.value().payload().empty());
}

TEST_CASE("tcp checksum covers pseudo-header, header and payload", "[wire][tcp][checksum]") {
  // fill_tcp_checksum sums the payload apart from the header (header last):
  // tcp_checksum_ok sums the whole segment in one pass, so these check that
  // both orders agree, with and without options, for odd payloads too.
  TcpRepr r{.src_port = 80, .dst_port = 49152, .seq = SeqNum{1}, .ack = SeqNum{2},
            .flags = kPsh | kAck, .window = 502};
  TcpRepr ts = r;
  ts.timestamps = TcpTimestamps{0xfedcba98, 0x01234567};
  for (const TcpRepr* h : {&r, &ts}) {
    for (const std::size_t payload : {0U, 1U, 2U, 3U, 63U, 64U, 65U, 1447U, 1448U}) {
      const std::size_t hlen = h->header_len();
      std::vector<std::uint8_t> seg(hlen + payload, 0);
      for (std::size_t i = 0; i < payload; ++i) seg[hlen + i] = static_cast<std::uint8_t>(i * 7 + 1);
      h->emit(seg);
      fill_tcp_checksum(seg, kServer, kClient);
      INFO("header " << hlen << " payload " << payload);
      CHECK(tcp_checksum_ok(seg, kServer, kClient));
      CHECK_FALSE(tcp_checksum_ok(seg, kClient, Ipv4Address::from_octets(10, 0, 0, 3)));
      seg.back() ^= 0x01;
      CHECK_FALSE(tcp_checksum_ok(seg, kServer, kClient));
    }
  }
  auto bad = to_vec(std::span<const std::uint8_t>(kPureAck).subspan(34));
  bad[17] ^= 0x80;
  CHECK_FALSE(tcp_checksum_ok(bad, kClient, kServer));
  CHECK_FALSE(tcp_checksum_ok(std::span<const std::uint8_t>(bad).first(19), kClient, kServer));
}

TEST_CASE("tcp view rejects a bad data offset", "[wire][tcp]") {
  CHECK(tcp_error(std::vector<std::uint8_t>(19, 0)) == ParseError::kTruncated);
  CHECK(tcp_error(segment(4, {})) == ParseError::kBadDataOffset);
  CHECK(tcp_error(segment(0, {})) == ParseError::kBadDataOffset);
  CHECK(tcp_error(segment(6, {})) == ParseError::kBadDataOffset);
  CHECK(tcp_error(segment(15, {1, 1, 1, 1})) == ParseError::kBadDataOffset);
  CHECK(TcpSegmentView::check(segment(5, {1, 2, 3})).value().payload().size() == 3);
}

TEST_CASE("tcp view rejects malformed options", "[wire][tcp][options]") {
  SECTION("length 0") {
    CHECK(tcp_error(segment(6, {0x1e, 0x00, 0x01, 0x01})) == ParseError::kBadOptionLength);
  }
  SECTION("length 1") {
    CHECK(tcp_error(segment(6, {0x1e, 0x01, 0x01, 0x01})) == ParseError::kBadOptionLength);
  }
  SECTION("kind without a length byte at the end") {
    CHECK(tcp_error(segment(6, {0x01, 0x01, 0x01, 0x02})) == ParseError::kBadOptionLength);
  }
  SECTION("timestamps running past the header") {
    // The payload bytes after the header must not be read as options.
    CHECK(tcp_error(segment(6, {0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0})) ==
          ParseError::kBadOptionLength);
  }
  SECTION("unknown kind running past the header") {
    CHECK(tcp_error(segment(6, {0x01, 0x1e, 0x04, 0x00})) == ParseError::kBadOptionLength);
  }
  SECTION("wrong MSS length") {
    CHECK(tcp_error(segment(6, {0x02, 0x03, 0x05, 0x01})) == ParseError::kBadOptionLength);
    CHECK(tcp_error(segment(7, {0x02, 0x06, 0x05, 0xb4, 0, 0, 0x01, 0x01})) ==
          ParseError::kBadOptionLength);
  }
  SECTION("wrong window scale length") {
    CHECK(tcp_error(segment(6, {0x03, 0x04, 0x07, 0x00})) == ParseError::kBadOptionLength);
  }
  SECTION("wrong SACK permitted length") {
    CHECK(tcp_error(segment(6, {0x04, 0x03, 0x00, 0x01})) == ParseError::kBadOptionLength);
  }
  SECTION("wrong timestamps length") {
    CHECK(tcp_error(segment(7, {0x08, 0x08, 0, 0, 0, 0, 0, 0})) == ParseError::kBadOptionLength);
  }
  SECTION("SACK without blocks or with a partial block") {
    CHECK(tcp_error(segment(6, {0x01, 0x01, 0x05, 0x02})) == ParseError::kBadOptionLength);
    CHECK(tcp_error(segment(8, {0x01, 0x01, 0x05, 0x0b, 0, 0, 0, 1, 0, 0, 0, 2})) ==
          ParseError::kBadOptionLength);
  }
}

TEST_CASE("tcp options after EOL are not examined", "[wire][tcp][options]") {
  const auto seg = segment(6, {0x00, 0xff, 0x01, 0xff});
  const auto v = TcpSegmentView::check(seg);
  REQUIRE(v.ok());
  const TcpRepr r = TcpRepr::parse(v.value()).value();
  CHECK(r.layout == TcpOptionLayout::of({K::kEnd}));
}

TEST_CASE("unknown tcp options are skipped", "[wire][tcp][options]") {
  // Kind 30 (MPTCP) length 4, then MSS 1400.
  const auto seg = segment(7, {0x1e, 0x04, 0xaa, 0xbb, 0x02, 0x04, 0x05, 0x78});
  const TcpRepr r = TcpRepr::parse(TcpSegmentView::check(seg).value()).value();
  CHECK(r.mss == std::optional<std::uint16_t>{1400});
  CHECK(r.layout == TcpOptionLayout::of({K::kMss}));
}

TEST_CASE("repeated tcp options: the last one wins", "[wire][tcp][options]") {
  const auto seg = segment(7, {0x02, 0x04, 0x05, 0xb4, 0x02, 0x04, 0x02, 0x18});
  const TcpRepr r = TcpRepr::parse(TcpSegmentView::check(seg).value()).value();
  CHECK(r.mss == std::optional<std::uint16_t>{536});
  CHECK(r.layout == TcpOptionLayout::of({K::kMss, K::kMss}));
}

TEST_CASE("describe names flags like Wireshark", "[wire][tcp][describe]") {
  TcpRepr r{.src_port = 80, .dst_port = 49152, .seq = SeqNum{1}, .ack = SeqNum{1001},
            .window = 501};
  r.flags = kSyn | kAck;
  CHECK(describe(r, 0) == "80 > 49152 [SYN, ACK] seq=1 ack=1001 win=501 len=0");
  r.flags = kFin | kPsh | kAck;
  CHECK(describe(r, 10) == "80 > 49152 [FIN, PSH, ACK] seq=1 ack=1001 win=501 len=10");
  r.flags = kRst;
  CHECK(describe(r, 0) == "80 > 49152 [RST] seq=1 win=501 len=0");
  r.flags = kSyn | kEce | kCwr;
  CHECK(describe(r, 0) == "80 > 49152 [SYN, ECE, CWR] seq=1 win=501 len=0");
  r.flags = kUrg | kAck;
  r.urgent = 3;
  CHECK(describe(r, 5) == "80 > 49152 [ACK, URG] seq=1 ack=1001 win=501 urg=3 len=5");
  r.flags = 0;
  CHECK(describe(r, 0) == "80 > 49152 [<None>] seq=1 win=501 len=0");
}

TEST_CASE("describe prints timestamps and SACK blocks", "[wire][tcp][describe]") {
  TcpRepr r{.src_port = 80, .dst_port = 49152, .seq = SeqNum{1}, .ack = SeqNum{1001},
            .flags = kAck, .window = 501, .timestamps = TcpTimestamps{5, 6}};
  r.sack_blocks[0] = {SeqNum{2001}, SeqNum{3001}};
  r.sack_blocks[1] = {SeqNum{4001}, SeqNum{5001}};
  r.sack_count = 2;
  CHECK(describe(r, 0) ==
        "80 > 49152 [ACK] seq=1 ack=1001 win=501 len=0 "
        "<nop,nop,TS val 5 ecr 6,nop,nop,sack 2 {2001:3001}{4001:5001}>");
}
