"""Config inference from shapes alone, against docs/checkpoint-format.md and the released CogACT-Base shapes."""

import json

import pytest

import cogact_layout
from cogact_layout import LayoutError, infer_config

# config.json of CogACT-Base as docs/checkpoint-format.md prints it.
BASE_CONFIG = json.loads("""{
  "architecture": "cogact",
  "vision": {
    "image_size": 224, "patch_size": 14,
    "dino":   {"width": 1024, "depth": 24, "heads": 16, "mlp_dim": 4096, "register_tokens": 4,
               "feature_layer": 22, "mean": [0.485,0.456,0.406], "std": [0.229,0.224,0.225], "layer_norm_eps": 1e-6},
    "siglip": {"width": 1152, "depth": 27, "heads": 16, "mlp_dim": 4304,
               "feature_layer": 25, "mean": [0.5,0.5,0.5], "std": [0.5,0.5,0.5], "layer_norm_eps": 1e-6}
  },
  "llm": {"hidden": 4096, "layers": 32, "heads": 32, "kv_heads": 32, "intermediate": 11008,
          "vocab": 32064, "rms_norm_eps": 1e-5, "rope_theta": 10000.0},
  "action": {"hidden": 768, "depth": 12, "heads": 12, "action_dim": 7, "horizon": 16,
             "diffusion_steps": 100, "noise_schedule": "squaredcos_cap_v2", "ddim_steps": 10, "cfg_scale": 1.5},
  "prompt": "In: What action should the robot take to {instruction}?\\nOut:",
  "cognition_suffix_ids": [29871, 2]
}""")


def released_shapes(dit_width=768, dit_depth=12, kv_rows=4096):
    """Shapes of the tensors config inference looks at, of the released CogACT-Base checkpoint."""
    shapes = {}
    for tower, width, depth, mlp in (("dino", 1024, 24, 4096), ("siglip", 1152, 27, 4304)):
        p = f"vision_backbone.{tower}_featurizer"
        shapes.update({f"{p}.patch_embed.proj.weight": (width, 3, 14, 14), f"{p}.pos_embed": (1, 256, width)})
        for i in range(depth):
            shapes[f"{p}.blocks.{i}.mlp.fc1.weight"] = (mlp, width)
    shapes["vision_backbone.dino_featurizer.reg_token"] = (1, 4, 1024)
    shapes["llm_backbone.llm.model.embed_tokens.weight"] = (32064, 4096)
    for i in range(32):
        shapes[f"llm_backbone.llm.model.layers.{i}.self_attn.k_proj.weight"] = (kv_rows, 4096)
        shapes[f"llm_backbone.llm.model.layers.{i}.mlp.gate_proj.weight"] = (11008, 4096)
    shapes["action_model.net.positional_embedding"] = (17, dit_width)
    shapes["action_model.net.x_embedder.linear.weight"] = (dit_width, 7)
    for i in range(dit_depth):
        shapes[f"action_model.net.blocks.{i}.attn.qkv.weight"] = (3 * dit_width, dit_width)
    return shapes


def test_base_shapes_give_the_documented_base_config():
    assert infer_config(released_shapes()) == BASE_CONFIG


@pytest.mark.parametrize("width, depth, heads, size", [(384, 6, 6, "S"), (768, 12, 12, "B"), (1024, 24, 16, "L")])
def test_dit_size_follows_the_positional_embedding_width(width, depth, heads, size):
    config = infer_config(released_shapes(width, depth))
    assert (config["action"]["hidden"], config["action"]["depth"], config["action"]["heads"]) == (width, depth, heads)
    assert cogact_layout.dit_size(config) == size


def test_grouped_query_attention_heads_come_from_k_proj():
    assert infer_config(released_shapes(kv_rows=1024))["llm"]["kv_heads"] == 8


def test_overrides_replace_values_and_reject_unknown_keys():
    config = infer_config(released_shapes(), {"action.ddim_steps": 5, "llm.heads": 64})
    assert config["action"]["ddim_steps"] == 5 and config["llm"]["heads"] == 64 and config["llm"]["kv_heads"] == 64
    with pytest.raises(LayoutError, match="no section 'vison'"):
        infer_config(released_shapes(), {"vison.dino.heads": 4})


def test_gaps_in_block_numbering_and_missing_tensors_are_errors():
    shapes = released_shapes()
    del shapes["llm_backbone.llm.model.layers.7.self_attn.k_proj.weight"], shapes["llm_backbone.llm.model.layers.7.mlp.gate_proj.weight"]
    with pytest.raises(LayoutError, match="block indices .* are not 0..30"):
        infer_config(shapes)
    shapes = released_shapes()
    del shapes["action_model.net.positional_embedding"]
    with pytest.raises(LayoutError, match="missing tensor action_model.net.positional_embedding"):
        infer_config(shapes)


def test_unused_tensors_are_recognised():
    config = BASE_CONFIG
    unused = ["llm_backbone.llm.lm_head.weight", "vision_backbone.siglip_featurizer.attn_pool.latent",
              "vision_backbone.dino_featurizer.norm.weight", "vision_backbone.siglip_featurizer.norm.bias",
              "action_model.net.history_embedder.linear.weight", "vision_backbone.dino_featurizer.blocks.23.ls1.gamma",
              "vision_backbone.siglip_featurizer.blocks.26.attn.qkv.weight", "ema_diffusion.net.blocks.0.attn.qkv.weight"]
    used = ["vision_backbone.dino_featurizer.blocks.22.norm1.weight", "vision_backbone.siglip_featurizer.blocks.25.mlp.fc2.bias",
            "llm_backbone.llm.model.norm.weight", "action_model.net.x_embedder.linear.weight", "projector.projector.4.bias"]
    assert all(cogact_layout.is_unused(name, config) for name in unused)
    assert not any(cogact_layout.is_unused(name, config) for name in used)


def test_non_integer_head_counts_and_empty_patches_are_layout_errors():
    with pytest.raises(LayoutError, match="must be a whole number"):
        infer_config(released_shapes(), {"llm.heads": "four"})
    shapes = released_shapes()
    shapes["vision_backbone.dino_featurizer.patch_embed.proj.weight"] = (1024, 3, 0, 0)
    with pytest.raises(LayoutError, match="expected square patches"):
        infer_config(shapes)
