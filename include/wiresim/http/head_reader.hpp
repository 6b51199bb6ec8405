#pragma once
/// Reads the head of a message incrementally: start line and field lines up
/// to the empty line (RFC 9112 §2.1), or a trailer section (RFC 9112 §7.1.2).
/// Lines end in CRLF or a bare LF (RFC 9112 §2.2 allows recipients to
/// accept LF); a bare CR stays in the line, whose checks then reject it.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/http/headers.hpp"
#include "wiresim/http/parse_error.hpp"
#include "wiresim/http/parser_limits.hpp"

namespace wiresim::http {

class HeadReader {
 public:
  enum class Mode {
    kMessageHead,  ///< start line, then fields; empty lines before the start line are skipped
    kTrailers,     ///< fields only
  };

  HeadReader(Mode mode, const ParserLimits& limits) : mode_(mode), limits_(limits) {}

  /// Consumes bytes from the front of `data`, at most up to and including
  /// the empty line that ends the section; returns how many.
  std::size_t feed(std::string_view data);

  [[nodiscard]] bool done() const { return done_; }
  [[nodiscard]] std::optional<ParseError> error() const { return error_; }
  /// True once a byte of the start line (or, for trailers, any byte) arrived.
  [[nodiscard]] bool started() const { return have_start_ || !line_.empty() || mode_ == Mode::kTrailers; }
  /// The start line without its CRLF (kMessageHead, once done).
  [[nodiscard]] const std::string& start_line() const { return start_line_; }
  [[nodiscard]] const Headers& fields() const { return fields_; }
  [[nodiscard]] Headers take_fields() { return std::move(fields_); }
  /// Bytes of the head consumed so far, line terminators included, empty
  /// lines before the start line excluded.
  [[nodiscard]] std::size_t size() const { return size_ - skipped_; }

 private:
  std::size_t whole_line(std::string_view data);
  [[nodiscard]] bool fits(std::size_t length) const;
  void append(std::string_view piece);
  /// Ends the buffered line_ (and clears it).
  void end_line(std::size_t terminator_len);
  void end_line(std::string_view line, std::size_t terminator_len);
  void add_field(std::string_view line);
  void fail(ParseError e) { error_ = e; }

  Mode mode_;
  ParserLimits limits_;
  std::string line_;
  std::string start_line_;
  Headers fields_;
  std::size_t field_bytes_ = 0;
  std::size_t size_ = 0;
  std::size_t skipped_ = 0;  ///< bytes of empty lines before the start line
  bool have_start_ = false;
  bool pending_cr_ = false;
  bool done_ = false;
  std::optional<ParseError> error_;
};

}  // namespace wiresim::http
