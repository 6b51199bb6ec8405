#pragma once
/// Finds the URLs a stylesheet refers to, fed the CSS in pieces of any
/// size: url(...) (quoted or not) and @import "..." / @import url(...),
/// after the tokenizer of CSS Syntax Level 3 §4 closely enough to skip
/// comments and strings, honour escapes and ignore bad urls. Each URL is
/// reported once, in order of appearance.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/http/subresource.hpp"
#include "wiresim/http/url.hpp"

namespace wiresim::http {

class CssScanner {
 public:
  /// References resolve against `base` (the stylesheet's own URL, or the
  /// document's for <style> and style="").
  explicit CssScanner(Url base) : base_(std::move(base)) {}

  /// The URLs whose reference ended within `css` (and was not seen before).
  std::vector<Subresource> feed(std::string_view css);
  /// End of the stylesheet: a url( or string cut off by the end counts
  /// (CSS Syntax §4.3.5, §4.3.6).
  std::vector<Subresource> finish();

 private:
  enum class State { kNormal, kEscape, kSlash, kComment, kCommentStar, kString, kUrlStart, kUrl, kUrlAfter, kBadUrl };

  bool step(char c);  ///< false: process c again in the new state
  bool in_normal(char c);
  bool in_comment(char c);
  bool in_string(char c);
  bool in_url_start(char c);
  bool in_url(char c);
  bool in_url_after(char c);
  bool in_bad_url(char c);
  bool continues_escape(char c);
  void end_ident(char next);
  void start_string(char quote, bool in_url);
  bool append_value(char c);
  void report();

  Url base_;
  State state_ = State::kNormal;
  std::string ident_;        ///< the identifier being read (capped: only "url" and "@import" matter)
  std::string value_;        ///< string or url contents, escapes not yet decoded
  bool value_too_long_ = false;
  bool escape_ = false;      ///< a backslash was the last character of value_
  int hex_digits_ = 0;       ///< hex digits of the escape being read (CSS Syntax §4.3.7)
  char quote_ = '"';
  bool capture_ = false;     ///< the current string is a URL (inside url( or after @import)
  bool string_in_url_ = false;
  bool import_pending_ = false;
  std::set<std::string> seen_;
  std::vector<Subresource> found_;
};

/// CSS escapes (CSS Syntax §4.3.7) decoded: "\\41 " -> "A", "\\)" -> ")",
/// an escaped newline removed; invalid code points become U+FFFD.
[[nodiscard]] std::string decode_css_escapes(std::string_view raw);

}  // namespace wiresim::http
