#pragma once
/// What the parts of the scenario reader share while reading one file.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/scenario/config_node.hpp"
#include "wiresim/scenario/field_reader.hpp"
#include "wiresim/scenario/interface_address.hpp"
#include "wiresim/scenario/name_table.hpp"

namespace wiresim::scenario {

/// A host's own address and how the links use it.
struct HostAddress {
  InterfaceAddress address;
  SourceLocation where;  ///< of the host's `address` value
  bool on_a_link = false;     ///< the host is an end of some link
  bool used_by_a_link = false;  ///< some link end of the host has this address
};

struct ReadContext {
  ReadContext(std::vector<Diagnostic>& out, std::filesystem::path file)
      : fields(out), scenario_file(std::move(file)) {}

  FieldReader fields;
  std::filesystem::path scenario_file;
  /// --allow-site folders: sites may lie there as well as in the scenario's tree.
  std::vector<std::filesystem::path> allowed_site_dirs;
  NameTable nodes{"node"};  ///< hosts and routers
  NameTable links{"link"};
  NameTable apps{"app"};
  NameTable captures{"capture"};
  /// The hosts whose address is valid: name -> address.
  std::map<std::string, HostAddress, std::less<>> host_addresses;
  /// The same the other way round: address -> host (addresses are unique).
  std::map<std::uint32_t, std::string> host_by_address;
  /// Problems that do not stop a run (a URL whose host serves nothing).
  std::vector<Diagnostic> warnings;
};

/// The most entries a collection (hosts, routers, links, apps, captures)
/// may have (scenarios/README.md, "Limits").
inline constexpr std::size_t kMaxEntries = 100'000;

/// Calls `read_entry(name, entry)` for every entry of the collection `key`
/// of `root` (e.g. "hosts") whose name is valid. `what` names one entry in
/// messages ("host"). A null collection is empty.
void for_each_entry(ReadContext& ctx, const ConfigNode& root, std::string_view key, std::string_view what,
                    const std::function<void(const std::string&, const ConfigNode::Entry&)>& read_entry);

}  // namespace wiresim::scenario
