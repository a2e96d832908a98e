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

# Headless, no sandbox (CI runs as root in a container), a fresh profile
# per call (calls run in parallel: each takes ~5 s, mostly waiting), and
# every host name unresolvable: a page that tried to load anything from the
# network would fail to, and log it.
chrome() {
    local profile
    profile=$(mktemp -d "$out/profile.XXXXXX")
    local status=0
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-extensions --user-data-dir="$profile" \
        --host-resolver-rules="MAP * ~NOTFOUND" --enable-logging=stderr --v=0 "$@" || status=$?
    rm -rf "$profile"
    return $status
}

# check_page FILE: 0 when it loads with no console message and every chart
# has drawn marks; otherwise 1 with the reasons on stderr.
check_page() {
    local page=$1 dom log status=0
    dom="$out/$(basename "$page" .html).dom.html"
    log="$out/$(basename "$page" .html).console.log"
    chrome --dump-dom "file://$page" >"$dom" 2>"$log" || {
        echo "  chromium failed on $page (log: $log)" >&2
        return 1
    }
    if grep -q ':CONSOLE' "$log"; then
        echo "  console messages in $page:" >&2
        grep ':CONSOLE' "$log" | sed 's/^/    /' >&2
        status=1
    fi
    local charts svg_tags drawn bad
    charts=$(grep -o 'data-charts="[0-9]*"' "$dom" | head -1 | grep -o '[0-9]\+' || true)
    svg_tags=$(grep -o '<svg class="chart[^>]*>' "$dom" || true)
    if [ -z "$charts" ]; then
        echo "  the page's script did not run (no data-charts)" >&2
        return 1
    fi
    if [ "$charts" -eq 0 ] || [ "$(printf '%s\n' "$svg_tags" | grep -c 'data-drawn=')" -ne "$charts" ]; then
        echo "  $charts charts, not all counted" >&2
        return 1
    fi
    bad=$(printf '%s\n' "$svg_tags" | grep -c 'data-drawn="0"' || true)
    if [ "$bad" -ne 0 ]; then
        echo "  $bad of $charts charts have nothing drawn:" >&2
        printf '%s\n' "$svg_tags" | grep 'data-drawn="0"' | sed 's/^/    /' >&2
        status=1
    fi
    drawn=$(printf '%s\n' "$svg_tags" | grep -o 'data-drawn="[0-9]*"' | grep -o '[0-9]\+' |
            awk '{ n += $1 } END { print n }')
    [ $status -eq 0 ] && echo "  $page: $charts charts, $drawn drawn marks, no console message"
    return $status
}

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
