"""The diffusion loss and the action normalisation."""
import numpy as np
import pytest
import torch

from dit import DiT
from loss import DiffusionLoss
from normalization import action_statistics, normalize, unnormalize

ACTION = {"hidden": 32, "depth": 2, "heads": 2, "action_dim": 7, "horizon": 16}
CONDITION = 24


def batch(seed=0, size=4):
    generator = torch.Generator().manual_seed(seed)
    actions = torch.rand((size, ACTION["horizon"], ACTION["action_dim"]), generator=generator) * 2 - 1
    return actions, torch.randn((size, CONDITION), generator=generator)


def test_loss_is_finite_and_positive():
    torch.manual_seed(0)
    actions, cognition = batch()
    value = DiffusionLoss(100)(DiT(ACTION, CONDITION), actions, cognition, torch.Generator().manual_seed(1))
    assert value.ndim == 0 and torch.isfinite(value) and value > 0


def test_overfits_one_batch():
    """50 Adam steps on one repeated batch (same timesteps, noise and drop mask) must at least halve the loss."""
    torch.manual_seed(0)
    dit, loss = DiT(ACTION, CONDITION), DiffusionLoss(100)
    actions, cognition = batch(size=8)
    optimizer = torch.optim.Adam(dit.parameters(), lr=3e-3)
    values = []
    for _ in range(50):
        value = loss(dit, actions, cognition, torch.Generator().manual_seed(5))
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
        values.append(value.item())
    print(f"loss {values[0]:.4f} → {values[-1]:.4f} over 50 steps")
    assert all(np.isfinite(values)) and values[-1] < 0.5 * values[0]


def test_condition_dropout_uses_the_null_embedding():
    """Every row dropped: the cognition is ignored; none dropped: it matters."""
    torch.manual_seed(0)
    dit = DiT(ACTION, CONDITION)
    torch.nn.init.normal_(dit.z_embedder.uncondition)
    actions, cognition = batch()
    def value(dropout, condition):
        return DiffusionLoss(100, dropout)(dit, actions, condition, torch.Generator().manual_seed(2)).item()
    other = torch.randn_like(cognition)
    assert value(1.0, cognition) == value(1.0, other)
    assert value(0.0, cognition) != value(0.0, other)
    null = dit.z_embedder(cognition, torch.ones(len(cognition), dtype=torch.bool))
    torch.testing.assert_close(null, dit.z_embedder.linear(dit.z_embedder.uncondition).expand_as(null))


@pytest.fixture
def statistics():
    rng = np.random.default_rng(0)
    actions = rng.normal(0, [0.01, 0.02, 0.03, 0.1, 0.2, 0.3, 1], size=(2000, 7))
    actions[:, 6] = rng.integers(0, 2, size=2000)
    return actions, action_statistics(actions, [True] * 6 + [False])


def test_statistics(statistics):
    actions, stats = statistics
    assert stats["mask"] == [True] * 6 + [False]
    np.testing.assert_allclose(stats["q01"], np.quantile(actions, 0.01, axis=0))
    assert all(low < high for low, high in zip(stats["q01"][:6], stats["q99"][:6]))


def test_normalisation_round_trips(statistics):
    actions, stats = statistics
    inside = np.all((actions[:, :6] >= stats["q01"][:6]) & (actions[:, :6] <= stats["q99"][:6]), axis=1)
    normalized = normalize(actions, stats)
    assert normalized.min() >= -1 and normalized.max() <= 1
    np.testing.assert_array_equal(normalized[:, 6], actions[:, 6])
    _, restored = unnormalize(normalized, stats)
    np.testing.assert_allclose(restored[inside], actions[inside], rtol=0, atol=1e-6)
    np.testing.assert_array_equal(restored[:, 6], actions[:, 6])
    outside = ~inside
    assert outside.any() and np.all(np.abs(normalized[outside, :6]).max(axis=1) == 1)


def test_constant_dimension_and_missing_mask():
    stats = {"q01": [0.0, 2.0], "q99": [1.0, 2.0]}
    normalized = normalize(np.array([[0.25, 2.0], [1.0, 2.0]]), stats)
    np.testing.assert_allclose(normalized, [[-0.5, 0.0], [1.0, 0.0]], atol=1e-6)
