#pragma once
/// A header (or trailer) section: field lines in the order received or to
/// be sent, names with their original case (RFC 9110 §5). Lookups compare
/// names case-insensitively; nothing is merged, sorted or re-cased.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wiresim::http {

/// One field line: name as written, value without surrounding OWS.
struct HeaderField {
  std::string name;
  std::string value;

  bool operator==(const HeaderField&) const = default;
};

class Headers {
 public:
  using const_iterator = std::vector<HeaderField>::const_iterator;

  Headers() = default;
  Headers(std::initializer_list<HeaderField> fields) : fields_(fields) {}

  /// Appends a field line (after any with the same name).
  void add(std::string name, std::string value);
  /// Replaces the value of the first field named `name` and removes the
  /// others; appends the field if there is none.
  void set(std::string_view name, std::string value);
  /// Makes room for `n` field lines without reallocating.
  void reserve(std::size_t n) { fields_.reserve(n); }
  /// Removes every field named `name`; returns how many there were.
  std::size_t remove(std::string_view name);

  /// The value of the first field named `name`.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;
  /// The values of every field named `name`, in order.
  [[nodiscard]] std::vector<std::string_view> get_all(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return get(name).has_value(); }
  /// How many fields are named `name`.
  [[nodiscard]] std::size_t count(std::string_view name) const;
  /// All values of `name` joined with ", " (RFC 9110 §5.3), or nullopt.
  [[nodiscard]] std::optional<std::string> combined(std::string_view name) const;
  /// True if a list-valued field `name` has an element equal to `token`,
  /// case-insensitively (e.g. Connection: close, RFC 9110 §7.6.1).
  [[nodiscard]] bool has_token(std::string_view name, std::string_view token) const;

  [[nodiscard]] std::size_t size() const { return fields_.size(); }
  [[nodiscard]] bool empty() const { return fields_.empty(); }
  [[nodiscard]] const HeaderField& operator[](std::size_t i) const { return fields_[i]; }
  [[nodiscard]] const_iterator begin() const { return fields_.begin(); }
  [[nodiscard]] const_iterator end() const { return fields_.end(); }

  bool operator==(const Headers&) const = default;

 private:
  std::vector<HeaderField> fields_;
};

}  // namespace wiresim::http
