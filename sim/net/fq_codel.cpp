#include "wiresim/net/fq_codel.hpp"

#include <utility>

#include "wiresim/wire/bytes.hpp"
#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"

namespace wiresim::net {

namespace {

/// fq_codel_drop's drop_batch_size default.
constexpr std::uint32_t kDropBatch = 64;

/// The IPv4 5-tuple of a frame packed in two words (zeros where absent).
std::pair<std::uint64_t, std::uint64_t> five_tuple(std::span<const std::uint8_t> f) {
  using V = wire::Ipv4PacketView;
  constexpr std::size_t kIp = wire::kEthernetHeaderLen;
  if (f.size() < kIp + wire::kIpv4HeaderLen ||
      wire::read_u16(f, wire::EthernetFrameView::kEtherTypeOffset) != wire::kEtherTypeIpv4) {
    return {0, 0};
  }
  const std::uint64_t addrs =
      (std::uint64_t{wire::read_u32(f, kIp + V::kSrcOffset)} << 32) | wire::read_u32(f, kIp + V::kDstOffset);
  const std::uint8_t proto = f[kIp + V::kProtocolOffset];
  const std::size_t l4 = kIp + std::size_t{f[kIp] & 0x0fu} * 4;
  std::uint64_t ports = 0;
  if ((proto == 6 || proto == 17) && f.size() >= l4 + 4) ports = wire::read_u32(f, l4);
  return {addrs, (std::uint64_t{proto} << 32) | ports};
}

}  // namespace

FqCodel::FqCodel(const FqCodelParams& p, std::uint64_t perturbation) : p_(p), perturbation_(perturbation) {
  flows_.reserve(p.flows);  // never reallocates: each flow's fifo points at backlog_
  for (std::uint32_t i = 0; i < p.flows; ++i) flows_.emplace_back(&backlog_, p.codel);
}

std::uint32_t FqCodel::classify(std::span<const std::uint8_t> frame) const {
  // fq_codel_hash: reciprocal_scale(skb_get_hash(skb), flows_cnt), the hash
  // keyed by a per-qdisc random value. Ours: SplitMix64 over the 5-tuple,
  // keyed by the seeded perturbation (deterministic per seed).
  const auto [addrs, rest] = five_tuple(frame);
  const std::uint64_t h = mix64(mix64(perturbation_ ^ addrs) ^ rest);
  return static_cast<std::uint32_t>(((h >> 32) * p_.flows) >> 32);
}

void FqCodel::enqueue(Time now, Packet frame, QueueDiscSink& sink) {
  const std::uint32_t idx = classify(frame.bytes());
  Flow& flow = flows_[idx];
  flow.q.push(now, std::move(frame));
  if (flow.on == List::kNone) {
    // RFC 8290 §4.1: a flow with no queue joins the new list with a full quantum.
    new_flows_.push_back(idx);
    flow.on = List::kNew;
    flow.deficit = p_.quantum;
  }
  if (p_.limit_packets == 0 || backlog_.packets <= p_.limit_packets) return;
  drop_from_fattest(sink);
}

std::uint32_t FqCodel::drop_from_fattest(QueueDiscSink& sink) {
  // The first flow with the largest backlog (strictly greater wins, as the
  // kernel's scan from index 0).
  std::uint32_t idx = 0;
  std::size_t max_bytes = 0;
  for (std::uint32_t i = 0; i < p_.flows; ++i) {
    if (flows_[i].q.bytes() > max_bytes) {
      max_bytes = flows_[i].q.bytes();
      idx = i;
    }
  }
  Flow& flow = flows_[idx];
  const std::size_t threshold = max_bytes / 2;  // drop half of the fat flow's backlog
  std::size_t dropped_bytes = 0;
  std::uint32_t n = 0;
  do {
    QueuedPacket qp = flow.q.pop();
    dropped_bytes += qp.frame.size();
    sink.on_qdisc_drop(qp.frame, DropCause::kQueueFull);
  } while (++n < kDropBatch && dropped_bytes < threshold && !flow.q.empty());
  flow.codel.add_to_count(n);
  return idx;
}

void FqCodel::move_to_old(std::uint32_t idx) {
  old_flows_.push_back(idx);
  flows_[idx].on = List::kOld;
}

Packet FqCodel::dequeue(Time now, QueueDiscSink& sink) {
  // fq_codel_dequeue. Every pass either returns, or moves a flow from new to
  // old (at most `flows` times), or credits a flow a quantum (then it sends
  // or empties within a few passes), or removes an empty flow: it ends.
  for (;;) {
    std::list<std::uint32_t>& head = new_flows_.empty() ? old_flows_ : new_flows_;
    if (head.empty()) return {};
    const std::uint32_t idx = head.front();
    Flow& flow = flows_[idx];
    if (flow.deficit <= 0) {
      flow.deficit += p_.quantum;
      head.pop_front();
      move_to_old(idx);
      continue;
    }
    Packet p = flow.codel.dequeue(now, flow.q, *this, sink);
    if (!p.has_buffer()) {
      // Force a pass through the old flows to prevent starvation (RFC 8290 §4.2).
      const bool from_new = &head == &new_flows_;
      head.pop_front();
      if (from_new && !old_flows_.empty()) {
        move_to_old(idx);
      } else {
        flow.on = List::kNone;
      }
      continue;
    }
    flow.deficit -= static_cast<std::int64_t>(p.size());
    return p;
  }
}

}  // namespace wiresim::net
