#!/usr/bin/env bash
# report_sweep_browser_test.sh — opens real sweep reports (`placesim report
# RESULTS.db`) in headless Chromium: a two-parameter grid with two arms
# (scatter charts, their differences, heat maps, cost-benefit), a Saltelli
# design (scatter charts, Sobol indices) and a probabilistic sensitivity
# analysis (a Latin hypercube with the borough and the Total Place package:
# NPV histograms and NPV against each parameter). Each page must log nothing to the
# console and every chart must have drawn marks of non-zero size
# (report_browser_lib.sh); a copy of the grid's page whose charts draw
# nothing must be rejected first. Keeps screenshots and the pages.
#
#   tools/report_sweep_browser_test.sh PLACESIM_BINARY SOURCE_DIR OUT_DIR
#
# ctest runs it as report_sweep_browser (CMakeLists.txt), with OUT_DIR
# build/report_sweep_browser/. Exit 0 when every check passes.
set -euo pipefail

binary=${1:?usage: report_sweep_browser_test.sh PLACESIM_BINARY SOURCE_DIR OUT_DIR}
source_dir=${2:?source dir}
out=${3:?output dir}
start_s=$SECONDS

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "report_sweep_browser_test: chromium not found (bash tools/setup.sh installs it)" >&2
    exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
source_dir=$(cd "$source_dir" && pwd)
source "$(dirname "${BASH_SOURCE[0]}")/report_browser_lib.sh"

echo "report_sweep_browser_test: three small sweeps (2 written years a run)"
for arm in borough sweeps/estate_patrols interventions/total_place; do
    printf 'base = "%s/scenarios/%s.cfg";\nyears = 2;\nwarmup_years = 1;\n' \
        "$source_dir" "$arm" >"$out/$(basename "$arm")_short.cfg"
done
cat >"$out/grid.cfg" <<'SWEEP'
name = "grid";
arms = ( { name = "borough"; scenario = "borough_short.cfg"; },
         { name = "patrols"; scenario = "estate_patrols_short.cfg"; } );
replications = 3; seed = 1; design = { type = "grid"; };
parameters = ( { key = "housing.repair_teams"; values = [45, 49, 53]; },
               { key = "crime.patrol_effect"; values = [0.0, 0.08, 0.16]; } );
outputs = ( { metric = "void_days"; summary = "total"; },
            { metric = "crimes_criminal_damage"; summary = "mean_per_year"; } );
SWEEP
cat >"$out/saltelli.cfg" <<'SWEEP'
name = "saltelli";
arms = ( { name = "borough"; scenario = "borough_short.cfg"; } );
replications = 1; seed = 1; design = { type = "saltelli"; samples = 8; };
parameters = ( { key = "crime.blight_elasticity.criminal_damage"; min = 0.0; max = 0.05; },
               { key = "crime.patrol_effect"; min = 0.0; max = 0.16; } );
outputs = ( { metric = "crimes_criminal_damage"; summary = "total"; } );
SWEEP
cat >"$out/psa.cfg" <<'SWEEP'
name = "psa";
arms = ( { name = "borough"; scenario = "borough_short.cfg"; },
         { name = "total_place"; scenario = "total_place_short.cfg"; } );
replications = 2; seed = 1; design = { type = "lhs"; samples = 10; };
parameters = ( { key = "crime.patrol_effect"; distribution = "normal"; mean = 0.081; sd = 0.04;
                 min = 0.0; max = 0.16; },
               { key = "reoffending.hazard_ratio.homeless"; min = 1.0; max = 2.0; },
               { key = "budgets.housing"; min = 300000.0; max = 1050000.0; } );
outputs = ( { metric = "void_days"; summary = "total"; } );
SWEEP
for sweep in grid saltelli psa; do
    rm -f "$out/$sweep.db"
    "$binary" sweep "$out/$sweep.cfg" -o "$out/$sweep.db" -j 2 --quiet >/dev/null
    "$binary" report "$out/$sweep.db" -o "$out/$sweep.html" >/dev/null
done
sed 's/class="mark /class="unmarked /g' "$out/grid.html" >"$out/broken_charts.html"

check_page "$out/broken_charts.html" 2>"$out/broken_charts.why" & broken_pid=$!
check_page "$out/grid.html" >"$out/grid.check" 2>&1 & grid_pid=$!
check_page "$out/saltelli.html" >"$out/saltelli.check" 2>&1 & saltelli_pid=$!
check_page "$out/psa.html" >"$out/psa.check" 2>&1 & psa_pid=$!
chrome --window-size=1100,2400 --hide-scrollbars --screenshot="$out/grid.png" \
    "file://$out/grid.html" >/dev/null 2>"$out/screenshot.log" & shot_pid=$!

if wait $broken_pid; then
    echo "report_sweep_browser_test: FAILED: a page whose charts draw nothing passed" >&2
    exit 1
fi
echo "  broken_charts.html rejected:$(grep -m1 'charts have nothing drawn' "$out/broken_charts.why")"
failed=0
for sweep in grid saltelli psa; do
    pid_var=${sweep}_pid
    status=0
    wait "${!pid_var}" || status=$?
    cat "$out/$sweep.check"
    [ $status -eq 0 ] || failed=1
done
# The PSA page's cost-benefit charts: two histograms and one NPV chart per
# parameter, each drawn (check_page counted every chart's marks).
for kind in histogram npv; do
    n=$(grep -o "<svg class=\"chart chart-$kind\"[^>]*data-drawn=\"[1-9][0-9]*\"" "$out/psa.dom.html" | wc -l)
    want=$([ $kind = histogram ] && echo 2 || echo 3)
    if [ "$n" -ne "$want" ]; then
        echo "  psa.html: $n drawn chart-$kind charts, not $want" >&2
        failed=1
    fi
done
wait $shot_pid || true
if [ $failed -ne 0 ]; then
    echo "report_sweep_browser_test: FAILED" >&2
    exit 1
fi
echo "report_sweep_browser_test: screenshot $out/grid.png, pages $out/grid.html, $out/saltelli.html, $out/psa.html"
echo "report_sweep_browser_test: passed in $((SECONDS - start_s)) s"
