#pragma once
/// A scenario as loaded from a YAML file: plain structs with no behaviour.
/// Everything here has been validated (see loader.hpp); the layers that
/// build and run a world read these structs and never see YAML.
///
/// Collections keep the file's order. Names are unique within their kind
/// (hosts and routers share one namespace: "nodes"), match
/// [A-Za-z][A-Za-z0-9_-]*, and every reference between entries resolves.
/// Optional fields are overrides: unset means "what the named profile says".

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wiresim/core/data_rate.hpp"
#include "wiresim/core/time.hpp"
#include "wiresim/scenario/calendar.hpp"
#include "wiresim/scenario/interface_address.hpp"

namespace wiresim::scenario {

/// When a run ends. At least one condition is set (validated).
struct StopSpec {
  std::optional<Duration> after;  ///< simulated time limit; > 0
  bool when_apps_done = true;     ///< stop once every client app (browser, bulk) finished

  bool operator==(const StopSpec&) const = default;
};

/// linux: Linux 6.18 (the reference captures); linux-6.1: Debian 12's kernel.
enum class TcpProfile { kLinux, kLinux61, kWindows };
enum class CongestionControl { kNewReno, kCubic };
/// `recovery`: how losses are detected (tcp::LossDetection).
enum class LossRecovery { kRackTlp, kDupAck };
/// `ecn`: ECN negotiation (tcp::EcnMode): off, passive (accept only), on (ask).
enum class TcpEcn { kOff, kPassive, kOn };

/// `window_scale` value meaning "do not offer the window scale option".
inline constexpr int kWindowScaleOff = -1;

/// First and last port of a range, inclusive. Invariant: 1 <= first <= last <= 65535.
struct PortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;

  bool operator==(const PortRange&) const = default;
};

/// Per-host changes to a TCP profile. Each unset field keeps the profile's value.
struct TcpOverrides {
  std::optional<std::int64_t> mss;         ///< bytes, 64..65495
  std::optional<std::int64_t> rcv_buf;     ///< receive buffer, bytes, 1..1GiB
  std::optional<std::int64_t> snd_buf;     ///< send buffer, bytes, 1..1GiB
  std::optional<int> window_scale;         ///< shift 0..14, or kWindowScaleOff
  std::optional<bool> sack;                ///< offer/accept SACK (RFC 2018)
  std::optional<bool> timestamps;          ///< offer/accept timestamps (RFC 7323)
  std::optional<std::int64_t> initial_cwnd;  ///< segments, 1..1000
  std::optional<Duration> delayed_ack;     ///< delayed-ACK timer, 0..500ms; 0 = ACK at once
  std::optional<Duration> min_rto;         ///< lower bound of the RTO, 0..60s
  std::optional<Duration> msl;             ///< maximum segment lifetime (TIME-WAIT is 2*MSL), 0..300s
  std::optional<CongestionControl> congestion_control;
  std::optional<bool> nagle;               ///< Nagle's algorithm (RFC 896) on send
  std::optional<int> syn_retries;          ///< SYN retransmissions before giving up, 0..20
  std::optional<PortRange> ephemeral_ports;
  std::optional<bool> delayed_fin_ack;     ///< the ACK of a FIN waits for the delayed-ACK timer (Linux)
  std::optional<LossRecovery> recovery;    ///< RACK-TLP (RFC 8985) or duplicate ACKs only
  std::optional<bool> frto;                ///< F-RTO after a timeout (RFC 5682)
  std::optional<bool> undo;                ///< undo spurious retransmissions (DSACK, timestamps)
  std::optional<bool> dsack;               ///< send D-SACK blocks for duplicates (RFC 2883)
  std::optional<bool> hystart;             ///< CUBIC's HyStart
  std::optional<TcpEcn> ecn;               ///< ECN negotiation (RFC 3168 §6.1.1)

  bool operator==(const TcpOverrides&) const = default;
};

struct TcpSpec {
  TcpProfile profile = TcpProfile::kLinux;
  TcpOverrides overrides;

