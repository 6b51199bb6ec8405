#pragma once
/// A point-to-point full-duplex link between two interfaces: two independent
/// LinkChannels, a->b and b->a. The link knows nothing above Ethernet frames.

#include <string>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/net/link_channel.hpp"
#include "wiresim/net/link_config.hpp"

namespace wiresim::net {

class Interface;

class Link {
 public:
  /// Connects `a` and `b` (each attached to one link only) and tells each
  /// the other's MAC address. `rng_a_to_b` / `rng_b_to_a` are the named
  /// streams of the two directions (e.g. "link/<name>/a->b").
  /// The link must outlive its interfaces' use of it (a World owns both).
  Link(Simulator& sim, std::string name, Interface& a, Interface& b,
       const LinkDirectionConfig& a_to_b, const LinkDirectionConfig& b_to_a, Rng rng_a_to_b,
       Rng rng_b_to_a);
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] Interface& a() const { return a_; }
  [[nodiscard]] Interface& b() const { return b_; }

  [[nodiscard]] LinkChannel& channel(LinkDirection d) { return d == LinkDirection::kAToB ? a_to_b_ : b_to_a_; }
  [[nodiscard]] const LinkChannel& channel(LinkDirection d) const {
    return d == LinkDirection::kAToB ? a_to_b_ : b_to_a_;
  }
  [[nodiscard]] const LinkStats& stats(LinkDirection d) const { return channel(d).stats(); }

  /// Observes one direction (see PacketObserver::on_wire / on_drop).
  void add_observer(LinkDirection d, PacketObserver& o) { channel(d).add_observer(o); }
  bool remove_observer(LinkDirection d, PacketObserver& o) { return channel(d).remove_observer(o); }

 private:
  std::string name_;
  Interface& a_;
  Interface& b_;
  LinkChannel a_to_b_;
  LinkChannel b_to_a_;
};

}  // namespace wiresim::net
