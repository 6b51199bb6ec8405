#pragma once
// A two-host world joined by one lossy link, driven by hand-built TCP
// segments (no TCP stack): the foundation's end-to-end check. The client
// sends a handshake, `data_segments` data segments of varying sizes and a
// close; the server answers each on a fixed schedule, whether or not the
// segment arrived. Captures: the client's NIC and the link, each as pcap
// and as pcapng (the pcapng link capture also records drops, commented).

#include <cstdint>
#include <string>
#include <vector>

namespace wiresim::test {

struct ScriptedTransferOptions {
  std::uint64_t seed = 1;
  int data_segments = 300;
  double loss = 0.05;  ///< Bernoulli loss in each direction
};

struct ScriptedTransferResult {
  std::uint64_t segments_sent = 0;       ///< by both hosts
  std::uint64_t frames_delivered = 0;    ///< both directions
  std::uint64_t frames_dropped = 0;      ///< both directions, all causes
  std::uint64_t client_frames = 0;       ///< written to each client capture
  std::uint64_t link_pcap_frames = 0;    ///< delivered frames only
  std::uint64_t link_pcapng_frames = 0;  ///< delivered + dropped (commented)
  std::vector<std::string> drop_comments;  ///< in capture order
};

/// Runs the transfer and writes client.pcap, client.pcapng, link.pcap and
/// link.pcapng into `out_dir` (which must exist).
ScriptedTransferResult run_scripted_transfer(const std::string& out_dir, const ScriptedTransferOptions& opt);

}  // namespace wiresim::test
