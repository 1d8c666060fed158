"""The node's own time beyond the model, per inference: `vla-node run` on a model (default: the
trained MetaWorld policy, launch/sim.yaml) driven in lock-step over ZeroMQ by this process, which
sends a frame, waits for the chunk computed from it and reads the matching InferenceLatency.

Per inference, from the latency report and the chunk:
- model: vision + projector + LLM + action head, the forward itself;
- node overhead: end_to_end − model − tick wait, i.e. frame transport and hand-off to the
  inference thread (frame_age), image decode and preprocessing, post-processing, scheduling and
  the publish;
- tick wait: from the end of the inference to the control tick that published its chunk (the
  fixed control rate's own wait, reported apart).

Prints a Markdown table of medians, p95 and maxima, with the CPU and the load before and after.
usage: node_overhead.py --binary .build/release/vla-node [--launch launch/sim.yaml] [--frames 200]
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools' / 'sim'))
from node_link import NodeLink  # noqa: E402
from node_process import NodeProcess, free_port_pair  # noqa: E402


def breakdown(report, chunk):
    """The per-inference figures (ms) of one latency report and the chunk it describes."""
    model = report['vision_ms'] + report['projector_ms'] + report['llm_ms'] + report['action_head_ms']
    inference_end_ns = chunk.observation_stamp_ns + (report['frame_age_ms'] + report['inference_ms']) * 1e6
    tick_wait = max(0.0, (chunk.tick_stamp_ns - inference_end_ns) / 1e6)
    return {'end to end': report['end_to_end_ms'], 'model': model, 'tick wait': tick_wait,
            'node overhead': report['end_to_end_ms'] - model - tick_wait,
            'frame age': report['frame_age_ms'], 'decode': report['decode_ms'], 'post': report['post_ms']}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def table(rows):
    lines = ['| per inference (ms) | median | p95 | max |', '|---|---|---|---|']
    for key in rows[0]:
        values = [row[key] for row in rows]
        lines.append(f'| {key} | {statistics.median(values):.3f} | {percentile(values, 0.95):.3f} | {max(values):.3f} |')
    return '\n'.join(lines)


def frames(count, height, width, seed=0):
    """A fixed scene with fresh sensor noise per frame (a camera never repeats a frame exactly)."""
    rng = np.random.default_rng(seed)
    scene = rng.integers(0, 256, size=(height, width, 3)).astype(np.int16)
    for _ in range(count):
        yield np.clip(scene + rng.integers(-2, 3, size=scene.shape), 0, 255).astype(np.uint8)


def cpu_model():
    for line in Path('/proc/cpuinfo').read_text().splitlines():
        if line.startswith('model name'):
            return line.split(':', 1)[1].strip()
    return 'unknown'


def measure(binary, launch, count, warmup, size):
    port = free_port_pair()
    node = NodeProcess(binary, launch, port, cwd=ROOT)
    link = NodeLink(f'tcp://127.0.0.1:{port}', f'tcp://127.0.0.1:{port + 1}')
    rows = []
    try:
        link.set_instruction('reach the red ball')
        for index, frame in enumerate(frames(warmup + count, size, size)):
            chunk = link.chunk_for(frame, time.time_ns(), check=node.check)
            deadline = time.monotonic() + 5
            report = None
            while report is None and time.monotonic() < deadline:
                report = next((r for r in link.latencies if r['inference_sequence'] == chunk.inference_sequence), None)
                if report is None:
                    link.receive(50)
            if report is None:
                raise RuntimeError(f'no latency report for inference {chunk.inference_sequence}')
            if index >= warmup:
                rows.append(breakdown(report, chunk))
    finally:
        link.close()
        node.stop()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--binary', default=str(ROOT / '.build/release/vla-node'), help='the vla-node executable (release)')
    parser.add_argument('--launch', default=str(ROOT / 'launch/sim.yaml'), help='launch file of the node under test')
    parser.add_argument('--frames', type=int, default=200, help='measured inferences')
    parser.add_argument('--warmup', type=int, default=5, help='inferences not counted, first')
    parser.add_argument('--size', type=int, default=224, help='frame height and width (rgb8)')
    arguments = parser.parse_args()
    if arguments.frames < 1 or arguments.warmup < 0 or arguments.size < 1:
        parser.error('--frames and --size must be at least 1, --warmup at least 0')
    load_before = os.getloadavg()[0]
    rows = measure(arguments.binary, arguments.launch, arguments.frames, arguments.warmup, arguments.size)
    print(f'CPU: {cpu_model()}; load {load_before:.2f} before, {os.getloadavg()[0]:.2f} after; '
          f'{len(rows)} inferences of {Path(arguments.launch).name}, {arguments.size}×{arguments.size} rgb8 frames')
    print(table(rows))


if __name__ == '__main__':
    main()
