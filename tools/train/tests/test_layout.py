"""state_dict() names and shapes are exactly the tensors the engine reads (tools/convert's table),
and export.py's directory loads back into the same weights."""
import json
import subprocess
import sys

import pytest
import torch
from safetensors.numpy import load_file, save_file

from conftest import SMALL_CONFIG, TINY, TRAIN
from cogact_layout import expected_shapes, is_unused
from cogact_model import CogACT
from export import build_model
from load import load_model

TINY_CONFIG = json.loads((TINY / "model" / "config.json").read_text())


@pytest.mark.parametrize("config", [TINY_CONFIG, SMALL_CONFIG], ids=["tiny", "small"])
def test_state_dict_is_the_engine_layout(config):
    found = {name: tuple(t.shape) for name, t in CogACT(config).state_dict().items()}
    expected = {name: shape for name, shape in expected_shapes(config).items() if not is_unused(name, config)}
    # expected_shapes leaves the projector to a separate check (its inner width is 4 × fused).
    fused, hidden = config["vision"]["dino"]["width"] + config["vision"]["siglip"]["width"], config["llm"]["hidden"]
    for index, (out, inner) in enumerate([(4 * fused, fused), (hidden, 4 * fused), (hidden, hidden)]):
        expected[f"projector.projector.{2 * index}.weight"] = (out, inner)
        expected[f"projector.projector.{2 * index}.bias"] = (out,)
    assert found == expected


def test_export_cli_round_trips(tmp_path):
    """--seed and --weights both write a directory whose weights load back unchanged."""
    model = build_model(TINY_CONFIG, seed=4)
    with torch.no_grad():
        model.action_model.net.final_layer.linear.bias.fill_(0.5)
    torch.save(model.state_dict(), tmp_path / "state.pt")
    arguments = [sys.executable, str(TRAIN / "export.py"), "--config", str(TINY / "model" / "config.json"),
                 "--statistics", str(TINY / "model" / "dataset_statistics.json"),
                 "--tokenizer", str(TINY / "model" / "tokenizer.model")]
    for source, out, reference in ((["--seed", "4"], "seeded", build_model(TINY_CONFIG, seed=4)),
                                   (["--weights", str(tmp_path / "state.pt")], "trained", model)):
        subprocess.run(arguments + source + ["--out", str(tmp_path / out)], check=True, capture_output=True)
        loaded, statistics = load_model(tmp_path / out)
        assert statistics == json.loads((TINY / "model" / "dataset_statistics.json").read_text())
        assert loaded.config == TINY_CONFIG
        for name, tensor in reference.state_dict().items():
            torch.testing.assert_close(loaded.state_dict()[name], tensor, rtol=0, atol=0, msg=name)


def test_export_refuses_a_tokenizer_that_disagrees(tmp_path):
    config = dict(TINY_CONFIG, cognition_suffix_ids=[29871, 1])
    (tmp_path / "config.json").write_text(json.dumps(config))
    completed = subprocess.run(
        [sys.executable, str(TRAIN / "export.py"), "--config", str(tmp_path / "config.json"),
         "--statistics", str(TINY / "model" / "dataset_statistics.json"),
         "--tokenizer", str(TINY / "model" / "tokenizer.model"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True)
    assert completed.returncode != 0 and "cognition_suffix_ids" in completed.stderr


def test_load_follows_the_shard_index(tmp_path):
    """A sharded directory (Hugging Face index) loads to the same weights as the single file."""
    tensors = load_file(str(TINY / "model" / "model.safetensors"))
    names = sorted(tensors)
    shards = {"model-00001-of-00002.safetensors": names[::2], "model-00002-of-00002.safetensors": names[1::2]}
    for file, members in shards.items():
        save_file({name: tensors[name] for name in members}, str(tmp_path / file))
    weight_map = {name: file for file, members in shards.items() for name in members}
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}))
    for name in ("config.json", "dataset_statistics.json"):
        (tmp_path / name).write_text((TINY / "model" / name).read_text())
    sharded, single = load_model(tmp_path)[0].state_dict(), load_model(TINY / "model")[0].state_dict()
    assert sharded.keys() == single.keys()
    for name in single:
        torch.testing.assert_close(sharded[name], single[name], rtol=0, atol=0, msg=name)


@pytest.mark.parametrize("change", ["missing", "unknown", "shape"])
def test_load_refuses_a_wrong_checkpoint(tmp_path, change):
    tensors = load_file(str(TINY / "model" / "model.safetensors"))
    name = "action_model.net.final_layer.linear.bias"
    if change == "missing":
        del tensors[name]
    elif change == "unknown":
        tensors["action_model.net.extra"] = tensors[name]
    else:
        tensors[name] = tensors[name][:3].copy()
    save_file(tensors, str(tmp_path / "model.safetensors"))
    for file in ("config.json", "dataset_statistics.json"):
        (tmp_path / file).write_text((TINY / "model" / file).read_text())
    with pytest.raises((KeyError, ValueError), match="extra" if change == "unknown" else "final_layer"):
        load_model(tmp_path)
