// Data transfer: acknowledgement policy (RFC 9293 §3.8.6.3, RFC 5681 §4.2),
// PSH, Nagle, flow control and silly-window avoidance (§3.8.6), zero-window
// probing (§3.8.6.1), and 32-bit sequence wraparound.

#include "connection_harness.hpp"

namespace wiresim::tcp::test {
namespace {

using CE = ConnectionEvent;

TEST_CASE("in-order data is ACKed after every second full-sized segment", "[tcp][data][delack]") {
  Harness h;
  h.established();
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .data = bytes(1460)});
  h.expect_nothing();
  h.send({.seq = kIrs + 1461, .ack = kIss + 1, .data = bytes(1460, 1460)});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 2921, .win = kOurWin - 2920});
  CHECK(h.take_events() == std::vector{CE::kReadable, CE::kReadable});
  CHECK(h.app_read() == bytes(2920));
  CHECK(h.c().next_deadline() == Time::max());
}

TEST_CASE("a lone segment is ACKed when the delayed-ACK timer fires", "[tcp][data][delack]") {
  Harness h;
  h.established();
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 1, .data = "GET / HTTP/1.1\r\n\r\n"});
  h.expect_nothing_until(h.now + 40_ms - 1_ns);
  h.expect_reply_at(h.now + 1_ns, {.seq = kIss + 1, .ack = kIrs + 19, .win = kOurWin - 18});
}

TEST_CASE("a reply sent before the delayed-ACK timer carries the ACK", "[tcp][data][delack]") {
  Harness h;
  h.established();
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 1, .data = "ping"});
  h.advance(5_ms);
  h.app_send("pong");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 5, .win = kOurWin - 4,
                  .data = "pong"});
  // Nothing is owed: no separate ACK at 40 ms; "pong" is resent only at its RTO.
  h.expect_nothing_until(h.now + 200_ms - 1_ns);
}

TEST_CASE("out-of-order data is ACKed at once, and so is the segment filling the hole",
          "[tcp][data][reassembly]") {
  Harness h;
  h.established();
  h.send({.seq = kIrs + 1461, .ack = kIss + 1, .data = bytes(1000, 1460)});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});  // duplicate ACK
  CHECK(h.take_events().empty());
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .data = bytes(1460)});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 2461, .win = kOurWin - 2460});
  CHECK(h.app_read() == bytes(2460));
}

TEST_CASE("a duplicate segment is ACKed at once and delivered only once", "[tcp][data]") {
  Harness h;
  h.established();
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .data = "once"});
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .data = "once"});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 5, .win = kOurWin - 4});
  CHECK(h.app_read() == "once");
  h.send({.seq = kIrs + 3, .ack = kIss + 1, .data = "ce and more"});  // overlapping
  CHECK(h.app_read() == " and more");
}

TEST_CASE("a FIN after a hole is ACKed at once and taken when the hole fills", "[tcp][data][close]") {
  Harness h;
  h.established();
  h.send({.flags = kFin | kAck, .seq = kIrs + 4, .ack = kIss + 1, .data = "def"});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  CHECK(h.state() == TcpState::kEstablished);
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .data = "abc"});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 8, .win = kOurWin - 7});
  CHECK(h.state() == TcpState::kCloseWait);
  CHECK(h.take_events() == std::vector{CE::kReadable, CE::kPeerClosed});
  CHECK(h.app_read() == "abcdef");
}

TEST_CASE("PSH marks the segment that empties the send queue", "[tcp][data][psh]") {
  Harness h;
  h.established();
  h.app_send(bytes(3000));
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .data = bytes(1460)});
  h.expect_reply({.seq = kIss + 1461, .ack = kIrs + 1, .data = bytes(1460, 1460)});
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 2921, .ack = kIrs + 1, .data = bytes(80, 2920)});
  h.expect_nothing();
}

