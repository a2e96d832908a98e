#!/usr/bin/env bash
# big_inputs.sh — times `placesim check` on big generated scenario files
# (issue 7: any file up to 100 MB is loaded or refused within 10 s, and
# 100,000 areas load), and prints one row per case: case, bytes, seconds,
# exit status, first line of the message.
#
#   tools/big_inputs.sh [PLACESIM]     default: build/placesim (a Release build)
#
# The files are generated in a temporary directory, one at a time, and
# removed after use; the biggest is 100 MB. The limits the loader applies
# are in sim/config_guard.h. Cases named *_at_limit stay just inside a limit,
# so their time is the worst a file of that shape can take.
set -euo pipefail
cd "$(dirname "$0")/.."
placesim=${1:-build/placesim}
[ -x "$placesim" ] || { echo "big_inputs.sh: no executable $placesim (build it first)" >&2; exit 2; }
placesim=$(cd "$(dirname "$placesim")" && pwd)/$(basename "$placesim")
costs=$PWD/scenarios/costs/default.cfg
work=$(mktemp -d /tmp/placesim_big_XXXXXX)
trap 'rm -rf "$work"' EXIT
MB=100000000

# n bytes of the letter x
xs() { head -c "$1" /dev/zero | tr '\0' x; }

# A valid scenario's head: everything but the areas.
head_cfg() {
    printf 'price_year = "2024/25";\ncost_library = "%s";\nyears = 1;\nwarmup_years = 0;\n' "$costs"
}

# n areas on a grid, each with its (up to 4) neighbours.
areas() {
    awk -v n="$1" 'BEGIN {
        w = int(sqrt(n)) + 1
        print "areas = ("
        for (i = 0; i < n; i++) {
            nb = ""
            split((i - 1) " " (i + 1) " " (i - w) " " (i + w), c, " ")
            for (k = 1; k <= 4; k++)
                if (c[k] >= 0 && c[k] < n) nb = nb (nb == "" ? "" : ", ") sprintf("\"Area %06d\"", c[k])
            printf "  { name = \"Area %06d\"; population = 1000; dwellings = 400; social_dwellings = 100;\n", i
            printf "    deprivation = 0.5; neighbours = [%s]; }%s\n", nb, (i < n - 1 ? "," : "")
        }
        print ");"
    }'
}

gen_comment_line_100MB() { printf '# '; xs $((MB - 3)); printf '\n'; }
gen_comment_lines_100MB() {
    awk -v n=$((MB / 100)) 'BEGIN { l = sprintf("%099d", 0); gsub(/0/, "x", l);
        for (i = 0; i < n; i++) print "#" substr(l, 2) }'
}
gen_string_100MB() { printf 'name = "'; xs $((MB - 11)); printf '";\n'; }
gen_unknown_keys_100k() {
    head_cfg; areas 4
    awk 'BEGIN { print "housing = {"; for (i = 0; i < 100000; i++) printf "  key%06d = 1;\n", i; print "};" }'
}
gen_areas_100k() { head_cfg; areas 100000; }
gen_list_100MB() {
    awk -v n=$((MB / 2)) 'BEGIN { printf "x = ["; for (i = 0; i < n - 1; i++) printf "1,"; print "1];" }'
}
# Just inside the limits: the slowest files of each shape that are not refused.
# n comment lines of the longest length allowed (64 KiB)
long_lines() { yes "#$(xs 65535)" | head -n "$1" || true; }
gen_comment_lines_at_limit() { long_lines $((32 * 1024 * 1024 / 65536 - 1)); }
gen_fragments_at_limit() {
    # The same lines in @include'd fragments, which libconfig reads from a FILE.
    long_lines $((10 * 1024 * 1024 / 65536 - 1)) > "$work/part.cfg"
    for _ in 1 2 3; do printf '@include "part.cfg"\n'; done
}
gen_group_keys_at_limit() {
    # 64 unknown keys in each of 22,700 list entries: 1.47 million settings.
    awk 'BEGIN { print "areas = ("; for (i = 0; i < 22700; i++) {
        printf "{ "; for (k = 0; k < 64; k++) printf "k%d_%d = 1; ", i, k; printf "}%s\n", (i < 22699 ? "," : "") }
        print ");" }'
}
gen_values_at_limit() {
    head_cfg; areas 4
    awk 'BEGIN { printf "x = ["; for (i = 0; i < 1499950; i++) printf "%s1%s", (i ? "," : ""), (i % 20 == 19 ? "\n" : ""); print "];" }'
}
gen_neighbours_at_limit() {
    # One area naming 1.5 million neighbours that do not exist.
    head_cfg; areas 1 | sed '$d' | sed '$d'
    awk 'BEGIN { printf "    deprivation = 0.5; neighbours = ["
        for (i = 0; i < 1499950; i++) printf "%s\"N%d\"%s", (i ? "," : ""), i, (i % 10 == 9 ? "\n" : "")
        print "]; }"; print ");" }'
}

cases=(comment_line_100MB comment_lines_100MB string_100MB unknown_keys_100k areas_100k list_100MB
       comment_lines_at_limit fragments_at_limit group_keys_at_limit values_at_limit
       neighbours_at_limit)

# The memory estimate of `check` is not what is measured here.
memory=()
if "$placesim" check --help 2>&1 | grep -q -- --max-memory; then memory=(--max-memory 1T); fi

printf '%-24s %11s %8s %6s  %s\n' case bytes seconds status message
for c in "${cases[@]}"; do
    file=$work/$c.cfg
    "gen_$c" > "$file"
    bytes=$(stat -c %s "$file")
    # A case's fragment counts once for each of its three @include lines.
    if [ -f "$work/part.cfg" ]; then bytes=$((bytes + 3 * $(stat -c %s "$work/part.cfg"))); fi
    start=$(date +%s.%N)
    set +e
    (cd "$work" && "$placesim" check "$c.cfg" "${memory[@]}") > "$work/out" 2> "$work/err"
    status=$?
    set -e
    end=$(date +%s.%N)
    message=$(head -n 1 "$work/err")
    [ -n "$message" ] || message="(valid) $(grep -m1 '^# valid' "$work/out" || true)"
    printf '%-24s %11s %8.2f %6s  %s\n' "$c" "$bytes" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$status" \
        "${message:0:140}"
    rm -f "$file" "$work/part.cfg" "$work/out" "$work/err"
done
