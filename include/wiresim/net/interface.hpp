#pragma once
/// A network interface of a node: a MAC address, an IPv4 address with its
/// prefix, and at most one point-to-point link. Frames go down through
/// transmit() to the link and come up through receive() to the node.

#include <cstdint>
#include <string>
#include <vector>

#include "wiresim/net/packet.hpp"
#include "wiresim/wire/address.hpp"

namespace wiresim::net {

class LinkChannel;
class Node;
class PacketObserver;

/// Frame counters of one interface (as a NIC's statistics would show).
struct InterfaceStats {
  std::uint64_t tx_packets = 0;  ///< frames handed to the link
  std::uint64_t tx_bytes = 0;
  std::uint64_t rx_packets = 0;  ///< frames delivered by the link, malformed included
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_unattached = 0;  ///< frames dropped because no link is attached
};

class Interface {
 public:
  /// `address` is the interface address with its subnet length ("10.0.1.1/24").
  /// Created by Node::add_interface; `index` is its position in the node.
  Interface(Node& node, std::uint32_t index, std::string name, wire::MacAddress mac,
            wire::Ipv4Prefix address);
  Interface(const Interface&) = delete;
  Interface& operator=(const Interface&) = delete;

  [[nodiscard]] Node& node() const { return node_; }
  [[nodiscard]] std::uint32_t index() const { return index_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] wire::MacAddress mac() const { return mac_; }
  [[nodiscard]] wire::Ipv4Address address() const { return address_.address(); }
  /// Address and subnet length; prefix().network() is the connected subnet.
  [[nodiscard]] wire::Ipv4Prefix prefix() const { return address_; }

  /// Called by Link: frames from here go to `out`; the peer has `peer_mac`.
  /// Throws std::logic_error if already attached.
  void attach(LinkChannel& out, wire::MacAddress peer_mac);
  [[nodiscard]] bool attached() const { return out_ != nullptr; }
  /// The next hop's MAC on the point-to-point link (no ARP is modelled).
  /// Precondition: attached().
  [[nodiscard]] wire::MacAddress peer_mac() const { return peer_mac_; }
  /// The channel this interface transmits on, or nullptr.
  [[nodiscard]] const LinkChannel* out_channel() const { return out_; }

  /// Sends a complete Ethernet frame on the link (dropped and counted if
  /// not attached).
  void transmit(Packet frame);
  /// A frame arriving from the link: observed, then handed to the node.
  void receive(Packet frame);

  [[nodiscard]] const InterfaceStats& stats() const { return stats_; }

  /// Observers see every frame transmitted and received here, in the order
  /// added; they must outlive the interface or be removed first.
  void add_observer(PacketObserver& o) { observers_.push_back(&o); }
  bool remove_observer(PacketObserver& o);

 private:
  Node& node_;
  std::uint32_t index_;
  std::string name_;
  wire::MacAddress mac_;
  wire::Ipv4Prefix address_;
  LinkChannel* out_ = nullptr;
  wire::MacAddress peer_mac_{};
  InterfaceStats stats_;
  std::vector<PacketObserver*> observers_;
};

}  // namespace wiresim::net
