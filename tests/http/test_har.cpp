#include <string>

#include <catch2/catch.hpp>

#include "wiresim/http/har.hpp"

using namespace wiresim::http;
using wiresim::Duration;

namespace {

constexpr std::int64_t kStart = 1'698'244'220'420'988'000;  // 2023-10-25T14:30:20.420988Z

HarLog lab_log() {
  HarLog log;
  log.creator_version = "0.1.0";
  log.pages.push_back({"page_1", "MooseWeb", kStart, Duration::microseconds(35'500), std::nullopt});

  HarEntry ok;
  ok.pageref = "page_1";
  ok.started_unix_ns = kStart;
  ok.request = {"GET", "http://10.130.197.105:24/?a=1&b", "HTTP/1.1", {{"Host", "10.130.197.105:24"}}, 351, 0};
  ok.response = {200, "OK", "HTTP/1.1",
                 {{"Content-Type", "text/html; charset=utf-8"}, {"Content-Length", "407"}},
                 407, "text/html; charset=utf-8", "", 120, 407};
  ok.timings.blocked = Duration::microseconds(250);
  ok.timings.connect = Duration::nanoseconds(20'123'456);
  ok.timings.send = Duration::microseconds(10);
  ok.timings.wait = Duration::microseconds(6'987);
  ok.server_ip = "10.130.197.105";
  ok.connection = "49817";
  log.entries.push_back(ok);

  HarEntry failed;
  failed.pageref = "page_1";
  failed.started_unix_ns = kStart + 34'000'000;
  failed.request = {"GET", "http://10.130.197.105:24/Myhead.jpg", "HTTP/1.1", {}, -1, 0};
  failed.server_ip = "10.130.197.105";
  failed.connection = "49818";
  failed.error = "connection reset";
  log.entries.push_back(failed);
  return log;
}

}  // namespace

TEST_CASE("HAR text is exact and in the spec's key order", "[http][har]") {
  const std::string expected = R"({
  "log": {
    "version": "1.2",
    "creator": {
      "name": "wiresim",
      "version": "0.1.0"
    },
    "pages": [
      {
        "startedDateTime": "2023-10-25T14:30:20.420Z",
        "id": "page_1",
        "title": "MooseWeb",
        "pageTimings": {
          "onContentLoad": 35.5,
          "onLoad": -1
        }
      }
    ],
    "entries": [
      {
        "pageref": "page_1",
        "startedDateTime": "2023-10-25T14:30:20.420Z",
        "time": 27.37,
        "request": {
          "method": "GET",
          "url": "http://10.130.197.105:24/?a=1&b",
          "httpVersion": "HTTP/1.1",
          "cookies": [],
          "headers": [
            {
              "name": "Host",
              "value": "10.130.197.105:24"
            }
          ],
          "queryString": [
            {
              "name": "a",
              "value": "1"
            },
            {
              "name": "b",
              "value": ""
            }
          ],
          "headersSize": 351,
          "bodySize": 0
        },
        "response": {
          "status": 200,
          "statusText": "OK",
          "httpVersion": "HTTP/1.1",
          "cookies": [],
          "headers": [
            {
              "name": "Content-Type",
              "value": "text/html; charset=utf-8"
            },
            {
              "name": "Content-Length",
              "value": "407"
            }
          ],
          "content": {
            "size": 407,
            "mimeType": "text/html; charset=utf-8"
          },
          "redirectURL": "",
          "headersSize": 120,
          "bodySize": 407
        },
        "cache": {},
        "timings": {
          "blocked": 0.25,
          "dns": -1,
          "connect": 20.123,
          "send": 0.01,
          "wait": 6.987,
          "receive": 0.0,
          "ssl": -1
        },
        "serverIPAddress": "10.130.197.105",
        "connection": "49817"
      },
      {
        "pageref": "page_1",
        "startedDateTime": "2023-10-25T14:30:20.454Z",
        "time": 0.0,
        "request": {
          "method": "GET",
          "url": "http://10.130.197.105:24/Myhead.jpg",
          "httpVersion": "HTTP/1.1",
          "cookies": [],
          "headers": [],
          "queryString": [],
          "headersSize": -1,
          "bodySize": 0
        },
        "response": {
          "status": 0,
          "statusText": "",
          "httpVersion": "",
          "cookies": [],
          "headers": [],
          "content": {
            "size": 0,
            "mimeType": ""
          },
          "redirectURL": "",
          "headersSize": -1,
          "bodySize": -1
        },
        "cache": {},
        "timings": {
          "blocked": -1,
          "dns": -1,
          "connect": -1,
          "send": 0.0,
          "wait": 0.0,
          "receive": 0.0,
          "ssl": -1
        },
        "serverIPAddress": "10.130.197.105",
        "connection": "49818",
        "_error": "connection reset"
      }
    ]
  }
}
)";
  CHECK(to_har_text(lab_log()) == expected);
}

TEST_CASE("HAR browser field and invalid UTF-8", "[http][har]") {
  HarLog log;
  log.creator_version = "1";
  log.browser_name = "wiresim-browser";
  log.browser_version = "2";
  HarEntry e;
  e.request.headers.add("X-Bytes", "caf\xe9");  // obs-text, not UTF-8
  log.entries.push_back(e);
  const nlohmann::ordered_json j = to_json(log);
  CHECK(j["log"]["browser"].dump() == R"({"name":"wiresim-browser","version":"2"})");
  CHECK(j["log"]["pages"].dump() == "[]");
  CHECK(to_har_text(log).find("\"value\": \"caf\xef\xbf\xbd\"") != std::string::npos);
}
