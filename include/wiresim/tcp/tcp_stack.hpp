#pragma once
/// The TCP layer of one host: the adapter between the node's IPv4 layer
/// and its connections. It verifies checksums, demultiplexes by 4-tuple,
/// runs listening ports with a backlog, answers strays with resets
/// (RFC 9293 §3.10.7.1), picks ISNs and ephemeral ports from the host's own
/// random stream, builds outgoing packets, and owns the one scheduled
/// wake-up of each connection (connections do no I/O of their own).
///
/// Deterministic: connections are found in O(1) through hash tables keyed
/// by id and by 4-tuple, with hashes of the values alone (no pointers, no
/// per-process seed); nothing iterates them in an order that can reach an
/// output (open_connections() sorts by id). Connections that reach CLOSED
/// are removed only once no call into the stack is on the stack (deferred
/// deletion).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/net/ip_handler.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_pool.hpp"
#include "wiresim/tcp/connection.hpp"
#include "wiresim/tcp/profile.hpp"
#include "wiresim/tcp/socket.hpp"
#include "wiresim/tcp/trace.hpp"

namespace wiresim::tcp {

/// Counters of one stack (all connections together).
struct TcpStackStats {
  std::uint64_t segments_received = 0;  ///< handed up by IP, bad ones included
  std::uint64_t segments_sent = 0;
  std::uint64_t bad_checksum = 0;       ///< dropped: checksum does not verify
  std::uint64_t malformed = 0;          ///< dropped: header or options malformed
  std::uint64_t resets_sent = 0;        ///< RSTs for segments no connection takes
  std::uint64_t listen_overflows = 0;   ///< SYNs dropped because the backlog was full
  std::uint64_t send_failures = 0;      ///< segments IP could not send (no route, ...)
  std::uint64_t active_opens = 0;
  std::uint64_t passive_opens = 0;      ///< SYNs that created a connection
};

/// The hash of a 4-tuple in a stack's demultiplexing table: the 96 bits
/// packed into two words, each mixed by splitmix64's finaliser (Steele,
/// Lea, Flood, "Fast splittable pseudorandom number generators", 2014), so
/// that tuples differing only in a port or the low bits of an address
/// spread over the buckets. A function of the tuple's values alone.
struct FourTupleHash {
  static constexpr std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t operator()(const FourTuple& t) const noexcept {
    const std::uint64_t addrs = (std::uint64_t{t.local.addr.raw()} << 32) | t.remote.addr.raw();
    const std::uint64_t ports = (std::uint64_t{t.local.port} << 16) | t.remote.port;
    return static_cast<std::size_t>(mix(addrs) ^ mix(ports + 0x9e3779b97f4a7c15ULL));
  }
};

/// The demultiplexing table: 4-tuple -> connection id (ids are never 0).
/// Open addressing with linear probing over a power-of-two array of slots
/// that hold the key and the value inline, at most half full: a lookup
/// reads one or two neighbouring slots (usually one cache line) instead of
/// a bucket and then a list node elsewhere in memory, as std::unordered_map
/// does (issue 19: at 10,000 connections those were two cache misses per
/// segment). Erasing shifts the following slots of the run back (Knuth,
/// TAOCP vol. 3, 6.4, Algorithm R), so no tombstones build up. The layout
/// is a function of the keys and the order they came in (FourTupleHash has
/// no seed), and nothing iterates the slots.
class FourTupleTable {
 public:
  /// The id stored for `t`; 0 if none.
  [[nodiscard]] std::uint64_t find(const FourTuple& t) const {
    if (size_ == 0) return 0;
    for (std::size_t i = home(t);; i = (i + 1) & mask()) {
      const Slot& s = slots_[i];
      if (s.id == 0) return 0;
      if (s.key == t) return s.id;
    }
  }
  [[nodiscard]] bool contains(const FourTuple& t) const { return find(t) != 0; }
  /// Stores `id` (not 0) for `t`, replacing any id stored for it.
  void assign(const FourTuple& t, std::uint64_t id) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    std::size_t i = home(t);
    while (slots_[i].id != 0 && !(slots_[i].key == t)) i = (i + 1) & mask();
    if (slots_[i].id == 0) ++size_;
    slots_[i] = Slot{t, id};
  }
  /// Removes `t` if its id is `id`; returns whether it did.
  bool erase(const FourTuple& t, std::uint64_t id) {
    if (size_ == 0) return false;
    std::size_t i = home(t);
    for (; slots_[i].id != 0; i = (i + 1) & mask()) {
      if (slots_[i].key == t) break;
    }
    if (slots_[i].id != id || id == 0) return false;
    // Algorithm R: move back each later slot of the run whose home is not
    // cyclically in (i, j], so every key stays reachable from its home.
    for (std::size_t j = (i + 1) & mask(); slots_[j].id != 0; j = (j + 1) & mask()) {
      const std::size_t h = home(slots_[j].key);
      const bool stays = i < j ? (i < h && h <= j) : (i < h || h <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i] = Slot{};
    --size_;
    return true;
  }
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  struct Slot {
    FourTuple key{};
    std::uint64_t id = 0;  ///< 0: empty
  };
  [[nodiscard]] std::size_t mask() const { return slots_.size() - 1; }
  [[nodiscard]] std::size_t home(const FourTuple& t) const { return FourTupleHash{}(t) & mask(); }
  [[gnu::cold]] void grow() {
    std::vector<Slot> old(std::max<std::size_t>(4, 2 * slots_.size()));  // a host with one connection: 96 bytes
    old.swap(slots_);
    size_ = 0;
    for (const Slot& s : old) {  // re-inserted in slot order: a function of the keys and their order
      if (s.id != 0) assign(s.key, s.id);
    }
  }
  std::vector<Slot> slots_;  ///< size 0 or a power of two
  std::size_t size_ = 0;
};

class TcpStack final : public net::IpHandler, private ConnectionHost {
 public:
  /// Registers for IP protocol 6 on `node` (and unregisters when destroyed).
  /// `rng` is the host's own stream (e.g. "host/<name>/tcp"): ISNs, TSval
  /// offsets and the first ephemeral port come from it. `congestion_control`
  /// overrides the profile's ("newreno", "cubic"; empty keeps it).
  TcpStack(Simulator& sim, net::Node& node, net::PacketPool& pool, TcpProfile profile, Rng rng,
           std::string congestion_control = {});
  TcpStack(const TcpStack&) = delete;
  TcpStack& operator=(const TcpStack&) = delete;
  ~TcpStack() override;

