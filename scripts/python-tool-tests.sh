#!/usr/bin/env bash
# Runs the pytest suite of one Python tool (tools/<TOOL>/tests) in that tool's own venv
# (scripts/tool-venv.sh: ~/.cache/vla-node/<TOOL>-venv, created or updated from tools/<TOOL>/requirements.txt).
#
#   scripts/python-tool-tests.sh TOOL [pytest arguments...]      e.g. train, sim
#
# tools/train needs torch (about 3 GB from PyPI the first time); the engine parity tests of tools/train
# and the bridge tests of tools/sim run .build/debug/vla-node, so build first. tools/sim renders
# headless with EGL (scripts/setup.sh installs Debian's libegl1 and libgl1-mesa-dri).
set -euo pipefail
cd "$(dirname "$0")/.."
tool="${1:?usage: scripts/python-tool-tests.sh TOOL [pytest arguments...]}"
shift
venv="$(scripts/tool-venv.sh "$tool")"
cd "tools/$tool"
exec "$venv/bin/python" -m pytest -q tests "$@"
