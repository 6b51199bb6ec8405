#include "plot_parts.hpp"

#include <fmt/format.h>

#include "wiresim/report/plots.hpp"

namespace wiresim::report {
namespace {

/// Width of a legend entry: its sample, a gap, the label at ~6.5 px per character (11 px text).
double key_width(const Key& k) { return 24 + 6.5 * static_cast<double>(k.label.size()) + 18; }

/// Calls f(key, x, y) for each entry at its place in the wrapped rows; returns the rows used.
template <typename F>
std::size_t lay_out(const std::vector<Key>& keys, F&& f) {
  double x = kPlotFrame.left;
  double y = kPlotFrame.legend_top;
  std::size_t rows = keys.empty() ? 0 : 1;
  for (const Key& k : keys) {
    if (x > kPlotFrame.left && x + key_width(k) > kPlotFrame.right) {
      x = kPlotFrame.left;
      y += kPlotFrame.legend_row;
      ++rows;
    }
    f(k, x, y);
    x += key_width(k);
  }
  return rows;
}

}  // namespace

double legend_bottom(const std::vector<Key>& keys) {
  const std::size_t rows = lay_out(keys, [](const Key&, double, double) {});
  return kPlotFrame.legend_top + kPlotFrame.legend_row * static_cast<double>(rows) + 4;
}

void draw_legend(Svg& svg, const std::vector<Key>& keys) {
  lay_out(keys, [&svg](const Key& k, double x, double y) {
    const double mid = y + 7;
    switch (k.shape) {
      case KeyShape::kLine:
        svg.raw(fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2.5\"/>\n",
                            coord(x), coord(mid), coord(x + 18), coord(mid), k.colour));
        break;
      case KeyShape::kDashed:
        svg.raw(fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\" "
                            "stroke-dasharray=\"5 3\"/>\n",
                            coord(x), coord(mid), coord(x + 18), coord(mid), k.colour));
        break;
      case KeyShape::kBar:
        svg.raw(fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2.5\"/>\n",
                            coord(x + 9), coord(y), coord(y + 14), k.colour));
        break;
      case KeyShape::kSwatch: svg.rect(x + 3, y + 1, 12, 12, "bar", k.colour); break;
      default: marker(svg, k.shape, x + 9, mid, k.colour); break;
    }
    svg.text(x + 24, y + 11, k.label, "start", "small");
  });
}

void marker(Svg& svg, KeyShape shape, double x, double y, const std::string& colour, const std::string& tooltip) {
  const std::string title = tooltip.empty() ? std::string{} : "<title>" + escape_xml(tooltip) + "</title>";
  const auto polygon = [&](const std::string& points) {
    svg.raw(fmt::format("<polygon points=\"{}\" fill=\"{}\" class=\"mark\">{}</polygon>\n", points, colour, title));
  };
  const auto p = [](double px, double py) { return coord(px) + "," + coord(py); };
  switch (shape) {
    case KeyShape::kDiamond:
      polygon(p(x, y - 5) + " " + p(x + 5, y) + " " + p(x, y + 5) + " " + p(x - 5, y));
      break;
    case KeyShape::kTriangle:
      polygon(p(x, y - 5) + " " + p(x + 5, y + 4) + " " + p(x - 5, y + 4));
      break;
    case KeyShape::kTriangleDown:
      polygon(p(x - 5, y - 4) + " " + p(x + 5, y - 4) + " " + p(x, y + 5));
      break;
    case KeyShape::kSquare: polygon(p(x - 4, y - 4) + " " + p(x + 4, y - 4) + " " + p(x + 4, y + 4) + " " + p(x - 4, y + 4)); break;
    case KeyShape::kCross:
      svg.raw(fmt::format("<path d=\"M{} {} L{} {} M{} {} L{} {}\" stroke=\"{}\" stroke-width=\"2\" class=\"mark\">{}</path>\n",
                          coord(x - 4), coord(y - 4), coord(x + 4), coord(y + 4), coord(x - 4), coord(y + 4),
                          coord(x + 4), coord(y - 4), colour, title));
      break;
    case KeyShape::kRing:
      svg.raw(fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" "
                          "class=\"mark\">{}</circle>\n",
                          coord(x), coord(y), colour, title));
      break;
    default:
      svg.raw(fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\" class=\"mark\">{}</circle>\n", coord(x),
                          coord(y), colour, title));
      break;
  }
}

}  // namespace wiresim::report
