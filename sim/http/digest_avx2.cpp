// XXH3-64 compiled for AVX2 (this file alone is built with -mavx2): xxHash's
// own AVX2 accumulate loop (XXH3_accumulate_512_avx2), 32 bytes a step
// instead of SSE2's 16, so a body costs about half the instructions. The
// algorithm, and so every digest, is the same whichever vector code runs
// (xxhash_spec.md: XXH3 is defined over 64-bit lanes; the vector paths are
// implementations of it). Called only when the CPU has AVX2 (digest.cpp).
//
// Nothing here may be an inline function another file also uses (no C++
// library headers, not even digest.hpp): the linker could keep this file's
// AVX2 copy of it for code that runs on a CPU without AVX2.

#if !defined(__AVX2__)
#error "digest_avx2.cpp must be compiled with -mavx2"
#endif

// Header-only xxHash (Debian's libxxhash-dev ships xxhash.h): every XXH_
// function becomes static in this file.
#define XXH_INLINE_ALL
#define XXH_VECTOR XXH_AVX2
#include <xxhash.h>

namespace wiresim::http::detail {

unsigned long long body_digest_avx2(const void* data, decltype(sizeof 0) size) { return XXH3_64bits(data, size); }

void body_digest_reset_avx2(void* state) { XXH3_64bits_reset(static_cast<XXH3_state_t*>(state)); }

void body_digest_update_avx2(void* state, const void* data, decltype(sizeof 0) size) {
  XXH3_64bits_update(static_cast<XXH3_state_t*>(state), data, size);
}

unsigned long long body_digest_final_avx2(const void* state) {
  return XXH3_64bits_digest(static_cast<const XXH3_state_t*>(state));
}

}  // namespace wiresim::http::detail
