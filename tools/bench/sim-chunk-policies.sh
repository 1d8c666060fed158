#!/usr/bin/env bash
# The chunk-policy table of BENCHMARKS.md: the shipped MetaWorld policy in real time (camera 20 Hz,
# control 80 Hz, one node + bridge pair) on held-out evaluation layouts under each chunk policy:
# chunking, CogACT's adaptive ensemble, LeRobot-style aggregation (weighted_average, w = 0.7) and
# real-time chunking. Reports success and the jumps of the applied action at chunk boundaries.
#
#   tools/bench/sim-chunk-policies.sh [--episodes 50] [--out out/sim-chunk-policies]
#
# Writes OUT/<policy>.json (eval_sim.py results) and OUT/table.md, OUT/rows.json (chunk_table.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
EPISODES=50
OUT=out/sim-chunk-policies
SPLIT=eval
USAGE="tools/bench/sim-chunk-policies.sh [--episodes N] [--out DIR]"
source tools/bench/sim-common.sh "$@"

export MODE=real-time BASELINE=chunking
run chunking node.control.chunk_policy=chunking
run ensemble node.control.chunk_policy=ensemble
run aggregate node.control.chunk_policy=aggregate
run rtc node.control.chunk_policy=rtc
"$PY" tools/sim/chunk_table.py "$OUT"/{chunking,ensemble,aggregate,rtc}.json --names chunking "ensemble (α 0.1, 2 chunks)" \
    "aggregate (weighted_average, w 0.7)" "real-time chunking" --json "$OUT/rows.json" | tee "$OUT/table.md"
echo "wrote $OUT"
