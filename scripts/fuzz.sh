#!/usr/bin/env bash
# Runs one libFuzzer target for a while over its committed seed corpus.
#   scripts/fuzz.sh TARGET SECONDS [LIBFUZZER OPTIONS...]
#   scripts/fuzz.sh fuzz_http_parser 600
#   scripts/fuzz.sh fuzz_explain 300 -jobs=2 -workers=2
# TARGET is one of tests/fuzz/fuzz_*.cpp (run without arguments for the list).
# Builds build-fuzz/ first if needed (scripts/fuzz-build.sh). The committed
# corpus, tests/fuzz/corpus/TARGET/, is only read: inputs that reach new code go
# to build-fuzz/findings/TARGET/corpus/, crashes, leaks and timeouts to
# build-fuzz/findings/TARGET/ (crash-*, leak-*, timeout-*), temporary files of
# the targets to build-fuzz/findings/TARGET/tmp/. Exits 0 if nothing was found,
# 1 on a crash (the reproducer's path is printed: run the target on it to see
# the report again, and add it to tests/fuzz/corpus/TARGET/ once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=$(cd tests/fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
if [ $# -lt 2 ] || ! grep -qx -- "$1" <<< "$targets" || ! [[ $2 =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh TARGET SECONDS [LIBFUZZER OPTIONS...]; targets:" >&2
  sed 's/^/  /' <<< "$targets" >&2
  exit 2
fi
target=$1 seconds=$2
shift 2

bash scripts/fuzz-build.sh "$target"
scratch=build-fuzz/findings/$target
mkdir -p "$scratch/corpus" "$scratch/tmp"
dict=()
[ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
# libFuzzer's default input size limit is the largest seed (647 bytes for
# fuzz_html_css): allow at least 4 KB unless the caller says otherwise.
max_len=()
if ! [[ " $* " == *" -max_len="* ]]; then
  largest=$(find "tests/fuzz/corpus/$target" -type f -printf '%s\n' | sort -n | tail -1)
  max_len=(-max_len=$(( ${largest:-0} > 4096 ? ${largest:-0} : 4096 )))
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# -timeout: an input that takes 10 s is a hang (every loop must end).
TMPDIR=$PWD/$scratch/tmp exec nice "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
  -artifact_prefix="$scratch/" "${dict[@]}" "${max_len[@]}" "$@" "$scratch/corpus" "tests/fuzz/corpus/$target"
