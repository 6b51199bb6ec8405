#!/usr/bin/env bash
# Builds wiresim and runs every test with CTest. Does its own setup: installs
# the Debian packages it needs first (scripts/install-deps.sh, idempotent).
#   scripts/test.sh              release build (g++), all tests
#   scripts/test.sh --sanitize   ASan+UBSan build, all tests
#   scripts/test.sh --clang      clang build, all tests
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
for arg in "$@"; do
  case "$arg" in
    --sanitize) build=build-asan; cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DWIRESIM_SANITIZE=ON -DWIRESIM_BENCH=OFF) ;;
    --clang) build=build-clang; cmake_args+=(-DCMAKE_CXX_COMPILER=clang++ -DWIRESIM_BENCH=OFF) ;;
    *) echo "usage: scripts/test.sh [--sanitize|--clang]" >&2; exit 2 ;;
  esac
done

bash scripts/install-deps.sh
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja "${cmake_args[@]}" > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
