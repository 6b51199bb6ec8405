#!/usr/bin/env bash
# Checks the `wiresim` command line: exit codes 0 / 1 / 2, messages, and that
# bad input writes nothing. Usage: cli_test.sh WIRESIM SOURCE_DIR HAVE_RUNNER
set -u
wiresim=$1
fixtures=$2/tests/scenario
have_runner=$3
# shellcheck source=cli_lib.sh
source "$(dirname "$0")/cli_lib.sh"

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

# --out never replaces what wiresim did not write (issue: `--out docs` deleted
# docs/thesis.txt). Each refusal: exit 2, the reason, and every byte intact.
if [ "$have_runner" = 1 ]; then
  lab=$2/scenarios/lab-http.yaml
  # snapshot DIR: every file below DIR with its checksum, sorted.
  snapshot() { (cd "$1" && find . -print0 | sort -z | xargs -0 -r sha256sum 2>/dev/null; find . | sort); }

  mkdir docs && printf 'precious\n' > docs/thesis.txt
  before=$(snapshot docs)
  expect 2 "$wiresim" run "$lab" --out docs --quiet
  same "$work/err" "wiresim: error: --out 'docs' exists and is not a wiresim output folder (it holds 1 entry); choose a new or empty folder
wiresim: nothing was run or written"
  expect 2 "$wiresim" compare "$lab" --seeds 2 --out docs --quiet
  grep -q "^wiresim: error: --out 'docs' exists and is not a wiresim output folder" "$work/err" || fail "compare --out docs: $(cat "$work/err")"
  [ "$(snapshot docs)" == "$before" ] || fail "docs/ changed"
  same docs/thesis.txt "precious"
  [ -z "$(ls -A | grep '^\.')" ] || fail "a refused --out left $(ls -A | grep '^\.')"

  # The scenario's own folder, its sites, the site served.
  mkdir -p proj/sites
  cp "$lab" proj/
  cp -r "$2/scenarios/sites/lab" proj/sites/
  before=$(snapshot proj)
  for target in proj proj/sites proj/sites/lab proj/sites/../sites; do
    expect 2 "$wiresim" run proj/lab-http.yaml --out "$target" --quiet
    grep -q "is or contains the" "$work/err" || fail "--out $target: $(cat "$work/err")"
  done
  expect 2 "$wiresim" compare proj/lab-http.yaml --seeds 2 --out proj --quiet
  grep -q "is or contains the scenario file" "$work/err" || fail "compare --out proj: $(cat "$work/err")"
  [ "$(snapshot proj)" == "$before" ] || fail "proj/ changed"

  # The current folder, spelled as . and as ../here; the home folder; /.
  mkdir here && printf 'mine\n' > here/notes.txt
  cd here || exit 1
  expect 2 "$wiresim" run "$lab" --out ../here --quiet
  grep -q "is or contains the current folder" "$work/err" || fail "--out ../here: $(cat "$work/err")"
  expect 2 "$wiresim" run "$lab" --out . --quiet
  expect 2 "$wiresim" run "$lab" --out .. --quiet
  cd "$work" || exit 1
  same here/notes.txt "mine"
  mkdir home && printf 'mine\n' > home/.profile
  expect 2 env HOME="$work/home" "$wiresim" run "$lab" --out "$work/home" --quiet
  grep -q "is or contains the home folder" "$work/err" || fail "--out ~: $(cat "$work/err")"
  expect 2 "$wiresim" run "$lab" --out / --quiet
  same home/.profile "mine"

  # A symbolic link named as --out is not followed into the user's folder.
  ln -s docs linked
  expect 2 "$wiresim" run "$lab" --out linked --quiet
  grep -q "is a symbolic link" "$work/err" || fail "--out linked: $(cat "$work/err")"
  same docs/thesis.txt "precious"

  # An empty folder is used; wiresim's own output is replaced; a file a
  # user added to it stops the next run.
  mkdir empty
  expect 0 "$wiresim" run "$lab" --out empty --quiet
  [ -f empty/.wiresim-output ] && [ -f empty/summary.json ] || fail "run into an empty folder wrote $(ls -A empty)"
  expect 0 "$wiresim" run "$lab" --out empty --quiet --seed 2
  printf 'my notes\n' > empty/notes.txt
  expect 2 "$wiresim" run "$lab" --out empty --quiet
  grep -q "holds 1 entry that wiresim did not write (notes.txt)" "$work/err" || fail "added notes: $(cat "$work/err")"
  same empty/notes.txt "my notes"
  [ -f empty/summary.json ] || fail "the previous output went"
fi

[ "$failures" -eq 0 ] && echo "cli: all checks passed"
exit $((failures > 0))
