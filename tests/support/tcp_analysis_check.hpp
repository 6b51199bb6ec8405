#pragma once
// Wireshark's TCP analysis flags of a capture, frame by frame, from tshark
// and from report::analyze_tcp, in one text form so that a test compares
// them as two lists of lines ("17: Dup ACK #2 of 12, Window Update").

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "tshark.hpp"
#include "wiresim/report/run_folder.hpp"
#include "wiresim/report/tcp_analysis.hpp"

namespace wiresim::test {

/// tshark's field for each flag, in the order the text form lists them.
/// tcp.analysis.retransmission is also set on fast and spurious
/// retransmissions (Wireshark adds that expert item to both).
struct AnalysisField {
  const char* field;
  std::uint32_t flags;  ///< our flags that make tshark show the field
  const char* name;
};
inline const std::vector<AnalysisField>& analysis_fields() {
  namespace rp = wiresim::report;
  static const std::vector<AnalysisField> fields = {
      {"tcp.analysis.retransmission", rp::kTaAnyRetransmission, "Retransmission"},
      {"tcp.analysis.fast_retransmission", rp::kTaFastRetransmission, "Fast"},
      {"tcp.analysis.spurious_retransmission", rp::kTaSpuriousRetransmission, "Spurious"},
      {"tcp.analysis.out_of_order", rp::kTaOutOfOrder, "Out-Of-Order"},
      {"tcp.analysis.lost_segment", rp::kTaLostSegment, "Previous segment not captured"},
      {"tcp.analysis.ack_lost_segment", rp::kTaAckLostSegment, "ACKed unseen segment"},
      {"tcp.analysis.window_update", rp::kTaWindowUpdate, "Window Update"},
      {"tcp.analysis.window_full", rp::kTaWindowFull, "Window Full"},
      {"tcp.analysis.zero_window", rp::kTaZeroWindow, "Zero Window"},
      {"tcp.analysis.zero_window_probe", rp::kTaZeroWindowProbe, "Zero Window Probe"},
      {"tcp.analysis.zero_window_probe_ack", rp::kTaZeroWindowProbeAck, "Zero Window Probe ACK"},
      {"tcp.analysis.keep_alive", rp::kTaKeepAlive, "Keep-Alive"},
      {"tcp.analysis.keep_alive_ack", rp::kTaKeepAliveAck, "Keep-Alive ACK"},
  };
  return fields;
}

/// "17 (stream 0): Dup ACK #2 of 12, Window Update" for every TCP frame with a flag.
inline std::vector<std::string> tshark_analysis_lines(const std::string& file) {
  std::vector<std::string> fields = {"frame.number", "tcp.stream", "tcp.analysis.duplicate_ack_num",
                                     "tcp.analysis.duplicate_ack_frame"};
  for (const AnalysisField& f : analysis_fields()) fields.emplace_back(f.field);
  std::vector<std::string> argv = tshark_base(file);
  for (const char* a : {"-o", "tcp.reassemble_out_of_order:TRUE", "-Y", "tcp", "-T", "fields", "-E", "separator=/t"}) {
    argv.emplace_back(a);
  }
  for (const std::string& f : fields) {
    argv.push_back("-e");
    argv.push_back(f);
  }
  const auto result = run_process(argv, Stderr::kDiscard);
  REQUIRE(result.exit_status == 0);
  std::vector<std::string> out;
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> v;
    std::size_t pos = 0;
    for (;;) {
      const std::size_t tab = line.find('\t', pos);
      v.push_back(line.substr(pos, tab == std::string::npos ? std::string::npos : tab - pos));
      if (tab == std::string::npos) break;
      pos = tab + 1;
    }
    v.resize(fields.size());
    std::string text;
    if (!v[2].empty()) text = "Dup ACK #" + v[2] + " of " + v[3];
    for (std::size_t i = 0; i < analysis_fields().size(); ++i) {
      if (!v[4 + i].empty()) text += (text.empty() ? "" : ", ") + std::string(analysis_fields()[i].name);
    }
    if (!text.empty()) out.push_back(v[0] + " (stream " + v[1] + "): " + text);
  }
  return out;
}

/// The same lines from report::analyze_tcp.
inline std::vector<std::string> our_analysis_lines(const std::vector<wiresim::report::CapturedSegment>& segs) {
  const auto a = wiresim::report::analyze_tcp(segs);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& f = a.frames[i];
    std::string text;
    if ((f.flags & wiresim::report::kTaDuplicateAck) != 0) {
      text = "Dup ACK #" + std::to_string(f.dup_ack_num) + " of " + std::to_string(f.dup_ack_frame);
    }
    for (const AnalysisField& af : analysis_fields()) {
      if ((f.flags & af.flags) != 0) text += (text.empty() ? "" : ", ") + std::string(af.name);
    }
    if (!text.empty()) out.push_back(std::to_string(segs[i].frame) + " (stream " + std::to_string(f.stream) + "): " + text);
  }
  return out;
}

}  // namespace wiresim::test
