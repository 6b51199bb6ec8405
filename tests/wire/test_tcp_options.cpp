// TCP option emission: canonical (Linux) layouts, explicit layouts, the
// 40-byte limit, and parse(emit(x)) == x.

#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/wire/tcp.hpp"

using namespace wiresim::wire;

namespace {

using K = TcpOptionKind;

TcpRepr base() {
  return TcpRepr{.src_port = 1234, .dst_port = 80, .seq = SeqNum{100}, .ack = SeqNum{200},
                 .flags = kAck, .window = 1000};
}

void set_sack(TcpRepr& r, std::uint8_t n) {
  for (std::uint8_t i = 0; i < n; ++i) {
    r.sack_blocks[i] = {SeqNum{1000U + 100U * i}, SeqNum{1050U + 100U * i}};
  }
  r.sack_count = n;
}

/// emit() into a buffer pre-filled with garbage, then check and parse.
struct Emitted {
  std::vector<std::uint8_t> bytes;
  TcpRepr parsed;
};

Emitted emit_and_parse(const TcpRepr& r) {
  std::vector<std::uint8_t> buf(r.header_len(), 0xaa);
  r.emit(buf);
  const auto v = TcpSegmentView::check(buf);
  REQUIRE(v.ok());
  REQUIRE(v.value().header_len() == r.header_len());
  REQUIRE(v.value().payload().empty());
  const auto p = TcpRepr::parse(v.value());
  REQUIRE(p.ok());
  return {buf, p.value()};
}

std::vector<std::uint8_t> options_of(const Emitted& e) {
  return {e.bytes.begin() + 20, e.bytes.end()};
}

}  // namespace

TEST_CASE("each option alone, canonical layout", "[wire][tcp][options]") {
  struct Case {
    const char* name;
    void (*set)(TcpRepr&);
    std::vector<std::uint8_t> bytes;
    TcpOptionLayout layout;
  };
  const std::vector<Case> cases{
      {"mss", [](TcpRepr& r) { r.mss = 1460; }, {0x02, 0x04, 0x05, 0xb4},
       TcpOptionLayout::of({K::kMss})},
      {"window scale", [](TcpRepr& r) { r.window_scale = 14; }, {0x01, 0x03, 0x03, 0x0e},
       TcpOptionLayout::of({K::kNop, K::kWindowScale})},
      {"sack permitted", [](TcpRepr& r) { r.sack_permitted = true; }, {0x01, 0x01, 0x04, 0x02},
       TcpOptionLayout::of({K::kNop, K::kNop, K::kSackPermitted})},
      {"timestamps", [](TcpRepr& r) { r.timestamps = TcpTimestamps{0x01020304U, 0xa0b0c0d0U}; },
       {0x01, 0x01, 0x08, 0x0a, 0x01, 0x02, 0x03, 0x04, 0xa0, 0xb0, 0xc0, 0xd0},
       TcpOptionLayout::of({K::kNop, K::kNop, K::kTimestamps})},
      {"one sack block", [](TcpRepr& r) { set_sack(r, 1); },
       {0x01, 0x01, 0x05, 0x0a, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x04, 0x1a},
       TcpOptionLayout::of({K::kNop, K::kNop, K::kSack})},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    TcpRepr r = base();
    c.set(r);
    const Emitted e = emit_and_parse(r);
    CHECK(options_of(e) == c.bytes);
    CHECK(e.parsed.layout == c.layout);
    CHECK(r.wire_layout() == c.layout);
    TcpRepr parsed = e.parsed;
    parsed.layout = {};
    CHECK(parsed == r);
  }
}

TEST_CASE("sack blocks 1 to 4 without timestamps", "[wire][tcp][options][sack]") {
  for (std::uint8_t n = 1; n <= 4; ++n) {
    TcpRepr r = base();
    set_sack(r, n);
    INFO(int{n} << " blocks");
    CHECK(r.options_len() == 4U + 8U * n);
    CHECK(r.emitted_sack_count() == n);
    const Emitted e = emit_and_parse(r);
    CHECK(e.parsed.sack_count == n);
    CHECK(e.parsed.sack_blocks == r.sack_blocks);
  }
}

