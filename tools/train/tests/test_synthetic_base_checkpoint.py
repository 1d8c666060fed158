"""tools/convert/make_synthetic_base_checkpoint.py writes a checkpoint the converter accepts as a release."""
import json

import torch

import convert_cogact
import make_synthetic_base_checkpoint as synthetic_checkpoint
import safetensors_out
from conftest import TINY

HEADS = ["--set", "vision.dino.heads=4", "--set", "vision.siglip.heads=4", "--set", "llm.heads=4", "--set", "action.heads=4"]


def test_converter_recovers_the_dimensions_of_the_synthetic_checkpoint(tmp_path):
    model = TINY / "model"
    config = json.loads((model / "config.json").read_text())
    state = synthetic_checkpoint.checkpoint(config, torch.bfloat16, seed=0)
    assert set(state["model"]) == {"vision_backbone", "projector", "llm_backbone", "action_model"}
    assert "llm.lm_head.weight" in state["model"]["llm_backbone"]  # the release's unused tensors are there
    path = tmp_path / "synthetic.pt"
    torch.save(state, path)
    out = tmp_path / "converted"
    assert convert_cogact.main(["--checkpoint", str(path), "--statistics", str(model / "dataset_statistics.json"),
                                "--tokenizer", str(model / "tokenizer.model"), "--out", str(out), *HEADS]) == 0
    converted = json.loads((out / "config.json").read_text())
    for part in ("dino", "siglip"):
        for key in ("width", "depth", "mlp_dim", "feature_layer"):
            assert converted["vision"][part][key] == config["vision"][part][key]
    for key in ("hidden", "layers", "intermediate", "vocab", "kv_heads"):
        assert converted["llm"][key] == config["llm"][key]
    header = safetensors_out.read_header(str(out / "model.safetensors"))
    assert header["llm_backbone.llm.model.layers.0.mlp.down_proj.weight"]["dtype"] == "BF16"
    assert "llm_backbone.llm.lm_head.weight" not in header  # unused by inference, dropped by default
