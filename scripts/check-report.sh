#!/usr/bin/env bash
# Renders wiresim's HTML outputs in headless Chromium and fails if the page
# logs anything to the console or refers to anything outside itself:
#   - report.html of a small `wiresim compare` of scenarios/lossy-compare.yaml
#   - the sequence diagrams of `wiresim explain --html` on the lab scenario
#     and on fast-retransmit.yaml (a drop, dup ACKs, a fast retransmission)
# Screenshots go to ${REPORT_CHECK_OUT:-build/report-check}/ for a look.
# Does its own setup (Debian packages, chromium included, and the build).
#   scripts/check-report.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=${REPORT_CHECK_OUT:-$build/report-check}

bash scripts/install-deps.sh chromium
if [ ! -x "$build/sim/cli/wiresim" ]; then
  mkdir -p "$build"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
  cmake --build "$build" -j "$(nproc)" --target wiresim
fi
wiresim=$(realpath "$build/sim/cli/wiresim")
rm -rf "$out"
mkdir -p "$out"

"$wiresim" compare scenarios/lossy-compare.yaml --vary apps.browser.max_connections=1,6 \
  --vary links.access.loss=0%,5% --seeds 10 --out "$out/compare" -q
"$wiresim" run scenarios/lab-http.yaml --out "$out/lab" -q
"$wiresim" explain "$out/lab" --html "$out/explain.html" > /dev/null
"$wiresim" run scenarios/fast-retransmit.yaml --out "$out/fr" -q
"$wiresim" explain "$out/fr" --html "$out/explain-loss.html" > /dev/null

status=0
for page in "$out/compare/report.html" "$out/explain.html" "$out/explain-loss.html"; do
  # Self-contained: no scripts, no links or sources outside the file.
  if grep -Eo '(src|href)="[^"#][^"]*"' "$page" | grep -q .; then
    echo "check-report: $page refers to outside resources:"; grep -Eo '(src|href)="[^"#][^"]*"' "$page" | head
    status=1
  fi
  if grep -q '<script' "$page"; then echo "check-report: $page contains a script"; status=1; fi
  name=$(basename "$page" .html)
  log="$out/$name.chromium.log"
  # --enable-logging=stderr prints the page's console messages as "CONSOLE" lines.
  # The compare report is long (tables, a dozen plots): a window tall enough to see all of it.
  height=3000
  [ "$name" = report ] && height=12000
  timeout 120 chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
    --no-first-run --window-size=1280,$height --enable-logging=stderr --v=0 \
    --screenshot="$out/$name.png" "file://$(realpath "$page")" > "$log" 2>&1 || {
    echo "check-report: chromium failed on $page:"; tail -20 "$log"; status=1; continue; }
  if grep -E 'CONSOLE|Uncaught|ERR_FILE_NOT_FOUND|net::ERR' "$log"; then
    echo "check-report: $page logged the errors above"
    status=1
  fi
  if [ ! -s "$out/$name.png" ]; then echo "check-report: no screenshot of $page"; status=1; fi
  echo "check-report: $page rendered to $out/$name.png"
done
exit $status
