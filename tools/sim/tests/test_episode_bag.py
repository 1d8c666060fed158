"""A recorded episode bag: layout read back by python mcap and rosbags, and its actions replay."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mcap.reader import make_reader
from rosbags.highlevel import AnyReader

import episode_bag
import tasks
from blind_replay import blind_successes
from actions import to_metaworld
from make_demos import make_task_demos

SIZE = 32


@pytest.fixture(scope='module')
def recorded(tmp_path_factory):
    """One reach episode on training seed 0, recorded at 32 px: (summary, bag path)."""
    out = tmp_path_factory.mktemp('demos')
    summary = make_task_demos(tasks.TASKS['reach'], episodes=1, first_seed=0, out=out, size=SIZE,
                              camera='corner', max_steps=200)
    return summary, out / 'reach' / 'seed-0.mcap'


def test_the_kept_episode_is_written(recorded):
    summary, bag = recorded
    assert summary['kept_seeds'] == [0] and summary['failed_seeds'] == []
    assert bag.is_file()


def test_python_mcap_sees_the_node_layout(recorded):
    summary, bag = recorded
    with bag.open('rb') as stream:
        reader = make_reader(stream)
        header = reader.get_header()
        info = reader.get_summary()
        metadata = {record.name: dict(record.metadata) for record in reader.iter_metadata()}
    assert header.profile == 'ros2'
    channels = {channel.topic: (info.schemas[channel.schema_id].name, channel.message_encoding)
                for channel in info.channels.values()}
    assert channels == {'/instruction': ('std_msgs/msg/String', 'cdr'),
                        '/camera/image_raw': ('sensor_msgs/msg/Image', 'cdr'),
                        '/expert/action': ('vla_msgs/msg/ActionChunk', 'cdr'),
                        '/sim/observation': ('std_msgs/msg/Float32MultiArray', 'cdr')}
    counts = {info.channels[channel_id].topic: count for channel_id, count in info.statistics.channel_message_counts.items()}
    assert counts == {'/instruction': 1, '/camera/image_raw': summary['frames'], '/expert/action': summary['frames'],
                      '/sim/observation': summary['frames']}
    assert all(chunk.compression == 'zstd' for chunk in info.chunk_indexes)
    episode = metadata[episode_bag.METADATA_NAME]
    assert (episode['task'], episode['seed'], episode['split'], episode['success']) == ('reach', '0', 'train', 'true')
    assert episode['steps'] == str(summary['frames']) and episode['instruction'] == 'reach the red ball'


def test_rosbags_decodes_every_message_from_the_embedded_schemas(recorded):
    summary, bag = recorded
    with AnyReader([bag]) as reader:
        messages = [(connection.topic, time, reader.deserialize(raw, connection.msgtype))
                    for connection, time, raw in reader.messages()]
    assert messages[0][0] == '/instruction' and messages[0][2].data == 'reach the red ball'
    images = [(time, message) for topic, time, message in messages if topic == '/camera/image_raw']
    chunks = [(time, message) for topic, time, message in messages if topic == '/expert/action']
    assert len(images) == len(chunks) == summary['frames']
    for step, ((image_time, image), (chunk_time, chunk)) in enumerate(zip(images, chunks)):
        assert image_time == chunk_time == step * 12_500_000
        assert (image.height, image.width, image.encoding, image.step) == (SIZE, SIZE, 'rgb8', 3 * SIZE)
        assert image.header.stamp.sec * 10**9 + image.header.stamp.nanosec == image_time
        assert (chunk.horizon, chunk.action_dimension, chunk.current_index) == (1, 7, 0)
        assert list(chunk.dimension_names) == ['x', 'y', 'z', 'roll', 'pitch', 'yaw', 'gripper']
        assert chunk.observation_stamp == image.header.stamp and chunk.control_period == 0.0125
        assert np.all(chunk.actions[3:6] == 0)
    assert np.asarray(images[0][1].data).std() > 10


def test_the_observations_are_the_envs_own_on_each_frame(recorded):
    _, bag = recorded
    observations = episode_bag.read_episode_observations(bag)
    _, actions = episode_bag.read_episode(bag)
    env = tasks.make_env(tasks.TASKS['reach'])
    expected = [tasks.reset(env, 0)]
    for action in actions[:-1]:
        expected.append(env.step(to_metaworld(action))[0])
    assert observations.shape == (len(actions), 39) and observations.dtype == np.float32
    assert np.array_equal(observations, np.asarray(expected, dtype=np.float32))


def test_bags_without_observations_read_as_none(tmp_path):
    frames = [np.zeros((4, 4, 3), dtype=np.uint8)] * 2
    actions = [np.zeros(7, dtype=np.float32)] * 2
    episode_bag.write_episode(tmp_path / 'plain.mcap', 'reach the red ball', frames, actions, {'task': 'reach'})
    assert episode_bag.read_episode_observations(tmp_path / 'plain.mcap') is None
    with pytest.raises(ValueError, match='observations'):
        episode_bag.write_episode(tmp_path / 'bad.mcap', 'x', frames, actions, {}, observations=[np.zeros(39)])


def test_the_actions_replay_to_success_on_their_own_seed_only(recorded):
    _, bag = recorded
    metadata, actions = episode_bag.read_episode(bag)
    assert actions.shape == (int(metadata['steps']), 7)
    task = tasks.TASKS['reach']
    assert blind_successes(task, actions, [0], len(actions)) == [True]  # the executed action is the recorded one
    assert blind_successes(task, actions, tasks.seeds('eval', 3), 100) != [True] * 3


def test_frames_instruction_and_actions_read_back(recorded):
    summary, bag = recorded
    metadata, instruction, frames, actions = episode_bag.read_episode_frames(bag)
    assert instruction == metadata['instruction'] == 'reach the red ball'
    assert frames.shape == (summary['frames'], SIZE, SIZE, 3) and frames.dtype == np.uint8
    assert np.array_equal(actions, episode_bag.read_episode(bag)[1])
    with AnyReader([bag]) as reader:
        connection = next(c for c in reader.connections if c.topic == '/camera/image_raw')
        last = [reader.deserialize(raw, connection.msgtype) for _, _, raw in reader.messages([connection])][-1]
    assert np.array_equal(frames[-1], np.asarray(last.data).reshape(SIZE, SIZE, 3))
    assert frames[0].std() > 10


def test_blind_replay_cli_reports_json(recorded):
    _, bag = recorded
    result = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / 'blind_replay.py'), str(bag),
                             '--episodes', '2', '--max-steps', '60', '--json'], capture_output=True, text=True, check=True)
    [row] = json.loads(result.stdout)
    assert (row['task'], row['demo_seed'], row['episodes'], row['eval_seeds'], row['max_steps']) == ('reach', 0, 2, [100_000, 100_001], 60)
    assert 0 <= row['wilson95'][0] <= row['rate'] <= row['wilson95'][1] <= 1
