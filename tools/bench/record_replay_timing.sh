#!/usr/bin/env bash
# Benchmark: `vla-node replay` of a bag into `vla-node record` over ZeroMQ on loopback, then a
# comparison of the two bags (bytes, order, inter-message timing). Release build; run on an idle
# machine. Usage: tools/bench/record_replay_timing.sh [BAG] [RATE]
set -euo pipefail
cd "$(dirname "$0")/../.."
bag="${1:-demo/demo.mcap}"
rate="${2:-1.0}"
python="${VLA_INTEROP_PYTHON:-${VLA_VENV:-$HOME/.cache/vla-node/venv}/bin/python}"
swift build -c release >/dev/null
node=.build/release/vla-node
mkdir -p out
recorded=out/record-replay-timing.mcap
rm -f "$recorded"
"$node" record -o "$recorded" --connect tcp://127.0.0.1:5599 --topic /camera/image_raw --topic /instruction 2>/dev/null &
recorder=$!
trap 'kill "$recorder" 2>/dev/null || true' EXIT   # a failed replay must not leave the recorder running
"$node" replay "$bag" --bind tcp://127.0.0.1:5599 --rate "$rate" --startup-delay 1 2>/dev/null
sleep 0.5
kill -INT "$recorder"
wait "$recorder"
"$python" tools/bench/compare_bag_timing.py "$bag" "$recorded"
