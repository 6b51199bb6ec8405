#pragma once
/// The names of one namespace of a scenario (nodes, links, apps, captures),
/// in definition order, for duplicate checks and for resolving references.

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
  [[nodiscard]] std::vector<std::string_view> names(std::string_view kind) const;

  std::string word_;
  std::vector<Entry> entries_;
};

}  // namespace wiresim::scenario
