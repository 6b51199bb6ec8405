#include "wiresim/http/digest.hpp"

// XXH3_state_t's definition (the size of the state BodyDigest holds).
#define XXH_STATIC_LINKING_ONLY
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

/// The xxHash state, and whether this CPU updates it with the AVX2 code
/// (decided once per body: the state is only ever touched by one build).
struct BodyDigest::State {
  XXH3_state_t xxh;
  bool avx2 = false;
};

BodyDigest::BodyDigest() = default;
BodyDigest::~BodyDigest() = default;
BodyDigest::BodyDigest(BodyDigest&&) noexcept = default;
BodyDigest& BodyDigest::operator=(BodyDigest&&) noexcept = default;

void BodyDigest::update(std::string_view bytes) {
  if (bytes.empty()) return;
  if (!state_) {
    state_ = std::make_unique<State>();
#if defined(WIRESIM_DIGEST_AVX2)
    state_->avx2 = __builtin_cpu_supports("avx2");
    if (state_->avx2) detail::body_digest_reset_avx2(&state_->xxh);
#endif
    if (!state_->avx2) XXH3_64bits_reset(&state_->xxh);
  }
  size_ += bytes.size();
#if defined(WIRESIM_DIGEST_AVX2)
  if (state_->avx2) return detail::body_digest_update_avx2(&state_->xxh, bytes.data(), bytes.size());
#endif
  XXH3_64bits_update(&state_->xxh, bytes.data(), bytes.size());
}

BodySummary BodyDigest::summary() const {
  if (!state_) return {0, body_digest({})};
#if defined(WIRESIM_DIGEST_AVX2)
  if (state_->avx2) return {size_, detail::body_digest_final_avx2(&state_->xxh)};
#endif
  return {size_, XXH3_64bits_digest(&state_->xxh)};
}

}  // namespace wiresim::http
