#include "wiresim/http/body_reader.hpp"

#include <algorithm>
#include <limits>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

/// Bodies of known length are reserved up front, up to this much.
constexpr std::uint64_t kMaxReserve = 8 * 1024 * 1024;

/// quoted-string (RFC 9110 §5.6.4) at the front of `s`, removed on success.
bool consume_quoted_string(std::string_view& s) {
  if (s.empty() || s.front() != '"') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '"') {
      s.remove_prefix(i + 1);
      return true;
    }
    if (s[i] == '\\') ++i;  // quoted-pair
    if (i >= s.size() || !is_field_value_char(s[i])) return false;
  }
  return false;
}

std::string_view consume_token(std::string_view& s) {
  const auto end = std::find_if_not(s.begin(), s.end(), is_tchar);
  const auto n = static_cast<std::size_t>(end - s.begin());
  const std::string_view token = s.substr(0, n);
  s.remove_prefix(n);
  return token;
}

void skip_ows(std::string_view& s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
}

/// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
/// (RFC 9112 §7.1.1), trailing whitespace tolerated.
bool valid_chunk_extensions(std::string_view s) {
  for (skip_ows(s); !s.empty(); skip_ows(s)) {
    if (s.front() != ';') return false;
    s.remove_prefix(1);
    skip_ows(s);
    if (consume_token(s).empty()) return false;
    skip_ows(s);
    if (s.empty() || s.front() != '=') continue;
    s.remove_prefix(1);
    skip_ows(s);
    if (!consume_quoted_string(s) && consume_token(s).empty()) return false;
  }
  return true;
}

/// chunk-size = 1*HEXDIG at the front of `line`; nullopt if absent or over 64 bits.
std::optional<std::uint64_t> parse_chunk_size(std::string_view& line) {
  std::uint64_t size = 0;
  std::size_t i = 0;
  for (; i < line.size() && hex_value(line[i]) >= 0; ++i) {
    if (size > (std::numeric_limits<std::uint64_t>::max() >> 4)) return std::nullopt;
    size = (size << 4) | static_cast<std::uint64_t>(hex_value(line[i]));
  }
  if (i == 0) return std::nullopt;
  line.remove_prefix(i);
  return size;
}

}  // namespace

BodyReader::BodyReader(BodyFraming framing, const ParserLimits& limits, bool keep)
    : limits_(limits), keep_(keep), trailers_(HeadReader::Mode::kTrailers, limits) {
  switch (framing.kind) {
    case BodyFraming::Kind::kNone: state_ = State::kDone; break;
    case BodyFraming::Kind::kLength:
      state_ = framing.length == 0 ? State::kDone : State::kLength;
      remaining_ = framing.length;
      if (remaining_ > limits_.max_body) {
        fail(ParseError::kBodyTooLarge);
      } else if (keep_) {
        body_.reserve(static_cast<std::size_t>(std::min(remaining_, kMaxReserve)));
      }
      break;
    case BodyFraming::Kind::kChunked: state_ = State::kChunkSize; break;
    case BodyFraming::Kind::kUntilClose: state_ = State::kUntilClose; break;
  }
}

std::size_t BodyReader::feed(std::string_view data) {
  std::size_t used = 0;
  while (used < data.size() && state_ != State::kDone && !error_) {
    used += feed_state(data.substr(used));
  }
  wire_size_ += used;
  return used;
}

void BodyReader::finish() {
  if (error_ || state_ == State::kDone) return;
  if (state_ == State::kUntilClose) {
    state_ = State::kDone;
  } else {
    fail(ParseError::kIncomplete);
  }
}

std::size_t BodyReader::feed_state(std::string_view data) {
  switch (state_) {
    case State::kLength:
    case State::kChunkData: return feed_data(data);
    case State::kUntilClose:
      if (grow_body(data.size())) append(data);
      return data.size();
    case State::kChunkSize: return feed_chunk_size(data);
    case State::kChunkEnd: return feed_chunk_end(data);
    case State::kTrailers: return feed_trailers(data);
    case State::kDone: return 0;
  }
  return 0;
}

std::size_t BodyReader::feed_data(std::string_view data) {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size()));
  append(data.substr(0, n));
  remaining_ -= n;
  if (remaining_ == 0) state_ = state_ == State::kLength ? State::kDone : State::kChunkEnd;
  return n;
}

std::size_t BodyReader::feed_chunk_size(std::string_view data) {
  const std::size_t lf = data.find('\n');
  const std::size_t n = lf == std::string_view::npos ? data.size() : lf;
  if (line_.size() + n > limits_.max_header_line) {
    fail(ParseError::kBadChunkSize);
    return n;
  }
  line_ += data.substr(0, n);
  if (lf == std::string_view::npos) return n;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  start_chunk();
  line_.clear();
  return n + 1;
}

void BodyReader::start_chunk() {
  std::string_view line = line_;
  const std::optional<std::uint64_t> size = parse_chunk_size(line);
  if (!size || !valid_chunk_extensions(line)) return fail(ParseError::kBadChunkSize);
  if (*size == 0) {
    state_ = State::kTrailers;  // last-chunk (RFC 9112 §7.1)
    return;
  }
  if (!grow_body(*size)) return;
  remaining_ = *size;
  state_ = State::kChunkData;
}

std::size_t BodyReader::feed_chunk_end(std::string_view data) {
  const char c = data.front();
  if (c == '\r' && !pending_cr_) {
    pending_cr_ = true;
  } else if (c == '\n') {
    pending_cr_ = false;
    state_ = State::kChunkSize;
  } else {
    fail(ParseError::kBadChunk);
  }
  return 1;
}

std::size_t BodyReader::feed_trailers(std::string_view data) {
  const std::size_t n = trailers_.feed(data);
  if (trailers_.error()) {
    fail(*trailers_.error());
  } else if (trailers_.done()) {
    state_ = State::kDone;
  }
  return n;
}

/// The decoded body grows by `data`: digested while its bytes are in cache,
/// and stored if kept.
void BodyReader::append(std::string_view data) {
  if (keep_) body_ += data;
  digest_.update(data);
}

bool BodyReader::grow_body(std::uint64_t n) {
  if (n > limits_.max_body || digest_.size() > limits_.max_body - n) {
    fail(ParseError::kBodyTooLarge);
    return false;
  }
  return true;
}

}  // namespace wiresim::http
