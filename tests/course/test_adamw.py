"""The experiments' AdamW against PyTorch's ``torch.optim.AdamW``, step by step, and against updates worked by hand.

Without torch the comparison is skipped, unless ``LRLIB_REQUIRE_TORCH=1`` is set (as in
CI): then a missing torch is a failure. The hand-worked updates and the closed form of
the decay need numpy only.
"""

import math
import os

import numpy as np
import pytest

import lrlib
from lrcourse import experiments as xp
from lrcourse.experiments.optimizers import Adam, AdamW, make_optimizer
from lrcourse.experiments.training import TrainConfig


def _torch():
    if os.environ.get("LRLIB_REQUIRE_TORCH") == "1":
        import torch  # CI: a missing torch is a failure, not a skip

        return torch
    return pytest.importorskip("torch", reason="PyTorch is not installed; `pip install torch` to run this")


def _mlp_params(rng):
    return [rng.standard_normal((5, 4)), rng.standard_normal(4), rng.standard_normal((4, 3)), rng.standard_normal(3)]


@pytest.mark.parametrize("betas, eps, weight_decay", [((0.9, 0.999), 1e-8, 0.01), ((0.8, 0.99), 1e-6, 0.3),
                                                      ((0.0, 0.9), 1e-3, 0.0)])
def test_matches_torch_adamw_step_by_step_under_a_schedule(betas, eps, weight_decay):
    torch = _torch()
    rng = np.random.default_rng(7)
    ours = _mlp_params(rng)
    theirs = [torch.tensor(p.copy(), dtype=torch.float64, requires_grad=True) for p in ours]
    # the course decays the weight matrices, not the biases: in torch, biases go in a group without decay
    opt_t = torch.optim.AdamW([{"params": theirs[0::2], "weight_decay": weight_decay},
                               {"params": theirs[1::2], "weight_decay": 0.0}], lr=1.0, betas=betas, eps=eps)
    opt = AdamW(ours, betas=betas, eps=eps, weight_decay=weight_decay)
    schedule = lrlib.warmup_cosine(0.05, 40, warmup_steps=5)
    for k in range(40):
        grads = [rng.standard_normal(p.shape) * (k % 3 + 0.5) for p in ours]
        lr = float(schedule(k))
        for group in opt_t.param_groups:
            group["lr"] = lr
        for p, g in zip(theirs, grads):
            p.grad = torch.tensor(g, dtype=torch.float64)
        opt_t.step()
        opt.step(ours, [g.copy() for g in grads], lr)
        for mine, ref in zip(ours, theirs):
            np.testing.assert_allclose(mine, ref.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_one_update_worked_by_hand():
    # w = 2, g_w = 0.5; b = 0, g_b = -1; lr = 0.1, lambda = 0.2, default betas and eps.
    # First step: m_hat = g, v_hat = g^2, so m_hat / (sqrt(v_hat) + eps) = g / (|g| + 1e-8).
    # w: 2 * (1 - 0.1 * 0.2) - 0.1 * 0.5 / (0.5 + 1e-8) = 1.96 - 0.1 + 2e-9 = 1.860000002 (approx.)
    # b (no decay): 0 + 0.1 * 1 / (1 + 1e-8) = 0.0999999990
    w = [np.array([[2.0]]), np.array([0.0])]
    AdamW(w, weight_decay=0.2).step(w, [np.array([[0.5]]), np.array([-1.0])], lr=0.1)
    assert w[0][0, 0] == pytest.approx(1.96 - 0.1 * 0.5 / (0.5 + 1e-8), rel=1e-15, abs=0)
    assert w[0][0, 0] == pytest.approx(1.860000002, rel=0, abs=1e-12)
    assert w[1][0] == pytest.approx(0.099999999, rel=0, abs=1e-12)
    # Adam with L2 instead: g_w = 0.5 + 0.2 * 2 = 0.9 goes through the denominator, m_hat / sqrt(v_hat) = 1:
    # w = 2 - 0.1 * 0.9 / (0.9 + 1e-8), so the decay changed nothing on the first step: 1.9 against 1.86.
    a = [np.array([[2.0]]), np.array([0.0])]
    Adam(a, weight_decay=0.2).step(a, [np.array([[0.5]]), np.array([-1.0])], lr=0.1)
    assert a[0][0, 0] == pytest.approx(2 - 0.1 * 0.9 / (0.9 + 1e-8), rel=1e-15, abs=0)
    assert a[0][0, 0] == pytest.approx(1.9, rel=0, abs=2e-9)


def test_without_gradients_the_decay_is_the_product_of_one_minus_lr_times_lambda():
    lam, steps = 0.1, 200
    schedule = lrlib.cosine_decay(0.05, steps)
    w = [np.full((2, 2), 3.0), np.full(2, 3.0)]
    opt = AdamW(w, weight_decay=lam)
    for k in range(steps):
        opt.step(w, [np.zeros((2, 2)), np.zeros(2)], float(schedule(k)))
    expected = 3.0 * math.prod(1 - lam * 0.025 * (1 + math.cos(math.pi * k / steps)) for k in range(steps))
    np.testing.assert_allclose(w[0], expected, rtol=1e-12)
    np.testing.assert_array_equal(w[1], 3.0)  # biases are not decayed
    # exp(-lambda * sum of the lrs) = exp(-0.1 * 0.05 * 100) while lr * lambda is small
    assert expected / 3.0 == pytest.approx(math.exp(-0.5), rel=0.01)


def test_train_config_accepts_adamw_and_without_decay_it_is_adam():
    assert isinstance(make_optimizer([np.zeros((2, 2)), np.zeros(2)], TrainConfig(optimizer="adamw")), AdamW)
    a = xp.train_mlp(lrlib.cosine_decay(3e-3, 2), num_epochs=2, hidden=16, optimizer="adam", seed=3)
    w = xp.train_mlp(lrlib.cosine_decay(3e-3, 2), num_epochs=2, hidden=16, optimizer="adamw", seed=3)
    np.testing.assert_array_equal(a.train_loss, w.train_loss)
    decayed = xp.train_mlp(lrlib.cosine_decay(3e-3, 2), num_epochs=2, hidden=16, optimizer="adamw",
                           weight_decay=1.0, seed=3)
    assert not decayed.diverged and not np.array_equal(decayed.train_loss, w.train_loss)
