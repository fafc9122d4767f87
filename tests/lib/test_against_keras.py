"""lrlib against Keras's schedules (Keras 3 on its JAX backend), evaluated live.

Like optax's, Keras's schedules are functions of the iteration count, which a Keras
optimizer passes them from 0. Each case evaluates the real schedule at every count, in
float64, and compares it with the lrlib schedule evaluated once on the whole array of
steps, to a relative 1e-9. The cases and the mapping live in ``torch_mapping.py``,
shared with the reference tables.

Without keras these tests are skipped, unless ``LRLIB_REQUIRE_KERAS=1`` is set (as in
CI); ``test_reference_tables.py`` still checks lrlib against Keras's recorded tables.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrlib
import torch_mapping as tm


@pytest.fixture(scope="module")
def keras():
    return tm.import_or_skip("keras", tm.IMPORTERS["keras"])


def test_the_cases_cover_both_forms_of_inverse_time_decay():
    assert {c["class"] for c in tm.KERAS_CASES} == {"InverseTimeDecay"}
    assert {c["kwargs"]["staircase"] for c in tm.KERAS_CASES} == {False, True}
    assert len(tm.KERAS_CASES) >= 24


@pytest.mark.parametrize("case", tm.KERAS_CASES, ids=tm.case_id)
def test_lrlib_matches_keras(case, keras):
    tm.assert_matches_real(case)


@settings(max_examples=25, deadline=None, database=None, derandomize=True)
@given(lr=st.sampled_from([1.0, 0.1, 3e-4]), steps=st.sampled_from([1, 2.5, 10, 100]),
       rate=st.sampled_from([1e-3, 0.1, 0.5, 1.0, 4.0]), staircase=st.booleans(), n=st.integers(1, 300))
def test_inverse_time_decay_matches_keras_for_random_parameters(keras, lr, steps, rate, staircase, n):
    kw = {"initial_learning_rate": lr, "decay_steps": steps, "decay_rate": rate, "staircase": staircase}
    tm.assert_matches_real(tm.case("keras", "InverseTimeDecay", kw, lr, n))


def test_keras_computes_in_float64_here(keras):
    # jax_enable_x64 (set by the importer) makes Keras's schedules compute in float64; in float32 they
    # would be off by about 1e-8 relative, ten times the tolerance asked of lrlib.
    f = keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=3, decay_rate=0.7)
    assert f(5).dtype == np.float64
