"""Argument checks shared by every schedule constructor.

One policy everywhere: a bad argument raises :class:`ScheduleArgumentError` (a
``ValueError``) when the schedule is built, and the message names the parameter, the
value it got and what is allowed. The error also carries these as data: ``param``,
``value``, ``rule`` (a key of :data:`RULES`) and the rule's ``fields``, so that a
program (a notebook widget, for one) can say the same thing in another language
without parsing English. Messages stay in English (that is what people search for).

    >>> try:
    ...     positive("peak_lr", -0.1)
    ... except ValueError as err:
    ...     print(err)
    ...     print(err.param, err.value, err.rule)
    peak_lr must be a finite number > 0, got peak_lr=-0.1
    peak_lr -0.1 positive

Each rule is one line of :data:`RULES` (its English message); the checks below are the
only places that raise them. A rule that needs a reason says it with a key of
:data:`REASONS` (``reason=``), appended to the rule's first clause.
"""

from __future__ import annotations

import math
import numbers
from typing import Iterable, Sequence

# The English message of every rule. Placeholders: the error's ``param`` and ``value``, and the
# rule's fields; ``{reason}`` is the text of REASONS[reason] (or nothing).
RULES = {
    "real": "{param} must be a real number, got {param}={value!r} ({type})",
    "finite": "{param} must be a finite number, got {param}={value!r}",
    "positive": "{param} must be a finite number > 0{reason}, got {param}={value!r}",
    "non_negative": "{param} must be a finite number >= 0, got {param}={value!r}",
    "in_range": "{param} must be in {interval}, got {param}={value!r}",
    "integer_min": "{param} must be an integer >= {minimum}, got {param}={value!r}",
    "one_of": "{param} must be one of {allowed}, got {param}={value!r}",
    "boolean": "{param} must be True or False, got {param}={value!r}",
    "not_above": "{param} must be <= {other}, got {param}={value!r} and {other}={other_value!r}",
    "below": "{param} must be < {other}={other_value!r}{reason}, got {param}={value!r}",
    "at_least": "{param} must be >= {other}={other_value!r}{reason}, got {param}={value!r}",
    "sum_below": "{sum} must be < {other}={other_value!r}{reason}, got {parts}",
    "sum_not_above": "{sum} must be <= {other}={other_value!r}{reason}, got {parts}",
    "sequence": "{param} must be a sequence of numbers, got {param}={value!r}",
    "not_empty": "{param} must not be empty, got {param}={value!r}",
    "all_above": "{param} must all be > {minimum}, got {param}={value!r}",
    "all_at_least": "{param} must all be >= {minimum}, got {param}={value!r}",
    "increasing": "{param} must be strictly increasing (sorted, no duplicates), got {param}={value!r}",
    "one_fewer": "{param} must have one entry fewer than {other} (len({other})={other_value}), got {param}={value!r}",
    "phase_steps": ("{param} and {other} must give every phase at least one step ({param} * {other} > 1), got "
                    "{param}={value!r} and {other}={other_value!r} (a phase from step {start:g} to {end:g})"),
    "schedule": "{param} must be an lrlib Schedule, got {param}={value!r}",
    "schedules": "{param} must be a non-empty sequence of lrlib Schedules, got {param}={value!r}",
}

# Why a rule holds, where the rule alone would puzzle (``reason=`` of the checks that take one).
REASONS = {
    "step_decay": " for step decay (each of the {other_value} plateaus needs at least one step)",
    "exponential_warmup": " for an exponential warmup (it multiplies by a constant factor each step)",
    "cosine_left": " (something must be left for the cosine)",
}


