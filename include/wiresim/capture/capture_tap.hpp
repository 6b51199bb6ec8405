#pragma once
/// Capture taps: observers on a node's interfaces (what Wireshark on that
/// host would see, both directions) or on a link (what crosses the wire,
/// and, in pcapng, the frames the link dropped, each with a comment saying
/// why). Taps only read frames; removing them changes nothing simulated.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "wiresim/capture/capture_file.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_observer.hpp"
#include "wiresim/tcp/trace.hpp"

namespace wiresim::capture {

/// Remembers the frame numbers of the most recent packets a tap wrote, so a
/// trace can say "caused by frame 7" for the packet being processed now.
class RecentFrames {
 public:
  void record(std::uint64_t uid, std::uint64_t frame) {
    ring_[next_] = {uid, frame};
    next_ = (next_ + 1) % ring_.size();
  }
  /// The frame number of packet `uid`, or 0 if it is not among the recent ones.
  [[nodiscard]] std::uint64_t find(std::uint64_t uid) const {
    for (const auto& [u, f] : ring_) {
      if (u == uid && uid != 0) return f;
    }
    return 0;
  }

 private:
  // Long enough to still hold a frame sent by one host when another host
  // processes it a link delay later, with a window of other frames between.
  std::array<std::pair<std::uint64_t, std::uint64_t>, 1024> ring_{};
  std::size_t next_ = 0;
};

/// Records every frame sent and received on each interface of a node.
class NodeTap final : public net::PacketObserver {
 public:
  NodeTap(CaptureFile& file, net::Node& node);
  ~NodeTap() override;
  NodeTap(const NodeTap&) = delete;
  NodeTap& operator=(const NodeTap&) = delete;

  void on_transmit(Time now, const net::Interface& iface, std::span<const std::uint8_t> frame,
                   std::uint64_t uid) override;
  void on_receive(Time now, const net::Interface& iface, std::span<const std::uint8_t> frame,
                  std::uint64_t uid) override;

  /// The next TCP segment this node sends on `conn` with sequence number
  /// `seq` and `len` payload bytes gets `comment` (pcapng only; e.g. why it
  /// is a retransmission). At most kMaxPendingComments wait at a time.
  void comment_next_send(const tcp::FourTuple& conn, std::uint32_t seq, std::uint32_t len, std::string comment);
  /// False when comment_next_send would drop the comment (a pcap file).
  [[nodiscard]] bool takes_comments() const;

  /// Frame number of a packet this tap recorded recently; 0 if unknown.
  [[nodiscard]] std::uint64_t frame_of(std::uint64_t uid) const { return recent_.find(uid); }
  [[nodiscard]] const net::Node& node() const { return node_; }

 private:
  void record(Time now, const net::Interface& iface, std::span<const std::uint8_t> frame, std::uint64_t uid,
              Direction dir);

  /// The comment for an outbound frame, if one waits for it (and forgets it).
  std::string take_comment(std::span<const std::uint8_t> frame);

  struct PendingComment {
    tcp::FourTuple conn;
    std::uint32_t seq = 0;
    std::uint32_t len = 0;
    std::string comment;
  };
  static constexpr std::size_t kMaxPendingComments = 64;

  CaptureFile& file_;
  net::Node& node_;
  std::vector<std::uint32_t> iface_ids_;  ///< capture interface per node interface index
  RecentFrames recent_;
  std::vector<PendingComment> pending_;   ///< oldest first
};

/// Records the frames a link accepts in each direction, stamped when the
/// sender hands them over; in pcapng also the frames it drops, with a
/// comment such as "dropped by link lan (client->server): loss_model".
class LinkTap final : public net::PacketObserver {
 public:
  LinkTap(CaptureFile& file, net::Link& link);
  ~LinkTap() override;
  LinkTap(const LinkTap&) = delete;
  LinkTap& operator=(const LinkTap&) = delete;

  void on_wire(Time now, const net::Link& link, net::LinkDirection dir, std::span<const std::uint8_t> frame,
               std::uint64_t uid) override;
  void on_drop(Time now, const net::Link& link, net::LinkDirection dir, std::span<const std::uint8_t> frame,
               std::uint64_t uid, net::DropCause cause) override;

  [[nodiscard]] std::uint64_t drops_recorded() const { return drops_; }

 private:
  [[nodiscard]] std::string direction_name(net::LinkDirection dir) const;

  CaptureFile& file_;
  net::Link& link_;
  std::array<std::uint32_t, 2> iface_ids_{};
  std::uint64_t drops_ = 0;
};

}  // namespace wiresim::capture
