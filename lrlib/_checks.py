"""Argument checks shared by every schedule constructor.

One policy everywhere: a bad argument raises ``ValueError`` when the schedule is
built, and the message names the parameter, the value it got and what is allowed.
Messages stay in English (that is what people search for).
"""

from __future__ import annotations

import math
import numbers
from typing import Iterable, Sequence


def _number(name: str, value) -> float:
    """Return ``value`` as a float, or raise if it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a real number, got {name}={value!r} ({type(value).__name__})"
        )
    return float(value)


def finite(name: str, value) -> float:
    """Any finite real number."""
    x = _number(name, value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {name}={value!r}")
    return x


def positive(name: str, value) -> float:
    """A finite number > 0 (learning-rate peaks, lengths, step sizes)."""
    x = finite(name, value)
    if not x > 0:
        raise ValueError(f"{name} must be a finite number > 0, got {name}={value!r}")
    return x


def non_negative(name: str, value) -> float:
    """A finite number >= 0 (floors, start values, ratios, lengths that may be 0)."""
    x = finite(name, value)
    if not x >= 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {name}={value!r}")
    return x


def in_range(name: str, value, low: float, high: float, *, low_open=False, high_open=False) -> float:
    """A finite number in the interval between ``low`` and ``high``."""
    x = finite(name, value)
    ok_low = x > low if low_open else x >= low
    ok_high = x < high if high_open else x <= high
    if not (ok_low and ok_high):
        interval = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be in {interval}, got {name}={value!r}")
    return x


def integer(name: str, value, *, minimum: int) -> int:
    """An integer (Python or numpy int, or a float with an integral value) >= ``minimum``."""
    x = finite(name, value)
    if x != int(x) or x < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {name}={value!r}")
    return int(x)


def not_above(low_name: str, low: float, high_name: str, high: float) -> None:
    """``low`` must not exceed ``high`` (for example a floor below its peak)."""
    if low > high:
        raise ValueError(
            f"{low_name} must be <= {high_name}, got {low_name}={low!r} and {high_name}={high!r}"
        )


def one_of(name: str, value, allowed: Iterable[str]) -> str:
    """One of a fixed set of strings."""
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {name}={value!r}")
    return value


def increasing(name: str, values, *, minimum: float = 0.0, strict_minimum: bool = True) -> tuple:
    """A non-empty sequence of finite numbers, strictly increasing, each above ``minimum``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, Iterable)):
        raise ValueError(f"{name} must be a sequence of numbers, got {name}={values!r}")
    seq = tuple(finite(f"{name}[{i}]", v) for i, v in enumerate(values))
    if not seq:
        raise ValueError(f"{name} must not be empty, got {name}={values!r}")
    first = seq[0]
    if (first <= minimum) if strict_minimum else (first < minimum):
        sign = ">" if strict_minimum else ">="
        raise ValueError(f"{name} must all be {sign} {minimum}, got {name}={list(values)!r}")
    for a, b in zip(seq, seq[1:]):
        if not b > a:
            raise ValueError(
                f"{name} must be strictly increasing (sorted, no duplicates), got {name}={list(values)!r}"
            )
    return seq
