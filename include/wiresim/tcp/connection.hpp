#pragma once
/// One TCP connection: the TCB of RFC 9293 §3.3.1, its explicit state and
/// the event processing of §3.10 (segment arrival in the order of
/// §3.10.7, app calls, timeouts).
///
/// The connection does no I/O of its own (DESIGN.md style note 6): it never
/// reads a clock and never schedules. Every call takes `now`; segments go
/// out through ConnectionHost::transmit; next_deadline() says when on_timer
/// must be called. Its host (the TcpStack, or a unit test) owns the one
/// scheduled wake-up.
///
/// Implementation, by concern:
///   connection.cpp          construction, app calls, transitions, events
///   connection_input.cpp    segment arrival (RFC 9293 §3.10.7)
///   connection_recovery.cpp ACK processing, fast retransmit, NewReno, SACK
///   connection_rack.cpp     RACK-TLP (RFC 8985): loss marking, reorder timer, tail loss probe
///   connection_undo.cpp     F-RTO (RFC 5682) and undo of spurious retransmissions
///   connection_output.cpp   what to send and building segments
///   connection_timers.cpp   RTO, persist, delayed ACK, TIME-WAIT
///   connection_options.cpp SYN options, negotiation, timestamps
///   connection_ecn.cpp     ECN (RFC 3168 §6.1): negotiation, ECT, ECE/CWR

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wiresim/core/time.hpp"
#include "wiresim/tcp/ack_policy.hpp"
#include "wiresim/tcp/congestion_control.hpp"
#include "wiresim/tcp/profile.hpp"
#include "wiresim/tcp/prr.hpp"
#include "wiresim/tcp/rack_tlp.hpp"
#include "wiresim/tcp/rcv_autotune.hpp"
#include "wiresim/tcp/receive_buffer.hpp"
#include "wiresim/tcp/rtt_estimator.hpp"
#include "wiresim/tcp/sack_scoreboard.hpp"
#include "wiresim/tcp/send_buffer.hpp"
#include "wiresim/tcp/spurious_undo.hpp"
#include "wiresim/tcp/state.hpp"
#include "wiresim/tcp/trace.hpp"
#include "wiresim/wire/ipv4.hpp"
#include "wiresim/wire/seq_num.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::tcp {

class Connection;

/// What a connection reports to its host. The host forwards the app-facing
/// ones to the application and removes the connection on kClosed.
enum class ConnectionEvent : std::uint8_t {
  kConnected,   ///< ESTABLISHED reached (active or passive open); send() may be called
  kReadable,    ///< new in-order bytes can be read
  kWritable,    ///< send-buffer space freed after a send() that did not take everything
  kPeerClosed,  ///< the peer's FIN: after the bytes already readable, none will come
  kRefused,     ///< RST in answer to our SYN (RFC 9293 §3.10.7.3); connection CLOSED
  kReset,       ///< RST on a synchronized connection; connection CLOSED
  kTimedOut,    ///< retransmission limit reached (RFC 9293 §3.8.3 R2); connection CLOSED
  kClosed,      ///< finished: CLOSED (and no received byte left unread, unless the app
                ///< closed), or a passive open back in LISTEN. Always the last event.
};
inline constexpr std::size_t kConnectionEventCount = 8;

/// The error that ended a connection, if any. Both timeouts raise ConnectionEvent::kTimedOut:
/// kTimedOut after the SYN or data retransmissions, kKeepAliveTimedOut after
/// unanswered keep-alive probes.
enum class ConnectionError : std::uint8_t { kNone, kRefused, kReset, kTimedOut, kKeepAliveTimedOut };

/// "connected", "readable", ...
std::string_view to_string(ConnectionEvent e);
/// "none", "refused", "reset", "timed-out", "keepalive-timed-out".
std::string_view to_string(ConnectionError e);

/// The narrow output interface of a connection.
class ConnectionHost {
 public:
  virtual ~ConnectionHost() = default;
  /// Sends one segment now: `header` has every field but the checksum;
  /// `payload` points into the send buffer and is valid only during the call;
  /// `ecn` is the ECN field of the IPv4 packet that carries it (RFC 3168 §5).
  virtual void transmit(const Connection& c, const wire::TcpRepr& header,
                        const SendBuffer::Slice& payload, wire::IpEcn ecn) = 0;
  /// Reports an event. Called once the connection is consistent, never in
  /// the middle of processing: the host may call back into the connection.
  virtual void on_event(Connection& c, ConnectionEvent e) = 0;

 protected:
  ConnectionHost() = default;
  ConnectionHost(const ConnectionHost&) = default;
  ConnectionHost& operator=(const ConnectionHost&) = default;
};

