"""Runs one episode of a MetaWorld env under a policy that speaks CogACT's 7-D actions."""
from actions import to_metaworld
from tasks import reset


def rollout(env, seed, act, max_steps):
    """Resets `env` to `seed`, then steps `to_metaworld(act(observation, step))` until the task
    succeeds or min(`max_steps`, the env's episode limit) steps ran. Returns whether it succeeded."""
    observation = reset(env, seed)
    for step in range(min(max_steps, env.max_path_length)):
        observation, _, _, _, info = env.step(to_metaworld(act(observation, step)))
        if info['success']:
            return True
    return False
