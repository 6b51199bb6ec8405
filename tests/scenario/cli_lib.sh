# Helpers the command-line checks share (sourced by cli_test.sh and
# cli_limits_test.sh): a private work folder removed on exit, a failure
# count, and `expect`, which runs a command and checks its exit code.

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
