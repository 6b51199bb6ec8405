#include "wiresim/http/parser.hpp"

#include "wiresim/http/framing.hpp"

namespace wiresim::http {
namespace {

using Event = MessageReader::Event;

template <class Message>
std::optional<Parsed<Message>> pop_front(std::deque<Parsed<Message>>& queue) {
  if (queue.empty()) return std::nullopt;
  Parsed<Message> front = std::move(queue.front());
  queue.pop_front();
  return front;
}

/// RFC 9112 §3.2: an HTTP/1.1 request carries exactly one Host field.
bool host_ok(Version version, const Headers& fields) {
  return version == Version::kHttp10 || fields.count("Host") == 1;
}

}  // namespace

void RequestParser::feed(std::string_view data) {
  for (;;) {
    switch (reader_.step(data)) {
      case Event::kNeedMore:
      case Event::kError: return;
      case Event::kHead: on_head(); break;
      case Event::kComplete: on_complete(); break;
    }
  }
}

void RequestParser::finish() {
  if (reader_.finish() == Event::kComplete) on_complete();
}

std::optional<Parsed<Request>> RequestParser::next() { return pop_front(ready_); }

void RequestParser::on_head() {
  Result<RequestLine> line = parse_request_line(reader_.start_line());
  if (!line) return reader_.fail(line.error());
  if (!host_ok(line.value().version, reader_.fields())) return reader_.fail(ParseError::kBadHost);
  Result<BodyFraming> framing = request_framing(line.value().version, reader_.fields());
  if (!framing) return reader_.fail(framing.error());
  line_ = std::move(line).value();
  reader_.begin_body(framing.value());
}

void RequestParser::on_complete() {
  MessageParts parts = reader_.take();
  Request request{std::move(line_.method), std::move(line_.target), line_.version, std::move(parts.fields),
                  Body(std::move(parts.body))};
  ready_.push_back({std::move(request), std::move(parts.trailers), parts.head_size, parts.body_size, parts.summary});
}

void ResponseParser::feed(std::string_view data) {
  for (;;) {
    switch (reader_.step(data)) {
      case Event::kNeedMore:
      case Event::kError: return;
      case Event::kHead: on_head(); break;
      case Event::kComplete: on_complete(); break;
    }
  }
}

void ResponseParser::finish() {
  if (reader_.finish() == Event::kComplete) on_complete();
}

std::optional<Parsed<Response>> ResponseParser::next() { return pop_front(ready_); }

void ResponseParser::on_head() {
  Result<StatusLine> line = parse_status_line(reader_.start_line());
  if (!line) return reader_.fail(line.error());
  const StatusLine& s = line.value();
  const bool interim = s.status < 200;
  const bool expected = !interim && !expected_.empty();
  const std::string_view method = expected ? std::string_view(expected_.front().method) : "GET";
  const bool keep = !expected || expected_.front().keep_body;
  Result<BodyFraming> framing = response_framing(s.version, s.status, method, reader_.fields());
  if (!framing) return reader_.fail(framing.error());
  if (expected) expected_.pop_front();
  reader_.begin_body(framing.value(), keep);
  current_ = Response{s.version, s.status, s.reason, reader_.take_fields(), Body{}};
}

void ResponseParser::on_complete() {
  MessageParts parts = reader_.take();
  Response response = std::move(*current_);
  current_.reset();
  response.body = Body(std::move(parts.body));
  ready_.push_back({std::move(response), std::move(parts.trailers), parts.head_size, parts.body_size, parts.summary});
}

}  // namespace wiresim::http
