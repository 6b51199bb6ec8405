#!/usr/bin/env bash
# Same scenario, same seed, same bytes, whichever compiler built the engine.
#
# Runs every shipped scenario (scenarios/*.yaml) and one `wiresim compare`
# with the `wiresim` CLI of several builds and compares the output folders
# byte for byte with the first build's: every file, in both directions.
#   gcc    g++ with link-time optimisation, as scripts/bench.sh builds it
#          (build-gcc-cmp/), or, with GCC_BUILD=DIR, the g++ build already in
#          DIR (CI passes build/, which scripts/test.sh has just built at -O2:
#          a second full g++ build of the libraries cost CI about 3 minutes)
#   clang  clang++ without LTO (build-clang-cmp/)
#   o0     only with O0_BUILD=DIR: the unoptimised build in DIR (CI passes
#          build-asan/: g++ -O0 with ASan and UBSan), so optimisation levels
#          are compared too
# Each build is in the project's build type (RelWithDebInfo) unless reused.
# Exits 0 if everything is identical, 1 on any difference (naming each
# differing or missing file) or failed run, 2 on a build problem.
#
#   scripts/compare-compilers.sh                 # every shipped scenario
#   scripts/compare-compilers.sh --seed 7        # extra arguments go to every `wiresim run`
#   JOBS=2 KEEP=1 scripts/compare-compilers.sh   # build parallelism; keep the outputs
#   GCC_BUILD=build O0_BUILD=build-asan scripts/compare-compilers.sh   # what CI runs
#   BUILD_TYPE=Release scripts/compare-compilers.sh   # another CMake build type (g++ 12 -O3 has
#                                                     # false-positive warnings; see the issue notes)
#
# Uses: cmake, ninja, g++, clang++, cmp. Does not install anything.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${JOBS:-2}
build_type=${BUILD_TYPE:-RelWithDebInfo}
extra=("$@")
out=$(mktemp -d "${TMPDIR:-/tmp}/wiresim-compare-XXXXXX")
if [[ -z "${KEEP:-}" ]]; then
  trap 'rm -rf "$out"' EXIT
else
  echo "outputs kept in $out"
fi

build() {  # build DIR COMPILER [CMAKE ARGS...]
  local dir=$1 cxx=$2
  shift 2
  if ! command -v "$cxx" > /dev/null; then
    echo "compare-compilers: $cxx is not installed" >&2
    exit 2
  fi
  echo "== building wiresim with $cxx in $dir ($build_type $*)"
  if ! cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_CXX_COMPILER="$cxx" \
      -DWIRESIM_TESTS=OFF -DWIRESIM_BENCH=OFF "$@" > "$out/configure-$cxx.log" 2>&1; then
    cat "$out/configure-$cxx.log" >&2
    exit 2
  fi
  make_cli "$dir" "the $cxx build failed"
}

# make_cli DIR MESSAGE: builds (or brings up to date) the `wiresim` target in
# DIR; on failure prints the errors and MESSAGE and exits 2.
make_cli() {
  local dir=$1 log
  log="$out/build-$(basename "$dir").log"
  if ! ninja -C "$dir" -j "$jobs" wiresim > "$log" 2>&1; then
    grep -E -A12 '^FAILED|error:' "$log" | head -60 >&2
    echo "compare-compilers: $2" >&2
    exit 2
  fi
}

# reuse DIR COMPILER_ID: an existing build of the given compiler, brought up
# to date (only its `wiresim` target).
reuse() {
  local dir=$1 id=$2
  if ! grep -qs "CMAKE_CXX_COMPILER_ID \"$id\"" "$dir"/CMakeFiles/*/CMakeCXXCompiler.cmake; then
    echo "compare-compilers: $dir is not a configured $id build" >&2
    exit 2
  fi
  echo "== reusing the $id build in $dir"
  make_cli "$dir" "bringing $dir up to date failed"
}

# labels[i] runs the CLI in bins[i]; the first is the reference.
labels=(gcc clang)
if [[ -n "${GCC_BUILD:-}" ]]; then
  reuse "$GCC_BUILD" GNU
  bins=("$GCC_BUILD/sim/cli/wiresim")
else
  build build-gcc-cmp g++ -DWIRESIM_LTO=ON
  bins=(build-gcc-cmp/sim/cli/wiresim)
fi
build build-clang-cmp clang++
bins+=(build-clang-cmp/sim/cli/wiresim)
if [[ -n "${O0_BUILD:-}" ]]; then
  reuse "$O0_BUILD" GNU
  labels+=(o0)
  bins+=("$O0_BUILD/sim/cli/wiresim")
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

status=0
compared=0

# same_dirs NAME LABEL: compares $out/gcc/NAME and $out/LABEL/NAME file by file.
same_dirs() {
  local name=$1 other=$2 differ=0 files f
  files=$( (cd "$out/gcc/$name" && find . -type f; cd "$out/$other/$name" && find . -type f) | sort -u)
  while IFS= read -r f; do
    f=${f#./}
    if [[ ! -f "$out/gcc/$name/$f" ]]; then
      echo "DIFF $name/$f: only in the $other output" >&2; differ=1
    elif [[ ! -f "$out/$other/$name/$f" ]]; then
      echo "DIFF $name/$f: only in the gcc output, not in $other" >&2; differ=1
    elif ! cmp -s "$out/gcc/$name/$f" "$out/$other/$name/$f"; then
      echo "DIFF $name/$f ($other): $(cmp "$out/gcc/$name/$f" "$out/$other/$name/$f" 2>&1 | head -1)" >&2; differ=1
    fi
  done <<< "$files"
  if (( differ )); then
    status=1
  else
    echo "ok   $name: gcc = $other, $(wc -l <<< "$files") files identical"
  fi
}

# run_all NAME COMMAND...: the command with each build, into $out/LABEL/NAME,
# then every output compared with gcc's.
run_all() {
  local name=$1 i failed=0
  shift
  for i in "${!labels[@]}"; do
    # Same relative scenario path for all, so summary.json's scenario_file agrees.
    if ! "${bins[$i]}" "$@" --out "$out/${labels[$i]}/$name" --quiet > "$out/${labels[$i]}-$name.log" 2>&1; then
      echo "FAIL $name: the ${labels[$i]} build's run failed:" >&2
      cat "$out/${labels[$i]}-$name.log" >&2
      failed=1
    fi
  done
  compared=$((compared + 1))
  if (( failed )); then
    status=1
    return
  fi
  for i in "${!labels[@]}"; do
    (( i == 0 )) || same_dirs "$name" "${labels[$i]}"
  done
}

for file in scenarios/*.yaml; do
  run_all "$(basename "$file" .yaml)" run "$file" "${extra[@]}"
done

# A comparison across seeds: its statistics (floating point, bootstrap) and
# its example runs must not depend on the compiler either.
run_all lossy-compare-compare compare scenarios/lossy-compare.yaml --vary apps.browser.max_connections=1,6 \
  --vary links.access.loss=0%,5% --seeds 20

if (( compared == 0 )); then
  echo "compare-compilers: no scenario found in scenarios/" >&2
  exit 1
fi
if (( status == 0 )); then
  echo "compare-compilers: ${labels[*]} outputs are byte-identical for $compared runs"
else
  echo "compare-compilers: DIFFERENCES between the ${labels[*]} outputs (see above)" >&2
fi
exit "$status"
