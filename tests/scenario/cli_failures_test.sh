#!/usr/bin/env bash
# Failures that must not look like successes (issue 17), end to end: a URL
# host the scenario does not have, warnings for a URL nothing serves, a
# failed page load without a page load time, a drop rule that never fired,
# and failed runs counted and tested in a comparison.
# Usage: cli_failures_test.sh WIRESIM SOURCE_DIR
set -u
wiresim=$1
src=$2
# shellcheck source=cli_lib.sh
source "$(dirname "$0")/cli_lib.sh"

# same FILE TEXT: the file's content is exactly TEXT.
same() {
  [ "$(cat "$1")" == "$2" ] || fail "$1 is '$(cat "$1")' (expected '$2')"
}
# has FILE TEXT: FILE holds the line fragment TEXT.
has() {
  grep -qF -- "$2" "$1" || fail "$1 lacks '$2': $(cat "$1")"
}

cd "$work" || exit 1
site=$src/scenarios/sites/lab
# scenario FILE URL [EXTRA]: two hosts on one link, nginx on the server, curl
# loading URL (line 7, the URL's quote at column 63); EXTRA joins the link.
scenario() {
  cat >"$1" <<YAML
name: failures
hosts:
  client: { address: 10.0.0.1/24 }
  server: { address: 10.0.0.2/24 }
apps:
  web: { type: http_server, host: server, site: $site }
  browser: { type: browser, host: client, profile: curl, url: "$2" }
links:
  lan: { a: client, b: server, bandwidth: 100Mbps, delay: 1ms${3:-} }
YAML
}

# No DNS: a name that is no scenario host is refused at the URL, exit 2.
scenario dns.yaml "http://server.example/"
expect 2 "$wiresim" validate dns.yaml --allow-site "$site"
same "$work/err" "dns.yaml:7:63: error: URL 'http://server.example/': unknown host 'server.example'; there is no DNS in the model, so a URL names a host of the scenario or an address of one (expected one of: client, server)
wiresim: 1 problem found; nothing was run"
expect 2 "$wiresim" run dns.yaml --allow-site "$site" --out dns-out --quiet
[ ! -e dns-out ] || fail "a refused URL wrote dns-out"
expect 2 "$wiresim" compare dns.yaml --allow-site "$site" --seeds 2 --out dns-cmp --quiet
has "$work/err" "dns.yaml:7:63: error: URL 'http://server.example/': unknown host 'server.example'"
[ ! -e dns-cmp ] || fail "a refused URL wrote dns-cmp"

# A scenario host's name stands for its address; the Host field keeps the name.
scenario named.yaml "http://server/"
expect 0 "$wiresim" validate named.yaml --allow-site "$site"
same "$work/err" ""
expect 0 "$wiresim" run named.yaml --allow-site "$site" --out named --quiet
has named/summary.json '"document_status": 200,'
has named/summary.json '"ok": true,'
has named/summary.json '"warnings": [],'
tr -d ' \n' <named/browser.har | grep -qF '{"name":"Host","value":"server"}' || fail "the HAR's Host field is not 'server'"
grep -qF '"serverIPAddress": "10.0.0.2"' named/browser.har || fail "the HAR's server address is not 10.0.0.2"

# Valid, but nothing serves it: warnings at validate, exit 0.
scenario noserver.yaml "http://client/"
expect 0 "$wiresim" validate noserver.yaml --allow-site "$site"
same "$work/err" "noserver.yaml:7:63: warning: URL 'http://client/': no http_server app runs on host 'client'; every load of it will fail"
scenario noport.yaml "http://10.0.0.2:8080/"
expect 0 "$wiresim" validate noport.yaml --allow-site "$site"
same "$work/err" "noport.yaml:7:63: warning: URL 'http://10.0.0.2:8080/': no http_server app listens on port 8080 of host 'server' (app 'web' listens on port 80); every load of it will fail"

# A 404 document is a failed load: no page load time anywhere, its error everywhere.
scenario missing.yaml "http://server/missing.html"
expect 0 "$wiresim" run missing.yaml --allow-site "$site" --out missing
has "$work/out" "  browser load 1: FAILED, 1 objects, 1 connections, error: document http://server/missing.html answered 404 Not Found (expected a 2xx status)"
grep -q "page load time" "$work/out" && fail "a failed load printed a page load time: $(cat "$work/out")"
has missing/summary.json '"page_load_time_s": "",'
has missing/summary.json '"ok": false,'
has missing/summary.json '"document_status": 404,'
has missing/summary.json '"error": "document http://server/missing.html answered 404 Not Found (expected a 2xx status)"'

# A drop rule that never fired: a warning on stderr and in summary.json.
scenario drops.yaml "http://server/" ", drop: [{ match: syn, dst_port: 9999, nth: 1 }, { match: syn, nth: 1 }]"
expect 0 "$wiresim" run drops.yaml --allow-site "$site" --out drops --quiet
same "$work/err" "wiresim: warning: drop rule links.lan.drop.0 never fired: no packet matched it"
has drops/summary.json '"warnings": [
    "drop rule links.lan.drop.0 never fired: no packet matched it"
  ],'
expect 0 "$wiresim" run drops.yaml --allow-site "$site" --out drops2 --quiet --set 'links.lan.drop.1.nth=5'
same "$work/err" "wiresim: warning: drop rule links.lan.drop.0 never fired: no packet matched it
wiresim: warning: drop rule links.lan.drop.1 never fired: 1 packet matched it, fewer than its nth (5)"

# compare: failed runs counted per variant, tested paired by seed, left out of the page load figures.
expect 0 "$wiresim" compare named.yaml --allow-site "$site" --vary apps.browser.url=http://server/,http://server/missing.html --seeds 3 --no-examples --out cmp
has "$work/out" "failed runs (left out of the page load and TTFB figures above):
  url=http://server/: 0 of 3 (0.0%)
  url=http://server/missing.html: 3 of 3 (100.0%)
failure rate, paired by seed (exact McNemar test on the seeds where one side failed):
  url=http://server/missing.html vs url=http://server/: 3 vs 0 failed; only the variant 3, only the baseline 0; p=0.2500, Holm p=1.0000, not significant"
for seed in 1 2 3; do
  has cmp/compare.csv "1,http://server/missing.html,$seed,browser load 1: document http://server/missing.html answered 404 Not Found (expected a 2xx status),404,1,1,,,1,"
  grep -qE "^0,http://server/,$seed,,200,1,0,[0-9.]+,[0-9.]+,1," cmp/compare.csv || fail "seed $seed of the good URL: $(cat cmp/compare.csv)"
done
has cmp/compare.json '"only_variant_failed": 3,'
has cmp/compare.json '"p_value": 0.25,'
has cmp/report.html "<h2>Failures</h2>"
has cmp/report.html "<td>3 of 3 (100.0%)</td>"

# compare: a drop rule that never fired is one warning for the sweep, with its count and first run.
expect 0 "$wiresim" compare drops.yaml --allow-site "$site" --vary links.lan.delay=1ms,2ms --seeds 2 --no-examples --out cmp-drops --quiet
same "$work/err" "wiresim: warning: drop rule links.lan.drop.0 never fired in 4 of 4 runs (first: delay=1ms, seed 1: no packet matched it)"

[ "$failures" -eq 0 ] && echo "cli failures: all checks passed"
exit $((failures > 0))
