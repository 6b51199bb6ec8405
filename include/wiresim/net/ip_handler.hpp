#pragma once
/// The upward interface from a node's IPv4 layer to a transport protocol
/// (the TCP stack registers one for protocol 6).

#include <cstdint>
#include <span>

#include "wiresim/net/packet.hpp"
#include "wiresim/wire/ipv4.hpp"

namespace wiresim::net {

class IpHandler {
 public:
  virtual ~IpHandler() = default;

  /// A packet addressed to this node, with a valid IPv4 header. `l4` is the
  /// IP payload (header excluded, link padding excluded) inside `pkt`'s
  /// bytes; both are valid only during the call: copy what you keep. The
  /// transport checksum has NOT been verified (the handler does it).
  virtual void on_ip_packet(const wire::Ipv4Repr& ip, std::span<const std::uint8_t> l4,
                            const Packet& pkt) = 0;

 protected:
  IpHandler() = default;
  IpHandler(const IpHandler&) = default;
  IpHandler& operator=(const IpHandler&) = default;
};

}  // namespace wiresim::net
