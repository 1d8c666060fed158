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
VIDEO="$OUT/rollouts.gif" run dense
run layer-pruning "$PLAN"
run token-selection node.acceleration.visual_tokens=24
run diffusion-cache node.acceleration.cache_interval=5
run efficientvla-paper-shares "$PLAN" node.acceleration.visual_tokens=24 node.acceleration.cache_interval=5
LAUNCH=launch/sim-efficientvla.yaml run efficientvla
MODE=real-time run dense-real-time
MODE=real-time LAUNCH=launch/sim-efficientvla.yaml run efficientvla-real-time

names=(dense layer-pruning token-selection diffusion-cache efficientvla-paper-shares efficientvla)
files=(); for n in "${names[@]}"; do files+=("$OUT/$n.json"); done
"$PY" tools/sim/compare_sim.py "${files[@]}" \
    --names dense "layer pruning (2 of 6)" "token selection (24 of 64)" "diffusion cache (interval 5)" \
    "EfficientVLA at the paper's shares (2 of 6, 24, 5)" "EfficientVLA operating point (launch/sim-efficientvla.yaml)" \
    --json "$OUT/rows.json" | tee "$OUT/table.md"
# Real time against real time: the same layouts, but timing decides the actions, so pairs are looser.
"$PY" tools/sim/compare_sim.py "$OUT/dense-real-time.json" "$OUT/efficientvla-real-time.json" \
    --names "dense, real time" "EfficientVLA operating point, real time" | tee "$OUT/real-time.md"
blind=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['blind_overall_success'])" "$OUT/dense.json")
"$PY" tools/sim/plot_sim.py "$OUT/rows.json" --blind "$blind" --out "$OUT/success-vs-speedup.png"
echo "wrote $OUT"
