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
    (lambda: lrlib.inverse_time_decay(0.1, 0.5, 10), None, None),  # never ends, never settles
    (lambda: lrlib.inverse_sqrt(0.1, 100), None, None),
    (lambda: lrlib.cyclic(0.01, 0.1, 50), None, None),
])
def test_total_steps_is_the_length_and_tail_start_step_where_the_value_settles(make, length, tail_start):
    """One meaning everywhere: ``total_steps`` is the run's length, ``tail_start_step`` where the tail begins."""
    f = make()
    assert f.total_steps == length and f.tail_start_step == tail_start, f.label()
    if length is not None and "total_steps" in f.params:
        assert f.params["total_steps"] == length


# ----- 1/t and 1/sqrt(t) decays, the Transformer's schedule, cyclical rates, the plateau -----

def test_inverse_time_decay_by_hand():
    # Keras's documented example: 0.1 / (1 + 0.5 * step), decay_steps = 1
    f = lrlib.inverse_time_decay(0.1, decay_rate=0.5, decay_steps=1)
    assert f(0) == 0.1 and f(2) == pytest.approx(0.05, rel=1e-15) and f(18) == pytest.approx(0.01, rel=1e-15)
    assert f(0.5) == pytest.approx(0.1 / 1.25, rel=1e-15)
    # decay_rate and decay_steps enter only as their ratio, unless staircase
    g = lrlib.inverse_time_decay(0.1, decay_rate=5.0, decay_steps=10)
    np.testing.assert_allclose(g(np.arange(50.0)), f(np.arange(50.0)), rtol=1e-15)
    s = lrlib.inverse_time_decay(1.0, decay_rate=1.0, decay_steps=10, staircase=True)
    assert [s(t) for t in (0, 9, 9.99, 10, 19, 20, 30)] == [1.0, 1.0, 1.0, 0.5, 0.5, 1 / 3, 0.25]
    # far out, t * lr_t tends to peak * decay_steps / decay_rate: the 1/t of Robbins and Monro
    assert f(1e9) * 1e9 == pytest.approx(0.1 / 0.5, rel=1e-8)


def test_inverse_sqrt_decay_by_hand():
    f = lrlib.inverse_sqrt_decay(2.0, timescale_steps=50)
    assert f(0) == 2.0 and f(150) == 1.0 and f(400) == pytest.approx(2 / 3, rel=1e-15)
    assert f(4950) == pytest.approx(0.2, rel=1e-15)
    assert f(1e12) * math.sqrt(1e12 / 50) == pytest.approx(2.0, rel=1e-9)


def test_inverse_sqrt_is_the_transformer_papers_formula():
    # lrate = d_model^-0.5 * min(step_num^-0.5, step_num * warmup_steps^-1.5), written out here as in the paper
    d_model, w = 512, 4000
    paper = [d_model ** -0.5 * min(n ** -0.5, n * w ** -1.5) for n in range(1, 20001)]
    ours = lrlib.inverse_sqrt((d_model * w) ** -0.5, warmup_steps=w)(np.arange(1, 20001))
    np.testing.assert_allclose(ours, paper, rtol=1e-12)
    assert max(paper) == pytest.approx(6.9877e-4, rel=1e-4)  # at step_num = 4000


def test_inverse_sqrt_timescale_as_in_transformers():
    # after W, 1 / sqrt((t + tau - W) / tau): with W = 10 and tau = 40, a quarter of the peak at t = 10 + 15 * 40
    f = lrlib.inverse_sqrt(1.0, warmup_steps=10, timescale_steps=40)
    assert f(5) == 0.5 and f(10) == 1.0 and f(130) == 0.5 and f(610) == pytest.approx(0.25, rel=1e-15)
    # the default timescale is the warmup: peak * sqrt(W / t), fairseq's inverse_sqrt
    g = lrlib.inverse_sqrt(3.0, warmup_steps=100)
    assert g.params["timescale_steps"] == 100
    assert g(400) == 1.5 and g(2500) == pytest.approx(0.6, rel=1e-15)
    h = lrlib.inverse_sqrt(0.3, warmup_steps=8, start_lr=0.1)
    assert h(0) == 0.1 and h(4) == pytest.approx(0.2) and h(8) == 0.3
    # no warmup: the decay alone
    k = lrlib.inverse_sqrt(1.0, warmup_steps=0, timescale_steps=10)
    assert k(0) == 1.0 and k(30) == 0.5 and [p.kind for p in k.phases] == ["decay"]


