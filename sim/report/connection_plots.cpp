// The compare report's plots of one connection of an example run: the
// time-sequence (Stevens) graph, its window panel, cwnd and ssthresh,
// throughput and the sender's RTT estimate. All share the x axis (the
// connection's time window) and kPlotFrame's pixels, so they line up.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "plot_parts.hpp"
#include "wiresim/report/plots.hpp"
#include "wiresim/report/svg.hpp"

namespace wiresim::report {
namespace {

constexpr std::string_view kData = "#1f77b4";
constexpr std::string_view kAck = "#2ca02c";
constexpr std::string_view kDupAck = "#0b5d1e";
constexpr std::string_view kSack = "#17becf";
constexpr std::string_view kResend = "#d62728";

/// The marker and colour of each kind of resend, in legend order.
struct ResendStyle {
  std::string_view kind;
  KeyShape shape;
  std::string_view colour;
};
constexpr ResendStyle kResendStyles[] = {
    {"RTO", KeyShape::kDiamond, "#d62728"},
    {"fast retransmit", KeyShape::kTriangle, "#ff7f0e"},
    {"NewReno partial ACK", KeyShape::kTriangleDown, "#8c564b"},
    {"SACK recovery", KeyShape::kSquare, "#9467bd"},
    {"RACK", KeyShape::kSquare, "#e377c2"},
    {"tail loss probe", KeyShape::kDot, "#bcbd22"},
    {"SYN-ACK for a repeated SYN", KeyShape::kDiamond, "#f0a0a8"},
    {"resend (cause not traced)", KeyShape::kCross, "#7f7f7f"},
};

const ResendStyle& style_of(const std::string& kind) {
  for (const ResendStyle& s : kResendStyles) {
    if (s.kind == kind) return s;
  }
  return kResendStyles[std::size(kResendStyles) - 1];
}

Axis time_axis(const TimeSequence& ts) {
  return {ts.begin_ms, ts.end_ms > ts.begin_ms ? ts.end_ms : ts.begin_ms + 1, kPlotFrame.left, kPlotFrame.right};
}

double kb(std::uint64_t bytes) { return static_cast<double>(bytes) / 1000; }

/// The frame every connection plot shares: its legend on top, a plot area
/// `height` px tall under it, simulated time on x and [0, y_max] on y, both
/// axes drawn.
struct Plot {
  Plot(const TimeSequence& ts, const std::vector<Key>& keys, double height, double y_max, std::string_view y_title)
      : top(legend_bottom(keys) + 12),
        bottom(top + height),
        svg(kPlotFrame.width, bottom + 50),
        x(time_axis(ts)),
        y(0, y_max, bottom, top) {
    draw_legend(svg, keys);
    draw_axes(svg, x, y, "time (ms)", y_title);
  }
  double top;
  double bottom;
  Svg svg;
  Axis x;
  Axis y;
};


/// A step line through (t, value) pairs, held level to the end of the window.
std::vector<double> steps(const std::vector<std::pair<double, double>>& points, const Axis& x, const Axis& y) {
  std::vector<double> xy;
  for (const auto& [t, v] : points) step_to(xy, x(t), y(v));
  if (!xy.empty()) step_to(xy, x(x.hi()), xy.back());
  return xy;
}

}  // namespace

std::string resend_kind(const std::string& cause) {
  const auto starts = [&cause](std::string_view p) { return cause.rfind(p, 0) == 0; };
  if (starts("RTO") || starts("SYN RTO")) return "RTO";
  if (starts("fast retransmission")) return "fast retransmit";
  if (starts("NewReno partial ACK")) return "NewReno partial ACK";
  if (starts("SACK recovery")) return "SACK recovery";
  if (starts("RACK")) return "RACK";
  if (starts("tail loss probe")) return "tail loss probe";
  if (starts("SYN-ACK again")) return "SYN-ACK for a repeated SYN";
  return "resend (cause not traced)";
}

std::string time_sequence_svg(const TimeSequence& ts) {
  std::uint64_t seq_hi = 1;
  for (const SequencePoint& p : ts.data) seq_hi = std::max(seq_hi, p.end);
  for (const AckPoint& a : ts.acks) {
    seq_hi = std::max(seq_hi, a.ack);
    for (const SackRange& s : a.sack) seq_hi = std::max(seq_hi, s.right);
  }
  // The legend: what is drawn, and only the kinds of resend that occur.
  std::vector<Key> keys{{std::string(kData), "data segment", KeyShape::kBar},
                        {std::string(kResend), "resent segment", KeyShape::kBar},
                        {std::string(kAck), "ACK", KeyShape::kLine}};
  bool dup = false;
  bool sack = false;
  for (const AckPoint& a : ts.acks) {
    dup = dup || a.dup_ack;
    sack = sack || !a.sack.empty();
  }
  if (dup) keys.push_back({std::string(kDupAck), "duplicate ACK", KeyShape::kRing});
  if (sack) keys.push_back({std::string(kSack), "SACK block", KeyShape::kBar});
  if (!ts.handshake.empty()) keys.push_back({"#000000", "SYN, SYN-ACK", KeyShape::kTriangle});
  for (const ResendStyle& s : kResendStyles) {
    const bool present = std::any_of(ts.data.begin(), ts.data.end(),
                                     [&s](const SequencePoint& p) { return p.resent && resend_kind(p.cause) == s.kind; }) ||
                         std::any_of(ts.handshake.begin(), ts.handshake.end(), [&s](const HandshakePoint& h) {
                           return !h.cause.empty() && resend_kind(h.cause) == s.kind;
                         });
    if (present) keys.push_back({std::string(s.colour), std::string(s.kind), s.shape});
  }
  Plot plot(ts, keys, 330, kb(seq_hi) * 1.04, "relative sequence number (kB)");
  Svg& svg = plot.svg;
  const Axis& x = plot.x;
  const Axis& y = plot.y;
  std::vector<double> acks;
  for (const AckPoint& a : ts.acks) step_to(acks, x(a.t_ms), y(kb(a.ack)));
  svg.polyline(acks, "series", kAck);
  for (const AckPoint& a : ts.acks) {
    for (const SackRange& s : a.sack) {
      svg.raw(fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" class=\"sack\"><title>{3}</title></line>\n",
                          coord(x(a.t_ms) + 2), coord(y(kb(s.left))), coord(y(kb(s.right))),
                          fmt::format("SACK {}-{} at {:.3f} ms", s.left, s.right, a.t_ms)));
    }
  }
  for (const AckPoint& a : ts.acks) {
    if (a.dup_ack) marker(svg, KeyShape::kRing, x(a.t_ms), y(kb(a.ack)), std::string(kDupAck),
                          fmt::format("duplicate ACK {} at {:.3f} ms", a.ack, a.t_ms));
  }
  for (const SequencePoint& p : ts.data) {
    const double y0 = y(kb(p.seq));
    const double y1 = y(kb(p.end));
    svg.raw(fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"/>\n",
                        coord(x(p.t_ms)), coord(y0), coord(std::min(y1, y0 - 1.5)), p.resent ? kResend : kData));
  }
  for (const HandshakePoint& h : ts.handshake) {
    const std::string what = fmt::format("{} from the {} at {:.3f} ms", h.ack ? "SYN-ACK" : "SYN",
                                         h.from_sender ? "sender" : "receiver", h.t_ms);
    if (h.cause.empty()) {
      marker(svg, KeyShape::kTriangle, x(h.t_ms), y(0) - 6, "#000000", what);
    } else {
      const ResendStyle& s = style_of(resend_kind(h.cause));
      marker(svg, s.shape, x(h.t_ms), y(0) - 6, std::string(s.colour), what + ", sent again: " + h.cause);
    }
  }
  for (const SequencePoint& p : ts.data) {
    if (!p.resent) continue;
    const ResendStyle& s = style_of(resend_kind(p.cause));
    marker(svg, s.shape, x(p.t_ms), y(kb(p.end)) - 7, std::string(s.colour),
           fmt::format("{}-{} resent at {:.3f} ms: {}", p.seq, p.end, p.t_ms,
                       p.cause.empty() ? "cause not in tcp-retransmits.csv" : p.cause));
  }
  return svg.str();
}

