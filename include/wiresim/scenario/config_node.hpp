#pragma once
/// A YAML document as a plain tree that remembers where every value came
/// from. The loader builds this tree from yaml-cpp's parser events once, `--set`
/// overrides edit it, and the scenario reader walks it. Maps keep their
/// entries in document order, repeated keys included (the reader reports them).

#include <string>
#include <string_view>
#include <vector>

#include "wiresim/scenario/diagnostic.hpp"

namespace wiresim::scenario {

struct ConfigNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  struct Entry;

  Kind kind = Kind::kNull;
  std::string scalar;               ///< kScalar only: the text, quotes removed
  std::vector<ConfigNode> items;    ///< kSequence only
  std::vector<Entry> entries;       ///< kMap only, in document order
  SourceLocation where;             ///< the value's position (for null values: its key's)

  [[nodiscard]] bool is_null() const { return kind == Kind::kNull; }
  [[nodiscard]] bool is_scalar() const { return kind == Kind::kScalar; }
  [[nodiscard]] bool is_sequence() const { return kind == Kind::kSequence; }
  [[nodiscard]] bool is_map() const { return kind == Kind::kMap; }

  /// The first entry with `key`, or nullptr (also for non-maps).
  [[nodiscard]] const Entry* find(std::string_view key) const;
  [[nodiscard]] Entry* find(std::string_view key);
  /// Sets `where` of this node and of everything below it, keys included.
  void relocate(const SourceLocation& to);
};

struct ConfigNode::Entry {
  std::string key;
  SourceLocation key_where;
  ConfigNode value;
};

/// "a map", "a list", "the value 'x'" or "nothing": for "got ..." in messages.
std::string describe(const ConfigNode& node);

}  // namespace wiresim::scenario
