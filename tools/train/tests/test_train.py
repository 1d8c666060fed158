"""train.py on the demo bags with SMALL_CONFIG: padded cognition, a learning loss, bitwise resume,
the curve, and the exported model directory (load.py and `vla-node predict`)."""
import csv
import json
import math
import subprocess

import numpy as np
import pytest
import torch

from conftest import BINARY, DEMO_BAGS, REPO, SMALL_CONFIG, write_ppm
from episodes import UNNORM_KEY, collate, read_bags
from export import build_model
from load import load_model
from loss import DiffusionLoss
from train import Run, batch_loss, main, parse

STEPS = 4


def arguments(out, config_path, *extra):
    return ["--bags", str(DEMO_BAGS), "--config", str(config_path), "--out", str(out), "--steps", str(STEPS),
            "--batch", "2", "--lr", "1e-3", "--warmup", "2", "--seed", "5", "--diffusion-repeats", "2", "--shift", "3",
            "--state-weight", "0.5", "--clip-grad", "1.0", *extra]


@pytest.fixture(scope="module")
def config_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("config") / "config.json"
    path.write_text(json.dumps(SMALL_CONFIG))
    return path


@pytest.fixture(scope="module")
def whole(tmp_path_factory, config_path):
    """A 4-step run in one go."""
    out = tmp_path_factory.mktemp("whole")
    main(arguments(out, config_path, "--checkpoint-every", "100"))
    return out


def test_padded_rows_give_the_unpadded_cognition():
    model = build_model(SMALL_CONFIG, seed=1).eval()
    projected = torch.randn(2, 5, SMALL_CONFIG["llm"]["hidden"])
    short, long = torch.tensor([1, 7, 9]), torch.tensor([1, 4, 8, 3, 6])
    padded = torch.stack([torch.cat([short, torch.zeros(2, dtype=torch.long)]), long])
    with torch.no_grad():
        found = model.cognition(projected, padded, torch.tensor([3, 5]))
        alone = model.cognition(projected[:1], short[None])
    assert torch.allclose(found[0], alone[0], atol=1e-6)
    assert torch.allclose(found[1], model.cognition(projected[1:], long[None])[0], atol=1e-6)


def test_loss_is_finite_and_falls_on_a_repeated_batch(tmp_path, config_path):
    run = Run(parse(arguments(tmp_path, config_path)))
    batch = collate([run.dataset[i] for i in (0, 20, 60, 120)])
    optimizer = torch.optim.Adam(run.model.parameters(), lr=3e-3)
    loss = DiffusionLoss(SMALL_CONFIG["action"]["diffusion_steps"], condition_dropout=0.0)
    values = []
    for _ in range(15):
        value, _ = batch_loss(run.model, loss, batch, torch.Generator().manual_seed(0))  # same t and ε every step
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
        values.append(value.item())
    assert all(math.isfinite(v) for v in values)
    assert values[-1] < 0.5 * values[0], values


def test_resume_gives_the_weights_of_one_run(tmp_path, whole, config_path):
    main(arguments(tmp_path, config_path, "--steps", str(STEPS // 2)))
    assert torch.load(tmp_path / "checkpoint.pt", weights_only=False)["step"] == STEPS // 2
    main(arguments(tmp_path, config_path, "--resume"))
    one = torch.load(whole / "checkpoint.pt", weights_only=False)
    resumed = torch.load(tmp_path / "checkpoint.pt", weights_only=False)
    assert resumed["step"] == one["step"] == STEPS
    for name, value in one["model"].items():
        assert torch.equal(value, resumed["model"][name]), name
    rows = list(csv.DictReader((tmp_path / "curve.csv").read_text().splitlines()))
    reference = list(csv.DictReader((whole / "curve.csv").read_text().splitlines()))
    assert [r["step"] for r in rows] == [str(s) for s in range(1, STEPS + 1)]
    assert [r["loss"] for r in rows] == [r["loss"] for r in reference]


def test_the_auxiliary_state_head_trains_and_stays_out_of_the_export(whole):
    checkpoint = torch.load(whole / "checkpoint.pt", weights_only=False)
    assert checkpoint["state_head"]["linear.weight"].shape == (9, SMALL_CONFIG["llm"]["hidden"])
    rows = list(csv.DictReader((whole / "curve.csv").read_text().splitlines()))
    assert all(float(r["state_loss"]) > 0 for r in rows)
    assert all(float(r["loss"]) == pytest.approx(float(r["action_loss"]) + 0.5 * float(r["state_loss"]), abs=2e-6) for r in rows)
    model, _ = load_model(whole / "model")
    assert set(model.state_dict()) == set(checkpoint["model"])


def test_the_curve_records_every_step(whole):
    rows = list(csv.DictReader((whole / "curve.csv").read_text().splitlines()))
    assert [int(r["step"]) for r in rows] == list(range(1, STEPS + 1))
    assert all(math.isfinite(float(r["loss"])) and float(r["samples_per_s"]) > 0 for r in rows)
    assert float(rows[0]["lr"]) == pytest.approx(5e-4) and float(rows[1]["lr"]) == pytest.approx(1e-3)
    assert float(rows[-1]["wall_s"]) > float(rows[0]["wall_s"])


def test_the_exported_model_loads_with_the_trained_weights(whole):
    model, statistics = load_model(whole / "model")
    trained = torch.load(whole / "checkpoint.pt", weights_only=False)["model"]
    assert all(torch.equal(value, trained[name]) for name, value in model.state_dict().items())
    assert json.loads((whole / "model" / "config.json").read_text())["cognition_suffix_ids"][1] == 2
    assert statistics == json.loads((whole / "dataset_statistics.json").read_text())
    assert statistics[UNNORM_KEY]["action"]["mask"] == [True] * 6 + [False]


def test_vla_node_predicts_with_the_exported_model(whole, tmp_path):
    assert BINARY.exists(), f"{BINARY} is missing: run `swift build` in {REPO} first"
    instruction, frames, _, _ = read_bags(DEMO_BAGS)[0]
    write_ppm(tmp_path / "frame.ppm", frames[0])
    completed = subprocess.run(
        [str(BINARY), "predict", "--model", str(whole / "model"), "--image", str(tmp_path / "frame.ppm"),
         "--instruction", instruction, "--unnorm-key", UNNORM_KEY, "--json"],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    actions = np.asarray(json.loads(completed.stdout)["actions"])
    assert actions.shape == (16, 7) and np.all(np.isfinite(actions))
