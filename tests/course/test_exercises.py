"""The exercise checks' sealed answers: one-way, and accepting exactly what the plain check accepts.

The reference for "what a check accepts" is the plain comparison ``|x - v| <= atol + rtol |v|``
(the numbers a student may give); a sealed value must accept every such answer, reject every
answer further than 2.2 times the tolerance, and hold nothing from which the value can be read.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import math
import re

import numpy as np
import pytest

from lrcourse import exercises as ex
from lrcourse import i18n

TOLERANCES = [(1e-2, 0.0), (1e-6, 0.0), (1e-9, 0.0), (0.02, 0.0), (1e-6, 1e-12), (1e-3, 1e-4), (0.0, 0.5),
              (0.0, 1e-3)]


def _quiet(fn, *args, **kw):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fn(*args, **kw)
    return result, out.getvalue()


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("rtol,atol", TOLERANCES)
def test_a_sealed_number_accepts_what_the_plain_check_accepts(rtol, atol):
    """Within the tolerance: always accepted (both ends included); beyond 2.2 times it: never (the bins are
    one tolerance wide and the neighbours count, so up to about twice the tolerance can pass)."""
    rng = np.random.default_rng(11)
    values = [0.0, 1.0, -1.0, 60.0, 0.004564815155368675, 79.51672353008667, 1e-7, -3e-5, 0.31622776601683794]
    values += list(rng.lognormal(0.0, 4.0, 40) * rng.choice([-1, 1], 40))
    for v in values:
        token = ex.seal(v, rtol=rtol, atol=atol)
        tol = atol + rtol * abs(v)
        inside = [v, v + tol, v - tol] + list(v + tol * rng.uniform(-1, 1, 30))
        inside = [x for x in inside if abs(x - v) <= tol]  # (rounding at the ends)
        outside = [v + 2.2 * tol + 1e-300, v - 2.2 * tol - 1e-300] + list(
            v + tol * rng.choice([-1, 1], 30) * rng.uniform(2.2, 50, 30))
        for x in inside:
            assert _quiet(ex.check_number, x, token, rtol=rtol, atol=atol)[0], (v, x, rtol, atol)
        for x in outside:
            if x != v:
                assert not _quiet(ex.check_number, x, token, rtol=rtol, atol=atol)[0], (v, x, rtol, atol)


def test_no_tolerance_means_the_exact_value():
    token = ex.seal(0.1, rtol=0, atol=0)
    assert _quiet(ex.check_number, 0.1, token, rtol=0, atol=0)[0]
    assert not _quiet(ex.check_number, math.nextafter(0.1, 1), token, rtol=0, atol=0)[0]


def test_a_seal_holds_no_readable_value():
    """The token is salted hashes: no digits of the value, nothing that decodes to it, a new salt every time."""
    for value in (0.18181818181818182, 60.0, 0.0392156862745098):
        a, b = ex.seal(value, rtol=1e-3), ex.seal(value, rtol=1e-3)
        assert a != b  # new salt
        salt_and_hash = a.split(":", 4)[-1]
        assert re.fullmatch(r"[0-9a-f]{8}:[0-9a-f]{8}", salt_and_hash), a
        for text in (repr(value), f"{value:.4g}", json.dumps(value)):
            assert text not in a
    choice = ex.seal("linear")
    assert re.fullmatch(r"sealed:c:[0-9a-f]{8}:[0-9a-f]{8}", choice)
    cases = ex.seal([((0.01, 16, "sgd"), 0.0025), ((0.01, 2, "sgd"), 0.0005), ((0.1, 2, "sgd"), 0.0005)], rtol=1e-6,
                    atol=1e-12)
    body = json.loads(base64.urlsafe_b64decode(cases.split(":")[-1]))
    assert [args for args, _ in body] == [[0.01, 16, "sgd"], [0.01, 2, "sgd"], [0.1, 2, "sgd"]]  # the inputs, readable
    assert "0.0025" not in json.dumps(body) and "0.0005" not in json.dumps(body)
    assert body[1][1] != body[2][1]  # equal answers do not show as equal


def test_a_sealed_number_says_not_right_without_a_direction():
    token = ex.seal(0.5)
    ok, out = _quiet(ex.check_number, 0.6, token, name="lr_max")
    assert not ok and out.strip() == "✘ Not yet: lr_max = 0.6 is not right."
    ok, out = _quiet(ex.check_number, 0.6, 0.5, name="lr_max")  # the plain value still says which way
    assert not ok and "too large" in out
    ok, out = _quiet(ex.check_number, 0.5004, token, name="lr_max")
    assert ok and "lr_max ≈ 0.5004" in out
    i18n.set_language("zh")
    assert "还不对" in _quiet(ex.check_number, 0.6, token)[1]


def test_a_sealed_number_refuses_another_tolerance():
    token = ex.seal(0.5, rtol=1e-6)
    with pytest.raises(ValueError, match=r"sealed with rtol=1e-06, atol=0.0, but the check has rtol=0.01"):
        ex.check_number(0.5, token)
    with pytest.raises(ValueError, match="rtol must be below 1"):
        ex.seal(0.5, rtol=1.5)
    with pytest.raises(ValueError, match="atol must be a finite number >= 0, got atol=-1"):
        ex.seal(0.5, atol=-1)
    with pytest.raises(ValueError, match="value must be a finite number"):
        ex.seal(float("nan"))


def test_an_old_reversible_seal_is_refused():
    old = "sealed:" + base64.b64encode(json.dumps(0.25).encode()[::-1]).decode()
    with pytest.raises(ValueError, match="seal the answer again"):
        ex.check_number(0.25, old)


def test_sealed_choices():
    token = ex.seal("b")
    assert _quiet(ex.check_choice, " B ", token, "abc")[0]
    why = {"a": "That is the first epoch.", "b": "Right: the tail.", "c": "That is the warmup's length."}
    ok, out = _quiet(ex.check_choice, "c", token, "abc", feedback=why)
    assert not ok and "Not 'c'. That is the warmup's length." in out and "Right" not in out
    ok, out = _quiet(ex.check_choice, "b", token, "abc", feedback=why)
    assert ok and "Right: the tail." in out and "warmup" not in out
    assert not _quiet(ex.check_choice, "z", token, "abc")[0]
    yes = ex.seal("yes")
    assert _quiet(ex.check_choice, "Yes", yes, ["yes", "no"])[0]
    assert not _quiet(ex.check_choice, "no", yes, ["yes", "no"])[0]


def test_feedback_that_leaves_an_option_out_is_refused():
    """Feedback for every option but one would point at that one: refused when the check is called, even
    before the student has answered (so a lesson with such a dict fails when CI runs it)."""
    token = ex.seal("b")
    for answer in ("a", ...):
        with pytest.raises(ValueError, match=r"feedback has no text for the option\(s\) \['b'\]"):
            ex.check_choice(answer, token, "abc", feedback={"a": "no", "c": "no"})


def test_a_sealed_range():
    """[0.487, 0.618] at a resolution of 0.005: the two-decimal values from 0.49 to 0.61, nothing else."""
    token = ex.seal_range(0.487, 0.618, resolution=0.005)
    grid = [round(k / 100, 2) for k in range(30, 81)]
    accepted = [x for x in grid if _quiet(ex.check_range, x, token, name="f")[0]]
    assert accepted == [round(k / 100, 2) for k in range(49, 62)]
    assert "0.487" not in token and "0.618" not in token
    assert _quiet(ex.check_range, 0.3, token, name="f")[1].strip() == "✘ Not yet: f = 0.3 is not right."
    with pytest.raises(ValueError, match="resolution must be"):
        ex.seal_range(0, 1, resolution=0)


def test_sealed_cases_of_a_function():
    token = ex.seal([((1, 1, 2), 1), ((4, 1, 2), 15), ((3, 10, 2), 30)], rtol=1e-6, atol=1e-12)

    def right(a, b, c):
        return {1: 1, 4: 15, 3: 30}[a]
    ok, out = _quiet(ex.check_function, right, token, name="restart")
    assert ok and "restart(4, 1, 2) = 15" in out
    ok, out = _quiet(ex.check_function, lambda a, b, c: a, token, name="restart")
    assert not ok and "restart(4, 1, 2) = 4 is not right." in out and "15" not in out and "30" not in out
    bools = ex.seal([((0.1, 10.0), True), ((0.3, 10.0), False)], rtol=1e-6, atol=1e-12)
    assert _quiet(ex.check_function, lambda lr, h: lr * h < 2, bools, name="stable")[0]
    assert not _quiet(ex.check_function, lambda lr, h: True, bools, name="stable")[0]
    assert not _quiet(ex.check_function, lambda lr, h: 1.0, bools, name="stable")[0]  # a number is not a bool
    assert not _quiet(ex.check_function, lambda a, b, c: True, token, name="restart")[0]  # nor a bool a number


def test_sealed_values_of_a_schedule():
    """A linear decay from 0.1 to 0 over 100 steps, checked at 0, 50 and 100 against sealed values."""
    token = ex.seal({0: 0.1, 50: 0.05, 100: 0.0}, rtol=1e-6, atol=1e-12)
    ok, out = _quiet(ex.check_schedule, lambda t: 0.1 * (1 - t / 100), values=token)
    assert ok and "f(0) = 0.1 · f(50) = 0.05 · f(100) = 0" in out
    ok, out = _quiet(ex.check_schedule, lambda t: 0.05 * (1 + math.cos(math.pi * t / 100)), values=token)
    assert ok  # a cosine to zero goes through the same three points
    ok, out = _quiet(ex.check_schedule, lambda t: 0.1 * (1 - t / 200), values=token)
    assert not ok and "f(50) = 0.075 is not right." in out and "f(100) = 0.05 is not right." in out
    assert "should be" not in out
    with pytest.raises(ValueError, match="sealed with rtol=1e-06"):
        ex.check_schedule(lambda t: 0.1, values=token, rtol=1e-3)
