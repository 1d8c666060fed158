#!/usr/bin/env bash
# Chooses the EfficientVLA operating point of the shipped MetaWorld policy on validation layouts
# (seeds 200000…, disjoint from the training seeds and from the evaluation seeds that report it):
# dense, the diffusion cache alone, then the cache with each LLaMA layer dropped alone, with fewer
# visual tokens (selected after the 2nd or the 4th layer), with MLP channels pruned to 75 % and 50 %,
# and with MLP pruning and token selection together. About 25 minutes on 2 cores. Writes
# OUT/<setting>.json and OUT/table.md (success, McNemar against dense, speed-up, FLOPs). The chosen setting goes into
# launch/sim-efficientvla.yaml and is then reported on evaluation seeds by tools/bench/sim-table.sh.
#
#   tools/bench/sim-sweep.sh [--episodes 20] [--out out/sim-sweep]
set -euo pipefail
cd "$(dirname "$0")/../.."
EPISODES=20
OUT=out/sim-sweep
SPLIT=validation
USAGE="tools/bench/sim-sweep.sh [--episodes N] [--out DIR]"
source tools/bench/sim-common.sh "$@"

layers=$("$PY" -c "import json; print(json.load(open('demo/metaworld/model/config.json'))['llm']['layers'])")
for ratio in 0.75 0.5; do calibrate "$OUT/mlp-$ratio.json" --drop 0 --mlp-keep-ratio "$ratio"; done

CACHE=node.acceleration.cache_interval=5
setting dense dense
setting cache-5 "cache 5" "$CACHE"
for ((layer = 1; layer < layers; layer++)); do
    setting "cache-5-drop-$layer" "cache 5, layer $layer dropped" "$CACHE" "node.acceleration.drop_layers=[$layer]"
done
# Selection after the 2nd layer (the paper's), then after the 4th; 63 of 64 checks the selection path itself.
for tokens in 63 56 48 40 32; do
    setting "cache-5-tokens-$tokens" "cache 5, $tokens of 64 tokens after layer 2" "$CACHE" "node.acceleration.visual_tokens=$tokens"
done
setting cache-5-tokens-56-after-4 "cache 5, 56 of 64 tokens after layer 4" "$CACHE" node.acceleration.visual_tokens=56 \
    node.acceleration.selection_layer=3
for ratio in 0.75 0.5; do
    setting "cache-5-mlp-$ratio" "cache 5, MLP $ratio" "$CACHE" "node.acceleration.prune_plan=$OUT/mlp-$ratio.json"
done
for tokens in 56 40; do
    setting "cache-5-mlp-0.75-tokens-$tokens-after-4" "cache 5, MLP 0.75, $tokens tokens after layer 4" "$CACHE" \
        "node.acceleration.prune_plan=$OUT/mlp-0.75.json" "node.acceleration.visual_tokens=$tokens" node.acceleration.selection_layer=3
done

compare --json "$OUT/rows.json" | tee "$OUT/table.md"
echo "wrote $OUT"
