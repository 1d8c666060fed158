"""End-to-end runs of convert_cogact.py on the torch-made mini checkpoint."""

import filecmp
import json
import os

import numpy as np
import pytest
import safetensors.numpy

import convert_cogact
from conftest import MINI, TINY, convert_arguments, load_model_directory, pickle_checkpoint, rewrite_checkpoint
from test_torch_zip import fixture_value

UNUSED = ("llm_backbone.llm.lm_head.weight", ".attn_pool.", "_featurizer.norm.", "history_embedder", "_featurizer.blocks.3.")


def run(tmp_path, *extra, name="out"):
    out = tmp_path / name
    assert convert_cogact.main(convert_arguments(out, *extra)) == 0
    return out


def tiny_value(name, tiny, expected):
    dtype, value = tiny[name]
    if name == "llm_backbone.llm.model.embed_tokens.weight":
        return dtype, value[expected["embed_rows"][1]]
    return dtype, value


def test_default_conversion_is_the_tiny_model_with_unused_tensors_dropped(tmp_path, tiny, expected):
    out = run(tmp_path)
    converted = load_model_directory(out)
    wanted = {name for name in tiny if not any(marker in name for marker in UNUSED)}
    assert set(converted) == wanted
    for name, (dtype, value) in converted.items():
        assert dtype == "F32", name
        np.testing.assert_array_equal(value, tiny_value(name, tiny, expected)[1], err_msg=name)
    with open(out / "config.json") as stream:
        config = json.load(stream)
    with open(os.path.join(TINY, "config.json")) as stream:
        tiny_config = json.load(stream)
    tiny_config["llm"]["vocab"] = len(expected["embed_rows"][1])
    assert config == tiny_config
    for name in ("dataset_statistics.json", "tokenizer.model"):
        assert filecmp.cmp(out / name, os.path.join(TINY, name), shallow=False)
    assert not (out / "model.safetensors.index.json").exists()


def test_keep_all_writes_every_tensor_as_stored_and_the_action_model_in_f32(tmp_path, tiny, expected):
    converted = load_model_directory(run(tmp_path, "--keep-all"))
    assert len(converted) == len(tiny) + 1
    for name, (dtype, value) in converted.items():
        stored_dtype, stored = fixture_value(name, tiny, expected)
        if name.startswith("action_model."):
            assert dtype == "F32", name
            if stored_dtype == "BF16":  # history_embedder: widened exactly
                stored = (stored.astype(np.uint32) << 16).view(np.float32)
        else:
            assert dtype == stored_dtype, name
        np.testing.assert_array_equal(value, stored, err_msg=name)


@pytest.mark.parametrize("flag, dtype, key", [("bf16", "BF16", "bf16"), ("f16", "F16", "f16")])
def test_vlm_cast_matches_torch_and_leaves_the_action_model_f32(tmp_path, expected, flag, dtype, key):
    converted = load_model_directory(run(tmp_path, "--dtype", flag))
    for name, (found, _) in converted.items():
        assert found == ("F32" if name.startswith("action_model.") else dtype), name
    checked = [k for k in expected if k.startswith(f"{key}.")]
    assert len(checked) == 3
    for k in checked:
        name = k[len(key) + 1:]
        np.testing.assert_array_equal(converted[name][1].view(np.uint16), expected[k][1].view(np.uint16), err_msg=name)


def test_sharded_output_follows_the_hugging_face_convention(tmp_path):
    single = load_model_directory(run(tmp_path, name="single"))
    out = run(tmp_path, "--shard-size", "2MB", name="sharded")
    with open(out / "model.safetensors.index.json") as stream:
        index = json.load(stream)
    files = sorted(set(index["weight_map"].values()))
    assert files == [f"model-{k:05d}-of-{len(files):05d}.safetensors" for k in range(1, len(files) + 1)] and len(files) > 2
    assert not (out / "model.safetensors").exists()
    total = 0
    for name in files:
        assert os.path.getsize(out / name) < 2_000_000 + 100_000  # data under the limit plus a header
        loaded = safetensors.numpy.load_file(str(out / name))  # the reference implementation reads our files
        assert set(loaded) == {k for k, v in index["weight_map"].items() if v == name}
        for key, value in loaded.items():
            np.testing.assert_array_equal(value, single[key][1], err_msg=key)
            total += value.nbytes
    assert index["metadata"]["total_size"] == total
    # A single-file re-run into the same directory removes the shards.
    run(tmp_path, name="sharded")
    assert sorted(os.listdir(out)) == ["config.json", "dataset_statistics.json", "model.safetensors", "tokenizer.model"]


