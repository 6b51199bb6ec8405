#include "wiresim/http/head_reader.hpp"

#include <algorithm>
#include <cstring>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

/// Room made for field lines at the first one: a browser's request (Chrome
/// sends 8-10) or a server's response head (nginx 9) fits without growing
/// the vector.
constexpr std::size_t kTypicalFieldCount = 12;

}  // namespace

std::size_t HeadReader::feed(std::string_view data) {
  std::size_t i = 0;
  while (i < data.size() && !done_ && !error_) {
    if (!pending_cr_ && line_.empty()) {
      const std::size_t n = whole_line(data.substr(i));
      if (n > 0) {
        i += n;
        continue;
      }
    }
    if (pending_cr_) {
      pending_cr_ = false;
      if (data[i] == '\n') {
        ++i;
        end_line(2);
      } else {
        append("\r");  // a bare CR: kept, so the line's own checks reject it
      }
      continue;
    }
    // (string_view::find_first_of calls memchr once per byte here.)
    const auto end_of_line = std::find_if(data.begin() + static_cast<std::ptrdiff_t>(i), data.end(),
                                          [](char c) { return c == '\r' || c == '\n'; });
    const auto stop = static_cast<std::size_t>(end_of_line - data.begin());
    append(data.substr(i, stop - i));
    i = stop;
    if (i == data.size() || error_) break;
    if (data[i++] == '\r') {
      pending_cr_ = true;
    } else {
      end_line(1);
    }
  }
  size_ += i;
  return i;
}

/// The common case, a whole line at the front of `data` with nothing
/// buffered: taken in place (memchr finds its LF), without copying it into
/// line_. The line is what the byte-wise path below would build: up to the
/// first LF, less a CR right before it (a bare CR stays in the line and its
/// checks reject it). Returns the bytes consumed, or 0 to leave the line to
/// that path (no LF yet, or too long: its errors come from there).
std::size_t HeadReader::whole_line(std::string_view data) {
  const void* lf = std::memchr(data.data(), '\n', data.size());
  if (lf == nullptr) return 0;
  const auto at = static_cast<std::size_t>(static_cast<const char*>(lf) - data.data());
  const bool crlf = at > 0 && data[at - 1] == '\r';
  const std::string_view line = data.substr(0, crlf ? at - 1 : at);
  if (!fits(line.size())) return 0;
  end_line(line, crlf ? 2 : 1);
  return at + 1;
}

/// A line of `length` bytes is within the limits append() enforces.
bool HeadReader::fits(std::size_t length) const {
  if (!have_start_ && mode_ == Mode::kMessageHead) return length <= limits_.max_start_line;
  return length <= limits_.max_header_line && field_bytes_ + length <= limits_.max_header_bytes;
}

void HeadReader::append(std::string_view piece) {
  const std::size_t length = line_.size() + piece.size();
  if (!have_start_ && mode_ == Mode::kMessageHead) {
    if (length > limits_.max_start_line) return fail(ParseError::kStartLineTooLong);
  } else if (length > limits_.max_header_line) {
    return fail(ParseError::kHeaderLineTooLong);
  } else if (field_bytes_ + length > limits_.max_header_bytes) {
    return fail(ParseError::kHeadersTooLarge);
  }
  line_ += piece;
}

void HeadReader::end_line(std::size_t terminator_len) {
  end_line(line_, terminator_len);
  line_.clear();
}

void HeadReader::end_line(std::string_view line, std::size_t terminator_len) {
  if (!have_start_ && mode_ == Mode::kMessageHead) {
    // RFC 9112 §2.2: empty lines before the start line are ignored.
    if (line.empty()) {
      skipped_ += terminator_len;
      return;
    }
    start_line_.assign(line);
    have_start_ = true;
    return;
  }
  if (line.empty()) {
    done_ = true;
    return;
  }
  field_bytes_ += line.size() + 2;
  if (field_bytes_ > limits_.max_header_bytes) return fail(ParseError::kHeadersTooLarge);
  add_field(line);
}

void HeadReader::add_field(std::string_view line) {
  if (is_ows(line.front())) {
    // RFC 9112 §2.2 (whitespace after the start line) and §5.2 (obs-fold).
    return fail(fields_.empty() ? ParseError::kBadHeader : ParseError::kObsFold);
  }
  if (fields_.size() >= limits_.max_header_count) return fail(ParseError::kTooManyHeaders);
  if (fields_.empty()) fields_.reserve(kTypicalFieldCount);
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return fail(ParseError::kBadHeader);
  // RFC 9112 §5.1: no whitespace between the field name and the colon.
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (!is_token(name) || !std::all_of(value.begin(), value.end(), [](char c) { return is_field_value_char(c); })) {
    return fail(ParseError::kBadHeader);
  }
  fields_.add(std::string(name), std::string(value));
}

}  // namespace wiresim::http
