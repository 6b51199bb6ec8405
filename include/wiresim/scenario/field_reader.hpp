#pragma once
/// Typed values out of a ConfigNode tree, reporting each problem with its
/// position. Every getter returns nullopt both when the field is absent
/// (silently) and when it is invalid (reported), so callers simply keep
/// their default in either case and reading goes on: one pass finds every
/// problem.
///
/// Messages read "invalid KEY 'TEXT': REASON (expected HINT)",
/// "invalid KEY: got a map (expected HINT)", "unknown key 'K' CONTEXT
/// (did you mean 'X'?)" and "missing key 'K' CONTEXT (expected HINT)".

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wiresim/core/data_rate.hpp"
#include "wiresim/core/time.hpp"
#include "wiresim/scenario/calendar.hpp"
#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/diagnostic.hpp"
#include "wiresim/scenario/did_you_mean.hpp"
#include "wiresim/scenario/enum_names.hpp"
#include "wiresim/scenario/interface_address.hpp"
#include "wiresim/scenario/units.hpp"

namespace wiresim::scenario {

/// A value looked up by key: `value` is nullptr when the key is absent or null.
struct Field {
  const ConfigNode* value = nullptr;
  std::string_view key;  ///< for messages
};

/// The field `key` of `map` (nullptr value if `map` is not a map).
Field field(const ConfigNode& map, std::string_view key);

class FieldReader {
 public:
  explicit FieldReader(std::vector<Diagnostic>& out) : out_(&out) {}

  /// Reports a problem found by the caller.
  void error(const SourceLocation& where, std::string message);

  /// True if `node` is a map or null (an empty map); reports anything else.
  bool expect_map(const ConfigNode& node, std::string_view key, std::string_view hint);
  /// True if `node` is a list; reports anything else.
  bool expect_sequence(const ConfigNode& node, std::string_view key, std::string_view hint);
  /// Reports repeated keys, and keys not in `allowed` with a suggestion.
  /// `context` completes "unknown key 'x' ...", e.g. "in link 'lan'".
  void check_keys(const ConfigNode& map, std::span<const std::string_view> allowed, std::string_view context);
  /// Reports a missing field at `where` (the position of what lacks it).
  /// Returns whether the field is present.
  bool require(const Field& f, const SourceLocation& where, std::string_view context, std::string_view hint);
  /// True if `name` is a valid entry name ([A-Za-z][A-Za-z0-9_-]*, at most
  /// 64 characters); reports it otherwise. `what` is e.g. "host name".
  bool check_name(std::string_view name, const SourceLocation& where, std::string_view what);

  std::optional<std::string> text(const Field& f, std::string_view hint = "a text");
  std::optional<bool> boolean(const Field& f);
  /// Whole number in [min, max]; 0 <= min <= max.
  std::optional<std::int64_t> integer(const Field& f, std::int64_t min, std::int64_t max);
  /// Any unsigned 64-bit number (seeds).
  std::optional<std::uint64_t> unsigned64(const Field& f);
  /// Duration in [min, max].
  std::optional<Duration> duration(const Field& f, Duration min = Duration::zero(), Duration max = Duration::max());
  std::optional<DataRate> data_rate(const Field& f);
  /// Byte count in [min, max].
  std::optional<std::int64_t> byte_size(const Field& f, std::int64_t min, std::int64_t max);
  std::optional<double> probability(const Field& f);
  std::optional<InterfaceAddress> interface_address(const Field& f);
  std::optional<UtcTime> utc_time(const Field& f);
  /// TCP/UDP port 1..65535.
  std::optional<std::uint16_t> port(const Field& f);

  /// N (meaning [N, N]) or a two-item list [N, M] with min <= N <= M <= max.
  std::optional<std::pair<std::int64_t, std::int64_t>> integer_range(const Field& f, std::int64_t min,
                                                                    std::int64_t max, std::string_view hint);

  /// A duration D (meaning [D, D]) or a two-item list [D1, D2] with D1 <= D2.
  std::optional<std::pair<Duration, Duration>> duration_range(const Field& f, std::string_view hint);

  /// Parses the scalar of `f` with `parse_fn` (text -> ParseResult<T>);
  /// reports a failure as "invalid KEY 'TEXT': ERROR (expected HINT)".
  template <class T, class Parse>
  std::optional<T> parse(const Field& f, std::string_view hint, Parse parse_fn);

  /// One of the names in `table`; `what` names the kind in messages
  /// ("unknown TCP profile 'x' (did you mean 'linux'?)").
  template <class E>
  std::optional<E> choice(const Field& f, std::span<const NamedValue<E>> table, std::string_view what);

 private:
  /// The scalar text of `f`, or nullopt (reported unless absent).
  std::optional<std::string_view> scalar(const Field& f, std::string_view hint);
  /// Reports "invalid KEY 'TEXT': WHY (expected HINT)".
  void invalid(const Field& f, std::string_view why, std::string_view hint);

  std::vector<Diagnostic>* out_;
};

template <class T, class Parse>
std::optional<T> FieldReader::parse(const Field& f, std::string_view hint, Parse parse_fn) {
  const auto text = scalar(f, hint);
  if (!text) return std::nullopt;
  auto result = parse_fn(*text);
  if (result) return std::move(*result.value);
  invalid(f, result.error, result.expected.empty() ? hint : std::string_view(result.expected));
  return std::nullopt;
}

template <class E>
std::optional<E> FieldReader::choice(const Field& f, std::span<const NamedValue<E>> table, std::string_view what) {
  std::vector<std::string_view> names;
  for (const auto& entry : table) names.push_back(entry.name);
  const std::string hint = "one of: " + join_names(names);
  const auto text = scalar(f, hint);
  if (!text) return std::nullopt;
  for (const auto& entry : table) {
    if (entry.name == *text) return entry.value;
  }
  error(f.value->where, "unknown " + std::string(what) + " '" + std::string(*text) + "' " + suggest(*text, names));
  return std::nullopt;
}

}  // namespace wiresim::scenario
