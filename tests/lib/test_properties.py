"""Properties every schedule must have, checked on random valid arguments (hypothesis).

For every family: values are finite; a scalar call equals the matching element of
an array call; the same step gives the same value; values stay within the
schedule's own [min_lr, max_lr]; monotone families are monotone; finite schedules
hold their last value. For the YOLO recipe: continuous at its joins. For the 1/t and
1/sqrt decays, the Transformer's schedule and cyclical rates: continuous where they should
be, their defining identities, and cycles that repeat as their mode says. For the plateau
scheduler, on random loss sequences: the rate only falls, by ``factor`` or to ``min_lr``,
never within ``patience`` bad epochs or a cooldown, and a run is its steps folded.
"""

import dataclasses
import math

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import lrlib
from lrlib import compat

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

lrs = st.floats(1e-6, 10.0)
ratios = st.floats(0.0, 1.0)
lengths = st.floats(0.5, 5000.0)
int_lengths = st.integers(1, 3000)
warm_shapes = st.sampled_from(lrlib.primitives.WARMUP_SHAPES)
decay_shapes = st.sampled_from(lrlib.primitives.DECAY_SHAPES)


def cyclic_schedules(draw, peak):
    return lrlib.cyclic(peak * draw(ratios), peak, draw(lengths), draw(st.one_of(st.none(), lengths)),
                        draw(st.sampled_from(lrlib.compose.CYCLIC_MODES)), draw(st.floats(0.5, 1.0)))


@st.composite
def schedules(draw):
    """(schedule, monotone) where monotone is +1 (non-decreasing), -1 (non-increasing) or 0."""
    family = draw(st.sampled_from([
        "constant", "linear", "warmup", "decay", "polynomial", "step", "multistep", "exponential",
        "warmup_cosine", "yolo", "restarts", "wsd", "one_cycle", "compat_cos", "compat_step", "join",
        "inverse_time", "inverse_sqrt_decay", "inverse_sqrt", "cyclic",
    ]))
    peak = draw(lrs)
    end = peak * draw(ratios)
    if family == "constant":
        return lrlib.constant(peak), 0
    if family == "linear":
        a, b = peak, draw(lrs)
        return lrlib.linear(a, b, draw(lengths)), (1 if b >= a else -1)
    if family == "warmup":
        shape = draw(warm_shapes)
        start = peak * draw(st.floats(1e-3 if shape == "exponential" else 0.0, 1.0))
        return lrlib.warmup(start, peak, draw(lengths), shape), 1
    if family == "decay":
        return lrlib.decay(peak, draw(lengths), end, draw(decay_shapes)), -1
    if family == "polynomial":
        return lrlib.polynomial_decay(peak, draw(lengths), end, draw(st.floats(0.1, 5.0))), -1
    if family == "step":
        return lrlib.step_decay(peak, draw(lengths), draw(ratios)), -1
    if family == "multistep":
        ms = sorted(set(draw(st.lists(st.floats(0.5, 5000.0), min_size=1, max_size=6))))
        return lrlib.multistep_decay(peak, ms, draw(ratios)), -1
    if family == "exponential":
        return lrlib.exponential_decay(peak, draw(st.floats(0.5, 1.0)), end), -1
    if family == "warmup_cosine":
        total = draw(lengths) + 1
        w = total * draw(st.floats(0.01, 0.9))
        return lrlib.warmup_cosine(peak, total, w, end, peak * max(draw(ratios), 1e-3), draw(warm_shapes)), 0
    if family == "yolo":
        total = draw(lengths) + 2
        w = total * draw(st.floats(0.01, 0.45))
        n = total * draw(st.floats(0.0, 0.45))
        return lrlib.warmup_cosine_tail(peak, end, total, w, n, peak * draw(ratios)), 0
    if family == "restarts":
        limit = draw(st.one_of(st.none(), st.integers(1, 6)))
        return lrlib.warm_restarts(peak, draw(lengths), draw(st.floats(1.0, 3.0)), draw(st.floats(0.1, 1.0)),
                                   end, limit), 0
    if family == "wsd":
        total = draw(lengths) + 1
        w = total * draw(st.floats(0.0, 0.5))
        d = (total - w) * draw(st.floats(0.01, 0.99))
        return lrlib.wsd(peak, total, w, d, end, 0.0, "linear", draw(decay_shapes)), 0
    if family == "one_cycle":
        n = draw(st.integers(20, 5000))
        return lrlib.one_cycle(peak, n, draw(st.floats(0.1, 0.45)), draw(st.sampled_from(["cosine", "linear"])),
                               draw(st.floats(1.0, 100.0)), draw(st.floats(1.0, 1e4)), draw(st.booleans())), 0
    if family == "compat_cos":
        total = draw(int_lengths)
        return compat.get_lr_scheduler("cos", peak, end, total, draw(ratios), draw(ratios), draw(ratios)), 0
    if family == "compat_step":
        k = draw(st.integers(2, 20))
        total = draw(st.integers(k, 3000))
        return compat.get_lr_scheduler("step", peak, end, total, step_num=k), -1
    if family == "inverse_time":
        return lrlib.inverse_time_decay(peak, draw(st.floats(0.0, 10.0)), draw(lengths), draw(st.booleans())), -1
    if family == "inverse_sqrt_decay":
        return lrlib.inverse_sqrt_decay(peak, draw(lengths)), -1
    if family == "inverse_sqrt":
        w = draw(st.one_of(st.just(0.0), lengths))
        return lrlib.inverse_sqrt(peak, w, draw(st.one_of(st.none(), lengths)) if w else draw(lengths),
                                  peak * draw(ratios)), 0
    if family == "cyclic":
        return cyclic_schedules(draw, peak), 0
    # a join of three random primitives
    parts = [lrlib.constant(peak), lrlib.cosine_decay(peak, draw(lengths), end), lrlib.linear(end, peak, 10)]
    b1 = draw(lengths)
    return lrlib.join(parts, [b1, b1 + draw(lengths)]), 0


