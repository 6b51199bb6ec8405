#include "wiresim/http/headers.hpp"

#include <algorithm>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {

void Headers::add(std::string name, std::string value) {
  // Built in place, not moved in from a temporary (an aggregate: no
  // emplace_back(name, value) before C++20's parenthesised aggregate init,
  // which clang 14 lacks).
  HeaderField& f = fields_.emplace_back();
  f.name = std::move(name);
  f.value = std::move(value);
}

void Headers::set(std::string_view name, std::string value) {
  const auto first = std::find_if(fields_.begin(), fields_.end(),
                                  [name](const HeaderField& f) { return iequals(f.name, name); });
  if (first == fields_.end()) {
    add(std::string(name), std::move(value));
    return;
  }
  first->value = std::move(value);
  const auto rest = std::remove_if(first + 1, fields_.end(),
                                   [name](const HeaderField& f) { return iequals(f.name, name); });
  fields_.erase(rest, fields_.end());
}

std::size_t Headers::remove(std::string_view name) {
  const std::size_t before = fields_.size();
  const auto rest = std::remove_if(fields_.begin(), fields_.end(),
                                   [name](const HeaderField& f) { return iequals(f.name, name); });
  fields_.erase(rest, fields_.end());
  return before - fields_.size();
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const HeaderField& f : fields_) {
    if (iequals(f.name, name)) return std::string_view{f.value};
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const HeaderField& f : fields_) {
    if (iequals(f.name, name)) out.emplace_back(f.value);
  }
  return out;
}

std::optional<std::string> Headers::combined(std::string_view name) const {
  const std::vector<std::string_view> values = get_all(name);
  if (values.empty()) return std::nullopt;
  std::string out;
  for (const std::string_view v : values) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

std::size_t Headers::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(fields_.begin(), fields_.end(), [name](const HeaderField& f) { return iequals(f.name, name); }));
}

bool Headers::has_token(std::string_view name, std::string_view token) const {
  for (const HeaderField& f : fields_) {
    if (!iequals(f.name, name)) continue;
    const bool found = !for_each_list_element(f.value, [token](std::string_view e) { return !iequals(e, token); });
    if (found) return true;
  }
  return false;
}

}  // namespace wiresim::http
