#include "wiresim/net/queue_disc.hpp"

#include <stdexcept>
#include <utility>

#include "wiresim/net/codel.hpp"
#include "wiresim/net/fq_codel.hpp"
#include "wiresim/net/red.hpp"
#include "wiresim/wire/bytes.hpp"
#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"

namespace wiresim::net {

void PacketFifo::push(Time now, Packet frame) {
  bytes_ += frame.size();
  if (parent_ != nullptr) {
    ++parent_->packets;
    parent_->bytes += frame.size();
  }
  q_.push_back(QueuedPacket{std::move(frame), now});
}

QueuedPacket PacketFifo::pop() {
  QueuedPacket p = q_.pop_front();
  bytes_ -= p.frame.size();
  if (parent_ != nullptr) {
    --parent_->packets;
    parent_->bytes -= p.frame.size();
  }
  return p;
}

bool QueueDisc::try_mark(Packet& frame, bool ecn) {
  if (!ecn) return false;
  const std::span<std::uint8_t> b = frame.bytes();
  if (b.size() < wire::kEthernetHeaderLen + wire::kIpv4HeaderLen) return false;
  if (wire::read_u16(b, wire::EthernetFrameView::kEtherTypeOffset) != wire::kEtherTypeIpv4) return false;
  if (!wire::set_ce(b.subspan(wire::kEthernetHeaderLen, wire::kIpv4HeaderLen))) return false;
  ++ecn_marks_;
  return true;
}

std::unique_ptr<QueueDisc> make_queue_disc(const LinkDirectionConfig& config, Rng rng) {
  const QueueDiscConfig& q = config.qdisc;
  // MAXPACKET: a full frame of this direction (Linux psched_mtu: mtu + hard_header_len).
  const std::size_t max_packet = config.mtu + wire::kEthernetHeaderLen;
  switch (q.discipline) {
    case QueueDiscipline::kDropTail: return nullptr;
    case QueueDiscipline::kCodel:
      if (q.target <= Duration::zero() || q.interval <= Duration::zero()) {
        throw std::invalid_argument("wiresim: codel target and interval must be > 0");
      }
      return std::make_unique<CodelQueue>(CodelParams{q.target, q.interval, max_packet, q.ecn},
                                          config.queue_packets);
    case QueueDiscipline::kFqCodel:
      if (q.target <= Duration::zero() || q.interval <= Duration::zero() || q.flows == 0 || q.quantum == 0) {
        throw std::invalid_argument("wiresim: fq_codel target, interval, flows and quantum must be > 0");
      }
      return std::make_unique<FqCodel>(FqCodelParams{CodelParams{q.target, q.interval, max_packet, q.ecn}, q.flows,
                                                     q.quantum, config.queue_packets},
                                       rng.next_u64());
    case QueueDiscipline::kRed:
      return std::make_unique<Red>(RedParams{q.min_threshold, q.max_threshold, q.max_p, q.weight, q.gentle, q.ecn,
                                             config.queue_packets, config.queue_bytes, q.avpkt, config.rate},
                                   rng);
  }
  return nullptr;
}

}  // namespace wiresim::net
