#include "wiresim/http/css_scanner.hpp"

#include <utility>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

/// Longer identifiers are cut here: they cannot be "url" or "@import" anyway.
constexpr std::size_t kMaxIdent = 8;
/// URLs longer than this (inline data: URLs, mostly) are skipped.
constexpr std::size_t kMaxUrl = 64 * 1024;

bool is_css_whitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool is_ident_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '@' || static_cast<unsigned char>(c) >= 0x80;
}

/// A hex escape at raw[i] (just after the backslash): its code point, with
/// i moved past it and one following whitespace (CSS Syntax §4.3.7).
std::uint32_t consume_hex_escape(std::string_view raw, std::size_t& i) {
  std::uint32_t cp = 0;
  const std::size_t end = i + 6;
  for (; i < raw.size() && i < end && hex_value(raw[i]) >= 0; ++i) {
    cp = cp * 16 + static_cast<std::uint32_t>(hex_value(raw[i]));
  }
  if (i < raw.size() && is_css_whitespace(raw[i])) ++i;
  return cp;
}

}  // namespace

std::string decode_css_escapes(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size();) {
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      out += raw[i++];
    } else if (hex_value(raw[++i]) >= 0) {
      append_utf8(out, consume_hex_escape(raw, i));
    } else if (raw[i] == '\n') {
      ++i;  // an escaped newline continues a string
    } else {
      out += raw[i++];
    }
  }
  return out;
}

std::vector<Subresource> CssScanner::feed(std::string_view css) {
  for (const char c : css) {
    while (!step(c)) {
    }
  }
  return std::exchange(found_, {});
}

std::vector<Subresource> CssScanner::finish() {
  const bool open_url = state_ == State::kUrl || (state_ == State::kUrlAfter && !string_in_url_);
  if (open_url || (state_ == State::kString && capture_)) report();
  state_ = State::kNormal;
  return std::exchange(found_, {});
}

bool CssScanner::step(char c) {
  switch (state_) {
    case State::kNormal: return in_normal(c);
    case State::kEscape:
      state_ = State::kNormal;  // an escaped character is never punctuation
      return true;
    case State::kSlash:
      state_ = c == '*' ? State::kComment : State::kNormal;
      return c == '*';
    case State::kComment:
    case State::kCommentStar: return in_comment(c);
    case State::kString: return in_string(c);
    case State::kUrlStart: return in_url_start(c);
    case State::kUrl: return in_url(c);
    case State::kUrlAfter: return in_url_after(c);
    case State::kBadUrl: return in_bad_url(c);
  }
  return true;
}

bool CssScanner::in_normal(char c) {
  if (is_ident_char(c)) {
    if (ident_.size() <= kMaxIdent) ident_ += c;
    return true;
  }
  if (c == '(' && iequals(ident_, "url")) {
    ident_.clear();
    state_ = State::kUrlStart;
    return true;
  }
  end_ident(c);
  if (c == '"' || c == '\'') start_string(c, false);
  if (c == '/') state_ = State::kSlash;
  if (c == '\\') state_ = State::kEscape;
  return true;
}

void CssScanner::end_ident(char next) {
  if (iequals(ident_, "@import")) import_pending_ = true;
  ident_.clear();
  if (next == ';' || next == '{' || next == '}') import_pending_ = false;
}

void CssScanner::start_string(char quote, bool in_url) {
  state_ = State::kString;
  quote_ = quote;
  string_in_url_ = in_url;
  capture_ = in_url || import_pending_;
  value_.clear();
  value_too_long_ = false;
  escape_ = false;
  hex_digits_ = 0;
}

bool CssScanner::in_comment(char c) {
  if (state_ == State::kCommentStar && c == '/') {
    state_ = State::kNormal;
  } else {
    state_ = c == '*' ? State::kCommentStar : State::kComment;
  }
  return true;
}

/// True if c belongs to an escape (CSS Syntax §4.3.7): a backslash, the
/// character after it, up to 6 hex digits and one whitespace after them.
bool CssScanner::continues_escape(char c) {
  if (escape_) {
    escape_ = false;
    hex_digits_ = hex_value(c) >= 0 ? 1 : 0;
    return true;
  }
  if (hex_digits_ > 0) {
    if (hex_value(c) >= 0 && hex_digits_ < 6) {
      ++hex_digits_;
      return true;
    }
    hex_digits_ = 0;
    if (is_css_whitespace(c)) return true;  // the one whitespace that ends a hex escape
  }
  escape_ = c == '\\';
  return escape_;
}

bool CssScanner::in_string(char c) {
  if (continues_escape(c)) return append_value(c);
  if (c == quote_) {
    if (capture_) report();
    state_ = string_in_url_ ? State::kUrlAfter : State::kNormal;
    return true;
  }
  if (c == '\n') {  // bad-string (CSS Syntax §4.3.5): dropped
    state_ = string_in_url_ ? State::kBadUrl : State::kNormal;
    return true;
  }
  return append_value(c);
}

bool CssScanner::in_url_start(char c) {
  if (is_css_whitespace(c)) return true;
  if (c == '"' || c == '\'') {
    start_string(c, true);
    return true;
  }
  value_.clear();
  value_too_long_ = false;
  escape_ = false;
  hex_digits_ = 0;
  state_ = State::kUrl;
  return false;
}

bool CssScanner::in_url(char c) {
  if (continues_escape(c)) {
    append_value(c);
  } else if (c == ')') {
    report();
    state_ = State::kNormal;
  } else if (is_css_whitespace(c)) {
    state_ = State::kUrlAfter;
  } else if (c == '"' || c == '\'' || c == '(') {
    state_ = State::kBadUrl;
  } else {
    append_value(c);
  }
  return true;
}

bool CssScanner::in_url_after(char c) {
  // After an unquoted url's value (report pending) or a quoted one (reported).
  if (c == ')') {
    if (!string_in_url_) report();
    string_in_url_ = false;
    state_ = State::kNormal;
  } else if (!is_css_whitespace(c)) {
    string_in_url_ = false;
    state_ = State::kBadUrl;
  }
  return true;
}

bool CssScanner::in_bad_url(char c) {
  if (!continues_escape(c) && c == ')') state_ = State::kNormal;
  return true;
}

bool CssScanner::append_value(char c) {
  if (value_.size() < kMaxUrl) {
    value_ += c;
  } else {
    value_too_long_ = true;
  }
  return true;
}

void CssScanner::report() {
  const bool is_import = import_pending_;
  import_pending_ = false;
  if (value_too_long_) return;
  const std::string reference = decode_css_escapes(value_);
  if (trim_ows(reference).empty()) return;
  std::optional<Url> url = base_.resolve(reference);
  if (!url || !seen_.insert(url->to_string()).second) return;
  found_.push_back({is_import ? ResourceKind::kStylesheet : ResourceKind::kCssUrl, std::move(*url), reference});
}

}  // namespace wiresim::http
