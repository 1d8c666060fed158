"""Read a bag's rosbag2 metadata with independent tools, and hash the msgs/ types with rosbags.

python `mcap` reads each channel's `offered_qos_profiles` and `topic_type_hash` and the `rosbag2`
Metadata records; ruamel (rosbags' YAML reader) parses their `serialized_metadata`. rosbags reads
the MCAP file alone (its storage plugin parses the channels' QoS), then reads it as a rosbag2
directory whose metadata.yaml is that serialized_metadata (what `ros2 bag reindex` rebuilds), with
AnyReader, which checks every topic's type_description_hash against rosbags' own RIHS01 of the
schema embedded in the bag. Prints JSON; exits 1 when rosbags refuses the bag.
"""
import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from mcap.reader import make_reader
from rosbags.highlevel import AnyReader
from rosbags.rosbag2 import Reader
from ruamel.yaml import YAML

from interop_common import make_typestore


def qos_dicts(profiles):
    """rosbags Qos tuples as plain dicts (enum members by name)."""
    def plain(value):
        if hasattr(value, 'name'):
            return value.name.lower()
        if hasattr(value, 'sec'):
            return {'sec': value.sec, 'nsec': value.nsec}
        return value
    return [{key: plain(getattr(profile, key)) for key in profile._fields} for profile in profiles]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('bag', type=Path, help='an MCAP bag written by vla-node')
    args = parser.parse_args()

    with args.bag.open('rb') as stream:
        reader = make_reader(stream)
        summary = reader.get_summary()
        channels = {channel.topic: dict(channel.metadata) for channel in summary.channels.values()}
        records = [dict(record.metadata) for record in reader.iter_metadata() if record.name == 'rosbag2']
    yaml = YAML(typ='safe')
    serialized = [yaml.load(record['serialized_metadata']) for record in records]

    with Reader(args.bag) as single:
        single_qos = {conn.topic: qos_dicts(conn.ext.offered_qos_profiles) for conn in single.connections}

    directory = {}
    if serialized:
        with tempfile.TemporaryDirectory() as tmp:
            bag_dir = Path(tmp) / 'bag'
            bag_dir.mkdir()
            name = serialized[0]['relative_file_paths'][0] if serialized[0]['relative_file_paths'] else args.bag.name
            shutil.copy(args.bag, bag_dir / name)
            with (bag_dir / 'metadata.yaml').open('w') as out:
                YAML().dump({'rosbag2_bagfile_information': serialized[0]}, out)
            try:
                with Reader(bag_dir) as dir_reader:
                    directory['ros_distro'] = dir_reader.ros_distro
                    directory['message_count'] = dir_reader.message_count
                    directory['digests'] = {conn.topic: conn.digest for conn in dir_reader.connections}
                    directory['qos'] = {conn.topic: qos_dicts(conn.ext.offered_qos_profiles) for conn in dir_reader.connections}
                with AnyReader([bag_dir]) as any_reader:
                    directory['anyreader_messages'] = sum(1 for _ in any_reader.messages())
            except Exception as error:  # rosbags raises several types; report every one
                print(f'rosbags refused {args.bag} as a rosbag2 directory: {type(error).__name__}: {error}', file=sys.stderr)
                return 1

    store = make_typestore()
    msgs = sorted(path.relative_to(path.parents[2]).with_suffix('').as_posix()
                  for path in (Path(__file__).resolve().parents[2] / 'msgs').glob('*/msg/*.msg'))
    json.dump({
        'channels': channels,
        'rosbag2_records': serialized,
        'single_file_qos': single_qos,
        'directory': directory,
        'rosbags_hashes': {name: store.hash_rihs01(name) for name in msgs},
    }, sys.stdout, default=str)
    return 0


if __name__ == '__main__':
    sys.exit(main())
