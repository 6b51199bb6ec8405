#!/usr/bin/env bash
# CI's fuzz step: builds every libFuzzer target (build-fuzz/) and runs each
# over its committed corpus (tests/fuzz/corpus/TARGET/) plus a fixed number of
# mutated inputs, with a fixed seed, so the step is the same on every run and a
# crash regression (an input in the corpus that crashes again, or one the
# mutations reach quickly) fails CI. New inputs go to a temporary folder, never
# into the committed corpus. Exits 1 on the first crash, 2 on a build problem.
#   scripts/fuzz-ci.sh               the inputs per target below
#   SCALE=10 scripts/fuzz-ci.sh      ten times as many
# The counts keep each target to roughly 10-30 s on the project's 2-core machine
# (the scenario loader and explain run ~200 inputs/s, the wire formats ~40,000/s);
# the whole step, build included, stays under ~6 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A runs=(
  [fuzz_scenario_loader]=3000 [fuzz_explain]=2000 [fuzz_html_css]=20000
  [fuzz_http_parser]=60000 [fuzz_capture_reader]=60000 [fuzz_wire]=300000
)
scale=${SCALE:-1}
start=$SECONDS
bash scripts/fuzz-build.sh
echo "fuzz-ci: built the fuzz targets in $((SECONDS - start)) s"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/wiresim-fuzz-ci-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for src in tests/fuzz/fuzz_*.cpp; do
  target=$(basename "$src" .cpp)
  n=$(( ${runs[$target]:-10000} * scale ))
  t0=$SECONDS
  mkdir -p "$scratch/$target/new" "$scratch/$target/tmp"
  dict=()
  [ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
  if TMPDIR=$scratch/$target/tmp "build-fuzz/tests/fuzz/$target" -runs="$n" -seed=1 -timeout=10 \
      -artifact_prefix="$scratch/$target/" "${dict[@]}" "$scratch/$target/new" "tests/fuzz/corpus/$target" \
      > "$scratch/$target.log" 2>&1; then
    echo "ok   $target: $(grep -Eo 'Done [0-9]+ runs' "$scratch/$target.log" | tail -1) in $((SECONDS - t0)) s"
  else
    status=1
    echo "FAIL $target: (its libFuzzer log follows; reproduce with scripts/fuzz.sh $target 60)" >&2
    tail -60 "$scratch/$target.log" >&2
    for crash in "$scratch/$target"/crash-* "$scratch/$target"/leak-* "$scratch/$target"/timeout-*; do
      [ -f "$crash" ] && { echo "input ($crash), base64:" >&2; base64 "$crash" | head -40 >&2; }
    done
  fi
done
echo "fuzz-ci: done in $((SECONDS - start)) s"
exit $status
