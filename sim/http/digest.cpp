#include "wiresim/http/digest.hpp"

#include <xxhash.h>

namespace wiresim::http {

std::uint64_t body_digest(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

}  // namespace wiresim::http
