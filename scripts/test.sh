#!/usr/bin/env bash
# Sets the machine up (scripts/setup.sh), then runs every test stage CI runs:
#   1. the whole suite, debug build;
#   2. the whole suite under AddressSanitizer;
#   3. the threaded tests (node, ZeroMQ, bags) under ThreadSanitizer;
#   4. the decoder, CDR and MCAP tests in a release build (the optimiser exposes lifetime bugs
#      that debug builds hide);
#   5. a short fuzz smoke of every parser (scripts/fuzz.sh);
#   6. the Python tools' own suites: the PyTorch CogACT (tools/train, parity with the references and
#      with the engine) and the simulator tools (tools/sim), each in its venv (scripts/python-tool-tests.sh).
#
#   scripts/test.sh [--quick] [swift test arguments...]
#
# --quick runs stage 1 only; extra arguments (e.g. --filter ImagingTests) go to every `swift test`.
# The converter's pytest suite runs inside stage 1 (ConverterTests).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
if [ "${1:-}" = "--quick" ]; then quick=true; shift; fi

scripts/setup.sh
export VLA_INTEROP_PYTHON="${VLA_INTEROP_PYTHON:-${VLA_VENV:-$HOME/.cache/vla-node/venv}/bin/python}"
# Golden tests compare against fixed references: fix the BLAS thread count so that the summation order
# (and so the last bits of a result) does not depend on the machine's core count.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
# Foundation's own allocations (Process, String(contentsOf:)) show up as leaks at exit; this stage
# looks for memory errors, so leak reports are off.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"

stage() { echo; echo "=== test.sh: $* ==="; }
# The suite is XCTest only; without --disable-swift-testing Swift Testing appends a "0 tests" summary.
run_suite() { swift test --skip-build --disable-swift-testing "$@"; }

stage "1/6 debug build, every test"
swift build --build-tests
run_suite "$@"
$quick && exit 0

stage "2/6 AddressSanitizer, every test"
swift build --build-tests --sanitize=address --scratch-path .build-asan
run_suite --sanitize=address --scratch-path .build-asan "$@"

stage "3/6 ThreadSanitizer, node + ZeroMQ + bag tests"
swift build --build-tests --sanitize=thread --scratch-path .build-tsan
run_suite --sanitize=thread --scratch-path .build-tsan --filter 'VLANodeTests|ZMQTests|BagTests' "$@"

stage "4/6 release build, decoder + CDR + MCAP tests"
swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path .build-release-tests
run_suite -c release -Xswiftc -enable-testing --scratch-path .build-release-tests \
    --filter 'ImagingTests|MessagesTests|BagTests|CameraFrameDecoderTests' "$@"

stage "5/6 fuzz smoke"
scripts/fuzz.sh --seconds "${VLA_FUZZ_SMOKE_SECONDS:-10}"

stage "6/6 Python tools: tools/train (torch) and tools/sim"
scripts/python-tool-tests.sh train
scripts/python-tool-tests.sh sim
