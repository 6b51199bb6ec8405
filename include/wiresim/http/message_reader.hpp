#pragma once
/// The shared engine of RequestParser and ResponseParser: reads one message
/// after another from a byte stream, head first, then the body with the
/// framing the caller decides from the head. The caller drives it with
/// step() and reacts to each event.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/http/body_reader.hpp"
#include "wiresim/http/framing.hpp"
#include "wiresim/http/head_reader.hpp"
#include "wiresim/http/headers.hpp"
#include "wiresim/http/parse_error.hpp"
#include "wiresim/http/parser_limits.hpp"

namespace wiresim::http {

/// One complete message as read, before its start line is interpreted.
struct MessageParts {
  std::string start_line;
  Headers fields;
  std::string body;  ///< decoded (empty if begin_body() was told not to keep it)
  Headers trailers;
  std::size_t head_size = 0;  ///< head bytes up to the empty line, inclusive (HAR headersSize)
  std::uint64_t body_size = 0;  ///< body bytes on the wire, chunk framing included
  BodySummary summary;          ///< the decoded body's size and digest, kept or not
};

class MessageReader {
 public:
  enum class Event {
    kNeedMore,  ///< all input consumed, message not finished (or none started)
    kHead,      ///< the head is complete: inspect it, then begin_body() or fail()
    kComplete,  ///< a whole message is ready: take() it
    kError,     ///< the stream is broken for good: error()
  };

  explicit MessageReader(const ParserLimits& limits)
      : limits_(limits), head_(HeadReader::Mode::kMessageHead, limits) {}

  /// Consumes bytes from the front of `data` up to the next event.
  Event step(std::string_view& data);
  /// After kHead: read the body with `framing`; `keep` false digests its
  /// bytes without storing them (BodyReader).
  void begin_body(BodyFraming framing, bool keep = true) { body_.emplace(framing, limits_, keep); }
  /// After kHead: the head is unacceptable.
  void fail(ParseError e) { error_ = e; }
  /// End of input: kComplete (an until-close body ended), kError (inside a
  /// message: kIncomplete) or kNeedMore (idle between messages).
  Event finish();
  /// After kComplete: the message; the reader is ready for the next one.
  MessageParts take();

  [[nodiscard]] const std::string& start_line() const { return head_.start_line(); }
  [[nodiscard]] const Headers& fields() const { return head_.fields(); }
  /// After kHead: moves the fields out (take()'s `fields` is then empty).
  [[nodiscard]] Headers take_fields() { return head_.take_fields(); }
  /// The decoded body received so far (empty before begin_body()).
  [[nodiscard]] std::string_view body_so_far() const { return body_ ? body_->body() : std::string_view{}; }
  /// True between the first byte of a message and take().
  [[nodiscard]] bool in_message() const { return head_.started() || body_.has_value(); }
  [[nodiscard]] std::optional<ParseError> error() const { return error_; }

 private:
  Event fail_event(ParseError e) {
    error_ = e;
    return Event::kError;
  }

  ParserLimits limits_;
  HeadReader head_;
  std::optional<BodyReader> body_;
  std::optional<ParseError> error_;
};

}  // namespace wiresim::http
