"""Shared helpers: a rosbags typestore with vla_msgs registered from msgs/, and dict <-> message conversion."""
from pathlib import Path

import numpy as np
from rosbags.typesys import Stores, get_types_from_msg, get_typestore
from rosbags.typesys.base import Nodetype

MSGS_DIR = Path(__file__).resolve().parents[2] / 'msgs'

NUMPY_DTYPES = {
    'bool': np.bool_, 'int8': np.int8, 'uint8': np.uint8, 'byte': np.uint8, 'char': np.uint8,
    'int16': np.int16, 'uint16': np.uint16, 'int32': np.int32, 'uint32': np.uint32,
    'int64': np.int64, 'uint64': np.uint64, 'float32': np.float32, 'float64': np.float64,
}


def make_typestore():
    """ROS 2 Jazzy types plus every vla_msgs .msg file, parsed from its text."""
    store = get_typestore(Stores.ROS2_JAZZY)
    for path in sorted((MSGS_DIR / 'vla_msgs' / 'msg').glob('*.msg')):
        store.register(get_types_from_msg(path.read_text(), f'vla_msgs/msg/{path.stem}'))
    return store


def build(store, typename, value):
    """A rosbags message of `typename` from a dict keyed by .msg field names."""
    _, fields = store.fielddefs[typename]
    kwargs = {name: _build_field(store, nodetype, detail, value[name]) for name, (nodetype, detail) in fields}
    return store.types[typename](**kwargs)


def _build_field(store, nodetype, detail, value):
    if nodetype == Nodetype.BASE:
        return value
    if nodetype == Nodetype.NAME:
        return build(store, detail, value)
    (sub_nodetype, sub_detail), _ = detail
    if sub_nodetype == Nodetype.BASE and sub_detail[0] in NUMPY_DTYPES:
        return np.array(value, dtype=NUMPY_DTYPES[sub_detail[0]])
    return [_build_field(store, sub_nodetype, sub_detail, item) for item in value]


def to_plain(store, typename, message):
    """A dict keyed by .msg field names (numpy arrays become lists) from a rosbags message."""
    _, fields = store.fielddefs[typename]
    return {name: _plain_field(store, nodetype, detail, getattr(message, name)) for name, (nodetype, detail) in fields}


def _plain_field(store, nodetype, detail, value):
    if nodetype == Nodetype.BASE:
        return value.item() if isinstance(value, np.generic) else value
    if nodetype == Nodetype.NAME:
        return to_plain(store, detail, value)
    (sub_nodetype, sub_detail), _ = detail
    if isinstance(value, np.ndarray):
        return value.tolist()
    return [_plain_field(store, sub_nodetype, sub_detail, item) for item in value]
