"""lrlib.compat.get_lr_scheduler against the recorded outputs of the original function.

The golden file (``data/seed_get_lr_scheduler.json``) holds 530 calls of the original
``get_lr_scheduler`` (values at integer and fractional steps, both default sets, random
arguments) and what it raised, recorded by ``data/record_seed_golden.py``. lrlib must give the same values to a relative 1e-12, and must raise
``ValueError`` when the schedule is *built* wherever the original raised.
"""

import importlib.util
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from lrlib.compat import get_lr_scheduler, original_get_lr_scheduler_value

DATA = Path(__file__).resolve().parent / "data"
GOLDEN = DATA / "seed_get_lr_scheduler.json"


def _cases():
    return json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]


CASES = _cases()


def _original_raised(case) -> bool:
    return "raises" in case or any(isinstance(v, dict) for v in case["lrs"])


def _case_id(case) -> str:
    kw = ",".join(f"{k}={v}" for k, v in sorted(case["kwargs"].items()))
    return f"{case['lr_decay_type']}-T{case['total_iters']}-lr{case['lr']:.3g}-min{case['min_lr']:.3g}-{kw}"


def test_golden_file_has_the_expected_cases():
    assert len(CASES) == 530
    assert sum(_original_raised(c) for c in CASES) > 0
    assert sum(not _original_raised(c) for c in CASES) > 400


@pytest.mark.parametrize("case", [c for c in CASES if not _original_raised(c)], ids=_case_id)
def test_values_agree_with_the_original(case):
    f = get_lr_scheduler(case["lr_decay_type"], case["lr"], case["min_lr"], case["total_iters"], **case["kwargs"])
    steps = np.asarray(case["iters"], dtype=float)
    expected = np.asarray(case["lrs"], dtype=float)
    got = f(steps)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
    # scalar calls give the same numbers as the array call
    assert [f(s) for s in case["iters"]] == got.tolist()


@pytest.mark.parametrize("case", [c for c in CASES if _original_raised(c)], ids=_case_id)
def test_raises_when_built_where_the_original_raised(case):
    with pytest.raises(ValueError) as info:
        get_lr_scheduler(case["lr_decay_type"], case["lr"], case["min_lr"], case["total_iters"], **case["kwargs"])
    msg = str(info.value)
    assert "step_num" in msg or "total_iters" in msg


@pytest.mark.parametrize("case", [c for c in CASES if not _original_raised(c)][::7], ids=_case_id)
def test_scalar_reference_agrees_with_the_original(case):
    """The scalar reference (used by the benchmark and lesson 05) is checked too."""
    got = [original_get_lr_scheduler_value(case["lr_decay_type"], case["lr"], case["min_lr"],
                                           case["total_iters"], s, **case["kwargs"]) for s in case["iters"]]
    np.testing.assert_allclose(got, case["lrs"], rtol=1e-12, atol=0)


@pytest.mark.parametrize("case", [c for c in CASES if _original_raised(c)], ids=_case_id)
def test_scalar_reference_raises_when_called_where_the_original_did(case):
    """The reference mimics the original: a bad step_num raises when the schedule is built
    (ZeroDivisionError), a too-short schedule only when it is called (ValueError)."""
    errors = {"ValueError": ValueError, "ZeroDivisionError": ZeroDivisionError}
    if "raises" in case:  # the original raised when the schedule was built
        pairs = [(case["iters"][0], case)]
    else:
        pairs = [(step, want) for step, want in zip(case["iters"], case["lrs"]) if isinstance(want, dict)]
    for step, want in pairs:
        with pytest.raises(errors[want["raises"]]):
            original_get_lr_scheduler_value(case["lr_decay_type"], case["lr"], case["min_lr"],
                                            case["total_iters"], step, **case["kwargs"])


def _load_recorder():
    spec = importlib.util.spec_from_file_location("record_seed_golden", DATA / "record_seed_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_recorder_writes_what_a_function_returns_in_the_golden_format(tmp_path):
    """The recorder, run on a stand-in for the original (lrlib's scalar reference), gives the golden file back.

    The stand-in differs from the original only in rounding, so values agree to 1e-12 and every
    error is recorded where the original's was, with the same type.
    """
    recorder = _load_recorder()
    stand_in = tmp_path / "stand_in.py"
    stand_in.write_text(textwrap.dedent("""
        from functools import partial
        from lrlib.compat import original_get_lr_scheduler_value

        def get_lr_scheduler(lr_decay_type, lr, min_lr, total_iters, **kwargs):
            if lr_decay_type != "cos" and kwargs.get("step_num", 10) == 1:
                raise ZeroDivisionError("division by zero")  # the original divides by step_num - 1 when built
            return partial(original_get_lr_scheduler_value, lr_decay_type, lr, min_lr, total_iters, **kwargs)
    """), encoding="utf-8")
    out = tmp_path / "recorded.json"
    assert recorder.main(["--original", str(stand_in), "--out", str(out)]) == 0
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    recorded = json.loads(out.read_text(encoding="utf-8"))
    assert recorded["about"] == golden["about"] and len(recorded["cases"]) == 530
    assert recorder.differences(golden, recorded, rtol=1e-12) == []
    # and a recording that differs is reported
    recorded["cases"][3]["lrs"][1] *= 1.001
    assert len(recorder.differences(golden, recorded, rtol=1e-12)) == 1
