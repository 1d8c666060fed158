"""Writes the demo bag (demo/demo.mcap): what a robot would send the node for a few seconds.

Topics (ROS 2 types, CDR, MCAP profile "ros2", zstd chunks):
  /camera/image_raw  sensor_msgs/msg/Image  rgb8 320x256 at 10 Hz, a synthetic table scene with a
                     red can sliding towards a green sponge (deterministic)
  /instruction       std_msgs/msg/String    "Pick coke can" at t=0, "Move the sponge near the apple" at t=3 s

Written by independent tooling (the Python `mcap` writer and `rosbags` CDR serialiser), so the node's
reader and decoder are exercised against third-party bytes. Run once; the output is committed:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy mcap rosbags zstandard
    /tmp/venv/bin/python tools/demo/make_demo_bag.py demo/demo.mcap
"""
import sys

import numpy as np
from mcap.writer import CompressionType, Writer
from rosbags.typesys import Stores, get_typestore

START_NS = 1_764_115_200_000_000_000   # 2025-11-26T00:00:00Z, fixed so the file is reproducible
FRAME_PERIOD_NS = 100_000_000          # 10 Hz camera
FRAMES = 60
WIDTH, HEIGHT = 320, 256
SEPARATOR = "=" * 80

TIME_MSG = "int32 sec\nuint32 nanosec\n"
HEADER_MSG = "builtin_interfaces/Time stamp\nstring frame_id\n"
IMAGE_MSG = ("std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\n"
             "uint8 is_bigendian\nuint32 step\nuint8[] data\n")
STRING_MSG = "string data\n"

IMAGE_SCHEMA = (f"{IMAGE_MSG}{SEPARATOR}\nMSG: std_msgs/Header\n{HEADER_MSG}"
                f"{SEPARATOR}\nMSG: builtin_interfaces/Time\n{TIME_MSG}")


def scene(index):
    """A table-top frame: wood-coloured gradient, a green sponge, and a red can that moves."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    frame = np.stack([150 + 40 * y / HEIGHT, 110 + 30 * y / HEIGHT, 70 + 20 * x / WIDTH], axis=-1)
    frame[180:215, 220:280] = (40, 170, 60)                       # sponge
    cx, cy = 60 + 2 * index, 150                                  # can slides right
    can = (x - cx) ** 2 / 18 ** 2 + (y - cy) ** 2 / 30 ** 2 <= 1
    frame[can] = (200, 25, 30)
    return frame.astype(np.uint8)


def main(path):
    typestore = get_typestore(Stores.ROS2_HUMBLE)
    Image = typestore.types["sensor_msgs/msg/Image"]
    Header = typestore.types["std_msgs/msg/Header"]
    Time = typestore.types["builtin_interfaces/msg/Time"]
    String = typestore.types["std_msgs/msg/String"]

    with open(path, "wb") as stream:
        writer = Writer(stream, compression=CompressionType.ZSTD, chunk_size=1 << 20)
        writer.start(profile="ros2", library="vla-node tools/demo/make_demo_bag.py")
        image_schema = writer.register_schema("sensor_msgs/msg/Image", "ros2msg", IMAGE_SCHEMA.encode())
        string_schema = writer.register_schema("std_msgs/msg/String", "ros2msg", STRING_MSG.encode())
        camera = writer.register_channel("/camera/image_raw", "cdr", image_schema)
        instruction = writer.register_channel("/instruction", "cdr", string_schema)

        events = [(0, instruction, "Pick coke can"), (3_000_000_000, instruction, "Move the sponge near the apple")]
        events += [(i * FRAME_PERIOD_NS + 1_000_000, camera, i) for i in range(FRAMES)]
        for offset, channel, payload in sorted(events, key=lambda e: e[0]):
            stamp = START_NS + offset
            if channel == camera:
                pixels = scene(payload)
                message = Image(header=Header(stamp=Time(sec=stamp // 10**9, nanosec=stamp % 10**9),
                                              frame_id="camera"),
                                height=HEIGHT, width=WIDTH, encoding="rgb8", is_bigendian=0,
                                step=WIDTH * 3, data=pixels.reshape(-1))
                data = typestore.serialize_cdr(message, "sensor_msgs/msg/Image")
            else:
                data = typestore.serialize_cdr(String(data=payload), "std_msgs/msg/String")
            writer.add_message(channel, log_time=stamp, data=bytes(data), publish_time=stamp)
        writer.finish()
    print("wrote", path)


if __name__ == "__main__":
    main(sys.argv[1])
