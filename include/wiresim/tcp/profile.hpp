#pragma once
/// OS behaviour lives in named profiles, not in ifs (DESIGN.md, core rules):
/// option layout, windows, delayed-ACK timer, RTO bounds, TIME-WAIT length,
/// initial window, ephemeral ports, congestion control and retry limits.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/core/time.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::tcp {

/// How losses are detected (TcpProfile::loss_detection).
enum class LossDetection : std::uint8_t {
  /// Three duplicate ACKs or RFC 6675 IsLost start fast recovery; a lost
  /// last segment waits for the RTO (RFC 5681 §3.2, RFC 6675).
  kDupAck,
  /// RACK-TLP (RFC 8985) with SACK: a segment is lost once one sent after it
  /// was delivered and its RTT plus a reordering window has passed; a tail
  /// loss probe 2 SRTT after the last send replaces most tail RTOs. Without
  /// SACK a connection falls back to kDupAck (as Linux, tcp_is_rack needs SACK).
  kRackTlp,
};

struct TcpProfile {
  std::string name;
  wire::TcpOptionLayout syn_layout;        ///< option order in SYN / SYN-ACK
  std::uint16_t mss = 1460;                ///< MSS we advertise (bytes)
  std::uint32_t rcv_buf = 131072;          ///< receive buffer (bytes); the window we offer
  std::uint32_t snd_buf = 262144;          ///< send buffer (bytes)
  std::uint16_t syn_window = 64240;        ///< raw window field in our SYN / SYN-ACK (never scaled)
  std::uint8_t window_scale = 7;           ///< shift we offer (RFC 7323 §2.3)
  bool window_scaling = true;              ///< offer the window-scale option (RFC 7323 §2)
  bool sack = true;                        ///< offer SACK-permitted (RFC 2018 §2)
  /// Report duplicate segments with a D-SACK block (RFC 2883; Linux tcp_dsack=1).
  bool dsack = true;
  bool timestamps = true;                  ///< offer timestamps (RFC 7323 §3)
  std::uint32_t initial_cwnd_segments = 10;   ///< IW in segments (RFC 6928)
  Duration delayed_ack = Duration::milliseconds(40);   ///< delayed-ACK timer
  /// The ACK of a FIN that arrives in order in ESTABLISHED waits for the
  /// delayed-ACK timer instead of leaving at once, as on Linux (tcp_fin()
  /// enters pingpong mode): an app that closes before the timer fires sends
  /// one FIN,ACK that carries it, a three-segment close. Off in both
  /// profiles for now; scenarios switch it on per host.
  bool delayed_fin_ack = false;
  std::uint32_t ack_every_segments = 2;    ///< ACK at least every 2nd full-sized segment (RFC 9293 §3.8.6.3)
  Duration initial_rto = Duration::seconds(1);   ///< RFC 6298 §2.1
  Duration min_rto = Duration::milliseconds(200);   ///< RFC 6298 §2.4 (Linux uses 200 ms, not 1 s)
  Duration max_rto = Duration::seconds(120);   ///< RFC 6298 §2.5
  Duration msl = Duration::seconds(30);    ///< TIME-WAIT lasts 2*msl (RFC 9293 §3.4.2)
  std::uint16_t ephemeral_first = 32768;   ///< first local port for active opens
  std::uint16_t ephemeral_last = 60999;    ///< last local port (inclusive)
  std::string congestion_control = "cubic";   ///< "newreno" | "cubic" (make_congestion_control)
  bool nagle = true;                       ///< RFC 9293 §3.7.4
  /// Loss detection: RACK-TLP as Linux (tcp_recovery=1, tcp_early_retrans=3)
  /// and Windows 10 1607+ do, or duplicate ACKs only.
  LossDetection loss_detection = LossDetection::kRackTlp;
  /// F-RTO (RFC 5682 §3, the SACK-enhanced variant as Linux tcp_frto=2):
  /// after an RTO, send new data before going back N and undo the timeout if
  /// never-retransmitted data is acknowledged.
  bool frto = true;
  /// Undo of spurious retransmissions (Linux tcp_try_undo_*): by DSACK
  /// (RFC 2883, RFC 3708) and by timestamps (Eifel detection, RFC 3522 /
  /// RFC 4015 response: cwnd and ssthresh restored).
  bool undo = true;
  /// CUBIC's HyStart (Ha and Rhee 2011; Linux tcp_cubic.c hystart=1,
  /// hystart_detect=3: ACK train and delay): leaves slow start before the
  /// first loss. Only CUBIC uses it.
  bool hystart = true;
  std::uint32_t syn_retries = 6;           ///< SYN retransmissions before giving up
  std::uint32_t data_retries = 15;         ///< RTO retransmissions of data/FIN before aborting
  std::uint8_t ip_ttl = 64;                ///< TTL of the IPv4 packets carrying our segments
};

/// Linux 6.x defaults: SYN options MSS, SACK_PERM, TS, NOP, WS (shift 7); IW10;
/// 40 ms delayed ACK; 200 ms minimum RTO; TIME-WAIT 60 s; ports 32768-60999;
/// CUBIC with HyStart; SYN window 64240; RACK-TLP, F-RTO and undo
/// (tcp_recovery=1, tcp_early_retrans=3, tcp_frto=2, tcp_dsack=1).
TcpProfile linux_profile();
/// Windows 10/11 defaults: SYN options MSS, NOP, WS, NOP, NOP, SACK_PERM and
/// no timestamps (a 66-byte SYN frame); window 64240, shift 8; IW10; 40 ms
/// delayed ACK; 300 ms minimum RTO; TIME-WAIT 120 s; ports 49152-65535;
/// CUBIC; 2 SYN retries; 5 data retries; RACK-TLP and F-RTO on, no undo
/// (no timestamps for Eifel; DSACK-based undo is not documented), no
/// HyStart (Windows uses HyStart++, RFC 9406, not modelled).
TcpProfile windows_profile();
/// "linux" or "windows"; nullopt for any other name.
std::optional<TcpProfile> profile_by_name(std::string_view name);

}  // namespace wiresim::tcp
