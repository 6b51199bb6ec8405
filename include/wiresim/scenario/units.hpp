#pragma once
/// Exact parsers for the values people write in scenario files: durations
/// ("20ms", "1.5s"), data rates ("10Mbps"), byte sizes ("64KiB", "1MB"),
/// probabilities ("2%", "0.02"), integers and booleans.
///
/// Decimal fractions are parsed digit by digit into integers, never through
/// binary floating point: "1.1s" is exactly 1'100'000'000 ns. A value that is
/// not a whole number of the base unit ("1.5ns", "0.3B") is rejected.
/// Only probabilities end up as a double (correctly rounded from the text).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/core/data_rate.hpp"
#include "wiresim/core/time.hpp"

namespace wiresim::scenario {

/// The value parsed from a text, or why the text is not acceptable.
template <class T>
struct ParseResult {
  std::optional<T> value;
  std::string error;     ///< e.g. "unknown unit 'Mbs'"; empty on success
  std::string expected;  ///< what to write instead, when more specific than the
                         ///< caller's generic hint; usually empty

  explicit operator bool() const { return value.has_value(); }
  static ParseResult ok(T v) { return ParseResult{std::move(v), {}, {}}; }
  static ParseResult fail(std::string why, std::string instead = {}) {
    return ParseResult{std::nullopt, std::move(why), std::move(instead)};
  }
};

/// What each parser accepts, for "(expected ...)" hints.
inline constexpr std::string_view kDurationHint = "a duration such as 20ms, 500us or 1.5s";
inline constexpr std::string_view kDataRateHint = "a data rate such as 10Mbps, 1Gbps or 100kbps";
inline constexpr std::string_view kByteSizeHint = "a size such as 1500, 1500B, 64KiB or 1MB";
inline constexpr std::string_view kProbabilityHint = "a probability from 0 to 1, such as 0.02 or 2%";
inline constexpr std::string_view kIntegerHint = "a whole number";
inline constexpr std::string_view kBoolHint = "true or false";

/// Non-negative duration: decimal number and unit ns, us (or µs), ms, s, min, h;
/// "0" alone is accepted. Spaces between number and unit are allowed.
ParseResult<Duration> parse_duration(std::string_view text);
/// Data rate: decimal number and unit bps, kbps, Mbps, Gbps, Tbps (powers of
/// 1000), > 0 and a whole number of bits per second; or "infinite".
ParseResult<DataRate> parse_data_rate(std::string_view text);
/// Byte count: a plain integer, or a decimal number and unit B, kB, MB, GB, TB
/// (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024). "KB" is refused
/// as ambiguous.
ParseResult<std::int64_t> parse_byte_size(std::string_view text);
/// Probability in [0, 1]: a decimal ("0.02") or a percentage ("2%").
ParseResult<double> parse_probability(std::string_view text);
/// Unsigned decimal integer (digits only, no sign, no separators).
ParseResult<std::uint64_t> parse_unsigned(std::string_view text);
/// "true" or "false" (also "True"/"TRUE"/"False"/"FALSE", as YAML 1.2 allows).
ParseResult<bool> parse_bool(std::string_view text);

}  // namespace wiresim::scenario
