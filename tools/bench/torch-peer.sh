#!/usr/bin/env bash
# The peer table of BENCHMARKS.md: `vla-node bench` against the same model in PyTorch (torch_peer.py),
# fp32, at equal thread counts, interleaved round by round: engine, torch, torch with
# OMP_WAIT_POLICY=PASSIVE, torch.compile. Records the CPU and the load average before and after.
#
#   tools/bench/torch-peer.sh [--preset small | --model DIR] [--rounds 3] [--runs 1] [--threads 2] [--out out/torch-peer]
#
# --model DIR runs the engine on that model directory's own weights (e.g. the trained MetaWorld
# policy, demo/metaworld/model) and torch on random weights of the same config: the speed does not
# depend on the values. --runs N times N forwards per process after the warm-up (median).
#
# Writes OUT/describe.json (config, input ids, engine GFLOP), OUT/rounds.jsonl (one line per run),
# OUT/machine.json and OUT/table.md (median per stage and torch ÷ engine).
set -euo pipefail
cd "$(dirname "$0")/../.."
PRESET=small ROUNDS=3 RUNS=1 THREADS="$(nproc)" OUT=out/torch-peer MODEL=()
while [ $# -gt 0 ]; do
    case "$1" in
        --preset) PRESET="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --model) MODEL=(--model "$2"); shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "usage: tools/bench/torch-peer.sh [--preset P | --model DIR] [--rounds N] [--runs N] [--threads T] [--out DIR]" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT"
swift build -c release 2>&1 | tail -n 1
BIN="$(swift build -c release --show-bin-path)/vla-node"
PY="$(scripts/tool-venv.sh train)/bin/python"
"$BIN" bench --preset "$PRESET" "${MODEL[@]}" --flops-only --json > "$OUT/describe.json"
load() { cut -d' ' -f1-3 /proc/loadavg; }
before="$(load)"
: > "$OUT/rounds.jsonl"
tag() {  # PEER ROUND: prefixes a JSON object with the peer name and round
    "$PY" -c "import json,sys; r=json.load(sys.stdin); print(json.dumps({**r, 'peer': sys.argv[1], 'round': int(sys.argv[2])}))" "$1" "$2"
}
for ((round = 1; round <= ROUNDS; round++)); do
    echo "== round $round of $ROUNDS"
    "$BIN" bench --preset "$PRESET" "${MODEL[@]}" --runs "$RUNS" --threads "$THREADS" --json 2>/dev/null | tag vla-node "$round" >> "$OUT/rounds.jsonl"
    "$PY" tools/bench/torch_peer.py --describe "$OUT/describe.json" --runs "$RUNS" --threads "$THREADS" | tag torch "$round" >> "$OUT/rounds.jsonl"
    OMP_WAIT_POLICY=PASSIVE "$PY" tools/bench/torch_peer.py --describe "$OUT/describe.json" --runs "$RUNS" --threads "$THREADS" \
        | tag torch-passive "$round" >> "$OUT/rounds.jsonl"
    "$PY" tools/bench/torch_peer.py --describe "$OUT/describe.json" --runs "$RUNS" --threads "$THREADS" --compile \
        | tag torch-compile "$round" >> "$OUT/rounds.jsonl"
done
after="$(load)"
"$PY" - "$OUT/machine.json" "$before" "$after" "$THREADS" <<'PYTHON'
import json, platform, sys, torch
cpu = next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo') if line.startswith('model name')), platform.processor())
json.dump({'cpu': cpu, 'load_before': sys.argv[2], 'load_after': sys.argv[3], 'threads': int(sys.argv[4]),
           'torch': torch.__version__}, open(sys.argv[1], 'w'), indent=2)
PYTHON
"$PY" tools/bench/peer_table.py "$OUT/rounds.jsonl" --machine "$OUT/machine.json" | tee "$OUT/table.md"
