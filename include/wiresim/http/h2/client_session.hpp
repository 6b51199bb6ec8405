#pragma once
/// The browser's side of one HTTP/2 connection, as Chromium's SpdySession
/// runs it: its SETTINGS and connection WINDOW_UPDATE, every request a
/// stream (odd ids 1, 3, 5, ...) with Chromium's two kinds of priority
/// (both, as Chromium sends them: see submit()), responses read per stream
/// in whatever order their frames arrive. The
/// bytes go through an h2::Session (nghttp2); the TCP socket, timers and
/// the connection's life stay with ClientConnection.
///
/// Chromium's values (net/http/http_network_session.{h,cc},
/// net/spdy/spdy_session.cc, M117 and later):
///   SETTINGS HEADER_TABLE_SIZE 65536 (kSpdyMaxHeaderTableSize),
///            ENABLE_PUSH 0 (kSpdyDisablePush),
///            INITIAL_WINDOW_SIZE 6291456 (kSpdyStreamMaxRecvWindowSize, 6 MB),
///            MAX_HEADER_LIST_SIZE 262144 (kSpdyMaxHeaderListSize);
///   WINDOW_UPDATE stream 0 +15663105 (kSpdySessionMaxRecvWindowSize,
///            15 MB, minus the initial 65535);
///   before the server's SETTINGS arrive it opens at most 100 streams
///            (kInitialMaxConcurrentStreams), then the server's limit.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/http/h2/session.hpp"
#include "wiresim/http/message.hpp"
#include "wiresim/http/parser.hpp"
#include "wiresim/http/parser_limits.hpp"

namespace wiresim::http::h2 {

/// Chromium's RequestPriority, most urgent first (net/base/request_priority.h).
/// The value is also the SPDY/3 priority (net/spdy/spdy_http_utils.cc
/// ConvertRequestPriorityToSpdyPriority: MAXIMUM_PRIORITY - priority) and
/// the RFC 9218 urgency (net/quic/quic_http_utils.cc
/// ConvertRequestPriorityToQuicPriority: HIGHEST - priority).
enum class Priority { kHighest = 0, kMedium = 1, kLow = 2, kLowest = 3, kIdle = 4 };

/// How Chromium asks for one request: its RequestPriority and the RFC 9218
/// incremental flag (net::HttpRequestInfo::priority_incremental).
struct StreamPriority {
  Priority priority = Priority::kLowest;
  bool incremental = false;

  bool operator==(const StreamPriority&) const = default;
};

/// The HTTP/2 weight of `p`: Chromium's Spdy3PriorityToHttp2Weight
/// (256, 220, 183, 147, 110).
[[nodiscard]] std::int32_t weight_of(Priority p);

/// The RFC 9218 `priority` field value of `p`, as quiche's
/// SerializePriorityFieldValue writes it (quic_stream_priority.cc): an
/// RFC 8941 dictionary with "u=N" unless the urgency is the default 3 and
/// "i" if incremental, so "u=0, i", "u=1", "i"; "" when both are defaults
/// (Chromium then sends no `priority` field at all).
[[nodiscard]] std::string priority_field_value(StreamPriority p);

/// What a ClientSession reports (from inside receive()). `tag` is the
/// caller's name for a request.
class ClientSessionSink {
 public:
  virtual ~ClientSessionSink() = default;
  /// Bytes of `tag`'s response arrived; `head` null until its HEADERS did.
  virtual void on_stream_progress(std::uint64_t tag, const Response* head, std::string_view body_so_far) = 0;
  /// `tag`'s complete response (END_STREAM).
  virtual void on_stream_response(std::uint64_t tag, Parsed<Response>&& response) = 0;
  /// No response to `tag` will come. `retryable`: the server did not
  /// process it (REFUSED_STREAM, or above a GOAWAY's last stream:
  /// RFC 9113 §8.7).
  virtual void on_stream_failed(std::uint64_t tag, const std::string& error, bool retryable) = 0;

 protected:
  ClientSessionSink() = default;
  ClientSessionSink(const ClientSessionSink&) = default;
  ClientSessionSink& operator=(const ClientSessionSink&) = default;
};

class ClientSession final : private SessionHandler {
 public:
  static constexpr std::uint32_t kHeaderTableSize = 65536;
  static constexpr std::uint32_t kInitialWindowSize = 6 * 1024 * 1024;
  static constexpr std::uint32_t kMaxHeaderListSize = 256 * 1024;
  static constexpr std::int32_t kConnectionWindow = 15 * 1024 * 1024;
  static constexpr std::uint32_t kInitialMaxConcurrentStreams = 100;

