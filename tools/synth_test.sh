#!/usr/bin/env bash
# synth_test.sh — ctest `synth_place`: the generated places of
# tools/synth_place.c.
#
#   tools/synth_test.sh PLACESIM PLACESIM_SYNTH SOURCE_DIR WORK_DIR
#
# 1. scenarios/england.cfg is what `placesim_synth england` writes, byte for
#    byte (it is generated, never edited: regenerate it after changing the
#    totals, the rules or the borough).
# 2. The borough tiled once is the borough: the same series and ledger, row
#    for row, but for the scenario's name (a tile changes no per-agent rate).
# 3. The borough tiled 4 times loads, with 4 x the areas, residents and teams.
set -euo pipefail
placesim=$1 synth=$2 src=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$src"

"$synth" england > "$work/england.cfg"
cmp "$work/england.cfg" scenarios/england.cfg ||
    { echo "scenarios/england.cfg differs from placesim_synth england: regenerate it" >&2; exit 1; }

"$synth" tile 1 > "$work/tile_1.cfg"
"$placesim" run scenarios/borough.cfg --reps 2 -j 2 -o "$work/borough" >/dev/null
"$placesim" run "$work/tile_1.cfg" --reps 2 -j 2 -o "$work/tile_1" >/dev/null
for f in series.csv ledger.csv; do
    cmp <(cut -d, -f2- "$work/borough/$f") <(cut -d, -f2- "$work/tile_1/$f") ||
        { echo "the borough tiled once differs from the borough in $f" >&2; exit 1; }
done

"$synth" tile 4 > "$work/tile_4.cfg"
"$placesim" check "$work/tile_4.cfg" --reps 1 -j 1 | grep -q \
    '^# valid: tile_4; 80 areas, 1120560 residents, 460000 dwellings, 101600 social;' ||
    { echo "the borough tiled 4 times is not 4 boroughs" >&2; exit 1; }
grep -q '^housing = { repair_teams = 228; };$' "$work/tile_4.cfg"
echo "synth_test: england.cfg regenerates identically; tile 1 = the borough; tile 4 = 4 boroughs"
