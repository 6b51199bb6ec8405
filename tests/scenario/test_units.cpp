// Unit parsers: exact integers from decimal text, and exact rejections.

#include <catch2/catch.hpp>

#include "wiresim/scenario/interface_address.hpp"
#include "wiresim/scenario/units.hpp"

using namespace wiresim;
using namespace wiresim::scenario;

namespace {

std::int64_t ns(std::string_view text) {
  const auto r = parse_duration(text);
  INFO(text << ": " << r.error);
  REQUIRE(r);
  return r.value->ns();
}

std::int64_t bps(std::string_view text) {
  const auto r = parse_data_rate(text);
  INFO(text << ": " << r.error);
  REQUIRE(r);
  return r.value->bits_per_second();
}

std::int64_t bytes(std::string_view text) {
  const auto r = parse_byte_size(text);
  INFO(text << ": " << r.error);
  REQUIRE(r);
  return *r.value;
}

double probability(std::string_view text) {
  const auto r = parse_probability(text);
  INFO(text << ": " << r.error);
  REQUIRE(r);
  return *r.value;
}

template <class T>
std::string error_of(const ParseResult<T>& r) {
  REQUIRE_FALSE(r);
  return r.error;
}

}  // namespace

TEST_CASE("durations parse exactly into nanoseconds", "[scenario][units]") {
  CHECK(ns("20ms") == 20'000'000);
  CHECK(ns("500us") == 500'000);
  CHECK(ns("500\u00b5s") == 500'000);
  CHECK(ns("1.5s") == 1'500'000'000);
  CHECK(ns("17ns") == 17);
  CHECK(ns("2min") == 120'000'000'000);
  CHECK(ns("1h") == 3'600'000'000'000);
  CHECK(ns("0") == 0);
  CHECK(ns("0ms") == 0);
  CHECK(ns("250 ms") == 250'000'000);
  // Decimal fractions never pass through binary floating point:
  // 1.1 * 1e9 in double is 1100000000.0000002, 0.3 * 1e9 is 299999999.99999994.
  CHECK(ns("1.1s") == 1'100'000'000);
  CHECK(ns("0.3s") == 300'000'000);
  CHECK(ns("4.35ms") == 4'350'000);
  CHECK(ns("0.000000001s") == 1);
  CHECK(ns("1.000000000000000000s") == 1'000'000'000);  // trailing zeros are not digits
  CHECK(ns("9223372036854775807ns") == 9'223'372'036'854'775'807);
}

TEST_CASE("bad durations are rejected with a reason", "[scenario][units]") {
  CHECK(error_of(parse_duration("20")) == "missing unit");
  CHECK(error_of(parse_duration("1.5ns")) == "not a whole number of nanoseconds");
  CHECK(error_of(parse_duration("0.0000000001s")) == "not a whole number of nanoseconds");
  CHECK(error_of(parse_duration("-1s")) == "negative values are not allowed");
  CHECK(error_of(parse_duration("soon")) == "not a number");
  CHECK(error_of(parse_duration("")) == "empty value");
  CHECK(error_of(parse_duration("1.s")) == "not a number");
  CHECK(error_of(parse_duration(".5s")) == "not a number");
  CHECK(error_of(parse_duration("10 parsecs")) == "unknown unit 'parsecs'");
  CHECK(error_of(parse_duration("1e3ms")) == "unknown unit 'e3ms'");
  CHECK(error_of(parse_duration("9223372036854775808ns")) == "too large");
  CHECK(error_of(parse_duration("300000000h")) == "too large");
  CHECK(error_of(parse_duration("12345678901234567890s")) == "too many digits");
  const auto unknown = parse_duration("3 weeks");
  CHECK(unknown.expected == "one of the units ns, us, \u00b5s, ms, s, min, h");
}

TEST_CASE("data rates parse exactly into bits per second", "[scenario][units]") {
  CHECK(bps("10Mbps") == 10'000'000);
  CHECK(bps("1Gbps") == 1'000'000'000);
  CHECK(bps("100kbps") == 100'000);
  CHECK(bps("100Kbps") == 100'000);
  CHECK(bps("56000bps") == 56'000);
  CHECK(bps("1.5Gbps") == 1'500'000'000);
  CHECK(bps("2.048Mbps") == 2'048'000);
  CHECK(bps("0.1Tbps") == 100'000'000'000);
  CHECK(bps("infinite") == 0);
  CHECK(parse_data_rate("infinite").value->is_infinite());
}

TEST_CASE("bad data rates are rejected with a reason", "[scenario][units]") {
  CHECK(error_of(parse_data_rate("10Mbs")) == "unknown unit 'Mbs'");
  CHECK(error_of(parse_data_rate("10")) == "missing unit");
  CHECK(error_of(parse_data_rate("1.5bps")) == "not a whole number of bits per second");
  const auto zero = parse_data_rate("0Mbps");
  CHECK(error_of(zero) == "zero");
  CHECK(zero.expected == "more than 0bps, or infinite for no serialisation delay");
  CHECK(error_of(parse_data_rate("0")) == "zero");
  CHECK(error_of(parse_data_rate("-1Mbps")) == "negative values are not allowed");
  CHECK(error_of(parse_data_rate("10MBps")) == "unknown unit 'MBps'");
}

TEST_CASE("byte sizes parse exactly, in powers of 1000 and of 1024", "[scenario][units]") {
  CHECK(bytes("1500") == 1500);
  CHECK(bytes("1500B") == 1500);
  CHECK(bytes("64KiB") == 65'536);
  CHECK(bytes("1MB") == 1'000'000);
  CHECK(bytes("1MiB") == 1'048'576);
  CHECK(bytes("10MB") == 10'000'000);
  CHECK(bytes("1.5KiB") == 1536);
  CHECK(bytes("0.5MiB") == 524'288);
  CHECK(bytes("2GiB") == 2'147'483'648);
  CHECK(bytes("1.2kB") == 1200);
  CHECK(bytes("1TB") == 1'000'000'000'000);
}

TEST_CASE("bad byte sizes are rejected with a reason", "[scenario][units]") {
  const auto kb = parse_byte_size("64KB");
  CHECK(error_of(kb) == "ambiguous unit 'KB'");
  CHECK(kb.expected == "kB for 1000 bytes or KiB for 1024 bytes");
  CHECK(error_of(parse_byte_size("1.3B")) == "not a whole number of bytes");
  CHECK(error_of(parse_byte_size("1.5")) == "not a whole number of bytes");
  CHECK(error_of(parse_byte_size("0.1KiB")) == "not a whole number of bytes");
  CHECK(error_of(parse_byte_size("10 MBit")) == "unknown unit 'MBit'");
  CHECK(error_of(parse_byte_size("-5")) == "negative values are not allowed");
  CHECK(error_of(parse_byte_size("9000000TiB")) == "too large");
}

TEST_CASE("probabilities parse as percentages or decimals", "[scenario][units]") {
  CHECK(probability("2%") == 0.02);
  CHECK(probability("0.02") == 0.02);
  CHECK(probability("2 %") == 0.02);
  // Correctly rounded from the decimal text, not 0.3 / 100 in binary.
  CHECK(probability("0.3%") == 0.003);
  CHECK(probability("12.5%") == 0.125);
  CHECK(probability("100%") == 1.0);
  CHECK(probability("1") == 1.0);
  CHECK(probability("1.000") == 1.0);
  CHECK(probability("0") == 0.0);
  CHECK(probability("0%") == 0.0);
}

TEST_CASE("probabilities outside [0, 1] are rejected", "[scenario][units]") {
  CHECK(error_of(parse_probability("150%")) == "more than 100%");
  CHECK(error_of(parse_probability("100.01%")) == "more than 100%");
  CHECK(error_of(parse_probability("1.01")) == "more than 1");
  CHECK(error_of(parse_probability("2")) == "more than 1");
  CHECK(error_of(parse_probability("-1%")) == "negative values are not allowed");
  CHECK(error_of(parse_probability("2 percent")) == "unknown unit 'percent'");
  CHECK(error_of(parse_probability("half")) == "not a number");
}

TEST_CASE("unsigned integers and booleans", "[scenario][units]") {
  CHECK(*parse_unsigned("0").value == 0);
  CHECK(*parse_unsigned("18446744073709551615").value == 18'446'744'073'709'551'615u);
  CHECK(error_of(parse_unsigned("18446744073709551616")) == "too large");
  CHECK(error_of(parse_unsigned("+1")) == "not a number");
  CHECK(error_of(parse_unsigned("1.0")) == "not a whole number");
  CHECK(error_of(parse_unsigned("0x10")) == "not a whole number");
  CHECK(*parse_bool("true").value);
  CHECK(*parse_bool("TRUE").value);
  CHECK_FALSE(*parse_bool("false").value);
  CHECK_FALSE(*parse_bool("False").value);
  CHECK(error_of(parse_bool("yes")) == "not a boolean");
  CHECK(error_of(parse_bool("1")) == "not a boolean");
}

TEST_CASE("interface addresses", "[scenario][units]") {
  const auto a = parse_interface_address("10.130.98.8/16");
  REQUIRE(a);
  CHECK(a.value->address == 0x0a82'6208u);
  CHECK(a.value->prefix_len == 16);
  CHECK(a.value->mask() == 0xffff'0000u);
  CHECK(a.value->network() == 0x0a82'0000u);
  CHECK(to_string(*a.value) == "10.130.98.8/16");
  CHECK(parse_interface_address("10.0.0.0/31"));  // point-to-point: both addresses usable
  CHECK(parse_interface_address("10.0.0.7/32"));
  CHECK(parse_interface_address("0.0.0.1/0"));
  CHECK(error_of(parse_interface_address("10.0.1.0/24")) == "the network address of 10.0.1.0/24");
  CHECK(error_of(parse_interface_address("10.0.1.255/24")) == "the broadcast address of 10.0.1.0/24");
  CHECK(error_of(parse_interface_address("10.0.1.2")) == "missing prefix length");
  CHECK(error_of(parse_interface_address("10.0.1.256/24")) == "not an IPv4 address");
  CHECK(error_of(parse_interface_address("10.0.01.2/24")) == "not an IPv4 address");
  CHECK(error_of(parse_interface_address("10.0.1/24")) == "not an IPv4 address");
  CHECK(error_of(parse_interface_address("10.0.1.2.3/24")) == "not an IPv4 address");
  CHECK(error_of(parse_interface_address("10.0.1.2/33")) == "prefix length is not a number from 0 to 32");
  CHECK(error_of(parse_interface_address("10.0.1.2/")) == "prefix length is not a number from 0 to 32");
}
