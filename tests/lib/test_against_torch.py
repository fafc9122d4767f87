"""lrlib against the real PyTorch schedulers (and transformers' and timm's), driven live.

Each case builds a one-parameter SGD optimizer, drives the PyTorch scheduler the
way a training loop does (``optimizer.step(); scheduler.step()``), records the lr
the optimizer held at each step, and compares it with the lrlib schedule
evaluated once on the whole array of steps, to a relative 1e-9. The cases and the
mapping to lrlib live in ``torch_mapping.py``, shared with the reference tables.
``ReduceLROnPlateau`` reads a loss: it is driven with ``scheduler.step(loss)`` on
recorded loss sequences and compared with :class:`lrlib.Plateau` replayed on them.

Without torch these tests are skipped, unless ``LRLIB_REQUIRE_TORCH=1`` is set
(as in CI): then every one of them fails. The same holds for transformers and timm
(``LRLIB_REQUIRE_TRANSFORMERS=1``, ``LRLIB_REQUIRE_TIMM=1``); where they are missing,
``test_reference_tables.py`` still checks lrlib against their recorded tables.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import lrlib
import torch_mapping as tm


@pytest.fixture(scope="module", autouse=True)
def _torch_is_there():
    tm.import_or_skip("torch", tm.IMPORTERS["torch"])


FAMILIES = {"StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
            "LinearLR", "PolynomialLR", "OneCycleLR", "SequentialLR", "CyclicLR", "ReduceLROnPlateau"}


def test_every_family_has_several_cases():
    count = {f: sum(c["class"] == f for c in tm.TORCH_CASES) for f in FAMILIES}
    assert set(c["class"] for c in tm.TORCH_CASES) == FAMILIES
    assert min(count.values()) >= 4, count


@pytest.mark.parametrize("case", tm.TORCH_CASES, ids=tm.case_id)
def test_lrlib_matches_torch(case):
    tm.assert_matches_real(case)


@pytest.mark.parametrize("case", tm.TRANSFORMERS_CASES, ids=tm.case_id)
def test_lrlib_matches_transformers(case):
    tm.import_or_skip("transformers", tm.IMPORTERS["transformers"])
    tm.assert_matches_real(case)


def _timm_or_skip():
    """timm.scheduler, or a skip (an error when LRLIB_REQUIRE_TIMM=1, as in CI)."""
    return tm.import_or_skip("timm", tm.IMPORTERS["timm"])


TIMM_FAMILIES = {"CosineLRScheduler", "StepLRScheduler", "MultiStepLRScheduler", "PolyLRScheduler", "WSDLRScheduler"}


def test_every_timm_family_has_several_cases_with_and_without_warmup():
    assert {c["class"] for c in tm.TIMM_CASES} == TIMM_FAMILIES
    for family in TIMM_FAMILIES:
        cases = [c for c in tm.TIMM_CASES if c["class"] == family]
        assert len(cases) >= 4, family
        assert any(c["kwargs"].get("warmup_t") for c in cases) and any(not c["kwargs"].get("warmup_t") for c in cases)


@pytest.mark.parametrize("case", tm.TIMM_CASES, ids=tm.case_id)
def test_lrlib_matches_timm(case):
    _timm_or_skip()
    tm.assert_matches_real(case)


def test_timm_multistep_decays_one_step_before_torch():
    # The same milestones mean different epochs: timm's MultiStepLRScheduler applies
    # milestone m at epoch m - 1, torch's MultiStepLR at epoch m.
    _timm_or_skip()
    milestones, n = [3, 6], 8
    timm_lrs = tm.run_real(tm.case("timm", "MultiStepLRScheduler", {"decay_t": milestones, "decay_rate": 0.1}, 1.0, n))
    torch_lrs = tm.run_real(tm.case("torch", "MultiStepLR", {"milestones": milestones, "gamma": 0.1}, 1.0, n))
    np.testing.assert_allclose(timm_lrs, [1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01], rtol=1e-12)
    np.testing.assert_allclose(torch_lrs, [1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01], rtol=1e-12)


def test_timm_warmup_without_prefix_jumps_to_the_cosine_at_its_own_clock():
    # warmup_prefix=False (the default): the warmup replaces the first W epochs and the
    # cosine does not restart after it, so epoch W already sits below the peak.
    _timm_or_skip()
    base, w, t = 0.1, 10, 40
    lrs = tm.run_real(tm.case("timm", "CosineLRScheduler", {"t_initial": t, "warmup_t": w}, base, t + 1))
    assert lrs[w - 1] == pytest.approx(base * (w - 1) / w, rel=1e-12)
    assert lrs[w] == pytest.approx(0.5 * base * (1 + np.cos(np.pi * w / t)), rel=1e-12)
    assert lrs[w] < base


def test_torch_cosine_rises_after_t_max_while_lrlib_holds_its_floor():
    base, t_max, eta_min = 0.1, 10, 1e-3
    case = tm.case("torch", "CosineAnnealingLR", {"T_max": t_max, "eta_min": eta_min}, base, 4 * t_max + 1)
    torch_lrs = np.asarray(tm.run_real(case))
    ours = lrlib.cosine_decay(base, t_max, eta_min)(tm.steps_of(case))
    # Up to T_max the two are the same curve.
    tm.assert_agrees(ours[: t_max + 1], torch_lrs[: t_max + 1])
    # After it PyTorch's climbs back: a period of 2 * T_max, back at the peak at 2 * T_max.
    assert np.all(np.diff(torch_lrs[t_max: 2 * t_max + 1]) > 0)
    assert torch_lrs[2 * t_max] == pytest.approx(base, rel=1e-9)
    assert torch_lrs[3 * t_max] == pytest.approx(eta_min, rel=1e-9)
    assert torch_lrs[4 * t_max] == pytest.approx(base, rel=1e-9)
    # lrlib's holds eta_min from T_max on.
    assert np.all(ours[t_max:] == eta_min)


# Random parameters for three families: small runs, deterministic (no example database).
HYPOTHESIS = settings(max_examples=25, deadline=None, database=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow])
base_lrs = st.sampled_from([1.0, 0.1, 0.05, 3e-4, 1e-5])


@HYPOTHESIS
@given(base=base_lrs, t0=st.integers(1, 20), mult=st.integers(1, 3),
       floor=st.sampled_from([0.0, 1e-3, 0.1, 0.5]), n=st.integers(1, 200))
def test_warm_restarts_match_torch_for_random_parameters(base, t0, mult, floor, n):
    case = tm.case("torch", "CosineAnnealingWarmRestarts", {"T_0": t0, "T_mult": mult, "eta_min": base * floor},
                   base, n)
    tm.assert_matches_real(case)


@st.composite
def one_cycle_kwargs(draw):
    n = draw(st.integers(4, 400))
    three = draw(st.booleans())
    # every phase needs more than one step: p * n > 1, and for three phases 2 p n < n + 1
    hi = (n + 0.5) / (2 * n) if three else 0.95
    pct = draw(st.floats(min_value=1.5 / n, max_value=hi, allow_nan=False))
    assume(pct * n - 1 > 0 and (not three or n - 1 > 2 * pct * n - 2 > pct * n - 1))
    return {"max_lr": draw(base_lrs), "total_steps": n, "pct_start": pct,
            "anneal_strategy": draw(st.sampled_from(["cos", "linear"])),
            "div_factor": draw(st.sampled_from([1.0, 10.0, 25.0, 100.0])),
            "final_div_factor": draw(st.sampled_from([1.0, 100.0, 1e4])), "three_phase": three}


@HYPOTHESIS
@given(kw=one_cycle_kwargs())
def test_one_cycle_matches_torch_for_random_parameters(kw):
    case = tm.case("torch", "OneCycleLR", kw, kw["max_lr"], kw["total_steps"])
    tm.assert_matches_real(case)


@HYPOTHESIS
@given(base=base_lrs, start=st.sampled_from([1e-3, 0.01, 0.1, 1.0 / 3, 0.9]), w=st.integers(1, 40),
       t_max=st.integers(1, 200), floor=st.sampled_from([0.0, 1e-3, 0.1]))
def test_warmup_then_cosine_matches_sequential_lr_for_random_parameters(base, start, w, t_max, floor):
    kw = {"schedulers": [["LinearLR", {"start_factor": start, "end_factor": 1.0, "total_iters": w}],
                         ["CosineAnnealingLR", {"T_max": t_max, "eta_min": base * floor}]],
          "milestones": [w]}
    case = tm.case("torch", "SequentialLR", kw, base, w + t_max + 1)
    tm.assert_matches_real(case)


def test_the_new_families_have_several_dozen_cases_each():
    count = {f: sum(c["class"] == f for c in tm.ALL_CASES)
             for f in ("CyclicLR", "ReduceLROnPlateau", "get_inverse_sqrt_schedule", "InverseTimeDecay")}
    assert min(count.values()) >= 24, count
    modes = {c["kwargs"]["mode"] for c in tm.CYCLIC_CASES}
    assert modes == set(lrlib.compose.CYCLIC_MODES)
    # every plateau case reduces at least once (a table that never moves would test little)
    assert all(len(tm.run_real(c)) == c["n_steps"] and len(set(tm.run_real(c))) > 1 for c in tm.PLATEAU_CASES)


def test_cyclic_lr_counts_its_first_batch_as_step_0():
    # The constructor takes the first step: batch 0 runs at base_lr, the peak comes on batch step_size_up.
    lrs = tm.run_real(tm.case("torch", "CyclicLR", {"base_lr": 0.1, "max_lr": 1.0, "step_size_up": 4}, 0.1, 9))
    np.testing.assert_allclose(lrs, [0.1, 0.325, 0.55, 0.775, 1.0, 0.775, 0.55, 0.325, 0.1], rtol=1e-12)


@pytest.mark.parametrize("mode", ["min", "max"])
@pytest.mark.parametrize("threshold_mode", ["rel", "abs"])
def test_plateau_reads_nan_and_infinities_as_torch_does(mode, threshold_mode):
    # Not in the tables (JSON has no NaN): a NaN never improves; an infinity does when it lies the right way.
    inf, nan = float("inf"), float("nan")
    metrics = [1.0, nan, nan, 0.5, nan, inf, -inf, 2.0, nan, nan, nan, -inf, inf, inf, 3.0, nan]
    c = tm.plateau_case({"mode": mode, "threshold_mode": threshold_mode, "patience": 1, "factor": 0.5}, 0.1, metrics)
    tm.assert_matches_real(c)


@HYPOTHESIS
@given(base=base_lrs, ratio=st.sampled_from([1.5, 2.0, 10.0, 100.0]), up=st.integers(1, 30),
       down=st.one_of(st.none(), st.integers(1, 30)), mode=st.sampled_from(["triangular", "triangular2", "exp_range"]),
       gamma=st.sampled_from([0.9, 0.99, 0.999, 1.0]), n=st.integers(1, 200))
def test_cyclic_matches_cyclic_lr_for_random_parameters(base, ratio, up, down, mode, gamma, n):
    kw = {"base_lr": base, "max_lr": base * ratio, "step_size_up": up, "step_size_down": down, "mode": mode,
          "gamma": gamma}
    tm.assert_matches_real(tm.case("torch", "CyclicLR", kw, base, n))


# Losses on a coarse grid (multiples of 1/8, so that thresholds of 1/8 and 1/4 give exact ties) and
# thresholds that make them tie, improve or fall short.
@HYPOTHESIS
@given(metrics=st.lists(st.integers(0, 16).map(lambda k: k / 8), min_size=1, max_size=60),
       mode=st.sampled_from(["min", "max"]), threshold_mode=st.sampled_from(["rel", "abs"]),
       threshold=st.sampled_from([0.0, 1e-4, 0.125, 0.25, 0.5]), patience=st.integers(0, 4),
       cooldown=st.integers(0, 3), factor=st.sampled_from([0.0, 0.1, 0.5, 0.9]),
       min_lr=st.sampled_from([0.0, 1e-3, 0.02]), eps=st.sampled_from([0.0, 1e-8, 1e-3]))
def test_plateau_matches_reduce_lr_on_plateau_for_random_losses(metrics, mode, threshold_mode, threshold, patience,
                                                                cooldown, factor, min_lr, eps):
    kw = {"mode": mode, "threshold_mode": threshold_mode, "threshold": threshold, "patience": patience,
          "cooldown": cooldown, "factor": factor, "min_lr": min_lr, "eps": eps}
    tm.assert_matches_real(tm.plateau_case(kw, 0.1, metrics))


@HYPOTHESIS
@given(base=base_lrs, w=st.integers(0, 60), tau=st.one_of(st.none(), st.integers(1, 500)), n=st.integers(1, 300))
def test_inverse_sqrt_matches_transformers_for_random_parameters(base, w, tau, n):
    tm.import_or_skip("transformers", tm.IMPORTERS["transformers"])
    kw = {"num_warmup_steps": w, **({} if tau is None else {"timescale": tau})}
    tm.assert_matches_real(tm.case("transformers", "get_inverse_sqrt_schedule", kw, base, n))