class ScheduleArgumentError(ValueError):
    """A bad argument: ``param`` got ``value``, which breaks ``rule`` (a key of :data:`RULES`).

    ``fields`` holds what the rule needs to be stated (``low``/``high``, ``minimum``,
    ``allowed``, ``other``/``other_value``, ``parts``, ...); ``reason`` is a key of
    :data:`REASONS` or ``None``. ``str()`` is the English message.

    Examples:
        >>> err = ScheduleArgumentError("in_range", "pct_start", 1.5, low=0.0, high=1.0)
        >>> str(err), err.fields["high"]
        ('pct_start must be in [0.0, 1.0], got pct_start=1.5', 1.0)
    """

    def __init__(self, rule: str, param: str, value, *, reason: str | None = None, **fields):
        if rule not in RULES:
            raise KeyError(f"no rule {rule!r} in lrlib._checks.RULES")
        if reason is not None and reason not in REASONS:
            raise KeyError(f"no reason {reason!r} in lrlib._checks.REASONS")
        self.rule, self.param, self.value, self.reason, self.fields = rule, param, value, reason, fields
        super().__init__(self._english())

    def _english(self) -> str:
        f = dict(self.fields)
        if self.rule == "in_range":
            f["interval"] = (f"{'(' if f.get('low_open') else '['}{f['low']}, {f['high']}"
                             f"{')' if f.get('high_open') else ']'}")
        if self.rule == "one_of":
            f["allowed"] = list(f["allowed"])
        if self.rule.startswith("sum_"):
            f["sum"] = " + ".join(f["names"])
            f["parts"] = " and ".join(f"{n}={v!r}" for n, v in zip(f["names"], f["values"]))
        if self.rule == "real":
            f["type"] = type(self.value).__name__
        reason = REASONS[self.reason].format(**f) if self.reason else ""
        return RULES[self.rule].format(param=self.param, value=self.value, reason=reason, **f)

    def __reduce__(self):  # so that the error survives pickling (multiprocessing, for one)
        return (_rebuild, (self.rule, self.param, self.value, self.reason, self.fields))


def _rebuild(rule, param, value, reason, fields):
    return ScheduleArgumentError(rule, param, value, reason=reason, **fields)


