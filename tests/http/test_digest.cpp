// body_digest is XXH3-64 with seed 0: the published values of xxHash's own
// sanity check (xsum_sanity_check.c) over every length class of the
// algorithm, from the empty string to three blocks with an overlapping
// last stripe.

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "wiresim/http/digest.hpp"

using wiresim::http::body_digest;

TEST_CASE("body_digest is XXH3-64 with seed 0", "[http][digest]") {
  CHECK(body_digest("") == 0x2D06800538D394C2ULL);
  CHECK(body_digest("a") == 0xE6C632B61E964E1FULL);
  CHECK(body_digest("abc") == 0x78AF5F94892F3950ULL);
  // xxHash's sanity buffer: byte i is the top byte of PRIME32 * PRIME64^i.
  std::string buffer(2367, '\0');
  std::uint64_t gen = 2654435761U;
  for (char& c : buffer) {
    c = static_cast<char>(gen >> 56);
    gen *= 11400714785074694797ULL;
  }
  const std::pair<std::size_t, std::uint64_t> published[] = {
      {1, 0xC44BDFF4074EECDBULL},    {6, 0x27B56A84CD2D7325ULL},    {12, 0xA713DAF0DFBB77E7ULL},
      {24, 0xA3FE70BF9D3510EBULL},   {48, 0x397DA259ECBA1F11ULL},   {80, 0xBCDEFBBB2C47C90AULL},
      {195, 0xCD94217EE362EC3AULL},  {403, 0xCDEB804D65C6DEA4ULL},  {512, 0x617E49599013CB6BULL},
      {2048, 0xDD59E2C3A5F038E0ULL}, {2240, 0x6E73A90539CF2948ULL}, {2367, 0xCB37AEB9E5D361EDULL},
  };
  for (const auto& [len, digest] : published) {
    INFO("length " << len);
    CHECK(body_digest(std::string_view(buffer).substr(0, len)) == digest);
  }
}

TEST_CASE("body_digest sees every byte and the length", "[http][digest]") {
  std::string bytes(100, 'x');
  const auto base = body_digest(bytes);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string changed = bytes;
    changed[i] = 'y';
    INFO(i);
    CHECK(body_digest(changed) != base);
  }
  CHECK(body_digest(bytes + '\0') != base);
  CHECK(body_digest(std::string_view(bytes).substr(1)) != base);
}

#if defined(WIRESIM_DIGEST_AVX2)
TEST_CASE("body_digest's AVX2 code gives libxxhash's digests", "[http][digest]") {
  if (!__builtin_cpu_supports("avx2")) {
    WARN("this CPU has no AVX2: body_digest's AVX2 code is not checked");
    return;
  }
  // Every length class of XXH3 (0-16, 17-128, 129-240, long with a partial
  // block and stripe) and bodies the size of a page's images.
  std::string bytes(300 * 1024, '\0');
  std::uint64_t x = 7;
  for (char& c : bytes) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    c = static_cast<char>(x >> 56);
  }
  const std::size_t lengths[] = {0,    1,    3,    4,    8,         9,              16,        17, 128, 129,
                                 240,  241,  1023, 1024, 1025, 4096, 30 * 1024, 70 * 1024 + 3, 300 * 1024};
  const std::size_t offsets[] = {0, 1, 31};  // aligned and not
  for (const std::size_t len : lengths) {
    for (const std::size_t offset : offsets) {
      if (offset + len > bytes.size()) continue;
      const std::string_view s = std::string_view(bytes).substr(offset, len);
      INFO("length " << len << " offset " << offset);
      CHECK(wiresim::http::detail::body_digest_avx2(s.data(), s.size()) ==
            wiresim::http::detail::body_digest_portable(s));
    }
  }
}
#endif

TEST_CASE("BodyDigest over pieces gives body_digest of the whole", "[http][digest]") {
  using wiresim::http::BodyDigest;
  std::string bytes(150 * 1024, '\0');
  std::uint64_t x = 11;
  for (char& c : bytes) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    c = static_cast<char>(x >> 56);
  }
  // Every length class of XXH3, xxHash's 256-byte stream buffer and its
  // 1024-byte stripes crossed at odd places, a segment-sized piece.
  const std::size_t lengths[] = {0, 1, 16, 17, 128, 240, 241, 255, 256, 257, 1023, 1024, 1025, 4096, 150 * 1024};
  const std::size_t pieces[] = {1, 7, 64, 255, 256, 1000, 1448, 65536};
  for (const std::size_t len : lengths) {
    const std::string_view whole = std::string_view(bytes).substr(0, len);
    for (const std::size_t piece : pieces) {
      if (len > 20'000 && piece < 64) continue;  // enough single bytes above
      BodyDigest d;
      d.update({});  // an empty piece changes nothing
      for (std::size_t at = 0; at < len; at += piece) d.update(whole.substr(at, piece));
      INFO("length " << len << " in pieces of " << piece);
      CHECK(d.size() == len);
      CHECK(d.summary() == wiresim::http::BodySummary{len, body_digest(whole)});
      CHECK(d.summary().digest == wiresim::http::detail::body_digest_portable(whole));
    }
  }
  // Nothing given: the digest of the empty body, and no state allocated.
  CHECK(BodyDigest{}.summary() == wiresim::http::BodySummary{0, 0x2D06800538D394C2ULL});
  // A moved-from digest can be given new bytes; the moved-to one goes on.
  BodyDigest a;
  a.update("ab");
  BodyDigest b = std::move(a);
  b.update("c");
  CHECK(b.summary() == wiresim::http::BodySummary{3, 0x78AF5F94892F3950ULL});
}
