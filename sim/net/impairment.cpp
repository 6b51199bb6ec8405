#include "wiresim/net/impairment.hpp"

#include <stdexcept>
#include <string>

#include "wiresim/wire/ethernet.hpp"

namespace wiresim::net {

namespace {

// Sub-streams of the seeds taken from a direction's Rng (the loss and
// jitter streams are 1 and 2, see link_channel.cpp).
constexpr std::uint64_t kDuplicateStream = 3;
constexpr std::uint64_t kCorruptStream = 4;
constexpr std::uint64_t kReorderStream = 5;

const ImpairmentConfig& validated(const ImpairmentConfig& c) {
  const auto check = [](double p, const char* what) {
    if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument(std::string("wiresim: ") + what + " must be in [0, 1]");
  };
  check(c.duplicate, "duplicate probability");
  check(c.corrupt, "corrupt probability");
  check(c.reorder, "reorder probability");
  if (c.reorder_gap == 0) throw std::invalid_argument("wiresim: reorder gap must be >= 1");
  if (c.reorder_delay < Duration::zero()) throw std::invalid_argument("wiresim: reorder delay must be >= 0");
  return c;
}

}  // namespace

Impairments::Impairments(const ImpairmentConfig& config, Rng& parent)
    : config_(validated(config)),
      any_(config.any()),
      duplicate_rng_(parent.next_u64(), kDuplicateStream),
      corrupt_rng_(parent.next_u64(), kCorruptStream),
      reorder_rng_(parent.next_u64(), kReorderStream) {}

bool Impairments::duplicate() {
  if (config_.duplicate <= 0.0 || !duplicate_rng_.bernoulli(config_.duplicate)) return false;
  ++stats_.duplicated;
  return true;
}

Impairments::Flip Impairments::draw_corruption(std::size_t frame_len) {
  if (config_.corrupt <= 0.0 || frame_len <= wire::kEthernetHeaderLen) return {};
  if (!corrupt_rng_.bernoulli(config_.corrupt)) return {};
  // netem: skb->data[get_random_u32_below(skb_headlen(skb))] ^= 1 << get_random_u32_below(8)
  Flip f;
  f.chosen = true;
  f.byte = wire::kEthernetHeaderLen + static_cast<std::size_t>(corrupt_rng_.uniform_below(frame_len - wire::kEthernetHeaderLen));
  f.bit = static_cast<std::uint8_t>(corrupt_rng_.uniform_below(8));
  return f;
}

void Impairments::apply(const Flip& flip, std::span<std::uint8_t> frame) {
  if (!flip.chosen || flip.byte >= frame.size()) return;
  frame[flip.byte] = static_cast<std::uint8_t>(frame[flip.byte] ^ (1u << flip.bit));
  ++stats_.corrupted;
}

bool Impairments::reorder() {
  if (config_.reorder <= 0.0) return false;
  // netem_enqueue: if (q->gap == 0 || q->counter < q->gap - 1 ||
  //                    q->reorder < get_crandom(...)) { delay; ++q->counter; }
  //                else { time_to_send = now; q->counter = 0; }
  if (counter_ < config_.reorder_gap - 1 || !reorder_rng_.bernoulli(config_.reorder)) {
    if (counter_ < config_.reorder_gap) ++counter_;  // past the gap its value no longer matters
    return false;
  }
  counter_ = 0;
  ++stats_.reordered;
  return true;
}

Packet OvertakingQueue::pop_front() {
  const auto first = frames_.begin();
  Packet frame = std::move(first->second);
  frames_.erase(first);
  return frame;
}

}  // namespace wiresim::net
