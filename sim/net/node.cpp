#include "wiresim/net/node.hpp"

#include <algorithm>
#include <utility>

#include "wiresim/net/ip_handler.hpp"
#include "wiresim/wire/ethernet.hpp"

namespace wiresim::net {

namespace {

// Indexed by IpDropReason.
constexpr std::array<std::string_view, kIpDropReasonCount> kDropNames = {
    "truncated_frame", "wrong_mac",  "not_ipv4",          "malformed_ipv4",   "bad_checksum",
    "fragment",        "no_handler", "not_for_us",        "ttl_expired",      "no_route",
    "local_destination",             "packet_too_large",  "not_attached",
};

constexpr std::size_t kMaxIpPayload = 65535 - wire::kIpv4HeaderLen;

void emit_ethernet(std::span<std::uint8_t> header, const Interface& out) {
  wire::EthernetRepr{out.peer_mac(), out.mac(), wire::kEtherTypeIpv4}.emit(header);
}

}  // namespace

std::string_view to_string(IpDropReason r) { return kDropNames.at(static_cast<std::size_t>(r)); }

Node::Node(Simulator& sim, std::string name, std::uint32_t id) : sim_(sim), name_(std::move(name)), id_(id) {}

Node::~Node() = default;

Interface& Node::add_interface(std::string name, wire::MacAddress mac, wire::Ipv4Prefix address) {
  const auto index = static_cast<std::uint32_t>(interfaces_.size());
  interfaces_.push_back(std::make_unique<Interface>(*this, index, std::move(name), mac, address));
  routes_.add(Route{address, index, std::nullopt});
  const std::uint32_t raw = address.address().raw();
  const std::size_t at = local_addresses_.lower_bound(raw);
  if (at == local_addresses_.size() || local_addresses_[at] != raw) local_addresses_.insert_at(at, raw);
  return *interfaces_.back();
}

std::optional<wire::Ipv4Address> Node::source_address_for(wire::Ipv4Address dst) const {
  const Route* r = routes_.lookup(dst);
  if (r == nullptr || r->interface >= interfaces_.size()) return std::nullopt;
  return interfaces_[r->interface]->address();
}

bool Node::is_local_address(wire::Ipv4Address a) const {
  return local_addresses_.contains(a.raw());
}

Interface* Node::route_out(wire::Ipv4Address dst) {
  const Route* r = routes_.lookup(dst);
  if (r == nullptr || r->interface >= interfaces_.size()) {
    drop(IpDropReason::kNoRoute);
    return nullptr;
  }
  Interface* out = interfaces_[r->interface].get();
  if (!out->attached()) {
    drop(IpDropReason::kNotAttached);
    return nullptr;
  }
  return out;
}

std::uint16_t Node::next_identification() {
  const std::uint16_t id = next_id_++;
  if (next_id_ == 0) next_id_ = 1;
  return id;
}

bool Node::send_ip(Packet pkt, const wire::Ipv4Repr& fields, IpId id) {
  if (is_local_address(fields.dst)) {
    drop(IpDropReason::kLocalDestination);
    return false;
  }
  if (pkt.size() > kMaxIpPayload) {
    drop(IpDropReason::kPacketTooLarge);
    return false;
  }
  Interface* out = route_out(fields.dst);
  if (out == nullptr) return false;
  wire::Ipv4Repr ip = fields;
  if (ip.src.is_unspecified()) ip.src = out->address();
  if (id == IpId::kNodeCounter && ip.identification == 0) ip.identification = next_identification();
  ip.payload_len = static_cast<std::uint16_t>(pkt.size());
  ip.emit(pkt.prepend(wire::kIpv4HeaderLen));
  emit_ethernet(pkt.prepend(wire::kEthernetHeaderLen), *out);
  ++stats_.sent;
  out->transmit(std::move(pkt));
  return true;
}

void Node::receive_frame(Interface& in, Packet frame) {
  ++stats_.rx_frames;
  const auto eth = wire::EthernetFrameView::check(frame.bytes());
  if (!eth) return drop(IpDropReason::kTruncatedFrame);
  const wire::MacAddress dst_mac = eth.value().dst();
  if (dst_mac != in.mac() && !dst_mac.is_broadcast()) return drop(IpDropReason::kWrongMac);
  if (eth.value().ethertype() != wire::kEtherTypeIpv4) return drop(IpDropReason::kNotIpv4);
  const auto view = wire::Ipv4PacketView::check(eth.value().payload());
  if (!view) return drop(IpDropReason::kMalformedIpv4);
  if (!view.value().header_checksum_ok()) return drop(IpDropReason::kBadChecksum);
  const auto ip = wire::Ipv4Repr::parse(view.value());
  if (!ip) return drop(IpDropReason::kFragment);
  const wire::Ipv4Address dst = ip.value().dst;
  if (is_local_address(dst) || dst.is_broadcast()) {
    return deliver_local(ip.value(), view.value().payload(), frame);
  }
  if (!forwarding_) return drop(IpDropReason::kNotForUs);
  forward(std::move(frame), wire::kEthernetHeaderLen, view.value().header_len(), dst, ip.value().ttl);
}

void Node::deliver_local(const wire::Ipv4Repr& ip, std::span<const std::uint8_t> l4, const Packet& pkt) {
  IpHandler* h = handlers_[ip.protocol];
  if (h == nullptr) return drop(IpDropReason::kNoHandler);
  ++stats_.delivered;
  h->on_ip_packet(ip, l4, pkt);
}

void Node::forward(Packet frame, std::size_t ip_offset, std::size_t ip_header_len,
                   wire::Ipv4Address dst, std::uint8_t ttl) {
  // RFC 1812 §5.3.1: a packet whose TTL would reach 0 is not forwarded.
  if (ttl <= 1) return drop(IpDropReason::kTtlExpired);
  Interface* out = route_out(dst);
  if (out == nullptr) return;
  const std::span<std::uint8_t> bytes = frame.bytes();
  wire::decrement_ttl(bytes.subspan(ip_offset, ip_header_len));
  emit_ethernet(bytes.first(wire::kEthernetHeaderLen), *out);
  ++stats_.forwarded;
  out->transmit(std::move(frame));
}

}  // namespace wiresim::net