TEST_CASE("the initial window is 10 segments, each ACK opens more (slow start)", "[tcp][data][cwnd]") {
  Harness h;
  h.established();
  h.app_send(bytes(20 * 1460));
  for (std::uint32_t i = 0; i < 10; ++i) {
    h.expect_reply({.seq = kIss + 1 + i * 1460, .ack = kIrs + 1, .data = bytes(1460, i * 1460)});
  }
  h.expect_nothing();
  h.send({.seq = kIrs + 1, .ack = kIss + 1 + 2 * 1460});
  // Two segments acknowledged: cwnd grows by 2 MSS (RFC 5681 §3.1, L = 2).
  for (std::uint32_t i = 10; i < 14; ++i) {
    h.expect_reply({.seq = kIss + 1 + i * 1460, .ack = kIrs + 1, .data = bytes(1460, i * 1460)});
  }
  h.expect_nothing();
}

TEST_CASE("Nagle holds a small segment while an earlier small one is unacknowledged",
          "[tcp][data][nagle]") {
  Harness h;
  h.established();
  h.app_send("a");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "a"});
  h.app_send("b");
  h.app_send("c");
  h.expect_nothing();
  h.send({.seq = kIrs + 1, .ack = kIss + 2});
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 2, .ack = kIrs + 1, .data = "bc"});
}

TEST_CASE("with Nagle off small segments go out at once", "[tcp][data][nagle]") {
  Harness h;
  h.established();
  h.c().set_nagle(false);
  h.app_send("a");
  h.app_send("b");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "a"});
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 2, .ack = kIrs + 1, .data = "b"});
}

TEST_CASE("Nagle does not hold the tail of a burst of full segments (Minshall)", "[tcp][data][nagle]") {
  Harness h;
  h.established();
  h.app_send(bytes(1460 + 10));
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .data = bytes(1460)});
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1461, .ack = kIrs + 1, .data = bytes(10, 1460)});
}

TEST_CASE("TCP_CORK holds the partial tail until the uncork", "[tcp][data][cork]") {
  Harness h;
  h.established();
  h.c().set_nagle(false);
  h.c().set_cork(h.now, true);
  h.app_send(bytes(200));
  h.expect_nothing();  // corked: even with Nagle off a partial segment waits
  h.app_send(bytes(1460 + 100, 200));
  // Full segments leave: the head's 200 bytes and the first 1260 of the body.
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .data = bytes(1460)});
  h.expect_nothing();
  h.c().set_cork(h.now, false);
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1461, .ack = kIrs + 1, .data = bytes(300, 1460)});
}

TEST_CASE("close() while corked: the FIN rides on the last data segment", "[tcp][data][cork][close]") {
  Harness h;
  h.established();
  h.c().set_cork(h.now, true);
  h.app_send(bytes(660));
  h.expect_nothing();
  h.c().close(h.now);
  h.expect_reply({.flags = kAck | kPsh | kFin, .seq = kIss + 1, .ack = kIrs + 1, .data = bytes(660)});
  CHECK(h.state() == TcpState::kFinWait1);
}

TEST_CASE("the sender stays within the peer's window", "[tcp][data][window]") {
  Harness h;
  h.established();
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .win = 3000});
  h.app_send(bytes(5000));
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .data = bytes(1460)});
  h.expect_reply({.seq = kIss + 1461, .ack = kIrs + 1, .data = bytes(1460, 1460)});
  h.expect_nothing();  // 80 bytes would fit: a runt (RFC 9293 §3.8.6.2.1) waits
  h.send({.seq = kIrs + 1, .ack = kIss + 2921, .win = 3000});
  h.expect_reply({.seq = kIss + 2921, .ack = kIrs + 1, .data = bytes(1460, 2920)});
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 4381, .ack = kIrs + 1, .data = bytes(620, 4380)});
}

/// 44 full segments the app does not read: each second one is ACKed with
/// the window shrunk by what is held, until it is 0 (the 64240-byte buffer
/// holds them all). Returns the peer's next sequence number.
std::uint32_t fill_receive_window(Harness& h) {
  std::uint32_t seq = kIrs + 1;
  for (int i = 0; i < 44; ++i, seq += 1460) {
    h.send({.seq = seq, .ack = kIss + 1, .data = bytes(1460, (seq - kIrs - 1))});
    if (i % 2 == 1) h.expect_reply({.seq = kIss + 1, .ack = seq + 1460, .win = static_cast<std::uint16_t>(kOurWin - (seq + 1460 - kIrs - 1))});
  }
  return seq;
}

