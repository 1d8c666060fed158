"""The torch modules against the independent cogact-tiny references (timm ViTs, transformers
LLaMA, CogACT's DiT and DDIM sampler; Tests/Fixtures/README.md), stage by stage.

Tolerance 1e-5 relative L2: both sides compute in float32, so each rounding contributes about
2⁻²⁴ ≈ 6e-8 relative error; over the tiny model's at most ~12 chained matmul/norm stages with
inner dimensions ≤ 4·fused width (544), and the DDIM's ×7 coefficient at t = 90, summation-order
differences between BLAS back ends stay near 1e-6. 1e-5 leaves that margin while still failing
on any real mistake (a wrong GELU, eps, RoPE layout, LayerScale or CFG formula moves a stage
by 1e-3 or more).
"""
import numpy as np
import pytest
import torch
from safetensors.numpy import load_file

from conftest import TINY, relative_l2
from load import load_model
from normalization import unnormalize
from policy import pixel_values, predict

TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def reference():
    return load_file(str(TINY / "reference.safetensors"))


@pytest.fixture(scope="module")
def tiny():
    return load_model(TINY / "model")


@pytest.fixture(scope="module")
def prediction(tiny, reference):
    model, statistics = tiny
    return predict(model, reference["resized_u8"], reference["input_ids"].tolist(), reference["noise"],
                   statistics["fixture_robot"]["action"])


@pytest.mark.parametrize("tower", ["dino", "siglip"])
def test_pixel_values(tiny, reference, tower):
    config = tiny[0].config["vision"][tower]
    found = pixel_values(reference["resized_u8"], config["mean"], config["std"])[0]
    assert relative_l2(found, reference[f"pixel_values_{tower}"]) <= TOLERANCE


@pytest.mark.parametrize("tower", ["dino", "siglip"])
def test_vision_features(tiny, reference, tower):
    model = tiny[0]
    featurizer = getattr(model.vision_backbone, f"{tower}_featurizer")
    with torch.no_grad():
        found = featurizer(torch.from_numpy(reference[f"pixel_values_{tower}"])[None])[0]
    error = relative_l2(found, reference[f"{tower}_features"])
    print(f"{tower}_features relative L2 {error:.2e}")
    assert error <= TOLERANCE


def test_projected(prediction, reference):
    error = relative_l2(prediction.projected, reference["projected"])
    print(f"projected relative L2 {error:.2e}")
    assert error <= TOLERANCE


def test_llm_layer_states(prediction, reference):
    expected = reference["llm_layer_states"]
    assert len(prediction.llm_states) == len(expected) + 1
    for index, state in enumerate(expected):
        error = relative_l2(prediction.llm_states[index], state)
        print(f"llm_layer_states[{index}] relative L2 {error:.2e}")
        assert error <= TOLERANCE, f"layer state {index}"


def test_llm_final_norm_and_cognition(prediction, reference):
    assert relative_l2(prediction.llm_states[-1], reference["llm_final_norm"]) <= TOLERANCE
    error = relative_l2(prediction.cognition, reference["llm_final_norm"][-1])
    print(f"cognition relative L2 {error:.2e}")
    assert error <= TOLERANCE


def test_ddim(prediction, reference):
    assert prediction.timesteps == reference["ddim_timesteps"].tolist()
    for step in range(len(prediction.timesteps)):
        eps_error = relative_l2(prediction.eps[step], reference["ddim_eps"][step])
        x_error = relative_l2(prediction.samples[step], reference["ddim_x"][step])
        print(f"DDIM step {step} (t={prediction.timesteps[step]}): eps {eps_error:.2e}, x {x_error:.2e}")
        assert eps_error <= TOLERANCE and x_error <= TOLERANCE, f"step {step}"


def test_postprocessing(tiny, reference):
    """Clip, gripper threshold and un-normalisation of the reference's own final sample."""
    normalized, actions = unnormalize(reference["ddim_x"][-1], tiny[1]["fixture_robot"]["action"])
    np.testing.assert_array_equal(normalized, reference["normalized_actions"])
    np.testing.assert_allclose(actions, reference["actions"], rtol=0, atol=1e-6)


def test_actions(prediction, reference):
    """End to end: the unclipped entries carry the sample's float32 rounding (values up to ~20)."""
    np.testing.assert_array_equal(prediction.normalized_actions[:, -1], reference["normalized_actions"][:, -1])
    np.testing.assert_allclose(prediction.normalized_actions, reference["normalized_actions"], rtol=0, atol=1e-5)
    np.testing.assert_allclose(prediction.actions, reference["actions"], rtol=0, atol=1e-5)
