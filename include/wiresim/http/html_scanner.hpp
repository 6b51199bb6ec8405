#pragma once
/// Discovers a page's subresources while its HTML arrives, like a browser's
/// preload scanner: fed the document in pieces split anywhere, it reports,
/// in document order and each URL once, <img src> (with its width and
/// height), <body background>, <link rel=stylesheet href>, <link rel=icon
/// href>, <script src> (async or defer), and
/// url(...) in <style> elements and style attributes. Tags are read with a
/// subset of the HTML tokenizer (WHATWG HTML §13.2.5): any case, quoted,
/// unquoted and valueless attributes (the first of a repeated name wins),
/// comments, doctypes, and raw text elements (script, style, textarea,
/// title, ...) whose content is not markup. <base href> sets the base URL.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wiresim/http/css_scanner.hpp"
#include "wiresim/http/subresource.hpp"
#include "wiresim/http/url.hpp"

namespace wiresim::http {

class HtmlScanner {
 public:
  /// `document_url` is where the HTML came from: the base for relative references.
  explicit HtmlScanner(Url document_url) : document_url_(document_url), base_(std::move(document_url)) {}

  /// Subresources found within `html` (the next piece of the document).
  std::vector<Subresource> feed(std::string_view html);
  /// End of the document: an unterminated <style> is scanned to its end; an
  /// unterminated tag is dropped (as browsers do).
  std::vector<Subresource> finish();

  /// The base URL: the document's, or its first <base href>.
  [[nodiscard]] const Url& base() const { return base_; }

 private:
  enum class State {
    kData, kTagOpen, kEndTagOpen, kTagName, kBeforeAttrName, kAttrName, kAfterAttrName,
    kBeforeAttrValue, kAttrValueQuoted, kAttrValueUnquoted, kAfterAttrValueQuoted, kSelfClosing,
    kMarkupOpen, kComment, kBogusComment, kRawText,
  };

  bool step(char c);  ///< false: process c again in the new state
  bool in_data(char c);
  bool in_tag_open(char c);
  bool in_end_tag_open(char c);
  bool in_tag_name(char c);
  bool in_before_attr_name(char c);
  bool in_attr_name(char c);
  bool in_after_attr_name(char c);
  bool in_before_attr_value(char c);
  bool in_attr_value_quoted(char c);
  bool in_attr_value_unquoted(char c);
  void append_attr_value(char c);
  bool in_after_attr_value_quoted(char c);
  bool in_self_closing(char c);
  bool in_markup_open(char c);
  bool in_comment(char c);
  bool in_raw_text(char c);

  void start_tag(bool end_tag);
  void start_attr();
  void commit_attr();
  void emit_tag();
  void on_start_tag();
  void enter_raw_text();
  void leave_raw_text();
  void flush_style_text();
  [[nodiscard]] std::optional<std::string_view> attr(std::string_view name) const;
  /// Adds a subresource; false if there is none (no URL, or one seen before).
  bool add(ResourceKind kind, std::optional<std::string_view> reference);
  void add_found(std::vector<Subresource> found);
  void scan_style_attribute(std::string_view css);

  Url document_url_;
  Url base_;
  bool have_base_ = false;
  State state_ = State::kData;

  // The tag being read.
  std::string tag_name_;
  bool end_tag_ = false;
  std::vector<std::pair<std::string, std::string>> attrs_;
  std::string attr_name_;
  std::string attr_value_;
  bool in_attr_ = false;
  bool attr_too_long_ = false;
  char quote_ = '"';

  // Comments: "-" seen at "<!" and the run of "-" (and "!") before ">".
  bool markup_dash_ = false;
  int comment_dashes_ = 0;
  bool comment_bang_ = false;

  // Raw text: the element, how much of "</name" matched, the text held back.
  std::string raw_tag_;
  std::size_t raw_match_ = 0;
  std::string raw_pending_;
  std::string style_text_;
  std::optional<CssScanner> style_;

  std::set<std::string> seen_;
  std::vector<Subresource> found_;
};

/// An attribute value with character references decoded (WHATWG HTML
/// §13.2.5.72): numeric ones, and amp, lt, gt, quot, apos, nbsp by name.
[[nodiscard]] std::string decode_char_refs(std::string_view value);

}  // namespace wiresim::http
