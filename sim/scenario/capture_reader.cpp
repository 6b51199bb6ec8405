#include "wiresim/scenario/capture_reader.hpp"

#include <map>

#include <fmt/format.h>

#include "wiresim/scenario/enum_names.hpp"

namespace wiresim::scenario {
namespace {

constexpr std::string_view kCaptureKeys[] = {"node", "link", "format", "file"};
constexpr std::string_view kTraceKeys[] = {"tcp_states", "cwnd"};

/// Capture files already taken: file name -> capture name.
using FileRegistry = std::map<std::string, std::string, std::less<>>;

bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

/// The format a file name implies, if its extension is one.
std::optional<CaptureFormat> format_of_file(std::string_view file) {
  if (ends_with(file, ".pcapng")) return CaptureFormat::kPcapng;
  if (ends_with(file, ".pcap")) return CaptureFormat::kPcap;
  return std::nullopt;
}

/// `node: NAME` or `link: NAME`, exactly one of them.
void read_target(ReadContext& ctx, const std::string& name, const ConfigNode::Entry& e, CaptureSpec& c) {
  const Field node = field(e.value, "node");
  const Field link = field(e.value, "link");
  if (node.value != nullptr && link.value != nullptr) {
    ctx.fields.error(link.value->where, fmt::format("capture '{}' gives both node and link (expected just one)", name));
    return;
  }
  if (node.value == nullptr && link.value == nullptr) {
    ctx.fields.error(e.key_where, fmt::format("missing key 'node' or 'link' in capture '{}' (expected the node or "
                                              "link to capture)",
                                              name));
    return;
  }
  c.target = node.value != nullptr ? CaptureTarget::kNode : CaptureTarget::kLink;
  const auto target = node.value != nullptr ? ctx.nodes.resolve(node, "", ctx.fields)
                                            : ctx.links.resolve(link, "link", ctx.fields);
  c.target_name = target.value_or("");
}

/// `format` and `file`: each defaults from the other, and they must agree.
void read_file(ReadContext& ctx, const ConfigNode::Entry& e, CaptureSpec& c, FileRegistry& files) {
  const Field file = field(e.value, "file");
  const auto given_format = ctx.fields.choice<CaptureFormat>(field(e.value, "format"), kCaptureFormatNames,
                                                             "capture format");
  const auto given_file = ctx.fields.text(file, "a file name such as client.pcapng");
  const std::optional<CaptureFormat> implied = given_file ? format_of_file(*given_file) : std::nullopt;
  c.format = given_format.value_or(implied.value_or(CaptureFormat::kPcapng));
  const std::string extension = fmt::format(".{}", to_string(c.format));
  c.file = given_file.value_or(c.name + extension);
  if (given_file) {
    const std::string hint = fmt::format("a file name such as {}{}", c.name, extension);
    if (c.file.empty() || c.file.find('/') != std::string::npos || c.file.front() == '.') {
      ctx.fields.error(file.value->where, fmt::format("invalid file '{}': not a plain file name (expected {})", c.file, hint));
      return;
    }
    if (!ends_with(c.file, extension)) {
      ctx.fields.error(file.value->where, fmt::format("invalid file '{}': does not end in {} (expected {})", c.file,
                                                      extension, hint));
      return;
    }
  }
  const auto [it, inserted] = files.emplace(c.file, c.name);
  if (!inserted) {
    const SourceLocation& where = given_file ? file.value->where : e.key_where;
    ctx.fields.error(where, fmt::format("capture file '{}' is already written by capture '{}' (expected a different "
                                        "file name)",
                                        c.file, it->second));
  }
}

}  // namespace

std::vector<CaptureSpec> read_captures(ReadContext& ctx, const ConfigNode& root) {
  std::vector<CaptureSpec> captures;
  FileRegistry files;
  for_each_entry(ctx, root, "captures", "capture", [&](const std::string& name, const ConfigNode::Entry& e) {
    ctx.captures.add(name, "capture", e.key_where, ctx.fields);
    if (!ctx.fields.expect_map(e.value, "capture", "a map with node or link, format and file")) return;
    ctx.fields.check_keys(e.value, kCaptureKeys, fmt::format("in capture '{}'", name));
    CaptureSpec c;
    c.name = name;
    read_target(ctx, name, e, c);
    read_file(ctx, e, c, files);
    captures.push_back(std::move(c));
  });
  return captures;
}

TraceSpec read_traces(ReadContext& ctx, const ConfigNode& root) {
  TraceSpec traces;
  const Field f = field(root, "traces");
  if (f.value == nullptr || !ctx.fields.expect_map(*f.value, "traces", "a map such as { tcp_states: true }")) {
    return traces;
  }
  ctx.fields.check_keys(*f.value, kTraceKeys, "in traces");
  traces.tcp_states = ctx.fields.boolean(field(*f.value, "tcp_states")).value_or(false);
  traces.cwnd = ctx.fields.boolean(field(*f.value, "cwnd")).value_or(false);
  return traces;
}

}  // namespace wiresim::scenario