  bool operator==(const TcpSpec&) const = default;
};

struct HostSpec {
  std::string name;
  InterfaceAddress address;  ///< the address of every link end of this host that gives none
  TcpSpec tcp;

  bool operator==(const HostSpec&) const = default;
};

/// A router forwards between the links it joins; its interfaces take the
/// addresses given on those link ends.
struct RouterSpec {
  std::string name;

  bool operator==(const RouterSpec&) const = default;
};

enum class LossModel { kBernoulli, kGilbertElliott };

/// Random loss on one link direction.
/// Bernoulli: each packet is lost with probability p.
/// Gilbert-Elliott: a two-state Markov chain evaluated per packet; p is
/// P(good -> bad), r is P(bad -> good), k is P(delivered | good) and h is
/// P(delivered | bad). All four are in [0, 1].
struct LossSpec {
  LossModel model = LossModel::kBernoulli;
  double p = 0.0;
  double r = 1.0;  ///< Gilbert-Elliott only; defaults to 1 - p
  double k = 1.0;  ///< Gilbert-Elliott only
  double h = 0.0;  ///< Gilbert-Elliott only

  bool operator==(const LossSpec&) const = default;
};

/// netem's gap reordering (net::ImpairmentConfig): past `gap - 1` frames
/// sent in order, each frame is sent ahead with probability p, taking
/// `delay` as its propagation delay instead of the link's.
struct ReorderSpec {
  double p = 0.0;
  std::int64_t gap = 1;  ///< >= 1
  Duration delay{};      ///< >= 0

  bool operator==(const ReorderSpec&) const = default;
};

/// Link impairments beyond loss, as Linux netem has them.
struct ImpairmentSpec {
  double duplicate = 0.0;  ///< P(a frame is sent twice)
  double corrupt = 0.0;    ///< P(one bit of a frame's IP packet is flipped)
  ReorderSpec reorder;

  bool operator==(const ImpairmentSpec&) const = default;
};

/// Which packets a drop rule counts.
enum class DropMatch { kAny, kTcpData, kSyn, kSynAck, kFin, kRst, kPureAck };

/// Drops the first_nth-th through last_nth-th packet (1-based, counted per
/// link direction) that matches `match` and the optional ports, or (with
/// `seq`) the first transmission that starts at relative sequence `seq`.
/// `connection` restricts the rule to the n-th TCP connection seen on the
/// link direction (net::DropRule says how they are numbered).
/// Invariant: 1 <= first_nth <= last_nth; nth is unused with seq.
struct DropRule {
  DropMatch match = DropMatch::kAny;
  std::int64_t first_nth = 1;
  std::int64_t last_nth = 1;
  std::optional<std::uint16_t> src_port;
  std::optional<std::uint16_t> dst_port;
  std::optional<std::uint32_t> connection;
  std::optional<std::uint32_t> seq;
  /// Its scenario path, "links.path.drop.0" (or "links.path.a_to_b.drop.0"):
  /// a rule given at the link level applies to both directions under one name.
  std::string origin;

  bool operator==(const DropRule&) const = default;
};

/// The queue's discipline (net::QueueDiscipline).
enum class QueueDiscipline { kDropTail, kRed, kCodel, kFqCodel };

/// Packet queue in front of a link direction. 0 means "no limit" for
/// either bound; a packet is dropped if it would exceed a set bound
/// (codel and fq_codel: `packets` only, Linux's `limit`). The AQM
/// parameters are those of net::QueueDiscConfig, with Linux's defaults.
struct QueueSpec {
  QueueDiscipline discipline = QueueDiscipline::kDropTail;
  std::int64_t packets = 100;  ///< codel: 1000, fq_codel: 10240 unless given (Linux)
  std::int64_t bytes = 0;
  bool ecn = false;            ///< mark CE instead of dropping; fq_codel: true unless given (Linux)
  Duration target = Duration::milliseconds(5);      ///< codel, fq_codel
  Duration interval = Duration::milliseconds(100);  ///< codel, fq_codel
  std::int64_t flows = 1024;                        ///< fq_codel
  std::int64_t quantum = 1514;                      ///< fq_codel, bytes
  std::int64_t min = 0;                             ///< red: min threshold, bytes
  std::int64_t max = 0;                             ///< red: max threshold, bytes
  double max_p = 0.02;                              ///< red
  double weight = 0.002;                            ///< red: w_q
  std::int64_t avpkt = 1000;                        ///< red, bytes
  bool gentle = false;                              ///< red

