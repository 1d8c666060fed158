# Sourced by tools/bench/sim-table.sh and tools/bench/sim-sweep.sh with their arguments
# (`source tools/bench/sim-common.sh "$@"`, after setting the defaults EPISODES, OUT, SPLIT and USAGE):
# reads --episodes N and --out DIR, builds the release node, finds the simulator's venv, and defines
# `calibrate`, `run NAME [override …]`, one eval_sim.py run of the shipped policy
# into $OUT/NAME.json on $EPISODES episodes per task of $SPLIT (eval or validation). The blind
# baseline is computed once, by the first run (name it dense, or set $BASELINE to its name), and
# reused by the others.
# $VIDEO, when set, makes that run write a rollout GIF there; $LAUNCH picks another launch file than
# launch/sim.yaml; $MODE=real-time runs the sim at the control rate instead of lock-step. And
# `setting NAME LABEL [override …]`, a run remembered in NAMES and LABELS for compare_sim.py.
while [ $# -gt 0 ]; do
    case "$1" in
        --episodes) EPISODES="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "usage: $USAGE" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT"
swift build -c release 2>&1 | tail -n 1
BIN="$(swift build -c release --show-bin-path)/vla-node"
PY="$(scripts/tool-venv.sh sim)/bin/python"
CALIBRATION_BAGS=()
for bag in demo/metaworld/blind/*/seed-*.mcap; do CALIBRATION_BAGS+=(--bag "$bag"); done

# calibrate OUT.json [calibrate option …]: a pruning plan from the training bags (8 frames each).
calibrate() {
    local plan="$1"; shift
    "$BIN" calibrate --model demo/metaworld/model "${CALIBRATION_BAGS[@]}" --instruction-topic /instruction \
        --max-samples 8 "$@" -o "$plan"
}

run() {
    local name="$1"; shift
    local overrides=()
    for o in "$@"; do overrides+=(--override "$o"); done
    local blind=()
    [ -f "$OUT/${BASELINE:-dense}.json" ] && blind=(--blind-from "$OUT/${BASELINE:-dense}.json")
    echo "== $name"
    "$PY" tools/sim/eval_sim.py --binary "$BIN" ${LAUNCH:+--launch "$LAUNCH"} --split "$SPLIT" --episodes "$EPISODES" --json "$OUT/$name.json" \
        "${blind[@]}" "${overrides[@]}" ${VIDEO:+--video "$VIDEO"} ${MODE:+--mode "$MODE"}
}

NAMES=() LABELS=()
setting() {
    local name="$1" label="$2"; shift 2
    run "$name" "$@"
    NAMES+=("$name"); LABELS+=("$label")
}

# compare [compare_sim.py option …]: the remembered runs, the first as the baseline.
compare() {
    local files=()
    for name in "${NAMES[@]}"; do files+=("$OUT/$name.json"); done
    "$PY" tools/sim/compare_sim.py "${files[@]}" --names "${LABELS[@]}" "$@"
}
