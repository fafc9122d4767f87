"""Checks for the lessons' exercises: they test properties of an answer, not one exact text.

Each check prints a verdict in the current course language (``lrcourse.set_language``)
and returns whether the answer passed. A wrong or missing answer never raises, so a
student notebook with unfinished exercises still runs to the end; a teacher
notebook writes ``assert check_...(solution)`` so a wrong solution fails CI.

Expected answers can be passed *sealed* (``seal(0.18)`` gives an opaque string), so
that a check call in a student's notebook does not print the answer in plain sight.
Every check returns a :class:`Verdict`, which is true or false like a bool and shows
nothing of its own in a notebook (the verdict was printed already).

An exercise stub such as ::

    def my_schedule(t):
        ...  # your code here

returns ``None``; every check reads that (and ``None``, ``...``, ``NotImplemented``
given as the answer itself) as "no answer yet".

    >>> import lrcourse
    >>> lrcourse.set_language("en")
    >>> def my_schedule(t):
    ...     ...  # your code here
    >>> check_schedule(my_schedule, values={0: 0.1})
    (No answer yet. Write it, then run this cell again.)
    False
    >>> check_schedule(lambda t: 0.1 * 0.5 ** (t // 10), values={0: 0.1, 10: 0.05},
    ...                monotone="decreasing", total_steps=30)
    ✔ All checks passed!
      Checked: f(0) = 0.1 · f(10) = 0.05 · never goes up
    True

Numbers only need numpy; nothing here plots.
"""

from __future__ import annotations

import base64
import json
import math
import numbers

import numpy as np

from .i18n import t

__all__ = ["check_schedule", "check_number", "check_range", "check_choice", "check_function",
           "is_missing", "seal", "Verdict"]

_SEAL = "sealed:"


class Verdict:
    """The result of a check: true when every property holds.

    It behaves like the bool it wraps (``assert``, ``if``, ``==``), prints as ``True`` or
    ``False``, and displays nothing in a notebook, where the check printed its verdict.

    >>> v = Verdict(False)
    >>> bool(v), v == False, v
    (False, True, False)
    """

    __slots__ = ("passed",)

    def __init__(self, passed: bool):
        self.passed = bool(passed)

    def __bool__(self) -> bool:
        return self.passed

    def __eq__(self, other) -> bool:
        return self.passed == bool(other) if isinstance(other, (bool, np.bool_, Verdict)) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.passed)

    def __repr__(self) -> str:
        return repr(self.passed)

    def _ipython_display_(self) -> None:
        """Show nothing: the check already printed its verdict."""


def seal(value) -> str:
    """An opaque string for an expected answer (a number, a string, a list of them).

    Pass it to a check instead of the value, so that a student's notebook does not show
    the answer. It hides, it does not protect: ``unseal`` is one line.

    >>> token = seal(0.25); token.startswith("sealed:"), unseal(token)
    (True, 0.25)
    """
    raw = json.dumps(value).encode("utf-8")
    return _SEAL + base64.b64encode(raw[::-1]).decode("ascii")


def unseal(value):
    """The value behind :func:`seal`'s string (anything else is returned as it is)."""
    if isinstance(value, str) and value.startswith(_SEAL):
        return json.loads(base64.b64decode(value[len(_SEAL):])[::-1].decode("utf-8"))
    return value

_MISSING = (None, Ellipsis, NotImplemented)


def is_missing(answer) -> bool:
    """True for the placeholders a stub leaves: ``None``, ``...``, ``NotImplemented``.

    >>> is_missing(None), is_missing(...), is_missing(0.0)
    (True, True, False)
    """
    return any(answer is m for m in _MISSING)


