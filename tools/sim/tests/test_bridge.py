"""The sim bridge against the real node (.build/debug/vla-node on launch/sim.yaml, the shipped
policy): lock-step chunks are the ones `vla-node predict` computes for the same frame and noise
seed, episodes repeat exactly, and real-time mode applies the node's chunks as they come."""
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

import tasks
from bridge import Bridge, frame_stamp
from node_link import NodeLink
from node_process import NodeProcess, free_port_pair
from render import write_ppm

REPO = Path(__file__).resolve().parents[3]
BINARY = REPO / '.build' / 'debug' / 'vla-node'
LAUNCH = REPO / 'launch' / 'sim.yaml'


@pytest.fixture(scope='module')
def bridge():
    assert BINARY.exists(), f'{BINARY} is missing: run `swift build` in {REPO} first'
    node = NodeProcess(BINARY, LAUNCH, free_port_pair(), cwd=REPO)
    link = NodeLink(node.inputs, node.outputs)
    bridge = Bridge(link, 112, check=node.check)
    yield bridge
    bridge.close()
    link.close()
    node.stop()


def test_stamps_are_sim_time_unique_per_seed_and_step():
    assert frame_stamp(100000, 0) == 100000 * 10**10
    assert frame_stamp(100000, 3) - frame_stamp(100000, 2) == 12_500_000
    assert frame_stamp(100001, 0) > frame_stamp(100000, 799)


def test_lock_step_executes_the_chunk_predict_computes_for_the_frame(bridge, tmp_path):
    episode = bridge.run(tasks.TASKS['reach'], 100000, 'lock-step', execute=4, max_steps=8, keep_frames=True)
    assert (episode.steps, episode.inferences, len(episode.frames)) == (8, 2, 8)
    write_ppm(tmp_path / 'frame.ppm', episode.frames[4])
    completed = subprocess.run([str(BINARY), 'predict', '--model', str(REPO / 'demo/metaworld/model'), '--image',
                                str(tmp_path / 'frame.ppm'), '--instruction', tasks.TASKS['reach'].instruction,
                                '--unnorm-key', 'metaworld', '--seed', str(frame_stamp(100000, 4)), '--threads', '1', '--json'],
                               capture_output=True, text=True, timeout=300, cwd=REPO)
    assert completed.returncode == 0, completed.stderr
    expected = np.asarray(json.loads(completed.stdout)['actions'], dtype=np.float32)
    # The same engine on the same inputs; float32 sums may associate differently between the node's
    # inference thread and the CLI (BLAS partitioning), so allow a few ulps of the action scale.
    np.testing.assert_allclose(np.stack(episode.actions[4:8]), expected[:4], rtol=1e-5, atol=1e-6)


def test_a_lock_step_episode_repeats_exactly(bridge):
    runs = [bridge.run(tasks.TASKS['lever-pull'], 100003, 'lock-step', execute=2, max_steps=6, keep_frames=True)
            for _ in range(2)]
    assert runs[0].inferences == runs[1].inferences == 3
    assert all(np.array_equal(a, b) for a, b in zip(runs[0].actions, runs[1].actions))
    assert all(np.array_equal(a, b) for a, b in zip(runs[0].frames, runs[1].frames))


def test_real_time_applies_the_nodes_chunks():
    # 10 Hz on both sides: a 16-action chunk then lasts 1.6 s, longer than a debug build's inference
    # on a busy machine, so chunks arrive while they still cover the tick.
    node = NodeProcess(BINARY, LAUNCH, free_port_pair(), ['node.control.rate_hz=10'], cwd=REPO)
    link = NodeLink(node.inputs, node.outputs)
    bridge = Bridge(link, 112, check=node.check, period_s=0.1, camera_every=4)
    sent, send_frame = [], link.send_frame
    link.send_frame = lambda frame, stamp: (sent.append(stamp), send_frame(frame, stamp))
    try:
        episode = bridge.run(tasks.TASKS['reach'], 100001, 'real-time', execute=1, max_steps=30, keep_frames=True)
    finally:
        bridge.close()
        link.close()
        node.stop()
    assert episode.steps == 30 and episode.inferences >= 2
    assert episode.wall_s >= 30 * 0.1 * 0.95 and episode.step_ms >= 95  # the sim kept its period
    assert len(sent) == 1 + 8 and sent == sorted(sent)  # the handshake frame, then steps 0, 4, …, 28
    # Every step after the first is either a chunk boundary or a step within a chunk, and each jump is
    # the max |Δxyz| between the actions applied at consecutive steps.
    assert len(episode.boundary_jumps) == episode.inferences - 1
    assert len(episode.step_jumps) == episode.steps - episode.inferences
    applied = np.stack(episode.actions)
    expected = np.max(np.abs(np.diff(applied[:, :3], axis=0)), axis=1)
    np.testing.assert_allclose(sorted(episode.boundary_jumps + episode.step_jumps), sorted(expected), rtol=1e-6)
    moving = [a for a in episode.actions if np.any(a[:3] != 0)]
    assert moving and np.all(np.abs(np.stack(moving)[:, 3:6]) < 1e-6)  # the policy's actions, rotation ~0
