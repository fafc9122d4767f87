"""lrlib against optax's schedules (JAX), evaluated live.

optax schedules are pure functions of the update count, like lrlib's; an optax
optimizer calls its schedule with the count 0, 1, 2, ... Each case evaluates the
real optax schedule at every count, in float64, and compares it with the lrlib
schedule evaluated once on the whole array of steps, to a relative 1e-9. The cases
and the mapping live in ``torch_mapping.py``, shared with the reference tables.

Without optax these tests are skipped, unless ``LRLIB_REQUIRE_OPTAX=1`` is set (as
in CI); ``test_reference_tables.py`` still checks lrlib against optax's recorded
tables.
"""

import numpy as np
import pytest

import lrlib
import torch_mapping as tm


@pytest.fixture(scope="module")
def optax():
    return tm.import_or_skip("optax", tm.IMPORTERS["optax"])


FAMILIES = {"cosine_decay_schedule", "warmup_cosine_decay_schedule", "exponential_decay",
            "piecewise_constant_schedule", "linear_schedule", "polynomial_schedule", "cosine_onecycle_schedule",
            "linear_onecycle_schedule", "sgdr_schedule"}


def test_the_cases_cover_optax_families():
    assert {c["class"] for c in tm.OPTAX_CASES} == FAMILIES


@pytest.mark.parametrize("case", tm.OPTAX_CASES, ids=tm.case_id)
def test_lrlib_matches_optax(case, optax):
    tm.assert_matches_real(case)


def test_optax_warmup_cosine_counts_the_warmup_in_decay_steps(optax):
    # decay_steps is the whole schedule: the cosine reaches end_value at decay_steps, not at
    # warmup_steps + decay_steps (as a reader of the name might expect).
    f = optax.warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=10, decay_steps=100, end_value=0.0)
    assert float(f(10)) == 1.0 and float(f(100)) == 0.0
    assert float(f(55)) == pytest.approx(0.5, rel=1e-12)   # halfway through the 90 cosine steps
    np.testing.assert_allclose([float(f(k)) for k in range(101)],
                               lrlib.warmup_cosine(1.0, 100, 10)(np.arange(101)), rtol=1e-12, atol=1e-15)


def test_optax_onecycle_truncates_its_peak_step(optax):
    # int(pct_start * transition_steps): with 37 steps and pct_start 0.25 the peak comes at step 9,
    # not 9.25, and lrlib's join reproduces that only with the truncated boundary.
    f = optax.cosine_onecycle_schedule(37, 1.0, pct_start=0.25, div_factor=10.0, final_div_factor=100.0)
    assert float(f(9)) == 1.0 and float(f(8)) < 1.0 and float(f(10)) < 1.0
    untruncated = lrlib.join([lrlib.warmup(0.1, 1.0, 9.25, "cosine"), lrlib.decay(1.0, 37 - 9.25, 0.001, "cosine")],
                             [9.25])
    with pytest.raises(AssertionError):
        tm.assert_agrees(untruncated(np.arange(40.0)), [float(f(k)) for k in range(40)])
