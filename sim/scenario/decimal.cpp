#include "wiresim/scenario/decimal.hpp"

#include <limits>

namespace wiresim::scenario {
namespace {

constexpr int kMaxDigits = 19;  ///< 10^19 - 1 fits in uint64

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Length of the run of digits at the start of `s`.
std::size_t digit_run(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && is_digit(s[n])) ++n;
  return n;
}

/// Appends `digits` to `d`; false if more than kMaxDigits significant digits result.
bool append_digits(Decimal& d, std::string_view digits, int& significant) {
  for (const char c : digits) {
    if (d.digits == 0 && c == '0') continue;  // leading zeros are not significant
    if (++significant > kMaxDigits) return false;
    d.digits = d.digits * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

std::optional<DecimalPrefix> read_decimal(std::string_view text) {
  const std::size_t whole = digit_run(text);
  if (whole == 0) return std::nullopt;
  std::string_view fraction;
  std::size_t end = whole;
  if (end < text.size() && text[end] == '.') {
    const std::size_t frac_len = digit_run(text.substr(end + 1));
    if (frac_len == 0) return std::nullopt;
    fraction = text.substr(end + 1, frac_len);
    end += 1 + frac_len;
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);

  DecimalPrefix out{{}, text.substr(end), false};
  int significant = 0;
  if (!append_digits(out.value, text.substr(0, whole), significant) ||
      !append_digits(out.value, fraction, significant)) {
    return DecimalPrefix{{}, text.substr(end), true};
  }
  // Leading zeros of the fraction ("0.05") still multiply by ten each.
  out.value.scale = static_cast<int>(fraction.size());
  if (out.value.scale > kMaxDigits) return DecimalPrefix{{}, text.substr(end), true};
  return out;
}

namespace {

__extension__ using Wide = unsigned __int128;

Wide power_of_ten(int n) {
  Wide p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

bool has_fraction(Decimal value, std::int64_t multiplier) {
  const Wide product = static_cast<Wide>(value.digits) * static_cast<Wide>(multiplier);
  return product % power_of_ten(value.scale) != 0;
}

std::optional<std::int64_t> scale_exact(Decimal value, std::int64_t multiplier) {
  const Wide divisor = power_of_ten(value.scale);
  // digits < 10^19 and multiplier < 2^63: the product fits in 128 bits.
  const Wide product = static_cast<Wide>(value.digits) * static_cast<Wide>(multiplier);
  if (product % divisor != 0) return std::nullopt;
  const Wide result = product / divisor;
  if (result > static_cast<Wide>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  return static_cast<std::int64_t>(result);
}

}  // namespace wiresim::scenario
