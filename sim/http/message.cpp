#include "wiresim/http/message.hpp"

namespace wiresim::http {

std::string_view to_string(Version v) { return v == Version::kHttp10 ? "HTTP/1.0" : "HTTP/1.1"; }

bool wants_close(Version version, const Headers& headers) {
  if (headers.has_token("Connection", "close")) return true;
  return version == Version::kHttp10 && !headers.has_token("Connection", "keep-alive");
}

}  // namespace wiresim::http
