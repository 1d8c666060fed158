#!/usr/bin/env python3
"""Drive a running vla-node from Python: publish camera frames and an instruction as ROS 2 CDR
over ZeroMQ ([topic, CDR] frames, see msgs/README.md) and print the action chunks and latency
reports the node publishes.

With the demo launch file (the node connects its inputs to tcp://127.0.0.1:5555 and binds its
outputs on tcp://127.0.0.1:5557):

    vla-node run --launch launch/demo.yaml &
    python examples/python/client.py --instruction "pick coke can" --seconds 5

Frames are synthetic rgb8 images (sensor_msgs/msg/Image) unless --image points at a JPEG or PNG
file, which is sent as sensor_msgs/msg/CompressedImage; then start the node with
node.topics.camera.type=sensor_msgs/msg/CompressedImage.
"""
import argparse
import struct
import time

import zmq


# --- CDR (XCDR1, little endian): alignment counts from the byte after the 4-byte header ----------

class CDRWriter:
    def __init__(self):
        self.body = bytearray()

    def align(self, size):
        self.body += b"\0" * (-len(self.body) % size)

    def put(self, fmt, *values):
        self.align(struct.calcsize("<" + fmt[0]))
        self.body += struct.pack("<" + fmt, *values)

    def string(self, text):
        raw = text.encode() + b"\0"
        self.put("I", len(raw))
        self.body += raw

    def octets(self, data):
        self.put("I", len(data))
        self.body += data

    def header(self, stamp_ns, frame_id):
        self.put("iI", stamp_ns // 10**9, stamp_ns % 10**9)
        self.string(frame_id)

    def payload(self):
        return b"\x00\x01\x00\x00" + bytes(self.body)


class CDRReader:
    def __init__(self, payload):
        if payload[:4] != b"\x00\x01\x00\x00":
            raise ValueError("not little-endian XCDR1 CDR")
        self.body, self.offset = payload[4:], 0

    def get(self, fmt):
        size = struct.calcsize("<" + fmt[0])
        self.offset += -self.offset % size
        values = struct.unpack_from("<" + fmt, self.body, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def string(self):
        length = self.get("I")
        text = self.body[self.offset:self.offset + length - 1].decode()
        self.offset += length
        return text

    def time(self):
        sec, nanosec = self.get("iI")
        return sec + nanosec / 1e9


def image_cdr(rgb, width, height, stamp_ns):
    """sensor_msgs/msg/Image, rgb8."""
    writer = CDRWriter()
    writer.header(stamp_ns, "camera")
    writer.put("II", height, width)
    writer.string("rgb8")
    writer.put("B", 0)  # is_bigendian
    writer.put("I", width * 3)  # step
    writer.octets(rgb)
    return writer.payload()


def compressed_cdr(data, image_format, stamp_ns):
    """sensor_msgs/msg/CompressedImage."""
    writer = CDRWriter()
    writer.header(stamp_ns, "camera")
    writer.string(image_format)
    writer.octets(data)
    return writer.payload()


def string_cdr(text):
    """std_msgs/msg/String."""
    writer = CDRWriter()
    writer.string(text)
    return writer.payload()


def read_action_chunk(payload):
    """vla_msgs/msg/ActionChunk (msgs/vla_msgs/msg/ActionChunk.msg)."""
    reader = CDRReader(payload)
    stamp = reader.time()
    reader.string()  # frame_id
    observation = reader.time()
    inference, publish = reader.get("QQ")
    period = reader.get("d")
    horizon, dimension = reader.get("II")
    count = reader.get("I")
    actions = reader.get("f" * count) if count else ()
    actions = actions if isinstance(actions, tuple) else (actions,)
    current = reader.get("I")
    rows = [actions[row * dimension:(row + 1) * dimension] for row in range(horizon)]
    return dict(stamp=stamp, observation=observation, inference=inference, publish=publish, period=period,
                rows=rows, current=current)


LATENCY_FIELDS = ("decode_ms", "vision_ms", "projector_ms", "llm_ms", "action_head_ms", "post_ms", "inference_ms",
                  "end_to_end_ms", "frame_age_ms")


def read_latency(payload):
    """vla_msgs/msg/InferenceLatency (msgs/vla_msgs/msg/InferenceLatency.msg)."""
    reader = CDRReader(payload)
    report = dict(stamp=reader.time())
    reader.string()  # frame_id
    report["sequence"], report["inference"] = reader.get("QQ")
    report["observation"] = reader.time()
    report.update(zip(LATENCY_FIELDS, reader.get("d" * len(LATENCY_FIELDS))))
    report.update(zip(("frames_received", "frames_skipped", "queue_drops", "recorder_drops", "deadline_misses"),
                      reader.get("QQQQQ")))
    report["gflops"] = reader.get("d")
    report.update(zip(("llm_layers_kept", "llm_layers_total", "visual_tokens_kept", "visual_tokens_total",
                       "cache_interval", "diffusion_steps"), reader.get("IIIIII")))
    return report


def synthetic_frame(index, width, height):
    """A moving colour gradient, rows top to bottom."""
    return bytes(((x + index) % 256, (y + 2 * index) % 256, (x + y) % 256)[c]
                 for y in range(height) for x in range(width) for c in range(3))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--camera-bind", default="tcp://127.0.0.1:5555",
                        help="where to bind the PUB socket the node's camera and instruction inputs connect to")
    parser.add_argument("--outputs", default="tcp://127.0.0.1:5557", help="the node's output endpoint to connect to")
    parser.add_argument("--camera-topic", default="/camera/image_raw")
    parser.add_argument("--instruction-topic", default="/instruction")
    parser.add_argument("--instruction", default="pick coke can")
    parser.add_argument("--image", help="a JPEG or PNG file to send as CompressedImage (default: synthetic rgb8)")
    parser.add_argument("--size", default="320x256", help="synthetic frame size WIDTHxHEIGHT")
    parser.add_argument("--rate", type=float, default=10.0, help="frames per second")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()

    context = zmq.Context.instance()
    publisher = context.socket(zmq.PUB)
    publisher.setsockopt(zmq.LINGER, 0)
    publisher.bind(args.camera_bind)
    subscriber = context.socket(zmq.SUB)
    subscriber.setsockopt(zmq.LINGER, 0)
    subscriber.connect(args.outputs)
    for topic in ("/vla/action_chunk", "/vla/latency"):
        subscriber.setsockopt(zmq.SUBSCRIBE, topic.encode())
    time.sleep(0.5)  # PUB/SUB drops what is sent before the connections are up (slow joiner)

    width, height = (int(v) for v in args.size.split("x"))
    compressed = None
    if args.image:
        with open(args.image, "rb") as handle:
            compressed = handle.read()
        image_format = "png" if compressed.startswith(b"\x89PNG") else "jpeg"

    poller = zmq.Poller()
    poller.register(subscriber, zmq.POLLIN)
    start = time.monotonic()
    next_frame, next_instruction, frame = start, start, 0
    chunks = reports = 0
    while time.monotonic() - start < args.seconds:
        now = time.monotonic()
        if now >= next_instruction:  # re-sent once a second: PUB/SUB is lossy; the node ignores repeats
            publisher.send_multipart([args.instruction_topic.encode(), string_cdr(args.instruction)])
            next_instruction += 1.0
        if now >= next_frame:
            stamp = time.time_ns()
            payload = (compressed_cdr(compressed, image_format, stamp) if compressed is not None
                       else image_cdr(synthetic_frame(frame, width, height), width, height, stamp))
            publisher.send_multipart([args.camera_topic.encode(), payload])
            frame += 1
            next_frame += 1.0 / args.rate
        timeout = max(0.0, min(next_frame, next_instruction) - time.monotonic())
        for _ in poller.poll(timeout * 1000):
            topic, payload = subscriber.recv_multipart()
            if topic == b"/vla/action_chunk":  # exact match: SUBSCRIBE matches prefixes
                chunk = read_action_chunk(payload)
                chunks += 1
                now_row = " ".join(f"{v:+.4f}" for v in chunk["rows"][chunk["current"]])
                print(f"chunk   #{chunk['publish']:<4} inference {chunk['inference']:<4} "
                      f"{len(chunk['rows'])} rows, now [{now_row}]")
            elif topic == b"/vla/latency":
                report = read_latency(payload)
                reports += 1
                print(f"latency #{report['sequence']:<4} inference {report['inference']:<4} "
                      f"infer {report['inference_ms']:.1f} ms, end-to-end {report['end_to_end_ms']:.1f} ms, "
                      f"llm {report['llm_ms']:.1f} ms, skipped {report['frames_skipped']}, "
                      f"misses {report['deadline_misses']}, {report['gflops']:.2f} GFLOP")
    print(f"sent {frame} frames; received {chunks} action chunks and {reports} latency reports")
    publisher.close()
    subscriber.close()
    context.term()


if __name__ == "__main__":
    main()
