#pragma once
/// OS behaviour lives in named profiles, not in ifs (DESIGN.md, core rules):
/// option layout, windows, delayed-ACK timer, RTO bounds, TIME-WAIT length,
/// initial window, ephemeral ports, congestion control and retry limits.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/core/time.hpp"
#include "wiresim/tcp/congestion_control.hpp"
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
/// How the receive window is chosen.
enum class ReceiveWindowModel : std::uint8_t {
  kFixedBuffer,  ///< RFC 9293 §3.8.6.2.2: the free space of a fixed rcv_buf
  kLinux,        ///< Linux: tcp_select_initial_window, rcv_ssthresh, autotuning (RcvAutotune)
};
/// When the receiver acknowledges.
enum class AckMode : std::uint8_t {
  kEveryN,  ///< every ack_every_segments full segments or after delayed_ack (RFC 9293 §3.8.6.3)
  kLinux,   ///< Linux's quick-ACK mode, ACK timeout and window test (AckPolicy)
};
/// How SRTT/RTTVAR become an RTO.
enum class RtoEstimator : std::uint8_t {
  kRfc6298,  ///< RTO = SRTT + 4 RTTVAR, at least min_rto (RFC 6298 §2)
  kLinux,    ///< tcp_rtt_estimator / tcp_set_rto: RTTVAR is at least min_rto / 4
};
/// Which data segments carry PSH.
enum class PushMode : std::uint8_t {
  kQueueEmpty,  ///< the segment that empties the send queue (RFC 9293 §3.9.1 "push" on every SEND)
  kLinux,       ///< tcp_mark_push: the end of each write, and forced_push every max_window / 2
};
/// The IPv4 identification of our packets.
enum class IpIdMode : std::uint8_t {
  kHostCounter,            ///< one counter per host (Windows)
  kPerConnectionRandom,    ///< per socket from a random start (Linux inet_id, get_random_u16)
};

/// ECN negotiation (RFC 3168 §6.1.1), as Linux's net.ipv4.tcp_ecn.
enum class EcnMode : std::uint8_t {
  kOff,      ///< never: SYNs carry no ECE/CWR, a peer's ECN-setup SYN is answered without ECE (tcp_ecn=0)
  kPassive,  ///< accept ECN when the peer's SYN asks, never ask (tcp_ecn=2, Linux's default)
  kOn,       ///< ask in our SYNs and accept (tcp_ecn=1)
};

struct TcpProfile {
  std::string name;
  wire::TcpOptionLayout syn_layout;        ///< option order in SYN / SYN-ACK
  std::uint16_t mss = 1460;                ///< MSS we advertise (bytes)
  std::uint32_t rcv_buf = 131072;          ///< receive buffer (bytes; Linux: tcp_rmem[1], sk_rcvbuf at the start)
  std::uint32_t snd_buf = 262144;          ///< send buffer (bytes)
  std::uint16_t syn_window = 64240;        ///< raw window field in our SYN (never scaled); kFixedBuffer only
  std::uint16_t synack_window = 64240;     ///< raw window field in our SYN-ACK; kFixedBuffer only
  std::uint8_t window_scale = 7;           ///< shift we offer (RFC 7323 §2.3)
  bool window_scaling = true;              ///< offer the window-scale option (RFC 7323 §2)
  bool sack = true;                        ///< offer SACK-permitted (RFC 2018 §2)
  /// Report duplicate segments with a D-SACK block (RFC 2883; Linux tcp_dsack=1).
  bool dsack = true;
  bool timestamps = true;                  ///< offer timestamps (RFC 7323 §3)
  std::uint32_t initial_cwnd_segments = 10;   ///< IW in segments (RFC 6928)
  Duration delayed_ack = Duration::milliseconds(40);   ///< delayed-ACK timer (kLinux: the minimum ACK timeout)
  /// The ACK of a FIN that arrives in order in ESTABLISHED waits for the
  /// delayed-ACK timer instead of leaving at once, as on Linux (tcp_fin()
  /// enters pingpong mode): an app that closes before the timer fires sends
  /// one FIN,ACK that carries it, a three-segment close. On in the linux
  /// profiles, off in windows.
  bool delayed_fin_ack = false;
  std::uint32_t ack_every_segments = 2;    ///< ACK at least every 2nd full-sized segment (RFC 9293 §3.8.6.3)
  Duration initial_rto = Duration::seconds(1);   ///< RFC 6298 §2.1
  Duration min_rto = Duration::milliseconds(200);   ///< RFC 6298 §2.4 (Linux uses 200 ms, not 1 s)
  Duration max_rto = Duration::seconds(120);   ///< RFC 6298 §2.5
  Duration msl = Duration::seconds(30);    ///< TIME-WAIT lasts 2*msl (RFC 9293 §3.4.2)
  std::uint16_t ephemeral_first = 32768;   ///< first local port for active opens
  std::uint16_t ephemeral_last = 60999;    ///< last local port (inclusive)
  std::string congestion_control = "cubic";   ///< "newreno" | "cubic" (make_congestion_control)
  /// What "cubic" computes: RFC 9438 in bytes, or Linux's tcp_cubic.c in packets.
  CubicModel cubic_model = CubicModel::kRfc9438;
  /// Proportional Rate Reduction (RFC 6937; Linux tcp_cwnd_reduction): in
  /// SACK recovery and ECN's CWR cwnd walks down to ssthresh ACK by ACK
  /// instead of dropping at once, and each ACK's cwnd decision follows
  /// Linux's tcp_cong_control (after loss detection). Off: cwnd = ssthresh
  /// at the congestion event (RFC 5681 / RFC 6675 / RFC 3168 §6.1.2).
  bool prr = false;
  /// When cwnd may grow (Linux tcp_cwnd_validate / tcp_is_cwnd_limited,
  /// since 5.19): true, whether cwnd limited sending is remembered for the
  /// whole window it happened in (until SND.UNA passes the SND.NXT of
  /// then), and slow start also grows while cwnd < 2 x the window's largest
  /// flight. false: each ACK is judged by the flight before it (RFC 7661
  /// §4.1's spirit, as cwnd_limited() does).
  bool cwnd_validation_per_window = false;
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
  IpIdMode ip_id = IpIdMode::kHostCounter;

