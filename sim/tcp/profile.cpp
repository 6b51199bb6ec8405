#include "wiresim/tcp/profile.hpp"

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
  p.window_scale = 7;
  p.min_rto = Duration::milliseconds(200);
  p.msl = Duration::seconds(30);
  p.ephemeral_first = 32768;
  p.ephemeral_last = 60999;
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
  p.timestamps = false;
  p.min_rto = Duration::milliseconds(300);
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
  return p;
}

std::optional<TcpProfile> profile_by_name(std::string_view name) {
  if (name == "linux") return linux_profile();
  if (name == "windows") return windows_profile();
  return std::nullopt;
}

}  // namespace wiresim::tcp
