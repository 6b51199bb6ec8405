#include "wiresim/scenario/field_reader.hpp"

#include <fmt/format.h>

namespace wiresim::scenario {
namespace {

constexpr std::size_t kMaxNameLength = 64;

bool is_name_char(char c, bool first) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (first) return letter;
  return letter || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/// "a duration from 0s to 500ms" / "a duration of at least 1ns".
std::string range_hint(std::string_view kind, const std::string& min, const std::string& max, bool has_max) {
  if (!has_max) return fmt::format("{} of at least {}", kind, min);
  return fmt::format("{} from {} to {}", kind, min, max);
}

}  // namespace

Field field(const ConfigNode& map, std::string_view key) {
  const ConfigNode::Entry* e = map.is_map() ? map.find(key) : nullptr;
  if (e == nullptr || e->value.is_null()) return Field{nullptr, key};
  return Field{&e->value, key};
}

void FieldReader::error(const SourceLocation& where, std::string message) {
  out_->push_back({where, std::move(message)});
}

bool FieldReader::expect_map(const ConfigNode& node, std::string_view key, std::string_view hint) {
  if (node.is_map() || node.is_null()) return true;
  error(node.where, fmt::format("invalid {}: got {} (expected {})", key, describe(node), hint));
  return false;
}

bool FieldReader::expect_sequence(const ConfigNode& node, std::string_view key, std::string_view hint) {
  if (node.is_sequence()) return true;
  error(node.where, fmt::format("invalid {}: got {} (expected {})", key, describe(node), hint));
  return false;
}

void FieldReader::check_keys(const ConfigNode& map, std::span<const std::string_view> allowed,
                             std::string_view context) {
  for (const ConfigNode::Entry& e : map.entries) {
    const ConfigNode::Entry* first = map.find(e.key);
    if (first != &e) {
      error(e.key_where, fmt::format("duplicate key '{}' {} (already given at {})", e.key, context,
                                     short_location(first->key_where)));
      continue;
    }
    bool known = false;
    for (const std::string_view k : allowed) known = known || k == e.key;
    if (!known) {
      error(e.key_where,
            fmt::format("unknown key '{}' {} {}", e.key, context, suggest(e.key, allowed, "no keys here")));
    }
  }
}

bool FieldReader::require(const Field& f, const SourceLocation& where, std::string_view context,
                          std::string_view hint) {
  if (f.value != nullptr) return true;
  error(where, fmt::format("missing key '{}' {} (expected {})", f.key, context, hint));
  return false;
}

bool FieldReader::check_name(std::string_view name, const SourceLocation& where, std::string_view what) {
  bool ok = !name.empty() && name.size() <= kMaxNameLength;
  for (std::size_t i = 0; ok && i < name.size(); ++i) ok = is_name_char(name[i], i == 0);
  if (!ok) {
    error(where, fmt::format("invalid {} '{}' (expected up to {} letters, digits, '_' and '-', starting with a letter)",
                             what, name, kMaxNameLength));
  }
  return ok;
}

std::optional<std::string_view> FieldReader::scalar(const Field& f, std::string_view hint) {
  if (f.value == nullptr) return std::nullopt;
  if (f.value->is_scalar()) return std::string_view(f.value->scalar);
  error(f.value->where, fmt::format("invalid {}: got {} (expected {})", f.key, describe(*f.value), hint));
  return std::nullopt;
}

void FieldReader::invalid(const Field& f, std::string_view why, std::string_view hint) {
  error(f.value->where, fmt::format("invalid {} '{}': {} (expected {})", f.key, f.value->scalar, why, hint));
}

std::optional<std::string> FieldReader::text(const Field& f, std::string_view hint) {
  const auto t = scalar(f, hint);
  if (!t) return std::nullopt;
  return std::string(*t);
}

std::optional<bool> FieldReader::boolean(const Field& f) { return parse<bool>(f, kBoolHint, parse_bool); }

std::optional<std::uint64_t> FieldReader::unsigned64(const Field& f) {
  return parse<std::uint64_t>(f, "a whole number from 0 to 18446744073709551615", parse_unsigned);
}

std::optional<std::int64_t> FieldReader::integer(const Field& f, std::int64_t min, std::int64_t max) {
  const std::string hint = range_hint("a whole number", std::to_string(min), std::to_string(max), true);
  return parse<std::int64_t>(f, hint, [&](std::string_view t) {
    const auto v = parse_unsigned(t);
    if (!v) return ParseResult<std::int64_t>::fail(v.error);
    if (*v.value < static_cast<std::uint64_t>(min) || *v.value > static_cast<std::uint64_t>(max)) {
      return ParseResult<std::int64_t>::fail("out of range");
    }
    return ParseResult<std::int64_t>::ok(static_cast<std::int64_t>(*v.value));
  });
}

namespace {

/// A value, or a list [first, last] of two with first <= last, each read by
/// `read` (which reports its own problems); `show` prints one in messages.
template <class T, class Read, class Show>
std::optional<std::pair<T, T>> read_range(FieldReader& fields, const Field& f, std::string_view hint, Read read,
                                          Show show) {
  if (f.value == nullptr) return std::nullopt;
  if (f.value->is_scalar()) {
    const std::optional<T> v = read(f);
    if (!v) return std::nullopt;
    return std::pair{*v, *v};
  }
  if (!f.value->is_sequence() || f.value->items.size() != 2) {
    fields.error(f.value->where,
                 fmt::format("invalid {}: got {} (expected {})", f.key,
                             f.value->is_sequence() ? fmt::format("a list of {} items", f.value->items.size())
                                                    : describe(*f.value),
                             hint));
    return std::nullopt;
  }
  const std::optional<T> first = read(Field{&f.value->items[0], f.key});
  const std::optional<T> last = read(Field{&f.value->items[1], f.key});
  if (!first || !last) return std::nullopt;
  if (*first > *last) {
    fields.error(f.value->where,
                 fmt::format("invalid {}: {} is above {} (expected {})", f.key, show(*first), show(*last), hint));
    return std::nullopt;
  }
  return std::pair{*first, *last};
}

}  // namespace

std::optional<std::pair<std::int64_t, std::int64_t>> FieldReader::integer_range(const Field& f, std::int64_t min,
                                                                               std::int64_t max,
                                                                               std::string_view hint) {
  return read_range<std::int64_t>(
      *this, f, hint, [&](const Field& g) { return integer(g, min, max); },
      [](std::int64_t v) { return std::to_string(v); });
}

std::optional<std::pair<Duration, Duration>> FieldReader::duration_range(const Field& f, std::string_view hint) {
  return read_range<Duration>(
      *this, f, hint, [&](const Field& g) { return duration(g); }, [](Duration d) { return to_string(d); });
}

std::optional<std::uint16_t> FieldReader::port(const Field& f) {
  const auto v = integer(f, 1, 65535);
  if (!v) return std::nullopt;
  return static_cast<std::uint16_t>(*v);
}

std::optional<Duration> FieldReader::duration(const Field& f, Duration min, Duration max) {
  const bool bounded = max != Duration::max();
  const std::string hint = min == Duration::zero() && !bounded
                               ? std::string(kDurationHint)
                               : range_hint("a duration", to_string(min), to_string(max), bounded);
  return parse<Duration>(f, hint, [&](std::string_view t) {
    auto d = parse_duration(t);
    if (d && (*d.value < min || *d.value > max)) return ParseResult<Duration>::fail("out of range");
    return d;
  });
}

std::optional<DataRate> FieldReader::data_rate(const Field& f) { return parse<DataRate>(f, kDataRateHint, parse_data_rate); }

std::optional<std::int64_t> FieldReader::byte_size(const Field& f, std::int64_t min, std::int64_t max) {
  const std::string hint = range_hint("a size", std::to_string(min), fmt::format("{} bytes", max), true);
  return parse<std::int64_t>(f, hint, [&](std::string_view t) {
    auto v = parse_byte_size(t);
    if (v && (*v.value < min || *v.value > max)) return ParseResult<std::int64_t>::fail("out of range");
    return v;
  });
}

std::optional<double> FieldReader::probability(const Field& f) {
  return parse<double>(f, kProbabilityHint, parse_probability);
}

std::optional<InterfaceAddress> FieldReader::interface_address(const Field& f) {
  return parse<InterfaceAddress>(f, kInterfaceAddressHint, parse_interface_address);
}

std::optional<UtcTime> FieldReader::utc_time(const Field& f) { return parse<UtcTime>(f, kUtcTimeHint, parse_utc_time); }

}  // namespace wiresim::scenario
