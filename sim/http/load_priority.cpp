#include "wiresim/http/load_priority.hpp"

namespace wiresim::http {
namespace {

using Level = LoadPriorities::Level;

/// Blink's ResourceType for what our browser fetches (a CSS url() and
/// <body background> are images; the favicon is a raw fetch: Chromium's
/// MultiResolutionImageResourceFetcher loads it through a
/// WebAssociatedURLLoader, i.e. RawResource).
enum class Type { kCss, kScript, kImage, kRaw };

Type type_of(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kStylesheet: return Type::kCss;
    case ResourceKind::kScript: return Type::kScript;
    case ResourceKind::kIcon: return Type::kRaw;
    case ResourceKind::kImage:
    case ResourceKind::kBackground:
    case ResourceKind::kCssUrl: break;
  }
  return Type::kImage;
}

/// resource_fetcher.cc TypeToPriority.
Level type_to_priority(Type t) {
  switch (t) {
    case Type::kCss: return Level::kVeryHigh;
    case Type::kScript:
    case Type::kRaw: return Level::kHigh;
    case Type::kImage: break;
  }
  return Level::kLow;
}

/// WebURLRequest::ConvertToNetPriority.
h2::Priority to_net(Level l) {
  switch (l) {
    case Level::kVeryHigh: return h2::Priority::kHighest;
    case Level::kHigh: return h2::Priority::kMedium;
    case Level::kMedium: return h2::Priority::kLow;
    case Level::kLow: return h2::Priority::kLowest;
    case Level::kVeryLow: break;
  }
  return h2::Priority::kIdle;
}

/// resource_fetcher_utils.cc ShouldLoadIncremental: what is usable before
/// it is complete (images, raw data) loads in parallel; CSS and scripts in
/// sequence.
bool should_load_incremental(Type t) { return t == Type::kImage || t == Type::kRaw; }

/// AdjustImagePriority: "small" is at most 10000 px² by the markup's
/// width and height; without both it is not small (unless one is 0).
bool is_small_image(const FetchInfo& f) {
  if (f.width && f.height) return *f.width * *f.height <= LoadPriorities::kSmallImageArea;
  return (f.width && *f.width == 0) || (f.height && *f.height == 0);
}

}  // namespace

h2::StreamPriority LoadPriorities::next(const FetchInfo& fetch) {
  // A navigation: NavigationURLLoaderImpl sets net::HIGHEST, and
  // network::ResourceRequest::priority_incremental keeps its default,
  // net::kDefaultPriorityIncremental (true).
  if (!fetch.kind) return {h2::Priority::kHighest, true};
  return {to_net(level_of(fetch)), should_load_incremental(type_of(*fetch.kind))};
}

LoadPriorities::Level LoadPriorities::level_of(const FetchInfo& fetch) {
  if (!fetch.kind) return Level::kVeryHigh;
  const Type type = type_of(*fetch.kind);
  Level priority = type_to_priority(type);
  // Resources found by the preload scanner after the first image are "late" in the document.
  if (type == Type::kImage) image_fetched_ = true;
  const bool late = fetch.speculative && image_fetched_;
  if (type == Type::kScript) {
    if (fetch.deferred) {
      priority = Level::kLow;  // async/defer: FetchParameters::kLazyLoad
    } else if (late) {
      priority = Level::kMedium;
    }
  } else if (type == Type::kCss && late) {
    priority = Level::kMedium;
  }
  // AdjustPriorityWithPriorityHintAndRenderBlocking changes nothing here: no
  // fetchpriority hints, and what blocks rendering (a stylesheet or a
  // parser-blocking script in <head>) is at least kHigh already.
  // AdjustImagePriority: the first kBoostedImages not-small images the
  // preload scanner finds go at kMedium.
  if (type == Type::kImage && fetch.speculative && boosted_image_count_ < kBoostedImages && !is_small_image(fetch)) {
    ++boosted_image_count_;
    if (priority < Level::kMedium) priority = Level::kMedium;
  }
  return priority;
}

}  // namespace wiresim::http
