#!/usr/bin/env bash
# Creates or updates the sim venv (VLA_SIM_VENV, default ~/.cache/vla-node/sim-venv) from
# tools/sim/requirements.txt and runs the tools/sim tests (about 30 s). Headless rendering needs the
# Debian packages libegl1 and libgl1-mesa-dri; this script only checks that they are there.
#
#   tools/sim/run_tests.sh [pytest arguments...]
set -euo pipefail
cd "$(dirname "$0")"

for package in libegl1 libgl1-mesa-dri; do
    dpkg -s "$package" >/dev/null 2>&1 || { echo "run_tests.sh: install $package (apt-get install -y $package)" >&2; exit 1; }
done
VENV="${VLA_SIM_VENV:-$HOME/.cache/vla-node/sim-venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt
exec "$VENV/bin/python" -m pytest -q tests "$@"
