"""Whole curves: a ``range`` of steps is just steps, and the cosine keeps its digits.

A schedule called with a ``range`` gives the values of the same steps as an array, for
every family; the cosine stays accurate next to a floor of 0, where ``1 + cos`` loses
digits (checked against extended precision); and the seed's recipe agrees with the
original on every step of whole schedules, not only the golden data's samples.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, schedules

import lrlib
from lrlib import compat

EXTENDED = np.finfo(np.longdouble).eps < 1e-18  # x86 long double: 64-bit mantissa

ranges = st.builds(lambda a, n, s: range(a, a + n * s, s), st.integers(0, 4000), st.integers(0, 3000), st.integers(1, 7))


@SETTINGS
@given(schedules(), ranges)
def test_a_range_gives_the_values_of_the_same_steps_as_an_array(sched_and_monotone, r):
    sched, _monotone = sched_and_monotone
    np.testing.assert_array_equal(sched(r), sched(np.arange(r.start, r.stop, r.step, dtype=np.float64)))


@pytest.mark.skipif(not EXTENDED, reason="needs an 80-bit long double (x86) for the reference")
@pytest.mark.parametrize("total", [1000, 10**6])
def test_the_cosine_is_accurate_next_to_a_floor_of_zero(total):
    """lrlib against the formula in extended precision.

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
    got = sched(steps.astype(float))
    err = np.abs(got.astype(np.longdouble) - reference) / reference
    assert float(err.max()) <= 4 * np.finfo(float).eps
    # the plain float64 1 + cos(...) is what loses digits near the end (here, why lrlib squares a sine)
    naive = 0.5 * (1.0 + np.cos(np.pi * steps.astype(float) / total))
    naive_err = float(np.max(np.abs(naive.astype(np.longdouble) - reference) / reference))
    assert naive_err > (1e-12 if total == 1000 else 1e-7)  # vs lrlib <= 9e-16


def test_ranges_that_are_not_increasing_from_zero_go_through_the_usual_checks():
    f = lrlib.cosine_decay(1.0, 10)
    np.testing.assert_array_equal(f(range(10, -1, -2)), f(np.arange(10, -1, -2, dtype=float)))
    with pytest.raises(ValueError, match=r"step must be a finite number >= 0, got step=-1"):
        f(range(-1, 5))
    assert f(range(3, 3)).shape == (0,)


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
