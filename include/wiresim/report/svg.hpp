#pragma once
/// A few lines of SVG and HTML writing for the reports: no scripts, no
/// external resources, so a report opens anywhere without a network.
/// Coordinates are printed with two decimals, so the text is the same on
/// every machine.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace wiresim::report {

/// Escapes &, <, >, " and ' for XML text and attributes.
[[nodiscard]] std::string escape_xml(std::string_view s);

/// "12.50": two decimals, no "-0.00".
[[nodiscard]] std::string coord(double v);

/// An SVG document under construction.
class Svg {
 public:
  Svg(double width, double height);

  void line(double x1, double y1, double x2, double y2, std::string_view cls);
  /// A line with an arrow head at (x2, y2).
  void arrow(double x1, double y1, double x2, double y2, std::string_view cls);
  void rect(double x, double y, double w, double h, std::string_view cls, std::string_view fill = {},
            std::string_view tooltip = {});
  void circle(double x, double y, double r, std::string_view cls, std::string_view fill = {},
              std::string_view tooltip = {});
  /// anchor: "start", "middle" or "end".
  void text(double x, double y, std::string_view text, std::string_view anchor, std::string_view cls);
  /// A polyline through the points (x0, y0, x1, y1, ...).
  void polyline(const std::vector<double>& xy, std::string_view cls, std::string_view stroke = {});
  /// Raw SVG markup (already escaped).
  void raw(std::string_view markup);

  [[nodiscard]] std::string str() const;

 private:
  double width_;
  double height_;
  std::string body_;
};

/// Maps a data interval onto a pixel interval; ticks at 1, 2 or 5 times a power of ten.
class Axis {
 public:
  Axis(double lo, double hi, double px_lo, double px_hi);
  [[nodiscard]] double operator()(double v) const;
  [[nodiscard]] std::vector<double> ticks(int approx = 6) const;
  [[nodiscard]] double lo() const { return lo_; }
  [[nodiscard]] double hi() const { return hi_; }

 private:
  double lo_;
  double hi_;
  double px_lo_;
  double px_hi_;
};

/// Draws x and y axes with ticks, tick labels and titles onto `svg`.
void draw_axes(Svg& svg, const Axis& x, const Axis& y, std::string_view x_title, std::string_view y_title);

/// A row of colour swatches with their labels, from (x, y) rightwards.
struct LegendEntry {
  std::string_view colour;
  std::string_view label;
};
void legend(Svg& svg, double x, double y, std::initializer_list<LegendEntry> entries);

/// Extends a step line (x0, y0, x1, y1, ...) to (x, y): level to x, then to y.
void step_to(std::vector<double>& xy, double x, double y);

/// A categorical colour (connection 1, 2, ...), from a fixed palette.
[[nodiscard]] std::string_view palette(std::size_t i);

/// A complete HTML page around `body` (already HTML), with the report's CSS inline.
[[nodiscard]] std::string html_page(std::string_view title, std::string_view body);

}  // namespace wiresim::report
