"""Values worked out by hand (or from the recipes' documented figures), not by lrlib."""

import math

import numpy as np
import pytest

import lrlib
from lrlib import compat


def test_cosine_decay_landmarks():
    f = lrlib.cosine_decay(peak_lr=0.1, decay_steps=100, end_lr=0.01)
    assert f(0) == pytest.approx(0.1, rel=1e-15)
    assert f(50) == pytest.approx(0.055, rel=1e-15)  # halfway: the mean of peak and floor
    assert f(100) == pytest.approx(0.01, rel=1e-15)
    # cos(pi/3) = 1/2 -> 0.01 + 0.09 * 0.75
    assert f(100 / 3) == pytest.approx(0.01 + 0.09 * 0.75, rel=1e-12)


def test_cosine_against_linear_at_ninety_percent():
    """Lesson 03's figure: at 0.9 T cosine is at 2.4% of the peak, linear at 10%."""
    cos = lrlib.cosine_decay(1.0, 100)
    lin = lrlib.decay(1.0, 100, shape="linear")
    assert cos(90) == pytest.approx(0.5 * (1 + math.cos(0.9 * math.pi)), rel=1e-14)
    assert round(cos(90), 3) == 0.024 and lin(90) == pytest.approx(0.1)
    assert cos(25) > lin(25) and cos(75) < lin(75)


def test_every_finite_schedule_holds_its_final_value_past_the_end():
    cases = [
        lrlib.cosine_decay(0.1, 100),
        lrlib.decay(0.1, 100, 0.001, "1-sqrt"),
        lrlib.polynomial_decay(0.1, 100, 0.0, 2.0),
        lrlib.linear(0.0, 0.1, 10),
        *[lrlib.warmup(0.001, 0.1, 10, shape) for shape in lrlib.primitives.WARMUP_SHAPES],
        lrlib.warmup_cosine(0.1, 100, 10),
        lrlib.warmup_cosine_tail(0.1, 0.001, 100, 3, 15),
        lrlib.wsd(0.1, 100, 10, 20, decay_shape="1-sqrt"),
        lrlib.one_cycle(0.1, 100),
        lrlib.warm_restarts(0.1, 10, 2.0, max_cycles=3),
        lrlib.multistep_decay(0.1, [10, 20]),
    ]
    for f in cases:
        end = f.tail_start_step
        assert end is not None, f.label()
        later = f(np.array([end, end + 0.5, end + 1, 10 * end + 7, 1e9]))
        assert np.all(later == later[0]), f.label()


def test_pytorch_style_cosine_would_climb_but_lrlib_holds():
    """The closed form PyTorch documents is periodic; lrlib's is clamped at T."""
    t_max, peak = 10, 1.0
    periodic = lambda t: 0.5 * peak * (1 + math.cos(math.pi * t / t_max))  # noqa: E731
    assert periodic(20) == pytest.approx(peak)
    assert lrlib.cosine_decay(peak, t_max)(20) == 0.0


def test_step_and_multistep():
    f = lrlib.step_decay(1.0, step_size=30, gamma=0.1)
    assert [f(t) for t in (0, 29, 29.999)] == [1.0, 1.0, 1.0]
    assert f(30) == pytest.approx(0.1) and f(89) == pytest.approx(0.01) and f(90) == pytest.approx(1e-3)
    g = lrlib.multistep_decay(0.1, milestones=[30, 60, 80], gamma=0.1)
    assert g(29.5) == pytest.approx(0.1) and g(30) == pytest.approx(0.01)
    assert g(60) == pytest.approx(1e-3) and g(80) == pytest.approx(1e-4) and g(10**6) == pytest.approx(1e-4)


def test_exponential_and_polynomial():
    f = lrlib.exponential_decay(1.0, gamma=0.9, end_lr=0.5)
    assert f(1) == pytest.approx(0.9) and f(2) == pytest.approx(0.81)
    assert f(100) == 0.5  # the floor
    p = lrlib.polynomial_decay(1.0, 10, power=0.5)
    assert p(9) == pytest.approx(math.sqrt(0.1))


