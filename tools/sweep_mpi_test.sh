#!/usr/bin/env bash
# sweep_mpi_test.sh — placesim-mpi sweep on 2 and 3 ranks gives the database
# a serial placesim sweep gives (wall times aside): runs, summaries and the
# sweep row compared with sqlite3; a failed run exits 3 as serially;
# --resume completes a database; a bad sweep file is one line from rank 0.
# Usage: sweep_mpi_test.sh PLACESIM PLACESIM_MPI MPIRUN SOURCE_DIR WORK_DIR
set -euo pipefail
placesim=$1 placesim_mpi=$2 mpirun=$3 src=$4 work=$5
sweeps=$src/tests/data/sweeps_run
rm -rf "$work" && mkdir -p "$work" && cd "$work"
mpi=("$mpirun" --oversubscribe)
if [ "$(id -u)" -eq 0 ]; then mpi+=(--allow-run-as-root); fi  # CI runs as root
# Under the sanitizer build, OpenMPI itself leaks ~120 KB per process at
# MPI_Finalize (every stack inside libmpi, libopen-pal or libhwloc, none in
# placesim), so the ranks alone run without LeakSanitizer; ASan and UBSan
# errors still fail them, and the sweep code they share with the threaded
# runner is leak-checked by test_sweep_run.
if [ -n "${ASAN_OPTIONS:-}" ]; then
    mpi+=(-x "ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0")
fi
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# Everything but wall_seconds (and created/program_version), ordered.
dump() {
    sqlite3 "$1" "SELECT point_id, arm_id, replication, seed, status, error, events
                    FROM runs ORDER BY 1, 2, 3;
                  SELECT point_id, arm_id, replication, output_id, quote(value), quote(difference)
                    FROM summaries ORDER BY 1, 2, 3, 4;
                  SELECT name, text, sha256, master_seed, replications, design, n_points,
                         n_arms, shard, failed_runs FROM sweep;"
    # The money a sweep with arms keeps (cost_benefit), when it keeps it.
    if [ "$(sqlite3 "$1" "SELECT count(*) FROM sqlite_master WHERE name = 'money'")" = 1 ]; then
        sqlite3 "$1" "SELECT * FROM run_years ORDER BY 1, 2, 3, 4;
                      SELECT point_id, arm_id, replication, year, metric, quote(value)
                        FROM money ORDER BY 1, 2, 3, 4, 5;"
    fi
}
# expect_exit WANT LOG CMD...: runs CMD, checks its exit status.
expect_exit() {
    local want=$1 log=$2 got=0
    shift 2
    "$@" >"$log" 2>&1 || got=$?
    [ "$got" -eq "$want" ] || { fail "exit $got, not $want: $* (see $work/$log)"; cat "$log" >&2; }
}
same_as() {
    dump "$1" >"$1.txt"
    dump "$2" >"$2.txt"
    cmp -s "$1.txt" "$2.txt" || fail "$2 differs from $1: diff $work/$1.txt $work/$2.txt"
}

# tiny: 2 points x 2 arms x 2 replications (paired differences);
# longer: 6 points, more than the workers, so points are handed out in turn.
for name in tiny longer; do
    expect_exit 0 "$name.serial.log" "$placesim" sweep "$sweeps/$name.cfg" -o "$name.serial.db" -j 1 --quiet
    for np in 2 3; do
        expect_exit 0 "$name.np$np.log" "${mpi[@]}" -np $np "$placesim_mpi" sweep "$sweeps/$name.cfg" -o "$name.np$np.db" --quiet
        same_as "$name.serial.db" "$name.np$np.db"
    done
done
# The comparison must have compared something: every run, and the differences.
runs=$(sqlite3 tiny.np2.db "SELECT count(*) FROM runs WHERE status = 'ok'")
diffs=$(sqlite3 tiny.np2.db "SELECT count(difference) FROM summaries WHERE arm_id = 1")
[ "$runs" -eq 8 ] || fail "tiny on 2 ranks: $runs ok runs, not 8"
[ "$diffs" -gt 0 ] || fail "tiny on 2 ranks: no paired differences"
money=$(sqlite3 tiny.np2.db "SELECT count(*) FROM money")
[ "$money" -gt 0 ] || fail "tiny on 2 ranks: no money rows (two arms keep them)"

# A failed run is recorded, and the sweep exits 3 as the threaded runner does.
expect_exit 3 failing.serial.log "$placesim" sweep "$sweeps/failing.cfg" -o failing.serial.db -j 1 --quiet
expect_exit 3 failing.np2.log "${mpi[@]}" -np 2 "$placesim_mpi" sweep "$sweeps/failing.cfg" -o failing.np2.db --quiet
same_as failing.serial.db failing.np2.db

# --resume: runs taken out (a base run and a run paired with its base) are
# made again, on 3 ranks; one rank (rank 0 alone) makes a whole sweep too.
cp tiny.np2.db resumed.db
sqlite3 resumed.db "DELETE FROM runs WHERE point_id = 1 AND ((arm_id = 0 AND replication = 2) OR (arm_id = 1 AND replication = 1));
                    DELETE FROM summaries WHERE point_id = 1 AND ((arm_id = 0 AND replication = 2) OR (arm_id = 1 AND replication = 1));"
expect_exit 0 resume.log "${mpi[@]}" -np 3 "$placesim_mpi" sweep "$sweeps/tiny.cfg" -o resumed.db --resume --quiet
grep -q "8 runs (6 already recorded), 2 ok" resume.log || fail "resume did not make 2 runs: $(cat resume.log)"
same_as tiny.serial.db resumed.db
expect_exit 0 np1.log "${mpi[@]}" -np 1 "$placesim_mpi" sweep "$sweeps/tiny.cfg" -o np1.db --quiet
same_as tiny.serial.db np1.db

# A sweep file that does not load: exit 1, one line from placesim, no database.
expect_exit 1 missing.log "${mpi[@]}" -np 3 "$placesim_mpi" sweep "$sweeps/no_such.cfg" -o missing.db --quiet
lines=$(grep -c "no_such.cfg" missing.log || true)
[ "$lines" -eq 1 ] || fail "a missing sweep file gave $lines lines naming it, not 1"
[ ! -e missing.db ] || fail "a missing sweep file left missing.db"

if [ "$fails" -ne 0 ]; then echo "sweep_mpi: $fails failures" >&2; exit 1; fi
echo "sweep_mpi: ok"
