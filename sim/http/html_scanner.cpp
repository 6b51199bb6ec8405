#include "wiresim/http/html_scanner.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

constexpr std::size_t kMaxName = 64;
constexpr std::size_t kMaxAttrs = 256;
/// Longer attribute values (inline data: URLs, mostly) are ignored.
constexpr std::size_t kMaxValue = 64 * 1024;

/// Elements whose content is text, not markup (WHATWG HTML §13.2.6.2 RAWTEXT,
/// RCDATA and script data; noscript as with scripting enabled).
constexpr std::array<std::string_view, 9> kRawTextElements{
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"};

struct NamedRef {
  std::string_view name;
  std::string_view text;
  bool legacy;  ///< recognised without ";" too
};
constexpr std::array<NamedRef, 6> kNamedRefs{{{"amp", "&", true},
                                              {"lt", "<", true},
                                              {"gt", ">", true},
                                              {"quot", "\"", true},
                                              {"apos", "'", false},
                                              {"nbsp", "\xc2\xa0", false}}};

bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

/// A width or height attribute as an absolute length, as Blink's
/// ParseDimensionValue and HTMLDimension::IsAbsolute read it (WHATWG HTML
/// §2.3.4.4, rules for parsing dimension values): leading spaces, digits,
/// an optional fraction; a following "%" makes it a percentage and "*" a
/// relative length, neither of which is a size.
std::optional<double> absolute_dimension(std::optional<std::string_view> value) {
  if (!value) return std::nullopt;
  std::string_view v = *value;
  while (!v.empty() && is_html_space(v.front())) v.remove_prefix(1);
  std::size_t i = 0;
  std::uint64_t whole = 0;
  while (i < v.size() && is_digit(v[i]) && whole < 1'000'000'000) {
    whole = whole * 10 + static_cast<std::uint64_t>(v[i++] - '0');
  }
  if (i == 0) return std::nullopt;
  while (i < v.size() && is_digit(v[i])) ++i;  // beyond any image size: the value is not small anyway
  double fraction = 0;
  if (i < v.size() && v[i] == '.') {
    double scale = 0.1;
    for (++i; i < v.size() && is_digit(v[i]); ++i, scale /= 10) fraction += scale * (v[i] - '0');
  }
  if (i < v.size() && (v[i] == '%' || v[i] == '*')) return std::nullopt;
  return static_cast<double>(whole) + fraction;
}

/// True if `token` is one of the whitespace-separated words of `list` (a rel value).
bool has_space_separated_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const std::size_t end = std::min(list.find_first_of(" \t\n\r\f"), list.size());
    if (list.substr(0, end) == token) return true;
    list.remove_prefix(std::min(end + 1, list.size()));
  }
  return false;
}

/// A numeric reference after "&#" at value[i]; nullopt (i unchanged) if it has no digits.
std::optional<std::uint32_t> numeric_ref(std::string_view value, std::size_t& i) {
  const bool hex = i < value.size() && (value[i] == 'x' || value[i] == 'X');
  std::size_t j = i + (hex ? 1 : 0);
  const std::size_t first = j;
  std::uint32_t cp = 0;
  for (; j < value.size() && (hex ? hex_value(value[j]) >= 0 : is_digit(value[j])); ++j) {
    const auto digit = static_cast<std::uint32_t>(hex ? hex_value(value[j]) : value[j] - '0');
    cp = std::min<std::uint32_t>(cp * (hex ? 16 : 10) + digit, 0x110000);
  }
  if (j == first) return std::nullopt;
  i = j < value.size() && value[j] == ';' ? j + 1 : j;
  return cp;
}

/// A named reference at value[i] (just after "&"); nullptr (i unchanged) if none applies.
const NamedRef* named_ref(std::string_view value, std::size_t& i) {
  for (const NamedRef& ref : kNamedRefs) {
    if (value.substr(i, ref.name.size()) != ref.name) continue;
    const std::size_t after = i + ref.name.size();
    if (after < value.size() && value[after] == ';') {
      i = after + 1;
      return &ref;
    }
    // Legacy references without ";" stay text before an alphanumeric or "="
    // (WHATWG HTML §13.2.5.73, "historical reasons" in attribute values).
    if (ref.legacy && (after == value.size() || (!is_alnum(value[after]) && value[after] != '='))) {
      i = after;
      return &ref;
    }
  }
  return nullptr;
}

}  // namespace