def _steps(sched, data):
    horizon = sched.total_steps if sched.total_steps is not None else 5000.0
    grid = np.linspace(0.0, 1.2 * horizon + 1, 801)
    extra = np.asarray(data.draw(st.lists(st.floats(0.0, 2.0 * horizon + 10), max_size=20)), dtype=float)
    return np.concatenate([grid, extra])


@SETTINGS
@given(schedules(), st.data())
def test_finite_deterministic_scalar_equals_array(sched_mono, data):
    sched, _ = sched_mono
    t = _steps(sched, data)
    values = sched(t)
    assert values.shape == t.shape and values.dtype == np.float64
    assert np.all(np.isfinite(values)), sched.label()
    np.testing.assert_array_equal(values, sched(t.copy()))  # same step, same value
    for i in data.draw(st.lists(st.integers(0, len(t) - 1), min_size=1, max_size=10)):
        assert sched(float(t[i])) == values[i]
        assert sched(int(t[i])) == sched(np.array([int(t[i])]))[0]
    # shape is preserved for 2-d input
    assert sched(t[:800].reshape(20, 40)).shape == (20, 40)


@SETTINGS
@given(schedules(), st.data())
def test_within_own_bounds(sched_mono, data):
    sched, _ = sched_mono
    values = sched(_steps(sched, data))
    tol = 1e-12 * max(abs(sched.max_lr), 1e-300)
    assert values.min() >= sched.min_lr - tol, sched.label()
    assert values.max() <= sched.max_lr + tol, sched.label()


@SETTINGS
@given(schedules())
def test_monotone_families_are_monotone(sched_mono):
    sched, mono = sched_mono
    assume(mono != 0)
    horizon = sched.total_steps if sched.total_steps is not None else 5000.0
    values = sched(np.linspace(0.0, 1.5 * horizon + 1, 2001))
    diffs = np.diff(values) * mono
    assert diffs.min() >= -1e-12 * sched.max_lr, sched.label()


