#!/usr/bin/env bash
# Coverage-guided fuzzing of the node's parsers with libFuzzer (Swift's -sanitize=fuzzer) and
# AddressSanitizer. Seeds: Tests/FuzzSeeds/<target> (real encoders' output, tools/fuzz/make_seeds.py).
#
#   scripts/fuzz.sh [--runs N | --seconds S] [TARGET...]     (default: every target, --seconds 60)
#
# Targets: image raw-camera compressed-camera cdr mcap launch. New inputs that reach new code go to
# .build-fuzz/corpus/<target> (not committed); a crashing input is written to .build-fuzz/crashes/ and
# the script exits non-zero. Reproduce one with a plain build: `swift run vla-fuzz TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."

limit=(-max_total_time=60)
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) limit=(-runs="$2"); shift 2 ;;
        --seconds) limit=(-max_total_time="$2"); shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[ "${#targets[@]}" -gt 0 ] || targets=(image raw-camera compressed-camera cdr mcap launch)

SCRATCH=.build-fuzz
swift build -c release --product vla-fuzz --scratch-path "$SCRATCH" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
    -Xcc -fsanitize=fuzzer-no-link,address
binary="$SCRATCH/release/vla-fuzz"
mkdir -p "$SCRATCH/crashes"

for target in "${targets[@]}"; do
    seeds="Tests/FuzzSeeds/$target"
    [ -d "$seeds" ] || { echo "fuzz: unknown target '$target' (no $seeds)" >&2; exit 2; }
    corpus="$SCRATCH/corpus/$target"
    mkdir -p "$corpus"
    echo "fuzz: $target ${limit[*]}"
    # -rss_limit_mb: a hostile input that makes a parser allocate gigabytes is a finding too.
    log="$SCRATCH/$target.log"
    status=0
    VLA_FUZZ_TARGET="$target" "$binary" "$corpus" "$seeds" "${limit[@]}" -max_len=16384 \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$SCRATCH/crashes/$target-" \
        >"$log" 2>&1 || status=$?
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)' "$log" || true
    if [ "$status" -ne 0 ]; then
        grep -E 'ERROR|SUMMARY|Test unit written|^    #' "$log" | head -40 >&2 || true
        echo "fuzz: $target FAILED (exit $status); log $log, input in $SCRATCH/crashes/" >&2
        exit 1
    fi
done
echo "fuzz: ${#targets[@]} target(s) clean"
