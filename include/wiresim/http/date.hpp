#pragma once
/// HTTP dates (RFC 9110 §5.6.7) and ISO 8601 timestamps (for HAR), from
/// Unix time: seconds or nanoseconds since 1970-01-01T00:00:00Z, no leap
/// seconds. Simulated time becomes Unix time by adding the scenario's
/// start time: nothing here reads a clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/core/time.hpp"

namespace wiresim::http {

/// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". Years 0-9999.
[[nodiscard]] std::string format_http_date(std::int64_t unix_seconds);

/// Unix seconds (rounded down) at simulated time `now` of a run whose t=0
/// is `start_unix_ns`.
[[nodiscard]] std::int64_t unix_seconds_at(std::int64_t start_unix_ns, Time now);

/// The Date value at simulated time `now` of a run whose t=0 is
/// `start_unix_ns`: format_http_date(unix_seconds_at(start_unix_ns, now)).
[[nodiscard]] std::string http_date_at(std::int64_t start_unix_ns, Time now);

/// Unix seconds of an HTTP-date in any of the three formats a recipient
/// must accept (RFC 9110 §5.6.7): IMF-fixdate, rfc850-date ("Sunday,
/// 06-Nov-94 08:49:37 GMT"; two-digit years 70-99 are 19xx, 00-69 20xx)
/// and asctime-date ("Sun Nov  6 08:49:37 1994"). nullopt if invalid.
[[nodiscard]] std::optional<std::int64_t> parse_http_date(std::string_view text);

/// "2023-10-25T14:30:00.123Z": ISO 8601 in UTC with milliseconds (rounded
/// down), as HAR startedDateTime wants.
[[nodiscard]] std::string format_iso8601_ms(std::int64_t unix_ns);

}  // namespace wiresim::http
