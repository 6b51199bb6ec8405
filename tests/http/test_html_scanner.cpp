// The subresource scanners, fed documents whole, split at every byte
// offset and one byte at a time: the same resources in the same order.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "http_test_util.hpp"
#include "wiresim/http/css_scanner.hpp"
#include "wiresim/http/html_scanner.hpp"

using namespace wiresim::http;
using K = ResourceKind;

namespace {

using Pieces = std::vector<std::string_view>;
using Found = std::vector<Subresource>;

template <class Scanner>
Found scan(const Url& base, const Pieces& pieces) {
  Scanner scanner(base);
  Found all;
  const auto take = [&all](Found found) { all.insert(all.end(), found.begin(), found.end()); };
  for (const std::string_view piece : pieces) take(scanner.feed(piece));
  take(scanner.finish());
  return all;
}

template <class Scanner>
void check_every_split(const Url& base, std::string_view doc, const Found& expected) {
  REQUIRE(scan<Scanner>(base, Pieces{doc}) == expected);
  for (std::size_t i = 0; i <= doc.size(); ++i) {
    INFO("split at " << i);
    REQUIRE(scan<Scanner>(base, Pieces{doc.substr(0, i), doc.substr(i)}) == expected);
  }
  Pieces bytes;
  for (std::size_t i = 0; i < doc.size(); ++i) bytes.push_back(doc.substr(i, 1));
  CHECK(scan<Scanner>(base, bytes) == expected);
}

Subresource res(K kind, const std::string& url, std::string reference) {
  return Subresource{kind, *Url::parse(url), std::move(reference)};
}

}  // namespace

TEST_CASE("the lab page: background and logo", "[http][html]") {
  const std::string page = wiresim::http::test::read_file(wiresim::http::test::lab_site_dir() / "index.html");
  REQUIRE(page.find("<title>MooseWeb</title>") != std::string::npos);
  // Document order; a browser requests the <img> first and the body
  // background after style resolution (ResourceKind::kBackground).
  check_every_split<HtmlScanner>(*Url::parse("http://10.130.197.105:24/"), page,
                                 {res(K::kBackground, "http://10.130.197.105:24/background.png", "background.png"),
                                  res(K::kImage, "http://10.130.197.105:24/Myhead.jpg", "Myhead.jpg")});
}

TEST_CASE("<img> sizes and <script async/defer>, as Blink's preload scanner reads them", "[http][html][priority]") {
  const Url base = *Url::parse("http://h/");
  const auto img = [&](const std::string& src, std::optional<double> w, std::optional<double> h) {
    Subresource r = res(K::kImage, "http://h/" + src, src);
    r.width = w;
    r.height = h;
    return r;
  };
  const auto script = [&](const std::string& src, bool deferred) {
    Subresource r = res(K::kScript, "http://h/" + src, src);
    r.deferred = deferred;
    return r;
  };
  // HTML dimension values: digits, a fraction, units ignored; a
  // percentage or a relative length ("*") is no size; garbage is none.
  check_every_split<HtmlScanner>(
      base,
      "<img src=a width=47 height=\"63\"><img src=b width=' 2.5px' height=10%><IMG SRC=c WIDTH=x HEIGHT=3*>"
      "<img src=d><script src=e></script><script async src=f></script><script src=g defer></script>",
      {img("a", 47, 63), img("b", 2.5, std::nullopt), img("c", std::nullopt, std::nullopt),
       img("d", std::nullopt, std::nullopt), script("e", false), script("f", true), script("g", true)});
}

TEST_CASE("tricky real-world HTML", "[http][html]") {
  const std::string doc = R"html(<!DOCTYPE html>
<!-- <img src="commented.png"> -- still a comment -->
<!--><img src="after-abrupt-comment.png">
<HTML><HEAD>
<TITLE>a <img src="in-title.png"> b</TITLE>
<LINK HREF="css/site.css" REL=Stylesheet>
<link rel="shortcut icon" href=/favicon.ico>
<link rel=preload href="not-fetched.css">
<style type="text/css">
  @import "imp.css";
  body { background: url( 'bg.png' ) } /* url(commented.png) */
  .a::after { content: "url(in-string.png)" }
  .b { background-image: URL(b\).png) } </styles> .c { background: url(still-style.png) } </style
  .d { background: url(in-end-tag.png) }