  bool operator==(const QueueSpec&) const = default;
};

/// One direction of a link.
struct DirectionSpec {
  DataRate bandwidth;           ///< DataRate::infinite() for no serialisation delay
  Duration delay;               ///< propagation delay, >= 0
  Duration jitter;              ///< random extra delay, up to this much, >= 0
  QueueSpec queue;
  std::int64_t mtu = 1500;      ///< bytes of IP packet, 68..65535
  LossSpec loss;
  std::vector<DropRule> drop;   ///< applied before random loss, in order
  ImpairmentSpec impairments;  ///< duplicate, corrupt, reorder

  bool operator==(const DirectionSpec&) const = default;
};

struct LinkEnd {
  std::string node;          ///< a host or router
  InterfaceAddress address;  ///< given on the end, or (hosts only) the host's address

  bool operator==(const LinkEnd&) const = default;
};

/// A point-to-point link. Both ends' addresses are in one subnet.
struct LinkSpec {
  std::string name;
  LinkEnd a;
  LinkEnd b;
  DirectionSpec a_to_b;
  DirectionSpec b_to_a;

  bool operator==(const LinkSpec&) const = default;
};

/// An application's processing time: drawn per event, uniformly in
/// [min, max]; min == max is a fixed time.
struct DurationRange {
  Duration min;
  Duration max;

  bool operator==(const DurationRange&) const = default;
};

/// Which server an http_server behaves as; kAuto follows the host's TCP
/// profile: linux -> nginx, windows -> iis.
enum class ServerProfile { kAuto, kNginx, kIis };

struct HttpServerApp {
  std::string host;
  std::uint16_t port = 80;
  std::filesystem::path site;  ///< absolute, normalised path of an existing folder
  /// Idle time before the server closes; 0 = close after each response; unset = the profile's.
  std::optional<Duration> keep_alive_timeout;
  std::optional<DurationRange> processing_delay;  ///< request to response; unset = the profile's
  ServerProfile profile = ServerProfile::kAuto;
  /// Also serve HTTP/2 with prior knowledge (h2c): a client that opens with
  /// the HTTP/2 connection preface gets HTTP/2, any other HTTP/1.1.
  bool h2c = false;

  bool operator==(const HttpServerApp&) const = default;
};

enum class BrowserProfile { kChrome, kIe, kHttp10, kCurl };

/// What a browser speaks: HTTP/1.1, or HTTP/2 with prior knowledge (h2c, no TLS).
enum class HttpProtocol { kH1, kH2 };

/// Loads `url` and its subresources `page_loads` times, `think_time` apart.
/// `type: curl` is a BrowserApp with profile kCurl: `urls` fetched in order.
struct BrowserApp {
  std::string host;
  std::string url;  ///< "http://HOST[:PORT]/PATH", checked for that shape only
  BrowserProfile profile = BrowserProfile::kChrome;
  HttpProtocol protocol = HttpProtocol::kH1;
  std::optional<int> max_connections;  ///< per server, 1..256; unset = profile's
  std::optional<int> pipelining;       ///< requests in flight per connection, 0 = none, 0..64; unset = profile's
  std::int64_t page_loads = 1;         ///< >= 1
  Duration think_time;                 ///< between the end of one load and the start of the next
  Duration start;                      ///< first load, since t=0
  /// Hold <body background> and CSS images until the page's <img>s have loaded; unset = profile's
  std::optional<bool> backgrounds_wait_for_images;
  std::vector<std::string> extra_urls;  ///< curl: the URLs after the first
  bool parallel = false;  ///< curl: one connection per URL, all at once
  /// `type: curl`: fetch exactly url + extra_urls. A `browser` app with
  /// profile curl instead stands for curl given the page and the URLs it
  /// references, in the order the page names them (it reads the HTML).
  bool url_list = false;
  std::optional<bool> close_on_server_fin;         ///< unset = the profile's
  std::optional<std::string> user_agent;           ///< unset = the profile's
  std::optional<DurationRange> preconnect_delay;   ///< unset = the profile's (all five)
  std::optional<DurationRange> request_delay;
  std::optional<DurationRange> connect_delay;  ///< between back-to-back connects (BrowserProfile::connect_delay)
  std::optional<DurationRange> read_delay;         ///< socket readable -> the client's read
  std::optional<DurationRange> renderer_delay;
  std::optional<DurationRange> favicon_delay;
  std::optional<DurationRange> close_after;

