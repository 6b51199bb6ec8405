#include "wiresim/net/loss_model.hpp"

#include <stdexcept>
#include <string>

namespace wiresim::net {

namespace {

void require_probability(double v, const char* what) {
  if (!(v >= 0.0 && v <= 1.0)) {
    throw std::invalid_argument(std::string("wiresim: loss model ") + what + " must be in [0, 1]");
  }
}

}  // namespace

LossModel::LossModel(const LossModelConfig& config) : config_(config) {
  require_probability(config.loss_probability, "loss probability");
  require_probability(config.ge.p, "Gilbert-Elliott p");
  require_probability(config.ge.r, "Gilbert-Elliott r");
  require_probability(config.ge.k, "Gilbert-Elliott k");
  require_probability(config.ge.h, "Gilbert-Elliott h");
}

bool LossModel::lose(Rng& rng) {
  switch (config_.kind) {
    case LossKind::kNone:
      return false;
    case LossKind::kBernoulli:
      return rng.bernoulli(config_.loss_probability);
    case LossKind::kGilbertElliott:
      return lose_gilbert_elliott(rng);
  }
  return false;
}

bool LossModel::lose_gilbert_elliott(Rng& rng) {
  const GilbertElliottParams& ge = config_.ge;
  const bool lost = !rng.bernoulli(bad_ ? ge.h : ge.k);
  bad_ = bad_ ? !rng.bernoulli(ge.r) : rng.bernoulli(ge.p);
  return lost;
}

}  // namespace wiresim::net
