"""Read an MCAP written by vla-node with independent Python readers and print every message.

usage: read_bag.py BAG.mcap
Checks: python `mcap` reads it with chunk CRC validation; the summary and data-section CRCs are
recomputed here (python `mcap` checks neither when reading through the summary); rosbags AnyReader decodes each message from the schema text embedded in the bag,
and the result must equal a decode with the types parsed from msgs/ (vla_msgs) or ROS 2 Jazzy.
Prints {"profile", "library", "chunk_count", "compressions", "messages": [{"topic", "type",
"log_time", "publish_time", "sequence", "value_json"}]} as JSON (value_json: the decoded message as a
JSON text keyed by .msg field names); exits non-zero on any mismatch.
"""
import json
import struct
import sys
import zlib
from pathlib import Path

from mcap.reader import make_reader
from rosbags.highlevel import AnyReader

from interop_common import make_typestore, to_plain


def check_file_crcs(data):
    """The summary CRC (footer) and data-section CRC (DataEnd, the 13 bytes before the summary)."""
    summary_start, _, summary_crc = struct.unpack_from('<QQI', data, len(data) - 8 - 20)
    if summary_start == 0 or summary_crc == 0:
        raise SystemExit('the footer has no summary or no summary CRC')
    actual = zlib.crc32(data[summary_start:len(data) - 8 - 4])
    if actual != summary_crc:
        raise SystemExit(f'summary CRC mismatch: footer {summary_crc:#x}, computed {actual:#x}')
    data_end = summary_start - 13
    opcode, length, data_crc = struct.unpack_from('<BQI', data, data_end)
    if (opcode, length) != (0x0F, 4):
        raise SystemExit('no DataEnd record right before the summary')
    actual = zlib.crc32(data[:data_end])
    if actual != data_crc:
        raise SystemExit(f'data section CRC mismatch: DataEnd {data_crc:#x}, computed {actual:#x}')


def main():
    path = Path(sys.argv[1])
    check_file_crcs(path.read_bytes())
    store = make_typestore()
    messages = []
    with path.open('rb') as stream:
        reader = make_reader(stream, validate_crcs=True)
        header = reader.get_header()
        summary = reader.get_summary()
        for schema, channel, message in reader.iter_messages(log_time_order=False):
            if channel.message_encoding != 'cdr' or schema.encoding != 'ros2msg':
                raise SystemExit(f'channel {channel.topic}: encodings {channel.message_encoding}/{schema.encoding}')
            decoded = store.deserialize_cdr(message.data, schema.name)
            messages.append({
                'topic': channel.topic, 'type': schema.name, 'log_time': message.log_time,
                'publish_time': message.publish_time, 'sequence': message.sequence,
                'value_json': json.dumps(to_plain(store, schema.name, decoded)),
            })
    with AnyReader([path]) as any_reader:
        embedded = [to_plain(any_reader.typestore, conn.msgtype, any_reader.deserialize(raw, conn.msgtype))
                    for conn, _, raw in any_reader.messages()]
    if sorted(map(json.dumps, embedded)) != sorted(m['value_json'] for m in messages):
        raise SystemExit('rosbags AnyReader (embedded schemas) disagrees with the msgs/ types')
    json.dump({
        'profile': header.profile, 'library': header.library,
        'chunk_count': len(summary.chunk_indexes),
        'compressions': sorted({index.compression for index in summary.chunk_indexes}),
        'messages': messages,
    }, sys.stdout)


if __name__ == '__main__':
    main()
