#include "wiresim/tcp/sack_scoreboard.hpp"

#include <algorithm>

namespace wiresim::tcp {

using wire::SackBlock;
using wire::SeqNum;

namespace {
std::uint32_t length(SeqNum b, SeqNum e) { return b < e ? static_cast<std::uint32_t>(e - b) : 0; }
}  // namespace

void SackScoreboard::update(SeqNum snd_una, std::span<const SackBlock> blocks) {
  drop_below(snd_una);
  for (const SackBlock& b : blocks) {
    if (!(b.left < b.right) || b.right <= snd_una) continue;  // empty, or a D-SACK / stale block
    add(SackBlock{wire::seq_max(b.left, snd_una), b.right});
  }
}

void SackScoreboard::add(SackBlock b) {
  // Merge with every range that overlaps or touches b; keep the order by left edge.
  auto first = std::find_if(ranges_.begin(), ranges_.end(), [&](const SackBlock& r) { return r.right >= b.left; });
  auto last = first;
  while (last != ranges_.end() && last->left <= b.right) {
    b.left = wire::seq_min(b.left, last->left);
    b.right = wire::seq_max(b.right, last->right);
    ++last;
  }
  const auto at = ranges_.erase(first, last);
  ranges_.insert(at, b);
}

void SackScoreboard::drop_below(SeqNum snd_una) {
  std::erase_if(ranges_, [&](const SackBlock& r) { return r.right <= snd_una; });
  if (!ranges_.empty()) ranges_.front().left = wire::seq_max(ranges_.front().left, snd_una);
}

bool SackScoreboard::is_sacked(SeqNum seq) const {
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const SackBlock& r) { return wire::seq_in_range(seq, r.left, r.right); });
}

std::uint32_t SackScoreboard::sacked_bytes() const {
  std::uint32_t n = 0;
  for (const SackBlock& r : ranges_) n += length(r.left, r.right);
  return n;
}

std::optional<SeqNum> SackScoreboard::highest_sacked() const {
  if (ranges_.empty()) return std::nullopt;
  return ranges_.back().right;
}

SackScoreboard::Above SackScoreboard::sacked_above(SeqNum seq, std::uint32_t mss) const {
  Above a;
  const std::uint32_t seg = std::max<std::uint32_t>(mss, 1);
  for (const SackBlock& r : ranges_) {
    const std::uint32_t bytes = length(wire::seq_max(r.left, seq + 1), r.right);
    a.bytes += bytes;
    a.segments += (bytes + seg - 1) / seg;
  }
  return a;
}

bool SackScoreboard::is_lost(SeqNum seq, std::uint32_t mss) const {
  // RFC 6675 §4, IsLost().
  const Above a = sacked_above(seq, mss);
  return a.segments >= kDupThresh || a.bytes > (kDupThresh - 1) * mss;
}

std::uint32_t SackScoreboard::pipe(SeqNum snd_una, SeqNum snd_nxt, SeqNum high_rxt, std::uint32_t mss) const {
  // RFC 6675 §4, SetPipe(), one hole [b, e) of un-SACKed bytes at a time.
  std::uint32_t pipe = 0;
  const auto count_hole = [&](SeqNum b, SeqNum e) {
    if (!(b < e)) return;
    if (!is_lost(b, mss)) pipe += length(b, e);          // (a)
    pipe += length(b, wire::seq_min(e, high_rxt));       // (b): S1 <= HighRxt
  };
  SeqNum cur = snd_una;
  for (const SackBlock& r : ranges_) {
    if (r.right <= cur) continue;
    count_hole(cur, wire::seq_min(r.left, snd_nxt));
    cur = r.right;
    if (snd_nxt <= cur) return pipe;
  }
  count_hole(cur, snd_nxt);
  return pipe;
}

std::optional<SackScoreboard::Range> SackScoreboard::next_seg(SeqNum snd_una, SeqNum snd_nxt, SeqNum high_rxt,
                                                              std::uint32_t mss) const {
  // RFC 6675 §4, NextSeg(): the first un-SACKed S > HighRxt (1.a) below the
  // highest SACKed octet (1.b). IsLost only falls as S rises, so if that S is
  // not lost (1.c) no later one is, and rule 3 picks the same S.
  SeqNum s = wire::seq_max(snd_una, high_rxt);
  for (const SackBlock& r : ranges_) {
    if (r.right <= s) continue;
    if (r.left <= s) {
      s = r.right;
      continue;
    }
    const std::uint32_t hole = length(s, wire::seq_min(r.left, snd_nxt));
    if (hole == 0) return std::nullopt;
    const auto rule = static_cast<std::uint8_t>(is_lost(s, mss) ? 1 : 3);
    return Range{s, std::min(hole, mss), rule};
  }
  return std::nullopt;
}

}  // namespace wiresim::tcp