/// TCP keep-alive (RFC 9293 §3.8.4, RFC 1122 §4.2.3.6): off unless the
/// application asks. After `idle` without hearing from the peer (and with
/// nothing in flight), probe <SEQ=SND.NXT-1><ACK=RCV.NXT><CTL=ACK> with no
/// data, as Linux does; the peer answers it with an ACK (or an RST if it
/// has forgotten the connection). Unanswered, probe again every `interval`;
/// after `probes` unanswered probes send an RST and fail with
/// ConnectionError::kKeepAliveTimedOut.
struct KeepAlive {
  Duration idle{};
  Duration interval{};
  std::uint32_t probes = 0;
};

/// Per-connection parameters chosen by the host.
struct ConnectionConfig {
  FourTuple tuple{};
  wire::SeqNum iss{};           ///< initial send sequence number (RFC 9293 §3.4.1)
  std::uint32_t ts_offset = 0;  ///< random offset of the TSval clock (RFC 7323 §5.4)
  std::uint16_t mtu_mss = 1460; ///< MSS the outgoing interface allows: MTU - 40 bytes
  std::string congestion_control;  ///< empty: the profile's
  std::optional<bool> nagle;       ///< empty: the profile's
  std::uint64_t id = 0;            ///< the host's handle for this connection
};

/// A received segment: parsed header, payload bytes (valid during the call)
/// and the uid of the packet that carried it, for traces.
struct IncomingSegment {
  wire::TcpRepr header{};
  std::span<const std::uint8_t> payload{};
  std::uint64_t packet_uid = 0;
  wire::IpEcn ip_ecn = wire::IpEcn::kNotEct;  ///< ECN field of the IPv4 packet that carried it
};

/// The Transmission Control Block variables of RFC 9293 §3.3.1, with their
/// RFC names, plus snd_max (the highest sequence number sent + 1: go-back-N
/// after an RTO moves snd_nxt back, snd_max remembers how far we got).
struct Tcb {
  wire::SeqNum iss{}, snd_una{}, snd_nxt{}, snd_max{};
  std::uint32_t snd_wnd = 0;      ///< bytes, already scaled
  std::uint32_t max_snd_wnd = 0;  ///< largest snd_wnd seen (RFC 9293 §3.8.6.2.1, RFC 5961 §5.2)
  wire::SeqNum snd_wl1{}, snd_wl2{};
  wire::SeqNum irs{}, rcv_nxt{};
  wire::SeqNum rcv_adv{};         ///< right edge of the window we last advertised
  /// RCV.WND: what we last offered, rcv_adv - rcv_nxt (bytes).
  [[nodiscard]] std::uint32_t rcv_wnd() const {
    return rcv_adv > rcv_nxt ? static_cast<std::uint32_t>(rcv_adv - rcv_nxt) : 0;
  }
};

/// Options agreed in the handshake.
struct Negotiated {
  std::uint16_t send_mss = 536;   ///< min(peer's MSS or 536, our mtu_mss) (RFC 9293 §3.7.1)
  std::uint8_t snd_wscale = 0;    ///< shift applied to windows we receive (RFC 7323 §2.3)
  std::uint8_t rcv_wscale = 0;    ///< shift applied to windows we send
  bool sack = false;              ///< both SYNs carried SACK-permitted (RFC 2018 §2)
  bool timestamps = false;        ///< both SYNs carried timestamps (RFC 7323 §3.2)
  bool ecn = false;               ///< ECN-setup SYN and SYN-ACK exchanged (RFC 3168 §6.1.1)
};

/// RFC 3168 §6.1 state after the handshake (Linux tp->ecn_flags).
struct EcnState {
  /// TCP_ECN_DEMAND_CWR: a CE mark arrived; every ACK carries ECE until a
  /// segment with CWR does (§6.1.3).
  bool demand_cwr = false;
  /// TCP_ECN_QUEUE_CWR: cwnd was reduced; the next new data segment carries CWR (§6.1.2).
  bool queue_cwr = false;
  /// The reduction of this window lasts until SND.UNA passes this (Linux
  /// high_seq of TCP_CA_CWR): further ECEs until then do not reduce again.
  std::optional<wire::SeqNum> cwr_until;
};

