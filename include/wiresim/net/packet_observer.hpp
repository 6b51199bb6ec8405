#pragma once
/// A side channel for captures, traces and metrics. Observers see frames as
/// const bytes and cannot change anything simulated; with no observer
/// attached the hot path pays one empty-vector check per hook.
///
/// Attach to an Interface (what a capture on that NIC sees, both
/// directions) and/or to a Link direction (what happens on the wire).
/// Every hook has an empty default: override only what you need. Hooks run
/// synchronously at simulated time `now`, so an observer's calls arrive in
/// non-decreasing time order.

#include <cstdint>
#include <span>

#include "wiresim/core/time.hpp"
#include "wiresim/net/link_config.hpp"

namespace wiresim::net {

class Interface;
class Link;

class PacketObserver {
 public:
  virtual ~PacketObserver() = default;

  /// `iface` hands `frame` to its link (before the link's queue, so frames
  /// the link later drops are seen too).
  virtual void on_transmit(Time /*now*/, const Interface& /*iface*/,
                           std::span<const std::uint8_t> /*frame*/, std::uint64_t /*uid*/) {}
  /// The link delivers `frame` to `iface`, before any parsing (malformed
  /// frames are seen too).
  virtual void on_receive(Time /*now*/, const Interface& /*iface*/,
                          std::span<const std::uint8_t> /*frame*/, std::uint64_t /*uid*/) {}
  /// `link` accepts `frame` for the wire in direction `dir` and will deliver
  /// it. Reported when the frame is handed to the link, not when its
  /// serialisation starts. Each frame handed to a link gets exactly one of
  /// on_wire and on_drop.
  virtual void on_wire(Time /*now*/, const Link& /*link*/, LinkDirection /*dir*/,
                       std::span<const std::uint8_t> /*frame*/, std::uint64_t /*uid*/) {}
  /// `link` drops `frame` in direction `dir`. Every drop is reported when
  /// the frame is handed to the link (a wire loss is decided then too, though
  /// the frame still occupies its serialisation time).
  virtual void on_drop(Time /*now*/, const Link& /*link*/, LinkDirection /*dir*/,
                       std::span<const std::uint8_t> /*frame*/, std::uint64_t /*uid*/,
                       DropCause /*cause*/) {}

 protected:
  PacketObserver() = default;
  PacketObserver(const PacketObserver&) = default;
  PacketObserver& operator=(const PacketObserver&) = default;
};

}  // namespace wiresim::net