@SETTINGS
@given(schedules())
def test_finite_schedules_hold_their_last_value(sched_mono):
    sched, _ = sched_mono
    assume(sched.tail_start_step is not None)
    end = sched.tail_start_step
    after = sched(np.array([end + 1.0, 2 * end + 3.0, end * 1e3 + 1, 1e12]))
    np.testing.assert_array_equal(after, np.full(4, after[0]))
    # at the end step itself, rounding in the joins' local clocks may leave the last ulp
    assert abs(sched(end) - after[0]) <= 1e-12 * sched.max_lr


@SETTINGS
@given(lrs, ratios, ratios, st.floats(3.0, 5000.0), st.floats(0.01, 0.45), st.floats(0.0, 0.45), warm_shapes)
def test_yolo_recipe_is_continuous_at_its_joins(peak, end_ratio, start_ratio, total, wr, nr, shape):
    end, start = peak * end_ratio, peak * max(start_ratio, 1e-3)
    w, n = total * wr, total * nr
    f = lrlib.warmup_cosine_tail(peak, end, total, w, n, start, shape)
    eps = 1e-7 * min(w, total - w - n)  # a step much shorter than either neighbouring phase
    assert f(w) == np.float64(peak) or abs(f(w) - peak) <= 1e-12 * peak
    assert abs(f(w - eps) - peak) <= 1e-5 * peak  # approaching the end of warmup from the left
    assert abs(f(total - n) - end) <= 1e-12 * peak
    assert abs(f(total - n - eps) - end) <= 1e-5 * peak


@SETTINGS
@given(st.integers(3, 3000), lrs, ratios, st.sampled_from([(0.1, 0.1, 0.3), (0.05, 0.1, 0.05)]))
def test_seed_recipe_joins_hit_peak_and_min_lr(total, lr, min_ratio, defaults):
    """The seed's clamped warmup ends at the peak and its tail starts at min_lr (when T > W + N)."""
    wr, sr, nr = defaults
    min_lr = lr * min_ratio
    f = compat.get_lr_scheduler("cos", lr, min_lr, total, wr, sr, nr)
    w = min(max(wr * total, 1), 3)
    n = min(max(nr * total, 1), 15)
    assume(total - n > w)
    assert abs(f(w) - lr) <= 1e-12 * lr
    assert abs(f(total - n) - min_lr) <= 1e-12 * lr
    assert 1 <= w <= 3 and 1 <= n <= 15


@settings(max_examples=60, deadline=None)
@given(schedules())
def test_arrays_are_evaluated_in_one_vectorised_call(sched_mono):
    """No Python loop per element: the schedule's function sees the whole array at once."""
    sched, _ = sched_mono
    calls = []

    def counting(t):
        calls.append(np.shape(t))
        return sched.fn(t)

    steps = np.arange(10_000, dtype=np.float64)
    out = dataclasses.replace(sched, fn=counting)(steps)
    assert calls == [(10_000,)] and out.shape == (10_000,)


def test_join_calls_each_child_once_per_evaluation():
    seen = {}

    def counted(name, s):
        def fn(t):
            seen[name] = seen.get(name, 0) + 1
            return s.fn(t)
        return dataclasses.replace(s, fn=fn)

    parts = [counted("warmup", lrlib.warmup(0.0, 1.0, 10)), counted("decay", lrlib.cosine_decay(1.0, 90)),
             counted("tail", lrlib.constant(0.0))]
    f = lrlib.join(parts, [10, 100])
    for steps in (np.arange(200.0), np.random.default_rng(0).permutation(200).astype(float)):
        seen.clear()
        f(steps)
        assert seen == {"warmup": 1, "decay": 1, "tail": 1}


# ----- the 1/t and 1/sqrt decays, the Transformer's schedule, cyclical learning rates -----

