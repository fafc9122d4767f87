"""lrlib: learning-rate schedules as exact, pure, vectorised functions of the step.

    >>> import numpy as np, lrlib
    >>> f = lrlib.warmup_cosine(peak_lr=0.1, total_steps=1000, warmup_steps=50)
    >>> print(f"{f(50):.3f} {f(1000):.3f}")
    0.100 0.000
    >>> f(np.arange(1000)).shape
    (1000,)

One family reads the loss and so is no function of the step: :class:`lrlib.Plateau`
(PyTorch's ``ReduceLROnPlateau``) keeps what it remembers in an explicit, immutable state.

Importing lrlib loads numpy only. ``lrlib.plotting`` (matplotlib, the ``plot`` extra) and
``lrlib.torch_adapter`` (torch, the ``torch`` extra) load only when imported. The lessons'
explorers, experiments and translations are a separate package, ``lrcourse``, built on this one.
"""

from . import compat, units
from .compose import cyclic, inverse_sqrt, join, one_cycle, warm_restarts, warmup_cosine, warmup_cosine_tail, wsd
from .primitives import (
    constant,
    cosine_decay,
    decay,
    exponential_decay,
    inverse_sqrt_decay,
    inverse_time_decay,
    linear,
    multistep_decay,
    polynomial_decay,
    step_decay,
    warmup,
)
from .plateau import Plateau, PlateauState
from ._checks import ScheduleArgumentError
from .schedule import Event, Phase, Schedule
from .units import epoch_of_iteration, epochs_to_iterations, fractional_epochs

__version__ = "0.2.0"

__all__ = [
    "Schedule", "Phase", "Event", "ScheduleArgumentError",
    "constant", "linear", "warmup", "decay", "cosine_decay", "polynomial_decay",
    "step_decay", "multistep_decay", "exponential_decay", "inverse_time_decay", "inverse_sqrt_decay",
    "join", "warmup_cosine", "warmup_cosine_tail", "warm_restarts", "wsd", "one_cycle", "inverse_sqrt", "cyclic",
    "Plateau", "PlateauState",
    "epochs_to_iterations", "fractional_epochs", "epoch_of_iteration",
    "compat", "units",
]