  ClientSession(ClientSessionSink& sink, const ParserLimits& limits);

  /// Queues a stream for `request` (answered under `tag`) with `priority`;
  /// its HEADERS frame is made at the next pull(), as Chromium makes it
  /// when its write loop takes it (SpdyStream's HeadersBufferProducer ->
  /// SpdySession::CreateHeaders), and so is the dependency. Chromium sends
  /// the priority twice (CreateHeaders, CreateSpdyHeadersFromHttpRequest):
  ///  - RFC 7540 §5.3 fields in the HEADERS frame: exclusive dependency on
  ///    the newest open stream of the same or a more urgent priority, else
  ///    on stream 0, weight weight_of() (Http2PriorityDependencies::
  ///    OnStreamCreation). Chromium stops only if the server's SETTINGS
  ///    carry SETTINGS_DEPRECATE_HTTP2_PRIORITIES = 1 and its
  ///    enable_priority_update is on, which it is not by default.
  ///  - the RFC 9218 `priority` header field, last in the header list,
  ///    with priority_field_value() (none when that is "").
  /// False if no stream can be opened (after a GOAWAY); a GOAWAY that
  /// arrives before the HEADERS are made fails the stream as retryable.
  bool submit(std::uint64_t tag, const Request& request, StreamPriority priority);
  /// Feeds the server's bytes; "" or the connection error.
  [[nodiscard]] std::string receive(std::span<const std::uint8_t> bytes) { return session_.receive(bytes); }
  /// Frames to send, about `max_bytes` at most ("" when none): first the
  /// HEADERS of the queued requests.
  [[nodiscard]] std::string pull(std::size_t max_bytes);

  /// Streams queued or opened and not yet finished.
  [[nodiscard]] std::size_t open_streams() const { return streams_.size() + queued_.size(); }
  /// Streams the server allows at a time (kInitialMaxConcurrentStreams until its SETTINGS).
  [[nodiscard]] std::uint32_t max_concurrent_streams() const {
    return session_.peer_max_concurrent_streams(kInitialMaxConcurrentStreams);
  }
  [[nodiscard]] bool goaway_received() const { return goaway_.has_value(); }
  /// Session::failure(): "" or the connection error this end ended the connection for.
  [[nodiscard]] const std::string& failure() const { return session_.failure(); }
  /// Some bytes of `tag`'s response have arrived.
  [[nodiscard]] bool got_bytes(std::uint64_t tag) const;
  /// Every open stream fails with `error`; retryable if nothing of its
  /// response arrived and `retry_untouched`.
  void fail_all(const std::string& error, bool retry_untouched);

 private:
  struct Stream {
    std::uint64_t tag = 0;
    Priority priority = Priority::kLowest;
    std::uint64_t order = 0;          ///< creation order, for dependencies
    std::optional<Response> head;
    std::string body;
    std::size_t head_size = 0;        ///< HPACK bytes of the response's header block
    std::uint64_t body_size = 0;      ///< DATA payload bytes
    bool got_bytes = false;
    std::string problem;              ///< why this end reset it
  };

  void on_headers(std::int32_t stream, HeaderList&& headers, std::size_t block_bytes, bool end_stream) override;
  void on_data(std::int32_t stream, std::string_view bytes) override;
  void on_data_end(std::int32_t stream) override;
  void on_stream_closed(std::int32_t stream, std::uint32_t error_code) override;
  void on_goaway(std::int32_t last_stream, std::uint32_t error_code) override;
  void on_stream_problem(std::int32_t stream, const std::string& why) override;
  void complete(std::int32_t stream);
  void open_queued();
  /// Http2PriorityDependencies::OnStreamCreation's parent for a new stream of `priority`.
  [[nodiscard]] std::int32_t parent_for(Priority priority) const;

  /// A request whose HEADERS are not made yet.
  struct Queued {
    std::uint64_t tag = 0;
    HeaderList headers;
    Priority priority = Priority::kLowest;
  };

  ClientSessionSink& sink_;
  ParserLimits limits_;
  Session session_;
  std::map<std::int32_t, Stream> streams_;  ///< open streams by id
  std::vector<Queued> queued_;              ///< in submit order
  std::uint64_t next_order_ = 0;
  std::optional<std::pair<std::int32_t, std::uint32_t>> goaway_;  ///< last stream, error code
};

}  // namespace wiresim::http::h2
