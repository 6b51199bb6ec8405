#pragma once
/// One HTTP/2 connection's framing, HPACK and flow control (RFC 9113,
/// RFC 7541): a thin owner of an nghttp2 session driven only by our bytes.
/// Bytes the peer sent go in through receive() (nghttp2_session_mem_recv),
/// bytes to send come out of pull() (nghttp2_session_mem_send); nghttp2
/// never sees a socket or a clock of ours. This is the only code in wiresim
/// that knows frames and HPACK; ClientSession and H2ServerConnection use it.
///
/// Determinism: nghttp2 1.52 draws no random numbers; the one clock it
/// reads (the RST_STREAM rate limit Debian backported for CVE-2023-44487,
/// nghttp2_option_set_stream_reset_rate_limit) is given an unreachable
/// burst, so time never decides a byte. Outgoing DATA is scheduled by
/// nghttp2's RFC 7540 priority tree (a stream's DATA only while no ancestor
/// has any; siblings by weight, cycle and stream id).

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct nghttp2_session;

namespace wiresim::http::h2 {

/// Header fields in order, names lowercase (RFC 9113 §8.2.1), pseudo-headers first.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// One SETTINGS parameter (RFC 9113 §6.5.2): identifier and value.
struct Setting {
  std::int32_t id = 0;
  std::uint32_t value = 0;
};

/// RFC 9113 §7 error code names ("PROTOCOL_ERROR"), or "error 0x..".
[[nodiscard]] std::string error_code_name(std::uint32_t code);

/// The 24-byte client connection preface (RFC 9113 §3.4).
[[nodiscard]] std::string_view client_preface();

/// What a Session reports while receive() runs.
class SessionHandler {
 public:
  virtual ~SessionHandler() = default;
  /// A complete header block (HEADERS plus CONTINUATION) of `stream`:
  /// `block_bytes` is its HPACK-encoded size; `end_stream`: no DATA follows.
  virtual void on_headers(std::int32_t stream, HeaderList&& headers, std::size_t block_bytes, bool end_stream) = 0;
  /// DATA payload of `stream` (padding excluded).
  virtual void on_data(std::int32_t stream, std::string_view bytes) = 0;
  /// The peer ended `stream` (END_STREAM on DATA; on HEADERS on_headers says so).
  virtual void on_data_end(std::int32_t stream) = 0;
  /// `stream` is closed; `error_code` 0 (NO_ERROR) or why it was reset.
  virtual void on_stream_closed(std::int32_t stream, std::uint32_t error_code) = 0;
  /// A GOAWAY arrived: streams above `last_stream` were not processed.
  virtual void on_goaway(std::int32_t last_stream, std::uint32_t error_code) = 0;
  /// `stream` is being reset by this end for `why` (a header list over
  /// the limit); on_stream_closed follows.
  virtual void on_stream_problem(std::int32_t stream, const std::string& why) = 0;

 protected:
  SessionHandler() = default;
  SessionHandler(const SessionHandler&) = default;
  SessionHandler& operator=(const SessionHandler&) = default;
};

class Session {
 public:
  enum class Role { kClient, kServer };

  /// Queues our SETTINGS frame with `settings` and, if `connection_window`
  /// is above 65535, the connection-level WINDOW_UPDATE that raises our
  /// receive window to it (RFC 9113 §6.9.2). A client's first pull()
  /// starts with the connection preface. `max_header_list` bounds a
  /// received header block (decoded, RFC 9113 §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE).
  Session(Role role, SessionHandler& handler, const std::vector<Setting>& settings, std::int32_t connection_window,
          std::size_t max_header_list);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  /// Feeds bytes the peer sent. Returns "" or, for a connection error
  /// (malformed frame, bad preface, HPACK error, flow-control violation),
  /// what went wrong; nghttp2 has then queued a GOAWAY where the RFC asks
  /// for one, and the connection is useless.
  [[nodiscard]] std::string receive(std::span<const std::uint8_t> bytes);
  /// Up to about `max_bytes` of frames to send (whole frames; may be more
  /// by one frame), "" when nothing is ready or flow control blocks.
  [[nodiscard]] std::string pull(std::size_t max_bytes);
  /// Something is waiting to be sent.
  [[nodiscard]] bool wants_write() const;

  /// Opens a stream with a request's header block (END_STREAM: no body,
  /// as for GET). `weight`/`depends_on`/`exclusive` go in the HEADERS
  /// frame's priority fields (RFC 7540 §5.3, which Chromium still sends);
  /// weight 0: no priority fields. Returns the stream id, or -1 if no
  /// stream can be opened (ids exhausted, GOAWAY received).
  std::int32_t submit_request(const HeaderList& headers, std::int32_t weight = 0, std::int32_t depends_on = 0,
                              bool exclusive = false);
  /// Answers `stream`: HEADERS, then `body[0, size)` as DATA frames of at
  /// most `chunk` bytes each, as flow control allows (body null or empty:
  /// END_STREAM on HEADERS). The body is shared, not copied, until sent.
  void submit_response(std::int32_t stream, const HeaderList& headers, std::shared_ptr<const std::string> body,
                       std::size_t chunk);
  /// Resets `stream` with `error_code` (RST_STREAM, RFC 9113 §6.4).
  void reset_stream(std::int32_t stream, std::uint32_t error_code);
  /// Queues GOAWAY with `error_code` and the last stream processed (RFC 9113 §6.8).
  void goaway(std::uint32_t error_code);

  /// The peer's SETTINGS_MAX_CONCURRENT_STREAMS; `before_settings` until
  /// the peer's first SETTINGS frame has arrived.
  [[nodiscard]] std::uint32_t peer_max_concurrent_streams(std::uint32_t before_settings) const;
  /// The peer's first SETTINGS frame has arrived.
  [[nodiscard]] bool peer_settings_received() const { return peer_settings_; }
  /// "" or, once this end has sent a GOAWAY with an error code (nghttp2
  /// ends the connection that way on most connection errors, RFC 9113
  /// §5.4.1, and reports them only so), what went wrong.
  [[nodiscard]] const std::string& failure() const { return failure_; }

 private:
  struct Body {
    std::shared_ptr<const std::string> bytes;
    std::size_t offset = 0;
    std::size_t chunk = 0;
  };
  struct Callbacks;
  friend struct Callbacks;

  SessionHandler& handler_;
  nghttp2_session* session_ = nullptr;
  std::map<std::int32_t, HeaderList> headers_in_;  ///< header blocks being received, by stream
  std::map<std::int32_t, Body> bodies_;            ///< response bodies being sent, by stream
  std::map<std::int32_t, std::size_t> block_bytes_;   ///< HPACK bytes of the header block being received
  std::map<std::int32_t, std::size_t> list_bytes_;    ///< its decoded size (RFC 9113 §6.5.2 counting)
  std::size_t max_header_list_ = 0;
  std::string error_;   ///< set by a callback during receive()
  std::string failure_;  ///< see failure()
  bool peer_settings_ = false;
};

}  // namespace wiresim::http::h2
