// Stretch ACKs of Linux's receiver (Linux 6.18, net/ipv4/tcp_input.c
// __tcp_ack_snd_check; net/ipv4/tcp.c tcp_cleanup_rbuf): outside quick-ACK
// mode an arriving segment is acknowledged at once only when more than one
// full segment is unacknowledged AND the window __tcp_select_window would
// offer now is no smaller than the one last offered. Data the application
// has not read yet takes buffer space, so once rcv_ssthresh stops growing
// the window would shrink and the ACK waits; the application's read
// (tcp_recvmsg -> tcp_cleanup_rbuf) then acknowledges everything received
// meanwhile in one ACK. When the application reads as the data arrives,
// the window never shrinks and every second segment is acknowledged.

#include "linux_harness.hpp"
#include "wiresim/tcp/rcv_autotune.hpp"

namespace wiresim::tcp::test {
namespace {

using wire::TcpTimestamps;

using namespace linux_tests;  // NOLINT(google-build-using-namespace): the shared linux setup

std::uint32_t acked_segments(const Harness& h, std::size_t i) {
  return static_cast<std::uint32_t>(h.out[i].header.ack - wire::SeqNum{kIrs + 101}) / kSeg;
}

TEST_CASE("an unread flight: every second segment while the window grows, then one stretch ACK at the read",
          "[tcp][linux][ack][stretch]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  interactive_client(h);
  for (std::uint32_t i = 0; i < 10; ++i) h.send(reply_seg(i));
  // rcv_ssthresh grows by 2 x advmss per segment (tcp_grow_window) while
  // the buffer has room: the window offered after 2, 4 and 6 segments
  // grows (69, 75, 77 << 10; the reference capture curl-seq_d20_l0 shows
  // 69, 75, 78), so those are acknowledged. From the 7th on, the six
  // unread segments leave too little room: the window would shrink and
  // segments 8 and 10 get no ACK.
  REQUIRE(h.out.size() == 3);
  const std::uint16_t wins[] = {69, 75, 77};
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(acked_segments(h, i) == 2 * (i + 1));
    CHECK(h.out[i].header.window == wins[i]);
  }
  h.out.clear();
  h.advance(150_us);  // the application's read comes later
  h.expect_nothing();
  h.app_read();
  // tcp_cleanup_rbuf: more than one segment unacknowledged -> ACK all ten.
  REQUIRE(h.out.size() == 1);
  CHECK(acked_segments(h, 0) == 10);
  CHECK(h.out[0].at == h.now);
  CHECK(h.out[0].header.window == 78);  // min(free space, rcv_ssthresh 78992) aligned up
}

TEST_CASE("a flight read as it arrives: every second segment is acknowledged", "[tcp][linux][ack][stretch]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  interactive_client(h);
  for (std::uint32_t i = 0; i < 10; ++i) {
    h.send(reply_seg(i));
    h.app_read();
  }
  REQUIRE(h.out.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) CHECK(acked_segments(h, i) == 2 * (i + 1));
}

TEST_CASE("it is the window, not a count: a read before the 7th segment brings back the ACK of the 8th",
          "[tcp][linux][ack][stretch]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  interactive_client(h);
  for (std::uint32_t i = 0; i < 6; ++i) h.send(reply_seg(i));
  REQUIRE(h.out.size() == 3);
  h.out.clear();
  // Everything is acknowledged: the read sends nothing (tcp_cleanup_rbuf:
  // nothing unacknowledged, and the window does not double).
  h.app_read();
  h.expect_nothing();
  h.send(reply_seg(6));
  h.expect_nothing();  // one segment unacknowledged
  h.send(reply_seg(7));
  REQUIRE(h.out.size() == 1);  // the buffer is free again: the window does not shrink
  CHECK(acked_segments(h, 0) == 8);
}

TEST_CASE("an unread lone segment waits for the delayed ACK, and reading it sends none",
          "[tcp][linux][ack][stretch]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  interactive_client(h);
  const Time arrival = h.now;
  h.send(reply_seg(0));
  h.expect_nothing();
  h.advance(150_us);
  h.app_read();  // tcp_cleanup_rbuf: one full segment is not "more than one"
  h.expect_nothing();
  REQUIRE(h.c().next_deadline() == arrival + h.c().ack_policy().ato());
}

}  // namespace
}  // namespace wiresim::tcp::test