def test_cyclic_triangular_by_hand():
    f = lrlib.cyclic(0.1, 0.5, step_size_up=4, step_size_down=2)  # a 6-step cycle: 4 up, 2 down
    np.testing.assert_allclose(f(np.arange(13)), [0.1, 0.2, 0.3, 0.4, 0.5, 0.3, 0.1, 0.2, 0.3, 0.4, 0.5, 0.3, 0.1],
                               rtol=1e-15)
    assert f(1.5) == pytest.approx(0.25, rel=1e-15) and f(5.5) == pytest.approx(0.2, rel=1e-15)
    assert f.total_steps is None and f.tail_start_step is None and f.events == ()
    assert [(p.kind, p.start, p.end) for p in f.phases[:2]] == [("cycle", 0, 6), ("cycle", 6, 12)]


def test_cyclic_triangular2_halves_each_cycle():
    f = lrlib.cyclic(0.0, 1.0, step_size_up=5, mode="triangular2")
    peaks = f(np.array([5.0, 15, 25, 35]))
    assert peaks.tolist() == [1.0, 0.5, 0.25, 0.125]
    assert f(17) == pytest.approx(0.5 * 0.6, rel=1e-15)  # cycle 1, two steps down from its peak of 0.5 at 15
    assert f(12) == pytest.approx(0.5 * 0.4, rel=1e-15)  # ... and two steps up towards it


def test_cyclic_exp_range_scales_by_gamma_to_the_step():
    f = lrlib.cyclic(0.0, 1.0, step_size_up=2, mode="exp_range", gamma=0.5)
    np.testing.assert_allclose(f(np.arange(6)), [0.0, 0.25, 0.25, 0.0625, 0.0, 0.5 * 0.5 ** 5], rtol=1e-15)
    # the highest value: (t/2) * 0.5**t on the first rise peaks at t = 1/ln 2 ~ 1.4427
    t_top = 1 / math.log(2)
    assert f.max_lr == pytest.approx(t_top / 2 * 0.5 ** t_top, rel=1e-12)
    g = lrlib.cyclic(0.0, 1.0, step_size_up=2, mode="exp_range", gamma=1.0)
    np.testing.assert_array_equal(g(np.arange(20.0)), lrlib.cyclic(0.0, 1.0, 2)(np.arange(20.0)))


def test_cyclic_is_not_cosine_with_restarts():
    # SGDR jumps back to the peak at a restart; a cyclical rate climbs back continuously from its floor
    sgdr = lrlib.warm_restarts(1.0, first_cycle_steps=10)
    clr = lrlib.cyclic(0.0, 1.0, step_size_up=5)
    eps = 1e-6
    assert sgdr(10 - eps) < 1e-9 and sgdr(10) == 1.0
    assert clr(10 - eps) == pytest.approx(2e-7, rel=1e-6) and clr(10) == 0.0 and clr(10 + eps) < 1e-6


def test_plateau_on_a_loss_that_never_improves():
    # Read 0 sets the best; reads 1..p are bad but tolerated; read p + 1 reduces. Then `cooldown` reads are
    # ignored and p + 1 bad ones are needed again: reductions at reads p + 1 + k (p + 1 + c).
    p, c, n = 3, 2, 40
    lrs = lrlib.Plateau(1.0, factor=0.5, patience=p, cooldown=c).run([2.0] * n)
    drops = [k for k in range(n) if lrs[k] < (lrs[k - 1] if k else 1.0)]
    assert drops == list(range(p + 1, n, p + 1 + c)) == [4, 10, 16, 22, 28, 34]
    assert lrs[-1] == 0.5 ** 6


