// What nearly every test file includes, precompiled per test program
// (cmake/Warnings.cmake, wiresim_test_pch): Catch2's single header and the
// standard headers. Only headers that change with the compiler, never the
// project's own, so a change to wiresim does not rebuild the precompiled
// header. Test files still include what they use; this only makes it cheap.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
