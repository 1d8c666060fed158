#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, test and run vla-node:
# the C libraries (through apt, as root or with sudo) and a Python virtual environment
# for the bag/CDR interoperability tests (mcap, rosbags from PyPI).
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

# libegl1 + libgl1-mesa-dri: headless MuJoCo rendering for tools/sim (its tests run in scripts/test.sh).
APT_PACKAGES=(pkg-config libzmq3-dev libopenblas-dev libzstd-dev liblz4-dev libpng-dev libturbojpeg0-dev python3-venv
              libegl1 libgl1-mesa-dri)

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -f tools/interop/requirements.txt ]; then
    VENV="${VLA_VENV:-$HOME/.cache/vla-node/venv}"
    if [ ! -x "$VENV/bin/python" ]; then
        echo "setup: creating Python venv for interop tests at $VENV"
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r tools/interop/requirements.txt
fi