std::string window_svg(const TimeSequence& ts) {
  // The sender may have min(cwnd, rwnd) bytes unacknowledged (RFC 5681 §2):
  // the lower line is what limits it. (Bytes in flight counted at the
  // capture point would mislead: a capture at the receiver sees almost none.)
  std::vector<std::pair<double, double>> window;
  std::vector<std::pair<double, double>> cwnd;
  double hi = 1;
  for (const AckPoint& p : ts.acks) {
    window.emplace_back(p.t_ms, kb(p.window_edge > p.ack ? p.window_edge - p.ack : 0));
    hi = std::max(hi, window.back().second);
  }
  for (const CwndPoint& c : ts.cwnd) {
    cwnd.emplace_back(c.t_ms, kb(c.cwnd));
    hi = std::max(hi, cwnd.back().second);
  }
  std::vector<Key> keys{{"#7f7f7f", "receive window the receiver advertised (rwnd)", KeyShape::kLine}};
  if (!cwnd.empty()) keys.push_back({"#1f77b4", "the sender's cwnd", KeyShape::kLine});
  Plot plot(ts, keys, 180, hi * 1.08, "kB");
  Svg& svg = plot.svg;
  const Axis& x = plot.x;
  const Axis& y = plot.y;
  svg.polyline(steps(window, x, y), "series", "#7f7f7f");
  svg.polyline(steps(cwnd, x, y), "series", "#1f77b4");
  return svg.str();
}

