#include "wiresim/scenario/units.hpp"

#include <array>
#include <charconv>
#include <span>

#include <fmt/format.h>

#include "wiresim/scenario/decimal.hpp"

namespace wiresim::scenario {
namespace {

/// A unit suffix and how many base units it is.
struct Unit {
  std::string_view name;
  std::int64_t multiplier;
};

constexpr std::array<Unit, 7> kDurationUnits{{
    {"ns", 1},
    {"us", 1'000},
    {"\u00b5s", 1'000},
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"min", 60'000'000'000},
    {"h", 3'600'000'000'000},
}};
constexpr std::array<Unit, 6> kRateUnits{{
    {"bps", 1},
    {"kbps", 1'000},
    {"Kbps", 1'000},
    {"Mbps", 1'000'000},
    {"Gbps", 1'000'000'000},
    {"Tbps", 1'000'000'000'000},
}};
constexpr std::int64_t kKi = 1024;
constexpr std::array<Unit, 9> kByteUnits{{
    {"B", 1},
    {"kB", 1'000},
    {"MB", 1'000'000},
    {"GB", 1'000'000'000},
    {"TB", 1'000'000'000'000},
    {"KiB", kKi},
    {"MiB", kKi * kKi},
    {"GiB", kKi * kKi * kKi},
    {"TiB", kKi * kKi * kKi * kKi},
}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// The reason `text` does not start with a number, for texts that do not.
std::string not_a_number(std::string_view text) {
  if (text.empty()) return "empty value";
  if (text.front() == '-') return "negative values are not allowed";
  return "not a number";
}

/// Reads the number at the start of `text`, or explains why there is none.
ParseResult<DecimalPrefix> read_number(std::string_view text) {
  const auto number = read_decimal(text);
  if (!number) return ParseResult<DecimalPrefix>::fail(not_a_number(text));
  if (number->too_long) return ParseResult<DecimalPrefix>::fail("too many digits");
  return ParseResult<DecimalPrefix>::ok(*number);
}

std::string unit_list(std::span<const Unit> units) {
  std::string out;
  for (const Unit& u : units) {
    if (!out.empty()) out += ", ";
    out += u.name;
  }
  return out;
}

/// "NUMBER[ ]UNIT" scaled exactly into base units. A bare number is scaled by
/// `bare_multiplier` when set, and refused otherwise (except a bare zero).
ParseResult<std::int64_t> parse_scaled(std::string_view text, std::span<const Unit> units,
                                       std::string_view base_name, std::optional<std::int64_t> bare_multiplier) {
  using Result = ParseResult<std::int64_t>;
  const auto number = read_number(trim(text));
  if (!number) return Result::fail(number.error);
  const Decimal value = number.value->value;
  const std::string_view unit_text = trim(number.value->rest);
  std::int64_t multiplier = 0;
  if (unit_text.empty()) {
    if (!bare_multiplier && value.digits != 0) return Result::fail("missing unit");
    multiplier = bare_multiplier.value_or(1);
  } else {
    for (const Unit& u : units) {
      if (u.name == unit_text) multiplier = u.multiplier;
    }
    if (multiplier == 0) {
      return Result::fail(fmt::format("unknown unit '{}'", unit_text), "one of the units " + unit_list(units));
    }
  }
  if (has_fraction(value, multiplier)) return Result::fail(fmt::format("not a whole number of {}", base_name));
  const auto scaled = scale_exact(value, multiplier);
  if (!scaled) return Result::fail("too large");
  return Result::ok(*scaled);
}

/// Carries a failure of one result type over to another.
template <class To, class From>
ParseResult<To> forward_failure(const ParseResult<From>& r) {
  return ParseResult<To>::fail(r.error, r.expected);
}

}  // namespace

ParseResult<Duration> parse_duration(std::string_view text) {
  const auto ns = parse_scaled(text, kDurationUnits, "nanoseconds", std::nullopt);
  if (!ns) return forward_failure<Duration>(ns);
  return ParseResult<Duration>::ok(Duration::nanoseconds(*ns.value));
}

ParseResult<DataRate> parse_data_rate(std::string_view text) {
  if (trim(text) == "infinite") return ParseResult<DataRate>::ok(DataRate::infinite());
  const auto bps = parse_scaled(text, kRateUnits, "bits per second", std::nullopt);
  if (!bps) return forward_failure<DataRate>(bps);
  if (*bps.value == 0) {
    return ParseResult<DataRate>::fail("zero", "more than 0bps, or infinite for no serialisation delay");
  }
  return ParseResult<DataRate>::ok(DataRate::bps(*bps.value));
}

ParseResult<std::int64_t> parse_byte_size(std::string_view text) {
  const auto number = read_decimal(trim(text));
  if (number && !number->too_long && trim(number->rest) == "KB") {
    return ParseResult<std::int64_t>::fail("ambiguous unit 'KB'", "kB for 1000 bytes or KiB for 1024 bytes");
  }
  return parse_scaled(text, kByteUnits, "bytes", 1);
}

ParseResult<double> parse_probability(std::string_view text) {
  using Result = ParseResult<double>;
  const auto number = read_number(trim(text));
  if (!number) return Result::fail(number.error);
  const Decimal value = number.value->value;
  const std::string_view unit = trim(number.value->rest);
  const bool percent = unit == "%";
  if (!unit.empty() && !percent) return Result::fail(fmt::format("unknown unit '{}'", unit));
  // value <= 1 (or 100%) compared exactly: digits <= 10^scale (* 100).
  __extension__ using Wide = unsigned __int128;
  Wide limit = percent ? 100 : 1;
  for (int i = 0; i < value.scale; ++i) limit *= 10;
  if (static_cast<Wide>(value.digits) > limit) return Result::fail(percent ? "more than 100%" : "more than 1");
  // Let the correctly rounded decimal-to-binary conversion place the point.
  const std::string exact = fmt::format("{}e-{}", value.digits, value.scale + (percent ? 2 : 0));
  double p = 0.0;
  std::from_chars(exact.data(), exact.data() + exact.size(), p);
  return Result::ok(p);
}

ParseResult<std::uint64_t> parse_unsigned(std::string_view text) {
  using Result = ParseResult<std::uint64_t>;
  const std::string_view t = trim(text);
  std::uint64_t value = 0;
  if (t.empty() || t.front() < '0' || t.front() > '9') return Result::fail(not_a_number(t));
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec == std::errc::result_out_of_range) return Result::fail("too large");
  if (end != t.data() + t.size()) return Result::fail("not a whole number");
  return Result::ok(value);
}

ParseResult<bool> parse_bool(std::string_view text) {
  const std::string_view t = trim(text);
  if (t == "true" || t == "True" || t == "TRUE") return ParseResult<bool>::ok(true);
  if (t == "false" || t == "False" || t == "FALSE") return ParseResult<bool>::ok(false);
  return ParseResult<bool>::fail("not a boolean");
}

}  // namespace wiresim::scenario