/// Members marked [[gnu::cold]] run once per connection (open, handshake,
/// close, errors) or once per loss episode (recovery, timeouts, undo): g++
/// lays them and the branches that reach them out of the per-segment code,
/// whose instruction-cache footprint is much of bench_tcp's cost per packet.
class Connection {
 public:
  /// `profile` and `host` (and `observer`, if any) must outlive the connection.
  Connection(const TcpProfile& profile, const ConnectionConfig& config, ConnectionHost& host,
             TcpObserver* observer = nullptr);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // ---- OPEN (RFC 9293 §3.10.1) ----
  /// Active open: sends a SYN, CLOSED -> SYN-SENT.
  [[gnu::cold]] void open_active(Time now);
  /// Passive open: CLOSED -> LISTEN; a SYN then makes it SYN-RECEIVED.
  /// A reset in SYN-RECEIVED returns it to LISTEN (and reports kClosed).
  [[gnu::cold]] void open_passive(Time now);

  // ---- SEND, RECEIVE, CLOSE, ABORT (§3.10.2 - §3.10.5) ----
  /// Queues up to send_space() bytes; returns how many were taken. When not
  /// all were, kWritable follows once space frees. 0 after shutdown_write().
  std::size_t send(Time now, std::span<const std::uint8_t> data);
  /// As send() of the pieces' bytes one after another, as one write, but
  /// queued by reference instead of copied (SharedBytes). On the wire
  /// exactly as send() of their concatenation. Returns the bytes taken: a
  /// prefix of the concatenation.
  std::size_t send_shared(Time now, std::span<const SharedBytes> pieces);
  /// Bytes the send buffer can take now (0 once writing is shut down).
  [[nodiscard]] std::size_t send_space() const;
  /// Bytes queued and not yet acknowledged.
  [[nodiscard]] std::size_t send_queued() const { return send_buf_.size(); }
  /// Copies up to out.size() in-order bytes out; returns the count. Reading
  /// opens the receive window (a window update may be sent).
  std::size_t read(Time now, std::span<std::uint8_t> out);
  /// Zero-copy reading: the first min(n, readable()) in-order bytes, in one
  /// or two runs (ReceiveBuffer::peek), left in place...
  [[nodiscard]] std::array<std::span<const std::uint8_t>, 2> peek(std::size_t n) const { return rcv_buf_.peek(n); }
  /// ...until consumed: as read() of n bytes without the copy (the same
  /// window updates). Returns the count (n clipped to readable()).
  std::size_t consume(Time now, std::size_t n);
  /// In-order bytes waiting to be read.
  [[nodiscard]] std::size_t readable() const { return rcv_buf_.readable(); }
  /// True once the peer's FIN was received (end of stream after readable()).
  [[nodiscard]] bool peer_closed() const { return fin_received_; }
  /// Half-close (CLOSE of RFC 9293 §3.10.4): queues a FIN after the data.
  [[gnu::cold]] void shutdown_write(Time now);
  /// Full close: shutdown_write, and the app reads no more. Unread or later
  /// arriving data resets the connection (RFC 2525 §2.17, as Linux does).
  [[gnu::cold]] void close(Time now);
  /// ABORT (§3.10.5): sends an RST where the RFC says so, then CLOSED.
  [[gnu::cold]] void abort(Time now);
  /// Nagle's algorithm (RFC 9293 §3.7.4) on or off for this connection.
  void set_nagle(bool on) { nagle_ = on; }
  /// TCP_CORK (tcp(7)): while corked only full-sized segments leave; the
  /// partial tail waits for the uncork or for close(), whose FIN then rides
  /// on it. Uncorking pushes what waits.
  [[gnu::cold]] void set_cork(Time now, bool on);
  /// Keep-alive on (with these timings) or off (nullopt); idle time counts
  /// from now or from the next segment heard.
  [[gnu::cold]] void set_keepalive(Time now, std::optional<KeepAlive> k);

  // ---- host calls ----
  /// SEGMENT ARRIVES (§3.10.7).
  void on_segment(Time now, const IncomingSegment& seg);
  /// Runs every timer whose deadline is <= now (§3.10.8).
  void on_timer(Time now);
  /// The earliest pending timer; Time::max() when none.
  [[nodiscard]] Time next_deadline() const;
  /// Reports kReadable / kPeerClosed again if they hold: for a host that
  /// attaches an application after they were first reported (accept()).
  [[gnu::cold]] void replay_events(Time now);

