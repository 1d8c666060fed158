#!/usr/bin/env bash
# Creates or updates the venv of one Python tool (~/.cache/vla-node/<TOOL>-venv, or under
# $VLA_VENV_ROOT) from tools/<TOOL>/requirements.txt and prints its path.
#
#   scripts/tool-venv.sh TOOL      e.g. train, sim
set -euo pipefail
cd "$(dirname "$0")/.."
tool="${1:?usage: scripts/tool-venv.sh TOOL}"
[ -f "tools/$tool/requirements.txt" ] || { echo "tool-venv: no tools/$tool/requirements.txt" >&2; exit 2; }
venv="${VLA_VENV_ROOT:-$HOME/.cache/vla-node}/$tool-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "tools/$tool/requirements.txt" >&2
echo "$venv"
