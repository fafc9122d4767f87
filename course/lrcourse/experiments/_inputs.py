"""What every experiment accepts: a schedule, turned into learning rates, and seeds.

A *schedule* is anything that maps a step to a learning rate: an lrlib
:class:`~lrlib.schedule.Schedule`, any callable (vectorised or one step at a time),
or a plain number for a constant learning rate. :func:`lr_values` evaluates one at
many steps and checks every value is a usable learning rate (finite, >= 0);
:func:`seed_list` reads an int or a sequence of ints as the seeds to run.

Examples:
    >>> lr_values(0.1, [0, 1]).tolist(), lr_values(lambda t: 1.0 / (1 + t), [0, 1]).tolist()
    ([0.1, 0.1], [1.0, 0.5])
    >>> seed_list(3), seed_list(range(2))
    ([3], [0, 1])
"""

from __future__ import annotations

import numbers

import numpy as np

from lrlib import _checks as check
from lrlib.schedule import Schedule


def lr_values(schedule, steps, name: str = "schedule") -> np.ndarray:
    """The learning rate at each of ``steps`` as a float64 array, checked finite and >= 0.

    ``schedule`` may be a number (a constant), an lrlib Schedule, a vectorised
    callable, or a callable that only takes one step at a time (then it is called
    once per step, with the steps as Python numbers).
    """
    steps = np.asarray(steps)
    if isinstance(schedule, numbers.Real) and not isinstance(schedule, bool):
        out = np.full(steps.shape, float(schedule))
    elif callable(schedule):
        out = None
        if isinstance(schedule, Schedule):
            out = schedule(steps)
        else:
            try:
                with np.errstate(all="ignore"):
                    trial = np.asarray(schedule(steps), dtype=np.float64)
                if trial.shape == steps.shape:
                    out = trial
                elif trial.ndim == 0:
                    out = np.full(steps.shape, float(trial))
            except (TypeError, ValueError):
                out = None
            if out is None:  # a scalar-only callable: one step at a time
                out = np.array([float(schedule(s)) for s in steps.tolist()], dtype=np.float64)
        out = np.asarray(out, dtype=np.float64).reshape(steps.shape)
    else:
        raise ValueError(
            f"{name} must be a number, an lrlib Schedule or a callable step -> lr, got {name}={schedule!r}"
        )
    bad = ~(np.isfinite(out) & (out >= 0))
    if bad.any():
        i = int(np.flatnonzero(bad.reshape(-1))[0])
        raise ValueError(
            f"{name} must give a finite learning rate >= 0 at every step, got lr={out.reshape(-1)[i]!r} "
            f"at step {steps.reshape(-1)[i]!r}"
        )
    return out


def schedule_list(schedule) -> tuple[list, bool]:
    """``(list_of_schedules, was_a_list)``: one schedule or a list/tuple of them."""
    if isinstance(schedule, (list, tuple)):
        if not schedule:
            raise ValueError(f"schedule must not be an empty list, got schedule={schedule!r}")
        return list(schedule), True
    return [schedule], False


def seed_list(seeds) -> list:
    """The seeds as a non-empty list of ints >= 0 (one int is a list of one)."""
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        seeds = [seeds]
    try:
        out = [check.integer("seeds", s, minimum=0) for s in seeds]
    except TypeError:
        raise ValueError(f"seeds must be an integer or a sequence of integers >= 0, got seeds={seeds!r}") from None
    if not out:
        raise ValueError(f"seeds must not be empty, got seeds={seeds!r}")
    return out
