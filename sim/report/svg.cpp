#include "wiresim/report/svg.hpp"

#include <cmath>

#include <fmt/format.h>

namespace wiresim::report {
namespace {

constexpr std::string_view kSvgStyle =
    "<style>"
    "text{font-family:DejaVu Sans,Arial,sans-serif;font-size:12px;fill:#222}"
    ".small{font-size:11px}.mono{font-family:DejaVu Sans Mono,monospace;font-size:11px}"
    ".title{font-size:14px;font-weight:bold}.phase-title{font-size:12px;font-weight:bold;fill:#555}"
    ".state{font-size:11px;font-weight:bold;fill:#1f5fa8}.http{font-size:11px;fill:#8a3b00}"
    ".axis{stroke:#444;stroke-width:1}.grid{stroke:#ddd;stroke-width:1}"
    ".lifeline{stroke:#888;stroke-width:2}.phase{stroke:#bbb;stroke-dasharray:4 4}"
    ".arrow{stroke:#333;stroke-width:1.2;fill:none}.ctl{stroke:#b03030}"
    ".resend{stroke:#d62728;stroke-width:2}.loss{stroke:#ff7f0e;stroke-width:1.6}.window{stroke:#2ca02c}"
    ".lost{stroke:#7f7f7f;stroke-dasharray:6 3;stroke-width:1.6}.cross{stroke:#d62728;stroke-width:2.5}"
    ".label{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}"
    ".flag{font-size:11px;font-weight:bold;fill:#c2410c}.cause{font-size:11px;fill:#6b21a8}"
    ".lost-text{font-size:11px;font-weight:bold;fill:#d62728}"
    ".gap{stroke:#999;stroke-dasharray:2 3}.gap-text{font-size:11px;font-style:italic;fill:#666}"
    ".head{fill:#333}.bar{stroke:none}.box{fill:none;stroke:#333;stroke-width:1}"
    ".median{stroke:#000;stroke-width:2}.dot{stroke:none;opacity:0.55}"
    ".series{fill:none;stroke-width:1.5}.resent{fill:#d62728}.sent{fill:#1f77b4}"
    ".zero{stroke:#000;stroke-width:1}.median-diff{stroke:#000;stroke-width:1.5;stroke-dasharray:5 3}"
    ".diff{stroke:none;opacity:0.75}.faster{fill:#1f77b4}.slower{fill:#d62728}.same{fill:#7f7f7f}"
    ".ecdf{stroke-width:2}.sack{stroke:#17becf;stroke-width:2.5}.ssthresh,.rto{stroke-dasharray:6 3}"
    "</style>";

}  // namespace

std::string escape_xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string coord(double v) {
  if (!std::isfinite(v)) v = 0;
  std::string s = fmt::format("{:.2f}", v);
  if (s == "-0.00") s = "0.00";
  return s;
}

Svg::Svg(double width, double height) : width_(width), height_(height) {}

void Svg::line(double x1, double y1, double x2, double y2, std::string_view cls) {
  body_ += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"{}\"/>\n", coord(x1), coord(y1),
                       coord(x2), coord(y2), cls);
}

void Svg::arrow(double x1, double y1, double x2, double y2, std::string_view cls) {
  line(x1, y1, x2, y2, cls);
  const double dx = x2 - x1;
  const double dy = y2 - y1;
  const double len = std::sqrt(dx * dx + dy * dy);
  if (len <= 0) return;
  const double ux = dx / len;
  const double uy = dy / len;
  const double size = 8;
  const double bx = x2 - ux * size;
  const double by = y2 - uy * size;
  body_ += fmt::format("<polygon points=\"{},{} {},{} {},{}\" class=\"head\"/>\n", coord(x2), coord(y2),
                       coord(bx - uy * size / 2), coord(by + ux * size / 2), coord(bx + uy * size / 2),
                       coord(by - ux * size / 2));
}

void Svg::rect(double x, double y, double w, double h, std::string_view cls, std::string_view fill,
               std::string_view tooltip) {
  body_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"{}\"{}>", coord(x), coord(y),
                       coord(std::max(w, 0.0)), coord(std::max(h, 0.0)), cls,
                       fill.empty() ? std::string{} : fmt::format(" fill=\"{}\"", fill));
  if (!tooltip.empty()) body_ += "<title>" + escape_xml(tooltip) + "</title>";
  body_ += "</rect>\n";
}

void Svg::circle(double x, double y, double r, std::string_view cls, std::string_view fill, std::string_view tooltip) {
  body_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" class=\"{}\"{}>", coord(x), coord(y), coord(r), cls,
                       fill.empty() ? std::string{} : fmt::format(" fill=\"{}\"", fill));
  if (!tooltip.empty()) body_ += "<title>" + escape_xml(tooltip) + "</title>";
  body_ += "</circle>\n";
}