TEST_CASE("linux SYN layouts for each option subset", "[wire][tcp][options]") {
  TcpRepr r = base();
  r.flags = kSyn;
  r.mss = 1460;
  SECTION("MSS, SACK_PERM, TS, NOP, WS") {
    r.sack_permitted = true;
    r.timestamps = TcpTimestamps{1, 0};
    r.window_scale = 7;
    CHECK(r.canonical_layout() == TcpOptionLayout::of({K::kMss, K::kSackPermitted, K::kTimestamps,
                                                       K::kNop, K::kWindowScale}));
    CHECK(r.options_len() == 20);
  }
  SECTION("no timestamps: MSS, NOP, NOP, SACK_PERM, NOP, WS") {
    r.sack_permitted = true;
    r.window_scale = 7;
    CHECK(r.canonical_layout() == TcpOptionLayout::of({K::kMss, K::kNop, K::kNop,
                                                       K::kSackPermitted, K::kNop,
                                                       K::kWindowScale}));
    CHECK(r.options_len() == 12);
    CHECK(options_of(emit_and_parse(r)) ==
          std::vector<std::uint8_t>{0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02, 0x01, 0x03,
                                    0x03, 0x07});
  }
  SECTION("no SACK_PERM: MSS, NOP, NOP, TS, NOP, WS") {
    r.timestamps = TcpTimestamps{1, 0};
    r.window_scale = 7;
    CHECK(r.canonical_layout() == TcpOptionLayout::of({K::kMss, K::kNop, K::kNop, K::kTimestamps,
                                                       K::kNop, K::kWindowScale}));
    CHECK(r.options_len() == 20);
  }
  SECTION("MSS and WS only") {
    r.window_scale = 0;
    CHECK(r.canonical_layout() == TcpOptionLayout::of({K::kMss, K::kNop, K::kWindowScale}));
    CHECK(options_of(emit_and_parse(r)) ==
          std::vector<std::uint8_t>{0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x00});
  }
  SECTION("MSS only") {
    CHECK(r.options_len() == 4);
  }
  const Emitted e = emit_and_parse(r);
  CHECK(e.parsed.layout == r.canonical_layout());
  TcpRepr parsed = e.parsed;
  parsed.layout = {};
  CHECK(parsed == r);
}

TEST_CASE("every canonical option combination round-trips", "[wire][tcp][options]") {
  for (unsigned mask = 0; mask < 16; ++mask) {
    for (std::uint8_t n = 0; n <= 4; ++n) {
      TcpRepr r = base();
      if ((mask & 1U) != 0) r.mss = 536;
      if ((mask & 2U) != 0) r.window_scale = 3;
      if ((mask & 4U) != 0) r.sack_permitted = true;
      if ((mask & 8U) != 0) r.timestamps = TcpTimestamps{0xffffffffU, 7};
      set_sack(r, n);
      INFO("mask " << mask << " sack " << int{n});
      const Emitted e = emit_and_parse(r);
      REQUIRE(r.options_len() <= 40);
      REQUIRE(r.options_len() % 4 == 0);
      CHECK(e.parsed.layout == r.wire_layout());
      // Blocks that did not fit were dropped from the end.
      TcpRepr expected = r;
      const auto kept = static_cast<std::uint8_t>(r.emitted_sack_count());
      for (std::size_t i = kept; i < 4; ++i) expected.sack_blocks[i] = {};
      expected.sack_count = kept;
      TcpRepr parsed = e.parsed;
      parsed.layout = {};
      CHECK(parsed == expected);
    }
  }
}

