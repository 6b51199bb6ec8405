#pragma once
/// RACK-TLP loss detection (RFC 8985) as Linux implements it:
/// net/ipv4/tcp_recovery.c (tcp_rack_advance, tcp_rack_detect_loss,
/// tcp_rack_reo_wnd, tcp_rack_update_reo_wnd), tcp_output.c
/// (tcp_schedule_loss_probe, tcp_send_loss_probe) and tcp_input.c
/// (tcp_process_tlp_ack).
///
/// RACK (RFC 8985 §6) remembers when each outstanding segment was last
/// sent. A segment is lost once a segment sent after it has been delivered
/// (ACKed or SACKed) and RACK.rtt + reo_wnd has passed since it was sent.
/// TLP (§7) sends one probe 2 SRTT after the last transmission so that even
/// a lost last segment brings back the ACK RACK needs.
///
/// The part keeps its own list of outstanding segments (Linux's retransmit
/// queue with the TCPCB_* marks) and does no I/O: the connection tells it
/// what it sent and what was acknowledged, asks what is lost, and sends.

#include <cstdint>
#include <cstddef>
#include <optional>
#include <vector>

#include "wiresim/core/time.hpp"
#include "wiresim/tcp/sack_scoreboard.hpp"
#include "wiresim/wire/seq_num.hpp"

namespace wiresim::tcp {

/// One outstanding segment, [seq, end) (end includes a FIN), with Linux's marks.
struct SentSegment {
  wire::SeqNum seq{}, end{};
  Time xmit{};                      ///< last (re)transmission (skb_mstamp)
  bool ever_retransmitted = false;  ///< TCPCB_EVER_RETRANS
  bool retrans = false;             ///< TCPCB_SACKED_RETRANS: a retransmission is in flight
  bool lost = false;                ///< TCPCB_LOST
  bool sacked = false;              ///< TCPCB_SACKED_ACKED
};

/// What one ACK delivered, for the callers' decisions.
struct RackDelivery {
  bool original_delivered = false;  ///< never-retransmitted data (s)acked: FLAG_ORIG_SACK_ACKED
  bool newly_sacked = false;        ///< FLAG_DATA_SACKED
  /// RTT of the most recently sent never-resent segment delivered (Linux's
  /// ca_rtt_us, what tcp_cubic's HyStart samples); nullopt when none.
  std::optional<Duration> rtt_sample;
  /// Segments newly acknowledged or SACKed (Linux's delivered count, each
  /// segment one packet).
  std::uint32_t delivered_segments = 0;
};

/// The sent segments, oldest first, in one array: acknowledged ones at the
/// front are skipped, not erased, until they are half of it (compacted in
/// push_back, amortised O(1)). std::deque did the same job with a block map
/// whose bookkeeping sat on every ACK's path; this keeps RACK's per-segment
/// code short (bench_tcp). Storage: fewer than four slots (24 bytes each)
/// per segment listed, once the list has been full.
class SentList {
 public:
  using iterator = std::vector<SentSegment>::iterator;
  using const_iterator = std::vector<SentSegment>::const_iterator;
  [[nodiscard]] bool empty() const { return head_ == v_.size(); }
  [[nodiscard]] std::size_t size() const { return v_.size() - head_; }
  /// Slots in use, the skipped acknowledged ones included.
  [[nodiscard]] std::size_t stored() const { return v_.size(); }
  iterator begin() { return v_.begin() + static_cast<std::ptrdiff_t>(head_); }
  iterator end() { return v_.end(); }
  [[nodiscard]] const_iterator begin() const { return v_.begin() + static_cast<std::ptrdiff_t>(head_); }
  [[nodiscard]] const_iterator end() const { return v_.end(); }
  /// Precondition for front, back and pop_front: !empty().
  SentSegment& front() { return v_[head_]; }
  [[nodiscard]] const SentSegment& back() const { return v_.back(); }
  void push_back(const SentSegment& s) {
    if (head_ != 0 && v_.size() == v_.capacity() && 2 * head_ >= v_.size()) compact();
    v_.push_back(s);
  }
  void pop_front() {
    if (++head_ == v_.size()) clear();
  }
  /// Inserts before `pos` (a split record's tail).
  void insert(iterator pos, const SentSegment& s) { v_.insert(pos, s); }
  void clear() {
    v_.clear();
    head_ = 0;
  }

