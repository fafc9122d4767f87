"""Whole curves on evenly spaced steps: ``schedule(range(...))`` and ``Schedule.on_grid``.

On a grid lrlib takes a faster route (the cosine from two small tables of sines, joins
cut by arithmetic). It must give the values of the general route on the same steps, for
every family; the cosine must stay accurate next to a floor of 0, where ``1 + cos``
loses digits (checked against extended precision); and the seed's recipe evaluated on a
range must still match the golden data.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, schedules

import lrlib
from lrlib import compat
from lrlib.primitives import sin_squared_on_grid

GOLDEN = Path(__file__).resolve().parents[2] / "shared" / "golden" / "seed_get_lr_scheduler.json"
EXTENDED = np.finfo(np.longdouble).eps < 1e-18  # x86 long double: 64-bit mantissa


def _as_array(r: range) -> np.ndarray:
    return np.arange(r.start, r.stop, r.step, dtype=np.float64)


def _relative(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return np.max(np.abs(a - b) / np.maximum(np.abs(b), np.finfo(float).tiny), initial=0.0)


ranges = st.builds(lambda a, n, s: range(a, a + n * s, s), st.integers(0, 4000), st.integers(0, 3000), st.integers(1, 7))


@SETTINGS
@given(schedules(), ranges)
def test_a_range_gives_the_values_of_the_same_steps_as_an_array(sched_and_monotone, r):
    sched, _ = sched_and_monotone
    got, expected = sched(r), sched(_as_array(r))
    assert got.shape == expected.shape == (len(r),) and got.dtype == np.float64
    assert np.isfinite(got).all()
    # Where a join's boundary is not a whole step, a child's local time can round differently
    # on the two routes (an ulp of t); near a cosine's end that moves the value by ~1e-13.
    assert _relative(got, expected) <= 1e-12


@pytest.mark.parametrize("make", [
    lambda: lrlib.cosine_decay(0.1, 1000, 0.001),
    lambda: lrlib.cosine_decay(1.0, 4999, 0.0),
    lambda: lrlib.warmup_cosine(0.01, 3000, 150, 1e-5),
    lambda: lrlib.warmup_cosine_tail(0.01, 1e-4, 3000, 3, 15, 1e-3),
    lambda: compat.get_lr_scheduler("cos", 1e-2, 1e-4, 2500),
    lambda: compat.get_lr_scheduler("cos", 1e-2, 0.0, 2500, 0.05, 0.05, 0.05),
    lambda: compat.yolox_warm_cos(0.01, 50, 60),
], ids=["cosine", "cosine-to-0", "warmup_cosine", "yolo", "seed-cos", "seed-cos-to-0", "yolox"])
def test_whole_step_boundaries_agree_to_a_few_units_in_the_last_place(make):
    sched = make()
    r = range(0, int(sched.total_steps) + 40)
    assert _relative(sched(r), sched(_as_array(r))) <= 8 * np.finfo(float).eps
    # and element by element with scalar calls
    values = sched(r)
    for k in (0, 1, 2, 3, 150, len(r) // 2, len(r) - 41, len(r) - 40, len(r) - 1):
        assert math.isclose(values[k], sched(k), rel_tol=8 * np.finfo(float).eps, abs_tol=0.0)


def test_fast_route_is_used_for_the_cosine_and_for_joins():
    assert lrlib.cosine_decay(1.0, 10).grid_fn is not None
    assert compat.get_lr_scheduler("cos", 0.01, 1e-4, 300).grid_fn is not None
    assert lrlib.warmup_cosine(0.01, 300, 3).grid_fn is not None
    assert lrlib.decay(1.0, 10, 0.0, "linear").grid_fn is None  # no faster route: plain fn on the steps


@pytest.mark.parametrize("first, spacing, n, decay_steps", [
    (0.0, 1.0, 0, 10.0),            # no steps at all
    (0.0, 1.0, 5, 10.0),            # shorter than one row of the table
    (0.0, 1.0, 3000, 2048.0),       # ends exactly at a row boundary, then holds the floor
    (5000.0, 1.0, 10, 100.0),       # starts past the end: all floor
    (0.5, 0.25, 10_000, 1234.5),    # fractional start and spacing
    (3.0, 7.0, 700, 4321.0),        # a coarse grid
    (0.0, 1.0, 1025, 1025.0),       # one full row and one step
])
def test_table_route_matches_the_per_step_formula(first, spacing, n, decay_steps):
    steps = first + spacing * np.arange(n, dtype=float)
    direct = lrlib.decay(0.1, decay_steps, 0.001)(steps)
    got = sin_squared_on_grid(first, spacing, n, decay_steps, 0.001, 0.099)
    assert got.shape == (n,)
    assert _relative(got, direct) <= 8 * np.finfo(float).eps
    assert np.all(got[steps >= decay_steps] == 0.001)  # the floor, exactly


@pytest.mark.skipif(not EXTENDED, reason="needs an 80-bit long double (x86) for the reference")
@pytest.mark.parametrize("total", [1000, 10**6])
def test_the_cosine_is_accurate_next_to_a_floor_of_zero(total):
    """lrlib against the formula in extended precision, on a range and on an array.

    The reference is sin^2(pi/2 * (T - t)/T) in long double (11 more bits), checked against
    (1 + cos(pi t/T))/2 in long double where that form has not lost its digits yet.
    """
    sched = lrlib.cosine_decay(1.0, total, 0.0)
    steps = np.unique(np.r_[np.linspace(0, total - 1, 300).astype(np.int64), np.arange(total - 200, total)])
    t = steps.astype(np.longdouble)
    T = np.longdouble(total)
    half_pi = np.longdouble(np.pi) / 2 + np.longdouble(6.123233995736766e-17)  # pi/2 to ~20 digits
    reference = np.sin(half_pi * ((T - t) / T)) ** 2
    cos_form = (1 + np.cos(2 * half_pi * (t / T))) / 2
    early = reference > 1e-3
    assert np.max(np.abs(cos_form[early] - reference[early]) / reference[early]) < 1e-17
    on_range = sched(range(total))[steps]
    on_array = sched(steps.astype(float))
    for got in (on_range, on_array):
        err = np.abs(got.astype(np.longdouble) - reference) / reference
        assert float(err.max()) <= 4 * np.finfo(float).eps
    # the plain float64 1 + cos(...) is what loses digits near the end (here, why lrlib squares a sine)
    naive = 0.5 * (1.0 + np.cos(np.pi * steps.astype(float) / total))
    naive_err = float(np.max(np.abs(naive.astype(np.longdouble) - reference) / reference))
    assert naive_err > (1e-12 if total == 1000 else 1e-7)  # vs lrlib <= 9e-16


def _golden_cases():
    if not GOLDEN.exists():
        return []
    cases = json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]
    return [c for c in cases if "raises" not in c and not any(isinstance(v, dict) for v in c["lrs"])]


@pytest.mark.skipif(not GOLDEN.exists(), reason=f"golden data not found at {GOLDEN}")
def test_the_seed_recipe_on_a_range_matches_the_golden_data():
    checked = 0
    for case in _golden_cases():
        f = compat.get_lr_scheduler(case["lr_decay_type"], case["lr"], case["min_lr"], case["total_iters"],
                                    **case["kwargs"])
        iters = np.asarray(case["iters"], dtype=float)
        whole = iters == np.floor(iters)
        if not whole.any():
            continue
        curve = f(range(int(iters[whole].max()) + 1))
        got = curve[iters[whole].astype(np.int64)]
        np.testing.assert_allclose(got, np.asarray(case["lrs"], dtype=float)[whole], rtol=1e-12, atol=0)
        checked += int(whole.sum())
    assert checked > 2000


def test_ranges_that_are_not_increasing_from_zero_go_through_the_usual_checks():
    f = lrlib.cosine_decay(1.0, 10)
    np.testing.assert_array_equal(f(range(10, -1, -2)), f(np.arange(10, -1, -2, dtype=float)))
    with pytest.raises(ValueError, match=r"step must be a finite number >= 0, got step=-1"):
        f(range(-1, 5))
    assert f(range(3, 3)).shape == (0,)


@pytest.mark.parametrize("args, name", [
    ((-1.0, 1.0, 5), "first_step"), ((0.0, 0.0, 5), "spacing"), ((0.0, float("nan"), 5), "spacing"),
    ((0.0, 1.0, -1), "n_steps"), ((0.0, 1.0, 2.5), "n_steps"), ((float("inf"), 1.0, 5), "first_step"),
])
def test_on_grid_rejects_bad_arguments_by_name(args, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        lrlib.cosine_decay(1.0, 10).on_grid(*args)


@pytest.mark.parametrize("total, min_lr, kwargs", [
    (1000, 0.0, {}), (10_000, 0.0, {}), (2500, 0.0, dict(warmup_iters_ratio=0.05, no_aug_iter_ratio=0.05)),
    (777, 1e-6, {}), (300, 1e-4, dict(warmup_lr_ratio=0.3)),
])
def test_the_seed_recipe_matches_the_original_everywhere_to_1e_12_or_1e_15_of_the_peak(total, min_lr, kwargs):
    """The claim in lrlib.compat's docstring, on every step of whole schedules (the golden data samples a few)."""
    lr = 0.01
    f = compat.get_lr_scheduler("cos", lr, min_lr, total, **kwargs)
    steps = range(total + 5)
    original = np.array([compat.original_get_lr_scheduler_value("cos", lr, min_lr, total, k, **kwargs) for k in steps])
    for got in (f(steps), f(np.arange(total + 5.0))):
        assert np.all(np.abs(got - original) <= np.maximum(1e-12 * np.abs(original), 1e-15 * lr))
    if min_lr == 0.0 and total >= 1000:  # and the bound is needed: relative alone would fail here
        positive = original > 0
        assert np.max(np.abs(f(steps) - original)[positive] / original[positive]) > 1e-12


@SETTINGS
@given(st.floats(0, 1e4), st.floats(1e-3, 50), st.integers(0, 2000), st.floats(0, 2e4))
def test_a_grid_splits_where_an_array_of_the_same_steps_would(t0, dt, n, boundary):
    from lrlib.schedule import grid_index_at_or_after

    steps = t0 + dt * np.arange(n, dtype=np.float64)
    assert grid_index_at_or_after(boundary, t0, dt, n) == np.searchsorted(steps, boundary, side="left")
