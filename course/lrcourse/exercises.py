"""Checks for the lessons' exercises: they test properties of an answer, not one exact text.

Each check prints a verdict in the current course language (``lrcourse.set_language``)
and returns whether the answer passed. A wrong or missing answer never raises, so a
student notebook with unfinished exercises still runs to the end; a teacher
notebook writes ``assert check_...(solution)`` so a wrong solution fails CI.

Expected answers can be passed *sealed* (``seal(0.18, rtol=0.01)`` gives an opaque
string), so that neither a student's notebook nor this package holds the answer: a seal
is one-way (see :func:`seal`). The lesson's author seals the answer once, when writing the
exercise; the teacher's solution and the check cells may pass the plain value.
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
import hashlib
import json
import math
import numbers
import secrets

import numpy as np

from .i18n import t

__all__ = ["check_schedule", "check_number", "check_range", "check_choice", "check_function",
           "is_missing", "seal", "seal_range", "Verdict"]

_SEAL = "sealed:"
_HASH_HEX = 8  # hex digits of each salted SHA-256 kept in a seal (32 bits: a stray match is below 1e-9)


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


def _hash(salt: str, key: str) -> str:
    return hashlib.sha256(f"{salt}|{key}".encode("utf-8")).hexdigest()[:_HASH_HEX]


def _check_tolerance(rtol, atol) -> tuple[float, float]:
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if isinstance(tol, bool) or not (isinstance(tol, numbers.Real) and math.isfinite(tol) and tol >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {name}={tol!r}")
    if rtol >= 1:
        raise ValueError(f"rtol must be below 1 to seal a number (0.01 is 1 %), got rtol={rtol!r}")
    return float(rtol), float(atol)


def _number_bin(x: float, rtol: float, atol: float) -> int | str:
    """The bin of ``x`` at the tolerance ``atol + rtol * |x|``: what a sealed number is compared by.

    ``x`` is mapped to ``u(x) = sign(x) * ln(1 + rtol |x| / atol) / rtol``, a scale on which the
    tolerance is about one unit everywhere (``u' = 1 / (atol + rtol |x|)``; ``u = x / atol`` when
    ``rtol = 0``, ``u = sign(x) ln|x| / rtol`` when ``atol = 0``), and cut into bins
    ``W = 1 / (1 - rtol)`` wide. An answer within the tolerance of the value is at most
    ``W`` away on that scale, so in the value's bin or a neighbour. With no tolerance the
    bin is the exact value; with ``atol = 0``, zero is a bin of its own.

        >>> [_number_bin(x, 0.01, 0.0) for x in (0.5, 0.502, 0.51, -0.5)]  # floor(ln|x| / 0.01 * 0.99)
        [-69, -69, -67, 'n-69']
        >>> [_number_bin(x, 0.0, 0.5) for x in (0.3, -0.3, 2.0)]          # floor(x / 0.5)
        [0, -1, 4]
    """
    if rtol == 0 and atol == 0:
        return "x" + repr(float(x))
    if rtol == 0:
        return math.floor(x / atol)
    if atol == 0:
        if x == 0:
            return "z"
        b = math.floor(math.log(abs(x)) / rtol * (1 - rtol))
        return b if x > 0 else f"n{b}"
    u = math.copysign(math.log1p(rtol * abs(x) / atol) / rtol, x)
    return math.floor(u * (1 - rtol))


def _neighbours(b) -> list:
    """A bin and the bins on either side of it (a named bin has none)."""
    if isinstance(b, int):
        return [b - 1, b, b + 1]
    if b.startswith("n") and b[1:].lstrip("-").isdigit():
        k = int(b[1:])
        return [f"n{k - 1}", b, f"n{k + 1}"]
    return [b]


def _number_hash(value, rtol: float, atol: float, salt: str) -> str:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"value must be a finite number, got value={value!r}")
    return _hash(salt, str(_number_bin(value, rtol, atol)))


def _number_matches(x: float, h: str, rtol: float, atol: float, salt: str) -> bool:
    return any(_hash(salt, str(b)) == h for b in _neighbours(_number_bin(float(x), rtol, atol)))


def _choice_key(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "bool:" + str(bool(value))
    return json.dumps(value.strip().lower() if isinstance(value, str) else value)


def seal(value, *, rtol=1e-2, atol=0.0) -> str:
    """A one-way token for an expected answer, to pass to a check instead of the answer.

    The token holds salted SHA-256 hashes (32 bits of each), not the value: a student's
    notebook, and this package, can tell whether an answer matches it, not what it is.

    - a number: the hash of the value's bin at the check's tolerance (``_number_bin``);
      an answer matches when its own bin or a neighbour hashes the same. Every answer
      within the tolerance ``atol + rtol * |value|`` is accepted, and none beyond about
      twice it. ``rtol``/``atol`` must be those of the check (the check refuses others):
      :func:`check_number`'s default is ``rtol=0.01``; ``check_schedule``'s and
      ``check_function``'s is ``rtol=1e-6, atol=1e-12``.
    - a string or a bool (a choice): the hash of the option (strings compared as
      :func:`check_choice` does, case and spaces aside).
    - ``{step: number}`` (``check_schedule``'s ``values``) or ``[(args, expected), ...]``
      (``check_function``'s ``cases``): the steps and the arguments as they are, each
      expected value hashed as above.

    One-way is not a safe against guessing: a check tries any answer it is given, as it
    should. But the value can neither be read off the token nor computed from it. Seal
    when writing a lesson (every call draws a new salt), e.g.
    ``python -c "from lrcourse.exercises import seal; print(seal(0.18, rtol=1e-3))"``.

        >>> token = seal(0.25); token.startswith("sealed:n:") and "0.25" not in token
        True
        >>> check_number(0.2501, token), check_number(0.3, token)  # doctest: +NORMALIZE_WHITESPACE
        ✔ All checks passed!
          Checked: x ≈ 0.2501
        ✘ Not yet: x = 0.3 is not right.
        (True, False)
    """
    salt = secrets.token_hex(4)
    if isinstance(value, (str, bool, np.bool_)):
        return f"{_SEAL}c:{salt}:{_hash(salt, _choice_key(value))}"
    rtol, atol = _check_tolerance(rtol, atol)
    if isinstance(value, numbers.Real):
        return f"{_SEAL}n:{rtol!r}:{atol!r}:{salt}:{_number_hash(value, rtol, atol, salt)}"

    def expected(i, v):  # each entry salted with its place, so that equal answers do not show as equal
        if isinstance(v, (bool, np.bool_)):
            return "b" + _hash(f"{salt}.{i}", _choice_key(v))
        if isinstance(v, numbers.Real):
            return "n" + _number_hash(v, rtol, atol, f"{salt}.{i}")
        raise ValueError(f"an expected value must be a number or a bool, got {v!r}")
    if isinstance(value, dict):
        body = [[float(k), expected(i, v)] for i, (k, v) in enumerate(value.items())]
        kind = "m"
    elif isinstance(value, (list, tuple)) and all(isinstance(c, (list, tuple)) and len(c) == 2 for c in value):
        body = [[list(args) if isinstance(args, (list, tuple)) else [args], expected(i, v)]
                for i, (args, v) in enumerate(value)]
        kind = "f"
    else:
        raise ValueError(f"value must be a number, a string, a bool, a {{step: number}} dict or a list of "
                         f"(args, expected) pairs, got value={value!r}")
    packed = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode("utf-8")).decode("ascii")
    return f"{_SEAL}{kind}:{rtol!r}:{atol!r}:{salt}:{packed}"


def seal_range(low: float, high: float, *, resolution: float) -> str:
    """A one-way token for "any value from ``low`` to ``high``" (for :func:`check_range`).

    The hashes of the bins ``resolution`` wide that meet ``[low, high]``: an answer is accepted
    when its bin is one of them, so the accepted values are ``[low, high]`` widened to whole
    bins (by less than ``resolution`` on each side).

        >>> token = seal_range(0.487, 0.618, resolution=0.005)
        >>> [bool(check_range(x, token, name="f")) for x in (0.48, 0.49, 0.61, 0.62)]  # doctest: +ELLIPSIS
        ✘ Not yet: f = 0.48 is not right.
        ✔ All checks passed!
        ...
        [False, True, True, False]
    """
    if isinstance(resolution, bool) or not (isinstance(resolution, numbers.Real) and math.isfinite(resolution)
                                            and resolution > 0):
        raise ValueError(f"resolution must be a finite number > 0, got resolution={resolution!r}")
    if not (math.isfinite(low) and math.isfinite(high) and low <= high):
        raise ValueError(f"low and high must be finite with low <= high, got low={low!r}, high={high!r}")
    n = math.floor(high / resolution) - math.floor(low / resolution) + 1
    if n > 1000:
        raise ValueError(f"resolution={resolution!r} cuts [{low}, {high}] into {n} bins; at most 1000 are sealed")
    salt = secrets.token_hex(4)
    bins = range(math.floor(low / resolution), math.floor(high / resolution) + 1)
    return f"{_SEAL}r:{resolution!r}:{salt}:{'.'.join(sorted(_hash(salt, str(b)) for b in bins))}"


def _kind(token) -> str | None:
    """``"n"``, ``"c"``, ``"r"``, ``"m"`` or ``"f"`` for a seal, None for anything else; an old reversible
    seal (base64 of the value) is refused."""
    if not (isinstance(token, str) and token.startswith(_SEAL)):
        return None
    kind = token[len(_SEAL):len(_SEAL) + 2]
    if kind not in ("n:", "c:", "r:", "m:", "f:"):
        raise ValueError(f"{token[:24]}... is not a seal this version of lrcourse reads (an old, reversible one?): "
                         "seal the answer again with lrcourse.exercises.seal")
    return kind[0]


class _Sealed:
    """An expected value inside a sealed ``{step: number}`` or case list: compared, never shown."""

    def __init__(self, code: str, rtol: float, atol: float, salt: str):
        self.code, self.rtol, self.atol, self.salt = code, rtol, atol, salt

    def matches(self, got) -> bool:
        if self.code[0] == "b":
            return isinstance(got, (bool, np.bool_)) and _hash(self.salt, _choice_key(got)) == self.code[1:]
        return _number_matches(got, self.code[1:], self.rtol, self.atol, self.salt)

    def __repr__(self) -> str:
        return "<sealed>"


def _tolerance_of(token: str, rtol, atol) -> tuple[float, float, list[str]]:
    """A sealed number's, map's or case list's tolerance (it must be the check's) and the rest of it."""
    parts = token[len(_SEAL):].split(":")
    r, a = float(parts[1]), float(parts[2])
    if (r, a) != (float(rtol), float(atol)):
        raise ValueError(f"the expected value was sealed with rtol={parts[1]}, atol={parts[2]}, but the check has "
                         f"rtol={rtol!r}, atol={atol!r}: seal it again with the check's tolerance")
    return r, a, parts[3:]


def _matches(x: float, token: str, rtol: float, atol: float) -> bool:
    """Whether the number ``x`` matches a sealed number (sealed with this ``rtol`` and ``atol``)."""
    r, a, (salt, h) = _tolerance_of(token, rtol, atol)
    return _number_matches(x, h, r, a, salt)


def _chose(option, token: str) -> bool:
    """Whether ``option`` is the sealed choice."""
    _, salt, h = token[len(_SEAL):].split(":")
    return _hash(salt, _choice_key(option)) == h


def _in_range(x: float, token: str) -> bool:
    _, res, salt, hashes = token[len(_SEAL):].split(":")
    return _hash(salt, str(math.floor(float(x) / float(res)))) in hashes.split(".")


def _unpack(token: str, rtol, atol) -> list:
    """The body of a sealed map or case list, each expected value a :class:`_Sealed`."""
    r, a, (salt, packed) = _tolerance_of(token, rtol, atol)
    body = json.loads(base64.urlsafe_b64decode(packed))
    return [(key, _Sealed(code, r, a, f"{salt}.{i}")) for i, (key, code) in enumerate(body)]


def _agrees(got: float, want, rtol: float, atol: float) -> bool:
    """``got`` against an expected number: plain, sealed, or from a sealed map or case list."""
    if isinstance(want, _Sealed):
        return want.matches(got)
    if _kind(want) == "n":
        return _matches(got, want, rtol, atol)
    return _close(got, float(want), rtol, atol)


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
    if _kind(values) == "m":
        values = dict(_unpack(values, rtol, atol))
    values = {float(k) if isinstance(k, str) else k: v for k, v in dict(values or {}).items()}
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
        sealed = isinstance(want, _Sealed) or _kind(want) is not None
        if _agrees(got, want, rtol, atol):
            passed.append(f"{call} = {_fmt(got if sealed else want)}")
        elif sealed:  # say it is wrong, not what it should be
            failures.append(t("ex_not_right", name=call, got=_fmt(got)))
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

    Says "too large" or "too small" against a plain ``expected``; against a sealed one
    (:func:`seal` with the same ``rtol`` and ``atol``) only "not right", since the direction
    would let anyone halve their way to the answer.

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
    if _kind(expected) == "n":
        if _matches(x, expected, rtol, atol):
            return _verdict([], [f"{name} ≈ {_fmt(x)}"])
        return _verdict([t("ex_not_right", name=name, got=_fmt(x))], [])
    expected = float(expected)
    if _close(x, expected, rtol, atol):
        return _verdict([], [f"{name} ≈ {_fmt(expected)}"])
    key = "ex_too_large" if x > expected else "ex_too_small"
    return _verdict([t(key, name=name, got=_fmt(x))], [])


def check_range(answer, low=-math.inf, high=math.inf, *, name="x", inclusive=False) -> Verdict:
    """Check that a value the student picked lies strictly between ``low`` and ``high``.

    For "pick a learning rate that ..." questions, where many answers are right. ``low`` may
    instead be a sealed range (:func:`seal_range`, ``high`` left out): then the answer must fall
    in it, and a wrong one is "not right" rather than "too large" or "too small".

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
    if _kind(low) == "r":
        if _in_range(x, low):
            return _verdict([], [t("ex_prop_in_range", name=name)])
        return _verdict([t("ex_not_right", name=name, got=_fmt(x))], [])
    low, high = float(low), float(high)
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
        feedback: optional ``{option: text}`` for **every** option, written in the lesson's language:
            for a wrong option, why it is wrong (shown after "not ..."); for the right one, why it is
            right (shown once the answer is right). A dict that leaves one option out would point at
            it, so it is refused (``ValueError``).

    Examples:
        >>> import lrcourse; lrcourse.set_language("en")
        >>> check_choice("b", "b", "abc")
        ✔ All checks passed!
        True
        >>> check_choice("z", "b", "abc")
        ✘ Not yet: 'z' is not one of the options a, b, c.
        False
        >>> why = {"a": "That is the warmup's length.", "b": "The tail: 15 epochs.", "c": "That is T."}
        >>> check_choice("a", "b", "abc", feedback=why)
        ✘ Not yet: Not 'a'. That is the warmup's length.
        False
        >>> check_choice("b", "b", "abc", feedback=why)
        ✔ All checks passed!
          The tail: 15 epochs.
        True
    """
    opts = list(options)
    if feedback is not None:
        missing = [o for o in opts if o not in feedback]
        if missing:
            raise ValueError(f"check_choice: feedback has no text for the option(s) {missing}; it must have one "
                             f"for every option in {opts} (a dict that leaves one out points at the answer)")
    if is_missing(answer):
        return _not_done()
    sealed = _kind(correct) == "c"
    norm = (lambda v: v.strip().lower()) if all(isinstance(o, str) for o in opts) and isinstance(answer, str) \
        else (lambda v: v)
    pick = norm(answer)
    matches = [o for o in opts if norm(o) == pick]
    if not matches:
        return _verdict([t("ex_not_option", got=str(answer), options=", ".join(map(str, opts)))], [])
    if (_chose(matches[0], correct) if sealed else matches[0] == correct):
        verdict = _verdict([], [])
        if feedback:
            print("  " + feedback[matches[0]])
        return verdict
    detail = t("ex_wrong_choice", got=str(answer))
    if feedback:  # (it has a text for every option: checked above)
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
    if _kind(cases) == "f":
        cases = _unpack(cases, rtol, atol)
    for i, (args, expected) in enumerate(cases):
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
        sealed = isinstance(expected, _Sealed) or _kind(expected) is not None
        if isinstance(expected, _Sealed) and expected.code[0] == "b":
            ok = expected.matches(got)
        elif _kind(expected) == "c":
            ok = isinstance(got, (bool, np.bool_)) and _chose(bool(got), expected)
        elif isinstance(expected, bool):
            ok = isinstance(got, (bool, np.bool_)) and bool(got) == expected
        else:
            ok = (not isinstance(got, bool) and isinstance(got, numbers.Real) and math.isfinite(float(got))
                  and _agrees(float(got), expected, rtol, atol))
        if ok:
            passed.append(f"{call} = {_fmt(got if sealed else expected)}")
        elif sealed:  # say it is wrong, not what it should be
            failures.append(t("ex_not_right", name=call, got=_fmt(got)))
        else:
            failures.append(t("ex_value", call=call, expected=_fmt(expected), got=_fmt(got)))
    return _verdict(failures, passed)