def _number(name: str, value) -> float:
    """Return ``value`` as a float, or raise if it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ScheduleArgumentError("real", name, value)
    return float(value)


def finite(name: str, value) -> float:
    """Any finite real number."""
    x = _number(name, value)
    if not math.isfinite(x):
        raise ScheduleArgumentError("finite", name, value)
    return x


def positive(name: str, value, *, reason: str | None = None) -> float:
    """A finite number > 0 (learning-rate peaks, lengths, step sizes).

    ``reason`` (a key of :data:`REASONS`) says why, where 0 is allowed elsewhere.
    """
    x = finite(name, value)
    if not x > 0:
        raise ScheduleArgumentError("positive", name, value, reason=reason)
    return x


def non_negative(name: str, value) -> float:
    """A finite number >= 0 (floors, start values, ratios, lengths that may be 0)."""
    x = finite(name, value)
    if not x >= 0:
        raise ScheduleArgumentError("non_negative", name, value)
    return x


def in_range(name: str, value, low: float, high: float, *, low_open=False, high_open=False) -> float:
    """A finite number in the interval between ``low`` and ``high``."""
    x = finite(name, value)
    ok_low = x > low if low_open else x >= low
    ok_high = x < high if high_open else x <= high
    if not (ok_low and ok_high):
        raise ScheduleArgumentError("in_range", name, value, low=low, high=high, low_open=low_open,
                                    high_open=high_open)
    return x


def integer(name: str, value, *, minimum: int) -> int:
    """An integer (Python or numpy int, or a float with an integral value) >= ``minimum``."""
    x = finite(name, value)
    if x != int(x) or x < minimum:
        raise ScheduleArgumentError("integer_min", name, value, minimum=minimum)
    return int(x)


def one_of(name: str, value, allowed: Iterable[str]) -> str:
    """One of a fixed set of strings."""
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise ScheduleArgumentError("one_of", name, value, allowed=allowed)
    return value


def boolean(name: str, value) -> bool:
    """``True`` or ``False`` (a Python or numpy bool, not 0 or 1)."""
    import numpy as np

    if not isinstance(value, (bool, np.bool_)):
        raise ScheduleArgumentError("boolean", name, value)
    return bool(value)


def not_above(low_name: str, low: float, high_name: str, high: float) -> None:
    """``low`` must not exceed ``high`` (for example a floor below its peak)."""
    if low > high:
        raise ScheduleArgumentError("not_above", low_name, low, other=high_name, other_value=high)


def below(name: str, value, other: str, other_value, *, reason: str | None = None) -> None:
    """``value < other_value`` (a warmup shorter than the whole schedule).

    Examples:
        >>> below("warmup_steps", 10, "total_steps", 10.0)
        Traceback (most recent call last):
        ...
        lrlib._checks.ScheduleArgumentError: warmup_steps must be < total_steps=10.0, got warmup_steps=10
    """
    if not value < other_value:
        raise ScheduleArgumentError("below", name, value, reason=reason, other=other, other_value=other_value)


def at_least(name: str, value, other: str, other_value, *, reason: str | None = None) -> None:
    """``value >= other_value`` (enough steps for the plateaus of a step decay).

    Examples:
        >>> at_least("total_iters", 5, "step_num", 10, reason="step_decay")
        Traceback (most recent call last):
        ...
        lrlib._checks.ScheduleArgumentError: total_iters must be >= step_num=10 for step decay (each of the 10 plateaus needs at least one step), got total_iters=5
    """
    if not value >= other_value:
        raise ScheduleArgumentError("at_least", name, value, reason=reason, other=other, other_value=other_value)


def sum_below(parts: dict, other: str, other_value, *, strict: bool = True, reason: str | None = None) -> None:
    """The sum of ``parts`` (``{name: value}``) below ``other_value`` (``<``, or ``<=`` if not ``strict``).

    The error's ``param`` is the last part (the one that does not fit).

    Examples:
        >>> sum_below({"warmup_steps": 5, "tail_steps": 5}, "total_steps", 10.0, reason="cosine_left")
        Traceback (most recent call last):
        ...
        lrlib._checks.ScheduleArgumentError: warmup_steps + tail_steps must be < total_steps=10.0 (something must be left for the cosine), got warmup_steps=5 and tail_steps=5
    """
    names, values = tuple(parts), tuple(parts.values())
    total = sum(values)
    if not (total < other_value if strict else total <= other_value):
        raise ScheduleArgumentError("sum_below" if strict else "sum_not_above", names[-1], values[-1],
                                    reason=reason, names=names, values=values, other=other, other_value=other_value)


def one_fewer(name: str, values, other: str, other_length: int) -> None:
    """``values`` has one entry fewer than ``other`` has (the boundaries between schedules).

    Examples:
        >>> one_fewer("boundaries", [5, 10], "schedules", 2)
        Traceback (most recent call last):
        ...
        lrlib._checks.ScheduleArgumentError: boundaries must have one entry fewer than schedules (len(schedules)=2), got boundaries=[5, 10]
    """
    if len(values) != other_length - 1:
        raise ScheduleArgumentError("one_fewer", name, values, other=other, other_value=other_length)


def schedule(name: str, value):
    """An lrlib :class:`~lrlib.Schedule`."""
    from .schedule import Schedule

    if not isinstance(value, Schedule):
        raise ScheduleArgumentError("schedule", name, value)
    return value


def schedules(name: str, values) -> tuple:
    """A non-empty sequence of lrlib :class:`~lrlib.Schedule` s, as a tuple."""
    from .schedule import Schedule

    values = tuple(values)
    if not values or not all(isinstance(s, Schedule) for s in values):
        raise ScheduleArgumentError("schedules", name, values)
    return values


def increasing(name: str, values, *, minimum: float = 0.0, strict_minimum: bool = True) -> tuple:
    """A non-empty sequence of finite numbers, strictly increasing, each above ``minimum``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, Iterable)):
        raise ScheduleArgumentError("sequence", name, values)
    seq = tuple(finite(f"{name}[{i}]", v) for i, v in enumerate(values))
    if not seq:
        raise ScheduleArgumentError("not_empty", name, values)
    first = seq[0]
    if (first <= minimum) if strict_minimum else (first < minimum):
        raise ScheduleArgumentError("all_above" if strict_minimum else "all_at_least", name, list(values),
                                    minimum=minimum)
    for a, b in zip(seq, seq[1:]):
        if not b > a:
            raise ScheduleArgumentError("increasing", name, list(values))
    return seq
