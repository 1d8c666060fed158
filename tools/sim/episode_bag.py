"""One episode as an MCAP bag in vla-node's format, and reading it back (actions, or everything).

Topics (ROS 2 profile, CDR, zstd chunks), all stamped in sim time (step k at k × 12.5 ms, 80 Hz):
  /instruction      std_msgs/msg/String, once, at time 0 before the first frame;
  /camera/image_raw sensor_msgs/msg/Image rgb8, frame k = the observation action k was chosen from;
  /expert/action    vla_msgs/msg/ActionChunk, horizon 1, 7-D (x y z roll pitch yaw gripper), the
                    action applied at step k; observation_stamp is frame k's stamp;
  /sim/observation  std_msgs/msg/Float32MultiArray, one per step when recorded: MetaWorld's 39-D
                    observation of frame k (hand xyz, gripper, object poses, previous frame, goal
                    xyz), the simulator state a training-only auxiliary head may predict.
The metadata record `vla_sim.episode` holds the task, seed, split, success and sizes (all strings).
Message types come from msgs/ through tools/interop/interop_common.py.
"""
import sys
from pathlib import Path

import numpy as np
from mcap.reader import make_reader
from mcap.writer import CompressionType, Writer
from rosbags.typesys import Stores, get_types_from_msg, get_typestore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'interop'))
from interop_common import build, make_typestore  # noqa: E402

from actions import DIMENSION_NAMES  # noqa: E402

INSTRUCTION_TOPIC = '/instruction'
CAMERA_TOPIC = '/camera/image_raw'
ACTION_TOPIC = '/expert/action'
OBSERVATION_TOPIC = '/sim/observation'
METADATA_NAME = 'vla_sim.episode'
CONTROL_PERIOD_NS = 12_500_000
CAMERA_FRAME_ID = 'corner'
ACTION_FRAME_ID = 'world'

STRING = 'std_msgs/msg/String'
IMAGE = 'sensor_msgs/msg/Image'
ACTION_CHUNK = 'vla_msgs/msg/ActionChunk'
FLOAT_ARRAY = 'std_msgs/msg/Float32MultiArray'

_STORE = make_typestore()


