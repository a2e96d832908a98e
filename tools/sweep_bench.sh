#!/usr/bin/env bash
# sweep_bench.sh — runs per second of `placesim sweep` at -j 1 and -j 2, and
# whether both gave the same summaries (they must: a run's seed depends only
# on the sweep's seed, its point and its replication).
#
#   tools/sweep_bench.sh [PLACESIM] [SWEEP]
#
# Defaults: build/placesim and scenarios/sweeps/repair_patrols.cfg (the
# analyst's grid). The speed-up is close to 2 only on an idle machine with
# two free cores: the load average is printed with the figures so that a
# busy machine shows. Writing results never holds up the runs (one writer
# thread, fed through a queue), so the speed-up measures the simulation.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/placesim}
sweep=${2:-scenarios/sweeps/repair_patrols.cfg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "sweep_bench: $sweep, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A rate
for j in 1 2; do
    # The command's last line: "... N ok, 0 failed, T s, R runs/s; wrote ..."
    line=$("$bin" sweep "$sweep" -o "$tmp/j$j.db" -j "$j" --quiet | tail -n 1)
    rate[$j]=$(sed -n 's/.* \([0-9.]*\) runs\/s;.*/\1/p' <<<"$line")
    elapsed=$(sed -n 's/.* failed, \([0-9.]*\) s, .*/\1/p' <<<"$line")
    # Threads busy simulating: the runs' summed wall time over the sweep's.
    # Close to j when no thread waits (for the writer, or for work).
    busy=$(sqlite3 "$tmp/j$j.db" "SELECT printf('%.2f', sum(wall_seconds) / $elapsed) FROM runs")
    echo "  -j $j: ${rate[$j]} runs/s, threads busy simulating $busy   ($line)"
done
awk -v a="${rate[1]}" -v b="${rate[2]}" 'BEGIN { printf "  speed-up -j 2 / -j 1: %.2f\n", b / a }'

query='SELECT point_id, arm_id, replication, output_id, value, difference FROM summaries
       ORDER BY point_id, arm_id, replication, output_id'
if [ "$(sqlite3 "$tmp/j1.db" "$query" | sha256sum)" = "$(sqlite3 "$tmp/j2.db" "$query" | sha256sum)" ]; then
    echo "  summaries identical at -j 1 and -j 2"
else
    echo "  summaries DIFFER between -j 1 and -j 2" >&2
    exit 1
fi