def test_plateau_min_lr_and_eps():
    clamped = lrlib.Plateau(1.0, factor=0.1, patience=0, min_lr=0.003).run([1.0] * 6)
    assert clamped.tolist() == [1.0, 0.1, pytest.approx(0.01), 0.003, 0.003, 0.003]
    # eps = 1e-8: 1e-6 halves while the step lr - lr/2 exceeds 1e-8, so down to 1e-6 / 2**6 = 1.5625e-8
    tiny = lrlib.Plateau(1e-6, factor=0.5, patience=0).run([1.0] * 12)
    assert tiny[-1] == pytest.approx(1.5625e-8, rel=1e-12) and len(set(tiny.tolist())) == 7


def test_plateau_ties_do_not_improve():
    # mode="min", "rel", threshold 0.5: from a best of 1.0 the loss must go below 0.5; exactly 0.5 is a bad epoch
    rel = lrlib.Plateau(1.0, factor=0.5, patience=0, threshold=0.5)
    assert rel.run([1.0, 0.5]).tolist() == [1.0, 0.5]
    assert rel.run([1.0, math.nextafter(0.5, 0.0)]).tolist() == [1.0, 1.0]
    # "abs", max: an accuracy must rise by more than 0.125
    acc = lrlib.Plateau(1.0, mode="max", threshold_mode="abs", threshold=0.125, factor=0.5, patience=0)
    assert acc.run([0.5, 0.625, 0.75]).tolist() == [1.0, 0.5, 1.0 * 0.5]    # 0.625 ties, 0.75 improves
    assert acc.improves(0.75, 0.5) and not acc.improves(0.625, 0.5) and not acc.improves(0.75, 0.625)


def test_plateau_rel_threshold_on_a_negative_metric():
    # best * (1 - threshold) lies *above* a negative best: a value a little worse than the best counts as better
    f = lrlib.Plateau(1.0, threshold=0.1)
    assert f.improves(-0.95, best=-1.0)          # -0.95 < -1.0 * 0.9 = -0.9
    assert not f.improves(-0.85, best=-1.0)


def test_plateau_state_is_explicit_and_immutable():
    plateau = lrlib.Plateau(0.1, factor=0.5, patience=1, cooldown=1)
    start = plateau.start()
    assert start == lrlib.PlateauState(lr=0.1, best=math.inf, bad_epochs=0, cooldown_left=0)
    s1 = plateau.step(start, 2.0)
    assert start.best == math.inf and s1.best == 2.0  # the old state is untouched
    s3 = plateau.step(plateau.step(s1, 2.0), 2.0)
    assert (s3.lr, s3.bad_epochs, s3.cooldown_left) == (0.05, 0, 1)
    assert plateau.step(s3, 2.0) == lrlib.PlateauState(0.05, 2.0, 0, 0)  # in cooldown: the bad epoch is ignored
    with pytest.raises(Exception):
        s3.lr = 1.0
    assert lrlib.Plateau(0.1, mode="max").start().best == -math.inf


def test_fractional_epochs_are_the_steps_of_the_fractional_epoch_unit_bit_for_bit():
    """One rounding everywhere: the helper, the adapter's and the plots' step_of_iteration agree exactly."""
    from lrlib.units import step_of_iteration

    for ipe in (1, 3, 7, 43, 50):
        k = np.arange(30 * ipe)
        assert np.array_equal(lrlib.fractional_epochs(30, ipe), step_of_iteration(k, "fractional_epoch", ipe))
        assert np.array_equal(lrlib.epoch_of_iteration(30, ipe), step_of_iteration(k, "epoch", ipe))