@st.composite
def continuous_schedules(draw):
    """(schedule, a bound on its slope): the new families that have no jump anywhere."""
    peak = draw(lrs)
    family = draw(st.sampled_from(["inverse_time", "inverse_sqrt_decay", "inverse_sqrt", "cyclic"]))
    if family == "inverse_time":
        rate, s = draw(st.floats(0.0, 10.0)), draw(lengths)
        return lrlib.inverse_time_decay(peak, rate, s), peak * rate / s
    if family == "inverse_sqrt_decay":
        tau = draw(lengths)
        return lrlib.inverse_sqrt_decay(peak, tau), peak / (2 * tau)
    if family == "inverse_sqrt":
        w, tau, start = draw(lengths), draw(lengths), peak * draw(ratios)
        return lrlib.inverse_sqrt(peak, w, tau, start), max((peak - start) / w, peak / (2 * tau))
    f = cyclic_schedules(draw, peak)
    p = f.params
    slope = (p["max_lr"] - p["base_lr"]) * (1 / min(p["step_size_up"], p["step_size_down"])
                                             - math.log(p.get("gamma", 1.0)))
    return f, slope


@SETTINGS
@given(continuous_schedules(), st.lists(st.floats(0.0, 20000.0), min_size=1, max_size=20), st.floats(1e-9, 1e-3))
def test_the_new_families_are_continuous(sched_slope, steps, delta):
    """No jump: two steps ``delta`` apart differ by at most the steepest slope times ``delta``."""
    f, slope = sched_slope
    t = np.asarray(steps)
    moved = (t + delta) - t  # the step actually taken: at t = 4096, t + 1e-9 is 1e-9 give or take 4.5e-13
    gap = np.abs(f(t + delta) - f(t))
    assert np.all(gap <= slope * moved * (1 + 1e-6) + 1e-13 * f.max_lr), f.label()


@SETTINGS
@given(lrs, st.floats(0.0, 10.0), lengths, st.floats(0.0, 1e6))
def test_inverse_time_decay_identities(peak, rate, s, t):
    f = lrlib.inverse_time_decay(peak, rate, s)
    stair = lrlib.inverse_time_decay(peak, rate, s, staircase=True)
    assert f(t) * (1 + rate * t / s) == pytest_approx(peak)
    assert stair(t) == f(s * math.floor(t / s)) or stair(t) == pytest_approx(f(s * math.floor(t / s)))
    assert stair(t) >= f(t) * (1 - 1e-15)   # the staircase waits, then drops to the line


@SETTINGS
@given(lrs, lengths, st.one_of(st.none(), lengths), st.floats(0.0, 1e6))
def test_inverse_sqrt_identities(peak, w, tau, t):
    f = lrlib.inverse_sqrt(peak, w, tau)
    tau = w if tau is None else tau
    assert f(w) == peak
    if t >= w:
        assert f(t) ** 2 * (1 + (t - w) / tau) == pytest_approx(peak ** 2)
    else:
        assert f(t) == pytest_approx(peak * t / w)


@SETTINGS
@given(lrs, ratios, lengths, st.one_of(st.none(), lengths), st.floats(0.5, 1.0), st.floats(0.0, 1e5),
       st.integers(1, 5))
def test_cyclic_cycles_repeat_as_their_mode_says(peak, ratio, up, down, gamma, t, k):
    base = peak * ratio
    period = up + (up if down is None else down)
    shift = k * period
    tri = lrlib.cyclic(base, peak, up, down)
    tri2 = lrlib.cyclic(base, peak, up, down, "triangular2")
    exp = lrlib.cyclic(base, peak, up, down, "exp_range", gamma)
    tol = 1e-9 * peak
    # float steps: t + shift may land a rounding away from a cycle's edge, where the rate is base_lr
    assert abs(tri(t + shift) - tri(t)) <= tol + 1e-9 * (peak - base)
    assert abs((tri2(t + shift) - base) - (tri2(t) - base) / 2 ** k) <= tol
    assert abs((exp(t + shift) - base) - (exp(t) - base) * gamma ** shift) <= tol
    # each cycle starts at base_lr and peaks at max_lr; the step itself is only known to an ulp, which moves
    # the rate by up to the slope times that ulp
    slack = 1e-15 * peak + (peak - base) * 4 * np.spacing(k * period + up) / min(up, period - up)
    for f in (tri, tri2, exp):
        assert abs(f(k * period) - base) <= slack
    assert abs(tri(k * period + up) - peak) <= slack


