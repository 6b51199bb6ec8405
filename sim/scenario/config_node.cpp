#include "wiresim/scenario/config_node.hpp"

namespace wiresim::scenario {

const ConfigNode::Entry* ConfigNode::find(std::string_view key) const {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

ConfigNode::Entry* ConfigNode::find(std::string_view key) {
  for (Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

void ConfigNode::relocate(const SourceLocation& to) {
  where = to;
  for (ConfigNode& item : items) item.relocate(to);
  for (Entry& e : entries) {
    e.key_where = to;
    e.value.relocate(to);
  }
}

std::string describe(const ConfigNode& node) {
  switch (node.kind) {
    case ConfigNode::Kind::kNull: return "nothing";
    case ConfigNode::Kind::kScalar: return "the value '" + node.scalar + "'";
    case ConfigNode::Kind::kSequence: return "a list";
    case ConfigNode::Kind::kMap: return "a map";
  }
  return "nothing";
}

}  // namespace wiresim::scenario
