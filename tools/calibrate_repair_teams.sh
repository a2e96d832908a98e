#!/usr/bin/env bash
# calibrate_repair_teams.sh — 1-D search for housing.repair_teams.
#
#   tools/calibrate_repair_teams.sh [SCENARIO] [TARGET_DAYS] [REPS]
#
# The pooled median days vacant before re-let falls as teams are added, so a
# bisection over whole teams brackets the target (default 29, MHCLG Social
# housing lettings 2023/24) between two neighbouring team counts; it prints
# both with their medians and the one closer to the target last, as
# "best: repair_teams=N median=M". Uses build/placesim.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/borough.cfg}
target=${2:-29}
reps=${3:-10}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median_for() {
    build/placesim run "$scenario" --reps "$reps" --seed 1 --force -o "$out/run" \
        --set "housing.repair_teams=$1" |
        sed -n 's/.*relet_days_median \([0-9.]*\).*/\1/p'
}

lo=1
hi=400
while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    m=$(median_for "$mid")
    echo "repair_teams=$mid median=$m" >&2
    if awk -v m="$m" -v t="$target" 'BEGIN { exit !(m <= t) }'; then hi=$mid; else lo=$mid; fi
done
m_lo=$(median_for "$lo")
m_hi=$(median_for "$hi")
echo "repair_teams=$lo median=$m_lo"
echo "repair_teams=$hi median=$m_hi"
if awk -v a="$m_lo" -v b="$m_hi" -v t="$target" 'BEGIN { da = a - t; db = b - t; exit !(da*da <= db*db) }'; then
    echo "best: repair_teams=$lo median=$m_lo"
else
    echo "best: repair_teams=$hi median=$m_hi"
fi