 private:
  void compact() {
    v_.erase(v_.begin(), v_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  std::vector<SentSegment> v_;
  std::size_t head_ = 0;  ///< index of the oldest segment still listed
};

class RackTlp {
 public:
  /// RFC 8985 §6.2 reo_wnd multiplier cap (Linux: 0xFF steps, capped by SRTT).
  static constexpr std::uint32_t kMaxReoWndSteps = 0xFF;
  /// TCP_RACK_RECOVERY_THRESH: recoveries a DSACK-widened window persists.
  static constexpr std::uint32_t kReoWndPersist = 16;
  /// TCP_TIMEOUT_MIN_US: timer slack Linux adds to the PTO and reorder timer.
  static constexpr Duration kTimerSlack = Duration::microseconds(2000);

  // ---- the segment list ----
  /// A segment [seq, end) went out at `now`; `retransmission` when it was
  /// sent before (then the records it covers are split to its bounds).
  void on_send(wire::SeqNum seq, wire::SeqNum end, Time now, bool retransmission);
  /// An ACK: drops what lies below `snd_una`, marks what `sb` holds SACKed,
  /// and advances RACK over each newly delivered segment (RFC 8985 §6.2
  /// step 2, tcp_rack_advance): the most recently sent one gives RACK.xmit_ts,
  /// RACK.end_seq and RACK.rtt; a retransmitted one whose RTT is below
  /// min_rtt is ambiguous and skipped. A never-resent segment delivered
  /// below `prior_fack` (the highest SACKed byte before this ACK) was
  /// reordered (tcp_check_sack_reordering).
  RackDelivery on_ack(Time now, wire::SeqNum snd_una, const SackScoreboard& sb,
                      wire::SeqNum prior_fack);
  /// Everything acknowledged (or the connection forgets its queue).
  void clear();

  // ---- loss detection ----
  /// RFC 8985 §6.2 step 4, tcp_rack_reo_wnd: 0 while no reordering was seen
  /// and either recovery is under way or `sacked_segments` reached DupThresh
  /// (3); otherwise min_rtt/4 times the DSACK-driven steps, at most SRTT.
  [[nodiscard]] Duration reo_wnd(bool in_recovery, std::uint32_t sacked_segments,
                                 std::optional<Duration> srtt) const;
  /// RFC 8985 §6.2 step 5 (tcp_rack_detect_loss), only when RACK advanced
  /// since the last call (or `force`): marks lost every segment sent before
  /// RACK.xmit_ts whose RACK.rtt + reo_wnd has passed. Returns how many it
  /// marked and, when some wait, the reorder-timer deadline (Time::max()
  /// otherwise; it includes Linux's 2 ms timer slack).
  struct Detection {
    bool ran = false;  ///< RACK advanced (or `force`): the queue was examined
    std::uint32_t newly_lost = 0;  ///< segments marked lost by this call
    Time reo_timeout = Time::max();
  };
  Detection detect_loss(Time now, Duration reo_wnd, bool force = false);
  /// RTO (tcp_timeout_mark_lost): every un-SACKed segment is lost.
  void mark_all_lost();
  /// Undo (tcp_undo_cwnd_reduction with unmark_loss): forget the loss marks
  /// and make RACK look at the queue again.
  void unmark_lost();
  /// Reordering was observed (on_ack: a never-resent segment delivered
  /// below a SACKed one, tcp_check_sack_reordering): reo_wnd is never 0 again.
  [[nodiscard]] bool reordering_seen() const { return reord_seen_; }
  /// A DSACK arrived (RFC 8985 §6.2 step 4, tcp_rack_update_reo_wnd): widen
  /// the window by one step, for 16 recoveries.
  void on_dsack();
  /// A recovery ended: one fewer recovery for a widened window to persist.
  void on_recovery_end();

  // ---- what recovery sends ----
  /// Bytes in flight as Linux counts them (tcp_packets_in_flight, in bytes):
  /// un-SACKed segments not marked lost, plus retransmissions in flight.
  [[nodiscard]] std::uint32_t pipe() const;
  /// The same in segments: tcp_packets_in_flight() (packets_out - sacked_out
  /// - lost_out + retrans_out).
  [[nodiscard]] std::uint32_t pipe_segments() const;
  /// The first segment marked lost and not yet retransmitted (what
  /// tcp_xmit_retransmit_queue sends next).
  [[nodiscard]] const SentSegment* next_lost() const;
  /// The last segment sent in sequence order (tcp_send_loss_probe's probe
  /// when there is no new data); nullptr when nothing is outstanding.
  [[nodiscard]] const SentSegment* last() const { return segs_.empty() ? nullptr : &segs_.back(); }
  [[nodiscard]] bool any_lost() const { return lost_count_ > 0; }
  [[nodiscard]] const SentList& segments() const { return segs_; }
  /// Windowed minimum RTT (Linux tcp_min_rtt; our runs are far shorter
  /// than its 5-minute window): the smallest unambiguous RACK RTT sample.
  [[nodiscard]] std::optional<Duration> min_rtt() const { return min_rtt_; }
  [[nodiscard]] Duration rack_rtt() const { return rtt_; }
  [[nodiscard]] std::uint32_t reo_wnd_steps() const { return reo_wnd_steps_; }

  // ---- TLP state (RFC 8985 §7) ----
  /// TLP.end_seq: SND.NXT when the probe went out (tlp_high_seq); unset
  /// when no probe is outstanding.
  std::optional<wire::SeqNum> tlp_high_seq;
  /// The probe was a retransmission (tlp_retrans), not new data.
  bool tlp_retrans = false;

 private:
  /// Splits the record holding `at` so that a record starts there.
  void split_at(wire::SeqNum at);
  void advance(const SentSegment& s, Time now);
  /// Marks the records `sb` newly covers as SACKed and delivers them.
  template <typename Deliver>
  void sack_delivered(const SackScoreboard& sb, Deliver& deliver, RackDelivery& d);

  SentList segs_;                  ///< sorted by seq, disjoint
  std::uint32_t retrans_in_list_ = 0;  ///< segments with ever_retransmitted (time order != seq order)
  std::uint32_t lost_count_ = 0;
  // RACK state (RFC 8985 §6.1)
  std::optional<Time> xmit_ts_;    ///< RACK.xmit_ts
  wire::SeqNum end_seq_{};         ///< RACK.end_seq
  Duration rtt_{};                 ///< RACK.rtt
  bool advanced_ = false;          ///< RACK advanced since the last detect_loss
  std::optional<Duration> min_rtt_;
  bool reord_seen_ = false;
  std::uint32_t reo_wnd_steps_ = 1;
  std::uint32_t reo_wnd_persist_ = 0;
};

}  // namespace wiresim::tcp
