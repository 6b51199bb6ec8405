#include "wiresim/scenario/yaml_source.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

namespace wiresim::scenario {
namespace {

/// Converts yaml-cpp nodes, counting them against kMaxYamlNodes.
class Converter {
 public:
  Converter(const SourceLocation& origin, std::vector<Diagnostic>& out) : origin_(origin), out_(&out) {}

  /// `fallback` is the position used for nodes yaml-cpp gives none (nulls).
  std::optional<ConfigNode> convert(const YAML::Node& node, const SourceLocation& fallback, int depth) {
    const std::string limit = over_limit(node, depth);
    if (!limit.empty()) {
      if (!limit_reported_) {
        out_->push_back({node.Mark().line >= 0 ? at(node.Mark()) : fallback, limit});
        limit_reported_ = true;
      }
      return std::nullopt;
    }
    ConfigNode out;
    out.where = node.IsNull() ? fallback : at(node.Mark());
    if (node.IsScalar()) {
      out.kind = ConfigNode::Kind::kScalar;
      out.scalar = node.Scalar();
    } else if (node.IsSequence()) {
      out.kind = ConfigNode::Kind::kSequence;
      if (!convert_items(node, out, depth)) return std::nullopt;
    } else if (node.IsMap()) {
      out.kind = ConfigNode::Kind::kMap;
      if (!convert_entries(node, out, depth)) return std::nullopt;
    }
    return out;
  }

  SourceLocation at(const YAML::Mark& mark) const {
    SourceLocation where = origin_;
    if (mark.line >= 0 && mark.column >= 0) {
      where.line = mark.line + 1;
      where.column = mark.column + 1;
    }
    return where;
  }

 private:
  /// Which limit `node` passes, in words with its value; empty if none.
  /// Nodes are visited in document order, so a node that starts at or
  /// before the furthest position seen is an alias's target visited again.
  std::string over_limit(const YAML::Node& node, int depth) {
    if (depth > kMaxYamlDepth) {
      return fmt::format("YAML nested more than {} levels deep, counting what aliases (*name) expand to (the most a "
                         "scenario file may have)",
                         kMaxYamlDepth);
    }
    if (++count_ > kMaxYamlNodes) {
      return fmt::format("more than {} YAML values, counting what aliases (*name) expand to (the most a scenario "
                         "file may have)",
                         kMaxYamlNodes);
    }
    const int pos = node.Mark().pos;
    if (pos >= 0) {
      if (pos <= furthest_ && ++aliased_ > kMaxYamlAliasNodes) {
        return fmt::format("aliases (*name) expand to more than {} YAML values (the most a scenario file may have)",
                           kMaxYamlAliasNodes);
      }
      furthest_ = std::max(furthest_, pos);
    }
    return {};
  }

  bool convert_items(const YAML::Node& node, ConfigNode& out, int depth) {
    for (const YAML::Node& item : node) {
      auto converted = convert(item, out.where, depth + 1);
      if (!converted) return false;
      out.items.push_back(std::move(*converted));
    }
    return true;
  }

  bool convert_entries(const YAML::Node& node, ConfigNode& out, int depth) {
    std::vector<ConfigNode> merged;  // values of "<<" keys, in order
    for (auto it = node.begin(); it != node.end(); ++it) {
      const SourceLocation key_where = at(it->first.Mark());
      if (!it->first.IsScalar()) {
        out_->push_back({key_where, "a map key must be a single value (expected a name such as 'hosts')"});
        continue;
      }
      auto value = convert(it->second, key_where, depth + 1);
      if (!value) return false;
      if (it->first.Scalar() == "<<" && it->first.Tag() == "?") {
        merged.push_back(std::move(*value));
      } else {
        out.entries.push_back({it->first.Scalar(), key_where, std::move(*value)});
      }
    }
    for (const ConfigNode& m : merged) merge(m, out);
    return true;
  }

  /// YAML merge keys ("<<: *defaults"): the entries of the merged map(s)
  /// that the map does not set itself. Earlier merges take precedence.
  void merge(const ConfigNode& from, ConfigNode& into) {
    if (from.is_sequence()) {
      for (const ConfigNode& item : from.items) merge(item, into);
      return;
    }
    if (!from.is_map()) {
      out_->push_back({from.where, "invalid merge key '<<': got " + describe(from) + " (expected a map or a list of maps)"});
      return;
    }
    for (const ConfigNode::Entry& e : from.entries) {
      if (into.find(e.key) == nullptr) into.entries.push_back(e);
    }
  }

  SourceLocation origin_;
  std::vector<Diagnostic>* out_;
  int count_ = 0;
  int aliased_ = 0;      ///< values visited again through an alias
  int furthest_ = -1;    ///< the furthest start position (bytes) of a value visited
  bool limit_reported_ = false;
};

}  // namespace

std::optional<ConfigNode> parse_yaml(std::string_view text, const SourceLocation& origin,
                                     std::vector<Diagnostic>& out) {
  Converter converter(origin, out);
  if (text.size() > kMaxYamlBytes) {
    SourceLocation where = origin;
    where.line = 1;
    where.column = 1;
    out.push_back({where, fmt::format("the scenario is {} bytes; at most {} (16 MiB) (expected a plain scenario file)",
                                      text.size(), kMaxYamlBytes)});
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard (it says only "bad file"): far deeper than ours.
    out.push_back({converter.at(e.mark),
                   fmt::format("YAML nested more than {} levels deep (the most a scenario file may have)", kMaxYamlDepth)});
    return std::nullopt;
  } catch (const YAML::ParserException& e) {
    out.push_back({converter.at(e.mark), "invalid YAML: " + e.msg});
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    out.push_back({converter.at(e.mark), "invalid YAML: " + e.msg});
    return std::nullopt;
  }
  SourceLocation start = origin;
  start.line = 1;
  start.column = 1;
  const std::size_t before = out.size();
  auto tree = converter.convert(root, start, 0);
  if (!tree || out.size() != before) return std::nullopt;
  return tree;
}

}  // namespace wiresim::scenario
