#include "connection_harness.hpp"

#include <algorithm>

namespace wiresim::tcp::test {

TcpProfile test_profile() {
  TcpProfile p = linux_profile();
  p.name = "test";
  p.window_scaling = false;
  p.sack = false;
  p.timestamps = false;
  p.rcv_buf = 64240;
  p.syn_window = 64240;
  p.snd_buf = 65536;
  p.congestion_control = "newreno";
  p.loss_detection = LossDetection::kDupAck;  // RFC 5681 / 6582 / 6675 only; RACK-TLP tests opt in
  p.frto = false;
  p.undo = false;
  p.prr = false;  // cwnd = ssthresh at once; PRR tests opt in
  p.syn_layout = wire::TcpOptionLayout{};
  // The bare protocol's classic mechanisms (RFC 9293 windows and ACKs,
  // RFC 6298 RTO, PSH on the segment that empties the queue); Linux's own
  // are tested with linux_profile() in test_linux_*.cpp.
  p.rcv_window = ReceiveWindowModel::kFixedBuffer;
  p.ack_mode = AckMode::kEveryN;
  p.rto_estimator = RtoEstimator::kRfc6298;
  p.rto_granularity = Duration::nanoseconds(1);
  p.push = PushMode::kQueueEmpty;
  p.gso = false;  // one segment per packet: no PSH on GSO packets (test_linux_sender.cpp)
  p.delayed_fin_ack = false;
  p.synack_window = 64240;
  return p;
}

std::string bytes(std::size_t n, std::size_t from) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (from + i) % 26);
  return s;
}

wire::SackBlock sack(std::uint32_t left, std::uint32_t right) {
  return wire::SackBlock{wire::SeqNum{left}, wire::SeqNum{right}};
}

Harness::Harness(TcpProfile profile, std::uint32_t iss, std::uint16_t mtu_mss,
                 std::uint32_t ts_offset)
    : profile_(std::move(profile)) {
  ConnectionConfig cfg;
  cfg.tuple.local = Endpoint{wire::Ipv4Address::from_octets(10, 0, 0, 1), kLocalPort};
  cfg.tuple.remote = Endpoint{wire::Ipv4Address::from_octets(10, 0, 0, 2), kRemotePort};
  cfg.iss = wire::SeqNum{iss};
  cfg.mtu_mss = mtu_mss;
  cfg.ts_offset = ts_offset;
  conn_ = std::make_unique<Connection>(profile_, cfg, *this);
}

wire::TcpRepr Harness::to_repr(const Seg& s, bool from_peer) const {
  wire::TcpRepr h;
  h.src_port = from_peer ? kRemotePort : kLocalPort;
  h.dst_port = from_peer ? kLocalPort : kRemotePort;
  h.seq = wire::SeqNum{s.seq};
  h.ack = wire::SeqNum{s.ack};
  h.flags = s.flags;
  h.window = s.win.value_or(from_peer ? kPeerWin : our_win);
  h.mss = s.mss;
  h.window_scale = s.ws;
  h.sack_permitted = s.sack_perm;
  h.timestamps = s.ts;
  for (const wire::SackBlock& b : s.sacks) {
    if (h.sack_count < h.sack_blocks.size()) h.sack_blocks[h.sack_count++] = b;
  }
  h.layout = s.layout;
  return h;
}

void Harness::send(const Seg& s) {
  const wire::TcpRepr h = to_repr(s, true);
  // Through the wire format, as a stack would deliver it.
  std::vector<std::uint8_t> buf(h.header_len() + s.data.size());
  h.emit(buf);
  std::copy(s.data.begin(), s.data.end(), buf.begin() + static_cast<std::ptrdiff_t>(h.header_len()));
  const auto view = wire::TcpSegmentView::check(buf);
  REQUIRE(view.ok());
  IncomingSegment in;
  in.header = wire::TcpRepr::parse(view.value()).value();
  in.payload = view.value().payload();
  in.ip_ecn = s.ip_ecn;
  conn_->on_segment(now, in);
}

void Harness::app_send(std::string_view data) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());  // NOLINT: test bytes
  const std::size_t n = conn_->send(now, std::span<const std::uint8_t>(p, data.size()));
  REQUIRE(n == data.size());
}

