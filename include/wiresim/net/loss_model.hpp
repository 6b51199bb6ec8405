#pragma once
/// Random packet loss on one link direction. Each model draws from the Rng
/// it is given (the direction's loss stream), so the pattern is a pure
/// function of (seed, stream name, packet index).

#include "wiresim/core/rng.hpp"

namespace wiresim::net {

enum class LossKind { kNone, kBernoulli, kGilbertElliott };

/// Gilbert-Elliott channel (Gilbert 1960, Elliott 1963). Parameters as in
/// the literature (Linux netem's "gemodel" takes p, r, 1-h, 1-k):
/// - p = P(good -> bad) and r = P(bad -> good), evaluated once per packet;
/// - k = P(delivered | good) and h = P(delivered | bad).
/// The channel starts good. For each packet, the loss decision uses the state
/// the channel is in when the packet arrives; the channel then transitions.
/// Classic Gilbert is k = 1; simple Gilbert is k = 1, h = 0.
/// Mean burst length in bad state = 1 / r packets; steady-state share of
/// bad = p / (p + r).
struct GilbertElliottParams {
  double p = 0.0;
  double r = 1.0;
  double k = 1.0;
  double h = 0.0;
};

/// Plain data, as the scenario layer fills it in. Probabilities in [0, 1].
struct LossModelConfig {
  LossKind kind = LossKind::kNone;
  double loss_probability = 0.0;  ///< Bernoulli: P(lost), independently per packet
  GilbertElliottParams ge{};      ///< Gilbert-Elliott

  static LossModelConfig none() { return {}; }
  static LossModelConfig bernoulli(double p) { return {LossKind::kBernoulli, p, {}}; }
  static LossModelConfig gilbert_elliott(GilbertElliottParams params) {
    return {LossKind::kGilbertElliott, 0.0, params};
  }
};

class LossModel {
 public:
  /// Throws std::invalid_argument if a probability is outside [0, 1] or NaN.
  explicit LossModel(const LossModelConfig& config);

  /// Decides the fate of the next packet: true = lost. kNone draws nothing;
  /// Bernoulli draws one number (none if p is 0 or 1); Gilbert-Elliott draws
  /// up to two (the loss decision, then the transition).
  bool lose(Rng& rng);

  [[nodiscard]] const LossModelConfig& config() const { return config_; }
  /// Gilbert-Elliott state (false = good); always false for other kinds.
  [[nodiscard]] bool in_bad_state() const { return bad_; }

 private:
  bool lose_gilbert_elliott(Rng& rng);

  LossModelConfig config_;
  bool bad_ = false;
};

}  // namespace wiresim::net
