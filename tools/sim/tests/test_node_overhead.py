"""tools/bench/node_overhead.py: the per-inference breakdown separates the model, the tick wait
and the node's own time, from a latency report and its chunk."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'bench'))

import node_overhead  # noqa: E402
from node_link import Chunk  # noqa: E402


def test_overhead_is_end_to_end_minus_model_and_tick_wait():
    report = {'vision_ms': 10.0, 'projector_ms': 1.0, 'llm_ms': 20.0, 'action_head_ms': 5.0, 'frame_age_ms': 0.25,
              'inference_ms': 37.0, 'decode_ms': 0.5, 'post_ms': 0.25, 'end_to_end_ms': 50.0}
    observed = 1_000_000_000
    # The inference ends 0.25 + 37 ms after the observation; its chunk goes out at the tick 12.5 ms later.
    chunk = Chunk(actions=None, current_index=0, tick_stamp_ns=observed + 49_750_000, observation_stamp_ns=observed,
                  inference_sequence=3)
    row = node_overhead.breakdown(report, chunk)
    assert row['model'] == 36.0
    assert abs(row['tick wait'] - 12.5) < 1e-9
    assert abs(row['node overhead'] - 1.5) < 1e-9


def test_frames_differ_by_sensor_noise_only():
    first, second = list(node_overhead.frames(2, 8, 8))
    assert first.shape == (8, 8, 3) and first.dtype.name == 'uint8'
    difference = abs(first.astype(int) - second.astype(int))
    assert 0 < difference.max() <= 4
