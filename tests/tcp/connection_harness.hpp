#pragma once
/// Segment-level tests of one Connection (DESIGN.md style note 10, in the
/// spirit of packetdrill and smoltcp): the harness is the connection's host,
/// records every segment it sends, and drives it with exact segments,
/// app calls and timer expiries. Sequence numbers are absolute: our ISS is
/// kIss, the peer's kIrs.

#include <catch2/catch.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/core/time.hpp"
#include "wiresim/tcp/connection.hpp"
#include "wiresim/tcp/profile.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::tcp::test {

using namespace wiresim::literals;
using wire::kAck;
using wire::kFin;
using wire::kPsh;
using wire::kRst;
using wire::kSyn;

inline constexpr std::uint32_t kIss = 1000;   ///< our initial sequence number
inline constexpr std::uint32_t kIrs = 5000;   ///< the peer's
inline constexpr std::uint16_t kLocalPort = 49152;
inline constexpr std::uint16_t kRemotePort = 80;
inline constexpr std::uint16_t kOurWin = 64240;    ///< test_profile(): rcv_buf = syn_window
inline constexpr std::uint16_t kPeerWin = 65535;
inline constexpr std::uint32_t kMss = 1460;

/// linux_profile() stripped to the bare protocol: no window scaling, SACK
/// or timestamps; rcv_buf = 64240 so our window is 64240 - unread bytes;
/// NewReno; duplicate-ACK loss detection, no F-RTO, no undo; the RFC's
/// window, ACK, RTO and PSH rules instead of Linux's. Tests of the options,
/// RACK-TLP and Linux's mechanisms use the real profiles or switch them on.
TcpProfile test_profile();

/// A segment as a test writes it. Unset windows default to kPeerWin for
/// segments we send the connection and to Harness::our_win for expected
/// ones; ports are filled in by the harness.
struct Seg {
  std::uint8_t flags = kAck;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::optional<std::uint16_t> win{};
  std::string data{};
  std::optional<std::uint16_t> mss{};
  std::optional<std::uint8_t> ws{};
  bool sack_perm = false;
  std::optional<wire::TcpTimestamps> ts{};
  std::vector<wire::SackBlock> sacks{};
  /// Expected option order (SYNs); empty = the canonical layout.
  wire::TcpOptionLayout layout{};
  /// ECN field of the IPv4 packet carrying a segment we send the connection.
  wire::IpEcn ip_ecn = wire::IpEcn::kNotEct;
};

/// `n` bytes of a recognisable pattern starting at stream offset `from`.
std::string bytes(std::size_t n, std::size_t from = 0);
/// SackBlock{left, right}.
wire::SackBlock sack(std::uint32_t left, std::uint32_t right);

struct Sent {
  wire::TcpRepr header;
  std::string payload;
  Time at;
  wire::IpEcn ecn = wire::IpEcn::kNotEct;  ///< the IP ECN field the connection asked for
};

class Harness : public ConnectionHost {
 public:
  explicit Harness(TcpProfile profile = test_profile(), std::uint32_t iss = kIss,
                   std::uint16_t mtu_mss = 1460, std::uint32_t ts_offset = 0);

  Connection& c() { return *conn_; }
  [[nodiscard]] TcpState state() const { return conn_->state(); }
  Time now{};
  std::uint16_t our_win = kOurWin;  ///< default window of expected segments

  // ---- driving ----
  /// Delivers a segment from the peer at `now`.
  void send(const Seg& s);
  void app_send(std::string_view data);
  /// Reads up to `max` bytes the app can read.
  std::string app_read(std::size_t max = 1 << 30);
  /// Fires every timer due up to `t`, then sets now = t.
  void run_until(Time t);
  void advance(Duration d) { run_until(now + d); }

  // ---- expectations ----
  /// The oldest segment not yet checked equals `s` exactly (header fields,
  /// options in wire order, payload).
  void expect_reply(const Seg& s);
  /// As expect_reply, and it was sent at exactly `at` (timers up to `at`
  /// fire first).
  void expect_reply_at(Time at, const Seg& s);
  /// No segment sent and not yet checked.
  void expect_nothing();
  /// Fires timers up to `t`; no segment may be sent meanwhile.
  void expect_nothing_until(Time t);
  /// Events reported since the last call, in order.
  std::vector<ConnectionEvent> take_events();

  // ---- per-state fixtures: each asserts the segments of its path ----
  void syn_sent();
  void established();           ///< active open
  void listen();
  void syn_received();
  void established_passive();
  void fin_wait_1();            ///< from established(): app shutdown, FIN sent
  void fin_wait_2();
  void close_wait();            ///< from established(): peer's FIN acknowledged
  void last_ack();
  void closing();
  void time_wait();

  // ConnectionHost
  void transmit(const Connection& c, const wire::TcpRepr& header, const SendBuffer::Slice& payload,
                wire::IpEcn ecn) override;
  void on_event(Connection& c, ConnectionEvent e) override;

  std::deque<Sent> out;
  std::vector<ConnectionEvent> events;

 private:
  wire::TcpRepr to_repr(const Seg& s, bool from_peer) const;

  TcpProfile profile_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace wiresim::tcp::test
