#include <catch2/catch.hpp>

#include "wiresim/tcp/congestion_control.hpp"
#include "wiresim/tcp/profile.hpp"
#include "wiresim/wire/tcp.hpp"

using namespace wiresim;
using namespace wiresim::tcp;
using wire::TcpOptionKind;

namespace {
/// A SYN carrying every option the profile offers, in the profile's order.
wire::TcpRepr syn_of(const TcpProfile& p) {
  wire::TcpRepr r;
  r.flags = wire::kSyn;
  r.window = p.syn_window;
  r.mss = p.mss;
  if (p.window_scaling) r.window_scale = p.window_scale;
  r.sack_permitted = p.sack;
  if (p.timestamps) r.timestamps = wire::TcpTimestamps{1, 0};
  r.layout = p.syn_layout;
  return r;
}
}  // namespace

TEST_CASE("linux profile: option order, timers, ports", "[tcp][profile]") {
  const TcpProfile p = linux_profile();
  CHECK(p.ip_ttl == 64);
  CHECK(p.name == "linux");
  CHECK(p.syn_layout == wire::TcpOptionLayout::of({TcpOptionKind::kMss, TcpOptionKind::kSackPermitted,
                                                   TcpOptionKind::kTimestamps, TcpOptionKind::kNop,
                                                   TcpOptionKind::kWindowScale}));
  CHECK(syn_of(p).header_len() == 40);  // 20 + MSS 4 + SACK_PERM 2 + TS 10 + NOP 1 + WS 3
  CHECK(syn_of(p).wire_layout() == p.syn_layout);
  CHECK(p.window_scale == 10);  // tcp_rmem[2] 32 MiB (RcvAutotune: linux_window_scale)
  CHECK(p.rcv_buf == 131072);
  CHECK(p.rcv_buf_max == 33554432);
  CHECK(p.rcv_window == ReceiveWindowModel::kLinux);
  CHECK(p.ack_mode == AckMode::kLinux);
  CHECK(p.rto_estimator == RtoEstimator::kLinux);
  CHECK(p.push == PushMode::kLinux);
  CHECK(p.ip_id == IpIdMode::kPerConnectionRandom);
  CHECK(p.delayed_fin_ack);
  CHECK(p.timestamps);
  CHECK(p.initial_cwnd_segments == 10);
  CHECK(p.delayed_ack == Duration::milliseconds(40));
  CHECK(p.min_rto == Duration::milliseconds(200));
  CHECK(p.initial_rto == Duration::seconds(1));
  CHECK(p.max_rto == Duration::seconds(120));
  CHECK(p.msl * 2 == Duration::seconds(60));
  CHECK(p.ephemeral_first == 32768);
  CHECK(p.ephemeral_last == 60999);
  CHECK(p.congestion_control == "cubic");
  CHECK(p.syn_retries == 6);
  CHECK(p.data_retries == 15);
}

TEST_CASE("windows profile: a 66-byte SYN without timestamps", "[tcp][profile]") {
  const TcpProfile p = windows_profile();
  CHECK(p.name == "windows");
  CHECK(p.ip_ttl == 128);
  CHECK(p.syn_layout == wire::TcpOptionLayout::of({TcpOptionKind::kMss, TcpOptionKind::kNop,
                                                   TcpOptionKind::kWindowScale, TcpOptionKind::kNop,
                                                   TcpOptionKind::kNop, TcpOptionKind::kSackPermitted}));
  CHECK_FALSE(p.timestamps);
  // 14 (Ethernet) + 20 (IPv4) + 32 (TCP with 12 option bytes) = 66.
  CHECK(syn_of(p).header_len() == 32);
  CHECK(syn_of(p).wire_layout() == p.syn_layout);
  CHECK(p.syn_window == 64240);
  CHECK(p.synack_window == 65535);  // the lab's own frames
  CHECK(p.rcv_buf == 513 * 256);    // the lab's third ACK: 513 x 256
  CHECK(p.window_scale == 8);
  CHECK(p.initial_cwnd_segments == 10);
  CHECK(p.delayed_ack == Duration::milliseconds(200));  // TcpDelAckTicks 2
  CHECK(p.ack_every_segments == 2);                     // TcpAckFrequency 2
  CHECK(p.ack_mode == AckMode::kEveryN);
  CHECK(p.ip_id == IpIdMode::kHostCounter);
  CHECK_FALSE(p.delayed_fin_ack);
  CHECK(p.min_rto == Duration::milliseconds(300));
  CHECK(p.msl * 2 == Duration::seconds(120));
  CHECK(p.ephemeral_first == 49152);
  CHECK(p.ephemeral_last == 65535);
  CHECK(p.congestion_control == "cubic");
  CHECK(p.syn_retries == 2);
  CHECK(p.data_retries == 5);
}

TEST_CASE("profiles and congestion controls are found by name", "[tcp][profile]") {
  REQUIRE(profile_by_name("linux"));
  CHECK(profile_by_name("linux")->name == "linux");
  REQUIRE(profile_by_name("windows"));
  CHECK(profile_by_name("windows")->window_scale == 8);
  REQUIRE(profile_by_name("linux-6.1"));
  CHECK(profile_by_name("linux-6.1")->window_scale == 7);
  CHECK(profile_by_name("linux-6.1")->rcv_buf_max == 6291456);
  CHECK_FALSE(profile_by_name("freebsd"));
  CHECK_FALSE(profile_by_name("Linux"));

  const auto reno = make_congestion_control("newreno");
  REQUIRE(reno);
  CHECK(reno->name() == "newreno");
  const auto cubic = make_congestion_control("cubic");
  REQUIRE(cubic);
  CHECK(cubic->name() == "cubic");
  CHECK(make_congestion_control("bbr") == nullptr);
  CHECK(make_congestion_control(linux_profile().congestion_control)->name() == "cubic");
}
