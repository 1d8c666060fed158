#!/usr/bin/env bash
# Sets the machine up (scripts/setup.sh), then builds and runs every test (debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export VLA_INTEROP_PYTHON="${VLA_INTEROP_PYTHON:-${VLA_VENV:-$HOME/.cache/vla-node/venv}/bin/python}"
# Golden tests compare against fixed references: fix the BLAS thread count so that summation
# order does not depend on the machine (a different thread count changes the summation order, and so the last bits).
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
swift build --build-tests
# The suite is XCTest only; without this flag Swift Testing appends a "0 tests" summary.
swift test --skip-build --disable-swift-testing "$@"
