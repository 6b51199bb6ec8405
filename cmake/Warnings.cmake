# Warnings are errors for everything wiresim compiles itself.
add_library(wiresim_warnings INTERFACE)
target_compile_options(wiresim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wconversion -Wsign-conversion -Wnull-dereference -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)

# wiresim_layer(NAME SOURCES... DEPS ...): a layer library under sim/NAME.
function(wiresim_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS" ${ARGN})
  add_library(wiresim_${name} STATIC ${L_SOURCES})
  target_include_directories(wiresim_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(wiresim_${name} PUBLIC ${L_DEPS} PRIVATE wiresim_warnings)
endfunction()

# wiresim_test_pch(TARGET): Catch2's single header (about 1.4 s of every test
# file's compile) and the standard headers most tests include, precompiled
# (tests/support/test_pch.hpp). g++ builds it once, in wiresim_test_pch
# (tests/CMakeLists.txt), and every test program reuses it: g++ accepts a
# precompiled header whatever the user's other -D macros, unless the header
# itself uses them, and -Winvalid-pch (which CMake adds) with -Werror fails
# the build if it ever refused one. clang checks macros more strictly, so
# there each test program precompiles its own.
function(wiresim_test_pch target)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_precompile_headers(${target} REUSE_FROM wiresim_test_pch)
  else()
    target_precompile_headers(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support/test_pch.hpp)
  endif()
endfunction()

# wiresim_test(NAME SOURCES... DEPS ...): a Catch2 test program registered with CTest.
function(wiresim_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  # CTest lists are ';'-separated: catch_discover_tests would split such a
  # name into two tests that match nothing and pass without running.
  foreach(src IN LISTS T_SOURCES)
    if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${src})
      continue()  # CMake itself reports missing sources
    endif()
    file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/${src} bad REGEX "TEST_CASE\\(\"[^\"]*;")
    if(bad)
      message(FATAL_ERROR "${src}: a TEST_CASE name contains ';', which CTest would split: ${bad}")
    endif()
  endforeach()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE wiresim_catch_main ${T_DEPS} wiresim_warnings)
  wiresim_test_pch(${name})
  catch_discover_tests(${name} TEST_PREFIX "${name}:"
    PROPERTIES ENVIRONMENT "WIRESIM_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# g++ 12 at -O3 reports impossible overlaps (-Wrestrict) inside libstdc++'s
# operator+(const char*, std::string&&), e.g. for "/" + std::string(path):
# GCC bug 105329, fixed in GCC 13. Not an error there, or a Release build fails
# on correct code; clang and newer g++ keep checking.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(wiresim_warnings INTERFACE -Wno-restrict)
endif()

# With link-time optimisation g++ compiles again at link time, and warns
# there (e.g. -Wodr for two different definitions of one type): errors too.
if(WIRESIM_LTO)
  target_link_options(wiresim_warnings INTERFACE -Werror)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_link_options(wiresim_warnings INTERFACE -Wno-restrict)
  endif()
endif()
