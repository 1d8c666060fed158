"""Check that a standard ROS 2 decoder accepts every message of a bag, and print what it holds.

Deserialises EVERY message with rosbags AnyReader from the schema text embedded in the bag (what
`ros2 bag play` relies on); any message that does not decode is reported and the exit status is 1.
Prints {"counts": {topic: messages}, "metadata": {name: {key: value}}} as JSON (metadata read with
python `mcap`), so a test can also check the recorder's `vla_node.recorder` drop report.
"""
import argparse
import json
import sys
from pathlib import Path

from mcap.reader import make_reader
from rosbags.highlevel import AnyReader


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('bag', type=Path, help='an MCAP bag (ros2 profile, CDR messages)')
    args = parser.parse_args()

    counts, failures = {}, []
    with AnyReader([args.bag]) as reader:
        for index, (connection, log_time, raw) in enumerate(reader.messages()):
            try:
                reader.deserialize(raw, connection.msgtype)
            except Exception as error:  # rosbags raises several types; report every one
                failures.append(f'message {index} on {connection.topic} at {log_time}: {type(error).__name__}: {error}')
                continue
            counts[connection.topic] = counts.get(connection.topic, 0) + 1
    with args.bag.open('rb') as stream:
        metadata = {record.name: dict(record.metadata) for record in make_reader(stream).iter_metadata()}
    if failures:
        print(f'{len(failures)} message(s) of {args.bag} do not deserialise:', *failures, sep='\n', file=sys.stderr)
        return 1
    json.dump({'counts': counts, 'metadata': metadata}, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