std::string cwnd_svg(const TimeSequence& ts) {
  if (ts.cwnd.empty()) {
    Svg svg(kPlotFrame.width, 60);
    svg.text(kPlotFrame.left, 36, "no cwnd trace for this connection", "start", "");
    return svg.str();
  }
  std::uint64_t cwnd_hi = 1;
  for (const CwndPoint& c : ts.cwnd) cwnd_hi = std::max(cwnd_hi, c.cwnd);
  // ssthresh is drawn where it is set; one far above every cwnd (a Linux
  // cache of an old value) is clipped at twice the highest cwnd and said so.
  const std::uint64_t clip = cwnd_hi * 2;
  std::uint64_t hi = cwnd_hi;
  bool clipped = false;
  std::vector<std::pair<double, double>> cw;
  std::vector<std::pair<double, double>> ss;
  std::optional<double> first_set;
  for (const CwndPoint& c : ts.cwnd) {
    cw.emplace_back(c.t_ms, kb(c.cwnd));
    if (!c.ssthresh) continue;
    if (!first_set) first_set = c.t_ms;
    clipped = clipped || *c.ssthresh > clip;
    hi = std::max(hi, std::min(*c.ssthresh, clip));
    ss.emplace_back(c.t_ms, kb(std::min(*c.ssthresh, clip)));
  }
  std::vector<Key> keys{{"#1f77b4", "cwnd", KeyShape::kLine},
                        {"#ff7f0e", clipped ? "ssthresh (clipped at 2x the highest cwnd)" : "ssthresh", KeyShape::kDashed},
                        {std::string(kResend), "a resend seen at the capture", KeyShape::kTriangle}};
  Plot plot(ts, keys, 200, kb(hi) * 1.1, "bytes (kB)");
  Svg& svg = plot.svg;
  const Axis& x = plot.x;
  const Axis& y = plot.y;
  svg.polyline(steps(cw, x, y), "series", "#1f77b4");
  svg.polyline(steps(ss, x, y), "series ssthresh", "#ff7f0e");  // dashed, on top: visible where equal to cwnd
  if (!first_set || *first_set > ts.begin_ms) {
    svg.text(x(ts.begin_ms) + 6, plot.top + 14,
             first_set ? fmt::format("ssthresh unset (infinite: slow start) until {:.1f} ms", *first_set)
                       : std::string("ssthresh never set: no loss ended slow start"),
             "start", "small label");
  }
  for (const SequencePoint& p : ts.data) {
    if (p.resent) marker(svg, KeyShape::kTriangle, x(p.t_ms), plot.bottom - 6, std::string(kResend));
  }
  return svg.str();
}

