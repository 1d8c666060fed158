"""The simulator's side of the wire to a running vla-node: pyzmq sockets and the CDR of msgs/.

The link binds one PUB socket that the node's camera and instruction topics connect to, and
subscribes to the node's `/vla/action_chunk` and `/vla/latency` topics (the node binds those).
Messages are two-frame multiparts `[topic, CDR payload]`, serialised by rosbags from the .msg
files in msgs/ (tools/interop/interop_common.py), never by the node's own code.
"""
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import zmq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'interop'))
from interop_common import build, make_typestore  # noqa: E402

CAMERA_TOPIC = b'/camera/image_raw'
INSTRUCTION_TOPIC = b'/instruction'
CHUNK_TOPIC = b'/vla/action_chunk'
LATENCY_TOPIC = b'/vla/latency'
RESET_TOPIC = b'/vla/reset'
IMAGE = 'sensor_msgs/msg/Image'
STRING = 'std_msgs/msg/String'
ACTION_CHUNK = 'vla_msgs/msg/ActionChunk'
LATENCY = 'vla_msgs/msg/InferenceLatency'


class NodeTimeout(Exception):
    """The node sent no chunk for a frame in time; the message names the frame and the wait."""


@dataclass(frozen=True)
class Chunk:
    """One received ActionChunk: rows ``[horizon, 7]``, the row that applies at ``tick_stamp_ns``
    (``current_index``), the frame it was computed from and its inference count."""
    actions: np.ndarray
    current_index: int
    tick_stamp_ns: int
    observation_stamp_ns: int
    inference_sequence: int


def stamp_ns(time_message):
    """Nanoseconds of a builtin_interfaces/Time."""
    return time_message.sec * 1_000_000_000 + time_message.nanosec


class NodeLink:
    """Sockets to one node. `inputs_bind` is the address the node's camera and instruction topics
    connect to; `outputs` the address its chunk and latency topics are bound at."""

    def __init__(self, inputs_bind, outputs, frame_id='corner'):
        self._store = make_typestore()
        self._frame_id = frame_id
        self._context = zmq.Context()
        self._publisher = self._socket(zmq.PUB)
        self._publisher.bind(inputs_bind)
        self._outputs = self._socket(zmq.SUB)
        self._outputs.setsockopt(zmq.SUBSCRIBE, CHUNK_TOPIC)
        self._outputs.setsockopt(zmq.SUBSCRIBE, LATENCY_TOPIC)
        self._outputs.connect(outputs)
        self._instruction = None
        self.latencies = []  # every InferenceLatency received, as a dict (see `_latency_entry`)

    def _socket(self, kind):
        socket = self._context.socket(kind)
        socket.setsockopt(zmq.LINGER, 0)
        return socket

    def close(self):
        self._context.destroy(linger=0)

    def set_instruction(self, text):
        """The instruction sent before every frame (the node acts on a change only)."""
        self._instruction = self._store.serialize_cdr(build(self._store, STRING, {'data': text}), STRING)

    def reset_episode(self):
        """Publishes std_msgs/Empty on the reset topic: the node drops its chunk history, ensemble and
        temporal caches, so an episode never blends actions of the one before."""
        empty = 'std_msgs/msg/Empty'
        self._publisher.send_multipart([RESET_TOPIC, self._store.serialize_cdr(build(self._store, empty, {
            'structure_needs_at_least_one_member': 0}), empty)])

    def send_frame(self, frame, stamp):
        """Publishes the instruction, then one rgb8 frame ``[H, W, 3]`` uint8 stamped ``stamp`` ns."""
        height, width, _ = frame.shape
        payload = self._store.serialize_cdr(build(self._store, IMAGE, {
            'header': {'stamp': {'sec': stamp // 1_000_000_000, 'nanosec': stamp % 1_000_000_000},
                       'frame_id': self._frame_id},
            'height': height, 'width': width, 'encoding': 'rgb8', 'is_bigendian': 0, 'step': 3 * width,
            'data': np.ascontiguousarray(frame).reshape(-1)}), IMAGE)
        self._publisher.send_multipart([INSTRUCTION_TOPIC, self._instruction])
        self._publisher.send_multipart([CAMERA_TOPIC, payload])

    def receive(self, timeout_ms):
        """The next chunk received within ``timeout_ms`` (latency reports are stored on the way), or None."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            remaining = max(0, int((deadline - time.monotonic()) * 1000))
            if not self._outputs.poll(remaining):
                return None
            topic, data = self._outputs.recv_multipart()
            if topic == LATENCY_TOPIC:
                report = self._store.deserialize_cdr(data, LATENCY)
                self.latencies.append(_latency_entry(report))
            elif topic == CHUNK_TOPIC:
                return self._chunk(data)

    def _chunk(self, data):
        message = self._store.deserialize_cdr(data, ACTION_CHUNK)
        actions = np.asarray(message.actions, dtype=np.float32).reshape(message.horizon, message.action_dimension)
        return Chunk(actions=actions, current_index=message.current_index, tick_stamp_ns=stamp_ns(message.header.stamp),
                     observation_stamp_ns=stamp_ns(message.observation_stamp),
                     inference_sequence=message.inference_sequence)

    def newest_chunk(self, previous):
        """The newest chunk waiting on the socket, or ``previous`` when none arrived (does not block)."""
        newest = previous
        while (chunk := self.receive(0)) is not None:
            newest = chunk
        return newest

    def chunk_for(self, frame, stamp, timeout_s=30.0, resend_s=1.0, check=None):
        """Lock-step: sends ``frame`` stamped ``stamp`` and returns the first chunk computed from it.
        The frame is sent again every ``resend_s`` while none comes (PUB/SUB drops messages until the
        node's subscription has joined; the same stamp gives the same noise, so a repeat is harmless),
        after calling ``check`` (e.g. NodeProcess.check, which raises when the node has exited).
        Raises NodeTimeout after ``timeout_s``."""
        start = time.monotonic()
        while time.monotonic() - start < timeout_s:
            if check is not None:
                check()
            self.send_frame(frame, stamp)
            resend_at = time.monotonic() + resend_s
            while (left := resend_at - time.monotonic()) > 0:
                chunk = self.receive(left * 1000)
                if chunk is not None and chunk.observation_stamp_ns == stamp:
                    return chunk
        raise NodeTimeout(f'no action chunk for the frame stamped {stamp} ns within {timeout_s:.0f} s: '
                          'is vla-node running with its camera and instruction topics connected to the bridge?')


def _latency_entry(report):
    """The fields of an InferenceLatency the evaluation and the overhead bench summarise."""
    entry = {'inference_ms': report.inference_ms, 'end_to_end_ms': report.end_to_end_ms, 'gflops': report.gflops,
             'visual_tokens_reused': report.visual_tokens_reused,
             'visual_tokens': report.visual_tokens_reused + report.visual_tokens_recomputed,
             'full_refresh': bool(report.full_refresh), 'inference_sequence': report.inference_sequence}
    for stage in ('frame_age', 'decode', 'vision', 'projector', 'llm', 'action_head', 'post'):
        entry[f'{stage}_ms'] = getattr(report, f'{stage}_ms')
    return entry
