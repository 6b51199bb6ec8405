#pragma once
/// One HTTP/2 connection of an HttpServer (h2c with prior knowledge,
/// RFC 9113 §3.3), taken over from the HTTP/1.1 ServerConnection once the
/// client's first bytes were the connection preface. It answers every
/// request stream with the same reply_to() as HTTP/1.1 (same files,
/// fields, status codes), streams concurrently: each request waits its own
/// processing delay, and DATA frames of all open responses share the
/// connection as nghttp2's scheduler interleaves them.
///
/// nginx 1.22's HTTP/2 module (ngx_http_v2.c, ngx_http_v2_module.c):
///   SETTINGS MAX_CONCURRENT_STREAMS 128 (http2_max_concurrent_streams),
///            INITIAL_WINDOW_SIZE 65536 (http2_body_preread_size),
///            MAX_FRAME_SIZE 16777215 (NGX_HTTP_V2_MAX_FRAME_SIZE);
///   WINDOW_UPDATE stream 0 +2147418112 (NGX_HTTP_V2_MAX_WINDOW minus the
///            default 65535, ngx_http_v2_init);
///   DATA frames of at most 8192 bytes (http2_chunk_size 8k);
///   the idle connection is closed with GOAWAY(NO_ERROR) after
///   keepalive_timeout (which governs HTTP/2 since nginx 1.19.7).
/// Streams over the limit are refused (RST_STREAM REFUSED_STREAM), as
/// nginx does; a malformed frame ends the connection with GOAWAY.
///
/// Priorities. nginx 1.22 reads the RFC 7540 priority of HEADERS and
/// PRIORITY frames into a dependency tree (ngx_http_v2_state_headers,
/// ngx_http_v2_set_dependency) and queues each DATA frame behind those of
/// streams nearer the root, then of higher weight (ngx_http_v2_queue_frame:
/// node rank, then rel_weight); it has no code for the RFC 9218
/// `priority` field and sends no SETTINGS_NO_RFC7540_PRIORITIES. nghttp2's server here does the same
/// with the same data: it is not told no_rfc7540_priorities, so it sends
/// no such setting, keeps the RFC 7540 tree, ignores the `priority` field,
/// and sends a stream's DATA only while no ancestor has DATA to send
/// (nghttp2_stream_next_outbound_item). For the exclusive chains Chromium
/// builds the two orders are the same: the chain's. They would differ for
/// sibling streams of different weights (nginx: strictly by weight;
/// nghttp2: shares in proportion to weight), which Chromium never makes.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/http/h2/session.hpp"
#include "wiresim/http/message.hpp"
#include "wiresim/http/send_queue.hpp"
#include "wiresim/http/server_config.hpp"
#include "wiresim/http/accepted_connection.hpp"
#include "wiresim/http/site.hpp"
#include "wiresim/tcp/socket.hpp"

namespace wiresim::http::h2 {

class ServerConnection final : public AcceptedConnection, private SessionHandler {
 public:
  static constexpr std::uint32_t kMaxConcurrentStreams = 128;
  static constexpr std::uint32_t kInitialWindowSize = 65536;
  static constexpr std::uint32_t kMaxFrameSize = (1u << 24) - 1;
  static constexpr std::int32_t kConnectionWindow = 2147483647;
  static constexpr std::size_t kChunkSize = 8192;

  using AcceptedConnection::AcceptedConnection;

  /// Takes over `socket` (its unread bytes start with the preface): sends
  /// the SETTINGS and WINDOW_UPDATE, then reads what is there.
  void start(tcp::Socket socket) override;

  // tcp::SocketHandler
  void on_readable(tcp::Socket& s) override;
  void on_writable(tcp::Socket& s) override;
  void on_peer_closed(tcp::Socket& s) override;

 private:
  struct Pending {
    std::int32_t stream = 0;
    Request request;
  };

  // SessionHandler
  void on_headers(std::int32_t stream, HeaderList&& headers, std::size_t block_bytes, bool end_stream) override;
  void on_data(std::int32_t stream, std::string_view bytes) override;
  void on_data_end(std::int32_t stream) override;
  void on_stream_closed(std::int32_t stream, std::uint32_t error_code) override;
  void on_goaway(std::int32_t last_stream, std::uint32_t error_code) override;
  void on_stream_problem(std::int32_t stream, const std::string& why) override;

  /// nginx's SETTINGS (see above).
  [[nodiscard]] static std::vector<Setting> settings();
  void read_input();
  void accept_request(std::int32_t stream);
  void arm_processing();
  void on_processed();
  void answer(const Pending& p);
  void flush();
  [[nodiscard]] bool quiet() const;
  // AcceptedConnection
  void drop_work() override;
  void on_idle_timeout() override;

  Session session_{Session::Role::kServer, *this, settings(), kConnectionWindow, config_.limits.max_header_bytes};
  SendQueue out_;
  std::map<std::int32_t, Request> receiving_;      ///< request streams whose END_STREAM has not come
  std::multimap<Time, Pending> processing_;        ///< by the time their response is ready (then arrival order)
  std::map<std::int32_t, bool> open_;              ///< streams not closed yet
  bool closing_ = false;   ///< GOAWAY sent after an error or the idle timeout: close once written
};

}  // namespace wiresim::http::h2
