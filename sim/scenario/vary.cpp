#include "wiresim/scenario/vary.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "wiresim/scenario/yaml_source.hpp"

namespace wiresim::scenario {
namespace {

constexpr std::string_view kForms =
    "KEY=V1,V2,... or KEY=[V1, V2, ...] (e.g. apps.browser.max_connections=1,6 or "
    "links.access.loss=[0%, {model: gilbert_elliott, p: 1%, r: 30%}])";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Offset in `text` of 1-based (line, column), as yaml-cpp counts them.
std::size_t offset_of(std::string_view text, int line, int column) {
  std::size_t pos = 0;
  for (int l = 1; l < line && pos < text.size(); ++l) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return text.size();
    pos = nl + 1;
  }
  return std::min(text.size(), pos + static_cast<std::size_t>(std::max(column - 1, 0)));
}

class VaryParser {
 public:
  VaryParser(std::string_view text, std::vector<Diagnostic>& out)
      : text_(text), origin_("--vary " + std::string(text)), out_(&out) {}

  std::optional<report::Factor> parse() {
    const std::size_t eq = text_.find('=');
    if (eq == std::string_view::npos || eq == 0) return fail(fmt::format("expected {}", kForms));
    factor_.key = std::string(text_.substr(0, eq));
    factor_.given = std::string(text_);
    values_at_ = eq + 1;
    const std::string_view values = text_.substr(values_at_);
    const bool ok = trim(values).starts_with('[') ? split_list(values) : split_commas(values);
    if (!ok || !distinct()) return std::nullopt;
    return std::move(factor_);
  }

 private:
  /// The old form: split at every comma.
  bool split_commas(std::string_view values) {
    std::size_t pos = 0;
    for (;;) {
      const std::size_t comma = values.find(',', pos);
      const std::string_view v = values.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
      if (v.empty()) return fail("an empty value; expected KEY=V1,V2,... with no empty value").has_value();
      if (v.find_first_of("{}[]") != std::string_view::npos) {
        return fail(fmt::format("the value '{}' looks like a YAML map or list, which the comma form splits at its "
                                "commas (expected the list form KEY=[V1, V2, ...])",
                                v))
            .has_value();
      }
      add(std::string(v), values_at_ + pos);
      if (comma == std::string_view::npos) return true;
      pos = comma + 1;
    }
  }

  /// The list form: a YAML flow sequence; each item keeps the text it spans.
  bool split_list(std::string_view values) {
    std::vector<Diagnostic> problems;
    const auto list = parse_yaml(values, SourceLocation{origin_, 0, 0, 0}, problems);
    for (Diagnostic& d : problems) out_->push_back(shifted(std::move(d)));
    if (!list) return false;
    if (!list->is_sequence()) return fail("expected one YAML list after '=', such as [1, 6]").has_value();
    if (list->items.empty()) return fail("an empty list; expected at least one value").has_value();
    const std::size_t close = values.rfind(']');
    std::vector<std::size_t> starts;
    for (const ConfigNode& item : list->items) {
      if (item.is_null()) return fail("an empty value in the list (expected a value between each two commas)").has_value();
      starts.push_back(offset_of(values, item.where.line, item.where.column));
    }
    for (std::size_t i = 0; i < starts.size(); ++i) {
      std::string_view v = values.substr(starts[i], (i + 1 < starts.size() ? starts[i + 1] : close) - starts[i]);
      v = trim(v);
      if (v.ends_with(',')) v = trim(v.substr(0, v.size() - 1));
      add(std::string(v), values_at_ + starts[i]);
    }
    return true;
  }

  bool distinct() {
    for (std::size_t i = 0; i < factor_.values.size(); ++i) {
      const std::string& v = factor_.values[i];
      if (std::find(factor_.values.begin(), factor_.values.begin() + static_cast<std::ptrdiff_t>(i), v) !=
          factor_.values.begin() + static_cast<std::ptrdiff_t>(i)) {
        out_->push_back({at(static_cast<std::size_t>(factor_.columns[i]) - 1 - kPrefix),
                         fmt::format("the value '{}' is given twice", v)});
        return false;
      }
    }
    return true;
  }

  void add(std::string value, std::size_t offset) {
    factor_.values.push_back(std::move(value));
    factor_.columns.push_back(static_cast<int>(kPrefix + offset + 1));
  }

  /// A position in the --vary text: offset into TEXT.
  SourceLocation at(std::size_t offset) const { return SourceLocation{origin_, 1, static_cast<int>(kPrefix + offset + 1), 0}; }

  /// A diagnostic of parse_yaml on VALUES, moved to its place in "--vary TEXT".
  Diagnostic shifted(Diagnostic d) const {
    const std::size_t offset = d.where.line > 0 ? offset_of(text_.substr(values_at_), d.where.line, d.where.column) : 0;
    d.where = at(values_at_ + offset);
    return d;
  }

  std::optional<report::Factor> fail(std::string message) {
    out_->push_back({SourceLocation{origin_, 0, 0, 0}, std::move(message)});
    return std::nullopt;
  }

  static constexpr std::size_t kPrefix = 7;  ///< "--vary "
  std::string_view text_;
  std::string origin_;
  std::vector<Diagnostic>* out_;
  report::Factor factor_;
  std::size_t values_at_ = 0;  ///< offset of VALUES in text_
};

}  // namespace

std::optional<report::Factor> parse_vary(std::string_view text, std::vector<Diagnostic>& out) {
  return VaryParser(text, out).parse();
}

}  // namespace wiresim::scenario