  /// Listens on `port` (any local address). At most `backlog` connections
  /// may wait (handshaking or established, not yet accepted); further SYNs
  /// are dropped. Throws std::invalid_argument if the port already listens.
  Listener listen(std::uint16_t port, std::size_t backlog, ListenHandler& handler);
  /// Opens a connection to dst:port from the next free ephemeral port.
  /// Throws std::runtime_error if there is no route to dst or no free port.
  Socket connect(wire::Ipv4Address dst, std::uint16_t port, SocketHandler& handler);

  /// Observer of every connection opened from now on (nullptr: none).
  void set_observer(TcpObserver* observer) { observer_ = observer; }
  [[nodiscard]] const TcpStackStats& stats() const { return stats_; }
  [[nodiscard]] const TcpProfile& profile() const { return profile_; }
  [[nodiscard]] net::Node& node() const { return node_; }
  /// Connections that exist (LISTEN children and TIME-WAIT included).
  [[nodiscard]] std::size_t connection_count() const { return entry_count_; }
  /// A connection that still exists, as it stands.
  struct OpenConnection {
    FourTuple tuple;
    TcpState state = TcpState::kClosed;
    ConnectionCounters counters;
  };
  /// Every connection that still exists, oldest first: for the end of a run,
  /// where the observer's on_counters has only seen those already removed.
  [[nodiscard]] std::vector<OpenConnection> open_connections() const;

  // net::IpHandler
  void on_ip_packet(const wire::Ipv4Repr& ip, std::span<const std::uint8_t> l4,
                    const net::Packet& pkt) override;

 private:
  friend class Socket;
  friend class Listener;

