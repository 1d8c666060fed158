"""eval_sim.py end to end on two short episodes through the debug node: the JSON the issue asks
for, the blind baseline on the same seeds, latency from the node's topic, and the rollout GIF."""
import json
from pathlib import Path

from PIL import Image

import tasks
from eval_sim import blind_baseline, main
from wilson import wilson_interval

REPO = Path(__file__).resolve().parents[3]


def test_a_short_evaluation_writes_the_result_and_the_video(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)  # the launch file's model path is relative to the working directory
    out, video = tmp_path / 'out.json', tmp_path / 'rollouts.gif'
    main(['--binary', str(REPO / '.build/debug/vla-node'), '--episodes', '1', '--tasks', 'reach', 'lever-pull',
          '--max-steps', '16', '--jobs', '2', '--json', str(out), '--video', str(video)])
    result = json.loads(out.read_text())
    assert result['episodes'] == 2 and set(result['tasks']) == {'reach', 'lever-pull'}
    assert result['eval_seeds'] == [100000, 100000] and result['split'] == 'eval'
    for name, row in result['tasks'].items():
        assert row['episodes'] == 1 and row['mean_steps'] <= 16
        blind = blind_baseline(name, tasks.seeds('eval', 1), 16)
        assert row['blind']['successes'] == sum(blind) and row['blind']['episodes'] == 5  # 5 demos × 1 seed
        assert row['wilson95'] == [round(v, 4) for v in wilson_interval(row['successes'], 1)]
    assert result['overall_success'] == sum(r['successes'] for r in result['tasks'].values()) / 2
    assert {e['task'] for e in result['per_episode']} == {'reach', 'lever-pull'}
    assert all(e['inferences'] == -(-e['steps'] // 4) for e in result['per_episode'])  # 4 actions per chunk
    assert result['inference_ms']['count'] >= 1 and result['inference_ms']['p50'] > 0
    assert result['gflop_per_inference'] > 0
    with Image.open(video) as gif:
        assert gif.size == (224, 224 + 34)
        durations = []
        for index in range(gif.n_frames):
            gif.seek(index)
            durations.append(gif.info['duration'])
    # per episode: every other step at 50 ms, then the outcome for 1 s
    assert sum(durations) == sum(-(-e['steps'] // 2) * 50 + 1000 for e in result['per_episode'])
