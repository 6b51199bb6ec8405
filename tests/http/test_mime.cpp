#include <catch2/catch.hpp>

#include "wiresim/http/mime.hpp"

using namespace wiresim::http;

TEST_CASE("content types from file extensions", "[http][mime]") {
  CHECK(content_type_for("/index.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("page.HTM") == "text/html; charset=utf-8");
  CHECK(content_type_for("/Myhead.jpg") == "image/jpeg");
  CHECK(content_type_for("/photo.JPEG") == "image/jpeg");
  CHECK(content_type_for("/background.png") == "image/png");
  CHECK(content_type_for("/s/site.css") == "text/css");
  CHECK(content_type_for("/app.js") == "application/javascript");
  CHECK(content_type_for("/favicon.ico") == "image/x-icon");
  CHECK(content_type_for("/logo.svg") == "image/svg+xml");
  CHECK(content_type_for("/anim.gif") == "image/gif");
  CHECK(content_type_for("/readme.txt") == "text/plain; charset=utf-8");
  CHECK(content_type_for("/data.json") == "application/json");
  CHECK(content_type_for("/archive.tar.gz") == "application/octet-stream");
  CHECK(content_type_for("/noext") == "application/octet-stream");
  CHECK(content_type_for("/.png") == "application/octet-stream");
  CHECK(content_type_for("/dir.png/file") == "application/octet-stream");
}

TEST_CASE("media type without parameters", "[http][mime]") {
  CHECK(media_type("Text/HTML; charset=utf-8") == "text/html");
  CHECK(media_type(" image/png ") == "image/png");
  CHECK(media_type("").empty());
}
