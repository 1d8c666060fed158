#!/usr/bin/env bash
# Benchmark: the release node on demo/model (launch/demo.yaml, recording on) under camera overload:
#   (a) 640×480 rgb8 at 100 Hz for 60 s, (b) 4000×3000 rgb8 (36 MB) at 1 Hz for 30 s,
# published by tools/bench/overload_publisher.py (pyzmq + rosbags, no node code). Prints a Markdown
# table (frames, frame age at inference, inference, tick jitter, chunks vs ticks, recorder drops,
# peak RSS). Run on an otherwise idle machine; nothing else may use ports 5555/5557.
# Usage: tools/bench/overload.sh [a|b|all] [SECONDS_A] [SECONDS_B]
# VLA_NODE=path/to/vla-node VLA_MSGS=its/msgs measures another build (e.g. an older commit's);
# VLA_RUN_TAG names the output files out/overload-TAG-*.
set -euo pipefail
cd "$(dirname "$0")/../.."
which="${1:-all}"
seconds_a="${2:-60}"
seconds_b="${3:-30}"
python="${VLA_INTEROP_PYTHON:-${VLA_VENV:-$HOME/.cache/vla-node/venv}/bin/python}"
"$python" -m pip install -q --disable-pip-version-check -r tools/bench/requirements.txt
if [ -z "${VLA_NODE:-}" ]; then swift build -c release >/dev/null; fi
node="${VLA_NODE:-.build/release/vla-node}"
msgs="${VLA_MSGS:-msgs}"
mkdir -p out
startup=4   # model load and sockets, before the publisher starts
drain=4     # the publisher keeps listening this long after its last frame
runs=()

run_case() {  # NAME WIDTH HEIGHT RATE SECONDS
    local name=$1 width=$2 height=$3 rate=$4 seconds=$5 prefix="out/overload-${VLA_RUN_TAG:-run}-$1"
    rm -f "$prefix".mcap "$prefix".log "$prefix".json "$prefix".rss
    "$node" run --launch launch/demo.yaml node.record.path="$prefix.mcap" \
        node.stats.window=100000 node.stats.interval_s=10 2>"$prefix.log" &
    local pid=$!
    sleep "$startup"
    "$python" tools/bench/overload_publisher.py --width "$width" --height "$height" --rate "$rate" \
        --duration "$seconds" --drain "$drain" --msgs "$msgs" >"$prefix.json"
    awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" >"$prefix.rss"   # peak RSS (KiB) so far
    kill -INT "$pid"
    wait "$pid"
    "$node" bag info "$prefix.mcap" | grep -E "Messages:|Metadata:" >&2
    runs+=("$name=$prefix")
}

case "$which" in
    a) run_case "640x480@100Hz" 640 480 100 "$seconds_a" ;;
    b) run_case "4000x3000@1Hz" 4000 3000 1 "$seconds_b" ;;
    all)
        run_case "640x480@100Hz" 640 480 100 "$seconds_a"
        run_case "4000x3000@1Hz" 4000 3000 1 "$seconds_b" ;;
    *) echo "usage: $0 [a|b|all] [SECONDS_A] [SECONDS_B]" >&2; exit 2 ;;
esac
"$python" tools/bench/overload_report.py "${runs[@]}"
