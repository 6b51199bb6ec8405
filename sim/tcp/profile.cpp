#include "wiresim/tcp/profile.hpp"

#include "wiresim/tcp/rcv_autotune.hpp"

namespace wiresim::tcp {

using wire::TcpOptionKind;
using wire::TcpOptionLayout;

TcpProfile linux_profile() {
  TcpProfile p;
  p.name = "linux";
  // tcp_options_write() order for a SYN with every option (tcp_syn_options).
  p.syn_layout = TcpOptionLayout::of({TcpOptionKind::kMss, TcpOptionKind::kSackPermitted,
                                      TcpOptionKind::kTimestamps, TcpOptionKind::kNop,
                                      TcpOptionKind::kWindowScale});
  // net.ipv4.tcp_rmem = 4096 131072 33554432, tcp_moderate_rcvbuf = 1
  // (the reference captures' environment.txt); the window scale follows
  // from the maximum (tcp_select_initial_window), the SYN windows from the
  // default (RcvAutotune::init_syn).
  p.rcv_window = ReceiveWindowModel::kLinux;
  p.rcv_buf = 131072;
  p.rcv_buf_max = 33554432;
  p.moderate_rcvbuf = true;
  p.truesize_scaling_ratio = true;  // Linux 6.6+ (tcp_win_from_space with scaling_ratio)
  p.window_scale = linux_window_scale(p.rcv_buf_max);
  p.ack_mode = AckMode::kLinux;
  p.rto_estimator = RtoEstimator::kLinux;
  p.rto_granularity = Duration::milliseconds(4);  // CONFIG_HZ=250
  p.push = PushMode::kLinux;
  p.gso = true;  // tcp_tso_autosize defaults: tcp_min_tso_segs 2, tcp_tso_rtt_log 9, pacing 200/120 %
  p.ip_id = IpIdMode::kPerConnectionRandom;
  p.delayed_fin_ack = true;  // tcp_fin(): inet_csk_enter_pingpong_mode, the ACK waits
  p.comp_sack_nr = 44;       // tcp_sk_init: sysctl_tcp_comp_sack_nr
  p.min_rto = Duration::milliseconds(200);  // TCP_RTO_MIN
  p.msl = Duration::seconds(30);            // TCP_TIMEWAIT_LEN 60 s = 2 MSL
  p.ephemeral_first = 32768;
  p.ephemeral_last = 60999;
  // net.ipv4.tcp_ecn = 2 (Documentation/networking/ip-sysctl.rst: "Enable
  // ECN when requested by incoming connections but do not request ECN on
  // outgoing connections", the default).
  p.ecn = EcnMode::kPassive;
  // tcp_cubic.c's own integer arithmetic, and PRR (tcp_cwnd_reduction, in
  // both 6.1 and 6.18) in recovery and CWR.
  p.cubic_model = CubicModel::kLinux;
  p.prr = true;
  p.cwnd_validation_per_window = true;  // tcp_cwnd_validate, Linux 5.19 on (f4ce91ce12a7)
  return p;
}

TcpProfile linux_6_1_profile() {
  TcpProfile p = linux_profile();
  p.name = "linux-6.1";
  // Debian 12's kernel: tcp_rmem max 6291456 (shift 7) and, before 6.6,
  // tcp_win_from_space = space - (space >> tcp_adv_win_scale).
  p.rcv_buf_max = 6291456;
  p.truesize_scaling_ratio = false;
  p.adv_win_scale = 1;
  p.window_scale = linux_window_scale(p.rcv_buf_max);
  return p;
}

TcpProfile windows_profile() {
  TcpProfile p;
  p.name = "windows";
  // 12 option bytes: 20 (IPv4) + 32 (TCP) + 14 (Ethernet) = a 66-byte SYN frame.
  p.syn_layout = TcpOptionLayout::of({TcpOptionKind::kMss, TcpOptionKind::kNop,
                                      TcpOptionKind::kWindowScale, TcpOptionKind::kNop,
                                      TcpOptionKind::kNop, TcpOptionKind::kSackPermitted});
  p.window_scale = 8;
  // The lab's own Windows frames: SYN-ACK window 65535, third ACK 513 << 8.
  p.syn_window = 64240;
  p.synack_window = 65535;
  p.rcv_buf = 513 * 256;
  p.timestamps = false;
  // TcpAckFrequency 2 and TcpDelAckTicks 2 (200 ms): Windows' documented defaults.
  p.ack_every_segments = 2;
  p.delayed_ack = Duration::milliseconds(200);
  p.min_rto = Duration::milliseconds(300);  // MinRto 300 ms (RFC 6298 otherwise)
  p.msl = Duration::seconds(60);
  p.ephemeral_first = 49152;
  p.ephemeral_last = 65535;
  p.syn_retries = 2;
  p.data_retries = 5;
  p.ip_ttl = 128;  // Windows' DefaultTTL
  // RACK and TLP since Windows 10 1607 (Microsoft Networking blog, "Windows
  // 10 and Windows Server 2016 TCP improvements", 2016); F-RTO since Vista.
  // Eifel needs timestamps, which Windows does not send; DSACK (sending or
  // undo) is not documented for Windows: off. HyStart++ (RFC 9406, Windows 11 / Server
  // 2022) is a different algorithm from CUBIC's HyStart: off.
  p.loss_detection = LossDetection::kRackTlp;
  p.frto = true;
  p.undo = false;
  p.dsack = false;
  p.hystart = false;
  // CUBIC (the default since Windows 10 1709) is documented by name only:
  // the RFC 9438 arithmetic. PRR is not in Windows' documented defaults:
  // cwnd = ssthresh at the congestion event.
  p.cubic_model = CubicModel::kRfc9438;
  p.prr = false;
  p.cwnd_validation_per_window = false;
  // "Windows versions since Windows Server 2008 and Windows Vista support
  // ECN for TCP, but it is disabled by default" (Microsoft TechNet wiki,
  // "How to Enable and Disable Explicit Congestion Notification in
  // Windows"; netsh int tcp set global ecncapability=disabled). Disabled
  // means neither asking nor accepting.
  p.ecn = EcnMode::kOff;
  return p;
}

std::optional<TcpProfile> profile_by_name(std::string_view name) {
  if (name == "linux") return linux_profile();
  if (name == "linux-6.1") return linux_6_1_profile();
  if (name == "windows") return windows_profile();
  return std::nullopt;
}

}  // namespace wiresim::tcp
