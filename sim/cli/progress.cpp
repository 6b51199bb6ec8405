#include "progress.hpp"

#include <fmt/format.h>

namespace wiresim::cli {
namespace {

constexpr auto kQuietStart = std::chrono::seconds(1);        ///< no line for runs shorter than this
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

double seconds(Time t) { return static_cast<double>(t.since_start().ns()) / 1e9; }

}  // namespace

std::string progress_text(const scenario::RunProgress& p) {
  std::string text = fmt::format("simulated {:.1f} s", seconds(p.now));
  if (p.stop != Time::max()) text += fmt::format(" of {:.1f} s", seconds(p.stop));
  text += fmt::format(", {} events", p.events);
  if (p.client_apps > 0) text += fmt::format(", apps {}/{} done", p.client_apps_done, p.client_apps);
  return text;
}

ProgressLine::ProgressLine(std::FILE* out, bool enabled) : out_(out), enabled_(enabled), started_(Clock::now()) {}

void ProgressLine::update(const scenario::RunProgress& p) {
  if (!enabled_) return;
  if (p.finished) return erase();
  const Clock::time_point now = Clock::now();
  if (now - started_ < kQuietStart) return;
  if (shown_ > 0 && now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  draw("wiresim: " + progress_text(p));
}

void ProgressLine::draw(const std::string& text) {
  // Spaces cover what is left of a longer previous line.
  const std::size_t pad = shown_ > text.size() ? shown_ - text.size() : 0;
  fmt::print(out_, "\r{}{:{}}", text, "", pad);
  std::fflush(out_);
  shown_ = text.size();
}

void ProgressLine::erase() {
  if (shown_ == 0) return;
  fmt::print(out_, "\r{:{}}\r", "", shown_);
  std::fflush(out_);
  shown_ = 0;
}

}  // namespace wiresim::cli
