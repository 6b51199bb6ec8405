#include "wiresim/scenario/calendar.hpp"

#include <fmt/format.h>

namespace wiresim::scenario {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr int kMinYear = 1970;
constexpr int kMaxYear = 2105;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + static_cast<std::int64_t>(doe) - 719'468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

/// Inverse of days_from_civil (civil_from_days).
CivilDate civil_from_days(std::int64_t z) {
  z += 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const auto doe = static_cast<unsigned>(z - era * 146'097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146'096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

/// Reads exactly `n` digits at `pos`, advancing it; -1 if they are not there.
int fixed_digits(std::string_view s, std::size_t& pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool expect_char(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

/// The broken-down fields of an ISO 8601 text, before range checks.
struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::int64_t nanos = 0;
  int offset_minutes = 0;  ///< local time minus UTC
};

/// ".fraction" of up to 9 digits, if present, into nanoseconds.
bool read_fraction(std::string_view s, std::size_t& pos, std::int64_t& nanos) {
  if (pos >= s.size() || s[pos] != '.') return true;
  ++pos;
  std::size_t digits = 0;
  nanos = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (++digits > 9) return false;
    nanos = nanos * 10 + (s[pos++] - '0');
  }
  if (digits == 0) return false;
  for (std::size_t i = digits; i < 9; ++i) nanos *= 10;
  return true;
}

/// "Z", "+HH:MM" or "-HH:MM" at the end of the text.
bool read_offset(std::string_view s, std::size_t& pos, int& offset_minutes) {
  if (expect_char(s, pos, 'Z')) return pos == s.size();
  if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return false;
  const int sign = s[pos++] == '-' ? -1 : 1;
  const int hh = fixed_digits(s, pos, 2);
  if (hh < 0 || hh > 23 || !expect_char(s, pos, ':')) return false;
  const int mm = fixed_digits(s, pos, 2);
  if (mm < 0 || mm > 59) return false;
  offset_minutes = sign * (hh * 60 + mm);
  return pos == s.size();
}

/// The fields of "YYYY-MM-DDTHH:MM:SS[.f](Z|±HH:MM)", or false if the text has another shape.
bool read_fields(std::string_view s, Fields& f) {
  std::size_t pos = 0;
  f.year = fixed_digits(s, pos, 4);
  if (f.year < 0 || !expect_char(s, pos, '-')) return false;
  f.month = fixed_digits(s, pos, 2);
  if (f.month < 0 || !expect_char(s, pos, '-')) return false;
  f.day = fixed_digits(s, pos, 2);
  if (f.day < 0 || !expect_char(s, pos, 'T')) return false;
  f.hour = fixed_digits(s, pos, 2);
  if (f.hour < 0 || !expect_char(s, pos, ':')) return false;
  f.minute = fixed_digits(s, pos, 2);
  if (f.minute < 0 || !expect_char(s, pos, ':')) return false;
  f.second = fixed_digits(s, pos, 2);
  if (f.second < 0) return false;
  return read_fraction(s, pos, f.nanos) && read_offset(s, pos, f.offset_minutes);
}

/// Why the fields are not a valid date and time, or "" if they are.
std::string range_problem(const Fields& f) {
  if (f.month < 1 || f.month > 12) return fmt::format("month {} does not exist", f.month);
  const unsigned month = static_cast<unsigned>(f.month);
  if (f.day < 1 || static_cast<unsigned>(f.day) > days_in_month(f.year, month)) {
    return fmt::format("day {} does not exist in {:04d}-{:02d}", f.day, f.year, f.month);
  }
  if (f.hour > 23 || f.minute > 59 || f.second > 59) return "time of day out of range";
  return {};
}

}  // namespace

ParseResult<UtcTime> parse_utc_time(std::string_view text) {
  using Result = ParseResult<UtcTime>;
  Fields f;
  if (!read_fields(text, f)) return Result::fail("not an ISO 8601 date and time");
  if (const std::string problem = range_problem(f); !problem.empty()) return Result::fail(problem);
  const std::int64_t days = days_from_civil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
  const std::int64_t seconds =
      days * kSecondsPerDay + f.hour * 3600 + f.minute * 60 + f.second - std::int64_t{f.offset_minutes} * 60;
  const int utc_year = static_cast<int>(civil_from_days(seconds >= 0 ? seconds / kSecondsPerDay : -1).year);
  if (seconds < 0 || utc_year > kMaxYear || utc_year < kMinYear) {
    return Result::fail("out of range", fmt::format("a time from {}-01-01 to {}-12-31 UTC", kMinYear, kMaxYear));
  }
  return Result::ok(UtcTime{seconds * kNsPerSecond + f.nanos});
}

std::string to_string(UtcTime t) {
  const std::int64_t seconds = t.unix_ns / kNsPerSecond;
  const std::int64_t nanos = t.unix_ns % kNsPerSecond;
  const CivilDate date = civil_from_days(seconds / kSecondsPerDay);
  const std::int64_t sod = seconds % kSecondsPerDay;
  std::string out = fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", date.year, date.month, date.day,
                                sod / 3600, sod / 60 % 60, sod % 60);
  if (nanos != 0) {
    std::string frac = fmt::format("{:09d}", nanos);
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + "Z";
}

}  // namespace wiresim::scenario
