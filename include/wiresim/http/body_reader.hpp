#pragma once
/// Reads one message body incrementally with a given framing: a fixed
/// length, chunked (RFC 9112 §7.1, extensions checked and ignored, trailers
/// kept), or everything until the connection closes. The decoded bytes
/// are digested as they arrive (summary()); a reader told not to keep them
/// only digests them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/http/digest.hpp"
#include "wiresim/http/framing.hpp"
#include "wiresim/http/head_reader.hpp"
#include "wiresim/http/headers.hpp"
#include "wiresim/http/parse_error.hpp"
#include "wiresim/http/parser_limits.hpp"

namespace wiresim::http {

class BodyReader {
 public:
  /// `keep` false: the body's bytes are digested, not stored (body() stays
  /// empty); its size and digest are the same either way.
  BodyReader(BodyFraming framing, const ParserLimits& limits, bool keep = true);

  /// Consumes body bytes from the front of `data`, never past the end of
  /// the body; returns how many.
  std::size_t feed(std::string_view data);
  /// The connection closed: ends an until-close body; any other unfinished
  /// body fails with kIncomplete.
  void finish();

  [[nodiscard]] bool done() const { return state_ == State::kDone; }
  [[nodiscard]] std::optional<ParseError> error() const { return error_; }
  /// The decoded body received so far (empty if not kept).
  [[nodiscard]] const std::string& body() const { return body_; }
  /// The decoded body's size and digest so far, kept or not.
  [[nodiscard]] BodySummary summary() const { return digest_.summary(); }
  [[nodiscard]] std::string take_body() { return std::move(body_); }
  [[nodiscard]] Headers take_trailers() { return trailers_.take_fields(); }
  /// Bytes consumed, framing included (HAR bodySize).
  [[nodiscard]] std::uint64_t wire_size() const { return wire_size_; }

 private:
  enum class State { kLength, kUntilClose, kChunkSize, kChunkData, kChunkEnd, kTrailers, kDone };

  std::size_t feed_state(std::string_view data);
  std::size_t feed_data(std::string_view data);
  std::size_t feed_chunk_size(std::string_view data);
  std::size_t feed_chunk_end(std::string_view data);
  std::size_t feed_trailers(std::string_view data);
  void start_chunk();
  bool grow_body(std::uint64_t n);
  void append(std::string_view data);
  void fail(ParseError e) { error_ = e; }

  State state_ = State::kDone;
  ParserLimits limits_;
  std::uint64_t remaining_ = 0;  ///< kLength / kChunkData: bytes still to come
  bool keep_ = true;
  std::string body_;
  BodyDigest digest_;            ///< of the decoded bytes (kept or not)
  std::string line_;             ///< chunk-size line so far
  bool pending_cr_ = false;      ///< kChunkEnd: CR seen, LF expected
  HeadReader trailers_;
  std::uint64_t wire_size_ = 0;
  std::optional<ParseError> error_;
};

}  // namespace wiresim::http
