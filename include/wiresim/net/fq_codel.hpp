#pragma once
/// FQ-CoDel (RFC 8290; Linux net/sched/sch_fq_codel.c): packets are hashed
/// by their 5-tuple into `flows` queues, each with its own CoDel state
/// (RFC 8290 §4.2); a deficit round robin with quantum bytes serves new
/// flows before old ones (§4.1, §4.3: fq_codel_dequeue's new_flows /
/// old_flows lists). When more than `limit` packets wait, packets are
/// dropped from the head of the flow with the largest backlog, up to half
/// of its bytes and at most 64 (§4.1.1; fq_codel_drop, drop_batch_size 64).

#include <cstdint>
#include <list>
#include <vector>

#include "wiresim/net/codel.hpp"
#include "wiresim/net/queue_disc.hpp"

namespace wiresim::net {

struct FqCodelParams {
  CodelParams codel{};
  std::uint32_t flows = 1024;      ///< Linux flows_cnt default
  std::uint32_t quantum = 1514;    ///< Linux psched_mtu of an Ethernet device
  std::size_t limit_packets = 10240;  ///< Linux sch->limit default; 0 = none
};

class FqCodel final : public QueueDisc {
 public:
  /// `perturbation` keys the flow hash (Linux: a random per-qdisc
  /// hash seed); it comes from the link direction's seeded queue stream.
  FqCodel(const FqCodelParams& p, std::uint64_t perturbation);

  void enqueue(Time now, Packet frame, QueueDiscSink& sink) override;
  Packet dequeue(Time now, QueueDiscSink& sink) override;
  [[nodiscard]] std::size_t packets() const override { return backlog_.packets; }
  [[nodiscard]] std::size_t bytes() const override { return backlog_.bytes; }

  /// The flow queue a frame goes to, in [0, flows).
  [[nodiscard]] std::uint32_t classify(std::span<const std::uint8_t> frame) const;
  /// Bytes waiting in flow `idx`.
  [[nodiscard]] std::size_t flow_bytes(std::uint32_t idx) const { return flows_.at(idx).q.bytes(); }

 private:
  enum class List : std::uint8_t { kNone, kNew, kOld };
  struct Flow {
    explicit Flow(Backlog* total, const CodelParams& p) : q(total), codel(p) {}
    PacketFifo q;
    Codel codel;
    std::int64_t deficit = 0;  ///< bytes; may go negative (DRR)
    List on = List::kNone;
  };
  /// fq_codel_drop: drops from the fattest flow; returns its index.
  std::uint32_t drop_from_fattest(QueueDiscSink& sink);
  void move_to_old(std::uint32_t idx);

  FqCodelParams p_;
  std::uint64_t perturbation_;
  Backlog backlog_;
  std::vector<Flow> flows_;
  std::list<std::uint32_t> new_flows_;  ///< flow indices, in service order
  std::list<std::uint32_t> old_flows_;
};

}  // namespace wiresim::net
