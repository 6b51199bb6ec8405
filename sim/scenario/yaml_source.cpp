#include "wiresim/scenario/yaml_source.hpp"

#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace wiresim::scenario {
namespace {

/// The document as yaml-cpp's parser reports it (YAML 1.2 §3.1.2: a graph;
/// an alias is one more edge to its anchored node, so aliases can share and
/// even form cycles), held as a flat vector of nodes. It replaces
/// YAML::Load, whose node graph (a shared_ptr'd node, node_ref and node_data
/// per node, each registered in a std::set) cost about 60% of a load under
/// AddressSanitizer and a quarter without; the parser and its error
/// messages are yaml-cpp's, unchanged.
struct Graph {
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  enum class Kind : unsigned char { kNull, kScalar, kSequence, kMap };
  struct Node {
    Kind kind = Kind::kNull;
    YAML::Mark mark = YAML::Mark::null_mark();
    std::string tag;                     ///< "?" for a plain scalar (yaml-cpp's non-specific tag)
    std::string scalar;                  ///< kScalar only
    std::vector<std::size_t> children;   ///< items; for a map: key, value, key, value, ...
  };
  std::vector<Node> nodes;
  std::size_t root = kNone;  ///< kNone for an empty document
};

/// Records parser events into a Graph, as yaml-cpp's NodeBuilder does into
/// its nodes: an anchor names its node from its first event, so an alias
/// inside the node it names points back at it.
class GraphBuilder : public YAML::EventHandler {
 public:
  explicit GraphBuilder(Graph& graph) : graph_(&graph) {}

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { attach(add(Graph::Kind::kNull, mark, anchor)); }
  void OnAlias(const YAML::Mark& /*mark*/, YAML::anchor_t anchor) override {
    // The parser has checked that the anchor exists (yaml-cpp numbers anchors 1, 2, ...).
    attach(anchors_.at(anchor - 1));
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    const std::size_t n = add(Graph::Kind::kScalar, mark, anchor);
    graph_->nodes[n].tag = tag;
    graph_->nodes[n].scalar = value;
    attach(n);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open_.push_back(add(Graph::Kind::kSequence, mark, anchor));
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open_.push_back(add(Graph::Kind::kMap, mark, anchor));
  }
  void OnMapEnd() override { close(); }

 private:
  std::size_t add(Graph::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    const std::size_t n = graph_->nodes.size();
    graph_->nodes.push_back(Graph::Node{kind, mark, {}, {}, {}});
    if (anchor != YAML::NullAnchor) {
      if (anchors_.size() < anchor) anchors_.resize(anchor, Graph::kNone);
      anchors_[anchor - 1] = n;
    }
    return n;
  }
  void close() {
    const std::size_t n = open_.back();
    open_.pop_back();
    attach(n);
  }
  void attach(std::size_t n) {
    if (open_.empty()) {
      graph_->root = n;
    } else {
      graph_->nodes[open_.back()].children.push_back(n);
    }
  }

  Graph* graph_;
  std::vector<std::size_t> open_;     ///< sequences and maps not yet ended, outermost first
  std::vector<std::size_t> anchors_;  ///< anchor number - 1 -> node
};

/// Converts the graph into ConfigNodes, counting them against the limits
/// of yaml_source.hpp (aliases expanded).
class Converter {
 public:
  Converter(const Graph& graph, const SourceLocation& origin, std::vector<Diagnostic>& out)
      : graph_(&graph), origin_(origin), out_(&out) {}

  /// `fallback` is the position used for nodes yaml-cpp gives none (nulls).
  std::optional<ConfigNode> convert(std::size_t index, const SourceLocation& fallback, int depth) {
    const Graph::Node& node = graph_->nodes[index];
    const std::string limit = over_limit(index, depth);
    if (!limit.empty()) {
      if (!limit_reported_) {
        out_->push_back({node.mark.line >= 0 ? at(node.mark) : fallback, limit});
        limit_reported_ = true;
      }
      return std::nullopt;
    }
    ConfigNode out;
    out.where = node.kind == Graph::Kind::kNull ? fallback : at(node.mark);
    if (node.kind == Graph::Kind::kScalar) {
      out.kind = ConfigNode::Kind::kScalar;
      out.scalar = node.scalar;
    } else if (node.kind == Graph::Kind::kSequence) {
      out.kind = ConfigNode::Kind::kSequence;
      if (!convert_items(node, out, depth)) return std::nullopt;
    } else if (node.kind == Graph::Kind::kMap) {
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
  /// Which limit visiting node `index` at `depth` passes, in words with its
  /// value; empty if none. A node visited a second time is reached through
  /// an alias (*name).
  std::string over_limit(std::size_t index, int depth) {
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
    if (seen_.size() < graph_->nodes.size()) seen_.resize(graph_->nodes.size(), 0);
    if (seen_[index] != 0 && ++aliased_ > kMaxYamlAliasNodes) {
      return fmt::format("aliases (*name) expand to more than {} YAML values (the most a scenario file may have)",
                         kMaxYamlAliasNodes);
    }
    seen_[index] = 1;
    return {};
  }

  bool convert_items(const Graph::Node& node, ConfigNode& out, int depth) {
    for (const std::size_t item : node.children) {
      auto converted = convert(item, out.where, depth + 1);
      if (!converted) return false;
      out.items.push_back(std::move(*converted));
    }
    return true;
  }

  bool convert_entries(const Graph::Node& node, ConfigNode& out, int depth) {
    std::vector<ConfigNode> merged;  // values of "<<" keys, in order
    for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
      const Graph::Node& key = graph_->nodes[node.children[i]];
      const SourceLocation key_where = at(key.mark);
      if (key.kind != Graph::Kind::kScalar) {
        out_->push_back({key_where, "a map key must be a single value (expected a name such as 'hosts')"});
        continue;
      }
      auto value = convert(node.children[i + 1], key_where, depth + 1);
      if (!value) return false;
      if (key.scalar == "<<" && key.tag == "?") {
        merged.push_back(std::move(*value));
      } else {
        out.entries.push_back({key.scalar, key_where, std::move(*value)});
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

  const Graph* graph_;
  SourceLocation origin_;
  std::vector<Diagnostic>* out_;
  int count_ = 0;
  int aliased_ = 0;                   ///< values visited again through an alias
  std::vector<unsigned char> seen_;   ///< per graph node: visited already
  bool limit_reported_ = false;
};

}  // namespace

std::optional<ConfigNode> parse_yaml(std::string_view text, const SourceLocation& origin,
                                     std::vector<Diagnostic>& out) {
  Graph graph;
  Converter converter(graph, origin, out);
  if (text.size() > kMaxYamlBytes) {
    SourceLocation where = origin;
    where.line = 1;
    where.column = 1;
    out.push_back({where, fmt::format("the scenario is {} bytes; at most {} (16 MiB) (expected a plain scenario file)",
                                      text.size(), kMaxYamlBytes)});
    return std::nullopt;
  }
  try {
    std::istringstream stream{std::string(text)};
    YAML::Parser parser(stream);
    GraphBuilder builder(graph);
    parser.HandleNextDocument(builder);  // the first document only, as YAML::Load
    if (graph.root == Graph::kNone) {    // an empty document: a null node without a position
      graph.nodes.emplace_back();
      graph.root = graph.nodes.size() - 1;
    }
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
  auto tree = converter.convert(graph.root, start, 0);
  if (!tree || out.size() != before) return std::nullopt;
  return tree;
}

}  // namespace wiresim::scenario