std::string decode_char_refs(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size();) {
    const char c = value[i++];
    if (c != '&') {
      out += c;
    } else if (i < value.size() && value[i] == '#') {
      ++i;
      if (const std::optional<std::uint32_t> cp = numeric_ref(value, i)) {
        append_utf8(out, *cp);
      } else {
        out += "&#";
      }
    } else if (const NamedRef* ref = named_ref(value, i)) {
      out += ref->text;
    } else {
      out += '&';
    }
  }
  return out;
}

std::vector<Subresource> HtmlScanner::feed(std::string_view html) {
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (state_ == State::kData) {
      // Text between tags only waits for the next "<" (in_data).
      i = std::min(html.find('<', i), html.size());
      if (i == html.size()) break;
    }
    while (!step(html[i])) {
    }
  }
  flush_style_text();
  return std::exchange(found_, {});
}

std::vector<Subresource> HtmlScanner::finish() {
  if (state_ == State::kRawText && style_) {
    style_text_ += raw_pending_;
    leave_raw_text();
  }
  state_ = State::kData;
  return std::exchange(found_, {});
}

bool HtmlScanner::step(char c) {
  switch (state_) {
    case State::kData: return in_data(c);
    case State::kTagOpen: return in_tag_open(c);
    case State::kEndTagOpen: return in_end_tag_open(c);
    case State::kTagName: return in_tag_name(c);
    case State::kBeforeAttrName: return in_before_attr_name(c);
    case State::kAttrName: return in_attr_name(c);
    case State::kAfterAttrName: return in_after_attr_name(c);
    case State::kBeforeAttrValue: return in_before_attr_value(c);
    case State::kAttrValueQuoted: return in_attr_value_quoted(c);
    case State::kAttrValueUnquoted: return in_attr_value_unquoted(c);
    case State::kAfterAttrValueQuoted: return in_after_attr_value_quoted(c);
    case State::kSelfClosing: return in_self_closing(c);
    case State::kMarkupOpen: return in_markup_open(c);
    case State::kComment: return in_comment(c);
    case State::kBogusComment:
      if (c == '>') state_ = State::kData;
      return true;
    case State::kRawText: return in_raw_text(c);
  }
  return true;
}

bool HtmlScanner::in_data(char c) {
  if (c == '<') state_ = State::kTagOpen;
  return true;
}

bool HtmlScanner::in_tag_open(char c) {
  if (c == '!') {
    markup_dash_ = false;
    state_ = State::kMarkupOpen;
  } else if (c == '/') {
    state_ = State::kEndTagOpen;
  } else if (is_alpha(c)) {
    start_tag(false);
    return false;
  } else if (c == '?') {
    state_ = State::kBogusComment;
  } else {
    state_ = State::kData;  // "<" followed by anything else was text
    return false;
  }
  return true;
}

bool HtmlScanner::in_end_tag_open(char c) {
  if (is_alpha(c)) {
    start_tag(true);
    return false;
  }
  if (c == '>') {  // "</>" is dropped
    state_ = State::kData;
    return true;
  }
  state_ = State::kBogusComment;
  return false;
}

bool HtmlScanner::in_tag_name(char c) {
  if (is_html_space(c)) {
    state_ = State::kBeforeAttrName;
  } else if (c == '/') {
    state_ = State::kSelfClosing;
  } else if (c == '>') {
    emit_tag();
  } else if (tag_name_.size() < kMaxName) {
    tag_name_ += ascii_lower(c);
  }
  return true;
}

bool HtmlScanner::in_before_attr_name(char c) {
  if (is_html_space(c)) return true;
  if (c == '/' || c == '>') {
    state_ = State::kAfterAttrName;
    return false;
  }
  start_attr();
  state_ = State::kAttrName;
  if (c != '=') return false;
  attr_name_ += c;  // "=" starting a name is part of it (§13.2.5.32)
  return true;
}

