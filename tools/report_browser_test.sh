#!/usr/bin/env bash
# report_browser_test.sh — opens a real `placesim report` in headless Chromium
# (Debian's chromium, installed by tools/setup.sh) and checks that the page
# loads with no console message at all (the page logs nothing, so any
# message is an error: Chromium's log does not tell levels apart), that the
# page's script ran and every chart (<svg class="chart ...">) has drawn
# marks of non-zero size, and saves a screenshot and a PDF print as
# artefacts. Before trusting the checks on the report, it proves they can
# fail: a copy with a deliberate script error and a copy whose charts draw
# nothing must both be rejected.
#
#   tools/report_browser_test.sh PLACESIM_BINARY SOURCE_DIR OUT_DIR
#
# ctest runs it as report_browser (CMakeLists.txt), with OUT_DIR
# build/report_browser/. Exit 0 when every check passes.
set -euo pipefail

binary=${1:?usage: report_browser_test.sh PLACESIM_BINARY SOURCE_DIR OUT_DIR}
source_dir=${2:?source dir}
out=${3:?output dir}
start_s=$SECONDS

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "report_browser_test: chromium not found (bash tools/setup.sh installs it)" >&2
    exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

# chrome and check_page: see report_browser_lib.sh.
source "$(dirname "${BASH_SOURCE[0]}")/report_browser_lib.sh"

echo "report_browser_test: a small experiment (borough and estate_voids, common seeds)"
cd "$source_dir"
for scenario in scenarios/borough.cfg scenarios/interventions/estate_voids.cfg; do
    name=$(basename "$scenario" .cfg)
    "$binary" run "$scenario" --reps 4 --seed 7 -j 2 --set years=3 -o "$out/$name" --force \
        >/dev/null 2>"$out/$name.run.log"
done
"$binary" report "$out/borough" "$out/estate_voids" -o "$out/report.html" >/dev/null

echo "report_browser_test: the checks must fail on broken pages first"
sed 's|</body>|<script>undefinedFunction();</script></body>|' "$out/report.html" \
    >"$out/broken_script.html"
sed 's/class="mark /class="unmarked /g' "$out/report.html" >"$out/broken_charts.html"
# Everything Chromium does, at once: the two broken pages, the report, its
# screenshot and its print.
check_page "$out/broken_script.html" 2>"$out/broken_script.why" & script_pid=$!
check_page "$out/broken_charts.html" 2>"$out/broken_charts.why" & charts_pid=$!
check_page "$out/report.html" >"$out/report.check" 2>&1 & report_pid=$!
chrome --window-size=1100,1500 --hide-scrollbars --screenshot="$out/report.png" \
    "file://$out/report.html" >/dev/null 2>"$out/screenshot.log" & shot_pid=$!
chrome --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$out/report.html" \
    >/dev/null 2>"$out/pdf.log" & pdf_pid=$!

if wait $script_pid; then
    echo "report_browser_test: FAILED: a page with a script error passed the console check" >&2
    exit 1
fi
grep -q 'undefinedFunction' "$out/broken_script.why" || {
    echo "report_browser_test: FAILED: the script error was not reported:" >&2
    cat "$out/broken_script.why" >&2
    exit 1
}
echo "  broken_script.html rejected: $(grep -m1 -o 'Uncaught [^"]*' "$out/broken_script.why")"
if wait $charts_pid; then
    echo "report_browser_test: FAILED: a page whose charts draw nothing passed" >&2
    exit 1
fi
echo "  broken_charts.html rejected:$(grep -m1 'charts have nothing drawn' "$out/broken_charts.why")"

echo "report_browser_test: the report"
report_status=0
wait $report_pid || report_status=$?
cat "$out/report.check"
if [ $report_status -ne 0 ]; then
    echo "report_browser_test: FAILED on the report" >&2
    exit 1
fi
wait $shot_pid || true
wait $pdf_pid || true
for artefact in report.png report.pdf; do
    if [ ! -s "$out/$artefact" ]; then
        echo "report_browser_test: FAILED: no $out/$artefact" >&2
        exit 1
    fi
done
echo "report_browser_test: screenshot $out/report.png, print $out/report.pdf, report $out/report.html"
echo "report_browser_test: passed in $((SECONDS - start_s)) s"
