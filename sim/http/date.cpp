#include "wiresim/http/date.hpp"

#include <array>

#include <fmt/format.h>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kLongDays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                    "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct CivilTime {
  std::int64_t year = 1970;
  int month = 1;  ///< 1-12
  int day = 1;    ///< 1-31
  int hour = 0;
  int minute = 0;
  int second = 0;  ///< 0-60 (a leap second reads as the next minute's 0)
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
/// low-level date algorithms", days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (m + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + doe - 719'468;
}

/// The inverse of days_from_civil (civil_from_days), with the time of day.
CivilTime civil_from_seconds(std::int64_t unix_seconds) {
  const std::int64_t days = floor_div(unix_seconds, kSecondsPerDay);
  const std::int64_t secs = unix_seconds - days * kSecondsPerDay;
  const std::int64_t z = days + 719'468;
  const std::int64_t era = floor_div(z, 146'097);
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  CivilTime t;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = yoe + era * 400 + (t.month <= 2);
  t.hour = static_cast<int>(secs / 3600);
  t.minute = static_cast<int>(secs / 60 % 60);
  t.second = static_cast<int>(secs % 60);
  return t;
}

/// 0 = Sunday. 1970-01-01 was a Thursday (4).
std::size_t weekday(std::int64_t unix_seconds) {
  const std::int64_t days = floor_div(unix_seconds, kSecondsPerDay);
  return static_cast<std::size_t>((days % 7 + 7 + 4) % 7);
}

bool leap_year(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, int m) {
  constexpr std::array<int, 12> kDaysIn{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap_year(y) ? 29 : kDaysIn[static_cast<std::size_t>(m - 1)];
}

/// A fixed-width field of decimal digits ("08"); -1 if not all digits.
int digits(std::string_view s) {
  int n = 0;
  for (const char c : s) {
    if (!is_digit(c)) return -1;
    n = n * 10 + (c - '0');
  }
  return s.empty() ? -1 : n;
}

int month_number(std::string_view name) {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return static_cast<int>(i) + 1;
  }
  return -1;
}

/// "HH:MM:SS" into t.
bool parse_time_of_day(std::string_view s, CivilTime& t) {
  if (s.size() != 8 || s[2] != ':' || s[5] != ':') return false;
  t.hour = digits(s.substr(0, 2));
  t.minute = digits(s.substr(3, 2));
  t.second = digits(s.substr(6, 2));
  return t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 && t.second <= 60;
}

std::optional<std::int64_t> to_unix(const CivilTime& t) {
  if (t.month < 1 || t.day < 1 || t.day > days_in_month(t.year, t.month)) return std::nullopt;
  return days_from_civil(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 + t.minute * 60 + t.second;
}

bool is_day_name(std::string_view s, const std::array<std::string_view, 7>& names) {
  for (const std::string_view n : names) {
    if (n == s) return true;
  }
  return false;
}

/// IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT, date1 = 2DIGIT SP month SP 4DIGIT.
std::optional<std::int64_t> parse_imf_fixdate(std::string_view s) {
  if (s.size() != 29 || !is_day_name(s.substr(0, 3), kDays) || s.substr(3, 2) != ", " || s[7] != ' ' ||
      s[11] != ' ' || s[16] != ' ' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  CivilTime t;
  t.day = digits(s.substr(5, 2));
  t.month = month_number(s.substr(8, 3));
  t.year = digits(s.substr(12, 4));
  if (t.year < 0 || !parse_time_of_day(s.substr(17, 8), t)) return std::nullopt;
  return to_unix(t);
}

/// rfc850-date = day-name-l "," SP 2DIGIT "-" month "-" 2DIGIT SP time-of-day SP GMT.
std::optional<std::int64_t> parse_rfc850(std::string_view s) {
  const std::size_t comma = s.find(',');
  if (comma == std::string_view::npos || !is_day_name(s.substr(0, comma), kLongDays)) return std::nullopt;
  s.remove_prefix(comma + 1);
  if (s.size() != 23 || s[0] != ' ' || s[3] != '-' || s[7] != '-' || s[10] != ' ' || s.substr(19) != " GMT") {
    return std::nullopt;
  }
  CivilTime t;
  t.day = digits(s.substr(1, 2));
  t.month = month_number(s.substr(4, 3));
  const int yy = digits(s.substr(8, 2));
  if (yy < 0 || !parse_time_of_day(s.substr(11, 8), t)) return std::nullopt;
  t.year = yy >= 70 ? 1900 + yy : 2000 + yy;
  return to_unix(t);
}

/// asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT )) SP time-of-day SP 4DIGIT.
std::optional<std::int64_t> parse_asctime(std::string_view s) {
  if (s.size() != 24 || !is_day_name(s.substr(0, 3), kDays) || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' ||
      s[19] != ' ') {
    return std::nullopt;
  }
  CivilTime t;
  t.month = month_number(s.substr(4, 3));
  t.day = s[8] == ' ' ? digits(s.substr(9, 1)) : digits(s.substr(8, 2));
  t.year = digits(s.substr(20, 4));
  if (t.year < 0 || !parse_time_of_day(s.substr(11, 8), t)) return std::nullopt;
  return to_unix(t);
}

/// Appends `v` (0 <= v < 10^width) as exactly `width` decimal digits.
void append_digits(std::string& out, std::int64_t v, int width) {
  char digits[4];
  for (int i = width - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(digits, static_cast<std::size_t>(width));
}

}  // namespace

/// IMF-fixdate written digit by digit (a server writes one per second of
/// simulated time it answers in); years outside 0-9999, which have no
/// four-digit form, go through fmt as before.
std::string format_http_date(std::int64_t unix_seconds) {
  const CivilTime t = civil_from_seconds(unix_seconds);
  if (t.year >= 0 && t.year <= 9999) {
    std::string out;
    out.reserve(29);  // "Sun, 06 Nov 1994 08:49:37 GMT"
    out += kDays[weekday(unix_seconds)];
    out += ", ";
    append_digits(out, t.day, 2);
    out += ' ';
    out += kMonths[static_cast<std::size_t>(t.month - 1)];
    out += ' ';
    append_digits(out, t.year, 4);
    out += ' ';
    append_digits(out, t.hour, 2);
    out += ':';
    append_digits(out, t.minute, 2);
    out += ':';
    append_digits(out, t.second, 2);
    out += " GMT";
    return out;
  }
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} GMT", kDays[weekday(unix_seconds)],
                     t.day, kMonths[static_cast<std::size_t>(t.month - 1)], t.year, t.hour, t.minute, t.second);
}

std::int64_t unix_seconds_at(std::int64_t start_unix_ns, Time now) {
  return floor_div(start_unix_ns + now.ns(), 1'000'000'000);
}

std::string http_date_at(std::int64_t start_unix_ns, Time now) {
  return format_http_date(unix_seconds_at(start_unix_ns, now));
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  if (auto t = parse_imf_fixdate(text)) return t;
  if (auto t = parse_rfc850(text)) return t;
  return parse_asctime(text);
}

std::string format_iso8601_ms(std::int64_t unix_ns) {
  const std::int64_t ms = floor_div(unix_ns, 1'000'000);
  const std::int64_t seconds = floor_div(ms, 1000);
  const CivilTime t = civil_from_seconds(seconds);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", t.year, t.month, t.day, t.hour, t.minute,
                     t.second, ms - seconds * 1000);
}

}  // namespace wiresim::http
