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
    # libconfig 1.5 leaks a string at some syntax errors, which the bad-input
    # corpus makes on purpose: suppressed narrowly (tools/fuzz/lsan.supp says
    # which frames and why); any other leak still fails.
    export LSAN_OPTIONS="suppressions=$PWD/tools/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
fi
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
