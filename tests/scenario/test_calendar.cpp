// ISO 8601 UTC times for start_time.

#include <catch2/catch.hpp>

#include "wiresim/scenario/calendar.hpp"

using namespace wiresim::scenario;

namespace {

std::int64_t unix_ns(std::string_view text) {
  const auto r = parse_utc_time(text);
  INFO(text << ": " << r.error);
  REQUIRE(r);
  return r.value->unix_ns;
}

std::string error_of(std::string_view text) {
  const auto r = parse_utc_time(text);
  REQUIRE_FALSE(r);
  return r.error;
}

constexpr std::int64_t kSecond = 1'000'000'000;

}  // namespace

TEST_CASE("UTC times parse into nanoseconds since the Unix epoch", "[scenario][calendar]") {
  CHECK(unix_ns("1970-01-01T00:00:00Z") == 0);
  CHECK(unix_ns("2023-10-25T14:30:00Z") == 1'698'244'200 * kSecond);
  CHECK(unix_ns("2000-01-01T00:00:00Z") == kDefaultStartTime.unix_ns);
  CHECK(unix_ns("2024-02-29T12:00:00Z") == 1'709'208'000 * kSecond);
  CHECK(unix_ns("2105-12-31T23:59:59Z") == 4'291'747'199 * kSecond);
  CHECK(unix_ns("2023-10-25T14:30:00.5Z") == 1'698'244'200 * kSecond + 500'000'000);
  CHECK(unix_ns("2023-10-25T14:30:00.000000001Z") == 1'698'244'200 * kSecond + 1);
}

TEST_CASE("UTC offsets are applied", "[scenario][calendar]") {
  CHECK(unix_ns("2023-10-25T16:30:00+02:00") == unix_ns("2023-10-25T14:30:00Z"));
  CHECK(unix_ns("2023-10-25T09:00:00-05:30") == unix_ns("2023-10-25T14:30:00Z"));
  CHECK(unix_ns("2023-10-25T14:30:00+00:00") == unix_ns("2023-10-25T14:30:00Z"));
}

TEST_CASE("invalid UTC times are rejected with a reason", "[scenario][calendar]") {
  CHECK(error_of("2023-02-29T00:00:00Z") == "day 29 does not exist in 2023-02");
  CHECK(error_of("2023-04-31T00:00:00Z") == "day 31 does not exist in 2023-04");
  CHECK(error_of("2023-13-01T00:00:00Z") == "month 13 does not exist");
  CHECK(error_of("2023-10-25T24:00:00Z") == "time of day out of range");
  CHECK(error_of("2023-10-25T23:60:00Z") == "time of day out of range");
  CHECK(error_of("2023-10-25T23:59:60Z") == "time of day out of range");
  CHECK(error_of("2023-10-25 14:30:00Z") == "not an ISO 8601 date and time");
  CHECK(error_of("2023-10-25T14:30:00") == "not an ISO 8601 date and time");
  CHECK(error_of("2023-10-25T14:30Z") == "not an ISO 8601 date and time");
  CHECK(error_of("2023-10-25T14:30:00.Z") == "not an ISO 8601 date and time");
  CHECK(error_of("2023-10-25T14:30:00.1234567890Z") == "not an ISO 8601 date and time");
  CHECK(error_of("2023-10-25T14:30:00+2:00") == "not an ISO 8601 date and time");
  CHECK(error_of("2023-10-25") == "not an ISO 8601 date and time");
  CHECK(error_of("1969-12-31T23:59:59Z") == "out of range");
  CHECK(error_of("1970-01-01T00:30:00+01:00") == "out of range");
  CHECK(error_of("2106-01-01T00:00:00Z") == "out of range");
}

TEST_CASE("UTC times print back in ISO 8601", "[scenario][calendar]") {
  CHECK(to_string(UtcTime{0}) == "1970-01-01T00:00:00Z");
  CHECK(to_string(kDefaultStartTime) == "2000-01-01T00:00:00Z");
  CHECK(to_string(UtcTime{1'698'244'200 * kSecond + 250'000'000}) == "2023-10-25T14:30:00.25Z");
  CHECK(to_string(UtcTime{1'709'208'000 * kSecond + 1}) == "2024-02-29T12:00:00.000000001Z");
  for (const char* text : {"1999-12-31T23:59:59Z", "2023-10-25T14:30:00.123456789Z", "2105-12-31T23:59:59Z"}) {
    CHECK(to_string(*parse_utc_time(text).value) == text);
  }
}
