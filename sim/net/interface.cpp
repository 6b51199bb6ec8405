#include "wiresim/net/interface.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "wiresim/net/link_channel.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_observer.hpp"

namespace wiresim::net {

Interface::Interface(Node& node, std::uint32_t index, std::string name, wire::MacAddress mac,
                     wire::Ipv4Prefix address)
    : node_(node), index_(index), name_(std::move(name)), mac_(mac), address_(address) {}

void Interface::attach(LinkChannel& out, wire::MacAddress peer_mac) {
  if (out_ != nullptr) throw std::logic_error("wiresim: interface " + name_ + " is already attached to a link");
  out_ = &out;
  peer_mac_ = peer_mac;
}

void Interface::transmit(Packet frame) {
  if (out_ == nullptr) {
    ++stats_.tx_unattached;
    return;
  }
  ++stats_.tx_packets;
  stats_.tx_bytes += frame.size();
  for (PacketObserver* o : observers_) o->on_transmit(node_.sim().now(), *this, frame.bytes(), frame.uid());
  out_->send(std::move(frame));
}

void Interface::receive(Packet frame) {
  ++stats_.rx_packets;
  stats_.rx_bytes += frame.size();
  for (PacketObserver* o : observers_) o->on_receive(node_.sim().now(), *this, frame.bytes(), frame.uid());
  node_.receive_frame(*this, std::move(frame));
}

bool Interface::remove_observer(PacketObserver& o) {
  const auto it = std::find(observers_.begin(), observers_.end(), &o);
  if (it == observers_.end()) return false;
  observers_.erase(it);
  return true;
}

}  // namespace wiresim::net