bool HtmlScanner::in_attr_name(char c) {
  if (is_html_space(c) || c == '/' || c == '>') {
    state_ = State::kAfterAttrName;
    return false;
  }
  if (c == '=') {
    state_ = State::kBeforeAttrValue;
  } else if (attr_name_.size() < kMaxName) {
    attr_name_ += ascii_lower(c);
  }
  return true;
}

bool HtmlScanner::in_after_attr_name(char c) {
  if (is_html_space(c)) return true;
  if (c == '/') {
    state_ = State::kSelfClosing;
  } else if (c == '=') {
    state_ = State::kBeforeAttrValue;
  } else if (c == '>') {
    emit_tag();
  } else {
    start_attr();
    state_ = State::kAttrName;
    return false;
  }
  return true;
}

bool HtmlScanner::in_before_attr_value(char c) {
  if (is_html_space(c)) return true;
  if (c == '"' || c == '\'') {
    quote_ = c;
    state_ = State::kAttrValueQuoted;
  } else if (c == '>') {
    emit_tag();
  } else {
    state_ = State::kAttrValueUnquoted;
    return false;
  }
  return true;
}

bool HtmlScanner::in_attr_value_quoted(char c) {
  if (c == quote_) {
    state_ = State::kAfterAttrValueQuoted;
  } else {
    append_attr_value(c);
  }
  return true;
}

/// Keeps at most kMaxValue bytes of an attribute value; longer ones are
/// marked and ignored when the tag is emitted.
void HtmlScanner::append_attr_value(char c) {
  if (attr_value_.size() < kMaxValue) {
    attr_value_ += c;
  } else {
    attr_too_long_ = true;
  }
}

bool HtmlScanner::in_attr_value_unquoted(char c) {
  if (is_html_space(c)) {
    state_ = State::kBeforeAttrName;
  } else if (c == '>') {
    emit_tag();
  } else {
    append_attr_value(c);
  }
  return true;
}

bool HtmlScanner::in_after_attr_value_quoted(char c) {
  if (is_html_space(c)) {
    state_ = State::kBeforeAttrName;
  } else if (c == '/') {
    state_ = State::kSelfClosing;
  } else if (c == '>') {
    emit_tag();
  } else {
    state_ = State::kBeforeAttrName;  // missing whitespace between attributes
    return false;
  }
  return true;
}

bool HtmlScanner::in_self_closing(char c) {
  if (c == '>') {
    emit_tag();
    return true;
  }
  state_ = State::kBeforeAttrName;
  return false;
}

bool HtmlScanner::in_markup_open(char c) {
  // "<!--" opens a comment; anything else ("<!DOCTYPE", "<![CDATA[") is a bogus comment.
  if (c == '-' && !markup_dash_) {
    markup_dash_ = true;
    return true;
  }
  if (c == '-') {
    comment_dashes_ = 2;  // so "<!-->" and "<!--->" close at once (§13.2.5.44)
    comment_bang_ = false;
    state_ = State::kComment;
    return true;
  }
  state_ = State::kBogusComment;
  return false;
}

bool HtmlScanner::in_comment(char c) {
  if (c == '>' && (comment_dashes_ >= 2 || comment_bang_)) {
    state_ = State::kData;
  } else if (c == '!' && comment_dashes_ >= 2) {
    comment_bang_ = true;  // "--!>" closes too
  } else {
    comment_dashes_ = c != '-' ? 0 : (comment_bang_ ? 1 : std::min(comment_dashes_ + 1, 2));
    comment_bang_ = false;
  }
  return true;
}

bool HtmlScanner::in_raw_text(char c) {
  // Looking for "</" raw_tag_ followed by whitespace, "/" or ">".
  const std::size_t name_end = 2 + raw_tag_.size();
  const bool matches = (raw_match_ == 0 && c == '<') || (raw_match_ == 1 && c == '/') ||
                       (raw_match_ >= 2 && raw_match_ < name_end && ascii_lower(c) == raw_tag_[raw_match_ - 2]);
  if (matches) {
    raw_pending_ += c;
    ++raw_match_;
    return true;
  }
  if (raw_match_ == name_end && (is_html_space(c) || c == '/' || c == '>')) {
    raw_pending_.clear();
    raw_match_ = 0;
    leave_raw_text();
    start_tag(true);
    tag_name_ = raw_tag_;
    state_ = State::kTagName;
    return false;
  }
  const bool had_pending = raw_match_ > 0;
  if (style_) style_text_ += raw_pending_;
  raw_pending_.clear();
  raw_match_ = 0;
  if (had_pending) return false;
  if (style_) style_text_ += c;
  return true;
}

