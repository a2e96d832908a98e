#!/usr/bin/env bash
# test.sh — sets up, builds and runs every test.
#   tools/test.sh             Release build in build/
#   tools/test.sh --sanitize  AddressSanitizer + UndefinedBehaviorSanitizer build in build-sanitize/
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
build_dir=build
cmake_args=()
if [ "${1:-}" = "--sanitize" ]; then
    build_dir=build-sanitize
    cmake_args=(-DPLACESIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
fi
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