  // ---- inspection ----
  [[nodiscard]] TcpState state() const { return state_; }
  [[nodiscard]] const FourTuple& tuple() const { return tuple_; }
  [[nodiscard]] std::uint64_t id() const { return id_; }
  [[nodiscard]] const Tcb& tcb() const { return tcb_; }
  [[nodiscard]] const Negotiated& negotiated() const { return opt_; }
  [[nodiscard]] const EcnState& ecn() const { return ecn_; }
  [[nodiscard]] const ConnectionCounters& counters() const { return counters_; }
  [[nodiscard]] ConnectionError error() const { return error_; }
  [[nodiscard]] bool passive_open() const { return passive_; }
  /// Effective sender MSS for full-sized data segments (SMSS, bytes).
  [[nodiscard]] std::uint32_t smss() const {
    const std::uint32_t ts = opt_.timestamps ? 12u : 0u;  // NOP, NOP, TS (RFC 7323 App. A)
    return (opt_.send_mss > ts + 1 ? opt_.send_mss : ts + 1) - ts;
  }
  [[nodiscard]] CongestionSnapshot congestion() const;
  [[nodiscard]] bool in_recovery() const { return recovery_ != Recovery::kNone; }
  /// After an RTO until SND.UNA passes what was outstanding then (Linux TCP_CA_Loss).
  [[nodiscard]] bool in_loss() const { return loss_state_; }
  /// RACK-TLP's view of the outstanding segments (RFC 8985).
  [[nodiscard]] const RackTlp& rack() const { return rack_; }
  [[nodiscard]] const TcpProfile& profile() const { return profile_; }
  /// Linux's receive-window state (ReceiveWindowModel::kLinux).
  [[nodiscard]] const RcvAutotune& rcv_autotune() const { return autotune_; }
  /// Linux's ACK engine state (AckMode::kLinux).
  [[nodiscard]] const AckPolicy& ack_policy() const { return ack_; }

 private:
  /// The segment being processed, with its RFC 9293 §3.3.1 quantities.
  struct Seg {
    const wire::TcpRepr& h;
    std::span<const std::uint8_t> text;  ///< payload, trimmed to the window in step one
    wire::SeqNum text_seq;               ///< sequence number of text[0]
    std::uint32_t len;                   ///< SEG.LEN: payload + SYN + FIN
    std::optional<wire::SeqNum> fin;     ///< its FIN's sequence number, unless outside the window
    std::uint32_t payload_len;           ///< payload bytes as received, before trimming
    wire::IpEcn ip_ecn = wire::IpEcn::kNotEct;  ///< of the carrying IPv4 packet
    [[nodiscard]] bool has(wire::TcpFlag f) const { return h.has(f); }
  };
  enum class Recovery : std::uint8_t { kNone, kNewReno, kSack };
  /// Why a data segment is sent; decides which counter a resend goes to.
  enum class SendReason : std::uint8_t { kNew, kTimeout, kFast, kPartialAck, kSack, kProbe, kPeerSyn, kTlp };
  /// A segment being timed for an RTT sample (RFC 6298 §3, Karn's rule).
  struct RttProbe {
    wire::SeqNum end;  ///< an ACK at or beyond this completes the sample
    Time sent;
  };

  // connection.cpp: transitions and events
  [[gnu::cold]] void transition(TcpEvent e);
  [[gnu::cold]] void on_enter(TcpState from);
  [[gnu::cold]] void app_shutdown();
  [[gnu::cold]] void finish_deferred_close();
  [[gnu::cold]] void app_abort();
  void emit_event(ConnectionEvent e);
  [[gnu::cold]] void fail(ConnectionError err, TcpEvent e);
  /// After every entry point: send, arm timers, report changes, notify.
  void finish();
  void notify();
  void report_congestion();

  // connection_input.cpp: §3.10.7
  [[gnu::cold]] void input_closed(const Seg& s);
  [[gnu::cold]] void input_listen(const Seg& s);
  [[gnu::cold]] void input_syn_sent(Seg& s);
  void input_synchronized(Seg& s);
  [[gnu::cold]] [[nodiscard]] bool is_crossing_syn_ack(const Seg& s) const;
  [[gnu::cold]] void take_crossing_syn_ack(const Seg& s);
  bool check_sequence(Seg& s);
  bool acceptable(const Seg& s) const;
  void trim_to_window(Seg& s) const;
  void check_rst(const Seg& s);
  void check_syn(const Seg& s);
  bool check_ack(const Seg& s);
  void finish_fin_wait_1();  // after every segment: not cold
  [[gnu::cold]] bool ack_in_syn_received(const Seg& s);
  void process_text(const Seg& s);
  void note_fin(const Seg& s);
  void consume_fin_if_due();
  void note_timestamp(const Seg& s);
  void note_duplicate(const Seg& s);
  void take_data(const Seg& s);
  void ack_every_n(bool in_order);
  void linux_data_received(const Seg& s, bool in_order);
  void linux_ack_check(bool in_order, bool hole_filled);
  void compress_or_ack_now();
  void sack_compress_flush_for(std::uint32_t offset, std::uint32_t len);
  void on_compressed_ack_timeout();
  void schedule_delayed_ack(Duration ato);
  [[gnu::cold]] void take_peer_syn(const Seg& s);