def test_warmup_shapes():
    w = 10
    shapes = {
        "linear": lambda p: p,
        "quadratic": lambda p: p * p,
        "cosine": lambda p: (1 - math.cos(math.pi * p)) / 2,
    }
    for name, g in shapes.items():
        f = lrlib.warmup(0.01, 1.0, w, name)
        for t in (0, 2.5, 5, 9, 10, 11):
            p = min(t, w) / w
            assert f(t) == pytest.approx(0.01 + 0.99 * g(p), rel=1e-13), (name, t)
    e = lrlib.warmup(0.001, 1.0, 3, "exponential")
    assert [round(e(t), 12) for t in range(4)] == [0.001, 0.01, 0.1, 1.0]


def test_warm_restarts_come_at_1_3_7_15():
    f = lrlib.warm_restarts(1.0, first_cycle_steps=1, cycle_mult=2)
    assert [e.step for e in f.events[:5]] == [1, 3, 7, 15, 31]
    for start, length in [(1, 2), (3, 4), (7, 8), (15, 16)]:
        assert f(start) == 1.0
        assert f(start + length / 2) == pytest.approx(0.5)
        assert f(start + length - 1e-9) == pytest.approx(0.0, abs=1e-9)
    # not "every epoch": inside a cycle the lr keeps falling from one epoch to the next
    assert f(4) < f(3) and f(5) < f(4) and f(6) < f(5)


def test_warm_restarts_decay_the_peak():
    f = lrlib.warm_restarts(1.0, 10, cycle_mult=1.5, peak_decay=0.5, end_lr=0.1)
    assert f(0) == 1.0 and f(10) == pytest.approx(0.5) and f(25) == pytest.approx(0.25)
    assert f(10 + 7.5) == pytest.approx(0.1 + 0.5 * (0.5 - 0.1))


def test_wsd_phases():
    f = lrlib.wsd(1.0, total_steps=100, warmup_steps=10, decay_steps=20, end_lr=0.0, decay_shape="1-sqrt")
    assert f(5) == pytest.approx(0.5) and f(10) == 1.0 and f(79.9) == 1.0
    assert f(85) == pytest.approx(1 - math.sqrt(0.25)) and f(100) == 0.0
    c = lrlib.wsd(1.0, total_steps=100, warmup_steps=0, decay_steps=20, decay_shape="cosine")
    assert c(0) == 1.0 and c(90) == pytest.approx(0.5)


def test_one_cycle_landmarks():
    f = lrlib.one_cycle(1.0, total_steps=100, pct_start=0.3, div_factor=25, final_div_factor=1e4)
    assert f(0) == pytest.approx(0.04) and f(29) == pytest.approx(1.0)
    assert f(99) == pytest.approx(0.04 / 1e4) and f(1000) == pytest.approx(0.04 / 1e4)
    g = lrlib.one_cycle(1.0, total_steps=100, pct_start=0.25, anneal="linear", three_phase=True)
    assert g(24) == pytest.approx(1.0) and g(48) == pytest.approx(0.04) and g(99) == pytest.approx(4e-6)


def test_join_gives_each_child_local_time():
    f = lrlib.join([lrlib.constant(1.0), lrlib.linear(0.5, 0.0, 10), lrlib.constant(0.1)], [5, 20])
    assert f(4.999) == 1.0 and f(5) == 0.5 and f(10) == pytest.approx(0.25) and f(15) == 0.0
    assert f(20) == 0.1


# ----- the YOLO recipe: figures documented for the training scripts -----