std::string throughput_svg(const TimeSequence& ts) {
  const double span = std::max(ts.end_ms - ts.begin_ms, 1e-3);
  const double bin = span / static_cast<double>(kThroughputBins);
  std::vector<double> sent(kThroughputBins, 0);
  std::vector<double> good(kThroughputBins, 0);
  const auto bin_of = [&](double t) {
    const double i = (t - ts.begin_ms) / bin;
    return std::min(kThroughputBins - 1, static_cast<std::size_t>(std::max(i, 0.0)));
  };
  for (const SequencePoint& p : ts.data) sent[bin_of(p.t_ms)] += static_cast<double>(p.end - p.seq);
  std::uint64_t acked = 0;
  for (const AckPoint& a : ts.acks) {
    if (a.ack > acked) {
      if (acked > 0) good[bin_of(a.t_ms)] += static_cast<double>(a.ack - acked);
      acked = a.ack;
    }
  }
  // bytes per bin -> Mbit/s: bytes * 8 / (bin ms * 1000).
  const double scale = 8.0 / (bin * 1000);
  double hi = 0.1;
  std::vector<std::pair<double, double>> sent_steps;
  std::vector<std::pair<double, double>> good_steps;
  for (std::size_t i = 0; i < kThroughputBins; ++i) {
    const double t = ts.begin_ms + bin * static_cast<double>(i);
    sent_steps.emplace_back(t, sent[i] * scale);
    good_steps.emplace_back(t, good[i] * scale);
    hi = std::max({hi, sent[i] * scale, good[i] * scale});
  }
  const std::vector<Key> keys{
      {"#1f77b4", fmt::format("data sent, resends included (per {:.1f} ms)", bin), KeyShape::kLine},
      {"#2ca02c", "goodput: bytes newly acknowledged", KeyShape::kLine}};
  Plot plot(ts, keys, 180, hi * 1.1, "Mbit/s");
  Svg& svg = plot.svg;
  const Axis& x = plot.x;
  const Axis& y = plot.y;
  svg.polyline(steps(sent_steps, x, y), "series", "#1f77b4");
  svg.polyline(steps(good_steps, x, y), "series", "#2ca02c");
  return svg.str();
}

std::string rtt_svg(const TimeSequence& ts) {
  std::vector<std::pair<double, double>> srtt;
  std::vector<std::pair<double, double>> rto;
  // SRTT and the RTOs computed from it (backoffs included); the RTO before
  // the first sample (1 s, RFC 6298 §2.1, and its backoffs) would squash
  // them, so it is named in the legend rather than drawn.
  double hi = 1;
  double unsampled_rto = 0;
  const bool sampled =
      std::any_of(ts.cwnd.begin(), ts.cwnd.end(), [](const CwndPoint& p) { return p.srtt_ms.has_value(); });
  for (const CwndPoint& c : ts.cwnd) {
    if (c.srtt_ms) {
      srtt.emplace_back(c.t_ms, *c.srtt_ms);
      hi = std::max(hi, *c.srtt_ms);
    }
    if (c.rto_ms && (c.srtt_ms || !sampled)) {
      hi = std::max(hi, *c.rto_ms);
      rto.emplace_back(c.t_ms, *c.rto_ms);
    } else if (c.rto_ms) {
      unsampled_rto = std::max(unsampled_rto, *c.rto_ms);
    }
  }
  if (srtt.empty() && rto.empty()) {
    Svg svg(kPlotFrame.width, 60);
    svg.text(kPlotFrame.left, 36, "no RTT estimate in the cwnd trace for this connection", "start", "");
    return svg.str();
  }
  const std::vector<Key> keys{{"#9467bd", "smoothed RTT (SRTT)", KeyShape::kLine},
                              {"#8c564b", unsampled_rto > 0 ? fmt::format("retransmission timeout (RTO); before the first RTT sample it was up to {:.0f} ms", unsampled_rto) : std::string("retransmission timeout (RTO)"), KeyShape::kDashed}};
  Plot plot(ts, keys, 180, hi * 1.1, "ms");
  Svg& svg = plot.svg;
  const Axis& x = plot.x;
  const Axis& y = plot.y;
  svg.polyline(steps(rto, x, y), "series rto", "#8c564b");
  svg.polyline(steps(srtt, x, y), "series", "#9467bd");
  return svg.str();
}

}  // namespace wiresim::report
