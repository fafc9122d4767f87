"""The ``Schedule`` type: a pure, vectorised function ``step -> learning rate``.

Every schedule in lrlib is a :class:`Schedule`. Calling it with a step (an int, a
float, or a numpy array of them) returns the learning rate at that step: a Python
``float`` for a scalar and a float64 array of the same shape for an array. It keeps
no state, so asking twice gives the same answer and resuming training at step ``k``
is just ``schedule(k)``.

Steps count from 0 and are in whatever unit you step in (iterations or epochs):
lrlib never guesses. A length called ``*_steps`` is in that same unit.

A whole curve is cheapest as ``schedule(range(n))``: a ``range`` says the steps are
evenly spaced, and schedules that can use that (the cosine, and any join of
schedules) compute it without a per-step cosine; the values are the same as for
``schedule(np.arange(n))`` to a few units in the last place.

Besides the function, a schedule carries what a plot or a test needs to know about
it: its name and parameters, where it ends (``total_steps``, ``None`` when it never
ends), the phases it goes through (warmup, decay, constant tail, ...), the events
on the way (restarts, milestones) and the lowest and highest value it can take.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from . import _checks as check


def grid_index_at_or_after(boundary: float, t0: float, dt: float, n: int) -> int:
    """The smallest ``k`` in ``[0, n]`` with ``t0 + k * dt >= boundary`` (``n`` if there is none).

    The comparison is made on ``t0 + k * dt`` exactly as the steps of a grid are computed,
    so a grid splits at a boundary where an array of the same steps would.

    Examples:
        >>> grid_index_at_or_after(2.5, 0.0, 1.0, 10), grid_index_at_or_after(3.0, 0.0, 1.0, 10)
        (3, 3)
    """
    k = min(n, max(0, math.ceil((boundary - t0) / dt)))
    while k > 0 and t0 + (k - 1) * dt >= boundary:
        k -= 1
    while k < n and t0 + k * dt < boundary:
        k += 1
    return k


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
        total_steps: the step at which the schedule reaches its final value and holds
            it; ``None`` when it has no end (constant, step decay, endless restarts).
        phases, events: for plots and lessons.
        min_lr, max_lr: the lowest and highest value the schedule can return.
        grid_fn: optional, a faster ``fn`` for evenly spaced steps: ``grid_fn(t0, dt, out)``
            writes the learning rates at ``t0 + k * dt``, ``k = 0 .. len(out) - 1``, into the
            float64 array ``out`` (``t0 >= 0``, ``dt > 0``). It must agree with ``fn`` to
            rounding. See :meth:`on_grid`.
    """

    fn: Callable[[np.ndarray], np.ndarray]
    name: str
    params: dict = field(default_factory=dict)
    total_steps: Optional[float] = None
    phases: tuple = ()
    events: tuple = ()
    min_lr: float = 0.0
    max_lr: float = 0.0
    grid_fn: Optional[Callable[[float, float, np.ndarray], None]] = None

    def __call__(self, step):
        """Learning rate at ``step`` (scalar -> float, array or ``range`` -> array of the same shape)."""
        if isinstance(step, range):
            if step.start >= 0 and step.step > 0:
                return self.on_grid(step.start, step.step, len(step))
            step = np.arange(step.start, step.stop, step.step)  # checked below like any array
        t = np.asarray(step, dtype=np.float64)
        flat = t.reshape(-1)
        if flat.size and not (flat.min() >= 0.0 and flat.max() < np.inf):
            bad = float(flat[~(np.isfinite(flat) & (flat >= 0))][0])
            raise ValueError(f"step must be a finite number >= 0, got step={bad!r}")
        out = self.fn(flat)
        if t.ndim == 0:
            return float(out[0])
        return out.reshape(t.shape)

    def on_grid(self, first_step: float, spacing: float, n_steps: int) -> np.ndarray:
        """Learning rates at the ``n_steps`` evenly spaced steps ``first_step + k * spacing``.

        ``schedule(range(a, b, s))`` calls this. It uses ``grid_fn`` when the schedule has one
        (a formula that exploits the even spacing) and ``fn`` on the steps otherwise.

        Examples:
            >>> from lrlib import cosine_decay
            >>> f = cosine_decay(1.0, decay_steps=4)
            >>> print([f"{v:.4f}" for v in f.on_grid(0, 1, 6)], f"{f(range(0, 6))[2]:.4f}")
            ['1.0000', '0.8536', '0.5000', '0.1464', '0.0000', '0.0000'] 0.5000
        """
        first_step = check.non_negative("first_step", first_step)
        spacing = check.positive("spacing", spacing)
        n_steps = check.integer("n_steps", n_steps, minimum=0)
        return self.fill_grid(first_step, spacing, np.empty(n_steps))

    def fill_grid(self, first_step: float, spacing: float, out: np.ndarray) -> np.ndarray:
        """Write the rates at ``first_step + k * spacing`` into ``out`` (1-d float64) and return it.

        What :meth:`on_grid` does after its checks; a join calls it to have each child
        write straight into its part of the join's output.
        """
        if self.grid_fn is not None:
            self.grid_fn(first_step, spacing, out)
        else:
            out[...] = self.fn(first_step + spacing * np.arange(out.size, dtype=np.float64))
        return out

    def label(self) -> str:
        """A short text naming the schedule by its parameters, e.g. for a legend."""
        args = ", ".join(f"{k}={_format_value(v)}" for k, v in self.params.items())
        return f"{self.name}({args})"

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return f"<Schedule {self.label()}>"
