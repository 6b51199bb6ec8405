#include "wiresim/http/digest.hpp"

#include <xxhash.h>

namespace wiresim::http {

namespace detail {
std::uint64_t body_digest_portable(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }
}  // namespace detail

/// AVX2 when the CPU has it (__builtin_cpu_supports reads what libgcc's
/// start-up code found: no state of ours), else libxxhash's SSE2 build.
std::uint64_t body_digest(std::string_view bytes) {
#if defined(WIRESIM_DIGEST_AVX2)
  if (__builtin_cpu_supports("avx2")) return detail::body_digest_avx2(bytes.data(), bytes.size());
#endif
  return detail::body_digest_portable(bytes);
}

}  // namespace wiresim::http
