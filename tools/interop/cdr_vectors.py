"""Serialize messages with rosbags: reads [{"type", "value"}] JSON from argv[1], prints [{"type", "cdr_hex"}]."""
import json
import sys

from interop_common import build, make_typestore


def main():
    store = make_typestore()
    specs = json.loads(open(sys.argv[1], encoding='utf-8').read())
    out = []
    for spec in specs:
        message = build(store, spec['type'], spec['value'])
        out.append({'type': spec['type'], 'cdr_hex': bytes(store.serialize_cdr(message, spec['type'])).hex()})
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
