#pragma once
/// The names of one namespace of a scenario (nodes, links, apps, captures),
/// in definition order, for duplicate checks and for resolving references.

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/field_reader.hpp"

namespace wiresim::scenario {

class NameTable {
 public:
  struct Entry {
    std::string name;
    std::string kind;  ///< "host", "router", "link", ...
    SourceLocation where;
  };

  /// `namespace_word` names the namespace in messages: "node", "link", ...
  explicit NameTable(std::string namespace_word) : word_(std::move(namespace_word)) {}

  /// Adds `name`; if it is taken, reports "duplicate WORD name 'x' (already
  /// a KIND at L:C)" and returns false.
  bool add(std::string_view name, std::string_view kind, const SourceLocation& where, FieldReader& fields);
  [[nodiscard]] const Entry* find(std::string_view name) const;

  /// Resolves the reference in `f` to an entry of kind `kind` (any kind if
  /// empty). Reports an unknown name with a suggestion, or a name of another
  /// kind ("'r1' is a router, not a host"). nullopt if absent or reported.
  std::optional<std::string> resolve(const Field& f, std::string_view kind, FieldReader& fields) const;

 private:
  /// Names of kind `kind` (all if empty), in definition order.
  [[nodiscard]] const std::vector<std::string_view>& names(std::string_view kind) const;

  std::string word_;
  std::deque<Entry> entries_;  ///< a deque: the views below stay valid as it grows
  /// name -> index in entries_, and the names per kind, kept as entries are
  /// added: lookups in O(log n) and no list built per reference, so 100,000
  /// entries validate in seconds (a linear find made them quadratic).
  std::map<std::string, std::size_t, std::less<>> index_;
  std::map<std::string, std::vector<std::string_view>, std::less<>> by_kind_;
  std::vector<std::string_view> all_;
  std::vector<std::string_view> none_;  ///< names() of a kind with no entry
};

}  // namespace wiresim::scenario