  /// One connection and what the stack keeps for it.
  struct Entry {
    explicit Entry(Simulator& sim) : timer(sim) {}
    /// In place (not behind a second pointer): a segment or timer for a
    /// connection reaches its state with one fewer cache miss (issue 19).
    std::optional<Connection> conn;
    Timer timer;                          ///< the connection's one wake-up
    SocketHandler* handler = nullptr;
    std::optional<std::uint16_t> listener; ///< passive open not yet accepted
    bool doomed = false;                   ///< reported kClosed; removed by reap()
    std::uint16_t ip_id = 0;               ///< IpIdMode::kPerConnectionRandom: next IPv4 ID (inet_id)
  };
  struct ListenState {
    std::size_t backlog = 0;
    ListenHandler* handler = nullptr;
    std::deque<std::uint64_t> ready;       ///< established, waiting for accept(), oldest first
    std::set<std::uint64_t> handshaking;   ///< SYN-RECEIVED children
  };
  /// Counts nested calls; the outermost one reaps doomed connections.
  class Scope {
   public:
    explicit Scope(TcpStack& s) : s_(s) { ++s_.depth_; }
    ~Scope() {
      if (--s_.depth_ == 0 && !s_.doomed_.empty()) s_.reap();
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    TcpStack& s_;
  };

  // ConnectionHost
  void transmit(const Connection& c, const wire::TcpRepr& header, const SendBuffer::Slice& payload,
                wire::IpEcn ecn) override;
  void on_event(Connection& c, ConnectionEvent e) override;

  [[gnu::cold]] Entry& make_entry(const FourTuple& t, std::uint16_t mtu_mss);
  [[gnu::cold]] void accept_syn(const FourTuple& t, const IncomingSegment& seg, ListenState& l);
  [[gnu::cold]] void on_stray(const wire::Ipv4Repr& ip, const IncomingSegment& seg, bool listening);
  void send_segment(wire::Ipv4Address src, wire::Ipv4Address dst, const wire::TcpRepr& h,
                    const SendBuffer::Slice& payload, net::Node::IpId id_source, std::uint16_t ip_id,
                    wire::IpEcn ecn);
  void send_segment(wire::Ipv4Address src, wire::Ipv4Address dst, const wire::TcpRepr& h,
                    const SendBuffer::Slice& payload);
  void on_timer(std::uint64_t id);
  [[gnu::cold]] void on_connected(Entry& e);
  void rearm(std::uint64_t id);
  [[gnu::cold]] void reap();
  /// Drops the removed entries at the front of entries_ once they are at
  /// least half of it (amortised O(1) per connection). A connection that
  /// lives on while thousands after it come and go keeps their (null)
  /// places: 8 bytes each.
  [[gnu::cold]] void trim_front();
  [[gnu::cold]] void replay(std::uint64_t id);
  [[nodiscard]] Connection* live(std::uint64_t id) const;
  [[nodiscard]] Entry* entry(std::uint64_t id) const;
  [[gnu::cold]] [[nodiscard]] std::uint16_t mtu_mss_for(wire::Ipv4Address dst) const;
  [[gnu::cold]] [[nodiscard]] std::uint16_t next_ephemeral_port(const Endpoint& local, const Endpoint& remote);
  [[nodiscard]] Time now() const { return sim_.now(); }
  [[gnu::cold]] std::optional<Socket> accept(std::uint16_t port, SocketHandler& handler);
  [[gnu::cold]] void close_listener(std::uint16_t port);

  Simulator& sim_;
  net::Node& node_;
  net::PacketPool& pool_;
  TcpProfile profile_;
  Rng rng_;
  std::string cc_override_;
  TcpObserver* observer_ = nullptr;
  /// Every connection by id: entries_[id - first_id_], nullptr once removed.
  /// Ids count up from 1 and are pushed in order, so the table is in id
  /// order (oldest first) and a lookup is one index, no hashing and no
  /// chain to walk (issue 19: at 10,000 connections the hash table's bucket
  /// and node were two cache misses per segment and timer). Removed
  /// entries at the front are trimmed (trim_front), so the table spans the
  /// ids from the oldest live connection to the newest.
  std::vector<std::unique_ptr<Entry>> entries_;
  std::uint64_t first_id_ = 1;   ///< id of entries_[0]
  std::size_t entry_count_ = 0;  ///< non-null entries
  std::size_t dead_front_ = 0;   ///< entries_[0, dead_front_) are all null
  std::vector<std::uint64_t> doomed_;  ///< reported kClosed, awaiting reap(), in order
  /// The demultiplexing table (RFC 9293 §3.10.7): 4-tuple -> connection id.
  /// Looked up once per segment; never iterated.
  FourTupleTable by_tuple_;
  std::map<std::uint16_t, ListenState> listeners_;
  std::uint64_t next_id_ = 1;
  std::uint16_t next_port_;
  int depth_ = 0;
  TcpStackStats stats_;
};

}  // namespace wiresim::tcp
