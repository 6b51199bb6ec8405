#include "wiresim/net/link_config.hpp"

#include <array>

namespace wiresim::net {

std::string_view to_string(LinkDirection d) { return d == LinkDirection::kAToB ? "a->b" : "b->a"; }

std::string_view to_string(DropCause c) {
  static constexpr std::array<std::string_view, kDropCauseCount> kNames = {
      "queue_full", "loss_model", "drop_rule", "too_big", "aqm"};
  return kNames.at(static_cast<std::size_t>(c));
}

std::string_view to_string(QueueDiscipline d) {
  static constexpr std::array<std::string_view, 4> kNames = {"drop_tail", "red", "codel", "fq_codel"};
  return kNames.at(static_cast<std::size_t>(d));
}

}  // namespace wiresim::net
