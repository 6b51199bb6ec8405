#include "wiresim/tcp/tcp_stack.hpp"

#include <algorithm>
#include <stdexcept>

#include "wiresim/net/interface.hpp"
#include "wiresim/net/link_channel.hpp"

namespace wiresim::tcp {

namespace {

constexpr std::uint16_t kDefaultMtuMss = 1460;  ///< Ethernet: 1500 - 20 (IP) - 20 (TCP)
constexpr std::size_t kIpTcpHeaders = 40;

}  // namespace

TcpStack::TcpStack(Simulator& sim, net::Node& node, net::PacketPool& pool, TcpProfile profile,
                   Rng rng, std::string congestion_control)
    : sim_(sim),
      node_(node),
      pool_(pool),
      profile_(std::move(profile)),
      rng_(rng),
      cc_override_(std::move(congestion_control)) {
  if (profile_.ephemeral_first > profile_.ephemeral_last) {
    throw std::invalid_argument("tcp profile '" + profile_.name + "': empty ephemeral port range");
  }
  // Deterministic ephemeral ports: sequential from a seeded start.
  next_port_ = static_cast<std::uint16_t>(
      rng_.uniform_int(profile_.ephemeral_first, profile_.ephemeral_last));
  node_.register_handler(wire::kIpProtoTcp, *this);
}

TcpStack::~TcpStack() {
  node_.unregister_handler(wire::kIpProtoTcp);
  // In id order (the table's), as everything else that walks it.
  for (const auto& e : entries_) {
    if (e) e->timer.cancel();
  }
}

std::vector<TcpStack::OpenConnection> TcpStack::open_connections() const {
  std::vector<OpenConnection> out;
  out.reserve(entry_count_);
  for (const auto& e : entries_) {  // id order: oldest first
    if (!e) continue;
    const Connection& c = *e->conn;
    out.push_back({c.tuple(), c.state(), c.counters()});
  }
  return out;
}

// ---- app entry points ----

Listener TcpStack::listen(std::uint16_t port, std::size_t backlog, ListenHandler& handler) {
  if (listeners_.count(port) != 0) {
    throw std::invalid_argument("tcp: port " + std::to_string(port) + " is already listening");
  }
  ListenState& l = listeners_[port];
  l.backlog = backlog;
  l.handler = &handler;
  return Listener(this, port);
}

Socket TcpStack::connect(wire::Ipv4Address dst, std::uint16_t port, SocketHandler& handler) {
  Scope scope(*this);
  const auto src = node_.source_address_for(dst);
  if (!src) throw std::runtime_error("tcp: no route to " + dst.to_string());
  const Endpoint remote{dst, port};
  const std::uint16_t local_port = next_ephemeral_port(Endpoint{*src, 0}, remote);
  Entry& e = make_entry(FourTuple{Endpoint{*src, local_port}, remote}, mtu_mss_for(dst));
  e.handler = &handler;
  ++stats_.active_opens;
  const std::uint64_t id = e.conn->id();
  e.conn->open_active(now());
  rearm(id);
  return Socket(this, id);
}

/// The next port after the last one handed out that no listener and no
/// connection to the same remote endpoint uses.
std::uint16_t TcpStack::next_ephemeral_port(const Endpoint& local, const Endpoint& remote) {
  const std::uint32_t span = std::uint32_t{profile_.ephemeral_last} - profile_.ephemeral_first + 1;
  for (std::uint32_t tries = 0; tries < span; ++tries) {
    const std::uint16_t port = next_port_;
    next_port_ = port == profile_.ephemeral_last ? profile_.ephemeral_first
                                                 : static_cast<std::uint16_t>(port + 1);
    const FourTuple t{Endpoint{local.addr, port}, remote};
    if (listeners_.count(port) == 0 && !by_tuple_.contains(t)) return port;
  }
  throw std::runtime_error("tcp: no free ephemeral port towards " + to_string(remote));
}

/// MTU - 40 of the interface the route to `dst` leaves by (RFC 9293 §3.7.1).
std::uint16_t TcpStack::mtu_mss_for(wire::Ipv4Address dst) const {
  const net::Route* route = node_.routes().lookup(dst);
  if (route == nullptr || route->interface >= node_.interface_count()) return kDefaultMtuMss;
  const net::LinkChannel* ch = node_.interface(route->interface).out_channel();
  if (ch == nullptr || ch->config().mtu <= kIpTcpHeaders) return kDefaultMtuMss;
  return static_cast<std::uint16_t>(std::min<std::size_t>(ch->config().mtu - kIpTcpHeaders, 65495));
}

TcpStack::Entry& TcpStack::make_entry(const FourTuple& t, std::uint16_t mtu_mss) {
  const std::uint64_t r = rng_.next_u64();  // RFC 9293 §3.4.1: unpredictable ISN
  ConnectionConfig cfg;
  cfg.tuple = t;
  cfg.iss = wire::SeqNum{static_cast<std::uint32_t>(r)};
  cfg.ts_offset = static_cast<std::uint32_t>(r >> 32);
  cfg.mtu_mss = mtu_mss;
  cfg.congestion_control = cc_override_;
  cfg.id = next_id_++;
  auto e = std::make_unique<Entry>(sim_);
  // Linux: inet_id = get_random_u16() at connect and accept (tcp_v4_connect,
  // tcp_v4_syn_recv_sock); every packet of the socket then counts up from it.
  if (profile_.ip_id == IpIdMode::kPerConnectionRandom) e->ip_id = static_cast<std::uint16_t>(rng_.next_u64());
  ConnectionHost& host = *this;
  e->conn.emplace(profile_, cfg, host, observer_);
  Entry& ref = *e;
  by_tuple_.assign(t, cfg.id);
  if (entry_count_ == 0) {  // nothing live: the table restarts at this id
    entries_.clear();
    first_id_ = cfg.id;
    dead_front_ = 0;
  }
  entries_.push_back(std::move(e));  // cfg.id == first_id_ + entries_.size() - 1
  ++entry_count_;
  return ref;
}

// ---- segments in ----

void TcpStack::on_ip_packet(const wire::Ipv4Repr& ip, std::span<const std::uint8_t> l4,
                            const net::Packet& pkt) {
  Scope scope(*this);
  ++stats_.segments_received;
  // Malformed before bad checksum, as always: the options are checked by
  // the parse (one walk instead of check()'s and the parse's), and only
  // then the checksum.
  const auto view = wire::TcpSegmentView::check_header(l4);
  IncomingSegment seg;
  if (!view || wire::TcpRepr::parse_into(view.value(), seg.header)) {
    ++stats_.malformed;
    return;
  }
  if (!wire::tcp_checksum_ok(l4, ip.src, ip.dst)) {
    ++stats_.bad_checksum;
    return;
  }
  seg.payload = view.value().payload();
  seg.packet_uid = pkt.uid();
  seg.ip_ecn = wire::ecn_of(ip.dscp_ecn);
  const FourTuple t{Endpoint{ip.dst, seg.header.dst_port}, Endpoint{ip.src, seg.header.src_port}};
  if (const std::uint64_t id = by_tuple_.find(t); id != 0) {
    if (Connection* c = live(id); c != nullptr && c->state() != TcpState::kClosed) {
      c->on_segment(now(), seg);
      rearm(id);
      return;
    }
  }
  const auto l = listeners_.find(seg.header.dst_port);
  const bool plain_syn = seg.header.has(wire::kSyn) && !seg.header.has(wire::kAck) &&
                         !seg.header.has(wire::kRst);
  if (l != listeners_.end() && plain_syn) return accept_syn(t, seg, l->second);
  on_stray(ip, seg, l != listeners_.end());
}

/// LISTEN with a SYN (RFC 9293 §3.10.7.2): a new connection in LISTEN takes
/// it, unless the backlog is full (the SYN is dropped; the peer retries).
void TcpStack::accept_syn(const FourTuple& t, const IncomingSegment& seg, ListenState& l) {
  if (l.ready.size() + l.handshaking.size() >= l.backlog) {
    ++stats_.listen_overflows;
    return;
  }
  Entry& e = make_entry(t, mtu_mss_for(t.remote.addr));
  e.listener = t.local.port;
  ++stats_.passive_opens;
  const std::uint64_t id = e.conn->id();
  l.handshaking.insert(id);
  e.conn->open_passive(now());
  e.conn->on_segment(now(), seg);
  rearm(id);
}

/// No connection takes the segment (RFC 9293 §3.10.7.1, and §3.10.7.2 for
/// a listening port): an RST in answer, except to an RST, and except to a
/// segment without ACK on a listening port (dropped).
void TcpStack::on_stray(const wire::Ipv4Repr& ip, const IncomingSegment& seg, bool listening) {
  if (listening && !seg.header.has(wire::kAck)) return;
  const auto rst = reset_for(seg.header, seg.payload.size());
  if (!rst) return;
  ++stats_.resets_sent;
  send_segment(ip.dst, ip.src, *rst, {});
}

// ---- segments out ----

void TcpStack::transmit(const Connection& c, const wire::TcpRepr& header,
                        const SendBuffer::Slice& payload, wire::IpEcn ecn) {
  // The ID and its source in two plain arguments, not a std::optional: g++
  // built the optional in memory and loaded it back whole, a store-forwarding
  // stall on every segment (perf annotate, bench_tcp).
  net::Node::IpId source = net::Node::IpId::kNodeCounter;
  std::uint16_t ip_id = 0;
  if (profile_.ip_id == IpIdMode::kPerConnectionRandom) {
    if (header.has(wire::kSyn) && header.has(wire::kAck)) {
      source = net::Node::IpId::kGiven;  // a SYN-ACK leaves from the request socket with DF: ID 0 (ip_build_and_send_pkt)
    } else if (Entry* e = entry(c.id())) {
      source = net::Node::IpId::kGiven;
      ip_id = e->ip_id++;  // ip_select_ident_segs: the socket's inet_id, then + 1
    }
  }
  send_segment(c.tuple().local.addr, c.tuple().remote.addr, header, payload, source, ip_id, ecn);
}

void TcpStack::send_segment(wire::Ipv4Address src, wire::Ipv4Address dst, const wire::TcpRepr& h,
                            const SendBuffer::Slice& payload) {
  send_segment(src, dst, h, payload, net::Node::IpId::kNodeCounter, 0, wire::IpEcn::kNotEct);
}

/// One packet from the pool with room for IPv4 + Ethernet in front; the
/// payload is copied once, from the send buffer into the packet.
void TcpStack::send_segment(wire::Ipv4Address src, wire::Ipv4Address dst, const wire::TcpRepr& h,
                            const SendBuffer::Slice& payload, net::Node::IpId id_source, std::uint16_t ip_id,
                            wire::IpEcn ecn) {
  const std::size_t hlen = h.header_len();
  const std::size_t len = hlen + payload.size();
  net::Packet pkt = pool_.make(net::Node::kHeadroom, len);
  const std::span<std::uint8_t> out = pkt.append(len);
  h.emit(out.first(hlen));
  payload.copy_to(out.subspan(hlen));
  wire::fill_tcp_checksum(out, src, dst);
  wire::Ipv4Repr ip;
  ip.src = src;
  ip.dst = dst;
  ip.protocol = wire::kIpProtoTcp;
  ip.ttl = profile_.ip_ttl;
  ip.dscp_ecn = static_cast<std::uint8_t>(ecn);  // DSCP 0 (RFC 3168 §5: ECN in the low two bits)
  ip.identification = ip_id;
  ++stats_.segments_sent;
  if (!node_.send_ip(std::move(pkt), ip, id_source)) ++stats_.send_failures;
}

// ---- events up ----

void TcpStack::on_event(Connection& c, ConnectionEvent ev) {
  Entry* e = entry(c.id());
  if (e == nullptr) return;
  Socket s(this, c.id());
  SocketHandler* h = e->handler;
  switch (ev) {
    case ConnectionEvent::kConnected:
      if (e->listener) return on_connected(*e);
      if (h != nullptr) h->on_connected(s);
      break;
    case ConnectionEvent::kReadable:
      if (h != nullptr) h->on_readable(s);
      break;
    case ConnectionEvent::kWritable:
      if (h != nullptr) h->on_writable(s);
      break;
    case ConnectionEvent::kPeerClosed:
      if (h != nullptr) h->on_peer_closed(s);
      break;
    case ConnectionEvent::kRefused:
    case ConnectionEvent::kReset:
    case ConnectionEvent::kTimedOut:
      if (h != nullptr) h->on_error(s, c.error());
      break;
    case ConnectionEvent::kClosed:
      e->doomed = true;
      doomed_.push_back(c.id());
      e->timer.cancel();
      if (h != nullptr) h->on_closed(s);
      break;
  }
}

/// A passive open reached ESTABLISHED: it joins the accept queue.
void TcpStack::on_connected(Entry& e) {
  const auto it = listeners_.find(*e.listener);
  if (it == listeners_.end()) return;
  ListenState& l = it->second;
  l.handshaking.erase(e.conn->id());
  l.ready.push_back(e.conn->id());
  Listener listener(this, it->first);
  l.handler->on_acceptable(listener);
}

std::optional<Socket> TcpStack::accept(std::uint16_t port, SocketHandler& handler) {
  Scope scope(*this);
  const auto it = listeners_.find(port);
  if (it == listeners_.end()) return std::nullopt;
  std::deque<std::uint64_t>& ready = it->second.ready;
  while (!ready.empty()) {
    const std::uint64_t id = ready.front();
    ready.pop_front();
    Entry* e = entry(id);
    if (e == nullptr || e->doomed) continue;
    e->handler = &handler;
    e->listener.reset();
    sim_.schedule_in(Duration::zero(), [this, id] { replay(id); });
    return Socket(this, id);
  }
  return std::nullopt;
}

void TcpStack::replay(std::uint64_t id) {
  Scope scope(*this);
  if (Connection* c = live(id)) {
    c->replay_events(now());
    rearm(id);
  }
}

void TcpStack::close_listener(std::uint16_t port) {
  Scope scope(*this);
  const auto it = listeners_.find(port);
  if (it == listeners_.end()) return;
  std::vector<std::uint64_t> orphans(it->second.ready.begin(), it->second.ready.end());
  orphans.insert(orphans.end(), it->second.handshaking.begin(), it->second.handshaking.end());
  listeners_.erase(it);
  for (const std::uint64_t id : orphans) {
    if (Connection* c = live(id)) {
      c->abort(now());
      rearm(id);
    }
  }
}

// ---- timers and lifetime ----

void TcpStack::on_timer(std::uint64_t id) {
  Scope scope(*this);
  if (Connection* c = live(id)) {
    c->on_timer(now());
    rearm(id);
  }
}

/// Keeps the connection's one scheduled wake-up at its next deadline.
void TcpStack::rearm(std::uint64_t id) {
  Entry* e = entry(id);
  if (e == nullptr) return;
  const Time at = e->conn->next_deadline();
  if (e->doomed || at == Time::max()) {
    e->timer.cancel();
    return;
  }
  if (e->timer.deadline() == at) return;  // Time::max() when not armed, and at is not
  e->timer.arm_at(at, [this, id] { on_timer(id); });
}

/// Removes connections that reported kClosed, in the order they did; runs
/// when no call into the stack is in progress, so no connection dies inside
/// its own callback.
void TcpStack::reap() {
  if (doomed_.empty()) return;
  std::vector<std::uint64_t> doomed;
  doomed.swap(doomed_);
  for (const std::uint64_t id : doomed) {
    Entry* found = entry(id);
    if (found == nullptr) continue;
    Entry& e = *found;
    if (observer_ != nullptr) observer_->on_counters(now(), e.conn->tuple(), e.conn->counters());
    by_tuple_.erase(e.conn->tuple(), id);
    if (e.listener) {
      if (const auto l = listeners_.find(*e.listener); l != listeners_.end()) {
        l->second.handshaking.erase(id);
        auto& ready = l->second.ready;
        ready.erase(std::remove(ready.begin(), ready.end(), id), ready.end());
      }
    }
    entries_[id - first_id_].reset();
    --entry_count_;
  }
  trim_front();
}

void TcpStack::trim_front() {
  while (dead_front_ < entries_.size() && !entries_[dead_front_]) ++dead_front_;
  if (dead_front_ == 0 || 2 * dead_front_ < entries_.size()) return;
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(dead_front_));
  first_id_ += dead_front_;
  dead_front_ = 0;
}

TcpStack::Entry* TcpStack::entry(std::uint64_t id) const {
  if (id < first_id_ || id - first_id_ >= entries_.size()) return nullptr;
  return entries_[id - first_id_].get();
}

Connection* TcpStack::live(std::uint64_t id) const {
  Entry* e = entry(id);
  return e == nullptr || e->doomed ? nullptr : &*e->conn;
}

}  // namespace wiresim::tcp
