#pragma once
/// The priority Chromium gives each request of a page load, as Blink
/// computes it (third_party/blink/renderer/platform/loader/fetch/
/// resource_fetcher.cc, ResourceFetcher::ComputeLoadPriority and
/// AdjustImagePriority; resource_fetcher_utils.cc ShouldLoadIncremental)
/// and the network stack receives it (WebURLRequest::ConvertToNetPriority).
/// Over HTTP/2 it decides the HEADERS frame's priority fields and the
/// RFC 9218 `priority` header (h2::ClientSession::submit):
///
///   request                                   Blink      net      priority
///   document (a navigation)                   -          HIGHEST  u=0, i
///   stylesheet (<link>, @import)              VeryHigh   HIGHEST  u=0
///   stylesheet after the first <img>          Medium     LOW      u=2
///   script (parser-blocking)                  High       MEDIUM   u=1
///   script after the first <img>              Medium     LOW      u=2
///   script async or defer                     Low        LOWEST   (none)
///   <img>, first 5 not small (> 10000 px²)    Medium     LOW      u=2, i
///   <img> otherwise, CSS and <body> images    Low        LOWEST   i
///   favicon (a raw fetch, not an image one)   High       MEDIUM   u=1, i
///
/// "After the first <img>" and the image boost apply only to what the
/// preload scanner finds in the HTML (SpeculativePreloadType::kInDocument).
/// Left out: the boost of images found visible after layout (kVisible, sent
/// as a reprioritisation), fetchpriority hints, fonts (CSS url()s are
/// images here), LCP prediction and subframes, none of which our pages use.

#include <cstdint>
#include <optional>

#include "wiresim/http/h2/client_session.hpp"
#include "wiresim/http/subresource.hpp"

namespace wiresim::http {

/// What ComputeLoadPriority looks at for one request.
struct FetchInfo {
  std::optional<ResourceKind> kind;  ///< nullopt: the page's document
  /// Found in the HTML by the preload scanner (SpeculativePreloadType::kInDocument),
  /// not by style resolution or a stylesheet.
  bool speculative = false;
  std::optional<double> width;   ///< Subresource::width
  std::optional<double> height;  ///< Subresource::height
  bool deferred = false;         ///< Subresource::deferred
};

/// One page load's priorities: ask in the order the page fetches.
class LoadPriorities {
 public:
  /// Blink's ResourceLoadPriority, least urgent first (resource_load_priority.h).
  enum class Level { kVeryLow, kLow, kMedium, kHigh, kVeryHigh };

  /// AdjustImagePriority's limits (features.cc kBoostImagePriority, enabled
  /// by default: image_count 5, image_size 10000 px²).
  static constexpr std::uint32_t kBoostedImages = 5;
  static constexpr double kSmallImageArea = 10000;

  /// The priority of the next request the page fetches.
  h2::StreamPriority next(const FetchInfo& fetch);

  /// Blink's priority for `fetch` (counts it, as Blink does).
  Level level_of(const FetchInfo& fetch);

 private:
  bool image_fetched_ = false;           ///< ResourceFetcher::image_fetched_
  std::uint32_t boosted_image_count_ = 0;  ///< ResourceFetcher::boosted_image_count_
};

}  // namespace wiresim::http
