# report_browser_lib.sh — what the browser tests of `placesim report` share
# (sourced by report_browser_test.sh and report_sweep_browser_test.sh):
# chrome, headless Chromium with a fresh profile and no network; and
# check_page FILE, 0 when the page loads with no console message and every
# chart has drawn marks of non-zero size. Needs $browser and $out set.

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

