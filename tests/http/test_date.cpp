#include <catch2/catch.hpp>

#include "wiresim/http/conditional.hpp"
#include "wiresim/http/date.hpp"

using namespace wiresim::http;

namespace {
constexpr std::int64_t kRfcExample = 784'111'777;  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110 §5.6.7)
}

TEST_CASE("IMF-fixdate of known instants", "[http][date]") {
  CHECK(format_http_date(kRfcExample) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(format_http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(format_http_date(-1) == "Wed, 31 Dec 1969 23:59:59 GMT");
  CHECK(format_http_date(946'684'800) == "Sat, 01 Jan 2000 00:00:00 GMT");
  CHECK(format_http_date(951'782'400) == "Tue, 29 Feb 2000 00:00:00 GMT");
  CHECK(format_http_date(1'698'244'200) == "Wed, 25 Oct 2023 14:30:00 GMT");
  CHECK(format_http_date(4'102'444'799) == "Thu, 31 Dec 2099 23:59:59 GMT");
  CHECK(format_http_date(4'107'542'399) == "Sun, 28 Feb 2100 23:59:59 GMT");  // 2100 is not a leap year
  CHECK(format_http_date(4'107'542'400) == "Mon, 01 Mar 2100 00:00:00 GMT");
  CHECK(format_http_date(253'402'300'799) == "Fri, 31 Dec 9999 23:59:59 GMT");  // the last four-digit year
  CHECK(format_http_date(253'402'300'800) == "Sat, 01 Jan 10000 00:00:00 GMT");  // no four-digit form: fmt's
}

TEST_CASE("Date at a simulated time", "[http][date]") {
  constexpr std::int64_t kStart = 946'684'800'000'000'000;  // 2000-01-01T00:00:00Z
  CHECK(http_date_at(kStart, wiresim::Time::zero()) == "Sat, 01 Jan 2000 00:00:00 GMT");
  CHECK(http_date_at(kStart, wiresim::Time::from_ns(1'999'999'999)) == "Sat, 01 Jan 2000 00:00:01 GMT");
  CHECK(http_date_at(kStart + 500'000'000, wiresim::Time::from_ns(500'000'000)) == "Sat, 01 Jan 2000 00:00:01 GMT");
}

TEST_CASE("all three HTTP-date formats parse", "[http][date]") {
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == kRfcExample);
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == kRfcExample);
  CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == kRfcExample);
  CHECK(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT") == 951'782'400);
  CHECK(parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT") == 946'684'800);
  CHECK(parse_http_date("Thu Jan 01 00:00:00 1970") == 0);
}

TEST_CASE("invalid HTTP-dates", "[http][date]") {
  for (const char* bad : {"", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC",
                          "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT",
                          "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 29 Feb 1900 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
                          "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 00 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 08:49:37 GMT ", "Sun Nov 6 08:49:37 1994", "Sunday, 06-Nov-1994 08:49:37 GMT"}) {
    INFO(bad);
    CHECK_FALSE(parse_http_date(bad));
  }
}

TEST_CASE("HTTP-dates round trip", "[http][date]") {
  for (std::int64_t t = -86'400 * 400; t < 4'102'444'800; t += 86'400 * 97 + 3'671) {
    INFO(t);
    REQUIRE(parse_http_date(format_http_date(t)) == t);
  }
}

TEST_CASE("ISO 8601 with milliseconds for HAR", "[http][date]") {
  CHECK(format_iso8601_ms(784'111'777'123'456'789) == "1994-11-06T08:49:37.123Z");
  CHECK(format_iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_iso8601_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_iso8601_ms(946'684'800'020'999'999) == "2000-01-01T00:00:00.020Z");
}

TEST_CASE("If-None-Match decides with weak comparison", "[http][conditional]") {
  const std::string etag = "\"a1b2\"";
  CHECK(is_not_modified({{"If-None-Match", "\"a1b2\""}}, etag, 100));
  CHECK(is_not_modified({{"If-None-Match", "W/\"a1b2\""}}, etag, 100));
  CHECK(is_not_modified({{"If-None-Match", "\"x,y\", \"a1b2\""}}, etag, 100));
  CHECK(is_not_modified({{"If-None-Match", "\"x\""}, {"If-None-Match", "\"a1b2\""}}, etag, 100));
  CHECK(is_not_modified({{"If-None-Match", "*"}}, etag, 100));
  CHECK_FALSE(is_not_modified({{"If-None-Match", "\"a1b\""}}, etag, 100));
  CHECK_FALSE(is_not_modified({{"If-None-Match", "a1b2"}}, etag, 100));
  // If-None-Match takes precedence over If-Modified-Since (RFC 9110 §13.2.2).
  CHECK_FALSE(is_not_modified({{"If-None-Match", "\"old\""}, {"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}},
                              etag, 100));
}

TEST_CASE("If-Modified-Since", "[http][conditional]") {
  const std::string etag = "\"e\"";
  CHECK(is_not_modified({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}, etag, kRfcExample));
  CHECK(is_not_modified({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}, etag, kRfcExample - 1));
  CHECK_FALSE(is_not_modified({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}, etag, kRfcExample + 1));
  CHECK_FALSE(is_not_modified({{"If-Modified-Since", "yesterday"}}, etag, 0));
  CHECK_FALSE(is_not_modified({}, etag, 0));
}