</STYLE >
<script src='app.js' defer></script>
<script>document.write('<img src="scripted.png">'); var s = "</scr" + "ipt>";</script>
<base href="/static/">
</HEAD>
<BODY BACKGROUND=wall.png>
<p style="background:url(p.png)">
<img alt="a > b" src="gt.png">
<IMG SRC = 'spaced.png' >
<img/src="slash.png">
<img src="q.png?a=1&amp;b=2&lt">
<img src="" alt="empty"><img src="   ">
<img src="data:image/gif;base64,R0lGODlh">
<img src="https://secure.example/x.png">
<img src="http://other.example:8080/abs.png">
<img src="gt.png">
<img src=unquoted.png width=10>
<img src="first.png" src="second.png">
<textarea><img src="in-textarea.png"></textarea>
<img src="../up.png"><img src=&#x2F;hex&#46;png>
<![CDATA[ <img src="cdata.png"> ]]>
<? <img src="pi.png"> ?>
< img src="not-a-tag.png">
</BODY></HTML>
<img src="cut-off.png")html";
  const std::string d = "http://10.130.197.105:24/dir/";
  const std::string s = "http://10.130.197.105:24/static/";
  Found expected{res(K::kImage, d + "after-abrupt-comment.png", "after-abrupt-comment.png"),
                 res(K::kStylesheet, d + "css/site.css", "css/site.css"),
                 res(K::kIcon, "http://10.130.197.105:24/favicon.ico", "/favicon.ico"),
                 res(K::kStylesheet, d + "imp.css", "imp.css"),
                 res(K::kCssUrl, d + "bg.png", "bg.png"),
                 res(K::kCssUrl, d + "b).png", "b).png"),
                 res(K::kCssUrl, d + "still-style.png", "still-style.png"),
                 res(K::kScript, d + "app.js", "app.js"),
                 res(K::kBackground, s + "wall.png", "wall.png"),
                 res(K::kCssUrl, s + "p.png", "p.png"),
                 res(K::kImage, s + "gt.png", "gt.png"),
                 res(K::kImage, s + "spaced.png", "spaced.png"),
                 res(K::kImage, s + "slash.png", "slash.png"),
                 res(K::kImage, s + "q.png?a=1&b=2%3C", "q.png?a=1&b=2<"),
                 res(K::kImage, "http://other.example:8080/abs.png", "http://other.example:8080/abs.png"),
                 res(K::kImage, s + "unquoted.png", "unquoted.png"),
                 res(K::kImage, s + "first.png", "first.png"),
                 res(K::kImage, "http://10.130.197.105:24/up.png", "../up.png"),
                 res(K::kImage, "http://10.130.197.105:24/hex.png", "/hex.png")};
  expected[7].deferred = true;  // <script defer>
  expected[15].width = 10;      // <img width=10>
  check_every_split<HtmlScanner>(*Url::parse(d + "page.html"), doc, expected);
}

TEST_CASE("an unterminated style element is scanned at the end", "[http][html]") {
  check_every_split<HtmlScanner>(*Url::parse("http://h/"), "<style>a{background:url(late.png",
                                 {res(K::kCssUrl, "http://h/late.png", "late.png")});
}

TEST_CASE("character references in attribute values", "[http][html]") {
  CHECK(decode_char_refs("a&amp;b&lt;c&gt;d&quot;e&apos;f") == "a&b<c>d\"e'f");
  CHECK(decode_char_refs("&#65;&#x42;&#X43;&#68") == "ABCD");
  CHECK(decode_char_refs("&nbsp;") == "\xc2\xa0");
  CHECK(decode_char_refs("&#0;&#x110000;&#xD800;") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(decode_char_refs("?a=1&amp=2&ampx&amp") == "?a=1&amp=2&ampx&");  // legacy rule before "=" and alnum
  CHECK(decode_char_refs("&copy; &# &#x; &unknown;") == "&copy; &# &#x; &unknown;");
}

TEST_CASE("url() and @import in a stylesheet", "[http][css]") {
  const std::string css = R"css(@charset "utf-8";
@import url("print.css") print;
@IMPORT 'theme.css';
/* @import "commented.css"; url(commented.png) */
body{background:url(../img/bg.png) no-repeat}
.x{background-image:url(  "sp ace.png"  )}
.y{background:url(esc\61 pe.png)}
.t{background:url("q\75\6f te\"d.png")}
.z{content:"url(no.png) \" url(no2.png)";background:url(bad"quote.png)}
.w{background:url(bad space.png)}
.v{background: my-url(no3.png) url (no4.png)}
@font-face{font-family:f;src:url(font.woff2) format("woff2")}
.dup{background:url(../img/bg.png)}
.e{background:url()}
.last{background:url(last.png)css";
  check_every_split<CssScanner>(*Url::parse("http://h/css/site.css"), css,
                                {res(K::kStylesheet, "http://h/css/print.css", "print.css"),
                                 res(K::kStylesheet, "http://h/css/theme.css", "theme.css"),
                                 res(K::kCssUrl, "http://h/img/bg.png", "../img/bg.png"),
                                 res(K::kCssUrl, "http://h/css/sp%20ace.png", "sp ace.png"),
                                 res(K::kCssUrl, "http://h/css/escape.png", "escape.png"),
                                 res(K::kCssUrl, "http://h/css/quote%22d.png", "quote\"d.png"),
                                 res(K::kCssUrl, "http://h/css/font.woff2", "font.woff2"),
                                 res(K::kCssUrl, "http://h/css/last.png", "last.png")});
}

TEST_CASE("CSS escapes", "[http][css]") {
  CHECK(decode_css_escapes(R"(a\62 c)") == "abc");
  CHECK(decode_css_escapes(R"(\000041x)") == "Ax");
  CHECK(decode_css_escapes(R"(\)\"\\)") == ")\"\\");
  CHECK(decode_css_escapes("a\\\nb") == "ab");
  CHECK(decode_css_escapes(R"(\0)") == "\xef\xbf\xbd");
  CHECK(decode_css_escapes("end\\") == "end\\");
}
