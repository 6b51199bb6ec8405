#pragma once
/// The names scenario files use for enum values, in one table per enum.
/// The reader parses with these tables and runners print with them, so a
/// name is spelt in exactly one place.

#include <array>
#include <span>
#include <string_view>

#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

template <class E>
struct NamedValue {
  std::string_view name;
  E value;
};

inline constexpr std::array<NamedValue<TcpProfile>, 3> kTcpProfileNames{{
    {"linux", TcpProfile::kLinux},
    {"linux-6.1", TcpProfile::kLinux61},
    {"windows", TcpProfile::kWindows},
}};
inline constexpr std::array<NamedValue<CongestionControl>, 2> kCongestionControlNames{{
    {"newreno", CongestionControl::kNewReno},
    {"cubic", CongestionControl::kCubic},
}};
inline constexpr std::array<NamedValue<LossRecovery>, 2> kLossRecoveryNames{{
    {"rack_tlp", LossRecovery::kRackTlp},
    {"dupack", LossRecovery::kDupAck},
}};
inline constexpr std::array<NamedValue<TcpEcn>, 3> kTcpEcnNames{{
    {"off", TcpEcn::kOff},
    {"passive", TcpEcn::kPassive},
    {"on", TcpEcn::kOn},
}};
inline constexpr std::array<NamedValue<QueueDiscipline>, 4> kQueueDisciplineNames{{
    {"drop_tail", QueueDiscipline::kDropTail},
    {"red", QueueDiscipline::kRed},
    {"codel", QueueDiscipline::kCodel},
    {"fq_codel", QueueDiscipline::kFqCodel},
}};
inline constexpr std::array<NamedValue<LossModel>, 2> kLossModelNames{{
    {"bernoulli", LossModel::kBernoulli},
    {"gilbert_elliott", LossModel::kGilbertElliott},
}};
inline constexpr std::array<NamedValue<DropMatch>, 7> kDropMatchNames{{
    {"any", DropMatch::kAny},
    {"tcp_data", DropMatch::kTcpData},
    {"syn", DropMatch::kSyn},
    {"synack", DropMatch::kSynAck},
    {"fin", DropMatch::kFin},
    {"rst", DropMatch::kRst},
    {"pure_ack", DropMatch::kPureAck},
}};
inline constexpr std::array<NamedValue<BrowserProfile>, 4> kBrowserProfileNames{{
    {"chrome", BrowserProfile::kChrome},
    {"ie", BrowserProfile::kIe},
    {"http10", BrowserProfile::kHttp10},
    {"curl", BrowserProfile::kCurl},
}};
inline constexpr std::array<NamedValue<HttpProtocol>, 2> kHttpProtocolNames{{
    {"h1", HttpProtocol::kH1},
    {"h2", HttpProtocol::kH2},
}};
inline constexpr std::array<NamedValue<ServerProfile>, 3> kServerProfileNames{{
    {"auto", ServerProfile::kAuto},
    {"nginx", ServerProfile::kNginx},
    {"iis", ServerProfile::kIis},
}};
inline constexpr std::array<NamedValue<CloseOrder>, 4> kCloseOrderNames{{
    {"client_first", CloseOrder::kClientFirst},
    {"server_first", CloseOrder::kServerFirst},
    {"simultaneous", CloseOrder::kSimultaneous},
    {"merged_fin", CloseOrder::kMergedFin},
}};
inline constexpr std::array<NamedValue<CaptureFormat>, 2> kCaptureFormatNames{{
    {"pcap", CaptureFormat::kPcap},
    {"pcapng", CaptureFormat::kPcapng},
}};

/// The name of `value` in `table` ("" if absent, which a complete table rules out).
template <class E>
constexpr std::string_view name_of(std::span<const NamedValue<E>> table, E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return {};
}

inline std::string_view to_string(TcpProfile v) { return name_of<TcpProfile>(kTcpProfileNames, v); }
inline std::string_view to_string(CongestionControl v) {
  return name_of<CongestionControl>(kCongestionControlNames, v);
}
inline std::string_view to_string(LossModel v) { return name_of<LossModel>(kLossModelNames, v); }
inline std::string_view to_string(DropMatch v) { return name_of<DropMatch>(kDropMatchNames, v); }
inline std::string_view to_string(BrowserProfile v) { return name_of<BrowserProfile>(kBrowserProfileNames, v); }
inline std::string_view to_string(HttpProtocol v) { return name_of<HttpProtocol>(kHttpProtocolNames, v); }
inline std::string_view to_string(ServerProfile v) { return name_of<ServerProfile>(kServerProfileNames, v); }
inline std::string_view to_string(CloseOrder v) { return name_of<CloseOrder>(kCloseOrderNames, v); }
inline std::string_view to_string(CaptureFormat v) { return name_of<CaptureFormat>(kCaptureFormatNames, v); }

}  // namespace wiresim::scenario
