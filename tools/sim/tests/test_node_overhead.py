"""tools/bench/node_overhead.py: the per-inference breakdown separates transport, the model, the
tick wait and the node's own time, from a latency report, its chunk and the bag's receive time."""
import sys
from pathlib import Path

import numpy as np
from mcap.writer import Writer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'bench'))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'interop'))

import node_overhead  # noqa: E402
from interop_common import build, make_typestore  # noqa: E402
from node_link import Chunk  # noqa: E402


def test_overhead_is_end_to_end_minus_transport_model_and_tick_wait():
    report = {'vision_ms': 10.0, 'projector_ms': 1.0, 'llm_ms': 20.0, 'action_head_ms': 5.0, 'frame_age_ms': 0.75,
              'inference_ms': 37.0, 'decode_ms': 0.5, 'post_ms': 0.25, 'end_to_end_ms': 50.0}
    observed = 1_000_000_000
    # Received 0.5 ms after the stamp; the inference ends 0.75 + 37 ms after it; its tick is 12 ms
    # later and the latency report is built 0.25 ms after the tick.
    chunk = Chunk(actions=None, current_index=0, tick_stamp_ns=observed + 49_750_000, observation_stamp_ns=observed,
                  inference_sequence=3)
    row = node_overhead.breakdown(report, chunk, received_ns=observed + 500_000)
    assert row['model'] == 36.0
    assert abs(row['transport'] - 0.5) < 1e-9
    assert abs(row['tick wait'] - 12.0) < 1e-9
    assert abs(row['node overhead'] - 1.5) < 1e-9
    assert abs(row['hand-off'] - 0.25) < 1e-9
    assert abs(row['engine other'] - 0.25) < 1e-9
    assert abs(row['publish'] - 0.25) < 1e-9
    parts = row['hand-off'] + row['decode'] + row['engine other'] + row['post'] + row['publish']
    assert abs(parts - row['node overhead']) < 1e-9


def test_receive_times_are_the_bags_log_times_by_header_stamp(tmp_path):
    store = make_typestore()
    image = 'sensor_msgs/msg/Image'

    def payload(stamp):
        return store.serialize_cdr(build(store, image, {
            'header': {'stamp': {'sec': stamp // 1_000_000_000, 'nanosec': stamp % 1_000_000_000}, 'frame_id': 'corner'},
            'height': 1, 'width': 2, 'encoding': 'rgb8', 'is_bigendian': 0, 'step': 6,
            'data': np.arange(6, dtype=np.uint8)}), image)

    bag = tmp_path / 'inputs.mcap'
    with open(bag, 'wb') as stream:
        writer = Writer(stream)
        writer.start()
        schema = writer.register_schema(name=image, encoding='ros2msg', data=b'')
        camera = writer.register_channel(topic='/camera/image_raw', message_encoding='cdr', schema_id=schema)
        other = writer.register_channel(topic='/instruction', message_encoding='cdr', schema_id=schema)
        frames = [(1_700_000_000_123_456_789, 1_700_000_000_124_000_000), (1_700_000_001_000_000_001, 1_700_000_001_000_600_000),
                  (1_700_000_002_000_000_000, 1_700_000_002_000_100_000), (1_700_000_002_000_000_000, 1_700_000_003_000_000_000)]
        for stamp, log_time in frames:
            writer.add_message(channel_id=camera, log_time=log_time, publish_time=log_time, data=payload(stamp))
        writer.add_message(channel_id=other, log_time=5, publish_time=5, data=payload(42))
        writer.finish()

    received = node_overhead.receive_times(bag, '/camera/image_raw')
    # The stamp sent twice (a resend while the node was joining) is left out.
    assert received == {1_700_000_000_123_456_789: 1_700_000_000_124_000_000,
                        1_700_000_001_000_000_001: 1_700_000_001_000_600_000}


def test_frames_differ_by_sensor_noise_only():
    first, second = list(node_overhead.frames(2, 8, 8))
    assert first.shape == (8, 8, 3) and first.dtype.name == 'uint8'
    difference = abs(first.astype(int) - second.astype(int))
    assert 0 < difference.max() <= 4
