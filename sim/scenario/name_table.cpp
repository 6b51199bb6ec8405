#include "wiresim/scenario/name_table.hpp"

#include <fmt/format.h>

namespace wiresim::scenario {

bool NameTable::add(std::string_view name, std::string_view kind, const SourceLocation& where, FieldReader& fields) {
  if (const Entry* e = find(name)) {
    fields.error(where, fmt::format("duplicate {} name '{}' (already a {} at {})", word_, name, e->kind,
                                    short_location(e->where)));
    return false;
  }
  index_.emplace(std::string(name), entries_.size());
  const Entry& e = entries_.emplace_back(Entry{std::string(name), std::string(kind), where});
  all_.emplace_back(e.name);
  by_kind_[e.kind].emplace_back(e.name);
  return true;
}

const NameTable::Entry* NameTable::find(std::string_view name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

const std::vector<std::string_view>& NameTable::names(std::string_view kind) const {
  if (kind.empty()) return all_;
  const auto it = by_kind_.find(kind);
  return it == by_kind_.end() ? none_ : it->second;
}

std::optional<std::string> NameTable::resolve(const Field& f, std::string_view kind, FieldReader& fields) const {
  const std::string_view wanted = kind.empty() ? std::string_view(word_) : kind;
  const auto name = fields.text(f, fmt::format("a {} name", wanted));
  if (!name) return std::nullopt;
  const Entry* e = find(*name);
  if (e != nullptr && (kind.empty() || e->kind == kind)) return name;
  if (e == nullptr) {
    fields.error(f.value->where, fmt::format("unknown {} '{}' {}", wanted, *name,
                                             suggest(*name, names(kind), fmt::format("a {}, but there are none", wanted))));
    return std::nullopt;
  }
  if (!kind.empty() && e->kind != kind) {
    fields.error(f.value->where, fmt::format("'{}' is a {}, not a {} {}", *name, e->kind, kind,
                                             suggest(*name, names(kind), fmt::format("a {}, but there are none", kind))));
    return std::nullopt;
  }
  return name;
}

}  // namespace wiresim::scenario