  bool operator==(const BrowserApp&) const = default;
};

/// Sends `bytes` from `from` to `to`, which listens on `port`.
struct BulkApp {
  std::string from;
  std::string to;
  std::uint16_t port = 5001;
  std::int64_t bytes = 0;  ///< >= 1
  Duration start;          ///< connection attempt, since t=0

  bool operator==(const BulkApp&) const = default;
};

/// Which side of a `teardown` connection closes first, and how.
enum class CloseOrder {
  kClientFirst,   ///< the client closes; the server closes `second_close_after` after the client's FIN
  kServerFirst,   ///< the server closes; the client closes `second_close_after` after the server's FIN
  kSimultaneous,  ///< both close at the same time: the FINs cross (CLOSING on both sides)
  kMergedFin,     ///< the client closes; the server closes as soon as it sees the FIN (FIN,ACK / FIN,ACK / ACK)
};

/// One TCP connection from `client` to `server` (which listens on `port`):
/// each side sends `bytes` bytes, then the connection closes in the way
/// `close` names.
struct TeardownApp {
  std::string client;
  std::string server;
  std::uint16_t port = 7000;
  CloseOrder close = CloseOrder::kClientFirst;
  std::int64_t bytes = 64;                                   ///< sent by each side, 0..65536
  Duration start;                                            ///< connection attempt, since t=0
  Duration close_after = Duration::milliseconds(100);        ///< first close, since `start`; > 0
  Duration second_close_after = Duration::milliseconds(200); ///< client_first/server_first: FIN to second close

  bool operator==(const TeardownApp&) const = default;
};

struct AppSpec {
  std::string name;
  std::variant<HttpServerApp, BrowserApp, BulkApp, TeardownApp> config;

  bool operator==(const AppSpec&) const = default;
};

enum class CaptureFormat { kPcap, kPcapng };
enum class CaptureTarget { kNode, kLink };

struct CaptureSpec {
  std::string name;
  CaptureTarget target = CaptureTarget::kNode;
  std::string target_name;  ///< the node or link captured
  CaptureFormat format = CaptureFormat::kPcapng;
  std::string file;  ///< plain file name in the output folder, unique, ends in ".pcap"/".pcapng"

  bool operator==(const CaptureSpec&) const = default;
};

struct TraceSpec {
  bool tcp_states = false;  ///< TCP state transitions
  bool cwnd = false;        ///< congestion window changes

  bool operator==(const TraceSpec&) const = default;
};

struct Scenario {
  std::string name;         ///< also the default output folder name
  std::string description;  ///< free text, may be empty
  std::uint64_t seed = 1;
  UtcTime start_time = kDefaultStartTime;  ///< calendar time of simulated t=0
  StopSpec stop;
  std::vector<HostSpec> hosts;
  std::vector<RouterSpec> routers;
  std::vector<LinkSpec> links;
  std::vector<AppSpec> apps;
  std::vector<CaptureSpec> captures;
  TraceSpec traces;

  bool operator==(const Scenario&) const = default;
};

}  // namespace wiresim::scenario
