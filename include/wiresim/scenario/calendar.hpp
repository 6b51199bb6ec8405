#pragma once
/// Calendar time in UTC, for the wall-clock time that simulated t=0 maps to
/// (capture timestamps). Never used to order anything inside a run.

#include <cstdint>
#include <string>
#include <string_view>

#include "wiresim/scenario/units.hpp"

namespace wiresim::scenario {

/// A point in calendar time: nanoseconds since 1970-01-01T00:00:00Z,
/// ignoring leap seconds (POSIX time). Invariant: 1970 <= year <= 2105, so
/// that every timestamp fits the 32-bit seconds of classic pcap.
struct UtcTime {
  std::int64_t unix_ns = 0;

  auto operator<=>(const UtcTime&) const = default;
};

/// 2000-01-01T00:00:00Z: simulated t=0 when a scenario gives no start_time.
inline constexpr UtcTime kDefaultStartTime{946'684'800'000'000'000};

inline constexpr std::string_view kUtcTimeHint =
    "an ISO 8601 time such as 2023-10-25T14:30:00Z or 2023-10-25T16:30:00.250+02:00";

/// ISO 8601: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)", fraction up
/// to 9 digits. Offsets are applied, so the result is UTC.
ParseResult<UtcTime> parse_utc_time(std::string_view text);
/// "2023-10-25T14:30:00Z", with ".fraction" (shortest, up to 9 digits) when
/// not on a whole second.
std::string to_string(UtcTime t);

}  // namespace wiresim::scenario
