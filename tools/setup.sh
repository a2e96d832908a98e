#!/usr/bin/env bash
# setup.sh — installs what placesim needs to build and test on Debian 12.
# Safe to run twice: it installs only the packages that are missing.
set -euo pipefail

# chromium: the report's test opens a real page headless (tools/report_browser_test.sh).
# libsqlite3-dev: sweep results databases; sqlite3: the shell the README's queries use.
# libopenmpi-dev, openmpi-bin: placesim-mpi (a sweep over MPI ranks) and its
# test, which runs it under mpirun (tools/sweep_mpi_test.sh).
packages=(build-essential cmake pkg-config libgsl-dev libconfig-dev libcmocka-dev libjansson-dev
          libsqlite3-dev sqlite3 clang libclang-rt-14-dev chromium libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "setup: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