void HtmlScanner::start_tag(bool end_tag) {
  tag_name_.clear();
  end_tag_ = end_tag;
  attrs_.clear();
  in_attr_ = false;
  state_ = State::kTagName;
}

void HtmlScanner::start_attr() {
  commit_attr();
  in_attr_ = true;
  attr_too_long_ = false;
  attr_name_.clear();
  attr_value_.clear();
}

void HtmlScanner::commit_attr() {
  if (!in_attr_) return;
  in_attr_ = false;
  if (attr_too_long_ || attrs_.size() >= kMaxAttrs || attr(attr_name_)) return;
  attrs_.emplace_back(attr_name_, decode_char_refs(attr_value_));
}

void HtmlScanner::emit_tag() {
  commit_attr();
  state_ = State::kData;
  if (end_tag_) return;
  on_start_tag();
  if (std::find(kRawTextElements.begin(), kRawTextElements.end(), tag_name_) != kRawTextElements.end()) {
    enter_raw_text();
  }
}

void HtmlScanner::on_start_tag() {
  if (tag_name_ == "img" && add(ResourceKind::kImage, attr("src"))) {
    found_.back().width = absolute_dimension(attr("width"));
    found_.back().height = absolute_dimension(attr("height"));
  }
  if (tag_name_ == "body") add(ResourceKind::kBackground, attr("background"));
  if (tag_name_ == "script" && add(ResourceKind::kScript, attr("src"))) {
    found_.back().deferred = attr("async").has_value() || attr("defer").has_value();
  }
  if (tag_name_ == "link") {
    const std::string rel = ascii_lower(attr("rel").value_or(""));
    if (has_space_separated_token(rel, "stylesheet")) {
      add(ResourceKind::kStylesheet, attr("href"));
    } else if (has_space_separated_token(rel, "icon")) {
      add(ResourceKind::kIcon, attr("href"));
    }
  }
  if (tag_name_ == "base" && !have_base_ && attr("href")) {
    have_base_ = true;
    if (std::optional<Url> base = document_url_.resolve(*attr("href"))) base_ = std::move(*base);
  }
  if (const std::optional<std::string_view> style = attr("style")) scan_style_attribute(*style);
}

void HtmlScanner::enter_raw_text() {
  raw_tag_ = tag_name_;
  raw_match_ = 0;
  raw_pending_.clear();
  state_ = State::kRawText;
  if (raw_tag_ == "style") style_.emplace(base_);
}

void HtmlScanner::leave_raw_text() {
  if (!style_) return;
  flush_style_text();
  add_found(style_->finish());
  style_.reset();
}

void HtmlScanner::flush_style_text() {
  if (!style_ || style_text_.empty()) return;
  add_found(style_->feed(style_text_));
  style_text_.clear();
}

std::optional<std::string_view> HtmlScanner::attr(std::string_view name) const {
  for (const auto& [n, v] : attrs_) {
    if (n == name) return std::string_view{v};
  }
  return std::nullopt;
}

bool HtmlScanner::add(ResourceKind kind, std::optional<std::string_view> reference) {
  if (!reference) return false;
  const std::string_view ref = *reference;
  // An empty (or all-space) URL attribute refers to the page itself: not fetched.
  if (std::all_of(ref.begin(), ref.end(), is_html_space)) return false;
  std::optional<Url> url = base_.resolve(ref);
  if (!url || !seen_.insert(url->to_string()).second) return false;
  found_.push_back({kind, std::move(*url), std::string(ref)});
  return true;
}

void HtmlScanner::add_found(std::vector<Subresource> found) {
  for (Subresource& s : found) {
    if (seen_.insert(s.url.to_string()).second) found_.push_back(std::move(s));
  }
}

void HtmlScanner::scan_style_attribute(std::string_view css) {
  CssScanner scanner(base_);
  add_found(scanner.feed(css));
  add_found(scanner.finish());
}

}  // namespace wiresim::http
