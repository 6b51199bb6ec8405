#pragma once
/// Incremental HTTP/1.1 parsers for a connection's byte stream (RFC 9112).
/// Bytes go in in pieces of any size (one at a time works); complete
/// messages come out in order, several per feed when pipelined. After an
/// error the parser ignores further input; messages completed before it
/// stay available from next().
///
///   RequestParser p;
///   p.feed(bytes);
///   while (auto r = p.next()) answer(r->message);
///   if (p.error()) reply_status(response_status(*p.error())), close();

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wiresim/http/digest.hpp"
#include "wiresim/http/headers.hpp"
#include "wiresim/http/message.hpp"
#include "wiresim/http/message_reader.hpp"
#include "wiresim/http/parse_error.hpp"
#include "wiresim/http/parser_limits.hpp"
#include "wiresim/http/start_line.hpp"

namespace wiresim::http {

/// A complete message with what the wire said about it.
template <class Message>
struct Parsed {
  Message message;
  Headers trailers;             ///< chunked trailer fields, kept apart (RFC 9110 §6.5)
  std::size_t head_size = 0;    ///< bytes of the start line and header section (HAR headersSize)
  std::uint64_t body_size = 0;  ///< body bytes on the wire, chunk framing included (HAR bodySize)
  /// The decoded body's size and body_digest(), set by the HTTP/1.1
  /// parsers whether or not they kept its bytes (ResponseParser::expect).
  std::optional<BodySummary> summary;

  bool operator==(const Parsed&) const = default;
};

/// Reads requests (server side).
class RequestParser {
 public:
  explicit RequestParser(const ParserLimits& limits = {}) : reader_(limits) {}

  /// Consumes all of `data` (up to an error).
  void feed(std::string_view data);
  /// The client closed its side: a partly received request is kIncomplete.
  void finish();
  /// The oldest complete request not yet taken.
  [[nodiscard]] std::optional<Parsed<Request>> next();

  [[nodiscard]] std::optional<ParseError> error() const { return reader_.error(); }
  /// True while a request has started arriving but is not complete.
  [[nodiscard]] bool in_message() const { return reader_.in_message(); }

 private:
  void on_head();
  void on_complete();

  MessageReader reader_;
  RequestLine line_;
  std::deque<Parsed<Request>> ready_;
};

/// Reads responses (browser side). Whether a response has a body depends
/// on the request it answers (RFC 9112 §6.3 rule 1): call expect() with
/// each request's method as it is sent; responses match requests in order
/// (RFC 9112 §9.3.2). A response with nothing expected is read as one to
/// GET. Interim 1xx responses come out of next() too, without using up an
/// expected method. A response whose bytes the caller will not look at
/// (an image, say) can be digested instead of stored: its message's body
/// is then empty, and Parsed::summary has its size and digest.
class ResponseParser {
 public:
  explicit ResponseParser(const ParserLimits& limits = {}) : reader_(limits) {}

  /// The next request on this connection has `method`; `keep_body` false:
  /// its final response's body is only digested (current_body() stays
  /// empty too).
  void expect(std::string_view method, bool keep_body = true) {
    expected_.push_back(Expected{std::string(method), keep_body});
  }
  /// Consumes all of `data` (up to an error).
  void feed(std::string_view data);
  /// The server closed: ends a body read until close; a partly received
  /// response of any other kind is kIncomplete.
  void finish();
  /// The oldest complete response not yet taken.
  [[nodiscard]] std::optional<Parsed<Response>> next();

  [[nodiscard]] std::optional<ParseError> error() const { return reader_.error(); }
  /// True while a response has started arriving but is not complete.
  [[nodiscard]] bool in_message() const { return reader_.in_message(); }
  /// The response being received, once its head is complete (body empty);
  /// nullptr otherwise. Its body so far is current_body().
  [[nodiscard]] const Response* current() const { return current_ ? &*current_ : nullptr; }
  /// The decoded body of current() received so far (for incremental HTML
  /// scanning); valid until the next feed() or finish().
  [[nodiscard]] std::string_view current_body() const { return reader_.body_so_far(); }
  /// Methods expected and not yet answered by a final response.
  [[nodiscard]] std::size_t awaiting() const { return expected_.size(); }

 private:
  struct Expected {
    std::string method;
    bool keep_body = true;
  };

  void on_head();
  void on_complete();

  MessageReader reader_;
  std::deque<Expected> expected_;
  std::optional<Response> current_;
  std::deque<Parsed<Response>> ready_;
};

/// Feeds bytes peeked from a socket (tcp::Socket::peek: one run, or two
/// where the receive ring wraps) to `parser`; returns how many.
template <class Parser>
std::size_t feed_runs(Parser& parser, const std::array<std::span<const std::uint8_t>, 2>& runs) {
  for (const std::span<const std::uint8_t> run : runs) {
    if (!run.empty()) parser.feed(std::string_view(reinterpret_cast<const char*>(run.data()), run.size()));
  }
  return runs[0].size() + runs[1].size();
}

}  // namespace wiresim::http
