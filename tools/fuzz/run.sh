#!/usr/bin/env bash
# run.sh — builds the libFuzzer harnesses in build-fuzz/ and runs them.
#   tools/fuzz/run.sh [SECONDS]   each harness for SECONDS (default 60)
#
# For each harness (fuzz_scenario, fuzz_costs):
#   1. every file in tools/fuzz/regressions/<harness>/ once (past findings);
#   2. SECONDS of fuzzing from a seed corpus (scenarios/, tests/data/) copied
#      into a scratch directory, with tools/fuzz/libconfig.dict.
# Exits non-zero on any crash, leak, timeout, out-of-memory or sanitizer
# report, naming the reproducer (reproduce with: build-fuzz/<harness> FILE).
# Nothing is written to the repository: the scratch directory is
# build-fuzz/work-XXXXXX, removed after a clean run and kept after a failure.
#
# Environment: FUZZ_WORK=DIR keeps the corpora in DIR across runs (not
# removed); FUZZ_MAX_LEN (default 8192: longer inputs reach libconfig's
# quadratic cases, issue 7); FUZZ_ONLY=fuzz_costs runs one harness;
# FUZZ_FLAGS adds libFuzzer flags to the fuzzing step (e.g. -use_value_profile=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD
fuzz_dir=$src/tools/fuzz
build_dir=$src/build-fuzz

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: tools/fuzz/run.sh [SECONDS]" >&2
    exit 2
fi
max_len=${FUZZ_MAX_LEN:-8192}
harnesses=(fuzz_scenario fuzz_costs)
if [ -n "${FUZZ_ONLY:-}" ]; then harnesses=("$FUZZ_ONLY"); fi

bash tools/setup.sh
CC=clang cmake -S . -B "$build_dir" -DPLACESIM_FUZZ=ON -DPLACESIM_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" >/dev/null
cmake --build "$build_dir" -j 2 --target "${harnesses[@]}"

if [ -n "${FUZZ_WORK:-}" ]; then
    work=$FUZZ_WORK
    mkdir -p "$work"
    keep=1
else
    work=$(mktemp -d "$build_dir/work-XXXXXX")
    keep=0
fi

# The harnesses' own scratch directories go under $work too.
export TMPDIR=$work
# libconfig 1.5's leak on a string at a syntax error: see lsan.supp.
export LSAN_OPTIONS=suppressions=$fuzz_dir/lsan.supp:print_suppressions=0
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

common=(-timeout=10 -rss_limit_mb=2048 -max_len="$max_len")

seed() { # seed HARNESS FILE...
    local dir=$work/corpus/$1
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        cp "$f" "$dir/seed-$(printf '%s' "$f" | tr '/ ' '__')"
    done
}

# Scenario seeds: every scenario file, and a few with --set overrides
# (after a line "%%", one per line; see fuzz_scenario.c).
scenario_seeds() {
    local dir=$work/corpus/fuzz_scenario
    local files=()
    while IFS= read -r -d '' f; do files+=("$f"); done \
        < <(find scenarios tests/data -name '*.cfg' -type f -print0 | sort -z)
    seed fuzz_scenario "${files[@]}"
    { cat tests/data/scenario/minimal.cfg
      printf '%%%%\nyears=3\nareas.A.population=20\nname=from_set\nhousing.queue_order=fifo\n'
    } > "$dir/seed-overrides-minimal"
    { cat tests/data/cli/small.cfg
      printf '%%%%\nhousing.turnover=1.5\nabc\nhousing.turnovr=1\nareas.Nowhere.population=1\n'
      printf 'start=2025-02-30\nyears=ten\nareas.North=1\nareas.North.neighbours=["South"]\n'
    } > "$dir/seed-overrides-errors"
    printf 'base = "small.cfg";\nname = "s";\n%%%%\nstart="2030-01-01"\nwarmup_years=0\n' \
        > "$dir/seed-overrides-base"
    # A valid scenario with every programme, its values changed by overrides:
    # mutations of the overrides reach the models' checks.
    { cat scenarios/interventions/total_place.cfg
      printf '%%%%\ninterventions.patrols.intensity=0.5\nbudgets.rollover_share=0.25\n'
      printf 'interventions.estate_repair_teams.areas=["Northgate"]\n'
      printf 'interventions.homes_for_leavers.funder=probation\nhousing.target_areas=["Riverside"]\n'
      printf 'areas.Northgate.social_dwellings=7000\ncrime.patrols=()\nprice_year="2023/24"\n'
    } > "$dir/seed-overrides-total-place"
}

failed=0
report_failure() { # report_failure HARNESS LOG
    failed=1
    echo "fuzz: $1 FAILED (log: $2)" >&2
    grep -h 'Test unit written to' "$2" | sed 's/.*Test unit written to /fuzz: reproducer: /' >&2 || true
    # Replaying files writes no artifact for a leak: name the last one run.
    grep -h '^Running: ' "$2" | tail -n 1 | sed 's/^Running: /fuzz: last input run: /' >&2 || true
    grep -h -m 3 -E '^SUMMARY:|ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:' \
        "$2" | sed 's/^/fuzz:   /' >&2 || true
    echo "fuzz: reproduce with: $build_dir/$1 REPRODUCER" >&2
}

for h in "${harnesses[@]}"; do
    bin=$build_dir/$h
    artifacts=$work/artifacts/$h
    mkdir -p "$artifacts" "$work/logs"

    # 1. Past findings, each once (files as arguments: no fuzzing).
    regressions=()
    if [ -d "$fuzz_dir/regressions/$h" ]; then
        while IFS= read -r -d '' f; do regressions+=("$f"); done \
            < <(find "$fuzz_dir/regressions/$h" -type f ! -name '*.md' -print0 | sort -z)
    fi
    if [ ${#regressions[@]} -gt 0 ]; then
        log=$work/logs/$h-regressions.log
        echo "fuzz: $h: ${#regressions[@]} regression inputs" >&2
        if ! "$bin" "${common[@]}" -artifact_prefix="$artifacts/" "${regressions[@]}" \
                >"$log" 2>&1; then
            report_failure "$h" "$log"
            continue
        fi
    fi

    # 2. Fuzzing from the seeds.
    case $h in
        fuzz_scenario) scenario_seeds ;;
        fuzz_costs)
            files=()
            while IFS= read -r -d '' f; do files+=("$f"); done \
                < <(find scenarios/costs tests/data/costs tests/data/bad -type f \
                         \( -path '*/costs/*.cfg' -o -name '*.costs.cfg' \) -print0 | sort -z)
            seed fuzz_costs "${files[@]}" ;;
    esac
    log=$work/logs/$h.log
    echo "fuzz: $h: fuzzing for ${seconds}s" >&2
    if "$bin" "${common[@]}" -max_total_time="$seconds" -dict="$fuzz_dir/libconfig.dict" \
            -artifact_prefix="$artifacts/" -close_fd_mask=2 -print_final_stats=1 \
            ${FUZZ_FLAGS:-} "$work/corpus/$h" >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        echo "fuzz: $h: ok, ${execs:-?} executions (${rate:-?}/s)" >&2
    else
        report_failure "$h" "$log"
    fi
done

if [ "$failed" -ne 0 ]; then
    echo "fuzz: failed; everything is kept in $work" >&2
    exit 1
fi
if [ "$keep" -eq 0 ]; then rm -rf "$work"; fi