def _fmt(x) -> str:
    """A number as a learner would write it (6 significant digits)."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Real):
        return f"{float(x):.6g}"
    return repr(x)


def _verdict(failures: list[str], passed: list[str], quiet: bool = False) -> Verdict:
    """Print the verdict: the first failure and the others, or the list of what holds."""
    if quiet:
        return Verdict(not failures)
    if failures:
        print(t("check_failed", detail=failures[0]))
        for detail in failures[1:]:
            print("  " + t("ex_also", detail=detail))
        return Verdict(False)
    print(t("check_passed"))
    if passed:
        print("  " + t("ex_checked", items=" · ".join(passed)))
    return Verdict(True)


def _not_done(quiet: bool = False) -> Verdict:
    if not quiet:
        print(t("check_not_done"))
    return Verdict(False)


class _Stop(Exception):
    """The answer cannot be evaluated; carries the detail to print (or None: not done)."""

    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


def _evaluate(fn, ts: np.ndarray, name: str) -> np.ndarray:
    """``fn`` at every step of ``ts``: vectorised if it can, else one step at a time."""
    with np.errstate(all="ignore"):
        try:
            out = fn(ts)
            arr = np.asarray(out, dtype=np.float64)
            if arr.shape == ts.shape:
                if not np.all(np.isfinite(arr)):
                    i = int(np.flatnonzero(~np.isfinite(arr))[0])
                    raise _Stop(t("ex_not_finite", call=f"{name}({_fmt(ts[i])})", got=_fmt(arr[i])))
                return arr
        except _Stop:
            raise
        except Exception:  # not vectorised (an `if` on t, math.cos, ...): go one step at a time
            pass
        values = np.empty(ts.shape)
        for i, step in enumerate(ts):
            step = float(step)
            step = int(step) if step.is_integer() else step
            call = f"{name}({_fmt(step)})"
            try:
                v = fn(step)
            except Exception as exc:  # a wrong answer must not stop the notebook
                raise _Stop(t("ex_raised", call=call, error=f"{type(exc).__name__}: {exc}")) from None
            if is_missing(v):
                raise _Stop(None if i == 0 else t("ex_not_number", call=call, got=repr(v)))
            if isinstance(v, np.ndarray) and v.size == 1:
                v = v.item()
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                raise _Stop(t("ex_not_number", call=call, got=repr(v)))
            if not math.isfinite(float(v)):
                raise _Stop(t("ex_not_finite", call=call, got=_fmt(v)))
            values[i] = float(v)
        return values


def _close(got: float, expected: float, rtol: float, atol: float) -> bool:
    return abs(got - expected) <= atol + rtol * abs(expected)


def check_schedule(answer, *, values=None, monotone=None, bounds=None, continuous_at=(),
                   like=None, total_steps=None, steps=None, rtol=1e-6, atol=1e-12,
                   name="f", quiet=False) -> Verdict:
    """Check a schedule ``answer(t) -> lr`` by its properties; print the verdict; return it.

    Args:
        answer: the student's function of the step (scalar or vectorised; an lrlib
            ``Schedule`` works too). A stub that returns ``None`` means "not done".
        values: ``{t: lr}`` the answer must hit (start, joins, value at ``T``, ...);
            may be sealed (:func:`seal`).
        monotone: ``"decreasing"`` (never goes up) or ``"increasing"`` (never goes down),
            on the grid of steps.
        bounds: ``(lo, hi)``: every value on the grid lies in this interval.
        continuous_at: steps where the curve must not jump (the value just before
            equals the value at the step).
        like: a reference schedule; the answer must agree with it on the grid.
        total_steps: the grid is 401 points from 0 to ``total_steps`` (default: up to
            the largest step in ``values``/``continuous_at``), plus those steps.
        steps: an explicit grid instead.
        rtol, atol: tolerance for every comparison of two values.
        name: how the function is called in messages.
        quiet: print nothing (to decide whether a later cell can use the answer).

    Returns:
        a :class:`Verdict`, true when every property holds.

    Examples:
        >>> import lrcourse; lrcourse.set_language("en")
        >>> check_schedule(lambda t: 0.1 if t < 5 else 0.2, monotone="decreasing", total_steps=10)
        ✘ Not yet: The curve should never go up, but it rises from t = 4.975 to t = 5 (0.1 → 0.2).
        False
        >>> check_schedule(lambda t: 1.0 - t / 10, values={10: 0.0}, continuous_at=[5], bounds=(0, 1))
        ✔ All checks passed!
          Checked: f(10) = 0 · continuous at t = 5 · stays within [0, 1]
        True
    """
    if is_missing(answer):
        return _not_done(quiet)
    if not callable(answer):
        return _verdict([t("ex_not_callable", kind=type(answer).__name__)], [], quiet)
    values = {float(k) if isinstance(k, str) else k: v for k, v in dict(unseal(values) or {}).items()}
    continuous_at = [float(s) for s in continuous_at]
    if steps is None:
        end = total_steps if total_steps is not None else max(
            [float(s) for s in values] + continuous_at + [1.0])
        grid = np.linspace(0.0, float(end), 401)
    else:
        grid = np.asarray(steps, dtype=np.float64).reshape(-1)
    scale_pts = np.array([float(s) for s in values] + continuous_at, dtype=np.float64)
    eps = 1e-7 * max(1.0, float(np.max(np.abs(np.concatenate([grid, scale_pts]))) if grid.size else 1.0))
    left_pts = np.array([max(s - eps, 0.0) for s in continuous_at], dtype=np.float64)
    all_ts = np.unique(np.concatenate([grid, scale_pts, left_pts]))
    try:
        ys = _evaluate(answer, all_ts, name)
    except _Stop as stop:
        return _not_done(quiet) if stop.detail is None else _verdict([stop.detail], [], quiet)
    at = dict(zip(all_ts.tolist(), ys.tolist()))
    g = np.array([at[s] for s in grid.tolist()])
    failures, passed = [], []

    for s, want in values.items():
        got, call = at[float(s)], f"{name}({_fmt(s)})"
        if _close(got, float(want), rtol, atol):
            passed.append(f"{call} = {_fmt(want)}")
        else:
            failures.append(t("ex_value", call=call, expected=_fmt(want), got=_fmt(got)))

    if monotone is not None:
        if monotone not in ("decreasing", "increasing"):
            raise ValueError(f"monotone must be 'decreasing' or 'increasing', got monotone={monotone!r}")
        sign = 1.0 if monotone == "decreasing" else -1.0
        tol = atol + rtol * (np.max(np.abs(g)) if g.size else 0.0)
        bad = np.flatnonzero(sign * (g[1:] - g[:-1]) > tol)
        if bad.size:
            i = int(bad[0])
            key = "ex_rises" if monotone == "decreasing" else "ex_falls"
            failures.append(t(key, t0=_fmt(grid[i]), t1=_fmt(grid[i + 1]), v0=_fmt(g[i]), v1=_fmt(g[i + 1])))
        else:
            passed.append(t("ex_prop_nonincreasing" if monotone == "decreasing" else "ex_prop_nondecreasing"))

    if continuous_at:
        scale = max(np.max(np.abs(ys)), 1e-300)
        jumps = []
        for s, lp in zip(continuous_at, left_pts):
            left, right = at[float(lp)], at[s]
            if s > 0 and abs(left - right) > 1e-4 * scale + atol:
                jumps.append(t("ex_jump", t=_fmt(s), left=_fmt(left), right=_fmt(right)))
        failures.extend(jumps)
        if not jumps:
            passed.append(t("ex_prop_continuous", ts=", ".join(_fmt(s) for s in continuous_at)))

    if bounds is not None:
        lo, hi = float(bounds[0]), float(bounds[1])
        tol = atol + rtol * max(abs(lo), abs(hi))
        bad = np.flatnonzero((g < lo - tol) | (g > hi + tol))
        if bad.size:
            i = int(bad[0])
            failures.append(t("ex_out_of_bounds", call=f"{name}({_fmt(grid[i])})", got=_fmt(g[i]),
                              lo=_fmt(lo), hi=_fmt(hi)))
        else:
            passed.append(t("ex_prop_bounds", lo=_fmt(lo), hi=_fmt(hi)))

    if like is not None:
        ref = np.asarray(like(grid), dtype=np.float64)
        ok = np.abs(g - ref) <= atol + rtol * np.abs(ref)
        if ok.all():
            passed.append(t("ex_prop_matches", n=grid.size))
        else:
            i = int(np.flatnonzero(~ok)[0])
            failures.append(t("ex_differs", call=f"{name}({_fmt(grid[i])})", expected=_fmt(ref[i]), got=_fmt(g[i])))

    return _verdict(failures, passed, quiet)


def _as_number(answer):
    """The answer as a float, or a detail saying why it is not a number."""
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return None, t("ex_not_a_number", got=repr(answer))
    x = float(answer)
    if not math.isfinite(x):
        return None, t("ex_not_a_number", got=repr(answer))
    return x, None


def check_number(answer, expected, *, rtol=1e-2, atol=0.0, name="x") -> Verdict:
    """Check a number the student computed against ``expected`` (maybe sealed) within a tolerance.

    Says "too large" or "too small" without giving the value away.

    Examples:
        >>> import lrcourse; lrcourse.set_language("en")
        >>> check_number(0.5, 0.5, name="lr_max")
        ✔ All checks passed!
          Checked: lr_max ≈ 0.5
        True
        >>> check_number(2.0, 0.5, name="lr_max")
        ✘ Not yet: lr_max = 2 is too large.
        False
        >>> check_number(None, 0.5)
        (No answer yet. Write it, then run this cell again.)
        False
    """
    if is_missing(answer):
        return _not_done()
    x, problem = _as_number(answer)
    if problem:
        return _verdict([problem], [])
    expected = float(unseal(expected))
    if _close(x, expected, rtol, atol):
        return _verdict([], [f"{name} ≈ {_fmt(expected)}"])
    key = "ex_too_large" if x > expected else "ex_too_small"
    return _verdict([t(key, name=name, got=_fmt(x))], [])


def check_range(answer, low=-math.inf, high=math.inf, *, name="x", inclusive=False) -> Verdict:
    """Check that a value the student picked lies strictly between ``low`` and ``high``.

    For "pick a learning rate that ..." questions, where many answers are right.

    Examples:
        >>> import lrcourse; lrcourse.set_language("en")
        >>> check_range(0.3, 0.0, 0.4, name="lr")
        ✔ All checks passed!
          Checked: lr is in the right range
        True
        >>> check_range(0.45, 0.0, 0.4, name="lr")
        ✘ Not yet: lr = 0.45 is too large.
        False
    """
    if is_missing(answer):
        return _not_done()
    x, problem = _as_number(answer)
    if problem:
        return _verdict([problem], [])
    low, high = float(unseal(low)), float(unseal(high))
    above = x > high if inclusive else x >= high
    below = x < low if inclusive else x <= low
    if above or below:
        return _verdict([t("ex_too_large" if above else "ex_too_small", name=name, got=_fmt(x))], [])
    return _verdict([], [t("ex_prop_in_range", name=name)])


def check_choice(answer, correct, options, *, feedback=None) -> Verdict:
    """Check a multiple-choice answer (a letter, a number, a word).

    Args:
        answer: what the student picked.
        correct: the right option.
        options: every option, e.g. ``"abcd"`` or ``["cosine", "step"]``.
        feedback: optional ``{option: text}``: why that wrong option is wrong, written in the
            lesson's language (shown after "not ...").

    Examples:
        >>> import lrcourse; lrcourse.set_language("en")
        >>> check_choice("b", "b", "abc")
        ✔ All checks passed!
        True
        >>> check_choice("z", "b", "abc")
        ✘ Not yet: 'z' is not one of the options a, b, c.
        False
        >>> check_choice("a", "b", "abc", feedback={"a": "That is the warmup's length."})
        ✘ Not yet: Not 'a'. That is the warmup's length.
        False
    """
    if is_missing(answer):
        return _not_done()
    correct = unseal(correct)
    opts = list(options)
    norm = (lambda v: v.strip().lower()) if all(isinstance(o, str) for o in opts) and isinstance(answer, str) \
        else (lambda v: v)
    pick = norm(answer)
    matches = [o for o in opts if norm(o) == pick]
    if not matches:
        return _verdict([t("ex_not_option", got=str(answer), options=", ".join(map(str, opts)))], [])
    if matches[0] == correct:
        return _verdict([], [])
    detail = t("ex_wrong_choice", got=str(answer))
    if feedback and matches[0] in feedback:
        detail += " " + feedback[matches[0]]
    return _verdict([detail], [])


def check_function(answer, cases, *, name="f", rtol=1e-6, atol=1e-12) -> Verdict:
    """Check a small function the student wrote against ``[(args, expected), ...]``.

    ``expected`` is a number (compared within the tolerance) or a bool (compared exactly).
    Every case is tried; all wrong cases are reported. ``cases`` may be sealed.

    Examples:
        >>> import lrcourse; lrcourse.set_language("en")
        >>> check_function(lambda lr, h: lr * h < 2, [((0.1, 10.0), True), ((0.3, 10.0), False)], name="stable")
        ✔ All checks passed!
          Checked: stable(0.1, 10) = True · stable(0.3, 10) = False
        True
        >>> check_function(lambda lr, h: 1 - lr * h, [((0.3, 10.0), 2.0)], name="factor")
        ✘ Not yet: factor(0.3, 10) should be 2, but it is -2.
        False
    """
    if is_missing(answer):
        return _not_done()
    if not callable(answer):
        return _verdict([t("ex_not_callable", kind=type(answer).__name__)], [])
    failures, passed = [], []
    for i, (args, expected) in enumerate(unseal(cases)):
        args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
        call = f"{name}({', '.join(_fmt(a) for a in args)})"
        try:
            with np.errstate(all="ignore"):
                got = answer(*args)
        except Exception as exc:  # a wrong answer must not stop the notebook
            failures.append(t("ex_raised", call=call, error=f"{type(exc).__name__}: {exc}"))
            continue
        if is_missing(got):
            if i == 0:
                return _not_done()
            failures.append(t("ex_not_number", call=call, got=repr(got)))
            continue
        if isinstance(got, np.ndarray) and got.size == 1:
            got = got.item()
        if isinstance(expected, bool):
            ok = isinstance(got, (bool, np.bool_)) and bool(got) == expected
        else:
            ok = (not isinstance(got, bool) and isinstance(got, numbers.Real) and math.isfinite(float(got))
                  and _close(float(got), float(expected), rtol, atol))
        if ok:
            passed.append(f"{call} = {_fmt(expected)}")
        else:
            failures.append(t("ex_value", call=call, expected=_fmt(expected), got=_fmt(got)))
    return _verdict(failures, passed)