def _stamp(nanoseconds):
    return {'sec': nanoseconds // 1_000_000_000, 'nanosec': nanoseconds % 1_000_000_000}


def write_episode(path, instruction, frames, actions, metadata, observations=None):
    """Writes frames (H × W × 3 uint8 each) and 7-D actions, one per step, plus `metadata` (str → str)
    and, when given, the simulator's observation vector of each step."""
    if len(frames) != len(actions):
        raise ValueError(f'{len(frames)} frames but {len(actions)} actions')
    if observations is not None and len(observations) != len(frames):
        raise ValueError(f'{len(frames)} frames but {len(observations)} observations')
    topics = ((INSTRUCTION_TOPIC, STRING), (CAMERA_TOPIC, IMAGE), (ACTION_TOPIC, ACTION_CHUNK))
    if observations is not None:
        topics += ((OBSERVATION_TOPIC, FLOAT_ARRAY),)
    with open(path, 'wb') as stream:
        writer = Writer(stream, compression=CompressionType.ZSTD)
        writer.start(profile='ros2', library='vla-node tools/sim')
        channels = {topic: _register(writer, topic, typename) for topic, typename in topics}

        def add(topic, typename, value, time, sequence):
            data = bytes(_STORE.serialize_cdr(build(_STORE, typename, value), typename))
            writer.add_message(channel_id=channels[topic], log_time=time, publish_time=time, sequence=sequence, data=data)

        add(INSTRUCTION_TOPIC, STRING, {'data': instruction}, 0, 0)
        for step, (frame, action) in enumerate(zip(frames, actions)):
            time = step * CONTROL_PERIOD_NS
            height, width, _ = frame.shape
            add(CAMERA_TOPIC, IMAGE, {
                'header': {'stamp': _stamp(time), 'frame_id': CAMERA_FRAME_ID},
                'height': height, 'width': width, 'encoding': 'rgb8', 'is_bigendian': 0,
                'step': 3 * width, 'data': frame.reshape(-1)}, time, step)
            add(ACTION_TOPIC, ACTION_CHUNK, {
                'header': {'stamp': _stamp(time), 'frame_id': ACTION_FRAME_ID},
                'observation_stamp': _stamp(time), 'inference_sequence': step, 'publish_sequence': step,
                'control_period': CONTROL_PERIOD_NS / 1e9, 'horizon': 1, 'action_dimension': len(DIMENSION_NAMES),
                'actions': np.asarray(action, dtype=np.float32), 'current_index': 0,
                'dimension_names': list(DIMENSION_NAMES), 'contributing_chunks': 1}, time, step)
            if observations is not None:
                vector = np.asarray(observations[step], dtype=np.float32)
                add(OBSERVATION_TOPIC, FLOAT_ARRAY, {
                    'layout': {'dim': [{'label': 'observation', 'size': len(vector), 'stride': len(vector)}],
                               'data_offset': 0},
                    'data': vector}, time, step)
        writer.add_metadata(METADATA_NAME, {key: str(value) for key, value in metadata.items()})
        writer.finish()


def _register(writer, topic, typename):
    schema_id = writer.register_schema(name=typename, encoding='ros2msg',
                                       data=_STORE.generate_msgdef(typename, ros_version=2)[0].encode())
    return writer.register_channel(topic=topic, message_encoding='cdr', schema_id=schema_id,
                                   metadata={'offered_qos_profiles': '[]'})


class _EmbeddedSchemas:
    """Decodes messages with the schema text embedded in the bag, not with today's msgs/ files, so bags
    written before a message gained a field (ActionChunk.contributing_chunks) stay readable."""

    def __init__(self):
        self._stores = {}

    def decode(self, schema, data):
        if schema.id not in self._stores:
            store = get_typestore(Stores.EMPTY)
            store.register(get_types_from_msg(schema.data.decode(), schema.name))
            self._stores[schema.id] = store
        return self._stores[schema.id].deserialize_cdr(data, schema.name)


def read_episode(path):
    """(metadata dict, actions as a steps × 7 float32 array) of an episode bag."""
    metadata, _, _, actions = _read(path, with_frames=False)
    return metadata, actions


def read_episode_frames(path):
    """(metadata dict, instruction text, frames as a steps × H × W × 3 uint8 array, actions as a
    steps × 7 float32 array) of an episode bag; frame k is the observation action k was chosen from."""
    return _read(path, with_frames=True)


def read_episode_observations(path):
    """The steps × n float32 array of the bag's `/sim/observation` vectors, or None if it has none."""
    schemas = _EmbeddedSchemas()
    with open(path, 'rb') as stream:
        rows = [schemas.decode(schema, message.data).data
                for schema, _, message in make_reader(stream).iter_messages(topics=[OBSERVATION_TOPIC], log_time_order=True)]
    return np.array(rows, dtype=np.float32) if rows else None


def _read(path, with_frames):
    """The bag's metadata, instruction (None unless ``with_frames``), frames (None unless ``with_frames``)
    and actions, in log-time order."""
    topics = [ACTION_TOPIC] + ([INSTRUCTION_TOPIC, CAMERA_TOPIC] if with_frames else [])
    instruction, frames, rows = None, [], []
    schemas = _EmbeddedSchemas()
    with open(path, 'rb') as stream:
        reader = make_reader(stream)
        metadata = next((dict(record.metadata) for record in reader.iter_metadata() if record.name == METADATA_NAME), None)
        if metadata is None:
            raise ValueError(f'{path} has no {METADATA_NAME} metadata record')
        for schema, channel, message in reader.iter_messages(topics=topics, log_time_order=True):
            decoded = schemas.decode(schema, message.data)
            if channel.topic == ACTION_TOPIC:
                rows.append(decoded.actions)
            elif channel.topic == INSTRUCTION_TOPIC:
                instruction = decoded.data
            else:
                image = decoded
                if image.encoding != 'rgb8':
                    raise ValueError(f'{path}: frame {len(frames)} is {image.encoding}, not rgb8')
                frames.append(np.asarray(image.data, dtype=np.uint8).reshape(image.height, image.width, 3))
    actions = np.array(rows, dtype=np.float32).reshape(-1, len(DIMENSION_NAMES))
    if not with_frames:
        return metadata, None, None, actions
    if instruction is None or len(frames) != len(actions):
        raise ValueError(f'{path}: instruction {instruction!r}, {len(frames)} frames, {len(actions)} actions')
    return metadata, instruction, np.stack(frames), actions
