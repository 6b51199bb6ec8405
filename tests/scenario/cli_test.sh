#!/usr/bin/env bash
# Checks the `wiresim` command line: exit codes 0 / 1 / 2, messages, and that
# bad input writes nothing. Usage: cli_test.sh WIRESIM SOURCE_DIR HAVE_RUNNER
set -u
wiresim=$1
fixtures=$2/tests/scenario
have_runner=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect CODE COMMAND...: runs COMMAND (stdout and stderr to $work/out, $work/err)
# and checks its exit code.
expect() {
  local code=$1
  shift
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [ "$got" -eq "$code" ] || fail "exit $got (expected $code): $* -- stderr: $(cat "$work/err")"
}

# same FILE TEXT: the file's content is exactly TEXT.
same() {
  [ "$(cat "$1")" == "$2" ] || fail "$1 is '$(cat "$1")' (expected '$2')"
}

expect 0 "$wiresim" --version
same "$work/out" "wiresim 0.1.0"
expect 0 "$wiresim" --help
grep -q "validate" "$work/out" || fail "--help does not list validate"
expect 0 "$wiresim" run --help
grep -q -- "--set KEY=VALUE" "$work/out" || fail "run --help does not show --set"
expect 0 "$wiresim" validate --help
expect 2 "$wiresim"
expect 2 "$wiresim" frobnicate
expect 2 "$wiresim" validate
expect 2 "$wiresim" validate "$fixtures/valid/full.yaml" --seed abc

expect 0 "$wiresim" validate "$fixtures/valid/full.yaml"
same "$work/out" "$fixtures/valid/full.yaml: ok: scenario 'lab-http' with 3 hosts, 1 router, 4 links, 3 apps and 3 captures"
expect 0 "$wiresim" validate "$fixtures/valid/full.yaml" --set links.access.loss=1% --set apps.browser.max_connections=1 --seed 3

f=$fixtures/broken/three_errors.yaml
expect 2 "$wiresim" validate "$f"
same "$work/err" "$f:7:69: error: invalid loss '150%': more than 100% (expected a probability from 0 to 1, such as 0.02 or 2%)
$f:9:35: error: unknown host 'servr' (did you mean 'server'?)
$f:11:44: error: invalid file 'wire.pcap': does not end in .pcapng (expected a file name such as wire.pcapng)
wiresim: 3 problems found; nothing was run"

expect 2 "$wiresim" validate "$fixtures/valid/full.yaml" --set links.acess.loss=2%
same "$work/err" "--set links.acess.loss=2%: error: unknown link 'acess' (did you mean 'access'?)
wiresim: 1 problem found; nothing was run"

# Bad input: exit 2 and nothing written.
cd "$work" || exit 1
mkdir runs
expect 2 "$wiresim" run "$f" --out runs/out
expect 2 "$wiresim" run "$fixtures/valid/full.yaml" --set links.access.loss=150% --out runs/out
expect 2 "$wiresim" run "$work/missing.yaml" --out runs/out
[ -z "$(ls -A runs)" ] || fail "bad input wrote $(ls -A runs)"
[ ! -e output ] || fail "bad input created output/"

if [ "$have_runner" = 0 ]; then
  expect 1 "$wiresim" run "$fixtures/valid/full.yaml" --out runs/out
  grep -q "the simulation engine is not built in yet" "$work/err" || fail "run without engine: $(cat "$work/err")"
  [ -z "$(ls -A runs)" ] || fail "run without engine wrote $(ls -A runs)"
fi

[ "$failures" -eq 0 ] && echo "cli: all checks passed"
exit $((failures > 0))
