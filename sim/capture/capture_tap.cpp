#include "wiresim/capture/capture_tap.hpp"

#include <fmt/format.h>

#include "wiresim/net/interface.hpp"
#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::capture {

NodeTap::NodeTap(CaptureFile& file, net::Node& node) : file_(file), node_(node) {
  for (std::size_t i = 0; i < node.interface_count(); ++i) {
    net::Interface& iface = node.interface(i);
    const std::string name = fmt::format("{}:{}", node.name(), iface.name());
    const std::string description =
        fmt::format("capture on {} ({} {})", name, iface.address().to_string(), iface.mac().to_string());
    iface_ids_.push_back(file.add_interface(name, description));
    iface.add_observer(*this);
  }
}

NodeTap::~NodeTap() {
  for (std::size_t i = 0; i < node_.interface_count(); ++i) node_.interface(i).remove_observer(*this);
}

void NodeTap::on_transmit(Time now, const net::Interface& iface, std::span<const std::uint8_t> frame,
                          std::uint64_t uid) {
  record(now, iface, frame, uid, Direction::kOutbound);
}

void NodeTap::on_receive(Time now, const net::Interface& iface, std::span<const std::uint8_t> frame,
                         std::uint64_t uid) {
  record(now, iface, frame, uid, Direction::kInbound);
}

void NodeTap::comment_next_send(const tcp::FourTuple& conn, std::uint32_t seq, std::uint32_t len,
                                std::string comment) {
  if (!file_.supports_comments()) return;  // pcap cannot hold comments
  if (pending_.size() == kMaxPendingComments) pending_.erase(pending_.begin());
  pending_.push_back(PendingComment{conn, seq, len, std::move(comment)});
}

bool NodeTap::takes_comments() const { return file_.supports_comments(); }

std::string NodeTap::take_comment(std::span<const std::uint8_t> frame) {
  if (pending_.empty()) return {};
  const auto eth = wire::EthernetFrameView::check(frame);
  if (!eth || eth.value().ethertype() != wire::kEtherTypeIpv4) return {};
  const auto ip = wire::Ipv4PacketView::check(eth.value().payload());
  if (!ip || ip.value().protocol() != wire::kIpProtoTcp) return {};
  const auto tcp = wire::TcpSegmentView::check(ip.value().payload());
  if (!tcp) return {};
  const wire::TcpSegmentView& t = tcp.value();
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->conn.local.addr == ip.value().src() && it->conn.local.port == t.src_port() &&
        it->conn.remote.addr == ip.value().dst() && it->conn.remote.port == t.dst_port() &&
        it->seq == t.seq().raw() && it->len == t.payload().size()) {
      std::string c = std::move(it->comment);
      pending_.erase(it);
      return c;
    }
  }
  return {};
}

void NodeTap::record(Time now, const net::Interface& iface, std::span<const std::uint8_t> frame,
                     std::uint64_t uid, Direction dir) {
  const std::string comment = dir == Direction::kOutbound ? take_comment(frame) : std::string{};
  const std::uint64_t n = file_.write(iface_ids_.at(iface.index()), now, frame, comment, dir);
  recent_.record(uid, n);
}

LinkTap::LinkTap(CaptureFile& file, net::Link& link) : file_(file), link_(link) {
  for (const net::LinkDirection dir : {net::LinkDirection::kAToB, net::LinkDirection::kBToA}) {
    const std::string name = fmt::format("{}:{}", link.name(), direction_name(dir));
    iface_ids_[static_cast<std::size_t>(dir)] =
        file.add_interface(name, fmt::format("wire of link {}, direction {}", link.name(), direction_name(dir)));
    link.add_observer(dir, *this);
  }
}

LinkTap::~LinkTap() {
  link_.remove_observer(net::LinkDirection::kAToB, *this);
  link_.remove_observer(net::LinkDirection::kBToA, *this);
}

std::string LinkTap::direction_name(net::LinkDirection dir) const {
  const net::Interface& from = dir == net::LinkDirection::kAToB ? link_.a() : link_.b();
  const net::Interface& to = dir == net::LinkDirection::kAToB ? link_.b() : link_.a();
  return fmt::format("{}->{}", from.node().name(), to.node().name());
}

void LinkTap::on_wire(Time now, const net::Link& /*link*/, net::LinkDirection dir,
                      std::span<const std::uint8_t> frame, std::uint64_t /*uid*/) {
  file_.write(iface_ids_[static_cast<std::size_t>(dir)], now, frame);
}

void LinkTap::on_drop(Time now, const net::Link& /*link*/, net::LinkDirection dir,
                      std::span<const std::uint8_t> frame, std::uint64_t /*uid*/, net::DropCause cause) {
  // Classic pcap cannot say why a frame is there: a dropped frame would look
  // delivered, so pcap link captures leave drops out.
  if (!file_.supports_comments()) return;
  const std::string comment =
      fmt::format("dropped by link {} ({}): {}", link_.name(), direction_name(dir), net::to_string(cause));
  file_.write(iface_ids_[static_cast<std::size_t>(dir)], now, frame, comment);
  ++drops_;
}

}  // namespace wiresim::capture
