#!/usr/bin/env bash
# Closed-loop evaluation through the node: MetaWorld episodes on held-out seeds, driven by the sim
# bridge, with vla-node (release build) running the launch file unchanged. Prints success per task
# with 95 % Wilson intervals, the blind-replay baseline, episode length, inference latency and wall
# time (tools/sim/eval_sim.py; its --help lists every option).
#
#   scripts/eval-sim.sh [--launch FILE] [--episodes N] [--seed S] [--tasks T …] [--json OUT] [--video OUT.gif] …
#
# Defaults: launch/sim.yaml (the shipped dense policy), 20 episodes per task, seed offset 0 (seeds
# 100000…; --split validation: 200000…), five tasks, lock-step, 4 actions per chunk, 200 steps at most,
# 2 node + bridge pairs (real time: 1 pair, camera at 20 Hz).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release 2>&1 | tail -n 1
BIN="$(swift build -c release --show-bin-path)/vla-node"
venv="$(scripts/tool-venv.sh sim)"
exec "$venv/bin/python" tools/sim/eval_sim.py --binary "$BIN" "$@"
