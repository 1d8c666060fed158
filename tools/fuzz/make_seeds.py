#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (Tests/FuzzSeeds/<target>/) from real encoders' output.

Run once; the seeds are committed. Images come from Pillow, CDR payloads from rosbags, MCAP files from
the python `mcap` writer (with rosbags CDR), launch files are the repository's own. Seeds are kept
small (a few KiB) so that the fuzzer's mutations stay fast.

usage: make_seeds.py [--out DIR]   (needs pillow, numpy, rosbags, mcap: tools/fuzz/requirements.txt)
"""
import argparse
import io
import shutil
import sys
from pathlib import Path

import numpy as np
from mcap.writer import CompressionType, Writer
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools' / 'interop'))
from interop_common import build, make_typestore  # noqa: E402  (the shared rosbags typestore)


def pillow_images():
    """(name, encoded bytes) for small Pillow-encoded PNG, JPEG and PPM/PGM files of several modes."""
    rng = np.random.RandomState(0)
    rgb = Image.fromarray(rng.randint(0, 256, (12, 16, 3), dtype=np.uint8), 'RGB')
    cases = {'rgb': rgb, 'rgba': rgb.convert('RGBA'), 'l': rgb.convert('L'), 'la': rgb.convert('LA'),
             'p': rgb.convert('P'), '1': rgb.convert('1'),
             'i16': Image.fromarray((rng.randint(0, 65536, (9, 7))).astype(np.uint16))}
    out = []
    for mode, image in cases.items():
        out.append((f'{mode}.png', encode(image, 'PNG')))
    out.append(('interlaced.png', encode(rgb, 'PNG', interlace=1)))
    out.append(('p_trns.png', encode(rgb.convert('P'), 'PNG', transparency=3)))
    for mode in ('rgb', 'l'):
        out.append((f'{mode}.jpg', encode(cases[mode], 'JPEG', quality=80)))
    out.append(('progressive.jpg', encode(rgb, 'JPEG', progressive=True)))
    out.append(('subsampled.jpg', encode(rgb, 'JPEG', subsampling=2)))
    out.append(('rgb.ppm', encode(rgb, 'PPM')))
    out.append(('l.pgm', encode(cases['l'], 'PPM')))
    return out


def encode(image, format_name, **options):
    stream = io.BytesIO()
    image.save(stream, format=format_name, **options)
    return stream.getvalue()


def header(stamp_ns):
    return {'stamp': {'sec': stamp_ns // 10**9, 'nanosec': stamp_ns % 10**9}, 'frame_id': 'camera'}


def raw_images():
    """(name, value) for sensor_msgs/Image in every encoding the node accepts."""
    rng = np.random.RandomState(1)
    out = []
    for encoding, channels in (('rgb8', 3), ('bgr8', 3), ('rgba8', 4), ('bgra8', 4), ('mono8', 1)):
        height, width = 6, 5
        pixels = rng.randint(0, 256, height * width * channels).tolist()
        out.append((encoding, {'header': header(1_700_000_000_000_000_000), 'height': height, 'width': width,
                               'encoding': encoding, 'is_bigendian': 0, 'step': width * channels,
                               'data': pixels}))
    return out


def compressed_images(images):
    return [(name, {'header': header(1_700_000_000_000_000_000), 'format': name.rsplit('.', 1)[1],
                    'data': list(data)})
            for name, data in images if name.endswith(('.png', '.jpg'))]


def other_messages():
    """(name, typename, value) for the other message types."""
    return [
        ('string', 'std_msgs/msg/String', {'data': 'pick coke can'}),
        ('action_chunk', 'vla_msgs/msg/ActionChunk', {
            'header': header(5), 'observation_stamp': {'sec': 1, 'nanosec': 2}, 'inference_sequence': 3,
            'publish_sequence': 4, 'control_period': 0.2, 'horizon': 2, 'action_dimension': 7,
            'actions': [float(i) / 7 for i in range(14)], 'current_index': 0,
            'dimension_names': ['x', 'y', 'z', 'roll', 'pitch', 'yaw', 'gripper'], 'contributing_chunks': 1}),
    ]


def write_bag(path, store, messages, compression):
    with open(path, 'wb') as stream:
        writer = Writer(stream, chunk_size=256, compression=compression)
        writer.start(profile='ros2', library='vla-node fuzz seeds')
        channels = {}
        for time, (topic, typename, value) in enumerate(messages):
            if topic not in channels:
                schema = writer.register_schema(name=typename, encoding='ros2msg', data=b'')
                channels[topic] = writer.register_channel(topic=topic, message_encoding='cdr', schema_id=schema)
            data = store.serialize_cdr(build(store, typename, value), typename)
            writer.add_message(channel_id=channels[topic], log_time=time * 1000, publish_time=time * 1000,
                               data=data, sequence=time)
        writer.finish()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', type=Path, default=ROOT / 'Tests' / 'FuzzSeeds', help='corpus root')
    arguments = parser.parse_args()
    store = make_typestore()
    targets = ('image', 'raw-camera', 'compressed-camera', 'cdr', 'mcap', 'launch')
    for target in targets:
        shutil.rmtree(arguments.out / target, ignore_errors=True)
        (arguments.out / target).mkdir(parents=True)

    images = pillow_images()
    for name, data in images:
        (arguments.out / 'image' / name).write_bytes(data)
    cdr_values = [(f'image_{name}', 'sensor_msgs/msg/Image', value) for name, value in raw_images()]
    cdr_values += [(f'compressed_{name}', 'sensor_msgs/msg/CompressedImage', value)
                   for name, value in compressed_images(images)]
    cdr_values += other_messages()
    for name, typename, value in cdr_values:
        data = store.serialize_cdr(build(store, typename, value), typename)
        if typename == 'sensor_msgs/msg/Image':
            (arguments.out / 'raw-camera' / f'{name}.cdr').write_bytes(data)
        elif typename == 'sensor_msgs/msg/CompressedImage':
            (arguments.out / 'compressed-camera' / f'{name}.cdr').write_bytes(data)
        (arguments.out / 'cdr' / f'{name}.cdr').write_bytes(data)

    bag_messages = [('/camera/image_raw', 'sensor_msgs/msg/Image', value) for _, value in raw_images()[:2]]
    bag_messages += [('/instruction', 'std_msgs/msg/String', {'data': 'pick coke can'})]
    for label, compression in (('none', CompressionType.NONE), ('zstd', CompressionType.ZSTD),
                               ('lz4', CompressionType.LZ4)):
        write_bag(arguments.out / 'mcap' / f'{label}.mcap', store, bag_messages, compression)

    for launch in sorted((ROOT / 'launch').glob('*.yaml')):
        shutil.copy(launch, arguments.out / 'launch' / launch.name)
    for target in targets:
        files = list((arguments.out / target).iterdir())
        print(f'{target}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes')


if __name__ == '__main__':
    main()
