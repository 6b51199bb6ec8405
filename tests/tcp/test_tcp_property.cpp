// Property: over many seeds, with 0-30% random loss in either direction,
// random-sized random byte streams both ways arrive exactly once and in
// order, and both ends finish (the side that shut down first through
// TIME-WAIT). WIRESIM_PROPERTY_SEEDS (environment) overrides the seed
// count; sanitizer builds default to fewer seeds.

#include "stack_harness.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#ifndef WIRESIM_PROPERTY_SEEDS_DEFAULT
#define WIRESIM_PROPERTY_SEEDS_DEFAULT 300
#endif

namespace wiresim::tcp::test {
namespace {

std::uint64_t seed_count() {
  if (const char* env = std::getenv("WIRESIM_PROPERTY_SEEDS")) {
    return std::strtoull(env, nullptr, 10);
  }
  return WIRESIM_PROPERTY_SEEDS_DEFAULT;
}

/// One scenario drawn from `seed`.
struct Scenario {
  explicit Scenario(std::uint64_t seed) {
    Rng r = Rng::stream(seed, "tcp/property");
    cfg.seed = seed;
    const auto dir = [&r] {
      net::LinkDirectionConfig c;
      c.delay = Duration::microseconds(r.uniform_int(100, 20'000));
      c.rate = DataRate::mbps(r.uniform_int(1, 100));
      c.loss = net::LossModelConfig::bernoulli(static_cast<double>(r.uniform_int(0, 30)) / 100.0);
      return c;
    };
    cfg.to_server = dir();
    cfg.to_client = dir();
    const bool windows = r.uniform_int(0, 3) == 0;
    cfg.client_profile = windows ? windows_profile() : linux_profile();
    cfg.server_profile = linux_profile();
    for (TcpProfile* p : {&cfg.client_profile, &cfg.server_profile}) {
      // Generous limits: 30% loss both ways fails a round trip half the time.
      p->syn_retries = 20;
      p->data_retries = 20;
      p->congestion_control = r.uniform_int(0, 1) == 0 ? "newreno" : "cubic";
      p->sack = r.uniform_int(0, 3) != 0;
      p->rcv_buf = static_cast<std::uint32_t>(r.uniform_int(4'000, 131'072));
      p->snd_buf = static_cast<std::uint32_t>(r.uniform_int(2'000, 262'144));
    }
    client_bytes = static_cast<std::size_t>(r.uniform_int(0, 200'000));
    server_bytes = static_cast<std::size_t>(r.uniform_int(0, 200'000));
    client_read_chunk = static_cast<std::size_t>(r.uniform_int(1'000, 100'000));
    server_read_chunk = static_cast<std::size_t>(r.uniform_int(1'000, 100'000));
    client_read_delay = Duration::milliseconds(r.uniform_int(0, 1) * r.uniform_int(1, 50));
    server_read_delay = Duration::milliseconds(r.uniform_int(0, 1) * r.uniform_int(1, 50));
  }
  TwoHostsConfig cfg;
  std::size_t client_bytes, server_bytes;
  std::size_t client_read_chunk, server_read_chunk;
  Duration client_read_delay, server_read_delay;
};

TEST_CASE("every byte arrives once and in order under random loss, both ways",
          "[tcp][property]") {
  const std::uint64_t seeds = seed_count();
  std::uint64_t retransmissions = 0;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const Scenario sc(seed);
    INFO("seed " << seed << ": " << sc.client_bytes << " bytes up, " << sc.server_bytes
                 << " bytes down");
    TwoHosts h(sc.cfg);
    WireTranscript transcript;
    const bool print = std::getenv("WIRESIM_TCP_TRANSCRIPT") != nullptr && seed == seeds;
    if (print) {
      h.link.add_observer(net::LinkDirection::kAToB, transcript);
      h.link.add_observer(net::LinkDirection::kBToA, transcript);
    }
    const auto up = random_bytes(seed * 2, sc.client_bytes);
    const auto down = random_bytes(seed * 2 + 1, sc.server_bytes);
    StreamApp client(h.sim, up, sc.client_read_chunk, sc.client_read_delay);
    StreamServer server([&] {
      return std::make_unique<StreamApp>(h.sim, down, sc.server_read_chunk, sc.server_read_delay);
    });
    h.server.listen(80, 4, server);
    h.client.connect(kServerAddr, 80, client);
    h.sim.run();
    if (print) {
      h.link.remove_observer(net::LinkDirection::kAToB, transcript);
      h.link.remove_observer(net::LinkDirection::kBToA, transcript);
      std::fputs(transcript.text.c_str(), stdout);
    }

    REQUIRE(server.apps.size() == 1);
    const StreamApp& srv = *server.apps[0];
    INFO("server received " << srv.in.size() << " bytes, client " << client.in.size()
         << "; set WIRESIM_TCP_TRANSCRIPT=1 WIRESIM_PROPERTY_SEEDS=" << seed
         << " for a transcript of this seed");
    REQUIRE((srv.in == up));
    REQUIRE((client.in == down));
    REQUIRE_FALSE(client.error);
    REQUIRE_FALSE(srv.error);
    REQUIRE(client.closed);
    REQUIRE(srv.closed);
    REQUIRE(h.client.connection_count() == 0);
    REQUIRE(h.server.connection_count() == 0);

    // Final states: both CLOSED; whoever entered FIN-WAIT-1 first (or both,
    // in a simultaneous close) went through TIME-WAIT.
    REQUIRE(h.log.steps.size() == 2);
    const FourTuple c = h.log.steps.begin()->first;
    const FourTuple s = std::next(h.log.steps.begin())->first;
    REQUIRE(h.log.steps.at(c).back().to == TcpState::kClosed);
    REQUIRE(h.log.steps.at(s).back().to == TcpState::kClosed);
    const Time c_fin = h.log.entered(c, TcpState::kFinWait1);
    const Time s_fin = h.log.entered(s, TcpState::kFinWait1);
    REQUIRE((c_fin != Time::max() || s_fin != Time::max()));
    const FourTuple& first = c_fin <= s_fin ? c : s;
    const FourTuple& second = c_fin <= s_fin ? s : c;
    // In a simultaneous close (CLOSING) the first closer may wait for the ACK
    // of its FIN past the peer's 2*MSL under heavy loss; the peer's RST then
    // closes it. TIME-WAIT happened on the other side instead.
    const bool simultaneous = h.log.visited(first, TcpState::kClosing);
    REQUIRE((h.log.visited(first, TcpState::kTimeWait) ||
             (simultaneous && h.log.visited(second, TcpState::kTimeWait))));
    for (const auto& [t, counters] : h.log.final_counters) {
      retransmissions += counters.retransmits_timeout + counters.retransmits_fast +
                         counters.retransmits_sack + counters.retransmits_tlp;
    }
  }
  // The property is only interesting if loss made TCP work for it.
  if (seeds >= 20) CHECK(retransmissions > seeds);
}

}  // namespace
}  // namespace wiresim::tcp::test