void Svg::text(double x, double y, std::string_view t, std::string_view anchor, std::string_view cls) {
  body_ += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" class=\"{}\">{}</text>\n", coord(x), coord(y),
                       anchor, cls, escape_xml(t));
}

void Svg::polyline(const std::vector<double>& xy, std::string_view cls, std::string_view stroke) {
  if (xy.size() < 4) return;
  std::string pts;
  for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
    if (!pts.empty()) pts += ' ';
    pts += coord(xy[i]) + "," + coord(xy[i + 1]);
  }
  body_ += fmt::format("<polyline points=\"{}\" class=\"{}\"{}/>\n", pts, cls,
                       stroke.empty() ? std::string{} : fmt::format(" stroke=\"{}\"", stroke));
}

void Svg::raw(std::string_view markup) { body_ += markup; }

std::string Svg::str() const {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\">\n{2}\n{3}</svg>\n",
      coord(width_), coord(height_), kSvgStyle, body_);
}

Axis::Axis(double lo, double hi, double px_lo, double px_hi) : lo_(lo), hi_(hi), px_lo_(px_lo), px_hi_(px_hi) {
  if (!(hi_ > lo_)) hi_ = lo_ + 1;
}

double Axis::operator()(double v) const { return px_lo_ + (v - lo_) / (hi_ - lo_) * (px_hi_ - px_lo_); }

std::vector<double> Axis::ticks(int approx) const {
  const double span = hi_ - lo_;
  const double raw = span / std::max(approx, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> out;
  for (double t = std::ceil(lo_ / step) * step; t <= hi_ + step * 1e-9; t += step) {
    out.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);  // no "-0" label from rounding
  }
  return out;
}

void draw_axes(Svg& svg, const Axis& x, const Axis& y, std::string_view x_title, std::string_view y_title) {
  const double x0 = x(x.lo());
  const double x1 = x(x.hi());
  const double y0 = y(y.lo());
  const double y1 = y(y.hi());
  for (const double t : y.ticks()) {
    svg.line(x0, y(t), x1, y(t), "grid");
    svg.text(x0 - 6, y(t) + 4, fmt::format("{:g}", t), "end", "small");
  }
  for (const double t : x.ticks()) {
    svg.line(x(t), y0, x(t), y0 + 5, "axis");
    svg.text(x(t), y0 + 18, fmt::format("{:g}", t), "middle", "small");
  }
  svg.line(x0, y0, x1, y0, "axis");
  svg.line(x0, y0, x0, y1, "axis");
  svg.text((x0 + x1) / 2, y0 + 36, x_title, "middle", "");
  svg.raw(fmt::format("<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" transform=\"rotate(-90 {0} {1})\">{2}</text>\n",
                      coord(x0 - 52), coord((y0 + y1) / 2), escape_xml(y_title)));
}

void legend(Svg& svg, double x, double y, std::initializer_list<LegendEntry> entries) {
  for (const LegendEntry& e : entries) {
    svg.rect(x, y, 12, 12, "bar", e.colour);
    svg.text(x + 18, y + 10, e.label, "start", "small");
    x += 34 + 6.5 * static_cast<double>(e.label.size());
  }
}

void step_to(std::vector<double>& xy, double x, double y) {
  if (xy.size() >= 2) xy.insert(xy.end(), {x, xy.back()});
  xy.insert(xy.end(), {x, y});
}

std::string_view palette(std::size_t i) {
  static constexpr std::string_view kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return kColours[i % std::size(kColours)];
}

std::string html_page(std::string_view title, std::string_view body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n"
      "body{{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;color:#222;max-width:1200px}}\n"
      "table{{border-collapse:collapse;margin:12px 0}}th,td{{border:1px solid #ccc;padding:4px 8px;text-align:right}}\n"
      "th{{background:#f3f3f3}}td.l,th.l{{text-align:left}}.sig{{color:#0a7d28;font-weight:bold}}.ns{{color:#888}}\n"
      "section{{margin:24px 0}}figure{{margin:8px 0}}figcaption{{color:#555;font-size:13px;max-width:1000px}}\n"
      "code{{background:#f3f3f3;padding:1px 4px}}.legend span{{display:inline-block;margin-right:14px}}\n"
      ".swatch{{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}}\n"
      "</style>\n</head>\n<body>\n{}</body>\n</html>\n",
      escape_xml(title), body);
}

}  // namespace wiresim::report