TEST_CASE("canonical fast path writes what the explicit layout writes", "[wire][tcp][options]") {
  // An empty layout takes emit()'s canonical fast path; the same options
  // with their wire_layout() spelled out take the general planner.
  for (unsigned mask = 0; mask < 16; ++mask) {
    for (std::uint8_t n = 0; n <= 4; ++n) {
      TcpRepr r = base();
      if ((mask & 1U) != 0) r.mss = 1460;
      if ((mask & 2U) != 0) r.window_scale = 7;
      if ((mask & 4U) != 0) r.sack_permitted = true;
      if ((mask & 8U) != 0) r.timestamps = TcpTimestamps{123456, 654321};
      set_sack(r, n);
      INFO("mask " << mask << " sack " << int{n});
      TcpRepr spelled = r;
      spelled.layout = r.wire_layout();
      spelled.sack_count = static_cast<std::uint8_t>(r.emitted_sack_count());
      REQUIRE(spelled.options_len() == r.options_len());
      CHECK(spelled.emitted_sack_count() == r.emitted_sack_count());
      std::vector<std::uint8_t> fast(r.header_len(), 0xaa);
      std::vector<std::uint8_t> general(spelled.header_len(), 0x55);
      r.emit(fast);
      spelled.emit(general);
      CHECK(fast == general);
    }
  }
}

TEST_CASE("trailing sack blocks that do not fit are dropped", "[wire][tcp][options][sack]") {
  TcpRepr r = base();
  r.timestamps = TcpTimestamps{10, 20};
  set_sack(r, 4);
  // NOP NOP TS (12) + NOP NOP SACK(3) (28) = 40; a 4th block would be 48.
  CHECK(r.options_len() == 40);
  CHECK(r.header_len() == 60);
  CHECK(r.emitted_sack_count() == 3);
  const Emitted e = emit_and_parse(r);
  CHECK(e.parsed.sack_count == 3);
  CHECK(e.parsed.sack_blocks[2] == r.sack_blocks[2]);
  CHECK(e.parsed.sack_blocks[3] == SackBlock{});
  CHECK(describe(r, 0) ==
        "1234 > 80 [ACK] seq=100 ack=200 win=1000 len=0 <nop,nop,TS val 10 ecr 20,nop,nop,"
        "sack 3 {1000:1050}{1100:1150}{1200:1250}>");
}

TEST_CASE("explicit layouts round-trip exactly", "[wire][tcp][options][layout]") {
  TcpRepr r = base();
  r.flags = kSyn;
  r.mss = 1460;
  r.window_scale = 6;
  r.sack_permitted = true;
  r.timestamps = TcpTimestamps{0x11223344U, 0};
  SECTION("macOS style: MSS, NOP, WS, NOP, NOP, TS, SACK_PERM, then EOL padding") {
    r.layout = TcpOptionLayout::of({K::kMss, K::kNop, K::kWindowScale, K::kNop, K::kNop,
                                    K::kTimestamps, K::kSackPermitted});
    const Emitted e = emit_and_parse(r);
    CHECK(options_of(e) ==
          std::vector<std::uint8_t>{0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x06,
                                    0x01, 0x01, 0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,
                                    0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x00, 0x00});
    CHECK(e.parsed == r);
  }
  SECTION("no NOPs at all") {
    r.layout = TcpOptionLayout::of({K::kTimestamps, K::kWindowScale, K::kSackPermitted, K::kMss});
    const Emitted e = emit_and_parse(r);
    CHECK(r.options_len() == 20);  // 19 bytes + 1 padding
    CHECK(e.parsed == r);
  }
  SECTION("explicit EOL that is not just padding") {
    r.timestamps.reset();
    r.window_scale.reset();
    r.sack_permitted = false;
    r.layout = TcpOptionLayout::of({K::kMss, K::kEnd});
    const Emitted e = emit_and_parse(r);
    CHECK(options_of(e) == std::vector<std::uint8_t>{0x02, 0x04, 0x05, 0xb4, 0, 0, 0, 0});
    CHECK(e.parsed == r);
  }
}

