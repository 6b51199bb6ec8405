#include "wiresim/http/subresource.hpp"

namespace wiresim::http {

std::string_view to_string(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kStylesheet: return "stylesheet";
    case ResourceKind::kScript: return "script";
    case ResourceKind::kImage: return "image";
    case ResourceKind::kBackground: return "background";
    case ResourceKind::kIcon: return "icon";
    case ResourceKind::kCssUrl: return "css-url";
  }
  return "unknown";
}

}  // namespace wiresim::http