def pytest_approx(x):
    import pytest

    return pytest.approx(x, rel=1e-12, abs=1e-300)


# ----- the plateau scheduler on random loss sequences -----

@st.composite
def plateaus(draw):
    mode = draw(st.sampled_from(["min", "max"]))
    threshold_mode = draw(st.sampled_from(["rel", "abs"]))
    initial = draw(lrs)
    return lrlib.Plateau(initial, mode=mode, factor=draw(st.floats(0.0, 0.99)), patience=draw(st.integers(0, 6)),
                         threshold=draw(st.sampled_from([0.0, 1e-4, 0.01, 0.125, 0.5])), threshold_mode=threshold_mode,
                         cooldown=draw(st.integers(0, 4)), min_lr=initial * draw(st.sampled_from([0.0, 1e-3, 0.3])),
                         eps=draw(st.sampled_from([0.0, 1e-8, 1e-3])) * initial)


loss_sequences = st.lists(st.one_of(st.floats(-10.0, 10.0), st.integers(0, 8).map(lambda k: k / 4)), max_size=80)


@SETTINGS
@given(plateaus(), loss_sequences)
def test_plateau_only_falls_by_factor_or_to_min_lr(plateau, losses):
    lrs_ = np.concatenate([[plateau.initial_lr], plateau.run(losses)])
    assert np.all(np.diff(lrs_) <= 0)
    assert lrs_.min() >= plateau.min_lr
    for old, new in zip(lrs_[:-1], lrs_[1:]):
        if new != old:
            assert new == max(old * plateau.factor, plateau.min_lr) and old - new > plateau.eps


@SETTINGS
@given(plateaus(), loss_sequences)
def test_plateau_waits_for_patience_and_cooldown(plateau, losses):
    lrs_ = np.concatenate([[plateau.initial_lr], plateau.run(losses)])
    drops = [k for k in range(1, len(lrs_)) if lrs_[k] < lrs_[k - 1]]   # after reading losses[k - 1]
    # the first loss always improves on "no loss yet": nothing before patience + 1 more have been read
    assert all(k >= plateau.patience + 2 for k in drops)
    # between two reductions: the cooldown, then patience + 1 bad epochs
    assert all(b - a >= plateau.cooldown + plateau.patience + 1 for a, b in zip(drops, drops[1:]))


@SETTINGS
@given(plateaus(), loss_sequences)
def test_plateau_run_is_its_steps_folded_and_deterministic(plateau, losses):
    state, seen = plateau.start(), []
    for loss in losses:
        before = state
        state = plateau.step(state, loss)
        assert plateau.step(before, loss) == state      # same state, same loss: same new state
        seen.append(state.lr)
    np.testing.assert_array_equal(plateau.run(losses), np.asarray(seen, dtype=float))
    assert plateau.run(losses).shape == (len(losses),)


@SETTINGS
@given(plateaus(), st.lists(st.floats(0.51, 2.0), min_size=1, max_size=60))
def test_plateau_never_reduces_while_every_loss_improves(plateau, gaps):
    # each loss beats the best by more than any threshold drawn (rel: a factor of 3, abs: a gap over 0.5;
    # a gap of exactly 0.5 would be a tie, which does not improve)
    sign = -1.0 if plateau.mode == "min" else 1.0
    if plateau.threshold_mode == "rel":
        losses = [1000.0 * 3.0 ** (sign * k) for k in range(len(gaps))]
    else:
        losses = np.cumsum([sign * g for g in gaps]).tolist()
    assert np.all(plateau.run(losses) == plateau.initial_lr)
