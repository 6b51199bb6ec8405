// Construction, app calls (RFC 9293 §3.10.1 - §3.10.5), transitions and
// the events a connection reports to its host.

#include <algorithm>
#include <cassert>
#include <stdexcept>

#include "wiresim/tcp/connection.hpp"

namespace wiresim::tcp {

using wire::SeqNum;

namespace {

constexpr std::uint8_t kMaxWindowScale = 14;  ///< RFC 7323 §2.3

/// The most the receive buffer may ever hold: Linux's autotuning may grow
/// it to tcp_rmem[2].
std::size_t rcv_capacity(const TcpProfile& p) {
  const bool grows = p.rcv_window == ReceiveWindowModel::kLinux && p.moderate_rcvbuf;
  return grows ? std::max(p.rcv_buf, p.rcv_buf_max) : p.rcv_buf;
}

RttEstimator::Mode rto_mode(const TcpProfile& p) {
  return p.rto_estimator == RtoEstimator::kLinux ? RttEstimator::Mode::kLinux : RttEstimator::Mode::kRfc6298;
}

std::unique_ptr<CongestionControl> make_cc(const std::string& name, CubicModel cubic) {
  auto cc = make_congestion_control(name, cubic);
  if (!cc) throw std::invalid_argument("unknown congestion control '" + name + "'");
  return cc;
}

}  // namespace

std::string_view to_string(ConnectionEvent e) {
  switch (e) {
    case ConnectionEvent::kConnected: return "connected";
    case ConnectionEvent::kReadable: return "readable";
    case ConnectionEvent::kWritable: return "writable";
    case ConnectionEvent::kPeerClosed: return "peer-closed";
    case ConnectionEvent::kRefused: return "refused";
    case ConnectionEvent::kReset: return "reset";
    case ConnectionEvent::kTimedOut: return "timed-out";
    case ConnectionEvent::kClosed: return "closed";
  }
  return "?";
}

std::string_view to_string(ConnectionError e) {
  switch (e) {
    case ConnectionError::kNone: return "none";
    case ConnectionError::kRefused: return "refused";
    case ConnectionError::kReset: return "reset";
    case ConnectionError::kTimedOut: return "timed-out";
    case ConnectionError::kKeepAliveTimedOut: return "keepalive-timed-out";
  }
  return "?";
}

Connection::Connection(const TcpProfile& profile, const ConnectionConfig& config,
                       ConnectionHost& host, TcpObserver* observer)
    : profile_(profile),
      host_(host),
      observer_(observer),
      tuple_(config.tuple),
      id_(config.id),
      mtu_mss_(config.mtu_mss),
      ts_offset_(config.ts_offset),
      send_buf_(profile.snd_buf),
      // Slack for window-scale rounding: an advertised right edge rounded up
      // to the scale granularity must still fit (RFC 7323 §2.4).
      rcv_buf_(rcv_capacity(profile) + (std::size_t{1} << std::min(profile.window_scale, kMaxWindowScale))),
      rcv_slack_(std::uint32_t{1} << std::min(profile.window_scale, kMaxWindowScale)),
      nagle_(config.nagle.value_or(profile.nagle)),
      autotune_(profile),
      ack_(profile),
      rtt_(profile.initial_rto, profile.min_rto, profile.max_rto, profile.rto_granularity, rto_mode(profile)),
      cc_name_(config.congestion_control.empty() ? profile.congestion_control
                                                 : config.congestion_control) {
  cc_ = make_cc(cc_name_, profile.cubic_model);
  cc_->set_hystart(profile.hystart);
  tcb_.iss = config.iss;
  tcb_.snd_una = tcb_.snd_nxt = tcb_.snd_max = config.iss;
  recover_ = high_rxt_ = snd_sml_ = pushed_seq_ = config.iss;
  last_snapshot_ = congestion();
}

Connection::~Connection() = default;

// ---- OPEN ----

void Connection::open_active(Time now) {
  now_ = now;
  cause_ = TransitionCause::app("connect");
  if (state_ != TcpState::kClosed && state_ != TcpState::kListen) return;
  passive_ = false;
  send_syn();
  transition(TcpEvent::kAppConnect);
  finish();
}

void Connection::open_passive(Time now) {
  now_ = now;
  cause_ = TransitionCause::app("listen");
  if (state_ != TcpState::kClosed) return;
  passive_ = true;
  pushed_seq_ = tcb_.iss + 1;  // tcp_create_openreq_child: pushed_seq = write_seq = ISS + 1
  transition(TcpEvent::kAppListen);
  finish();
}

// ---- SEND / RECEIVE ----

std::size_t Connection::send_space() const {
  const bool open = state_ == TcpState::kSynSent || state_ == TcpState::kSynReceived ||
                    state_ == TcpState::kEstablished || state_ == TcpState::kCloseWait;
  return open && !fin_seq_ ? send_buf_.free_space() : 0;
}

std::size_t Connection::send(Time now, std::span<const std::uint8_t> data) {
  now_ = now;
  cause_ = TransitionCause::app("send");
  const std::size_t n = send_space() == 0 ? 0 : send_buf_.write(data);
  if (n < data.size()) want_writable_ = true;
  if (n > 0) mark_push(data_end());
  finish();
  return n;
}

std::size_t Connection::send_shared(Time now, std::span<const SharedBytes> pieces) {
  now_ = now;
  cause_ = TransitionCause::app("send");
  std::size_t taken = 0;
  bool full = send_space() == 0;
  for (const SharedBytes& p : pieces) {
    if (full) {
      want_writable_ = want_writable_ || !p.data.empty();
      continue;
    }
    const std::size_t n = send_buf_.write_shared(p.owner, p.data);
    taken += n;
    if (n < p.data.size()) {
      want_writable_ = true;
      full = true;
    }
  }
  if (taken > 0) mark_push(data_end());
  finish();  // one output pass for all pieces: segmented as one write
  return taken;
}

std::size_t Connection::read(Time now, std::span<std::uint8_t> out) { return after_read(now, rcv_buf_.read(out)); }

std::size_t Connection::consume(Time now, std::size_t n) {
  n = std::min(n, rcv_buf_.readable());
  rcv_buf_.consume(n);
  return after_read(now, n);
}

/// The application took n bytes: the window may open.
std::size_t Connection::after_read(Time now, std::size_t n) {
  now_ = now;
  cause_ = TransitionCause::app("read");
  copied_ += n;
  if (profile_.rcv_window == ReceiveWindowModel::kLinux && n > 0) {
    const std::size_t held = rcv_buf_.held();
    autotune_.space_adjust(now_, copied_, static_cast<std::uint32_t>(rcv_buf_.readable()),
                           static_cast<std::uint32_t>(held - rcv_buf_.readable()));
  }
  if (profile_.ack_mode == AckMode::kLinux) {
    linux_cleanup_rbuf(n);
  } else if (n > 0) {
    maybe_window_update();
  }
  if (close_deferred_ && rcv_buf_.readable() == 0) finish_deferred_close();
  finish();
  return n;
}

// ---- CLOSE / ABORT ----

void Connection::shutdown_write(Time now) {
  now_ = now;
  cause_ = TransitionCause::app("shutdown");
  app_shutdown();
  finish();
}

void Connection::close(Time now) {
  now_ = now;
  cause_ = TransitionCause::app("close");
  app_closed_ = true;
  if (close_deferred_) finish_deferred_close();
  if (rcv_buf_.readable() > 0 && is_synchronized(state_)) {
    app_abort();  // unread data is lost: tell the peer (RFC 2525 §2.17)
  } else {
    app_shutdown();
  }
  finish();
}

/// tcp_sock_set_cork: uncorking is tcp_push_pending_frames (with the
/// cork off, Nagle's rule as usual for the tail). The tail waiting under
/// the cork is what close() finds unsent, so tcp_send_fin puts the FIN on
/// it (one segment carries the last data and the FIN).
void Connection::set_cork(Time now, bool on) {
  now_ = now;
  cork_ = on;
  if (!on) finish();
}

void Connection::abort(Time now) {
  now_ = now;
  cause_ = TransitionCause::app("abort");
  if (close_deferred_) finish_deferred_close();
  app_abort();
  finish();
}

/// CLOSE (§3.10.4) for the send direction.
void Connection::app_shutdown() {
  switch (state_) {
    case TcpState::kListen:
    case TcpState::kSynSent:
      transition(TcpEvent::kAppClose);  // delete the TCB
      break;
    case TcpState::kSynReceived:
    case TcpState::kEstablished:
    case TcpState::kCloseWait:
      fin_seq_ = data_end();  // sent by output() after the queued data
      transition(TcpEvent::kAppClose);
      break;
    default: break;  // "error: connection closing"
  }
}

/// ABORT (§3.10.5).
void Connection::app_abort() {
  app_closed_ = true;
  switch (state_) {
    case TcpState::kSynReceived:
    case TcpState::kEstablished:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2:
    case TcpState::kCloseWait:
      send_rst(ack_seq(), true);  // <SEQ=SND.NXT><CTL=RST>
      break;
    default: break;
  }
  if (state_ != TcpState::kClosed) transition(TcpEvent::kAbort);
}

// ---- transitions ----

void Connection::transition(TcpEvent e) {
  const std::optional<TcpState> next = next_state(state_, e);
  assert(next.has_value());
  if (!next) return;
  const TcpState old = state_;
  state_ = *next;
  if (observer_ != nullptr) observer_->on_transition(now_, tuple_, old, state_, cause_);
  on_enter(old);
}

/// Entering a state arms or cancels its timers and tells the host what it
/// must know. `from` is the state left.
void Connection::on_enter(TcpState from) {
  switch (state_) {
    case TcpState::kEstablished:
      if (!reported_connected_) {
        init_linux_receiver();
        emit_event(ConnectionEvent::kConnected);
      }
      reported_connected_ = true;
      break;
    case TcpState::kTimeWait:
      cancel_timers();
      time_wait_at_ = now_ + profile_.msl * 2;  // §3.4.2
      break;
    case TcpState::kListen:
      cancel_timers();
      if (from == TcpState::kSynReceived) emit_event(ConnectionEvent::kClosed);
      break;
    case TcpState::kClosed:
      cancel_timers();
      // Bytes already received stay readable (as a socket's receive queue
      // does): the connection is finished once the app has them or closes.
      if (rcv_buf_.readable() > 0 && !app_closed_) {
        close_deferred_ = true;
      } else {
        emit_event(ConnectionEvent::kClosed);
      }
      break;
    default: break;
  }
}

/// A CLOSED connection whose last bytes the app has now read (or dropped).
void Connection::finish_deferred_close() {
  close_deferred_ = false;
  emit_event(ConnectionEvent::kClosed);
}

/// An RST or give-up ended the connection with `err`.
void Connection::fail(ConnectionError err, TcpEvent e) {
  error_ = err;
  switch (err) {
    case ConnectionError::kRefused: emit_event(ConnectionEvent::kRefused); break;
    case ConnectionError::kReset: emit_event(ConnectionEvent::kReset); break;
    case ConnectionError::kTimedOut:
    case ConnectionError::kKeepAliveTimedOut: emit_event(ConnectionEvent::kTimedOut); break;
    case ConnectionError::kNone: break;
  }
  transition(e);
}

void Connection::emit_event(ConnectionEvent e) {
  pending_events_ |= std::uint32_t{1} << static_cast<unsigned>(e);
}

void Connection::replay_events(Time now) {
  now_ = now;
  if (rcv_buf_.readable() > 0) emit_event(ConnectionEvent::kReadable);
  if (fin_received_) emit_event(ConnectionEvent::kPeerClosed);
  finish();
}

// ---- after every event ----

void Connection::finish() {
  output();
  update_timers();
  keepalive_at_ = keepalive_deadline();
  report_congestion();
  notify();
}

/// Delivers pending events in enum order (connected before readable before
/// peer-closed before errors before closed). The host may call back into
/// the connection; events those calls raise join the loop.
void Connection::notify() {
  if (notifying_) return;
  notifying_ = true;
  while (pending_events_ != 0) {
    unsigned bit = 0;
    while ((pending_events_ & (std::uint32_t{1} << bit)) == 0) ++bit;
    pending_events_ &= ~(std::uint32_t{1} << bit);
    const auto e = static_cast<ConnectionEvent>(bit);
    if (e == ConnectionEvent::kClosed && pending_events_ != 0) {
      emit_event(e);  // closed always comes last
      continue;
    }
    host_.on_event(*this, e);
  }
  notifying_ = false;
}

void Connection::report_congestion() {
  if (observer_ == nullptr) return;
  const CongestionSnapshot s = congestion();
  if (s == last_snapshot_) return;
  last_snapshot_ = s;
  observer_->on_congestion(now_, tuple_, s);
}

CongestionSnapshot Connection::congestion() const {
  return {cc_->cwnd(), cc_->ssthresh(), rtt_.srtt(), rtt_.rto()};
}

}  // namespace wiresim::tcp
