#include "wiresim/net/link.hpp"

#include <utility>

#include "wiresim/net/interface.hpp"

namespace wiresim::net {

Link::Link(Simulator& sim, std::string name, Interface& a, Interface& b,
           const LinkDirectionConfig& a_to_b, const LinkDirectionConfig& b_to_a, Rng rng_a_to_b,
           Rng rng_b_to_a)
    : name_(std::move(name)),
      a_(a),
      b_(b),
      a_to_b_(sim, *this, LinkDirection::kAToB, b, a_to_b, rng_a_to_b),
      b_to_a_(sim, *this, LinkDirection::kBToA, a, b_to_a, rng_b_to_a) {
  a.attach(a_to_b_, b.mac());
  b.attach(b_to_a_, a.mac());
}

}  // namespace wiresim::net
