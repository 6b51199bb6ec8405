#include "wiresim/http/message.hpp"

namespace wiresim::http {

std::string_view to_string(Version v) {
  switch (v) {
    case Version::kHttp10: return "HTTP/1.0";
    case Version::kHttp11: return "HTTP/1.1";
    case Version::kHttp2: return "HTTP/2.0";
  }
  return "HTTP/1.1";
}

bool wants_close(Version version, const Headers& headers) {
  if (headers.has_token("Connection", "close")) return true;
  return version == Version::kHttp10 && !headers.has_token("Connection", "keep-alive");
}

}  // namespace wiresim::http