TEST_CASE("the receive window closes while the app does not read and reopens with an update",
          "[tcp][data][window]") {
  Harness h;
  h.established();
  const std::uint32_t seq = fill_receive_window(h);
  CHECK(h.c().tcb().rcv_wnd() == 0);
  h.send({.seq = seq, .ack = kIss + 1, .data = "x"});  // beyond the window
  h.expect_reply({.seq = kIss + 1, .ack = seq, .win = 0});
  CHECK(h.app_read(1000).size() == 1000);
  h.expect_nothing();  // less than one MSS freed: no update (receiver SWS avoidance)
  CHECK(h.app_read().size() == 64240 - 1000);
  h.expect_reply({.seq = kIss + 1, .ack = seq, .win = kOurWin});
}

TEST_CASE("peek and consume read in place, and consuming opens the window as read() does",
          "[tcp][data][window][app]") {
  Harness h;
  h.established();
  const std::uint32_t seq = fill_receive_window(h);
  const auto first = h.c().peek(1000);
  CHECK(std::string(first[0].begin(), first[0].end()) + std::string(first[1].begin(), first[1].end()) == bytes(1000));
  CHECK(h.c().readable() == 64240);  // peeking takes nothing
  h.expect_nothing();
  CHECK(h.c().consume(h.now, 1000) == 1000);
  h.expect_nothing();  // less than one MSS freed: no update (receiver SWS avoidance)
  const auto rest = h.c().peek(1 << 20);
  CHECK(rest[0].size() + rest[1].size() == 64240 - 1000);
  CHECK(std::string(rest[0].begin(), rest[0].end()) + std::string(rest[1].begin(), rest[1].end()) ==
        bytes(64240 - 1000, 1000));
  CHECK(h.c().consume(h.now, 1 << 20) == 64240 - 1000);
  h.expect_reply({.seq = kIss + 1, .ack = seq, .win = kOurWin});
  CHECK(h.c().readable() == 0);
}

TEST_CASE("a zero window is probed with backoff until it opens", "[tcp][data][persist]") {
  Harness h;
  h.established();  // RTT 0: RTO = min_rto = 200 ms
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .win = 0});
  h.app_send("hello");
  h.expect_nothing();
  const Time t0 = h.now;
  // One octet beyond the window, then again at 400 and 800 ms intervals.
  const Seg probe{.seq = kIss + 1, .ack = kIrs + 1, .data = "h"};
  h.expect_reply_at(t0 + 200_ms, probe);
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .win = 0});
  h.expect_reply_at(t0 + 600_ms, probe);
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .win = 0});
  h.expect_reply_at(t0 + 1400_ms, probe);
  CHECK(h.c().counters().window_probes == 3);
  CHECK(h.state() == TcpState::kEstablished);  // probes never time a connection out
  h.send({.seq = kIrs + 1, .ack = kIss + 2, .win = 1000});
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 2, .ack = kIrs + 1, .data = "ello"});
}