def test_yolo_recipe_worked_values_bs8_T300():
    init_fit, min_fit = compat.scale_lr_for_batch(1e-2, 1e-4, batch_size=8)
    assert (init_fit, min_fit) == pytest.approx((1.25e-3, 1.25e-5))
    f = compat.get_lr_scheduler("cos", init_fit, min_fit, 300)
    np.testing.assert_allclose(f(np.arange(4)), [1.25e-4, 2.5e-4, 6.25e-4, 1.25e-3], rtol=1e-12)
    # epoch 4 is one epoch into a 282-epoch cosine: 1.25e-3 to four significant figures
    expected_4 = 1.25e-5 + 0.5 * (1.25e-3 - 1.25e-5) * (1 + math.cos(math.pi / 282))
    assert f(4) == pytest.approx(expected_4, rel=1e-12) and round(f(4), 7) == 1.25e-3
    np.testing.assert_allclose(f(np.arange(285, 300)), 1.25e-5, rtol=1e-12)
    assert f(284) > 1.25e-5


@pytest.mark.parametrize("total, warm, tail", [(300, 3, 15), (100, 3, 5), (50, 2.5, 2.5), (10, 1, 1)])
def test_yolo_recipe_clamps(total, warm, tail):
    f = compat.get_lr_scheduler("cos", 0.01, 1e-4, total, warmup_iters_ratio=0.05, no_aug_iter_ratio=0.05)
    if total == 300:  # old defaults give the same 3 and 15 on 300 epochs
        f = compat.get_lr_scheduler("cos", 0.01, 1e-4, total)
    elif total == 100:
        f = compat.get_lr_scheduler("cos", 0.01, 1e-4, total)
        tail = 15  # 0.3 * 100 clamps to 15 with the old defaults
    kinds = {p.kind: p for p in f.phases}
    assert kinds["warmup"].end == pytest.approx(warm)
    assert f.total_steps == total and f.tail_start_step == pytest.approx(total - tail)
    assert f(warm) == pytest.approx(0.01, rel=1e-12)
    assert f(total - tail) == pytest.approx(1e-4, rel=1e-12)


def test_yolo_step_branch_lands_on_min_lr_in_the_last_plateau():
    for total in (300, 100, 10):
        f = compat.get_lr_scheduler("step", 0.01, 1e-4, total)
        assert f(total - 1) == pytest.approx(1e-4, rel=1e-12)
        assert f(0) == 0.01
        # ten plateaus, each (1e-4/1e-2)^(1/9) of the one before
        rate = (1e-4 / 1e-2) ** (1 / 9)
        assert f(total / 10) == pytest.approx(0.01 * rate, rel=1e-12)
        # past the end it keeps going below min_lr, as the original does
        assert f(total) < 1e-4


@pytest.mark.parametrize("bs, expected", [(16, (2.5e-3, 2.5e-5)), (8, (1.25e-3, 1.25e-5)), (2, (5e-4, 5e-6)),
                                          (512, (5e-2, 5e-4))])
def test_batch_size_scaling_sgd(bs, expected):
    assert compat.scale_lr_for_batch(1e-2, 1e-4, bs) == pytest.approx(expected)


def test_batch_size_scaling_adam_limits():
    assert compat.scale_lr_for_batch(1e-3, 1e-5, 8, optimizer="adam") == pytest.approx((3e-4, 3e-6))
    assert compat.scale_lr_for_batch(1e-3, 1e-5, 256, optimizer="adam") == pytest.approx((1e-3, 1e-5))


def test_official_yolox_first_iterations():
    lr = compat.yolox_base_lr(64)
    assert lr == pytest.approx(0.01)
    f = compat.yolox_warm_cos(lr, iters_per_epoch=100, total_epochs=300)
    assert f(0) == 0.0 and f(1) == pytest.approx(4e-8)  # (1/500)^2 * 0.01
    assert f(500) == pytest.approx(0.01)
    assert f(285 * 100) == pytest.approx(0.01 * 0.05) and f(299 * 100 + 99) == pytest.approx(5e-4)


