"""A robot-stack client of the node's service, reset topic and reconnects, written without the node's code:
pyzmq sockets, messages serialised by rosbags, the service through examples/python/vla_service.py.

Against a node running the ensemble chunk policy, whose inputs connect to --inputs-bind:
  1. asks `info` and reports the chunk shape and control rate;
  2. streams frames until a chunk blends two chunks (contributing_chunks = 2), resets through the service,
     and reports contributing_chunks of the first chunk computed from a frame sent after the reply;
  3. does the same with a std_msgs/Empty on the reset topic (the reset is seen when `ping` reports the
     new episode);
  4. sends one camera message above the node's 64 MiB limit, then normal frames, and reports how long
     the first chunk from a normal frame took to arrive;
  5. asks `stats` for the counters.

Prints the findings as JSON; exits 1 when a step timed out.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import zmq

from interop_common import build, make_typestore

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'examples' / 'python'))
from vla_service import NodeServiceClient  # noqa: E402  (the example client under test)

CAMERA, INSTRUCTION, RESET, CHUNK = b'/camera/image_raw', b'/instruction', b'/vla/reset', b'/vla/action_chunk'
OVERSIZED_BYTES = (64 << 20) + 1  # SocketPlan.maximumCameraMessageBytes + 1


class Peer:
    """The node's camera publisher and action-chunk subscriber."""

    def __init__(self, store, inputs_bind, outputs):
        self.store = store
        context = zmq.Context.instance()
        self.publisher = context.socket(zmq.PUB)
        self.publisher.setsockopt(zmq.LINGER, 0)
        self.publisher.bind(inputs_bind)
        self.subscriber = context.socket(zmq.SUB)
        self.subscriber.setsockopt(zmq.LINGER, 0)
        self.subscriber.connect(outputs)
        self.subscriber.setsockopt(zmq.SUBSCRIBE, CHUNK)
        self.frame = 0
        self.last_instruction = 0.0

    def send(self, topic, typename, value):
        message = build(self.store, typename, value)
        self.publisher.send_multipart([topic, bytes(self.store.serialize_cdr(message, typename))])

    def send_frame(self, instruction):
        """Sends one 32x24 rgb8 frame (and the instruction once a second); returns its stamp."""
        if time.monotonic() - self.last_instruction >= 1:
            self.send(INSTRUCTION, 'std_msgs/msg/String', {'data': instruction})
            self.last_instruction = time.monotonic()
        stamp = time.time_ns()
        pixels = np.full(32 * 24 * 3, self.frame % 251, dtype=np.uint8)
        self.send(CAMERA, 'sensor_msgs/msg/Image', {
            'header': {'stamp': {'sec': stamp // 10**9, 'nanosec': stamp % 10**9}, 'frame_id': 'camera'},
            'height': 24, 'width': 32, 'encoding': 'rgb8', 'is_bigendian': 0, 'step': 96, 'data': pixels})
        self.frame += 1
        return stamp

    def first_chunk(self, accept, wait_s):
        """The first ActionChunk arriving within wait_s for which `accept(chunk)` holds, or None."""
        deadline = time.monotonic() + wait_s
        while (remaining := deadline - time.monotonic()) > 0:
            if not self.subscriber.poll(remaining * 1000):
                break
            topic, payload = self.subscriber.recv_multipart()
            if topic != CHUNK:
                continue
            chunk = self.store.deserialize_cdr(payload, 'vla_msgs/msg/ActionChunk')
            if accept(chunk):
                return chunk
        return None

    def stream_until(self, instruction, accept, timeout_s, frame_period_s=0.1):
        """Sends a frame every frame_period_s until `accept(chunk, stamps_sent)` holds for an arriving
        chunk; returns (chunk, seconds) or (None, timeout_s)."""
        start, sent = time.monotonic(), set()
        while time.monotonic() - start < timeout_s:
            sent.add(self.send_frame(instruction))
            chunk = self.first_chunk(lambda c: accept(c, sent), frame_period_s)
            if chunk is not None:
                return chunk, time.monotonic() - start
        return None, timeout_s


def stamp_ns(time_message):
    return time_message.sec * 10**9 + time_message.nanosec


def first_after(peer, instruction, timeout_s):
    """contributing_chunks of the chunk computed from the first frame sent from now on.

    The next frame goes out only when no chunk from the previous one arrived within two seconds (the
    demo model infers in milliseconds), so the chunk found is the only one of the new episode: it
    blends nothing when the reset cleared the history, and blends the old chunks when it did not."""
    chunk, _ = peer.stream_until(instruction, lambda c, sent: stamp_ns(c.observation_stamp) in sent, timeout_s,
                                 frame_period_s=2.0)
    return None if chunk is None else int(chunk.contributing_chunks)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--inputs-bind', required=True, help='where to bind the publisher the node connects to')
    parser.add_argument('--outputs', required=True, help="the node's output endpoint")
    parser.add_argument('--service', required=True, help="the node service's endpoint")
    parser.add_argument('--timeout', type=float, default=60, help='seconds each step may take')
    args = parser.parse_args()

    store = make_typestore()
    peer = Peer(store, args.inputs_bind, args.outputs)
    client = NodeServiceClient(args.service, timeout_s=10)
    instruction = 'reach the goal'
    info = client.info()
    findings = {'horizon': info['horizon'], 'action_dim': info['action_dim'],
                'control_rate_hz': info['control_rate_hz'], 'chunk_policy': info['chunk_policy']['name']}
    blended = lambda chunk, _sent: chunk.contributing_chunks >= 2  # noqa: E731

    peer.stream_until(instruction, blended, args.timeout)
    reply = client.reset()
    findings['service_reset'] = {'episode': reply['episode'], 'cleared_chunks': reply['cleared_chunks'],
                                 'first_chunk_contributing': first_after(peer, instruction, args.timeout)}

    peer.stream_until(instruction, blended, args.timeout)
    peer.send(RESET, 'std_msgs/msg/Empty', {'structure_needs_at_least_one_member': 0})
    deadline = time.monotonic() + args.timeout
    while client.ping()['episode'] < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    findings['topic_reset'] = {'episode': client.ping()['episode'],
                               'first_chunk_contributing': first_after(peer, instruction, args.timeout)}

    peer.publisher.send_multipart([CAMERA, bytes(OVERSIZED_BYTES)])
    chunk, seconds = peer.stream_until(instruction, lambda c, sent: stamp_ns(c.observation_stamp) in sent, args.timeout)
    findings['after_oversized_s'] = None if chunk is None else round(seconds, 3)

    counters = client.stats()['counters']
    findings['counters'] = {key: counters[key] for key in ('episode_resets', 'disconnects', 'reconnects')}
    json.dump(findings, sys.stdout)
    complete = None not in (findings['service_reset']['first_chunk_contributing'],
                            findings['topic_reset']['first_chunk_contributing'], findings['after_oversized_s'])
    sys.exit(0 if complete else 1)


if __name__ == '__main__':
    main()
