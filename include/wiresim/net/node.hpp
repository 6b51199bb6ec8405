#pragma once
/// A host or router: interfaces, a routing table and the IPv4 layer between
/// the links below and the protocol handlers (TCP) above.
///
/// Output (send_ip): prepend the IPv4 header (RFC 791 §3.1, checksum
/// filled) and the Ethernet header, route, transmit.
/// Input (receive_frame): parse Ethernet and IPv4 from the bytes, deliver to
/// the handler of the protocol if the destination is ours, else forward if
/// this node is a router (RFC 1812 §5.3.1 TTL), else drop. Every frame that
/// is not delivered or forwarded is counted under one IpDropReason.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/core/simulator.hpp"
#include "wiresim/net/interface.hpp"
#include "wiresim/net/key_index.hpp"
#include "wiresim/net/packet.hpp"
#include "wiresim/net/routing_table.hpp"
#include "wiresim/wire/address.hpp"
#include "wiresim/wire/ipv4.hpp"

namespace wiresim::net {

class IpHandler;

enum class IpDropReason : std::uint8_t {
  kTruncatedFrame,    ///< shorter than an Ethernet header
  kWrongMac,          ///< destination MAC neither ours nor broadcast
  kNotIpv4,           ///< EtherType is not IPv4
  kMalformedIpv4,     ///< IPv4 header fails the view's checks
  kBadChecksum,       ///< IPv4 header checksum does not verify
  kFragment,          ///< IPv4 fragment (not supported)
  kNoHandler,         ///< for us, but no handler for the protocol
  kNotForUs,          ///< not our address and this node does not forward
  kTtlExpired,        ///< TTL <= 1 at a router (no ICMP is sent)
  kNoRoute,           ///< no route to the destination (forwarding or sending)
  kLocalDestination,  ///< send_ip to one of our own addresses (no loopback)
  kPacketTooLarge,    ///< send_ip payload above 65515 bytes
  kNotAttached,       ///< the route's interface has no link
};
inline constexpr std::size_t kIpDropReasonCount = 13;

/// "truncated_frame", "wrong_mac", ... (snake_case of the enumerator).
std::string_view to_string(IpDropReason r);

struct NodeStats {
  std::uint64_t rx_frames = 0;     ///< frames from all interfaces
  std::uint64_t delivered = 0;     ///< packets handed to a handler
  std::uint64_t forwarded = 0;     ///< packets routed on
  std::uint64_t sent = 0;          ///< packets sent by send_ip
  std::array<std::uint64_t, kIpDropReasonCount> drops{};  ///< indexed by IpDropReason

  [[nodiscard]] std::uint64_t dropped(IpDropReason r) const { return drops[static_cast<std::size_t>(r)]; }
};

class Node {
 public:
  /// Headroom (bytes) a packet needs in front of its L4 bytes for send_ip
  /// to prepend the IPv4 and Ethernet headers without copying.
  static constexpr std::size_t kHeadroom = 14 + 20;

  Node(Simulator& sim, std::string name, std::uint32_t id);
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] std::uint32_t id() const { return id_; }
  [[nodiscard]] Simulator& sim() const { return sim_; }

  /// Adds an interface and its connected route (address.network()/length).
  Interface& add_interface(std::string name, wire::MacAddress mac, wire::Ipv4Prefix address);
  [[nodiscard]] std::size_t interface_count() const { return interfaces_.size(); }
  [[nodiscard]] Interface& interface(std::size_t i) const { return *interfaces_.at(i); }

  [[nodiscard]] RoutingTable& routes() { return routes_; }
  [[nodiscard]] const RoutingTable& routes() const { return routes_; }
  /// Routers forward packets not addressed to them; hosts drop them.
  void set_forwarding(bool on) { forwarding_ = on; }
  [[nodiscard]] bool forwarding() const { return forwarding_; }

  /// Registers the handler for an IP protocol number (replacing any); it
  /// must outlive the node or be unregistered.
  void register_handler(std::uint8_t protocol, IpHandler& handler) { handlers_[protocol] = &handler; }
  void unregister_handler(std::uint8_t protocol) { handlers_[protocol] = nullptr; }

  /// Headroom to leave in packets given to send_ip (kHeadroom).
  [[nodiscard]] static constexpr std::size_t headroom() { return kHeadroom; }
  /// The address send_ip uses as source towards `dst`: the address of the
  /// route's interface. Empty if there is no route. Transport checksums
  /// must be computed with it.
  [[nodiscard]] std::optional<wire::Ipv4Address> source_address_for(wire::Ipv4Address dst) const;
  [[nodiscard]] bool is_local_address(wire::Ipv4Address a) const;

  /// Where the IPv4 identification of a sent packet comes from.
  enum class IpId : std::uint8_t {
    kNodeCounter,  ///< identification 0 is replaced by the node's counter
    kGiven,        ///< fields.identification as given, 0 included (a transport's own IDs)
  };
  /// Sends `pkt` (holding exactly the L4 bytes, checksum filled) as IPv4
  /// with `fields`. payload_len is set from pkt.size(); an unspecified src is
  /// replaced by source_address_for(dst); with kNodeCounter, identification
  /// 0 is replaced by the node's counter (1, 2, ..., 65535, 1, ...: 0 is
  /// never picked). Returns false if the packet was dropped (counted).
  bool send_ip(Packet pkt, const wire::Ipv4Repr& fields, IpId id = IpId::kNodeCounter);

  /// A frame from one of our interfaces (called by Interface::receive).
  void receive_frame(Interface& in, Packet frame);

  [[nodiscard]] const NodeStats& stats() const { return stats_; }

 private:
  void drop(IpDropReason r) { ++stats_.drops[static_cast<std::size_t>(r)]; }
  /// The outgoing interface for `dst`, or nullptr (drop counted).
  Interface* route_out(wire::Ipv4Address dst);
  void deliver_local(const wire::Ipv4Repr& ip, std::span<const std::uint8_t> l4, const Packet& pkt);
  /// Routes a received packet on. `ip_offset` is where its IPv4 header starts.
  void forward(Packet frame, std::size_t ip_offset, std::size_t ip_header_len,
               wire::Ipv4Address dst, std::uint8_t ttl);
  std::uint16_t next_identification();

  Simulator& sim_;
  std::string name_;
  std::uint32_t id_;
  std::vector<std::unique_ptr<Interface>> interfaces_;
  RoutingTable routes_;
  KeyIndex local_addresses_;  ///< raw addresses, checked for every frame a router forwards
  std::array<IpHandler*, 256> handlers_{};
  bool forwarding_ = false;
  std::uint16_t next_id_ = 1;  ///< next IPv4 identification, never 0
  NodeStats stats_;
};

}  // namespace wiresim::net
