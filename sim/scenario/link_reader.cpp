#include "wiresim/scenario/link_reader.hpp"

#include <map>

#include <fmt/format.h>

#include "wiresim/scenario/direction_reader.hpp"

namespace wiresim::scenario {
namespace {

constexpr std::string_view kLinkKeys[] = {"a",      "b",      "bandwidth", "delay",   "jitter",
                                          "queue",  "mtu",    "loss",      "drop",    "duplicate",
                                          "corrupt", "reorder", "a_to_b",  "b_to_a"};
constexpr std::string_view kEndKeys[] = {"node", "address"};
constexpr std::string_view kEndHint = "a node name, or { node: NAME, address: A.B.C.D/LEN }";

/// A link end whose node is known and whose address is valid.
struct ResolvedEnd {
  LinkEnd end;
  SourceLocation where;     ///< of the address if given, else of the node name
  bool explicit_address;    ///< given on the end rather than taken from the host
};

/// Interface addresses already in use: address -> "host 'x' on link 'y'".
using AddressRegistry = std::map<std::uint32_t, std::string>;

/// The address for an end of node `name` that gives none: the host's address.
std::optional<InterfaceAddress> default_address(ReadContext& ctx, const std::string& name, std::string_view end,
                                                const std::string& link, const SourceLocation& where) {
  if (ctx.nodes.find(name)->kind == "router") {
    ctx.fields.error(where, fmt::format("router '{}' needs an address on end {} of link '{}' (expected {{ node: {}, "
                                        "address: A.B.C.D/LEN }})",
                                        name, end, link, name));
    return std::nullopt;
  }
  const auto it = ctx.host_addresses.find(name);
  if (it == ctx.host_addresses.end()) return std::nullopt;  // the host's address was reported
  return it->second.address;
}

std::optional<ResolvedEnd> read_end(ReadContext& ctx, const ConfigNode& link, std::string_view key,
                                    const std::string& link_name, const SourceLocation& link_where) {
  const std::string context = fmt::format("in link '{}'", link_name);
  const Field f = field(link, key);
  if (!ctx.fields.require(f, link_where, context, kEndHint)) return std::nullopt;
  Field node{f.value, key};
  Field address{nullptr, "address"};
  if (f.value->is_map()) {
    const std::string end_context = fmt::format("in end {} of link '{}'", key, link_name);
    ctx.fields.check_keys(*f.value, kEndKeys, end_context);
    node = field(*f.value, "node");
    address = field(*f.value, "address");
    if (!ctx.fields.require(node, f.value->where, end_context, "a node name")) return std::nullopt;
  }
  const auto name = ctx.nodes.resolve(node, "", ctx.fields);
  const auto given = ctx.fields.interface_address(address);
  if (!name || (address.value != nullptr && !given)) return std::nullopt;
  if (given) return ResolvedEnd{{*name, *given}, address.value->where, true};
  const auto host_address = default_address(ctx, *name, key, link_name, node.value->where);
  if (!host_address) return std::nullopt;
  return ResolvedEnd{{*name, *host_address}, node.value->where, false};
}

/// Reports an address another interface (or another host) already has.
void check_unique(ReadContext& ctx, const ResolvedEnd& e, const std::string& link, AddressRegistry& used) {
  const std::uint32_t a = e.end.address.address;
  const std::string_view kind = ctx.nodes.find(e.end.node)->kind;
  std::string owner;
  if (const auto it = used.find(a); it != used.end()) owner = it->second;
  if (const auto it = ctx.host_by_address.find(a);
      owner.empty() && e.explicit_address && it != ctx.host_by_address.end() && it->second != e.end.node) {
    owner = fmt::format("host '{}'", it->second);
  }
  if (!owner.empty()) {
    ctx.fields.error(e.where, fmt::format("address {} is already used by {} (expected a different address for each "
                                          "interface)",
                                          ipv4_to_string(a), owner));
    return;
  }
  used.emplace(a, fmt::format("{} '{}' on link '{}'", kind, e.end.node, link));
}

/// Notes that a host is on a link, and whether that end uses the host's address.
void note_host_end(ReadContext& ctx, const LinkEnd& end) {
  const auto it = ctx.host_addresses.find(end.node);
  if (it == ctx.host_addresses.end()) return;
  it->second.on_a_link = true;
  if (it->second.address == end.address) it->second.used_by_a_link = true;
}

/// Reports hosts on links none of which carries the host's own address:
/// apps reach a host by that address.
void check_host_addresses_used(ReadContext& ctx) {
  for (const auto& [host, own] : ctx.host_addresses) {
    if (own.on_a_link && !own.used_by_a_link) {
      ctx.fields.error(own.where, fmt::format("address {} of host '{}' is on none of its links (expected it on a "
                                              "link end of '{}', such as an end that gives no address)",
                                              to_string(own.address), host, host));
    }
  }
}

/// Checks a link's two resolved ends against each other and every other interface.
void check_ends(ReadContext& ctx, const ResolvedEnd& a, const ResolvedEnd& b, const std::string& link,
                AddressRegistry& used) {
  if (a.end.node == b.end.node) {
    ctx.fields.error(b.where, fmt::format("link '{}' joins node '{}' to itself (expected two different nodes)", link,
                                          a.end.node));
    return;
  }
  check_unique(ctx, a, link, used);
  check_unique(ctx, b, link, used);
  const InterfaceAddress& x = a.end.address;
  const InterfaceAddress& y = b.end.address;
  if (x.prefix_len != y.prefix_len || x.network() != y.network()) {
    ctx.fields.error(b.where, fmt::format("address {} of end b is not in the subnet of end a, {} (expected both ends "
                                          "of link '{}' in one subnet)",
                                          to_string(y), to_string(x), link));
  }
}

/// `a_to_b` or `b_to_a`: overrides of the link's direction properties.
PartialDirection read_direction_override(ReadContext& ctx, const ConfigNode& link, std::string_view key,
                                         const std::string& link_name) {
  const Field f = field(link, key);
  if (f.value == nullptr || !ctx.fields.expect_map(*f.value, key, "a map of link properties such as { loss: 1% }")) {
    return {};
  }
  const std::string context = fmt::format("in {} of link '{}'", key, link_name);
  ctx.fields.check_keys(*f.value, kDirectionKeys, context);
  return read_direction_keys(ctx, *f.value, context);
}

/// Gives each drop rule its path ("links.path.drop.0"), by which a run
/// reports a rule that never fired.
void name_drop_rules(DirectionLevels& levels, const std::string& link) {
  const auto name = [&link](std::optional<std::vector<DropRule>>& rules, std::string_view level) {
    for (std::size_t i = 0; rules && i < rules->size(); ++i) (*rules)[i].origin = fmt::format("links.{}{}.drop.{}", link, level, i);
  };
  name(levels.common.drop, "");
  name(levels.a_to_b.drop, ".a_to_b");
  name(levels.b_to_a.drop, ".b_to_a");
}

std::optional<LinkSpec> read_link(ReadContext& ctx, const std::string& name, const ConfigNode::Entry& e,
                                  AddressRegistry& used) {
  const std::string context = fmt::format("in link '{}'", name);
  if (!ctx.fields.expect_map(e.value, "link", "a map with a, b, bandwidth, delay, ...")) return std::nullopt;
  ctx.fields.check_keys(e.value, kLinkKeys, context);
  const auto a = read_end(ctx, e.value, "a", name, e.key_where);
  const auto b = read_end(ctx, e.value, "b", name, e.key_where);
  if (a && b) check_ends(ctx, *a, *b, name, used);
  DirectionLevels levels;
  levels.common = read_direction_keys(ctx, e.value, context);
  levels.a_to_b = read_direction_override(ctx, e.value, "a_to_b", name);
  levels.b_to_a = read_direction_override(ctx, e.value, "b_to_a", name);
  report_missing(ctx, levels, e.key_where, name);
  name_drop_rules(levels, name);
  if (!a || !b) return std::nullopt;
  LinkSpec link{name, a->end, b->end, merge_direction(levels.common, levels.a_to_b),
                merge_direction(levels.common, levels.b_to_a)};
  // Only with a valid delay: a missing or bad one is reported already.
  if (levels.a_to_b.delay || levels.common.delay) {
    check_reorder(ctx, link.a_to_b, e.key_where, fmt::format("in a_to_b of link '{}'", name));
  }
  if (levels.b_to_a.delay || levels.common.delay) {
    check_reorder(ctx, link.b_to_a, e.key_where, fmt::format("in b_to_a of link '{}'", name));
  }
  return link;
}

}  // namespace

std::vector<LinkSpec> read_links(ReadContext& ctx, const ConfigNode& root) {
  std::vector<LinkSpec> links;
  AddressRegistry used;
  for_each_entry(ctx, root, "links", "link", [&](const std::string& name, const ConfigNode::Entry& e) {
    ctx.links.add(name, "link", e.key_where, ctx.fields);
    if (auto link = read_link(ctx, name, e, used)) {
      note_host_end(ctx, link->a);
      note_host_end(ctx, link->b);
      links.push_back(std::move(*link));
    }
  });
  check_host_addresses_used(ctx);
  return links;
}

}  // namespace wiresim::scenario
