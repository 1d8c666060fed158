"""The synthetic CogACT-Base directory has the release's names, shapes, dtypes and sharding."""

import numpy as np
import pytest

import make_synthetic_base as synthetic
import safetensors_out as out

# LLaMA-2-7B has 6,738,415,616 parameters with its 32,000-token vocabulary (Meta's model card);
# CogACT's vocabulary of 32,064 adds 64 rows to the embedding and to the LM head, which inference
# does not read (so it is not written).
LLAMA2_7B = 6_738_415_616
VOCAB_GROWTH = 64 * 4096
LM_HEAD = 32_064 * 4096


@pytest.fixture(scope="module")
def plan():
    return synthetic.planned_tensors(synthetic.base_config(32))


def test_llama_part_has_llama2_7b_size_without_lm_head(plan):
    llm = sum(int(np.prod(t.shape)) for t in plan if t.name.startswith("llm_backbone."))
    assert llm == LLAMA2_7B + 2 * VOCAB_GROWTH - LM_HEAD


def test_dtypes_and_sharding_follow_the_converter(plan):
    assert {t.dtype for t in plan if t.name.startswith("action_model.")} == {"F32"}
    assert {t.dtype for t in plan if not t.name.startswith("action_model.")} == {"BF16"}
    assert not any(name in {t.name for t in plan} for name in ("llm_backbone.llm.lm_head.weight",
                                                                "vision_backbone.dino_featurizer.blocks.23.attn.qkv.weight"))
    shards = out.plan_shards(plan, out.parse_size("4GB"))
    assert all(sum(t.nbytes for t in shard) <= 4e9 for shard in shards)
    assert 14.5e9 < sum(t.nbytes for t in plan) < 15.5e9
    assert out.shard_file_names(len(shards))[0] == f"model-00001-of-{len(shards):05d}.safetensors"


def test_values_are_finite_scaled_and_in_the_planned_dtype():
    source = synthetic.ValueSource(seed=0)
    weight = source.values(out.PlannedTensor("llm_backbone.llm.model.layers.0.mlp.down_proj.weight", "BF16", (8, 400)))
    assert weight.dtype == np.uint16 and weight.shape == (8, 400)
    widened = (weight.astype(np.uint32) << 16).view(np.float32)
    assert np.all(np.isfinite(widened)) and 0 < np.abs(widened).max() <= 1 / np.sqrt(400) * 1.01
    norm = source.values(out.PlannedTensor("llm_backbone.llm.model.norm.weight", "BF16", (16,)))
    assert np.all(norm == 0x3F80)  # 1.0 in BF16
    bias = source.values(out.PlannedTensor("action_model.net.x_embedder.linear.bias", "F32", (32,)))
    assert bias.dtype == np.float32 and np.abs(bias).max() <= 0.01
    other = source.values(out.PlannedTensor("llm_backbone.llm.model.layers.1.mlp.down_proj.weight", "BF16", (8, 400)))
    assert not np.array_equal(weight, other)


def test_rejects_no_layers(capsys):
    with pytest.raises(SystemExit):
        synthetic.parse_arguments(["--out", "x", "--statistics", "s", "--tokenizer", "t", "--llm-layers", "0"])
    assert "--llm-layers" in capsys.readouterr().err
