#!/usr/bin/env bash
# Installs every build, test and capture-check dependency of wiresim from
# Debian (bookworm) packages. Idempotent: packages already present are kept.
# Extra package names given as arguments are installed too (scripts/check-report.sh
# asks for chromium, which only the report check needs).
set -euo pipefail

packages=(
  g++ clang cmake ninja-build pkg-config
  libboost-graph-dev libyaml-cpp-dev catch2
  libcli11-dev nlohmann-json3-dev libfmt-dev libxxhash-dev
  # HTTP/2 framing, HPACK and flow control (sim/http/h2), driven through its
  # memory-buffer API (nghttp2_session_mem_recv / mem_send).
  libnghttp2-dev
  # The allocator of every executable but the sanitizer and fuzz builds
  # (cmake/Dependencies.cmake, option WIRESIM_MIMALLOC).
  libmimalloc-dev
  tshark
  # libFuzzer and the sanitizer runtimes of Debian's clang (14 in bookworm), for the
  # fuzz build (scripts/fuzz.sh, scripts/fuzz-ci.sh): only a Recommends of clang-14,
  # which --no-install-recommends skips. Keep its number equal to clang's major version.
  libclang-rt-14-dev
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture; answer once, never prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