  // connection_recovery.cpp: step five in ESTABLISHED and later
  bool process_ack(const Seg& s);
  void update_send_window(const Seg& s);
  void on_new_ack(const Seg& s);
  void on_duplicate_ack();
  bool is_duplicate_ack(const Seg& s, std::uint32_t newly_sacked) const;
  void take_rtt_sample(const Seg& s);
  [[nodiscard]] bool cwnd_limited(std::uint32_t flight_before) const;
  void cwnd_validate();
  [[nodiscard]] bool window_cwnd_limited() const;
  [[gnu::cold]] void enter_recovery();
  void on_ack_in_recovery(const Seg& s, std::uint32_t acked);
  [[gnu::cold]] void exit_recovery(const Seg& s);
  [[gnu::cold]] void begin_cwnd_reduction(std::uint32_t bytes_in_flight);
  void end_cwnd_reduction();
  void cong_control(wire::SeqNum prior_una, Recovery prior_recovery, std::uint32_t flight_before,
                    std::uint32_t delivered_pkts, std::uint32_t newly_sacked);
  [[nodiscard]] std::uint32_t packets_in_flight() const;
  [[nodiscard]] bool in_cwr() const { return prr_.active() && recovery_ == Recovery::kNone && !loss_state_; }
  void note_data_sent();
  bool sack_recovery_output();
  bool resend_range(wire::SeqNum seq, std::uint32_t len);
  bool send_new_segment(std::uint32_t cwnd_room, std::uint32_t* mss_cache = nullptr);
  /// The sequence space (payload, plus 1 for a FIN) of the segment
  /// send_new_segment would send from `nxt` with `cwnd_room` bytes of
  /// congestion window and `flight` bytes in flight; 0 if none may go (a
  /// segment always takes at least 1). A plain integer, not an optional:
  /// returning std::optional<uint32_t> in a register pair made every caller
  /// reload it across a partial store (a store-forwarding stall that was
  /// 60 % of this function's time in bench_tcp).
  /// `mss_cache`, if given and non-zero, is the payload limit its options
  /// leave; else it is computed (data_payload_limit), and stored there
  /// when the segment carries no SACK blocks (then it holds for the rest of
  /// an output pass).
  [[nodiscard]] std::uint32_t new_segment_len(wire::SeqNum nxt, std::uint32_t cwnd_room, std::uint32_t flight,
                                              std::uint32_t* mss_cache) const;
  /// Bytes in flight for the send decision: outstanding data below SND.NXT
  /// (go-back-N after an RTO moves it back) less what the peer SACKed.
  [[nodiscard]] std::uint32_t flight_size() const {
    const auto sent = static_cast<std::uint32_t>(tcb_.snd_nxt - tcb_.snd_una);
    if (scoreboard_.empty()) return sent;
    const std::uint32_t sacked = sacked_between(tcb_.snd_una, tcb_.snd_nxt);
    return sent > sacked ? sent - sacked : 0;
  }
  [[nodiscard]] std::uint32_t outstanding() const { return static_cast<std::uint32_t>(tcb_.snd_max - tcb_.snd_una); }
  [[nodiscard]] wire::SeqNum hole_end(wire::SeqNum from) const;
  [[nodiscard]] wire::SeqNum skip_sacked(wire::SeqNum from) const;
  [[nodiscard]] std::uint32_t sacked_between(wire::SeqNum from, wire::SeqNum to) const;

  // connection_rack.cpp: RACK-TLP (RFC 8985)
  [[nodiscard]] bool rack_active() const { return profile_.loss_detection == LossDetection::kRackTlp && opt_.sack; }
  /// An empty block (left == right) when the ACK carries no D-SACK: a plain
  /// value on the per-ACK path, no std::optional copied through memory.
  [[nodiscard]] wire::SackBlock find_dsack(const Seg& s) const;
  void after_ack(const Seg& s, wire::SeqNum prior_una, const RackDelivery& d,
                 const wire::SackBlock& dsack, bool dup);
  void rack_detect(bool force);
  [[gnu::cold]] void enter_rack_recovery();
  bool rack_recovery_output();
  void process_tlp_ack(wire::SeqNum ack, bool dsack, bool pure_dup);
  /// tcp_schedule_loss_probe's conditions: RACK-TLP with SACK, data in
  /// flight, not in recovery or after a timeout.
  [[nodiscard]] bool tlp_allowed() const {
    return rack_active() && outstanding() > 0 && recovery_ == Recovery::kNone && !loss_state_ &&
           is_synchronized(state_) && syn_acked();
  }
  void schedule_loss_probe(bool advancing_rto);
  [[gnu::cold]] void on_pto_timeout();
  [[gnu::cold]] void on_reo_timeout();
  [[gnu::cold]] bool send_new_data_probe();

