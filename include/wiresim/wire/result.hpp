#pragma once
/// Parse errors and a minimal Result<T> (C++20 has no std::expected).

#include <utility>
#include <variant>

namespace wiresim::wire {

/// Why bytes were rejected. Receivers count drops per reason.
enum class ParseError {
  kTruncated,         ///< buffer ends before the bytes a header needs or declares
  kBadVersion,        ///< IPv4 version field is not 4
  kBadHeaderLength,   ///< IPv4 IHL < 5
  kBadTotalLength,    ///< IPv4 total length smaller than the header
  kBadChecksum,       ///< a checksum does not verify
  kBadOptionLength,   ///< TCP option with a length < 2, past the header, or wrong for its kind
  kBadDataOffset,     ///< TCP data offset < 5 or beyond the segment
  kFragmented,        ///< IPv4 fragment (MF set or offset != 0): not supported
  kBadAddress,        ///< text address that does not parse
};

/// A short human-readable reason, e.g. "TCP data offset out of range".
const char* to_string(ParseError e);

/// Either a T or the ParseError that prevented it.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(ParseError error) : v_(std::in_place_index<1>, error) {}   // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; throws std::bad_variant_access if !ok().
  [[nodiscard]] T& value() & { return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
  /// The error; throws std::bad_variant_access if ok().
  [[nodiscard]] ParseError error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ParseError> v_;
};

}  // namespace wiresim::wire
