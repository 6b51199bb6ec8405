#pragma once
/// `--vary KEY=VALUES` of `wiresim compare`: a factor and its values.
/// VALUES is either a YAML flow sequence, whose items may be any YAML value
/// ("links.access.loss=[0%, 2%, {model: gilbert_elliott, p: 1%, r: 30%}]"),
/// or the older comma form for plain values ("apps.browser.max_connections=1,6"),
/// which splits at every comma and so cannot hold a map or a list.
/// Implemented in sim/scenario/vary.cpp (target wiresim_runner).

#include <optional>
#include <string_view>
#include <vector>

#include "wiresim/report/compare.hpp"
#include "wiresim/scenario/diagnostic.hpp"

namespace wiresim::scenario {

/// Parses one --vary text. Each value keeps its text as written (an item of
/// the list form is the slice of VALUES it spans, trailing comma and spaces
/// removed), and its 1-based column in "--vary TEXT" (Factor::columns).
/// Reports, at origin "--vary TEXT" (with line and column where one
/// applies), a text without KEY=, invalid YAML, an empty list, an empty or
/// null value, a value given twice, and a map or list written in the comma
/// form; returns nullopt then.
std::optional<report::Factor> parse_vary(std::string_view text, std::vector<Diagnostic>& out);

}  // namespace wiresim::scenario
