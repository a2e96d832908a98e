#!/usr/bin/env bash
# format.sh — lays out every C file by .clang-format (Debian's clang-format).
#   tools/format.sh           rewrite the files in place
#   tools/format.sh --check   list the files that differ; exit 1 if any do
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format.sh: needs clang-format (apt-get install clang-format)" >&2; exit 2; }
mapfile -t files < <(git ls-files 'sim/*.[ch]' 'models/*.[ch]' 'tests/*.[ch]' 'tools/*.[ch]' 'tools/**/*.[ch]')
if [ "${1:-}" = "--check" ]; then
    bad=0
    for f in "${files[@]}"; do
        if ! clang-format "$f" | cmp -s - "$f"; then echo "$f"; bad=1; fi
    done
    exit $bad
fi
clang-format -i "${files[@]}"
