#!/usr/bin/env bash
# The closed-loop table of BENCHMARKS.md: the shipped MetaWorld policy, dense and under each
# EfficientVLA component alone and combined, on the same held-out episodes (lock-step, so the same
# layouts and the same DDIM noise), compared pair by pair (McNemar) with their speed-up and FLOPs.
#
#   tools/bench/sim-table.sh [--episodes 50] [--out out/sim-table]
#
# Layer pruning is calibrated first on training bags: the shipped blind-replay demos
# (demo/metaworld/blind/<task>/seed-{0..4}.mcap, training seeds), 8 frames each, 2 of 6 layers
# dropped. Writes OUT/<setting>.json, OUT/table.md (the Markdown table), OUT/rows.json,
# OUT/success-vs-speedup.png and OUT/rollouts.gif (dense).
set -euo pipefail
cd "$(dirname "$0")/../.."
EPISODES=50
OUT=out/sim-table
while [ $# -gt 0 ]; do
    case "$1" in
        --episodes) EPISODES="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "usage: tools/bench/sim-table.sh [--episodes N] [--out DIR]" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT"
swift build -c release 2>&1 | tail -n 1
BIN="$(swift build -c release --show-bin-path)/vla-node"
venv="$(scripts/tool-venv.sh sim)"
PY="$venv/bin/python"

bags=()
for bag in demo/metaworld/blind/*/seed-*.mcap; do bags+=(--bag "$bag"); done
"$BIN" calibrate --model demo/metaworld/model "${bags[@]}" --instruction-topic /instruction --max-samples 8 \
    --drop 2 -o "$OUT/prune-plan.json"

run() {  # NAME [override …]
    local name="$1"; shift
    local overrides=()
    for o in "$@"; do overrides+=(--override "$o"); done
    local blind=()
    [ -f "$OUT/dense.json" ] && blind=(--blind-from "$OUT/dense.json")
    echo "== $name"
    "$PY" tools/sim/eval_sim.py --binary "$BIN" --episodes "$EPISODES" --json "$OUT/$name.json" \
        "${blind[@]}" "${overrides[@]}" ${VIDEO:+--video "$VIDEO"}
}
VIDEO="$OUT/rollouts.gif" run dense
run layer-pruning "node.acceleration.prune_plan=$OUT/prune-plan.json"
run token-selection node.acceleration.visual_tokens=24
run diffusion-cache node.acceleration.cache_interval=5
run efficientvla "node.acceleration.prune_plan=$OUT/prune-plan.json" node.acceleration.visual_tokens=24 \
    node.acceleration.cache_interval=5

"$PY" tools/sim/compare_sim.py "$OUT"/{dense,layer-pruning,token-selection,diffusion-cache,efficientvla}.json \
    --names dense "layer pruning (2 of 6)" "token selection (24 of 64)" "diffusion cache (interval 5)" \
    "EfficientVLA combined" --json "$OUT/rows.json" | tee "$OUT/table.md"
blind=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['blind_overall_success'])" "$OUT/dense.json")
"$PY" tools/sim/plot_sim.py "$OUT/rows.json" --blind "$blind" --out "$OUT/success-vs-speedup.png"
echo "wrote $OUT"
