#include "wiresim/core/simulator.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace wiresim {

std::uint32_t Simulator::alloc_slot() {
  if (free_head_ != kNoSlot) {
    const std::uint32_t s = free_head_;
    free_head_ = slot(s).next_free;
    return s;
  }
  if ((slot_count_ >> kChunkBits) == chunks_.size()) chunks_.push_back(std::make_unique<Slot[]>(1u << kChunkBits));
  return slot_count_++;
}

void Simulator::release_slot(std::uint32_t index) {
  Slot& s = slot(index);
  s.cb.reset();
  s.pending = false;
  // Generation 0 is reserved for "invalid handle".
  if (++s.gen == 0) s.gen = 1;
  s.next_free = free_head_;
  free_head_ = index;
}

EventId Simulator::schedule_at(Time at, Callback cb) {
  if (at < now_) at = now_;
  const std::uint32_t index = alloc_slot();
  Slot& s = slot(index);
  s.cb = std::move(cb);
  s.pending = true;
  s.at = at.ns();
  s.seq = next_seq_++;
  if (index > kSlotMask) throw std::length_error("wiresim: more than 16.7 million pending events");
  heap_push(make_entry(s.at, (s.seq << kSlotBits) | index));
  ++live_;
  return EventId{index, s.gen};
}

EventId Simulator::rearm(EventId id, Time at, Callback cb) {
  if (at < now_) at = now_;
  if (id.valid() && id.slot_ < slot_count_ && id.slot_ != running_) {
    Slot& s = slot(id.slot_);
    if (s.gen == id.gen_) {
      // Same generation and not running: the slot's heap entry is still in
      // the heap, at most at (s.at, s.seq).
      if (at.ns() >= s.at) {
        if (!s.pending) {  // cancelled: revive under the new key
          s.pending = true;
          ++live_;
        }
        s.cb = std::move(cb);
        s.at = at.ns();
        s.seq = next_seq_++;  // the sequence number schedule_at would take now
        return id;
      }
      cancel(id);  // earlier: the entry in the heap would surface too late
    }
  }
  return schedule_at(at, std::move(cb));
}

bool Simulator::cancel(EventId id) {
  if (!is_pending(id)) return false;
  Slot& s = slot(id.slot_);
  // Tombstone: the heap entry stays and is skipped when it surfaces; the
  // slot is released then, so its generation still guards stale handles.
  s.pending = false;
  s.cb.reset();
  --live_;
  if (heap_.size() >= kCompactMin && heap_.size() > 2 * live_) compact();
  return true;
}

void Simulator::compact() {
  std::size_t kept = 0;
  for (const HeapEntry& e : heap_) {
    const std::uint32_t index = slot_of(e);
    if (slot(index).pending) {
      heap_[kept++] = e;
    } else {
      release_slot(index);
    }
  }
  heap_.resize(kept);
  if (kept < 2) return;
  for (std::size_t i = (kept - 2) / kArity + 1; i-- > 0;) sift_down(i);
}

void Simulator::sift_down(std::size_t i) {
  const std::size_t n = heap_.size();
  const HeapEntry e = heap_[i];
  for (;;) {
    const std::size_t first = kArity * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + kArity, n);
    for (std::size_t c = first + 1; c < end; ++c) best = before(heap_[c], heap_[best]) ? c : best;
    if (!before(heap_[best], e)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = e;
}

Time Simulator::time_of(EventId id) const {
  return is_pending(id) ? Time::from_ns(slot(id.slot_).at) : Time::max();
}

// 4-ary min-heap with hole sifting: one move per level instead of a swap.
void Simulator::heap_push(HeapEntry e) {
  std::size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

// Bottom-up (Floyd) removal: walk the hole down to a leaf along the smallest
// children without comparing against the moved element, then sift that
// element up from the leaf. Fewer comparisons than the classic sift-down,
// since the last element almost always belongs near the bottom.
void Simulator::heap_pop() {
  const HeapEntry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = kArity * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    if (first + kArity <= n) {
      for (std::size_t c = first + 1; c < first + kArity; ++c) best = before(heap_[c], heap_[best]) ? c : best;
    } else {
      for (std::size_t c = first + 1; c < n; ++c) best = before(heap_[c], heap_[best]) ? c : best;
    }
    heap_[i] = heap_[best];
    i = best;
  }
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!before(last, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = last;
}

void Simulator::settle_top() {
  while (!top_runnable()) {
    const std::uint32_t index = slot_of(heap_.front());
    const Slot& s = slot(index);
    if (s.pending) {
      // Moved later: the same slot's entry under its current key, sifted
      // down from the top (one pass instead of a pop and a push).
      heap_.front() = make_entry(s.at, (s.seq << kSlotBits) | index);
      sift_down(0);
    } else {
      heap_pop();
      release_slot(index);  // cancelled
    }
  }
}

Time Simulator::next_event_time() {
  settle_top();
  return heap_.empty() ? Time::max() : Time::from_ns(time_of_entry(heap_.front()));
}

bool Simulator::run_one(std::int64_t limit) {
  if (!top_runnable()) settle_top();
  if (heap_.empty() || time_of_entry(heap_.front()) > limit) return false;
  const HeapEntry top = heap_.front();
  heap_pop();
  now_ = Time::from_ns(time_of_entry(top));
  // Run in place (chunks never move); the slot is released afterwards, so
  // the event's own handle reads as "not pending" while it runs.
  const std::uint32_t index = slot_of(top);
  Slot& s = slot(index);
  s.pending = false;
  --live_;
  ++executed_;
  running_ = index;
  s.cb();
  running_ = kNoSlot;
  release_slot(index);
  return true;
}

void Simulator::run() {
  stopped_ = false;
  while (!stopped_ && run_one(Time::max().ns())) {
  }
}

void Simulator::run_until(Time until) {
  stopped_ = false;
  while (!stopped_ && run_one(until.ns())) {
  }
  if (!stopped_ && now_ < until) now_ = until;
}

}  // namespace wiresim