  // ---- receive window (ReceiveWindowModel::kLinux: RcvAutotune) ----
  ReceiveWindowModel rcv_window = ReceiveWindowModel::kFixedBuffer;
  std::uint32_t rcv_buf_max = 0;           ///< tcp_rmem[2]: autotuning's ceiling; sets the window scale
  bool moderate_rcvbuf = false;            ///< tcp_moderate_rcvbuf: autotuning on
  int adv_win_scale = 1;                   ///< tcp_adv_win_scale: window = buffer - buffer >> 1 (before 6.6)
  /// Linux 6.6+: the window/buffer ratio follows the received segments'
  /// payload / truesize (tp->scaling_ratio) instead of adv_win_scale.
  bool truesize_scaling_ratio = false;
  std::uint32_t app_win = 31;              ///< tcp_app_win: reserve one segment (tcp_init_buffer_space)
  /// truesize of a received frame of L bytes: align64(L + rx_skb_headroom)
  /// + rx_skb_overhead, as a tun device's build_skb() allocates it
  /// (NET_SKB_PAD 64; SKB_DATA_ALIGN(sizeof(struct sk_buff)) 256 +
  /// SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) 320 on x86-64).
  std::uint32_t rx_skb_headroom = 64;
  std::uint32_t rx_skb_overhead = 576;

  // ---- acknowledgements (AckMode::kLinux: AckPolicy) ----
  AckMode ack_mode = AckMode::kEveryN;
  // kLinux: delayed_ack is TCP_ATO_MIN and TCP_DELACK_MIN (40 ms); 0 ACKs at once.
  Duration delack_max = Duration::milliseconds(200);  ///< TCP_DELACK_MAX
  std::uint32_t max_quickacks = 16;                   ///< TCP_MAX_QUICKACKS
  std::uint32_t pingpong_thresh = 1;                  ///< tcp_pingpong_thresh
  /// SACK compression (Linux 4.18+, commit 5d9f4262b7ea "tcp: add SACK
  /// compression"; __tcp_ack_snd_check): while out-of-order data waits,
  /// the first TCP_FASTRETRANS_THRESH (3) duplicate ACKs for one rcv_nxt go
  /// at once, later ones wait for a timer of min(comp_sack_delay,
  /// comp_sack_rtt_percent % of the RTT), at most comp_sack_nr of them.
  /// 0 = off (every out-of-order segment is acknowledged at once, RFC 5681 §4.2).
  std::uint32_t comp_sack_nr = 0;                         ///< tcp_comp_sack_nr (Linux: 44)
  Duration comp_sack_delay = Duration::milliseconds(1);   ///< tcp_comp_sack_delay_ns
  /// tcp_comp_sack_slack_ns: the hrtimer's range; with no other timer in
  /// that range it expires at its end (hrtimer_start_range_ns), delay + slack.
  Duration comp_sack_slack = Duration::microseconds(100);
  /// tcp_comp_sack_rtt_percent: 5 up to Linux 6.18 (the "/20" in
  /// __tcp_ack_snd_check); a sysctl, default 100, from 6.19.
  std::uint32_t comp_sack_rtt_percent = 5;