std::string Harness::app_read(std::size_t max) {
  std::vector<std::uint8_t> buf(std::min(max, conn_->readable()));
  const std::size_t n = conn_->read(now, buf);
  return std::string(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
}

void Harness::run_until(Time t) {
  while (conn_->next_deadline() <= t) {
    now = conn_->next_deadline();
    conn_->on_timer(now);
  }
  now = t;
}

void Harness::transmit(const Connection&, const wire::TcpRepr& header, const SendBuffer::Slice& payload,
                       wire::IpEcn ecn) {
  // Through the wire format, so what we check is what would be on the wire.
  std::vector<std::uint8_t> buf(header.header_len());
  header.emit(buf);
  const auto view = wire::TcpSegmentView::check(buf);
  REQUIRE(view.ok());
  Sent s{wire::TcpRepr::parse(view.value()).value(), {}, now, ecn};
  payload.for_each_span([&](std::span<const std::uint8_t> run) { s.payload.append(run.begin(), run.end()); });
  out.push_back(std::move(s));
}

void Harness::on_event(Connection&, ConnectionEvent e) { events.push_back(e); }

std::vector<ConnectionEvent> Harness::take_events() {
  std::vector<ConnectionEvent> e;
  e.swap(events);
  return e;
}

namespace {

/// h with its layout replaced by the order emit() writes, so that a parsed
/// header and an expected one compare equal when their bytes would.
wire::TcpRepr normalised(wire::TcpRepr h) {
  h.layout = h.wire_layout();
  return h;
}

}  // namespace

void Harness::expect_reply(const Seg& s) {
  const wire::TcpRepr want = to_repr(s, false);
  INFO("expected: " << wire::describe(want, s.data.size()));
  REQUIRE_FALSE(out.empty());
  const Sent got = out.front();
  out.pop_front();
  INFO("got:      " << wire::describe(got.header, got.payload.size()) << " at " << got.at);
  CHECK(wire::describe(got.header, got.payload.size()) == wire::describe(want, s.data.size()));
  CHECK(normalised(got.header) == normalised(want));
  CHECK(got.payload == s.data);
}

void Harness::expect_reply_at(Time at, const Seg& s) {
  while (out.empty() && conn_->next_deadline() <= at) {
    now = conn_->next_deadline();
    conn_->on_timer(now);
  }
  REQUIRE_FALSE(out.empty());
  INFO("segment sent at " << out.front().at << ", expected at " << at);
  CHECK(out.front().at == at);
  now = std::max(now, at);
  expect_reply(s);
}

void Harness::expect_nothing() {
  if (!out.empty()) {
    FAIL("unexpected segment: " << wire::describe(out.front().header, out.front().payload.size())
                                << " at " << out.front().at);
  }
}

void Harness::expect_nothing_until(Time t) {
  run_until(t);
  expect_nothing();
}

// ---- per-state fixtures ----

void Harness::syn_sent() {
  conn_->open_active(now);
  expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .win = kOurWin, .mss = 1460});
  REQUIRE(state() == TcpState::kSynSent);
}

void Harness::established() {
  syn_sent();
  send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460});
  expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  REQUIRE(state() == TcpState::kEstablished);
  REQUIRE(take_events() == std::vector{ConnectionEvent::kConnected});
}

void Harness::listen() {
  conn_->open_passive(now);
  expect_nothing();
  REQUIRE(state() == TcpState::kListen);
}

void Harness::syn_received() {
  listen();
  send({.flags = kSyn, .seq = kIrs, .ack = 0, .mss = 1460});
  expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .win = kOurWin, .mss = 1460});
  REQUIRE(state() == TcpState::kSynReceived);
}

void Harness::established_passive() {
  syn_received();
  send({.seq = kIrs + 1, .ack = kIss + 1});
  expect_nothing();
  REQUIRE(state() == TcpState::kEstablished);
  REQUIRE(take_events() == std::vector{ConnectionEvent::kConnected});
}

void Harness::fin_wait_1() {
  established();
  conn_->shutdown_write(now);
  expect_reply({.flags = kFin | kAck, .seq = kIss + 1, .ack = kIrs + 1});
  REQUIRE(state() == TcpState::kFinWait1);
}

void Harness::fin_wait_2() {
  fin_wait_1();
  send({.seq = kIrs + 1, .ack = kIss + 2});
  expect_nothing();
  REQUIRE(state() == TcpState::kFinWait2);
}

void Harness::close_wait() {
  established();
  send({.flags = kFin | kAck, .seq = kIrs + 1, .ack = kIss + 1});
  // The FIN takes one sequence number; the right edge stays (RFC 9293 §3.8.6.2.2).
  our_win = kOurWin - 1;
  expect_reply({.seq = kIss + 1, .ack = kIrs + 2});
  REQUIRE(state() == TcpState::kCloseWait);
  REQUIRE(take_events() == std::vector{ConnectionEvent::kPeerClosed});
}

void Harness::last_ack() {
  close_wait();
  conn_->shutdown_write(now);
  expect_reply({.flags = kFin | kAck, .seq = kIss + 1, .ack = kIrs + 2});
  REQUIRE(state() == TcpState::kLastAck);
}

void Harness::closing() {
  fin_wait_1();
  send({.flags = kFin | kAck, .seq = kIrs + 1, .ack = kIss + 1});
  our_win = kOurWin - 1;
  expect_reply({.seq = kIss + 2, .ack = kIrs + 2});
  REQUIRE(state() == TcpState::kClosing);
}

void Harness::time_wait() {
  fin_wait_2();
  send({.flags = kFin | kAck, .seq = kIrs + 1, .ack = kIss + 2});
  our_win = kOurWin - 1;
  expect_reply({.seq = kIss + 2, .ack = kIrs + 2});
  REQUIRE(state() == TcpState::kTimeWait);
}

}  // namespace wiresim::tcp::test
