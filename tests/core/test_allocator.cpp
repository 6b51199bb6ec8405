#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <memory>
#include <string>

// The process allocator (cmake/Dependencies.cmake, WIRESIM_MIMALLOC).
// Nothing here names mimalloc: the program must get it the way `wiresim`
// does, by linking wiresim_core, so a linker that drops an unreferenced
// library (--as-needed) fails this test instead of silently falling back
// to glibc's malloc.

namespace {

/// The file of the loaded object whose definition of `symbol` the program
/// uses (the first in the global lookup order).
std::string provider_of(const char* symbol) {
  void* address = dlsym(RTLD_DEFAULT, symbol);
  Dl_info info{};
  if (address == nullptr || dladdr(address, &info) == 0 || info.dli_fname == nullptr) return {};
  return info.dli_fname;
}

}  // namespace

#if WIRESIM_TEST_USES_MIMALLOC
TEST_CASE("malloc and free of a wiresim program are mimalloc's", "[core][allocator]") {
  CHECK_THAT(provider_of("malloc"), Catch::Contains("libmimalloc"));
  CHECK_THAT(provider_of("free"), Catch::Contains("libmimalloc"));
  // operator new (libstdc++) allocates through the same malloc: a block
  // from it is usable and freed without complaint, large and small.
  auto small = std::make_unique<std::string>(100, 'x');
  auto large = std::make_unique<std::string>(std::size_t{1} << 20, 'y');
  CHECK(small->back() == 'x');
  CHECK(large->back() == 'y');
}
#else
TEST_CASE("without WIRESIM_MIMALLOC (sanitizer and fuzz builds) malloc is not mimalloc's", "[core][allocator]") {
  CHECK_THAT(provider_of("malloc"), !Catch::Contains("libmimalloc"));
}
#endif
