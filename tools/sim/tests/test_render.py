"""Headless rendering: frames of every task, and that the flip makes them upright."""
import numpy as np
import pytest

import tasks
from make_demos import record_episode
from render import Renderer

SIZE = 64


@pytest.mark.parametrize('name', list(tasks.TASKS))
def test_a_short_expert_episode_renders_changing_frames(name):
    task = tasks.TASKS[name]
    env = tasks.make_env(task)
    renderer = Renderer(env, SIZE)
    _, frames, actions, observations = record_episode(env, renderer, tasks.make_expert(task), seed=0, max_steps=8)
    renderer.close()
    assert len(frames) == len(actions) == len(observations) == 8
    for frame in frames:
        assert frame.shape == (SIZE, SIZE, 3) and frame.dtype == np.uint8
        assert frame.std() > 10  # a scene, not a blank image
    assert not np.array_equal(frames[0], frames[-1])  # the arm moved


def test_a_raised_goal_appears_higher_in_the_frame():
    env = tasks.make_env(tasks.TASKS['reach'])
    tasks.reset(env, 0)
    renderer = Renderer(env, 128)
    before = renderer.render().astype(int)
    raw_before = renderer.render_raw().astype(int)
    env.data.site('goal').xpos[2] += 0.15  # the red goal ball, 15 cm up
    after = renderer.render().astype(int)
    raw_after = renderer.render_raw().astype(int)
    renderer.close()

    def mean_rows(old, new):
        """Mean row of pixels the red ball left and of those it reached (redness R − G falls / rises)."""
        rows = np.arange(old.shape[0])[:, None].repeat(old.shape[1], axis=1)
        change = (new[..., 0] - new[..., 1]) - (old[..., 0] - old[..., 1])
        left, reached = change < -60, change > 60
        assert left.any() and reached.any()
        return rows[left].mean(), rows[reached].mean()

    left, reached = mean_rows(before, after)
    assert reached < left  # image rows grow downwards: upright frames show "up" as up
    raw_left, raw_reached = mean_rows(raw_before, raw_after)
    assert raw_reached > raw_left  # and MuJoCo's own image is upside down
