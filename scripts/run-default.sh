#!/usr/bin/env bash
# Builds wiresim and runs the default scenario. Does its own setup: installs
# the Debian packages it needs first (scripts/install-deps.sh, idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mkdir -p build
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > build/configure.log 2>&1 || { cat build/configure.log; exit 1; }
cmake --build build -j "$(nproc)" --target wiresim_demo
./build/tests/integration/wiresim_demo output/demo