  // connection_undo.cpp: F-RTO (RFC 5682) and undo (RFC 3708, RFC 4015)
  [[gnu::cold]] void begin_undo_episode(std::uint32_t retrans_in_flight);
  [[gnu::cold]] void on_dsack(const wire::SackBlock& b, wire::SeqNum prior_una);
  [[nodiscard]] std::optional<std::uint32_t> echoed_tsval(const Seg& s) const;
  [[gnu::cold]] void undo_cwnd_reduction(bool unmark_loss);
  [[gnu::cold]] bool try_undo_recovery(const Seg& s);
  [[gnu::cold]] bool try_undo_loss(const Seg& s, bool frto_undo);
  void try_undo_dsack();
  [[gnu::cold]] void process_loss(const Seg& s, bool advanced, const RackDelivery& d, bool dup);
  [[gnu::cold]] bool frto_send_new_data();
  [[gnu::cold]] void enter_loss();

  // connection_output.cpp
  void output();
  bool output_data();
  bool send_segment_at(wire::SeqNum seq, wire::SeqNum limit, SendReason why);
  /// Tells the observer why [seq, seq + len) goes out again (trace side channel).
  [[gnu::cold]] void report_retransmit(wire::SeqNum seq, std::uint32_t len, SendReason why);
  [[nodiscard]] bool nagle_allows() const;
  [[gnu::cold]] void send_syn(SendReason why = SendReason::kTimeout);
  void send_ack();
  [[gnu::cold]] void send_rst(wire::SeqNum seq, bool with_ack);
  [[gnu::cold]] void send_reset_reply(const Seg& s);
  void transmit(wire::TcpRepr& h, const SendBuffer::Slice& payload);
  void fill_ack_fields(wire::TcpRepr& h);
  [[nodiscard]] std::uint16_t select_window();
  [[nodiscard]] std::uint16_t select_window_linux();
  [[gnu::cold]] [[nodiscard]] std::uint32_t initial_rcv_wnd();
  [[nodiscard]] std::uint32_t advmss() const;
  /// tp->tcp_header_len: 20 bytes, 32 with timestamps (what Linux assumes a
  /// segment's header takes, without parsing its options again).
  [[nodiscard]] std::uint32_t tcp_header_len() const { return opt_.timestamps ? 32u : 20u; }
  [[gnu::cold]] void init_linux_receiver();
  void linux_cleanup_rbuf(std::size_t copied);
  void mark_push(wire::SeqNum write_end);
  [[nodiscard]] std::uint32_t size_goal() const;
  [[nodiscard]] std::uint32_t tso_segs() const;
  [[nodiscard]] bool ends_gso_packet(std::uint32_t k, std::uint32_t max_segs, std::uint32_t cwnd_room, wire::SeqNum nxt,
                                     std::uint32_t len, std::uint32_t flight, std::uint32_t* mss_cache) const;
  [[nodiscard]] bool pushed_segment(wire::SeqNum seq, std::uint32_t len);
  [[nodiscard]] std::uint32_t free_receive_space() const;
  void maybe_window_update();
  /// After the application read or consumed n bytes: window update,
  /// deferred close, output. Returns n.
  std::size_t after_read(Time now, std::size_t n);
  [[nodiscard]] wire::TcpRepr make_header(std::uint8_t flags, wire::SeqNum seq) const;
  [[nodiscard]] wire::SeqNum ack_seq() const;
  [[nodiscard]] wire::SeqNum data_base() const;
  [[nodiscard]] wire::SeqNum data_end() const;
  [[nodiscard]] bool syn_acked() const { return tcb_.snd_una > tcb_.iss; }
  [[nodiscard]] bool can_send_data() const;
  [[nodiscard]] bool fin_acked() const;

  // connection_timers.cpp
  void update_timers();
  void arm_rto();
  [[gnu::cold]] void on_rto_timeout();
  [[gnu::cold]] void on_syn_timeout();
  [[gnu::cold]] void on_persist_timeout();
  void on_delayed_ack_timeout();
  [[gnu::cold]] void on_time_wait_timeout();
  [[gnu::cold]] void on_keepalive_timeout();
  [[gnu::cold]] void cancel_timers();
  [[nodiscard]] Time keepalive_deadline() const;
  [[nodiscard]] bool persist_wanted() const;
  [[nodiscard]] Duration persist_interval() const;

