#!/usr/bin/env bash
# Hostile input on the command line (issue 13): numbers out of range, sweeps
# too large, sites outside the scenario's folder tree or too large, YAML past
# its limits, URLs with userinfo, --jobs beyond the cores, example folders
# whose names would clash, SIGHUP. Each must get exit code 2 and a message
# that names the limit, or work; nothing may be left behind.
# Usage: cli_limits_test.sh WIRESIM SOURCE_DIR
set -u
wiresim=$1
source_dir=$2
lab=$source_dir/scenarios/lab-http.yaml
# shellcheck source=cli_lib.sh
source "$(dirname "$0")/cli_lib.sh"

# says TEXT: stderr holds TEXT.
says() {
  grep -qF -- "$1" "$work/err" || fail "stderr lacks '$1': $(cat "$work/err")"
}

cd "$work" || exit 1

# ---- numbers: never clamped, always the range ----
seed_range="is not a whole number from 0 to 18446744073709551615 (2^64-1)"
for bad in 18446744073709551616 1e23 -1 " 1" 0x10 ""; do
  for cmd in validate run; do
    expect 2 "$wiresim" $cmd "$lab" --seed "$bad" --out "$work/never"
    says "$seed_range"
  done
done
expect 0 "$wiresim" validate "$lab" --seed 18446744073709551615
expect 0 "$wiresim" validate "$lab" --seed 0
for bad in -5 4e12 10000000 0 1.5; do
  expect 2 "$wiresim" compare "$lab" --seeds "$bad" --out "$work/never"
  says "is not a whole number from 1 to 1000000"
done
for bad in 18446744073709551616 1e23 -1 0; do
  expect 2 "$wiresim" compare "$lab" --first-seed "$bad" --out "$work/never"
  says "is not a whole number from 1 to 18446744073709551615 (2^64-1)"
done
expect 2 "$wiresim" compare "$lab" --first-seed 18446744073709551615 --seeds 2 --out "$work/never"
says "the last seed would pass 18446744073709551615"
expect 2 "$wiresim" compare "$lab" --seeds 1000000 --vary apps.browser.max_connections=1,2 --out "$work/never"
says "--seeds 1000000 x 2 combinations = 2000000 runs; at most 1000000 runs"
expect 2 "$wiresim" compare "$lab" --jobs 0 --out "$work/never"
says "is not a whole number from 1 to 4294967295"
[ ! -e "$work/never" ] || fail "bad numbers wrote $work/never"

# ---- --jobs beyond the cores: clamped, said, and nothing left behind ----
expect 0 "$wiresim" compare "$lab" --seeds 2 --jobs 1000 --no-examples --quiet --out "$work/jobs"
says "wiresim: --jobs 1000: this machine has"
[ -f "$work/jobs/compare.csv" ] || fail "--jobs 1000 wrote no compare.csv"
[ "$(wc -l <"$work/jobs/compare.csv")" -eq 3 ] || fail "--jobs 1000: compare.csv has $(wc -l <"$work/jobs/compare.csv") lines"
[ -z "$(ls -A "$work" | grep '^\.jobs')" ] || fail "--jobs 1000 left $(ls -A "$work" | grep '^\.jobs')"

# ---- example folder names are unique and safe ----
expect 0 "$wiresim" compare "$lab" --seeds 1 --vary 'description=a/b,a_b,a:b,..' --quiet --out "$work/vary"
names=$(cd "$work/vary/examples" && ls -A | sort | tr '\n' ' ')
[ "$names" = "description-.. description-a_b~0 description-a_b~1 description-a_b~2 " ] ||
  fail "example folders: '$names'"
