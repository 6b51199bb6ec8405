#include "wiresim/http/h2/session.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

#include <fmt/format.h>
#include <nghttp2/nghttp2.h>

namespace wiresim::http::h2 {
namespace {

/// RFC 9113 §6.9.2: every window starts at 65535 octets.
constexpr std::int32_t kDefaultWindow = 65535;

std::vector<nghttp2_nv> to_nv(const HeaderList& headers) {
  std::vector<nghttp2_nv> nv;
  nv.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    // nghttp2 takes non-const pointers but only reads them (NO_COPY flags off: it copies).
    nv.push_back(nghttp2_nv{reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
                            reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(),
                            value.size(), NGHTTP2_NV_FLAG_NONE});
  }
  return nv;
}

}  // namespace

std::string error_code_name(std::uint32_t code) {
  switch (code) {
    case NGHTTP2_NO_ERROR: return "NO_ERROR";
    case NGHTTP2_PROTOCOL_ERROR: return "PROTOCOL_ERROR";
    case NGHTTP2_INTERNAL_ERROR: return "INTERNAL_ERROR";
    case NGHTTP2_FLOW_CONTROL_ERROR: return "FLOW_CONTROL_ERROR";
    case NGHTTP2_SETTINGS_TIMEOUT: return "SETTINGS_TIMEOUT";
    case NGHTTP2_STREAM_CLOSED: return "STREAM_CLOSED";
    case NGHTTP2_FRAME_SIZE_ERROR: return "FRAME_SIZE_ERROR";
    case NGHTTP2_REFUSED_STREAM: return "REFUSED_STREAM";
    case NGHTTP2_CANCEL: return "CANCEL";
    case NGHTTP2_COMPRESSION_ERROR: return "COMPRESSION_ERROR";
    case NGHTTP2_CONNECT_ERROR: return "CONNECT_ERROR";
    case NGHTTP2_ENHANCE_YOUR_CALM: return "ENHANCE_YOUR_CALM";
    case NGHTTP2_INADEQUATE_SECURITY: return "INADEQUATE_SECURITY";
    case NGHTTP2_HTTP_1_1_REQUIRED: return "HTTP_1_1_REQUIRED";
    default: return fmt::format("error 0x{:x}", code);
  }
}

std::string_view client_preface() { return {NGHTTP2_CLIENT_MAGIC, NGHTTP2_CLIENT_MAGIC_LEN}; }

/// nghttp2's C callbacks, forwarding to the Session in user_data.
struct Session::Callbacks {
  static Session& self(void* user_data) { return *static_cast<Session*>(user_data); }

  static int on_begin_headers(nghttp2_session* /*s*/, const nghttp2_frame* frame, void* user_data) {
    Session& me = self(user_data);
    me.headers_in_[frame->hd.stream_id].clear();
    me.list_bytes_[frame->hd.stream_id] = 0;
    return 0;
  }

