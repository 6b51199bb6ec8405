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
#include <memory>
#include <string_view>

namespace wiresim::http {

/// XXH3_64bits(`bytes`) (seed 0). The same on every platform and compiler.
[[nodiscard]] std::uint64_t body_digest(std::string_view bytes);

/// What a response's receiver keeps of a body it does not keep: its decoded
/// size and body_digest() of its bytes.
struct BodySummary {
  std::uint64_t size = 0;
  std::uint64_t digest = 0;
  bool operator==(const BodySummary&) const = default;
};

/// body_digest() of bytes that arrive in pieces, computed as they arrive
/// (xxHash's streaming XXH3, whose result is defined to equal the one-shot
/// digest of the concatenation): a reader can digest a body while its
/// bytes are still in cache, and need not keep them. The 576-byte xxHash
/// state is allocated at the first non-empty piece, so a message without
/// a body costs nothing.
class BodyDigest {
 public:
  BodyDigest();
  ~BodyDigest();
  BodyDigest(BodyDigest&&) noexcept;
  BodyDigest& operator=(BodyDigest&&) noexcept;
  BodyDigest(const BodyDigest&) = delete;
  BodyDigest& operator=(const BodyDigest&) = delete;

  void update(std::string_view bytes);
  /// Bytes given to update() so far.
  [[nodiscard]] std::uint64_t size() const { return size_; }
  /// Bytes and digest of everything update() was given.
  [[nodiscard]] BodySummary summary() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::uint64_t size_ = 0;
};

namespace detail {
/// libxxhash's build (SSE2 on x86-64). Exposed for tests.
[[nodiscard]] std::uint64_t body_digest_portable(std::string_view bytes);
#if defined(WIRESIM_DIGEST_AVX2)
/// xxHash's AVX2 code over `size` bytes at `data`: call only if the CPU
/// has AVX2. Plain types: its file includes no C++ header (see there).
[[nodiscard]] unsigned long long body_digest_avx2(const void* data, decltype(sizeof 0) size);
/// Streaming XXH3 with the AVX2 code, on an XXH3_state_t at `state` that
/// only these three functions touch.
void body_digest_reset_avx2(void* state);
void body_digest_update_avx2(void* state, const void* data, decltype(sizeof 0) size);
[[nodiscard]] unsigned long long body_digest_final_avx2(const void* state);
#endif
}  // namespace detail

}  // namespace wiresim::http
