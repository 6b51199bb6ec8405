#!/usr/bin/env bash
# Same scenario, same seed, same bytes, whichever compiler built the engine.
#
# Builds the `wiresim` CLI twice in the project's build type (RelWithDebInfo), with g++ and
# link-time optimisation (build-gcc-cmp/, as scripts/bench.sh builds) and with clang++ without
# it (build-clang-cmp/), runs every shipped scenario
# (scenarios/*.yaml) and one `wiresim compare` with both, and compares
# the two output folders byte for byte: every file, in both directions.
# Exits 0 if everything is identical, 1 on any difference (naming each
# differing or missing file) or failed run, 2 on a build problem.
#
#   scripts/compare-compilers.sh                 # every shipped scenario
#   scripts/compare-compilers.sh --seed 7        # extra arguments go to every `wiresim run`
#   JOBS=2 KEEP=1 scripts/compare-compilers.sh   # build parallelism; keep the outputs
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
  if ! ninja -C "$dir" -j "$jobs" wiresim > "$out/build-$cxx.log" 2>&1; then
    grep -E -A12 '^FAILED|error:' "$out/build-$cxx.log" | head -60 >&2
    echo "compare-compilers: the $cxx build failed" >&2
    exit 2
  fi
}

build build-gcc-cmp g++ -DWIRESIM_LTO=ON
build build-clang-cmp clang++

status=0
compared=0

# same_dirs NAME: compares $out/gcc/NAME and $out/clang/NAME file by file.
same_dirs() {
  local name=$1 differ=0 files f
  files=$( (cd "$out/gcc/$name" && find . -type f; cd "$out/clang/$name" && find . -type f) | sort -u)
  while IFS= read -r f; do
    f=${f#./}
    if [[ ! -f "$out/gcc/$name/$f" ]]; then
      echo "DIFF $name/$f: only in the clang output" >&2; differ=1
    elif [[ ! -f "$out/clang/$name/$f" ]]; then
      echo "DIFF $name/$f: only in the g++ output" >&2; differ=1
    elif ! cmp -s "$out/gcc/$name/$f" "$out/clang/$name/$f"; then
      echo "DIFF $name/$f: $(cmp "$out/gcc/$name/$f" "$out/clang/$name/$f" 2>&1 | head -1)" >&2; differ=1
    fi
  done <<< "$files"
  compared=$((compared + 1))
  if (( differ )); then
    status=1
  else
    echo "ok   $name: $(wc -l <<< "$files") files identical"
  fi
}

for file in scenarios/*.yaml; do
  name=$(basename "$file" .yaml)
  failed=0
  for cc in gcc clang; do
    # Same relative scenario path for both, so summary.json's scenario_file agrees.
    if ! "build-$cc-cmp/sim/cli/wiresim" run "$file" --out "$out/$cc/$name" --quiet "${extra[@]}" \
        > "$out/$cc-$name.log" 2>&1; then
      echo "FAIL $file: the $cc build's run failed:" >&2
      cat "$out/$cc-$name.log" >&2
      failed=1
    fi
  done
  if (( failed )); then
    status=1
    continue
  fi
  same_dirs "$name"
done

# A comparison across seeds: its statistics (floating point, bootstrap) and
# its example runs must not depend on the compiler either.
for cc in gcc clang; do
  if ! "build-$cc-cmp/sim/cli/wiresim" compare scenarios/lossy-compare.yaml --vary apps.browser.max_connections=1,6 \
      --vary links.access.loss=0%,5% --seeds 20 --out "$out/$cc/lossy-compare-compare" --quiet \
      > "$out/$cc-compare.log" 2>&1; then
    echo "FAIL wiresim compare with the $cc build:" >&2
    cat "$out/$cc-compare.log" >&2
    status=1
  fi
done
[[ -d "$out/gcc/lossy-compare-compare" && -d "$out/clang/lossy-compare-compare" ]] && same_dirs lossy-compare-compare

if (( compared == 0 )); then
  echo "compare-compilers: no scenario found in scenarios/" >&2
  exit 1
fi
if (( status == 0 )); then
  echo "compare-compilers: g++ and clang++ outputs are byte-identical for $compared scenarios"
else
  echo "compare-compilers: DIFFERENCES between the g++ and clang++ outputs (see above)" >&2
fi
exit "$status"