  static int on_header(nghttp2_session* /*s*/, const nghttp2_frame* frame, const std::uint8_t* name,
                       std::size_t namelen, const std::uint8_t* value, std::size_t valuelen, std::uint8_t /*flags*/,
                       void* user_data) {
    Session& me = self(user_data);
    const std::int32_t stream = frame->hd.stream_id;
    // RFC 9113 §6.5.2: each field counts its name, its value and 32 octets.
    std::size_t& size = me.list_bytes_[stream];
    size += namelen + valuelen + 32;
    if (size > me.max_header_list_) {
      me.handler_.on_stream_problem(
          stream, fmt::format("header list of more than {} bytes (SETTINGS_MAX_HEADER_LIST_SIZE)", me.max_header_list_));
      me.headers_in_.erase(stream);
      // nghttp2 resets the stream (RST_STREAM INTERNAL_ERROR) and ignores the rest of the block.
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    me.headers_in_[stream].emplace_back(std::string(reinterpret_cast<const char*>(name), namelen),
                                        std::string(reinterpret_cast<const char*>(value), valuelen));
    return 0;
  }

  static int on_begin_frame(nghttp2_session* /*s*/, const nghttp2_frame_hd* hd, void* user_data) {
    Session& me = self(user_data);
    if (hd->type == NGHTTP2_HEADERS) me.block_bytes_[hd->stream_id] = hd->length;
    if (hd->type == NGHTTP2_CONTINUATION) me.block_bytes_[hd->stream_id] += hd->length;
    return 0;
  }

  static int on_frame_recv(nghttp2_session* /*s*/, const nghttp2_frame* frame, void* user_data) {
    Session& me = self(user_data);
    const std::int32_t stream = frame->hd.stream_id;
    const bool end_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
    switch (frame->hd.type) {
      case NGHTTP2_HEADERS: {
        auto it = me.headers_in_.find(stream);
        if (it == me.headers_in_.end()) break;
        HeaderList headers = std::move(it->second);
        me.headers_in_.erase(it);
        const std::size_t block = me.block_bytes_[stream];
        me.block_bytes_.erase(stream);
        me.list_bytes_.erase(stream);
        me.handler_.on_headers(stream, std::move(headers), block, end_stream);
        break;
      }
      case NGHTTP2_DATA:
        if (end_stream) me.handler_.on_data_end(stream);
        break;
      case NGHTTP2_SETTINGS:
        if ((frame->hd.flags & NGHTTP2_FLAG_ACK) == 0) me.peer_settings_ = true;
        break;
      case NGHTTP2_GOAWAY:
        me.handler_.on_goaway(frame->goaway.last_stream_id, frame->goaway.error_code);
        break;
      default: break;
    }
    return 0;
  }

  static int on_frame_send(nghttp2_session* /*s*/, const nghttp2_frame* frame, void* user_data) {
    Session& me = self(user_data);
    if (frame->hd.type != NGHTTP2_GOAWAY || frame->goaway.error_code == NGHTTP2_NO_ERROR || !me.failure_.empty()) {
      return 0;
    }
    std::string reason(reinterpret_cast<const char*>(frame->goaway.opaque_data), frame->goaway.opaque_data_len);
    if (reason.empty()) reason = me.error_;
    me.failure_ = reason.empty() ? fmt::format("GOAWAY {} sent", error_code_name(frame->goaway.error_code))
                                 : fmt::format("{} (GOAWAY {} sent)", reason, error_code_name(frame->goaway.error_code));
    return 0;
  }

  static int on_data_chunk(nghttp2_session* /*s*/, std::uint8_t /*flags*/, std::int32_t stream,
                           const std::uint8_t* data, std::size_t len, void* user_data) {
    self(user_data).handler_.on_data(stream, std::string_view(reinterpret_cast<const char*>(data), len));
    return 0;
  }

  static int on_stream_close(nghttp2_session* /*s*/, std::int32_t stream, std::uint32_t error_code, void* user_data) {
    Session& me = self(user_data);
    me.bodies_.erase(stream);
    me.headers_in_.erase(stream);
    me.block_bytes_.erase(stream);
    me.list_bytes_.erase(stream);
    me.handler_.on_stream_closed(stream, error_code);
    return 0;
  }

  static int on_error(nghttp2_session* /*s*/, int /*lib_error_code*/, const char* msg, std::size_t len,
                      void* user_data) {
    Session& me = self(user_data);
    if (me.error_.empty()) me.error_.assign(msg, len);
    return 0;
  }

  static ssize_t read_body(nghttp2_session* /*s*/, std::int32_t stream, std::uint8_t* buf, std::size_t length,
                           std::uint32_t* data_flags, nghttp2_data_source* /*source*/, void* user_data) {
    Session& me = self(user_data);
    const auto it = me.bodies_.find(stream);
    if (it == me.bodies_.end()) {
      *data_flags |= NGHTTP2_DATA_FLAG_EOF;
      return 0;
    }
    Body& b = it->second;
    const std::size_t size = b.bytes ? b.bytes->size() : 0;
    const std::size_t n = std::min({length, b.chunk, size - b.offset});
    if (n > 0) std::memcpy(buf, b.bytes->data() + b.offset, n);
    b.offset += n;
    if (b.offset >= size) *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

Session::Session(Role role, SessionHandler& handler, const std::vector<Setting>& settings,
                 std::int32_t connection_window, std::size_t max_header_list)
    : handler_(handler), max_header_list_(max_header_list) {
  nghttp2_session_callbacks* cb = nullptr;
  if (nghttp2_session_callbacks_new(&cb) != 0) throw std::bad_alloc();
  nghttp2_session_callbacks_set_on_begin_headers_callback(cb, &Callbacks::on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(cb, &Callbacks::on_header);
  nghttp2_session_callbacks_set_on_begin_frame_callback(cb, &Callbacks::on_begin_frame);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, &Callbacks::on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, &Callbacks::on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_send_callback(cb, &Callbacks::on_frame_send);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, &Callbacks::on_stream_close);
  nghttp2_session_callbacks_set_error_callback2(cb, &Callbacks::on_error);
  nghttp2_option* opt = nullptr;
  if (nghttp2_option_new(&opt) != 0) {
    nghttp2_session_callbacks_del(cb);
    throw std::bad_alloc();
  }
  // The only clock nghttp2 reads: a burst no run reaches keeps it from deciding anything.
  nghttp2_option_set_stream_reset_rate_limit(opt, std::numeric_limits<std::uint64_t>::max(),
                                             std::numeric_limits<std::uint64_t>::max());
  nghttp2_option_set_max_send_header_block_length(opt, 64 * 1024);
  // nginx 1.22 refuses a field value only for NUL, CR or LF
  // (ngx_http_v2_validate_header); nghttp2 would also reset a stream whose
  // value starts or ends with a space or tab (RFC 9113 §8.2.1).
  if (role == Role::kServer) nghttp2_option_set_no_rfc9113_leading_and_trailing_ws_validation(opt, 1);
  const int rv = role == Role::kClient ? nghttp2_session_client_new2(&session_, cb, this, opt)
                                       : nghttp2_session_server_new2(&session_, cb, this, opt);
  nghttp2_option_del(opt);
  nghttp2_session_callbacks_del(cb);
  if (rv != 0) throw std::bad_alloc();
  std::vector<nghttp2_settings_entry> entries;
  for (const Setting& s : settings) entries.push_back(nghttp2_settings_entry{s.id, s.value});
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, entries.data(), entries.size());
  if (connection_window > kDefaultWindow) {
    // Sends WINDOW_UPDATE(0, connection_window - 65535) and keeps nghttp2's
    // own accounting (its automatic WINDOW_UPDATEs) in step with it.
    nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, connection_window);
  }
}

Session::~Session() { nghttp2_session_del(session_); }

std::string Session::receive(std::span<const std::uint8_t> bytes) {
  error_.clear();
  const ssize_t rv = nghttp2_session_mem_recv(session_, bytes.data(), bytes.size());
  if (rv < 0) {
    return error_.empty() ? std::string(nghttp2_strerror(static_cast<int>(rv)))
                          : fmt::format("{} ({})", error_, nghttp2_strerror(static_cast<int>(rv)));
  }
  return {};
}

std::string Session::pull(std::size_t max_bytes) {
  std::string out;
  while (out.size() < max_bytes) {
    const std::uint8_t* data = nullptr;
    const ssize_t n = nghttp2_session_mem_send(session_, &data);
    if (n <= 0) break;
    out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
  }
  return out;
}

bool Session::wants_write() const { return nghttp2_session_want_write(session_) != 0; }

std::int32_t Session::submit_request(const HeaderList& headers, std::int32_t weight, std::int32_t depends_on,
                                     bool exclusive) {
  const std::vector<nghttp2_nv> nv = to_nv(headers);
  nghttp2_priority_spec pri;
  nghttp2_priority_spec_init(&pri, depends_on, weight, exclusive ? 1 : 0);
  const std::int32_t id =
      nghttp2_submit_request(session_, weight > 0 ? &pri : nullptr, nv.data(), nv.size(), nullptr, nullptr);
  return id < 0 ? -1 : id;
}

void Session::submit_response(std::int32_t stream, const HeaderList& headers,
                              std::shared_ptr<const std::string> body, std::size_t chunk) {
  const std::vector<nghttp2_nv> nv = to_nv(headers);
  if (!body || body->empty()) {
    nghttp2_submit_response(session_, stream, nv.data(), nv.size(), nullptr);
    return;
  }
  bodies_[stream] = Body{std::move(body), 0, std::max<std::size_t>(chunk, 1)};
  nghttp2_data_provider provider{};
  provider.read_callback = &Callbacks::read_body;
  nghttp2_submit_response(session_, stream, nv.data(), nv.size(), &provider);
}

void Session::reset_stream(std::int32_t stream, std::uint32_t error_code) {
  nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream, error_code);
}

void Session::goaway(std::uint32_t error_code) {
  nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(session_), error_code,
                        nullptr, 0);
}

std::uint32_t Session::peer_max_concurrent_streams(std::uint32_t before_settings) const {
  if (!peer_settings_) return before_settings;
  return nghttp2_session_get_remote_settings(session_, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
}

}  // namespace wiresim::http::h2