TEST_CASE("data crosses the 32-bit sequence number wrap in both directions", "[tcp][data][wrap]") {
  constexpr std::uint32_t kIssWrap = 0xFFFFF000u;
  constexpr std::uint32_t kIrsWrap = 0xFFFFFA00u;
  Harness h(test_profile(), kIssWrap);
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIssWrap, .ack = 0, .mss = 1460});
  h.send({.flags = kSyn | kAck, .seq = kIrsWrap, .ack = kIssWrap + 1, .mss = 1460});
  h.expect_reply({.seq = kIssWrap + 1, .ack = kIrsWrap + 1});
  h.app_send(bytes(5 * 1460));
  for (std::uint32_t i = 0; i < 5; ++i) {
    const std::uint8_t flags = i == 4 ? (kAck | kPsh) : std::uint8_t{kAck};
    h.expect_reply({.flags = flags,
                    .seq = kIssWrap + 1 + i * 1460,
                    .ack = kIrsWrap + 1,
                    .data = bytes(1460, i * 1460)});
  }
  h.send({.seq = kIrsWrap + 1, .ack = kIssWrap + 1 + 5 * 1460, .data = bytes(1460)});
  h.send({.seq = kIrsWrap + 1461, .ack = kIssWrap + 1 + 5 * 1460, .data = bytes(1460, 1460)});
  h.expect_reply({.seq = kIssWrap + 1 + 5 * 1460, .ack = kIrsWrap + 2921, .win = kOurWin - 2920});
  CHECK(h.c().tcb().snd_una == wire::SeqNum{kIssWrap + 1 + 5 * 1460});
  CHECK(h.c().tcb().snd_una.raw() < 0x10000u);  // wrapped
  CHECK(h.c().tcb().rcv_nxt.raw() < 0x10000u);
  CHECK(h.app_read() == bytes(2920));
  CHECK(h.c().next_deadline() == Time::max());
}

TEST_CASE("send() takes what fits and reports writable when space frees", "[tcp][data][app]") {
  TcpProfile p = test_profile();
  p.snd_buf = 4000;
  Harness h(p);
  h.established();
  const std::string big = bytes(6000);
  const auto* data = reinterpret_cast<const std::uint8_t*>(big.data());
  CHECK(h.c().send(h.now, std::span<const std::uint8_t>(data, big.size())) == 4000);
  CHECK(h.c().send_space() == 0);
  h.out.clear();
  h.send({.seq = kIrs + 1, .ack = kIss + 1461});
  CHECK(h.take_events() == std::vector{CE::kWritable});
  CHECK(h.c().send_space() == 1460);
}

/// A SharedBytes piece over a shared copy of `s`.
SharedBytes shared(const std::string& s) {
  auto owner = std::make_shared<const std::string>(s);
  const auto* p = reinterpret_cast<const std::uint8_t*>(owner->data());
  return SharedBytes{owner, std::span<const std::uint8_t>(p, owner->size())};
}

TEST_CASE("a gathered shared write is segmented as one write of the concatenation", "[tcp][data][app]") {
  // A response head and its body: one write, so the head does not leave
  // alone with PSH (as two send() calls would make it, Nagle or not).
  const std::string head = bytes(300);
  const std::string body = bytes(3000, 300);
  Harness h;
  h.established();
  const std::vector<SharedBytes> pieces{shared(head), shared(body)};
  CHECK(h.c().send_shared(h.now, pieces) == 3300);
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .data = bytes(1460)});
  h.expect_reply({.seq = kIss + 1461, .ack = kIrs + 1, .data = bytes(1460, 1460)});
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 2921, .ack = kIrs + 1, .data = bytes(380, 2920)});
  h.expect_nothing();

  Harness two;
  two.established();
  two.app_send(head);
  two.app_send(body);
  two.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = head});
}

TEST_CASE("a gathered shared write takes a prefix when space runs out, then reports writable",
          "[tcp][data][app]") {
  TcpProfile p = test_profile();
  p.snd_buf = 4000;
  Harness h(p);
  h.established();
  const std::vector<SharedBytes> pieces{shared(bytes(1000)), shared(bytes(5000, 1000)), shared(bytes(10, 6000))};
  CHECK(h.c().send_shared(h.now, pieces) == 4000);
  CHECK(h.c().send_space() == 0);
  CHECK(h.c().send_queued() == 4000);
  h.out.clear();
  h.send({.seq = kIrs + 1, .ack = kIss + 1461});
  CHECK(h.take_events() == std::vector{CE::kWritable});
  // Acknowledged bytes went, the rest is still there, in order.
  CHECK(h.c().send_queued() == 4000 - 1460);
}

}  // namespace
}  // namespace wiresim::tcp::test
