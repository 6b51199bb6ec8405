#pragma once
/// What a page makes the browser fetch, as the scanners discover it.

#include <optional>
#include <string>
#include <string_view>

#include "wiresim/http/url.hpp"

namespace wiresim::http {

enum class ResourceKind {
  kStylesheet,  ///< <link rel=stylesheet href>, CSS @import
  kScript,      ///< <script src>
  kImage,       ///< <img src>
  kBackground,  ///< <body background>: real browsers request it only after style
                ///< resolution, i.e. after the <img>s the preload scanner found
  kIcon,        ///< <link rel=icon href>
  kCssUrl,      ///< url(...) in CSS: images, fonts
};

/// "stylesheet", "script", "image", "background", "icon", "css-url".
[[nodiscard]] std::string_view to_string(ResourceKind kind);

struct Subresource {
  ResourceKind kind = ResourceKind::kImage;
  Url url;                ///< resolved against the document (or stylesheet) base
  std::string reference;  ///< as written, character references decoded
  /// <img width/height> when an absolute HTML dimension (CSS px; "50%" is
  /// none), as Blink's preload scanner reads them (html_preload_scanner.cc
  /// StartTagScanner::ProcessImgAttribute: ParseDimensionValue, IsAbsolute).
  std::optional<double> width{};
  std::optional<double> height{};
  /// <script async> or <script defer>: Blink fetches it with
  /// FetchParameters::kLazyLoad.
  bool deferred = false;

  bool operator==(const Subresource&) const = default;
};

}  // namespace wiresim::http