  // connection_options.cpp
  [[gnu::cold]] [[nodiscard]] wire::TcpRepr syn_header() const;
  [[gnu::cold]] void negotiate(const wire::TcpRepr& syn);
  [[nodiscard]] std::uint32_t ts_clock() const;
  void add_timestamp(wire::TcpRepr& h) const;
  void add_sack_blocks(wire::TcpRepr& h) const;
  [[nodiscard]] std::uint32_t max_payload(const wire::TcpRepr& h) const;
  [[nodiscard]] std::uint32_t data_payload_limit() const;

  // connection_ecn.cpp: RFC 3168 §6.1
  /// ECE/CWR of our SYN (first one only) or SYN-ACK (§6.1.1).
  [[gnu::cold]] [[nodiscard]] std::uint8_t ecn_syn_flags(bool syn_ack, bool first) const;
  /// Takes the peer's SYN or SYN-ACK: ECN is on if both sides set it up.
  [[gnu::cold]] void ecn_negotiate(const wire::TcpRepr& syn);
  /// ECE and CWR on an outgoing segment, and its IP ECN field: ECT(0) on
  /// new data only (§6.1.5: never on retransmissions or pure ACKs).
  wire::IpEcn ecn_on_send(wire::TcpRepr& h, std::size_t payload_len);
  /// A data segment arrived: CWR ends the echo, CE starts it (§6.1.3).
  void ecn_on_data(const Seg& s);
  /// ECE on an ACK: one cwnd reduction per window (§6.1.2).
  void ecn_on_ack(const Seg& s);

  const TcpProfile& profile_;
  ConnectionHost& host_;
  TcpObserver* observer_;
  FourTuple tuple_;
  std::uint64_t id_;
  std::uint16_t mtu_mss_;
  std::uint32_t ts_offset_;

  TcpState state_ = TcpState::kClosed;
  bool passive_ = false;
  bool peer_syn_seen_ = false;        ///< the peer's SYN was received: our SYN carries an ACK
  Tcb tcb_;
  Negotiated opt_;
  EcnState ecn_;
  bool ws_agreed_ = false;            ///< both SYNs carried window scale (even a shift of 0)
  Time now_{};                        ///< `now` of the call being processed
  TransitionCause cause_{};           ///< cause of the call being processed

  SendBuffer send_buf_;
  ReceiveBuffer rcv_buf_;
  std::uint32_t rcv_slack_;           ///< receive-buffer bytes beyond rcv_buf for window rounding
  std::optional<wire::SeqNum> fin_seq_;      ///< our FIN's sequence number, once CLOSE was called
  std::optional<wire::SeqNum> rcv_fin_seq_;  ///< the peer's FIN, possibly still out of order
  bool fin_received_ = false;         ///< the peer's FIN was consumed (rcv_nxt moved past it)
  bool app_closed_ = false;           ///< close() called: the app reads no more
  bool close_deferred_ = false;       ///< CLOSED, but bytes wait for the app: kClosed after them
  bool nagle_;
  bool cork_ = false;                 ///< TCP_CORK set by the application
  // Linux receive window and ACKs (ReceiveWindowModel::kLinux, AckMode::kLinux)
  RcvAutotune autotune_;
  AckPolicy ack_;
  std::optional<std::uint32_t> syn_rcv_wnd_;  ///< the window of our SYN / SYN-ACK, once chosen
  std::uint32_t linux_rcv_wnd_ = 0;   ///< tp->rcv_wnd: the window offered at the last ACK (bytes)
  std::uint64_t copied_ = 0;          ///< bytes the application has read (tp->copied_seq)
  bool ack_scheduled_ = false;        ///< ICSK_ACK_SCHED: data received and not yet acknowledged
  // SACK compression (TcpProfile::comp_sack_nr)
  std::uint32_t compressed_ack_ = 0;  ///< tp->compressed_ack: duplicate ACKs held back
  std::uint32_t dup_ack_counter_ = 0; ///< tp->dup_ack_counter: immediate ones for compressed_ack_rcv_nxt_
  wire::SeqNum compressed_ack_rcv_nxt_{};  ///< tp->compressed_ack_rcv_nxt
  // PSH (PushMode::kLinux): tcp_mark_push
  std::vector<wire::SeqNum> push_marks_;  ///< ends of pushed writes, ascending (from push_head_ unacknowledged)
  std::size_t push_head_ = 0;             ///< first mark above SND.UNA
  std::size_t push_next_ = 0;             ///< first mark above the last new segment's start
  wire::SeqNum pushed_seq_{};             ///< tp->pushed_seq
  /// TcpProfile::gso: the new segment output_data() sends now is the last
  /// of a GSO packet of two segments or more (it carries PSH).
  bool gso_push_ = false;

