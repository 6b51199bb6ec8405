#include "wiresim/scenario/read_context.hpp"

#include <fmt/format.h>

namespace wiresim::scenario {

void for_each_entry(ReadContext& ctx, const ConfigNode& root, std::string_view key, std::string_view what,
                    const std::function<void(const std::string&, const ConfigNode::Entry&)>& read_entry) {
  const Field collection = field(root, key);
  if (collection.value == nullptr) return;
  if (!ctx.fields.expect_map(*collection.value, key, fmt::format("a map from {} names to {}s", what, what))) return;
  if (collection.value->entries.size() > kMaxEntries) {
    ctx.fields.error(collection.value->where, fmt::format("{} has {} entries; at most {} {}s per scenario", key,
                                                          collection.value->entries.size(), kMaxEntries, what));
    return;
  }
  for (const ConfigNode::Entry& e : collection.value->entries) {
    if (ctx.fields.check_name(e.key, e.key_where, fmt::format("{} name", what))) read_entry(e.key, e);
  }
}

}  // namespace wiresim::scenario
