"""The ``Schedule`` type: a pure, vectorised function ``step -> learning rate``.

Every schedule in lrlib is a :class:`Schedule`. Calling it with a step (an int, a
float, or a numpy array of them) returns the learning rate at that step: a Python
``float`` for a scalar and a float64 array of the same shape for an array. It keeps
no state, so asking twice gives the same answer and resuming training at step ``k``
is just ``schedule(k)``.

Steps count from 0 and are in whatever unit you step in (iterations or epochs):
lrlib never guesses. A length called ``*_steps`` is in that same unit.

A whole curve is one call on an array of steps, ``schedule(np.arange(n))``; a
``range`` works too (it is just steps).

Besides the function, a schedule carries what a plot or a test needs to know about
it: its name and parameters, its length (``total_steps``, ``None`` when it has
none), the step from which it holds its final value (``tail_start_step``, ``None``
when it never settles), the phases it goes through (warmup, decay, constant tail,
...), the events on the way (restarts, milestones) and the lowest and highest value
it can take.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from ._checks import ScheduleArgumentError


@dataclass(frozen=True)
class Phase:
    """A stretch ``[start, end)`` of a schedule, in steps; ``end=None`` means forever."""

    kind: str  # "warmup", "decay", "constant", "stable", "cooldown", "cycle", "plateau", "anneal"
    start: float
    end: Optional[float]


@dataclass(frozen=True)
class Event:
    """Something that happens at one step: a restart, a milestone (a drop), ..."""

    kind: str  # "restart", "milestone"
    step: float


def _format_value(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (tuple, list)):
        return "[" + ", ".join(_format_value(x) for x in v) + "]"
    return repr(v) if isinstance(v, str) else str(v)


@dataclass(frozen=True, eq=False)
class Schedule:
    """A learning-rate schedule: a pure function of the step, plus what describes it.

    Attributes:
        fn: the vectorised formula; it receives a 1-d float64 array of valid steps
            (finite, >= 0) and returns the learning rates as an array of the same shape.
        name: the family, e.g. ``"cosine_decay"``.
        params: the arguments it was built with (used in plot legends).
        total_steps: the schedule's length, in steps: how long the run it was built for
            lasts (``total_iters`` of the YOLO recipe, ``decay_steps`` of a cosine, the sum
            of a join's parts); ``None`` when it has none (constant, step decay, endless
            restarts, milestones).
        phases, events: for plots and lessons.
        min_lr, max_lr: the lowest and highest value the schedule can return.
        tail_start_step: the first step from which the schedule returns its final value
            for ever: where its constant tail begins (``total_steps - tail_steps`` of
            :func:`~lrlib.warmup_cosine_tail`, ``decay_steps`` of a cosine, the last
            milestone of a multistep decay); ``None`` when it never settles.
    """

    fn: Callable[[np.ndarray], np.ndarray]
    name: str
    params: dict = field(default_factory=dict)
    total_steps: Optional[float] = None
    phases: tuple = ()
    events: tuple = ()
    min_lr: float = 0.0
    max_lr: float = 0.0
    tail_start_step: Optional[float] = field(default=None, kw_only=True)

    def __call__(self, step):
        """Learning rate at ``step`` (scalar -> float, array or ``range`` -> array of the same shape)."""
        t = np.asarray(step, dtype=np.float64)
        flat = t.reshape(-1)
        if flat.size and not (flat.min() >= 0.0 and flat.max() < np.inf):
            bad = float(flat[~(np.isfinite(flat) & (flat >= 0))][0])
            raise ScheduleArgumentError("non_negative", "step", bad)
        out = self.fn(flat)
        if t.ndim == 0:
            return float(out[0])
        return out.reshape(t.shape)

    def label(self) -> str:
        """A short text naming the schedule by its parameters, e.g. for a legend."""
        args = ", ".join(f"{k}={_format_value(v)}" for k, v in self.params.items())
        return f"{self.name}({args})"

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return f"<Schedule {self.label()}>"
