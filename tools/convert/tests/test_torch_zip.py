"""The torch-free checkpoint reader against a checkpoint written by torch.save."""


import numpy as np
import pytest

import cogact_layout
from conftest import MINI, rewrite_checkpoint
from dtypes import to_float32
from torch_zip import CheckpointError, CheckpointReader


def fixture_value(name, tiny, expected):
    """What torch stored under `name`: the tiny model's F32 value unless the generator changed it."""
    if f"fixture.{name}" in expected:
        return expected[f"fixture.{name}"]
    if name == "llm_backbone.llm.lm_head.weight":  # tied to embed_tokens
        return expected["fixture.llm_backbone.llm.model.embed_tokens.weight"]
    return tiny[name]


def test_every_tensor_reads_back_exactly_with_its_dtype(tiny, expected):
    with CheckpointReader(MINI) as reader:
        flat = cogact_layout.flatten(reader.root)
        assert len(flat) == len(tiny) + 1  # plus the tied lm_head
        for name, ref in flat.items():
            dtype, want = fixture_value(name, tiny, expected)
            assert ref.dtype == dtype, name
            got = reader.read(ref)
            assert got.flags.c_contiguous and got.shape == want.shape, name
            np.testing.assert_array_equal(got, want, err_msg=name)


def test_strided_views_and_shared_storages_are_honoured(tiny):
    with CheckpointReader(MINI) as reader:
        flat = cogact_layout.flatten(reader.root)
        pos = flat["vision_backbone.dino_featurizer.pos_embed"]
        assert pos.offset == 5 and pos.stride == (256 * 74, 74, 1)
        qkv = flat["vision_backbone.dino_featurizer.blocks.0.attn.qkv.weight"]
        assert qkv.stride == (1, 192)
        weight, bias = (flat[f"vision_backbone.siglip_featurizer.blocks.1.attn.qkv.{k}"] for k in ("weight", "bias"))
        assert weight.storage == bias.storage and bias.offset == 216 * 72
        assert flat["llm_backbone.llm.lm_head.weight"].storage == flat["llm_backbone.llm.model.embed_tokens.weight"].storage


def test_not_a_zip_is_a_clear_error(tmp_path):
    path = tmp_path / "garbage.pt"
    path.write_bytes(b"\x80\x02not a zip at all" * 100)
    with pytest.raises(CheckpointError, match="not a PyTorch zip checkpoint"):
        CheckpointReader(str(path))


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.999])
def test_truncated_checkpoint_is_a_clear_error(tmp_path, fraction):
    data = open(MINI, "rb").read()
    path = tmp_path / "truncated.pt"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(CheckpointError, match="truncated"):
        CheckpointReader(str(path))


def test_foreign_globals_are_refused_without_running_them(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    rewrite_checkpoint(MINI, path, lambda p: p.replace(b"ctorch._utils\n_rebuild_tensor_v2\n", b"cos\nsystem\n", 1))
    with pytest.raises(CheckpointError, match=r"refers to os\.system"):
        CheckpointReader(str(path))
    assert not marker.exists()


def test_integer_storage_is_an_unsupported_dtype(tmp_path):
    path = tmp_path / "long.pt"
    rewrite_checkpoint(MINI, path, lambda p: p.replace(b"ctorch\nFloatStorage\n", b"ctorch\nLongStorage\n", 1))
    with CheckpointReader(str(path)) as reader:
        ref = next(iter(cogact_layout.flatten(reader.root).values()))
        assert ref.dtype == ""
        with pytest.raises(CheckpointError, match="unsupported dtype.*LongStorage"):
            reader.read(ref)


def test_bfloat16_widening_is_exact(expected):
    _, bits = expected["probe.bf16"]
    widened = to_float32(bits, "BF16")
    np.testing.assert_array_equal(widened.view(np.uint32), bits.astype(np.uint32) << 16)


def test_garbled_pickle_is_a_clear_error(tmp_path):
    path = tmp_path / "garbled.pt"
    rewrite_checkpoint(MINI, path, lambda p: p[:40] + bytes(reversed(p[40:200])) + p[200:])
    with pytest.raises(CheckpointError, match="corrupt data.pkl"):
        CheckpointReader(str(path))


def test_zip_without_data_pkl_is_not_a_checkpoint(tmp_path):
    import zipfile
    path = tmp_path / "plain.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(CheckpointError, match="expected one data.pkl, found 0"):
        CheckpointReader(str(path))


def test_recompressed_archive_is_refused_with_advice(tmp_path):
    import zipfile
    path = tmp_path / "deflated.pt"
    rewrite_checkpoint(MINI, path, lambda p: p, compression=zipfile.ZIP_DEFLATED)
    with CheckpointReader(str(path)) as reader:
        ref = next(iter(cogact_layout.flatten(reader.root).values()))
        with pytest.raises(CheckpointError, match="is compressed.*zip -0"):
            reader.read(ref)
