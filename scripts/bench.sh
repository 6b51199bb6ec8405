#!/usr/bin/env bash
# Builds the benchmark programs the way the README's figures were measured
# (Release, -O3, with link-time optimisation, in build-bench/) and runs them.
# Does its own setup: installs the Debian packages first (scripts/install-deps.sh).
#   scripts/bench.sh                      every benchmark with its default arguments
#   scripts/bench.sh bench_tcp 100        one benchmark with its own arguments
# The benchmarks print figures and assert nothing; run them on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=build-bench
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWIRESIM_LTO=ON -DWIRESIM_TESTS=OFF \
  > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
benches=(bench_core bench_link bench_tcp bench_dumbbell bench_pageload)
if [[ $# -gt 0 ]]; then
  benches=("$1")
  shift
fi
cmake --build "$build" -j "$(nproc)" --target "${benches[@]}"
for b in "${benches[@]}"; do
  echo "== $b $*"
  "$build/tests/bench/$b" "$@"
done
