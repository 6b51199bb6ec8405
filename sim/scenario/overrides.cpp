#include "wiresim/scenario/overrides.hpp"

#include <array>

#include <fmt/format.h>

#include "wiresim/scenario/did_you_mean.hpp"
#include "wiresim/scenario/units.hpp"
#include "wiresim/scenario/yaml_source.hpp"

namespace wiresim::scenario {
namespace {

/// Top-level maps whose keys are names of entries, with the word for one entry.
struct Collection {
  std::string_view key;
  std::string_view entry;
};
constexpr std::array<Collection, 5> kCollections{{
    {"hosts", "host"},
    {"routers", "router"},
    {"links", "link"},
    {"apps", "app"},
    {"captures", "capture"},
}};

std::optional<std::string_view> collection_entry_word(std::string_view key) {
  for (const Collection& c : kCollections) {
    if (c.key == key) return c.entry;
  }
  return std::nullopt;
}

std::string joined_path(const std::vector<std::string>& path, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += (i == 0 ? "" : ".") + path[i];
  return out;
}

/// The walk from the root down an override's path.
class PathWalker {
 public:
  PathWalker(const Override& o, std::vector<Diagnostic>& out) : o_(o), out_(&out) {}

  /// The node at the end of the path, created if needed; nullptr if reported.
  ConfigNode* walk(ConfigNode& root) {
    ConfigNode* node = &root;
    for (std::size_t i = 0; i < o_.path.size() && node != nullptr; ++i) {
      node = step(*node, i);
    }
    return node;
  }

 private:
  ConfigNode* step(ConfigNode& node, std::size_t i) {
    if (node.is_null()) node.kind = ConfigNode::Kind::kMap;  // "key:" with no value: fill it in
    if (node.is_sequence()) return item(node, i);
    if (!node.is_map()) {
      error(fmt::format("cannot set '{}' inside '{}', which is {} (expected to set '{}' itself)", o_.path[i],
                        joined_path(o_.path, i), describe(node), joined_path(o_.path, i)));
      return nullptr;
    }
    if (ConfigNode::Entry* e = node.find(o_.path[i])) return &e->value;
    const auto word = i == 1 ? collection_entry_word(o_.path[0]) : std::nullopt;
    if (word) {
      std::vector<std::string_view> names;
      for (const ConfigNode::Entry& e : node.entries) names.emplace_back(e.key);
      error(fmt::format("unknown {} '{}' {}", *word, o_.path[i],
                        suggest(o_.path[i], names, fmt::format("a {}, but there are none", *word))));
      return nullptr;
    }
    ConfigNode created;
    created.where = o_.where;
    node.entries.push_back({o_.path[i], o_.where, std::move(created)});
    return &node.entries.back().value;
  }

  ConfigNode* item(ConfigNode& list, std::size_t i) {
    std::size_t index = 0;
    const auto parsed = parse_unsigned(o_.path[i]);
    if (parsed) index = static_cast<std::size_t>(*parsed.value);
    if (!parsed || index >= list.items.size()) {
      error(fmt::format("no item '{}' in '{}', a list of {} items (expected an index from 0 to {})", o_.path[i],
                        joined_path(o_.path, i), list.items.size(), list.items.size() == 0 ? 0 : list.items.size() - 1));
      return nullptr;
    }
    return &list.items[index];
  }

  void error(std::string message) { out_->push_back({o_.where, std::move(message)}); }

  const Override& o_;
  std::vector<Diagnostic>* out_;
};

}  // namespace

std::optional<Override> parse_set_option(std::string_view key_value, int source, std::vector<Diagnostic>& out) {
  const SourceLocation where{"--set " + std::string(key_value), 0, 0, source};
  const std::size_t eq = key_value.find('=');
  Override o{where, {}, eq == std::string_view::npos ? std::string{} : std::string(key_value.substr(eq + 1))};
  std::string_view key = key_value.substr(0, eq);
  bool ok = eq != std::string_view::npos && !key.empty();
  while (ok) {
    const std::size_t dot = key.find('.');
    o.path.emplace_back(key.substr(0, dot));
    ok = !o.path.back().empty();
    if (dot == std::string_view::npos) break;
    key.remove_prefix(dot + 1);
  }
  if (!ok) {
    out.push_back({where, "invalid override (expected KEY=VALUE with a dotted KEY, such as links.lan.loss=2%)"});
    return std::nullopt;
  }
  return o;
}

Override seed_override(std::uint64_t seed, int source) {
  return Override{SourceLocation{fmt::format("--seed {}", seed), 0, 0, source}, {"seed"}, std::to_string(seed)};
}

void apply_override(ConfigNode& root, const Override& o, std::vector<Diagnostic>& out) {
  std::vector<Diagnostic> value_problems;
  auto value = parse_yaml(o.value, o.where, value_problems);
  for (Diagnostic& d : value_problems) {
    d.where = o.where;  // positions inside VALUE would only confuse
    out.push_back(std::move(d));
  }
  if (!value) return;
  ConfigNode* target = PathWalker(o, out).walk(root);
  if (target == nullptr) return;
  value->relocate(o.where);
  *target = std::move(*value);
}

}  // namespace wiresim::scenario
