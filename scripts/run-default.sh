#!/usr/bin/env bash
# Builds wiresim and runs the default scenario, the networking lab
# (scenarios/lab-http.yaml), into output/lab-http/. Does its own setup:
# installs the Debian packages it needs first (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mkdir -p build
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > build/configure.log 2>&1 || { cat build/configure.log; exit 1; }
cmake --build build -j "$(nproc)" --target wiresim
./build/sim/cli/wiresim run scenarios/lab-http.yaml "$@"
echo "open output/lab-http/client.pcapng in Wireshark; tcp-states.csv lists every TCP state change;"
echo "build/sim/cli/wiresim explain output/lab-http tells each connection frame by frame"