  RtoEstimator rto_estimator = RtoEstimator::kRfc6298;
  /// kLinux: the RTO is a whole number of jiffies (usecs_to_jiffies rounds
  /// up); Debian's kernels run at CONFIG_HZ=250, 4 ms.
  Duration rto_granularity = Duration::nanoseconds(1);
  PushMode push = PushMode::kQueueEmpty;

  // ---- GSO packets (Linux tcp_write_xmit) ----
  /// New data leaves in GSO packets of up to tcp_tso_segs() segments, and
  /// __tcp_transmit_skb (net/ipv4/tcp_output.c) forces PSH on every packet
  /// of more than one segment "to expedite GRO flush at receiver"; GSO
  /// segmentation (tcp_gso_segment) keeps it on the packet's last segment
  /// only. Linux always builds GSO packets for TCP (sk_setup_caps); off:
  /// one segment per packet, PSH by `push` alone.
  bool gso = false;
  /// tcp_tso_autosize: a packet carries about 2^-pacing_shift s (~1 ms) of
  /// the pacing rate, at least min_tso_segs segments and at most
  /// gso_max_size bytes; below 2^tso_rtt_log * 32 us of min RTT it may
  /// carry gso_max_size >> (min_rtt_us >> tso_rtt_log) bytes more.
  std::uint32_t min_tso_segs = 2;         ///< tcp_min_tso_segs
  std::uint32_t pacing_shift = 10;        ///< sk_pacing_shift (tcp_init_sock)
  std::uint32_t gso_max_size = 65536;     ///< sk_gso_max_size (GSO_LEGACY_MAX_SIZE)
  std::uint32_t tso_rtt_log = 9;          ///< tcp_tso_rtt_log
  /// tcp_update_pacing_rate: mss * cwnd / srtt times this percentage in
  /// slow start (cwnd < ssthresh / 2) ...
  std::uint32_t pacing_ss_ratio = 200;    ///< tcp_pacing_ss_ratio (%)
  std::uint32_t pacing_ca_ratio = 120;    ///< ... and this one after (tcp_pacing_ca_ratio, %)
  /// ECN (RFC 3168 §6.1): negotiation in the handshake; then ECT(0) on new
  /// data, ECE echoed until CWR, one cwnd reduction per window on ECE.
  EcnMode ecn = EcnMode::kOff;
};

/// Linux 6.18 as in the reference captures: SYN options MSS, SACK_PERM, TS,
/// NOP, WS; tcp_rmem 4096 131072 33554432 (window scale 10, SYN window
/// 64240, SYN-ACK 65160 from tcp_select_initial_window), autotuning on,
/// truesize scaling ratio; IW10; quick ACKs and the 40 ms ACK timeout;
/// SACK compression (tcp_comp_sack_nr 44, 1 ms);
/// RTO with a 200 ms floor on RTTVAR; TIME-WAIT 60 s; ports 32768-60999;
/// CUBIC (tcp_cubic.c) with HyStart; PRR; PSH by tcp_mark_push and on every
/// multi-segment GSO packet (tcp_tso_autosize: 2 segments at the lab's
/// rates); the FIN's ACK delayed; random
/// IP ID per connection; RACK-TLP, F-RTO and undo (tcp_recovery=1,
/// tcp_early_retrans=3, tcp_frto=2, tcp_dsack=1).
TcpProfile linux_profile();
/// Linux 6.1 as Debian 12 ships it: as linux_profile() but tcp_rmem max
/// 6291456 (window scale 7) and the window = buffer / 2 (tcp_adv_win_scale 1).
TcpProfile linux_6_1_profile();
/// Windows 10/11 defaults: SYN options MSS, NOP, WS, NOP, NOP, SACK_PERM and
/// no timestamps (a 66-byte SYN frame); SYN window 64240, SYN-ACK 65535,
/// shift 8, receive window 131328 (513 x 256); IW10; ACK every second
/// segment or after 200 ms (TcpAckFrequency 2, TcpDelAckTicks 2); 300 ms
/// minimum RTO; TIME-WAIT 120 s; ports 49152-65535; CUBIC; 2 SYN retries;
/// 5 data retries; one IP ID counter per host; RACK-TLP and F-RTO on, no
/// undo (no timestamps for Eifel; DSACK-based undo is not documented), no
/// HyStart (Windows uses HyStart++, RFC 9406, not modelled).
TcpProfile windows_profile();
/// "linux", "linux-6.1" or "windows"; nullopt for any other name.
std::optional<TcpProfile> profile_by_name(std::string_view name);

}  // namespace wiresim::tcp
