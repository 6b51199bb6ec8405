#pragma once
/// The discrete-event scheduler of one simulation run. A plain object: no
/// globals, so several simulators can run in one process on several threads.
///
/// Events are ordered by (time, insertion sequence): events at equal times
/// run in the order they were scheduled. Cancellation is by tombstone: a
/// cancelled event stays in the heap and is skipped when it surfaces; when
/// tombstones outnumber pending events (timers re-armed on every segment
/// leave many), the heap is rebuilt without them. Keys are unique, so the
/// heap's layout never changes the order events run in.
///
/// Re-arming a timer (`rearm`, what `Timer::arm_at` does) to a time no
/// earlier than its event's current one touches no heap entry: the slot
/// records the new key, and when the old, lower entry surfaces it is put
/// back under the new key instead of running. The same holds for a timer
/// cancelled and armed again while its tombstone is still in the heap
/// (a delayed ACK cancelled by the ACK it was waiting for, then armed by
/// the next segment). This is the lazy re-arm of Linux's `mod_timer()`
/// (kernel/time/timer.c, which leaves a pending timer in its wheel bucket
/// when the new expiry lands in the same one) and of Varghese & Lauck's
/// timer wheels: most re-armed timers never reach their old deadline in
/// the heap's order, so most re-arms cost no heap operation. The new key
/// takes its sequence number at the call, exactly as `cancel` then
/// `schedule_at` would, so the order events run in is the same either
/// way (tests/core/test_simulator.cpp checks it against that definition).

#include <cstdint>
#include <memory>
#include <vector>

#include "wiresim/core/inline_function.hpp"
#include "wiresim/core/time.hpp"

namespace wiresim {

/// Handle to a scheduled event. Default-constructed handles refer to nothing.
/// Handles stay safe to cancel after the event ran (the generation differs).
class EventId {
 public:
  constexpr EventId() = default;
  [[nodiscard]] constexpr bool valid() const { return gen_ != 0; }
  constexpr bool operator==(const EventId&) const = default;

 private:
  friend class Simulator;
  constexpr EventId(std::uint32_t slot, std::uint32_t gen) : slot_(slot), gen_(gen) {}
  std::uint32_t slot_ = 0;
  std::uint32_t gen_ = 0;  ///< 0 = invalid handle
};

class Simulator {
 public:
  /// Inline capacity for event callables, in bytes.
  static constexpr std::size_t kCallableCapacity = 48;
  using Callback = InlineFunction<kCallableCapacity>;

  Simulator() = default;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Current simulated time: the time of the event being run, or of the last.
  [[nodiscard]] Time now() const { return now_; }

  /// Schedules `cb` at absolute time `at` (clamped to now() if in the past).
  EventId schedule_at(Time at, Callback cb);
  /// Schedules `cb` after `delay` (negative delays are treated as zero).
  EventId schedule_in(Duration delay, Callback cb) { return schedule_at(now_ + delay, std::move(cb)); }
  /// Cancels a pending event. Returns false if it already ran, was cancelled,
  /// or the handle is invalid.
  bool cancel(EventId id);
  /// `cancel(id)` then `schedule_at(at, cb)`, in effect and in the order
  /// events run; returns the handle to use from now on. `id` may be
  /// pending, cancelled, run or invalid. When `at` (clamped to now()) is
  /// not earlier than the time `id`'s event had and its heap entry is still
  /// there (pending, or cancelled and not yet popped), the slot is reused
  /// under the new key and `id` is returned: no heap operation.
  EventId rearm(EventId id, Time at, Callback cb);
  /// True while the event is scheduled and not yet run or cancelled.
  [[nodiscard]] bool is_pending(EventId id) const {
    return id.valid() && id.slot_ < slot_count_ && slot(id.slot_).gen == id.gen_ && slot(id.slot_).pending;
  }
  /// Time the pending event `id` will run at; Time::max() if not pending.
  [[nodiscard]] Time time_of(EventId id) const;

  /// Runs events until none is left or stop() is called.
  void run();
  /// Runs every event with time <= `until`, then sets now() to `until`
  /// (unless stopped earlier).
  void run_until(Time until);
  /// Makes run()/run_until() return after the current event.
  void stop() { stopped_ = true; }
  [[nodiscard]] bool stopped() const { return stopped_; }

  /// Events run so far (cancelled ones excluded).
  [[nodiscard]] std::uint64_t events_executed() const { return executed_; }
  /// Events scheduled and neither run nor cancelled.
  [[nodiscard]] std::size_t pending() const { return live_; }
  /// Time of the earliest pending event; Time::max() if none.
  [[nodiscard]] Time next_event_time();

