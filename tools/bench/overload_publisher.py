"""Overload publisher for the node benchmark: floods the camera topic, listens to the node's outputs.

Publishes `sensor_msgs/msg/Image` rgb8 frames (serialised once with rosbags' CDR serialiser, then only
the header stamp is rewritten per frame) at --rate Hz for --duration s on a PUB socket the node's
inputs connect to, re-sends the instruction once a second, and subscribes to the node's
/vla/action_chunk and /vla/latency. Prints one JSON object: frames sent, chunks received, and from
the latency topic the frame age at inference, inference time, end-to-end latency and the node's
counters (frames received, recorder drops). Uses no code of the node (pyzmq + rosbags only).
"""
import argparse
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np
import zmq
from rosbags.typesys import Stores, get_types_from_msg, get_typestore

MSGS = Path(__file__).resolve().parents[2] / 'msgs'


def typestore(msgs=MSGS):
    """ROS 2 Jazzy types plus vla_msgs from a msgs/ folder (the .msg files, parsed by rosbags)."""
    store = get_typestore(Stores.ROS2_JAZZY)
    for path in sorted((Path(msgs) / 'vla_msgs' / 'msg').glob('*.msg')):
        store.register(get_types_from_msg(path.read_text(), f'vla_msgs/msg/{path.stem}'))
    return store


def camera_pixels(width, height):
    """Camera-like rgb8 pixels: smooth colour gradients plus sensor noise of ±12 levels. Like real
    frames they barely compress (zstd level 3 keeps ~94 %), so the bag writer does real work."""
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 // width, y * 255 // height, (x + y) * 255 // (width + height)], axis=-1)
    noise = np.random.default_rng(7).integers(-12, 13, size=base.shape)
    return np.clip(base + noise, 0, 255).astype(np.uint8).reshape(-1)


def image_cdr(store, width, height):
    """A serialised rgb8 Image (stamp 0) as a bytearray; the stamp is bytes 4..12 (after the CDR header)."""
    Image, Header, Time = (store.types[name] for name in
                           ('sensor_msgs/msg/Image', 'std_msgs/msg/Header', 'builtin_interfaces/msg/Time'))
    pixels = camera_pixels(width, height)
    message = Image(header=Header(stamp=Time(sec=0, nanosec=0), frame_id='camera'), height=height, width=width,
                    encoding='rgb8', is_bigendian=0, step=width * 3, data=pixels)
    return bytearray(store.serialize_cdr(message, 'sensor_msgs/msg/Image'))


def percentile(values, p):
    """Nearest-rank percentile (the node's own definition), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, -(-len(ordered) * p // 100)) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bind', default='tcp://127.0.0.1:5555', help='PUB address the node connects to')
    parser.add_argument('--outputs', default='tcp://127.0.0.1:5557', help='the node\'s bound output address')
    parser.add_argument('--width', type=int, default=640)
    parser.add_argument('--height', type=int, default=480)
    parser.add_argument('--rate', type=float, default=100.0, help='frames per second')
    parser.add_argument('--duration', type=float, default=60.0, help='seconds of publishing')
    parser.add_argument('--drain', type=float, default=3.0, help='seconds to keep listening afterwards')
    parser.add_argument('--instruction', default='pick up the coke can')
    parser.add_argument('--msgs', type=Path, default=MSGS,
                        help='msgs/ folder whose InferenceLatency the node speaks (an older checkout for an older node)')
    parser.add_argument('--sndhwm', type=int, default=100,
                        help='ZMQ_SNDHWM of the PUB socket: frames it queues for a slow node before dropping')
    args = parser.parse_args()

    store = typestore(args.msgs)
    Latency = 'vla_msgs/msg/InferenceLatency'
    context = zmq.Context()
    pub = context.socket(zmq.PUB)
    pub.setsockopt(zmq.SNDHWM, args.sndhwm)
    pub.bind(args.bind)
    sub = context.socket(zmq.SUB)
    sub.connect(args.outputs)
    for topic in (b'/vla/action_chunk', b'/vla/latency'):
        sub.setsockopt(zmq.SUBSCRIBE, topic)
    frame = image_cdr(store, args.width, args.height)
    instruction = store.serialize_cdr(store.types['std_msgs/msg/String'](data=args.instruction), 'std_msgs/msg/String')
    time.sleep(1.0)  # slow joiner: let the node connect

    latencies, chunks, sent = [], 0, 0

    def drain():
        nonlocal chunks
        while sub.poll(0):
            topic, payload = sub.recv_multipart()
            if topic == b'/vla/action_chunk':
                chunks += 1
            elif topic == b'/vla/latency':
                latencies.append(store.deserialize_cdr(payload, Latency))

    start = time.monotonic()
    last_instruction = -1.0
    while (now := time.monotonic()) - start < args.duration:
        if now - last_instruction >= 1.0:
            pub.send_multipart([b'/instruction', instruction])
            last_instruction = now
        wall = time.time_ns()
        struct.pack_into('<iI', frame, 4, wall // 1_000_000_000, wall % 1_000_000_000)
        pub.send_multipart([b'/camera/image_raw', bytes(frame)])
        sent += 1
        due = start + sent / args.rate
        while time.monotonic() < due:
            drain()
            time.sleep(min(0.002, max(0.0, due - time.monotonic())))
    end = time.monotonic() + args.drain
    while time.monotonic() < end:
        drain()
        time.sleep(0.01)

    ages = [m.frame_age_ms for m in latencies]
    infer = [m.inference_ms for m in latencies]
    e2e = [m.end_to_end_ms for m in latencies]
    first, last = (latencies[0], latencies[-1]) if latencies else (None, None)
    json.dump({
        'frames_sent': sent, 'seconds': args.duration, 'rate_hz': args.rate, 'width': args.width, 'height': args.height,
        'frame_bytes': len(frame), 'chunks_received': chunks, 'latency_reports': len(latencies),
        'frame_age_ms_p50': percentile(ages, 50), 'frame_age_ms_p95': percentile(ages, 95),
        'inference_ms_p50': percentile(infer, 50), 'end_to_end_ms_p95': percentile(e2e, 95),
        'frames_received': last.frames_received if last else 0,
        'recorder_drops': getattr(last, 'recorder_drops', None),
        'deadline_misses': last.deadline_misses if last else 0,
        # Misses once inference runs (the first report is sent after the first chunk).
        'misses_after_first_chunk': last.deadline_misses - first.deadline_misses if last else None,
    }, sys.stdout)
    print()
    sub.close(0)
    pub.close(0)
    context.term()
    return 0 if latencies else 1


if __name__ == '__main__':
    sys.exit(main())
