# Every dependency comes from a Debian package; scripts/install-deps.sh installs them.
function(wiresim_require found pkg)
  if(NOT ${found})
    message(FATAL_ERROR "wiresim: missing dependency '${pkg}'. Run scripts/install-deps.sh "
                        "(it installs everything from Debian packages with apt-get).")
  endif()
endfunction()

find_package(fmt QUIET)
wiresim_require(fmt_FOUND "libfmt-dev")
find_package(yaml-cpp QUIET)
wiresim_require(yaml-cpp_FOUND "libyaml-cpp-dev")
find_package(Boost 1.74 QUIET)
wiresim_require(Boost_FOUND "libboost-graph-dev")
if(NOT EXISTS "${Boost_INCLUDE_DIRS}/boost/graph/adjacency_list.hpp")
  message(FATAL_ERROR "wiresim: missing dependency 'libboost-graph-dev' (Boost.Graph headers not found)")
endif()
find_package(CLI11 QUIET)
wiresim_require(CLI11_FOUND "libcli11-dev")
# xxHash (XXH3 digests of HTTP bodies): Debian ships no CMake config, so by hand.
find_path(XXHASH_INCLUDE_DIR xxhash.h)
find_library(XXHASH_LIBRARY NAMES xxhash)
if(XXHASH_INCLUDE_DIR AND XXHASH_LIBRARY)
  set(xxhash_FOUND TRUE)
  add_library(wiresim_xxhash INTERFACE)
  target_include_directories(wiresim_xxhash SYSTEM INTERFACE ${XXHASH_INCLUDE_DIR})
  target_link_libraries(wiresim_xxhash INTERFACE ${XXHASH_LIBRARY})
endif()
wiresim_require(xxhash_FOUND "libxxhash-dev")
# nghttp2 (HTTP/2 framing, HPACK, flow control for sim/http/h2): no CMake config in Debian either.
find_path(NGHTTP2_INCLUDE_DIR nghttp2/nghttp2.h)
find_library(NGHTTP2_LIBRARY NAMES nghttp2)
if(NGHTTP2_INCLUDE_DIR AND NGHTTP2_LIBRARY)
  set(nghttp2_FOUND TRUE)
  add_library(wiresim_nghttp2 INTERFACE)
  target_include_directories(wiresim_nghttp2 SYSTEM INTERFACE ${NGHTTP2_INCLUDE_DIR})
  target_link_libraries(wiresim_nghttp2 INTERFACE ${NGHTTP2_LIBRARY})
endif()
wiresim_require(nghttp2_FOUND "libnghttp2-dev")
# mimalloc as the process allocator (wiresim_malloc, linked by wiresim_core
# so every executable gets it). A page load allocates and frees a few
# hundred small objects (connections, HTTP messages, strings) and a world's
# teardown frees them all at once, which glibc's malloc serves from its
# bins at about 100 instructions a call: with mimalloc's per-size free
# lists, 5 % fewer instructions per fresh load (callgrind, 1.265 M ->
# 1.20 M) and 8-10 % less CPU time (issue 19). Results do not depend on
# it: nothing reaches an output through an address, and CI compares the
# outputs of this build with the sanitizer build's (glibc's malloc under
# ASan) byte for byte. The sanitizers and libFuzzer replace malloc
# themselves, so those builds do not link it. --no-as-needed: nothing
# calls mimalloc by name, it takes over malloc and free by being loaded
# before libc.
add_library(wiresim_malloc INTERFACE)
if(WIRESIM_MIMALLOC AND NOT WIRESIM_SANITIZE AND NOT WIRESIM_FUZZ)
  find_package(mimalloc 2.0 QUIET)
  wiresim_require(mimalloc_FOUND "libmimalloc-dev")
  target_link_libraries(wiresim_malloc INTERFACE "-Wl,--push-state,--no-as-needed" mimalloc "-Wl,--pop-state")
  set(WIRESIM_USES_MIMALLOC ON)
else()
  set(WIRESIM_USES_MIMALLOC OFF)
endif()
find_package(nlohmann_json 3.10 QUIET)
wiresim_require(nlohmann_json_FOUND "nlohmann-json3-dev")
if(WIRESIM_TESTS)
  find_package(Catch2 2 QUIET)
  wiresim_require(Catch2_FOUND "catch2")
  include(Catch)
endif()