 private:
  /// One 128-bit key: (time with the sign bit flipped) << 64 | (insertion
  /// sequence << 24 | slot). Comparing keys orders by time, then insertion,
  /// in one branch-free compare. The sequence is unique, so keys never tie.
  __extension__ using Key = unsigned __int128;
  struct HeapEntry {
    Key key;
  };
  static constexpr unsigned kSlotBits = 24;  ///< up to 16.7 million pending events
  static constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;
  static constexpr std::size_t kArity = 4;   ///< 4-ary heap: half the levels of a binary one
  struct Slot {
    Callback cb;
    std::uint32_t gen = 1;      ///< bumped each time the slot is released
    bool pending = false;
    std::int64_t at = 0;        ///< the event's time: its key is (at, seq)
    std::uint64_t seq = 0;      ///< the event's sequence number; its heap entry's is lower if it was moved later
    std::uint32_t next_free = 0;
  };
  static bool before(const HeapEntry& a, const HeapEntry& b) { return a.key < b.key; }
  static HeapEntry make_entry(std::int64_t at, std::uint64_t order) {
    const auto t = static_cast<std::uint64_t>(at) ^ (std::uint64_t{1} << 63);
    return HeapEntry{(static_cast<Key>(t) << 64) | order};
  }
  static std::int64_t time_of_entry(const HeapEntry& e) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(e.key >> 64) ^ (std::uint64_t{1} << 63));
  }
  static std::uint32_t slot_of(const HeapEntry& e) { return static_cast<std::uint32_t>(static_cast<std::uint64_t>(e.key) & kSlotMask); }
  static std::uint64_t seq_of(const HeapEntry& e) { return static_cast<std::uint64_t>(e.key) >> kSlotBits; }
  void heap_push(HeapEntry e);
  void heap_pop();
  /// Moves the entry at i down to where it belongs (classic sift-down).
  void sift_down(std::size_t i);
  /// Drops every tombstone from the heap (releasing its slot) and restores
  /// the heap property.
  void compact();
  /// Heaps smaller than this are never compacted.
  static constexpr std::size_t kCompactMin = 32;
  /// Until the top entry is one to run now: pops tombstones (releasing
  /// their slots) and puts entries of events moved later back under their
  /// current keys.
  [[gnu::noinline]] void settle_top();
  /// The heap is empty or its top entry is one to run: the event is pending
  /// and the entry carries its current key (the common case, checked inline
  /// before calling settle_top()).
  bool top_runnable() const {
    if (heap_.empty()) return true;
    const Slot& s = slot(slot_of(heap_.front()));
    return s.pending && seq_of(heap_.front()) == s.seq;
  }
  std::uint32_t alloc_slot();
  void release_slot(std::uint32_t slot);
  /// Pops and runs the top event; returns false if the heap is empty.
  bool run_one(std::int64_t limit);

  /// Slots live in fixed chunks so references stay valid while an event
  /// runs and schedules more (events run in place, never moved out).
  /// 256 slots (about 22 KB) a chunk: small enough that a world of a few
  /// connections, which has a few dozen events pending, allocates one
  /// chunk from the heap instead of a 350 KB mapping it must fault in,
  /// construct and unmap (a sweep builds thousands of worlds; issue 19);
  /// large enough that a 10,000-flow run holds a few hundred.
  static constexpr unsigned kChunkBits = 8;
  Slot& slot(std::uint32_t i) { return chunks_[i >> kChunkBits][i & ((1u << kChunkBits) - 1)]; }
  const Slot& slot(std::uint32_t i) const { return chunks_[i >> kChunkBits][i & ((1u << kChunkBits) - 1)]; }

  std::vector<HeapEntry> heap_;
  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::uint32_t slot_count_ = 0;
  std::uint32_t free_head_ = kNoSlot;
  static constexpr std::uint32_t kNoSlot = 0xffffffffu;
  std::uint64_t next_seq_ = 0;
  std::uint32_t running_ = kNoSlot;  ///< slot of the event being run (its entry is popped)
  std::uint64_t executed_ = 0;
  std::size_t live_ = 0;
  Time now_{};
  bool stopped_ = false;
};

/// A re-armable one-shot timer bound to a simulator: owns at most one
/// pending event. Arming again replaces the previous deadline.
class Timer {
 public:
  explicit Timer(Simulator& sim) : sim_(&sim) {}
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  ~Timer() { cancel(); }

  void arm_at(Time at, Simulator::Callback cb) { id_ = sim_->rearm(id_, at, std::move(cb)); }
  void arm_in(Duration d, Simulator::Callback cb) { arm_at(sim_->now() + d, std::move(cb)); }
  /// Keeps the handle: arming again soon may reuse the cancelled event's
  /// slot (Simulator::rearm).
  void cancel() {
    if (id_.valid()) sim_->cancel(id_);
  }
  [[nodiscard]] bool armed() const { return sim_->is_pending(id_); }
  /// Deadline if armed, Time::max() otherwise.
  [[nodiscard]] Time deadline() const { return sim_->time_of(id_); }

 private:
  Simulator* sim_;
  EventId id_{};
};

}  // namespace wiresim