for d in "$work"/vary/examples/*; do
  [ -f "$d/summary.json" ] || fail "$d has no summary.json"
done

# ---- sites: only the scenario's folder tree, unless --allow-site ----
mkdir -p scen/sites/lab outside/site
cp -r "$source_dir/scenarios/sites/lab/." scen/sites/lab/
cp -r "$source_dir/scenarios/sites/lab/." outside/site/
scenario() {  # scenario FILE SITE
  cat >"$1" <<EOF
name: sites
hosts:
  client: { address: 10.0.0.1/24 }
  server: { address: 10.0.0.2/24 }
links:
  lan: { a: client, b: server, bandwidth: 100Mbps, delay: 1ms }
apps:
  web: { type: http_server, host: server, site: "$2" }
  browser: { type: browser, host: client, url: "http://10.0.0.2/" }
EOF
}
scenario scen/ok.yaml sites/lab
expect 0 "$wiresim" validate scen/ok.yaml
for site in /etc ../outside/site ../../../../../../etc "$work/outside/site"; do
  scenario scen/out.yaml "$site"
  expect 2 "$wiresim" validate scen/out.yaml
  says "scen/out.yaml:8:49: error: site folder '$site' ("
  says "is outside the scenario's folder tree"
  expect 2 "$wiresim" run scen/out.yaml --out "$work/never"
done
scenario scen/out.yaml ../outside/site
expect 0 "$wiresim" validate scen/out.yaml --allow-site outside
expect 0 "$wiresim" validate scen/out.yaml --allow-site "$work/outside/site" --allow-site /tmp
expect 2 "$wiresim" validate scen/out.yaml --allow-site "$work/outside/nope"
says "--allow-site $work/outside/nope: no such folder"
expect 0 "$wiresim" compare scen/out.yaml --seeds 1 --no-examples --quiet --allow-site outside --out "$work/allowed"
expect 2 "$wiresim" compare scen/out.yaml --seeds 1 --no-examples --quiet --out "$work/never"
# A link out of the tree, as the site or as a file in it.
ln -s "$work/outside/site" scen/sites/linked
scenario scen/out.yaml sites/linked
expect 2 "$wiresim" validate scen/out.yaml
says "site folder 'sites/linked' ($work/outside/site) is outside the scenario's folder tree"
mkdir -p scen/sites/leaky
cp scen/sites/lab/index.html scen/sites/leaky/
ln -s /etc/hostname scen/sites/leaky/hostname
scenario scen/out.yaml sites/leaky
expect 2 "$wiresim" validate scen/out.yaml
says "site file 'hostname' is a link to '/etc/hostname', outside the folders a site may use"
expect 0 "$wiresim" validate scen/out.yaml --allow-site /etc
# Sizes: 64 MiB per file (a sparse file costs no disk).
mkdir -p scen/sites/big
cp scen/sites/lab/index.html scen/sites/big/
truncate -s 67108865 scen/sites/big/huge.bin
scenario scen/out.yaml sites/big
expect 2 "$wiresim" validate scen/out.yaml
says "site file 'huge.bin' is 67108865 bytes; at most 67108864 (64 MiB) per file"
truncate -s 67108864 scen/sites/big/huge.bin
expect 0 "$wiresim" validate scen/out.yaml
[ ! -e "$work/never" ] || fail "refused sites wrote $work/never"

# ---- YAML limits: each names its limit, with line and column ----
python3 - "$work" <<'EOF'
import sys
w = sys.argv[1]
head = "name: big\nhosts:\n"
with open(f"{w}/hosts.yaml", "w") as f:
    f.write(head + "".join(f"  h{i}: {{ address: 10.{i >> 16}.{(i >> 8) & 255}.{i & 255}/8 }}\n" for i in range(100001)))
with open(f"{w}/deep.yaml", "w") as f:
    f.write("name: deep\nx: " + "[" * 10000 + "]" * 10000 + "\n")
with open(f"{w}/deep40.yaml", "w") as f:
    f.write("name: deep\nx: " + "[" * 40 + "]" * 40 + "\n")
with open(f"{w}/bomb.yaml", "w") as f:
    f.write("name: bomb\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
    for i in range(1, 9):
        f.write(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]\n")
with open(f"{w}/huge.yaml", "w") as f:
    f.write("name: huge\n" + "# padding\n" * (17 * 1024 * 1024 // 10))
EOF
expect 2 "$wiresim" validate hosts.yaml
says "hosts.yaml:3:3: error: hosts has 100001 entries; at most 100000 hosts per scenario"
expect 2 "$wiresim" validate deep.yaml
says "deep.yaml:2:"
says "YAML nested more than 32 levels deep"
expect 2 "$wiresim" validate deep40.yaml
says "deep40.yaml:2:36: error: YAML nested more than 32 levels deep"
expect 2 "$wiresim" validate bomb.yaml
says "error: aliases (*name) expand to more than 100000 YAML values"
expect 2 "$wiresim" validate huge.yaml
says "huge.yaml:1:1: error: the scenario is 17825801 bytes; at most 16777216 (16 MiB)"

# ---- URLs (RFC 3986): the scheme in any case; userinfo named ----
expect 0 "$wiresim" validate "$lab" --set apps.browser.url=HTTP://10.130.197.105:24/
expect 0 "$wiresim" run "$lab" --set apps.browser.url=HTTP://10.130.197.105:24/ --quiet --out "$work/upper"
grep -q "\"complete\": true" "$work/upper/summary.json" || fail "HTTP:// page load did not complete"
expect 2 "$wiresim" validate "$lab" --set apps.browser.url=http://user:pw@10.130.197.105:24/
says "userinfo ('user:password@' before the host) is not supported"

# ---- SIGHUP stops a compare like SIGTERM: no temporary folder, nothing written ----
"$wiresim" compare "$lab" --seeds 1000000 --jobs 2 --no-examples --quiet --out "$work/hup" >/dev/null 2>"$work/hup.err" &
pid=$!
for _ in $(seq 200); do
  [ -n "$(ls -A "$work" | grep '^\.hup')" ] && break
  sleep 0.05
done
sleep 0.5
kill -HUP $pid
wait $pid
rc=$?
[ "$rc" -eq 129 ] || fail "compare after SIGHUP: exit $rc (expected 129, killed by SIGHUP): $(cat "$work/hup.err")"
[ -z "$(ls -A "$work" | grep '^\.hup')" ] || fail "SIGHUP left $(ls -A "$work" | grep '^\.hup')"
[ ! -e "$work/hup" ] || fail "SIGHUP left $work/hup"

[ "$failures" -eq 0 ] && echo "cli limits: all checks passed"
exit $((failures > 0))
