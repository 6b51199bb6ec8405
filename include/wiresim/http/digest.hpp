#pragma once
/// A fast 64-bit digest of a body, for checking that bytes arrived intact
/// (ObjectResult::body_hash): XXH3-64 with seed 0 (xxHash's specification,
/// github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md), so any xxHash
/// tool (`xxhsum -H3`) gives the same value. Computed by libxxhash
/// (Debian's libxxhash-dev); about 1.7 times as fast as XXH64 on the
/// bodies a page load receives. On x86-64 CPUs with AVX2, xxHash's AVX2
/// code (header-only, digest_avx2.cpp) does the same in half the
/// instructions. Not cryptographic.

#include <cstdint>
#include <string_view>

namespace wiresim::http {

/// XXH3_64bits(`bytes`) (seed 0). The same on every platform and compiler.
[[nodiscard]] std::uint64_t body_digest(std::string_view bytes);

namespace detail {
/// libxxhash's build (SSE2 on x86-64). Exposed for tests.
[[nodiscard]] std::uint64_t body_digest_portable(std::string_view bytes);
#if defined(WIRESIM_DIGEST_AVX2)
/// xxHash's AVX2 code over `size` bytes at `data`: call only if the CPU
/// has AVX2. Plain types: its file includes no C++ header (see there).
[[nodiscard]] unsigned long long body_digest_avx2(const void* data, decltype(sizeof 0) size);
#endif
}  // namespace detail

}  // namespace wiresim::http
