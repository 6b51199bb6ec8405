#pragma once
// Pieces shared by the report's plots (sim/report only): legends that wrap
// into rows above the plot area, and marker shapes.

#include <string>
#include <vector>

#include "wiresim/report/svg.hpp"

namespace wiresim::report {

/// How a legend entry and its marks are drawn.
enum class KeyShape { kSwatch, kLine, kDashed, kDot, kRing, kDiamond, kTriangle, kTriangleDown, kSquare, kCross, kBar };

struct Key {
  std::string colour;
  std::string label;
  KeyShape shape = KeyShape::kSwatch;
};

/// The y just below the legend rows `keys` take from kPlotFrame.legend_top,
/// wrapping before kPlotFrame.right.
[[nodiscard]] double legend_bottom(const std::vector<Key>& keys);
/// Draws `keys` in rows from kPlotFrame.legend_top (above the plot area, so
/// it never covers data).
void draw_legend(Svg& svg, const std::vector<Key>& keys);
/// A marker of `shape` centred on (x, y), about 8 px across.
void marker(Svg& svg, KeyShape shape, double x, double y, const std::string& colour, const std::string& tooltip = {});

}  // namespace wiresim::report
