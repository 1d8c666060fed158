#!/usr/bin/env bash
# Runs the pytest suite of one Python tool (tools/<TOOL>/tests) in that tool's own venv
# (~/.cache/vla-node/<TOOL>-venv, created or updated from tools/<TOOL>/requirements.txt).
#
#   scripts/python-tool-tests.sh TOOL [pytest arguments...]      e.g. train, sim
#
# tools/train needs torch (about 3 GB from PyPI the first time); tools/train's engine parity test runs
# .build/debug/vla-node, so build first. tools/sim renders headless with EGL (scripts/setup.sh installs
# Debian's libegl1 and libgl1-mesa-dri).
set -euo pipefail
cd "$(dirname "$0")/.."
tool="${1:?usage: scripts/python-tool-tests.sh TOOL [pytest arguments...]}"
shift
[ -f "tools/$tool/requirements.txt" ] || { echo "python-tool-tests: no tools/$tool/requirements.txt" >&2; exit 2; }
venv="${VLA_VENV_ROOT:-$HOME/.cache/vla-node}/$tool-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "tools/$tool/requirements.txt"
cd "tools/$tool"
exec "$venv/bin/python" -m pytest -q tests "$@"
