"""The torch modules against the Swift engine: a freshly initialised small model (other sizes
than the fixture, grouped kv heads) is exported with export.py, the engine predicts on a
224×224 PPM frame with injected noise, and cognition and the final DDIM sample must agree to
1e-4 relative L2 (two float32 implementations with different summation orders, BLAS
kernels and transcendental functions; the references above agree to ~1e-6).

Needs the debug binary: run `swift build` in the repository first.
"""
import json
import subprocess

import numpy as np
import pytest
import sentencepiece as spm

from conftest import BINARY, REPO, SMALL_CONFIG, relative_l2, write_ppm
from export import build_model, export
from normalization import action_statistics, unnormalize
from policy import predict

TOLERANCE = 1e-4
UNNORM_KEY = "metaworld_test"
INSTRUCTIONS = ["Reach the goal", "Push the puck to the goal", "Pick and place the puck", "Open the drawer",
                "Close the drawer", "Press the button", "Open the door", "Turn on the faucet"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    assert BINARY.exists(), f"{BINARY} is missing: run `swift build` in {REPO} first"
    root = tmp_path_factory.mktemp("engine")
    rng = np.random.default_rng(7)
    actions = rng.normal(0, 0.3, size=(500, 7))
    actions[:, 6] = rng.integers(0, 2, size=500)
    statistics = {UNNORM_KEY: {"action": action_statistics(actions, [True] * 6 + [False])}}
    model = build_model(SMALL_CONFIG, seed=3).eval()
    config = export(model, statistics, root / "model", instructions=INSTRUCTIONS)
    image = rng.integers(0, 256, size=(224, 224, 3), dtype=np.uint8)
    write_ppm(root / "frame.ppm", image)
    noise = rng.standard_normal((16, 7)).astype(np.float32)
    np.save(root / "noise.npy", noise)
    completed = subprocess.run(
        [str(BINARY), "predict", "--model", str(root / "model"), "--image", str(root / "frame.ppm"),
         "--instruction", INSTRUCTIONS[1], "--unnorm-key", UNNORM_KEY, "--noise", str(root / "noise.npy"), "--json"],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    engine = json.loads(completed.stdout)
    torch_side = predict(model, image, engine["input_ids"], noise, statistics[UNNORM_KEY]["action"])
    return root, config, engine, torch_side


def test_input_ids_are_the_prompt_tokens(run):
    root, config, engine, _ = run
    sp = spm.SentencePieceProcessor(model_file=str(root / "model" / "tokenizer.model"))
    prompt = config["prompt"].format(instruction=INSTRUCTIONS[1].lower())
    assert engine["input_ids"] == [sp.bos_id()] + sp.encode(prompt) + config["cognition_suffix_ids"]


def test_cognition(run):
    _, _, engine, torch_side = run
    error = relative_l2(torch_side.cognition, engine["cognition"])
    print(f"engine cognition relative L2 {error:.2e}")
    assert error <= TOLERANCE


def test_final_sample(run):
    _, _, engine, torch_side = run
    error = relative_l2(torch_side.samples[-1], engine["sample"])
    print(f"engine DDIM sample relative L2 {error:.2e}")
    assert error <= TOLERANCE


def test_actions(run):
    _, _, engine, torch_side = run
    normalized, actions = unnormalize(np.asarray(engine["sample"], dtype=np.float32),
                                      json.loads((run[0] / "model" / "dataset_statistics.json").read_text())
                                      [UNNORM_KEY]["action"])
    np.testing.assert_allclose(engine["normalized_actions"], normalized, rtol=0, atol=1e-6)
    np.testing.assert_allclose(engine["actions"], actions, rtol=0, atol=1e-6)
    np.testing.assert_allclose(torch_side.actions, actions, rtol=0, atol=1e-4)
