"""Check msgs/: every standard definition equals ROS 2 Jazzy's field for field (per rosbags), and every
file parses with rosbags. Prints {"checked": [type names]}; exits non-zero on a difference.

An empty .msg (std_msgs/msg/Empty) has no fields as text; rosidl gives the generated structure the one
member `structure_needs_at_least_one_member` (uint8), which rosbags' Jazzy store lists, so that member
is added to ours before comparing."""
import json
import sys

from rosbags.typesys import Stores, get_types_from_msg, get_typestore
from rosbags.typesys.base import Nodetype

from interop_common import MSGS_DIR


PLACEHOLDER = ('structure_needs_at_least_one_member', (Nodetype.BASE, ('uint8', 0)))


def main():
    jazzy = get_typestore(Stores.ROS2_JAZZY)
    checked = []
    for path in sorted(MSGS_DIR.glob('*/msg/*.msg')):
        name = f'{path.parent.parent.name}/msg/{path.stem}'
        parsed = get_types_from_msg(path.read_text(), name)[name]
        if parsed == ([], []):
            parsed = ([], [PLACEHOLDER])
        if not name.startswith('vla_msgs/') and parsed != jazzy.fielddefs[name]:
            sys.exit(f'{path}: fields differ from ROS 2 Jazzy {name}:\n ours  {parsed}\n jazzy {jazzy.fielddefs[name]}')
        checked.append(name)
    json.dump({'checked': checked}, sys.stdout)


if __name__ == '__main__':
    main()
