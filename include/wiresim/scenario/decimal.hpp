#pragma once
/// A decimal number read digit by digit, so that scaling it into integer
/// units is exact. Used by the unit parsers; not for general use.

#include <cstdint>
#include <optional>
#include <string_view>

namespace wiresim::scenario {

/// digits / 10^scale, e.g. "12.50" is {1250, 2}.
struct Decimal {
  std::uint64_t digits = 0;  ///< the number without its decimal point
  int scale = 0;             ///< digits after the decimal point, 0..19
};

/// Where a decimal number ends inside a longer text.
struct DecimalPrefix {
  Decimal value;
  std::string_view rest;  ///< the text after the number (the unit)
  bool too_long = false;  ///< more than 19 significant digits; `value` is unset
};

/// Reads "DIGITS[.DIGITS]" from the start of `text`. Trailing zeros of the
/// fraction are dropped. Returns nullopt if `text` does not start with a
/// digit or the point is not followed by a digit. A number with more than 19
/// significant digits comes back with `too_long` set.
std::optional<DecimalPrefix> read_decimal(std::string_view text);

/// value * multiplier, if that is a whole number that fits in int64.
/// `multiplier` must be positive.
std::optional<std::int64_t> scale_exact(Decimal value, std::int64_t multiplier);
/// True if value * multiplier is not a whole number.
bool has_fraction(Decimal value, std::int64_t multiplier);

}  // namespace wiresim::scenario
