#pragma once
/// RED, Random Early Detection (Floyd & Jacobson 1993, "Random Early
/// Detection Gateways for Congestion Avoidance", §4 and Fig. 2), on the
/// queue's bytes as Linux sch_red measures it. At each arrival:
///   queue non-empty: avg = (1 - w_q) avg + w_q q
///   queue idle:      avg = (1 - w_q)^m avg, m = idle time / time to send
///                    one avpkt (red_calc_qavg_from_idle_time)
///   min_th <= avg < max_th: count += 1; p_b = max_p (avg - min_th) /
///                    (max_th - min_th); p_a = p_b / (1 - count p_b); with
///                    probability p_a drop (or mark) and count = 0
///   avg >= max_th:   drop (or mark), count = 0 ("gentle" (Floyd 2000):
///                    up to 2 max_th p_b rises linearly from max_p to 1)
///   avg < min_th:    count = -1
/// With `ecn` an ECN-capable packet is marked CE instead of dropped (Linux
/// red_enqueue without harddrop). The hard limits drop arrivals as a full
/// FIFO (cause kQueueFull).

#include <cstdint>

#include "wiresim/core/data_rate.hpp"
#include "wiresim/core/rng.hpp"
#include "wiresim/net/queue_disc.hpp"

namespace wiresim::net {

struct RedParams {
  std::size_t min_threshold = 0;  ///< bytes
  std::size_t max_threshold = 0;  ///< bytes, > min_threshold
  double max_p = 0.02;
  double weight = 0.002;          ///< w_q, in (0, 1]
  bool gentle = false;
  bool ecn = false;
  std::size_t limit_packets = 0;  ///< 0 = none
  std::size_t limit_bytes = 0;    ///< 0 = none
  std::size_t avpkt = 1000;       ///< bytes
  DataRate rate = DataRate::infinite();  ///< the link's, for the idle decay
};

class Red final : public QueueDisc {
 public:
  /// Throws std::invalid_argument unless 0 <= min < max, max_p in (0, 1]
  /// and weight in (0, 1].
  Red(const RedParams& p, Rng rng);

  void enqueue(Time now, Packet frame, QueueDiscSink& sink) override;
  Packet dequeue(Time now, QueueDiscSink& sink) override;
  [[nodiscard]] std::size_t packets() const override { return q_.packets(); }
  [[nodiscard]] std::size_t bytes() const override { return q_.bytes(); }

  /// The average queue (bytes) as of the last arrival.
  [[nodiscard]] double average() const { return avg_; }
  /// Packets since the last drop or mark in the band, -1 below min_th.
  [[nodiscard]] std::int64_t count() const { return count_; }

 private:
  enum class Verdict : std::uint8_t { kAccept, kSignal };
  void update_average(Time now);
  Verdict decide();
  /// p_b at the current average (between min_th and max_th, or the gentle band).
  [[nodiscard]] double base_probability() const;

  RedParams p_;
  Rng rng_;
  PacketFifo q_;
  double avg_ = 0.0;
  std::int64_t count_ = -1;
  bool idle_ = true;  ///< the queue has been empty since idle_since_
  Time idle_since_{};
};

}  // namespace wiresim::net