TEST_CASE("explicit layout: absent entries skipped, missing values appended",
          "[wire][tcp][options][layout]") {
  TcpRepr r = base();
  r.mss = 1460;
  r.timestamps = TcpTimestamps{1, 2};
  r.layout = TcpOptionLayout::of({K::kWindowScale, K::kMss});
  CHECK(r.wire_layout() == TcpOptionLayout::of({K::kMss, K::kNop, K::kNop, K::kTimestamps}));
  CHECK(r.options_len() == 16);
  const Emitted e = emit_and_parse(r);
  CHECK(e.parsed.layout == r.wire_layout());
}

TEST_CASE("explicit layout with SACK drops blocks to fit", "[wire][tcp][options][sack]") {
  TcpRepr r = base();
  r.timestamps = TcpTimestamps{1, 2};
  set_sack(r, 4);
  r.layout = TcpOptionLayout::of({K::kSack, K::kTimestamps});  // 2 + 8n + 10 <= 40
  CHECK(r.emitted_sack_count() == 3);
  CHECK(r.options_len() == 36);
  const Emitted e = emit_and_parse(r);
  CHECK(e.parsed.sack_count == 3);
  CHECK(e.parsed.layout == r.layout);
}

TEST_CASE("an overlong explicit layout is cut at 40 bytes", "[wire][tcp][options][layout]") {
  TcpRepr r = base();
  r.mss = 1460;
  r.timestamps = TcpTimestamps{1, 2};
  for (int i = 0; i < 30; ++i) r.layout.push_back(K::kNop);
  r.layout.push_back(K::kMss);
  r.layout.push_back(K::kTimestamps);
  // 30 NOPs + MSS (4) fit in 34 bytes; the timestamps do not.
  CHECK(r.options_len() == 36);
  const Emitted e = emit_and_parse(r);
  CHECK(e.parsed.mss == std::optional<std::uint16_t>{1460});
  CHECK_FALSE(e.parsed.timestamps.has_value());
}

TEST_CASE("option layout container", "[wire][tcp][options][layout]") {
  TcpOptionLayout l;
  CHECK(l.empty());
  l.push_back(K::kNop);
  l.push_back(K::kMss);
  CHECK(l.size() == 2);
  CHECK(l[1] == K::kMss);
  CHECK(l.contains(K::kMss));
  CHECK_FALSE(l.contains(K::kSack));
  CHECK(l == TcpOptionLayout::of({K::kNop, K::kMss}));
  CHECK_FALSE(l == TcpOptionLayout::of({K::kNop}));
  l.clear();
  CHECK(l == TcpOptionLayout{});
}

namespace wiresim::wire {
namespace {

TEST_CASE("canonical_data_options_len is the options_len of the header it stands for", "[wire][tcp][options][sack]") {
  // 12 bytes of NOP,NOP,TS; 4 + 8 per SACK block; with timestamps only 3
  // blocks fit in 40 bytes (RFC 2018 §3), without them 4.
  CHECK(canonical_data_options_len(true, 0) == 12);
  CHECK(canonical_data_options_len(false, 0) == 0);
  CHECK(canonical_data_options_len(true, 3) == 40);
  CHECK(canonical_data_options_len(true, 5) == 40);
  CHECK(canonical_data_options_len(false, 4) == 36);
  for (const bool ts : {false, true}) {
    for (std::uint8_t n = 0; n <= 4; ++n) {
      TcpRepr r;
      r.flags = kAck;
      if (ts) r.timestamps = TcpTimestamps{1, 2};
      r.sack_count = n;
      for (std::uint8_t i = 0; i < n; ++i) r.sack_blocks[i] = SackBlock{SeqNum(100u * i), SeqNum(100u * i + 50)};
      INFO("timestamps " << ts << ", blocks " << int{n});
      CHECK(canonical_data_options_len(ts, n) == r.options_len());
    }
  }
}

}  // namespace
}  // namespace wiresim::wire
