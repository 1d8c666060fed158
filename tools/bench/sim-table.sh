#!/usr/bin/env bash
# The closed-loop table of BENCHMARKS.md: the shipped MetaWorld policy on held-out evaluation layouts,
# dense, under each EfficientVLA component alone at the paper's shares, combined at those shares, and
# at this model's operating point (launch/sim-efficientvla.yaml, chosen on validation layouts by
# tools/bench/sim-sweep.sh), all lock-step, so every setting sees the same layouts and the same
# DDIM noise and is compared pair by pair (McNemar); then dense and the operating point in real time.
#
#   tools/bench/sim-table.sh [--episodes 50] [--out out/sim-table]
#
# Layer pruning at the paper's share is calibrated first on training bags: the shipped blind-replay
# demos (demo/metaworld/blind/<task>/seed-{0..4}.mcap, training seeds), 8 frames each, 2 of 6 layers
# dropped. Writes OUT/<setting>.json, OUT/table.md (the Markdown table), OUT/rows.json,
# OUT/success-vs-speedup.png and OUT/rollouts.gif (dense).
set -euo pipefail
cd "$(dirname "$0")/../.."
EPISODES=50
OUT=out/sim-table
SPLIT=eval
USAGE="tools/bench/sim-table.sh [--episodes N] [--out DIR]"
source tools/bench/sim-common.sh "$@"

calibrate "$OUT/prune-plan.json" --drop 2
PLAN="node.acceleration.prune_plan=$OUT/prune-plan.json"
VIDEO="$OUT/rollouts.gif" setting dense dense
setting layer-pruning "layer pruning (2 of 6)" "$PLAN"
setting token-selection "token selection (24 of 64)" node.acceleration.visual_tokens=24
setting diffusion-cache "diffusion cache (interval 5)" node.acceleration.cache_interval=5
setting efficientvla-paper-shares "EfficientVLA at the paper's shares (2 of 6, 24, 5)" "$PLAN" \
    node.acceleration.visual_tokens=24 node.acceleration.cache_interval=5
LAUNCH=launch/sim-efficientvla.yaml setting efficientvla "EfficientVLA operating point (launch/sim-efficientvla.yaml)"
compare --json "$OUT/rows.json" | tee "$OUT/table.md"

# Real time against real time: the same layouts, but timing decides the actions, so pairs are looser.
NAMES=() LABELS=()
MODE=real-time setting dense-real-time "dense, real time"
MODE=real-time LAUNCH=launch/sim-efficientvla.yaml setting efficientvla-real-time "EfficientVLA operating point, real time"
compare | tee "$OUT/real-time.md"
blind=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['blind_overall_success'])" "$OUT/dense.json")
"$PY" tools/sim/plot_sim.py "$OUT/rows.json" --blind "$blind" --out "$OUT/success-vs-speedup.png"
echo "wrote $OUT"
