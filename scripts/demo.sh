#!/usr/bin/env bash
# The demo: sets the machine up, builds vla-node (release) and shows the shipped model at work.
#
#   scripts/demo.sh                          closed loop: the trained MetaWorld policy
#                                            (demo/metaworld/model, launch/sim.yaml) drives a simulated
#                                            arm through the node on held-out layouts of its five tasks
#                                            (scripts/eval-sim.sh --episodes 2); prints success per task
#                                            and writes out/demo-rollouts.gif and out/demo-sim.json.
#                                            Exits 0 when every episode ran.
#   scripts/demo.sh --replay                 the node on the demo model (launch/demo.yaml) while
#                                            demo/demo.mcap is replayed into it; prints what it publishes
#                                            and its latency summary. Exits 0 when the node shut down
#                                            cleanly and published at least one action chunk.
#   scripts/demo.sh --replay --accelerated   the same with EfficientVLA (launch/demo-accelerated.yaml:
#                                            demo/prune-plan.json, 56 visual tokens, DiT cache interval 5)
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
    "")
        mkdir -p out
        exec scripts/eval-sim.sh --episodes 2 --video out/demo-rollouts.gif --json out/demo-sim.json ;;
    --replay) ;;
    *) echo "usage: scripts/demo.sh [--replay [--accelerated]]" >&2; exit 2 ;;
esac

LAUNCH=launch/demo.yaml
NAME=demo
case "${2:-}" in
    "") ;;
    --accelerated) LAUNCH=launch/demo-accelerated.yaml; NAME=demo-accelerated ;;
    *) echo "usage: scripts/demo.sh [--replay [--accelerated]]" >&2; exit 2 ;;
esac

scripts/setup.sh
swift build -c release 2>&1 | tail -n 1
BIN="$(swift build -c release --show-bin-path)/vla-node"

OUT=out
mkdir -p "$OUT"
NODE_LOG="$OUT/$NAME-node.log"
ECHO_LOG="$OUT/$NAME-echo.log"
NODE_PID=""
ECHO_PID=""
cleanup() {
    [ -n "$ECHO_PID" ] && kill "$ECHO_PID" 2>/dev/null || true
    [ -n "$NODE_PID" ] && kill -9 "$NODE_PID" 2>/dev/null || true
}
trap cleanup EXIT

echo "demo: starting the node with $LAUNCH (log: $NODE_LOG)"
"$BIN" run --launch "$LAUNCH" >"$NODE_LOG" 2>&1 &
NODE_PID=$!

# The node is subscribed once it logs "ready"; give up after 60 s or if it exits.
for _ in $(seq 1 600); do
    grep -q "ready:" "$NODE_LOG" && break
    if ! kill -0 "$NODE_PID" 2>/dev/null; then
        echo "demo: the node exited during start-up:" >&2
        cat "$NODE_LOG" >&2
        NODE_PID=""
        exit 1
    fi
    sleep 0.1
done
grep -q "ready:" "$NODE_LOG" || { echo "demo: the node did not become ready in 60 s" >&2; cat "$NODE_LOG" >&2; exit 1; }

"$BIN" echo --connect tcp://127.0.0.1:5557 --topic /vla/action_chunk /vla/latency >"$ECHO_LOG" 2>&1 &
ECHO_PID=$!

# replay binds 5555 and waits 1 s so the node's SUB socket (which connects) is attached before
# the first message (the ZeroMQ slow joiner); then the bag plays for 6 s.
"$BIN" replay demo/demo.mcap --bind tcp://127.0.0.1:5555 --startup-delay 1
sleep 1   # let the last inference and tick go out

kill -TERM "$NODE_PID"
status=0
wait "$NODE_PID" || status=$?
NODE_PID=""
sleep 0.2
kill "$ECHO_PID" 2>/dev/null || true
wait "$ECHO_PID" 2>/dev/null || true
ECHO_PID=""

echo
echo "demo: what the node published (vla-node echo):"
cat "$ECHO_LOG"
echo
echo "demo: node log:"
cat "$NODE_LOG"

chunks=$(grep -c "^/vla/action_chunk" "$ECHO_LOG" || true)
latencies=$(grep -c "^/vla/latency" "$ECHO_LOG" || true)
echo
echo "demo: node exit status $status; $chunks action chunks and $latencies latency reports received; bag: out/$NAME-run.mcap"
if [ "$status" -ne 0 ] || [ "$chunks" -eq 0 ]; then
    echo "demo: FAILED" >&2
    exit 1
fi
