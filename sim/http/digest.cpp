#include "wiresim/http/digest.hpp"

#include <xxhash.h>

namespace wiresim::http {

std::uint64_t body_digest(std::string_view bytes) { return XXH64(bytes.data(), bytes.size(), 0); }

}  // namespace wiresim::http