def test_released_head_sizes_are_the_default(tmp_path):
    out = tmp_path / "out"
    arguments = [a for a in convert_arguments(out) if "heads" not in a and a != "--set"]
    assert convert_cogact.main(arguments) == 0
    config = json.load(open(out / "config.json"))
    # Widths 64/72/128/64 at head sizes 64/72/128/64 → one head each.
    assert [config["vision"]["dino"]["heads"], config["vision"]["siglip"]["heads"], config["llm"]["heads"],
            config["action"]["heads"], config["llm"]["kv_heads"]] == [1, 1, 1, 1, 1]


def failure(tmp_path, capsys, checkpoint, *extra):
    arguments = convert_arguments(tmp_path / "out", *extra)
    arguments[arguments.index("--checkpoint") + 1] = str(checkpoint)
    assert convert_cogact.main(arguments) == 1
    return capsys.readouterr().err


def test_non_zip_truncated_and_missing_files_fail_clearly(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert "not a PyTorch zip checkpoint" in failure(tmp_path, capsys, text)
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(open(MINI, "rb").read()[:-200])
    assert "truncated" in failure(tmp_path, capsys, truncated)
    assert "no such file" in failure(tmp_path, capsys, tmp_path / "absent.pt")


def test_missing_model_key_and_missing_module_fail_clearly(tmp_path, capsys):
    no_model = tmp_path / "no_model.pt"
    pickle_checkpoint(no_model, {"state_dict": {}})
    assert "no top-level \"model\" key (found ['state_dict'])" in failure(tmp_path, capsys, no_model)
    partial = tmp_path / "partial.pt"
    pickle_checkpoint(partial, {"model": {"projector": {}, "llm_backbone": {}}})
    assert "lacks module(s) ['vision_backbone', 'action_model']" in failure(tmp_path, capsys, partial)


def test_inconsistent_shapes_name_the_tensor(tmp_path, capsys):
    # A SigLIP qkv weight declared [215, 72] (BININT1 215, BININT1 72, TUPLE2): rows ≠ 3 × width.
    bad = tmp_path / "bad_qkv.pt"
    rewrite_checkpoint(MINI, bad, lambda p: p.replace(b"K\xd8KH\x86", b"K\xd7KH\x86", 1))
    message = failure(tmp_path, capsys, bad)
    assert "attn.qkv.weight has shape [215, 72], expected [216, 72] (qkv stacks q, k and v" in message


def test_unknown_dtype_fails_clearly(tmp_path, capsys):
    bad = tmp_path / "long.pt"
    rewrite_checkpoint(MINI, bad, lambda p: p.replace(b"ctorch\nFloatStorage\n", b"ctorch\nLongStorage\n", 1))
    assert "unknown dtype" in failure(tmp_path, capsys, bad)


def test_bad_options_fail_clearly(tmp_path, capsys):
    assert "cannot read size" in failure(tmp_path, capsys, MINI, "--shard-size", "lots")
    assert "no key 'hedas'" in failure(tmp_path, capsys, MINI, "--set", "llm.hedas=3")
    statistics = tmp_path / "stats.json"
    statistics.write_text("[1, 2]")
    arguments = convert_arguments(tmp_path / "out")
    arguments[arguments.index("--statistics") + 1] = str(statistics)
    assert convert_cogact.main(arguments) == 1
    assert "is not dataset statistics" in capsys.readouterr().err