  // reliability and congestion control
  RttEstimator rtt_;
  std::unique_ptr<CongestionControl> cc_;
  std::string cc_name_;
  SackScoreboard scoreboard_;
  Recovery recovery_ = Recovery::kNone;
  std::uint32_t dupacks_ = 0;
  wire::SeqNum recover_{};            ///< RFC 6582 "recover" / RFC 6675 RecoveryPoint (one past)
  wire::SeqNum high_rxt_{};           ///< one past the last byte resent in this recovery
  std::optional<RttProbe> rtt_probe_;
  std::uint32_t retries_ = 0;         ///< consecutive RTO expiries without progress
  RackTlp rack_;                      ///< outstanding segments, RACK and TLP state (RFC 8985)
  UndoState undo_;                    ///< what a spurious-retransmission undo restores
  Prr prr_;                           ///< PRR of the cwnd reduction under way (TcpProfile::prr)
  // tcp_cwnd_validate's record of the current window
  // (TcpProfile::cwnd_validation_per_window): whether cwnd limited sending
  // in it, its largest flight (bytes), and SND.NXT when it began.
  bool is_cwnd_limited_ = false;
  std::uint32_t max_flight_ = 0;
  wire::SeqNum cwnd_usage_seq_{};
  std::uint32_t acked_data_ = 0;      ///< data bytes the ACK being processed freed
  std::uint32_t newly_lost_ = 0;      ///< segments RACK marked lost on the ACK being processed
  bool loss_state_ = false;           ///< Linux TCP_CA_Loss: after an RTO until SND.UNA >= recover_
  bool frto_ = false;                 ///< F-RTO under way (RFC 5682 §3; Linux tp->frto)
  bool first_recovery_rxt_ = false;   ///< the next RACK recovery resend is the "fast" one
  wire::SeqNum snd_sml_{};            ///< end of the last sub-MSS segment sent (Minshall's Nagle)
  bool probing_ = false;              ///< a zero-window probe is outstanding

  // acknowledgement state (RFC 9293 §3.8.6.3)
  bool ack_now_ = false;
  std::uint32_t unacked_bytes_ = 0;   ///< in-order bytes received since our last ACK
  std::uint32_t rcv_mss_ = 536;       ///< largest segment payload seen from the peer
  wire::SeqNum last_ack_sent_{};      ///< RFC 7323 §4.3 Last.ACK.sent
  std::uint32_t ts_recent_ = 0;       ///< RFC 7323 §4.3 TS.Recent
  /// A duplicate segment's range to report first in our next ACK (RFC 2883
  /// §4, Linux tcp_dsack_set); sent once.
  std::optional<wire::SackBlock> dsack_pending_;

  // timers: absolute deadlines, Time::max() when off
  Time rto_at_ = Time::max();
  Time persist_at_ = Time::max();
  Time delack_at_ = Time::max();
  Time time_wait_at_ = Time::max();
  Time keepalive_at_ = Time::max();
  Time pto_at_ = Time::max();         ///< tail loss probe timer (RFC 8985 §7.2)
  Time reo_at_ = Time::max();         ///< RACK reorder timer (RFC 8985 §6.3)
  Time comp_ack_at_ = Time::max();    ///< Linux tp->compressed_ack_timer
  std::uint32_t persist_backoff_ = 0;
  std::optional<KeepAlive> keepalive_;
  Time idle_since_{};                 ///< the last segment heard, or when keep-alive was switched on
  Time last_keepalive_{};             ///< the last keep-alive probe sent
  std::uint32_t keepalive_unanswered_ = 0;

  // events for the host (bit i = ConnectionEvent i), delivered by notify()
  std::uint32_t pending_events_ = 0;
  bool notifying_ = false;
  bool want_writable_ = false;
  bool reported_connected_ = false;
  ConnectionError error_ = ConnectionError::kNone;
  ConnectionCounters counters_;
  CongestionSnapshot last_snapshot_;
};

/// The RST a host sends in answer to `seg` when no connection takes it
/// (RFC 9293 §3.10.7.1): nullopt for an RST. `payload_len` is seg's text.
[[nodiscard]] std::optional<wire::TcpRepr> reset_for(const wire::TcpRepr& seg,
                                                     std::size_t payload_len);

}  // namespace wiresim::tcp