def test_units():
    np.testing.assert_allclose(lrlib.fractional_epochs(2, 4), [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75])
    assert lrlib.epochs_to_iterations(3, 50) == 150
    # per-epoch stepping: the lr is constant within an epoch; per-iteration it moves every step
    f = compat.get_lr_scheduler("cos", 0.01, 1e-4, 10)
    per_epoch = f(lrlib.epoch_of_iteration(10, 5))
    per_iter = f(lrlib.fractional_epochs(10, 5))
    assert len(set(per_epoch[10:15])) == 1 and len(set(per_iter[10:15])) == 5


@pytest.mark.parametrize("t0, mult", [(1, 2), (1, 1), (10, 1.01), (3, 3)])
def test_endless_warm_restarts_list_every_restart_within_the_horizon(t0, mult):
    f = lrlib.warm_restarts(1.0, first_cycle_steps=t0, cycle_mult=mult)
    horizon = t0 * 1000
    # every restart by hand: S_i = T0 (m^i - 1)/(m - 1), or i T0 when m = 1
    expected, s, length = [], t0, t0
    while s <= horizon:
        expected.append(s)
        length *= mult
        s += length
    listed = [e.step for e in f.events]
    assert listed == pytest.approx(expected, rel=1e-12)
    assert all(f(r) == 1.0 and f(r - 1e-6 * t0) < 1e-6 for r in listed)  # each one is a real jump
    if (t0, mult) == (1, 2):
        assert listed[-3:] == [127, 255, 511]


@pytest.mark.parametrize("start", [5e-324, 1e-310, 1e-300, 1e-3])
def test_exponential_warmup_from_a_tiny_start_stays_finite(start):
    f = lrlib.warmup(start, 1.0, 10, "exponential")
    v = f(np.linspace(0, 20, 81))
    assert np.isfinite(v).all() and (v >= start).all() and (v <= 1.0).all()
    assert f(10) == 1.0 and f(20) == 1.0 and f(0) == start
    # half-way is the geometric mean of the two ends, computed by hand in logs
    assert f(5) == pytest.approx(math.exp(0.5 * math.log(start)), rel=1e-12)


@pytest.mark.parametrize("make, length, tail_start", [
    (lambda: lrlib.cosine_decay(0.1, 100), 100, 100),
    (lambda: lrlib.warmup_cosine(0.1, 100, 10), 100, 100),
    (lambda: lrlib.warmup_cosine_tail(0.1, 0.001, 100, 3, 15), 100, 85),
    (lambda: lrlib.wsd(0.1, 100, 10, 20), 100, 100),
    (lambda: lrlib.one_cycle(0.1, 100), 100, 99),  # PyTorch's last step is N - 1
    (lambda: lrlib.warm_restarts(0.1, 10, 2.0, max_cycles=3), 70, 70),  # 10 + 20 + 40
    (lambda: compat.get_lr_scheduler("cos", 0.01, 1e-4, 300), 300, 285),  # tail of 15
    (lambda: compat.get_lr_scheduler("step", 0.01, 1e-4, 300), 300, None),  # keeps dividing past 300
    (lambda: compat.yolox_warm_cos(0.01, iters_per_epoch=5, total_epochs=30, no_aug_epochs=4), 150, 130),
    (lambda: lrlib.multistep_decay(0.1, [10, 20]), None, 20),
    (lambda: lrlib.step_decay(0.1, 10), None, None),
    (lambda: lrlib.constant(0.1), None, 0),
])
def test_total_steps_is_the_length_and_tail_start_step_where_the_value_settles(make, length, tail_start):
    """One meaning everywhere: ``total_steps`` is the run's length, ``tail_start_step`` where the tail begins."""
    f = make()
    assert f.total_steps == length and f.tail_start_step == tail_start, f.label()
    if length is not None and "total_steps" in f.params:
        assert f.params["total_steps"] == length
