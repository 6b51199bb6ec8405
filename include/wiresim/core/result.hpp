#pragma once
/// Either a value or the error that prevented it (C++20 has no
/// std::expected). Each layer names its own error enum and aliases
/// `Result<T>` to `wiresim::Result<T, ThatError>`.

#include <utility>
#include <variant>

namespace wiresim {

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : v_(std::in_place_index<1>, error) {}             // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; throws std::bad_variant_access if !ok().
  [[nodiscard]] T& value() & { return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
  /// The error; throws std::bad_variant_access if ok().
  [[nodiscard]] E error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace wiresim
