#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) in build-fuzz/: clang, WIRESIM_FUZZ=ON
# (libraries with -fsanitize=fuzzer-no-link,address,undefined), no tests or
# benchmarks. Used by scripts/fuzz.sh and scripts/fuzz-ci.sh; configures only
# when build-fuzz/ is not yet a fuzz build. Prints the build's log on failure.
#   scripts/fuzz-build.sh [TARGET...]    (default: every fuzz target)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build-fuzz
jobs=${JOBS:-$(nproc)}
if ! grep -qs '^WIRESIM_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  launcher=()
  command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  mkdir -p "$build"
  if ! cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DWIRESIM_FUZZ=ON -DWIRESIM_TESTS=OFF -DWIRESIM_BENCH=OFF "${launcher[@]}" > "$build/configure.log" 2>&1; then
    cat "$build/configure.log" >&2
    exit 2
  fi
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz)
if ! nice cmake --build "$build" -j "$jobs" --target "${targets[@]}" > "$build/build.log" 2>&1; then
  grep -E -A12 '^FAILED|error:' "$build/build.log" | head -80 >&2
  echo "fuzz-build: building ${targets[*]} in $build failed (log: $build/build.log)" >&2
  exit 2
fi
