#include "wiresim/http/h2/client_session.hpp"

#include <nghttp2/nghttp2.h>

#include <algorithm>

#include <fmt/format.h>

#include "wiresim/http/h2/messages.hpp"

namespace wiresim::http::h2 {

std::int32_t weight_of(Priority p) {
  // Spdy3PriorityToHttp2Weight: 255.9 / 7 * (7 - p), truncated, plus 1.
  switch (p) {
    case Priority::kHighest: return 256;
    case Priority::kMedium: return 220;
    case Priority::kLow: return 183;
    case Priority::kLowest: return 147;
    case Priority::kIdle: return 110;
  }
  return 147;
}

std::string priority_field_value(StreamPriority p) {
  constexpr int kDefaultUrgency = 3;  // RFC 9218 §4.1
  const int urgency = static_cast<int>(p.priority);
  std::string out;
  if (urgency != kDefaultUrgency) out = fmt::format("u={}", urgency);
  if (p.incremental) out += out.empty() ? "i" : ", i";  // RFC 8941 §4.1.2: a true Boolean is the bare key
  return out;
}

ClientSession::ClientSession(ClientSessionSink& sink, const ParserLimits& limits)
    : sink_(sink),
      limits_(limits),
      session_(Session::Role::kClient, *this,
               {{NGHTTP2_SETTINGS_HEADER_TABLE_SIZE, kHeaderTableSize},
                {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
                {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kInitialWindowSize},
                {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, kMaxHeaderListSize}},
               kConnectionWindow, kMaxHeaderListSize) {}

bool ClientSession::submit(std::uint64_t tag, const Request& request, StreamPriority priority) {
  if (goaway_) return false;
  HeaderList headers = request_header_list(request);
  // CreateSpdyHeadersFromHttpRequest: after the request's own fields, unless it has one.
  const std::string value = priority_field_value(priority);
  const bool has_field =
      std::any_of(headers.begin(), headers.end(), [](const auto& f) { return f.first == "priority"; });
  if (!value.empty() && !has_field) headers.emplace_back("priority", value);
  queued_.push_back(Queued{tag, std::move(headers), priority.priority});
  return true;
}

std::string ClientSession::pull(std::size_t max_bytes) {
  open_queued();
  return session_.pull(max_bytes);
}

/// The queued requests' HEADERS, each depending on what is open now.
void ClientSession::open_queued() {
  std::vector<Queued> queued;
  queued.swap(queued_);
  for (Queued& q : queued) {
    const std::int32_t id = session_.submit_request(q.headers, weight_of(q.priority), parent_for(q.priority), true);
    if (id < 0) {
      sink_.on_stream_failed(q.tag, "HTTP/2 stream ids exhausted", true);
      continue;
    }
    Stream s;
    s.tag = q.tag;
    s.priority = q.priority;
    s.order = ++next_order_;
    streams_.emplace(id, std::move(s));
  }
}

/// The newest open stream of `priority`, else of the next more urgent one,
/// ...; else stream 0 (the dependency is exclusive).
std::int32_t ClientSession::parent_for(Priority priority) const {
  for (int level = static_cast<int>(priority); level >= 0; --level) {
    std::int32_t parent = 0;
    std::uint64_t newest = 0;
    for (const auto& [id, s] : streams_) {
      if (static_cast<int>(s.priority) == level && s.order > newest) {
        parent = id;
        newest = s.order;
      }
    }
    if (parent != 0) return parent;
  }
  return 0;
}

bool ClientSession::got_bytes(std::uint64_t tag) const {
  for (const auto& [id, s] : streams_) {
    if (s.tag == tag) return s.got_bytes;
  }
  return false;
}

void ClientSession::fail_all(const std::string& error, bool retry_untouched) {
  std::map<std::int32_t, Stream> failed;
  failed.swap(streams_);
  std::vector<Queued> queued;
  queued.swap(queued_);
  for (const auto& [id, s] : failed) sink_.on_stream_failed(s.tag, error, retry_untouched && !s.got_bytes);
  for (const Queued& q : queued) sink_.on_stream_failed(q.tag, error, retry_untouched);
}

void ClientSession::on_headers(std::int32_t stream, HeaderList&& headers, std::size_t block_bytes, bool end_stream) {
  const auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  Stream& s = it->second;
  s.got_bytes = true;
  s.head_size += block_bytes;
  if (!s.head) {
    std::string error;
    std::optional<Response> r = response_from(headers, error);
    if (!r) {
      s.problem = error;
      session_.reset_stream(stream, NGHTTP2_PROTOCOL_ERROR);
      return;
    }
    if (r->status < 200) {  // interim 1xx: the final response's HEADERS follow
      s.head.reset();
    } else {
      s.head = std::move(*r);
    }
  }
  if (end_stream) return complete(stream);
  sink_.on_stream_progress(s.tag, s.head ? &*s.head : nullptr, s.body);
}

void ClientSession::on_data(std::int32_t stream, std::string_view bytes) {
  const auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  Stream& s = it->second;
  s.got_bytes = true;
  s.body_size += bytes.size();
  if (s.body.size() + bytes.size() > limits_.max_body) {
    s.problem = fmt::format("response body over {} bytes", limits_.max_body);
    session_.reset_stream(stream, NGHTTP2_CANCEL);
    return;
  }
  s.body.append(bytes);
  sink_.on_stream_progress(s.tag, s.head ? &*s.head : nullptr, s.body);
}

void ClientSession::on_data_end(std::int32_t stream) { complete(stream); }

/// END_STREAM: the response is complete (RFC 9113 §8.1).
void ClientSession::complete(std::int32_t stream) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  Stream s = std::move(it->second);
  streams_.erase(it);
  if (!s.head) {
    sink_.on_stream_failed(s.tag, "stream ended without a final response (RFC 9113 section 8.1)", false);
    return;
  }
  Parsed<Response> p;
  p.message = std::move(*s.head);
  p.message.body = Body(std::move(s.body));
  p.head_size = s.head_size;
  p.body_size = s.body_size;
  sink_.on_stream_response(s.tag, std::move(p));
}

void ClientSession::on_stream_closed(std::int32_t stream, std::uint32_t error_code) {
  const auto it = streams_.find(stream);
  if (it == streams_.end()) return;  // completed already
  const Stream s = std::move(it->second);
  streams_.erase(it);
  std::string error;
  bool retryable = false;
  if (!s.problem.empty()) {
    error = "HTTP/2 stream reset by the browser: " + s.problem;
  } else if (goaway_ && stream > goaway_->first) {
    // RFC 9113 §6.8: streams above the last one were not processed; they may be retried.
    error = fmt::format("HTTP/2 stream not processed: the server sent GOAWAY ({}) with last stream {}",
                        error_code_name(goaway_->second), goaway_->first);
    retryable = !s.got_bytes;
  } else if (error_code == NGHTTP2_REFUSED_STREAM) {
    // RFC 9113 §8.7: a refused stream was not processed; it may be retried.
    error = "HTTP/2 stream refused by the server (REFUSED_STREAM)";
    retryable = !s.got_bytes;
  } else {
    error = "HTTP/2 stream reset by the server (" + error_code_name(error_code) + ")";
  }
  sink_.on_stream_failed(s.tag, error, retryable);
}

void ClientSession::on_goaway(std::int32_t last_stream, std::uint32_t error_code) {
  goaway_ = std::pair{last_stream, error_code};
  // RFC 9113 §6.8: no new streams; those not sent yet were not processed.
  std::vector<Queued> queued;
  queued.swap(queued_);
  for (const Queued& q : queued) {
    sink_.on_stream_failed(q.tag, "HTTP/2 connection going away (GOAWAY received)", true);
  }
}

void ClientSession::on_stream_problem(std::int32_t stream, const std::string& why) {
  const auto it = streams_.find(stream);
  if (it != streams_.end()) it->second.problem = why;
}

}  // namespace wiresim::http::h2
