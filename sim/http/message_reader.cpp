#include "wiresim/http/message_reader.hpp"

#include <cassert>

namespace wiresim::http {

MessageReader::Event MessageReader::step(std::string_view& data) {
  if (error_) return Event::kError;
  if (!body_) {
    assert(!head_.done() && "begin_body() or fail() must follow kHead");
    data.remove_prefix(head_.feed(data));
    if (head_.error()) return fail_event(*head_.error());
    return head_.done() ? Event::kHead : Event::kNeedMore;
  }
  data.remove_prefix(body_->feed(data));
  if (body_->error()) return fail_event(*body_->error());
  return body_->done() ? Event::kComplete : Event::kNeedMore;
}

MessageReader::Event MessageReader::finish() {
  if (error_) return Event::kError;
  if (body_) {
    body_->finish();
    if (body_->error()) return fail_event(*body_->error());
    return Event::kComplete;
  }
  return head_.started() ? fail_event(ParseError::kIncomplete) : Event::kNeedMore;
}

MessageParts MessageReader::take() {
  assert(body_ && body_->done());
  MessageParts parts{head_.start_line(), head_.take_fields(), body_->take_body(), body_->take_trailers(),
                     head_.size(), body_->wire_size(), body_->summary()};
  head_ = HeadReader(HeadReader::Mode::kMessageHead, limits_);
  body_.reset();
  return parts;
}

}  // namespace wiresim::http
