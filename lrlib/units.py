r"""Epochs and iterations: which one a schedule's step counts, and how to convert.

lrlib's schedules count in whatever unit you call them with. One word says which,
the **step unit**, and the PyTorch adapter, the plots and the course's experiments
all take it as ``step_unit``. With iteration :math:`k` of a run (counting from 0)
and :math:`I` iterations per epoch, the schedule is called with

=====================  ==============================  =================================================
``step_unit``          the schedule's lengths are in   it is called at iteration :math:`k` with
=====================  ==============================  =================================================
``"epoch"``            epochs                          :math:`\lfloor k / I \rfloor` (constant within an epoch: the YOLO recipe)
``"fractional_epoch"`` epochs                          :math:`k / I` (moves every iteration)
``"iteration"``        iterations                      :math:`k`
=====================  ==============================  =================================================

:func:`step_of_iteration` computes that step; :func:`epochs_to_iterations` turns a
length in epochs into iterations, for building a schedule in iterations.
"""

from __future__ import annotations

import numpy as np

from . import _checks as check

STEP_UNITS = ("epoch", "fractional_epoch", "iteration")


def step_of_iteration(iteration, step_unit: str, iters_per_epoch: int):
    r"""The step a schedule is called with at ``iteration`` (from 0), for a ``step_unit``.

    .. math::
        \text{step}(k) = \begin{cases}
          \lfloor k / I \rfloor & \text{"epoch"} \\
          k / I & \text{"fractional_epoch"} \\
          k & \text{"iteration"}
        \end{cases}

    where :math:`I` is ``iters_per_epoch``. ``iteration`` may be an int or an array of
    them; the result is a float or a float64 array.

    Examples:
        >>> import numpy as np
        >>> k = np.arange(6)
        >>> [step_of_iteration(k, u, 4).tolist() for u in STEP_UNITS]
        [[0.0, 0.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.25, 0.5, 0.75, 1.0, 1.25], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]]

    References:
        PyTorch's schedulers count whatever ``scheduler.step()`` is called for; the
        YOLO recipe is stepped once per epoch, YOLOX's per iteration.
    """
    unit = check.one_of("step_unit", step_unit, STEP_UNITS)
    ipe = check.integer("iters_per_epoch", iters_per_epoch, minimum=1)
    k = np.asarray(iteration, dtype=np.float64)
    if unit == "epoch":
        out = np.floor_divide(k, ipe)
    elif unit == "fractional_epoch":
        out = k / ipe
    else:
        out = k
    return float(out) if out.ndim == 0 else out


def iterations_per_step(step_unit: str, iters_per_epoch: int) -> int:
    """How many iterations one unit of the schedule's step spans: ``iters_per_epoch`` for epochs, else 1.

    Converts a schedule's lengths to iterations (multiply) or to epochs (divide by
    ``iters_per_epoch``, then multiply).

    Examples:
        >>> iterations_per_step("fractional_epoch", 50), iterations_per_step("iteration", 50)
        (50, 1)
    """
    unit = check.one_of("step_unit", step_unit, STEP_UNITS)
    ipe = check.integer("iters_per_epoch", iters_per_epoch, minimum=1)
    return 1 if unit == "iteration" else ipe


def epochs_to_iterations(epochs: float, iters_per_epoch: int) -> float:
    """A length in epochs as a length in iterations: ``epochs * iters_per_epoch``.

    Examples:
        >>> epochs_to_iterations(2.5, 100)
        250.0
    """
    e = check.non_negative("epochs", epochs)
    ipe = check.integer("iters_per_epoch", iters_per_epoch, minimum=1)
    return e * ipe


def fractional_epochs(num_epochs: int, iters_per_epoch: int) -> np.ndarray:
    """The epoch at every iteration: ``epoch + i / iters_per_epoch`` for each iteration of each epoch.

    Examples:
        >>> print(fractional_epochs(2, 4))
        [0.   0.25 0.5  0.75 1.   1.25 1.5  1.75]
    """
    n = check.integer("num_epochs", num_epochs, minimum=1)
    ipe = check.integer("iters_per_epoch", iters_per_epoch, minimum=1)
    return np.arange(n * ipe) / ipe  # k / I, correctly rounded: what step_of_iteration gives


def epoch_of_iteration(num_epochs: int, iters_per_epoch: int) -> np.ndarray:
    """The whole epoch at every iteration (what a once-per-epoch schedule sees).

    Examples:
        >>> print(epoch_of_iteration(2, 3))
        [0 0 0 1 1 1]
    """
    n = check.integer("num_epochs", num_epochs, minimum=1)
    ipe = check.integer("iters_per_epoch", iters_per_epoch, minimum=1)
    return np.arange(n * ipe) // ipe
