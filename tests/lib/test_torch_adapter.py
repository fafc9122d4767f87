"""lrlib.torch_adapter.ScheduleLR against PyTorch's own schedulers: the same lr at every step."""

import os
import warnings

import numpy as np
import pytest

import lrlib

if os.environ.get("LRLIB_REQUIRE_TORCH") == "1":
    import torch  # noqa: F401  (CI: a missing torch is a failure, not a skip)
torch = pytest.importorskip("torch", reason="PyTorch is not installed; `pip install torch` to run these")
from lrlib.torch_adapter import ScheduleLR, trace_lrs  # noqa: E402

RTOL = 1e-9


def _optimizer(lr=0.1, groups=1):
    params = [{"params": [torch.zeros(2, requires_grad=True)]} for _ in range(groups)]
    return torch.optim.SGD(params, lr=lr, momentum=0.9)


@pytest.mark.parametrize("t_max, eta_min", [(10, 0.0), (100, 1e-3), (37, 0.05)])
def test_matches_cosine_annealing_lr_within_t_max(t_max, eta_min):
    base = 0.1
    opt_a, opt_b = _optimizer(base), _optimizer(base)
    ours = trace_lrs(opt_a, ScheduleLR(opt_a, lrlib.cosine_decay(base, t_max, eta_min)), t_max + 1)
    theirs = trace_lrs(opt_b, torch.optim.lr_scheduler.CosineAnnealingLR(opt_b, T_max=t_max, eta_min=eta_min),
                       t_max + 1)
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize("step_size, gamma", [(1, 0.92), (7, 0.5), (30, 0.1)])
def test_matches_step_lr(step_size, gamma):
    opt_a, opt_b = _optimizer(), _optimizer()
    ours = trace_lrs(opt_a, ScheduleLR(opt_a, lrlib.step_decay(0.1, step_size, gamma)), 100)
    theirs = trace_lrs(opt_b, torch.optim.lr_scheduler.StepLR(opt_b, step_size=step_size, gamma=gamma), 100)
    np.testing.assert_allclose(ours, theirs, rtol=RTOL)


def test_epoch_step_unit_holds_the_lr_within_an_epoch():
    ipe = 5
    opt_a, opt_b = _optimizer(), _optimizer()
    ours = trace_lrs(opt_a, ScheduleLR(opt_a, lrlib.step_decay(0.1, 3, 0.5), iters_per_epoch=ipe,
                                       step_unit="epoch"), 12 * ipe)
    per_epoch = trace_lrs(opt_b, torch.optim.lr_scheduler.StepLR(opt_b, step_size=3, gamma=0.5), 12)
    np.testing.assert_allclose(ours, np.repeat(per_epoch, ipe), rtol=RTOL)


def test_fractional_epoch_step_unit_moves_every_iteration():
    ipe, sched = 4, lrlib.compat.get_lr_scheduler("cos", 0.01, 1e-4, 20)
    opt = _optimizer()
    ours = trace_lrs(opt, ScheduleLR(opt, sched, iters_per_epoch=ipe), 20 * ipe)
    np.testing.assert_allclose(ours, sched(lrlib.fractional_epochs(20, ipe)), rtol=RTOL)


def test_wrong_step_order_skips_the_first_value_and_torch_warns():
    opt = _optimizer()
    sched = ScheduleLR(opt, lrlib.step_decay(1.0, 1, 0.5))
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        used = trace_lrs(opt, sched, 4, wrong_order=True)
    assert used == [0.5, 0.25, 0.125, 0.0625]  # 1.0 was never used


def test_resume_from_a_checkpoint_continues_the_same_curve():
    make = lambda: lrlib.warmup_cosine(0.1, total_steps=60, warmup_steps=10)  # noqa: E731
    opt = _optimizer()
    full = trace_lrs(opt, ScheduleLR(opt, make()), 60)
    opt1 = _optimizer()
    s1 = ScheduleLR(opt1, make())
    first = trace_lrs(opt1, s1, 25)
    state = s1.state_dict()
    opt2 = _optimizer(lr=123.0)  # a new process: whatever lr the optimizer was built with
    s2 = ScheduleLR(opt2, make())
    s2.load_state_dict(state)
    rest = trace_lrs(opt2, s2, 35)
    np.testing.assert_allclose(first + rest, full, rtol=RTOL)


def test_per_group_lr_scale():
    opt = _optimizer(groups=2)
    opt.param_groups[1]["lr_scale"] = 0.1
    sched = ScheduleLR(opt, lrlib.constant(0.2))
    opt.step()
    sched.step()
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([0.2, 0.02])


def test_bad_arguments():
    opt = _optimizer()
    with pytest.raises(ValueError, match="step_unit"):
        ScheduleLR(opt, lrlib.constant(0.1), step_unit="batch")
    with pytest.raises(ValueError, match="schedule"):
        ScheduleLR(opt, lambda t: 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ScheduleLR(_optimizer(), lrlib.constant(0.1))  # building it warns about nothing


def test_iteration_step_unit_calls_the_schedule_with_the_iteration_index():
    ipe, sched = 4, lrlib.compat.yolox_warm_cos(0.01, iters_per_epoch=4, total_epochs=20, warmup_epochs=2,
                                                 no_aug_epochs=3)  # lengths in iterations
    opt = _optimizer()
    ours = trace_lrs(opt, ScheduleLR(opt, sched, iters_per_epoch=ipe, step_unit="iteration"), 20 * ipe)
    np.testing.assert_allclose(ours, sched(np.arange(20 * ipe)), rtol=RTOL)
