"""Write an MCAP with the python `mcap` writer.

usage: write_bag.py OUT.mcap {none,zstd,lz4} SPEC.json
SPEC.json: [{"topic", "type", "value", "log_time", "publish_time", "sequence"}]; each value is
serialized to CDR by rosbags. Prints [{"topic", "log_time", "publish_time", "sequence", "cdr_hex"}].
"""
import json
import sys

from mcap.writer import CompressionType, Writer

from interop_common import build, make_typestore

COMPRESSIONS = {'none': CompressionType.NONE, 'zstd': CompressionType.ZSTD, 'lz4': CompressionType.LZ4}


def main():
    out_path, compression, spec_path = sys.argv[1:4]
    store = make_typestore()
    specs = json.loads(open(spec_path, encoding='utf-8').read())
    written = []
    with open(out_path, 'wb') as stream:
        writer = Writer(stream, chunk_size=512, compression=COMPRESSIONS[compression])
        writer.start(profile='ros2', library='python-mcap interop')
        channels = {}
        for spec in specs:
            key = (spec['topic'], spec['type'])
            if key not in channels:
                schema_id = writer.register_schema(
                    name=spec['type'], encoding='ros2msg',
                    data=store.generate_msgdef(spec['type'], ros_version=2)[0].encode())
                channels[key] = writer.register_channel(
                    topic=spec['topic'], message_encoding='cdr', schema_id=schema_id,
                    metadata={'offered_qos_profiles': '[]'})
            data = bytes(store.serialize_cdr(build(store, spec['type'], spec['value']), spec['type']))
            writer.add_message(channel_id=channels[key], log_time=spec['log_time'],
                               publish_time=spec['publish_time'], sequence=spec['sequence'], data=data)
            written.append({key: spec[key] for key in ('topic', 'log_time', 'publish_time', 'sequence')}
                           | {'cdr_hex': data.hex()})
        writer.finish()
    json.dump(written, sys.stdout)


if __name__ == '__main__':
    main()
