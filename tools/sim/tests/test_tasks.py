"""Task list, seeding and the train/eval seed rule."""
import numpy as np
import pytest

import tasks


def test_at_least_five_tasks_with_distinct_lower_case_instructions():
    assert len(tasks.TASKS) >= 5
    instructions = [task.instruction for task in tasks.TASKS.values()]
    assert all(text and text == text.lower().strip() for text in instructions)
    assert len(set(instructions)) == len(instructions)


def test_train_eval_and_validation_seeds_are_disjoint():
    splits = [set(tasks.TRAIN_SEEDS), set(tasks.EVAL_SEEDS), set(tasks.VALIDATION_SEEDS)]
    assert not splits[0] & splits[1] and not splits[0] & splits[2] and not splits[1] & splits[2]
    assert list(tasks.seeds('validation', 2)) == [200_000, 200_001]
    assert list(tasks.seeds('eval', 3)) == [100_000, 100_001, 100_002]
    assert list(tasks.seeds('train', 2, 5)) == [5, 6]


@pytest.mark.parametrize('split, count, offset', [('train', 10, 9_995), ('eval', 1, -1), ('train', 1, 10_000)])
def test_seeds_outside_a_split_are_refused(split, count, offset):
    with pytest.raises(ValueError):
        tasks.seeds(split, count, offset)


def test_a_seed_fixes_the_layout():
    env = tasks.make_env(tasks.TASKS['push'])
    first = tasks.reset(env, 3)
    other = tasks.reset(env, 4)
    again = tasks.reset(env, 3)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
