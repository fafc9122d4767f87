r"""Epochs and iterations: say which one a step counts, and convert between them.

lrlib's schedules count in whatever unit you call them with. Two ways to drive
a schedule whose lengths are in epochs:

* once per **epoch** (the YOLO recipe): ``lr = f(epoch)``, constant within an epoch;
* every **iteration**, at fractional epochs: ``lr = f(epoch + i / iters_per_epoch)``.

Or build the schedule with lengths in iterations (``epochs_to_iterations``) and
call it with the iteration index.
"""

from __future__ import annotations

import numpy as np

from . import _checks as check


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
    iters = np.arange(n * ipe)
    return iters // ipe + (iters % ipe) / ipe


def epoch_of_iteration(num_epochs: int, iters_per_epoch: int) -> np.ndarray:
    """The whole epoch at every iteration (what a once-per-epoch schedule sees).

    Examples:
        >>> print(epoch_of_iteration(2, 3))
        [0 0 0 1 1 1]
    """
    n = check.integer("num_epochs", num_epochs, minimum=1)
    ipe = check.integer("iters_per_epoch", iters_per_epoch, minimum=1)
    return np.arange(n * ipe) // ipe
