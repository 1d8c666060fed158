"""A robot-stack client written without the node's code: pyzmq sockets, messages serialised by rosbags.

It binds one publisher for the camera and instruction topics (the node connects to it), subscribes to the node's
action chunks, and then, in lock-step, sends every test frame with a unique header stamp and waits for
the ActionChunk whose observation_stamp is that stamp. Between frames it sends hostile messages (garbage,
truncated CDR, a zero-length CDR string, an empty instruction, wrong frame counts, an unknown topic,
forged image sizes, unsupported encodings); the next good frame must still come back as a chunk, so a
node that crashed, hung or kept a stale frame fails the run.

Prints {"frames": N, "chunks": N, "hostile": N, "slowest_s": S} as JSON; exits 1 when a frame got no chunk.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import zmq

from interop_common import build, make_typestore

CAMERA_TOPIC, INSTRUCTION_TOPIC, CHUNK_TOPIC = b'/camera/image_raw', b'/instruction', b'/vla/action_chunk'
CDR_HEADER = b'\x00\x01\x00\x00'  # little-endian CDR encapsulation


def header(stamp_ns):
    return {'stamp': {'sec': stamp_ns // 10**9, 'nanosec': stamp_ns % 10**9}, 'frame_id': 'camera'}


def raw_frames():
    """(label, Image value without header) in every raw encoding the node accepts, odd sizes and padded rows."""
    rng = np.random.RandomState(3)
    frames = []
    for encoding, channels, (height, width), padding in (('rgb8', 3, (240, 320), 0), ('bgr8', 3, (479, 641), 3),
                                                         ('rgba8', 4, (224, 224), 0), ('bgra8', 4, (100, 150), 8),
                                                         ('mono8', 1, (480, 640), 1)):
        step = width * channels + padding
        pixels = rng.randint(0, 256, height * step, dtype=np.uint8)
        frames.append((f'{encoding} {width}x{height} step {step}',
                       {'height': height, 'width': width, 'encoding': encoding, 'is_bigendian': 0,
                        'step': step, 'data': pixels}))
    return frames


def compressed_frames(paths):
    return [(path.name, {'format': path.suffix.lstrip('.').replace('jpg', 'jpeg'),
                         'data': np.frombuffer(path.read_bytes(), dtype=np.uint8)}) for path in paths]


def hostile_messages(store, camera_type, forged_png):
    """(label, multipart frames) the node must refuse without harm."""
    string_type = 'std_msgs/msg/String'
    valid_instruction = store.serialize_cdr(build(store, string_type, {'data': 'pick coke can'}), string_type)
    image_type = 'sensor_msgs/msg/Image'
    huge = store.serialize_cdr(build(store, image_type, {
        'header': header(1), 'height': 60000, 'width': 60000, 'encoding': 'rgb8', 'is_bigendian': 0,
        'step': 180000, 'data': np.zeros(12, dtype=np.uint8)}), image_type)
    depth = store.serialize_cdr(build(store, image_type, {
        'header': header(1), 'height': 2, 'width': 2, 'encoding': '16UC1', 'is_bigendian': 0, 'step': 4,
        'data': np.zeros(8, dtype=np.uint8)}), image_type)
    messages = [
        ('garbage on the camera topic', [CAMERA_TOPIC, bytes(range(256)) * 3]),
        ('a truncated Image', [CAMERA_TOPIC, huge[:len(huge) // 2]]),
        ('an Image whose size exceeds its data', [CAMERA_TOPIC, huge]),
        ('an Image in an unsupported encoding', [CAMERA_TOPIC, depth]),
        ('a zero-length CDR string', [INSTRUCTION_TOPIC, CDR_HEADER + b'\x00\x00\x00\x00']),
        ('an empty instruction', [INSTRUCTION_TOPIC, store.serialize_cdr(build(store, string_type, {'data': ''}), string_type)]),
        ('three frames', [INSTRUCTION_TOPIC, valid_instruction, b'extra']),
        ('a topic frame only', [CAMERA_TOPIC]),
        ('an unknown topic', [b'/camera/image_raw_2', valid_instruction]),
    ]
    if camera_type == 'compressed':
        compressed_type = 'sensor_msgs/msg/CompressedImage'
        for label, data in (('a PNG whose IHDR forges its size', forged_png.read_bytes()),
                            ('PNG bytes cut in half', forged_png.read_bytes()[:40]),
                            ('bytes that are no image', b'not an image at all')):
            payload = store.serialize_cdr(build(store, compressed_type, {
                'header': header(1), 'format': 'png', 'data': np.frombuffer(data, dtype=np.uint8)}), compressed_type)
            messages.append((label, [CAMERA_TOPIC, payload]))
    return messages


class Client:
    """The sockets, and lock-step sending of one frame."""

    def __init__(self, arguments, store):
        self.store = store
        self.instruction = store.serialize_cdr(build(store, 'std_msgs/msg/String', {'data': arguments.instruction}),
                                               'std_msgs/msg/String')
        self.timeout = arguments.timeout
        self.context = zmq.Context()
        self.publisher = self.context.socket(zmq.PUB)
        self.publisher.setsockopt(zmq.LINGER, 0)
        self.publisher.bind(arguments.inputs_bind)
        self.chunks = self.context.socket(zmq.SUB)
        self.chunks.setsockopt(zmq.LINGER, 0)
        self.chunks.setsockopt(zmq.SUBSCRIBE, CHUNK_TOPIC)
        self.chunks.connect(arguments.outputs)

    def send_raw(self, message):
        """Sends one multipart message as it is."""
        self.publisher.send_multipart(message)

    def send_frame(self, typename, value):
        """Sends the frame stamped now and waits for its chunk; returns the wait in seconds, or None."""
        stamp = time.time_ns()
        payload = self.store.serialize_cdr(build(self.store, typename, dict(value, header=header(stamp))), typename)
        start = time.monotonic()
        last_send = None
        while time.monotonic() - start < self.timeout:
            if last_send is None or time.monotonic() - last_send > 1.0:  # PUB/SUB is lossy until connected
                self.send_raw([INSTRUCTION_TOPIC, self.instruction])
                self.send_raw([CAMERA_TOPIC, payload])
                last_send = time.monotonic()
            if self.chunks.poll(100):
                topic, data = self.chunks.recv_multipart()
                chunk = self.store.deserialize_cdr(data, 'vla_msgs/msg/ActionChunk')
                if topic == CHUNK_TOPIC and chunk.observation_stamp.sec * 10**9 + chunk.observation_stamp.nanosec == stamp:
                    return time.monotonic() - start
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--inputs-bind', required=True, help='address the camera + instruction publisher binds')
    parser.add_argument('--outputs', required=True, help="the node's action-chunk address to connect to")
    parser.add_argument('--camera-type', choices=('image', 'compressed'), required=True)
    parser.add_argument('--image', type=Path, action='append', default=[], help='a PNG/JPEG file (compressed)')
    parser.add_argument('--forged-png', type=Path, help='a PNG with a forged size (compressed hostile input)')
    parser.add_argument('--instruction', default='pick coke can')
    parser.add_argument('--timeout', type=float, default=30.0, help='seconds to wait for one chunk')
    arguments = parser.parse_args()

    store = make_typestore()
    client = Client(arguments, store)
    if arguments.camera_type == 'image':
        typename, frames = 'sensor_msgs/msg/Image', raw_frames()
    else:
        typename, frames = 'sensor_msgs/msg/CompressedImage', compressed_frames(arguments.image)
    hostile = hostile_messages(store, arguments.camera_type, arguments.forged_png)

    missing, waits = [], []
    for index, (label, value) in enumerate(frames):
        wait = client.send_frame(typename, value)
        if wait is None:
            missing.append(label)
        else:
            waits.append(wait)
        if index < len(hostile):  # a hostile message before the next good frame
            client.send_raw(hostile[index][1])
    for _, message in hostile[len(frames):]:
        client.send_raw(message)
    final = client.send_frame(typename, frames[0][1])  # the node is still alive after the last hostile one
    if final is None:
        missing.append(f'{frames[0][0]} after every hostile message')
    print(json.dumps({'frames': len(frames) + 1, 'chunks': len(waits) + (final is not None),
                      'hostile': len(hostile), 'slowest_s': round(max(waits, default=0.0), 3), 'missing': missing}))
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
