"""Compares a bag recorded from a live replay with its source: same messages, byte for byte and in
order, and how far the recorded inter-message intervals are from the original ones.

    python tools/bench/compare_bag_timing.py SOURCE.mcap RECORDED.mcap

Prints a one-line verdict and the |Δ interval| percentiles in milliseconds. Uses the Python `mcap`
reader (tools/interop/requirements.txt), independent of the Swift code under test.
"""
import sys

from mcap.reader import make_reader


def messages(path):
    with open(path, "rb") as stream:
        reader = make_reader(stream)
        return [(channel.topic, message.log_time, bytes(message.data))
                for _, channel, message in reader.iter_messages(log_time_order=True)]


def percentile(sorted_values, p):
    rank = max(1, -(-len(sorted_values) * p // 100))  # nearest rank
    return sorted_values[int(rank) - 1]


def main(source_path, recorded_path):
    source, recorded = messages(source_path), messages(recorded_path)
    same = [(t, d) for t, _, d in source] == [(t, d) for t, _, d in recorded]
    print(f"messages: source {len(source)}, recorded {len(recorded)}, identical bytes and order: {same}")
    if not same or len(source) < 2:
        return 1
    deltas = sorted(abs((r1 - r0) - (s1 - s0)) / 1e6
                    for (_, s0, _), (_, s1, _), (_, r0, _), (_, r1, _)
                    in zip(source, source[1:], recorded, recorded[1:]))
    print("|recorded interval - source interval| ms: "
          + ", ".join(f"p{p} {percentile(deltas, p):.3f}" for p in (50, 95, 99, 100)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
