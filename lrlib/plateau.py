r"""Reduce the learning rate when the loss stops improving (PyTorch's ``ReduceLROnPlateau``).

Every other schedule in lrlib is a function of the step. This one cannot be: it reads
the loss (usually a validation loss, once per epoch), so its learning rate at epoch
:math:`k` depends on the losses before it, and two runs can have different rates at
the same step. What it has to remember between two losses is kept in a small
immutable value, :class:`PlateauState`, and the rule is a pure function of it,
:meth:`Plateau.step`: the same state and loss always give the same new state, a run
is replayed from its losses alone (:meth:`Plateau.run`), and checkpointing the
scheduler is saving one state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _checks as check

PLATEAU_MODES = ("min", "max")
THRESHOLD_MODES = ("rel", "abs")


@dataclass(frozen=True)
class PlateauState:
    """What a :class:`Plateau` remembers between two losses.

    Attributes:
        lr: the learning rate now, used until the next loss is read.
        best: the best loss so far (``inf`` before the first one in ``"min"`` mode,
            ``-inf`` in ``"max"`` mode). PyTorch's ``best``.
        bad_epochs: how many losses in a row have not beaten ``best`` by the threshold
            (reset by a reduction and during cooldown). PyTorch's ``num_bad_epochs``.
        cooldown_left: how many more losses are ignored after the last reduction.
            PyTorch's ``cooldown_counter``.
    """

    lr: float
    best: float
    bad_epochs: int = 0
    cooldown_left: int = 0


def _loss_value(loss) -> float:
    """``loss`` as a float: any real number (a numpy or torch scalar too), NaN and infinities included."""
    if not isinstance(loss, (bool, str, bytes)):
        try:
            return float(loss)
        except (TypeError, ValueError):
            pass
    raise check.ScheduleArgumentError("real", "loss", loss)


@dataclass(frozen=True)
class Plateau:
    r"""Multiply the learning rate by ``factor`` when the loss has not improved for ``patience`` epochs.

    A loss :math:`L` *improves* on the best so far, :math:`B`, when

    .. math::
        \begin{array}{lll}
          L < B\,(1 - \theta) & \text{mode="min", threshold\_mode="rel"} &
          L < B - \theta & \text{mode="min", threshold\_mode="abs"} \\
          L > B\,(1 + \theta) & \text{mode="max", threshold\_mode="rel"} &
          L > B + \theta & \text{mode="max", threshold\_mode="abs"}
        \end{array}

    with :math:`\theta` the ``threshold``; a loss exactly at the threshold does not
    improve, and neither does a NaN. Each loss read then does, in this order:

    1. if it improves, :math:`B \leftarrow L` and the count of bad epochs goes to 0;
       otherwise the count goes up by one;
    2. during a cooldown (``cooldown_left > 0``), ``cooldown_left`` goes down by one and
       the count of bad epochs goes back to 0;
    3. if the count exceeds ``patience``, :math:`\eta' = \max(\eta \cdot \text{factor},\
       \eta_{min})` replaces :math:`\eta` if :math:`\eta - \eta' >` ``eps`` (steps smaller
       than ``eps`` are skipped), ``cooldown_left`` is set to ``cooldown`` and the count
       goes to 0, whether or not the rate changed.

    So with ``patience=p`` the first reduction comes on the :math:`(p+1)`-th bad loss in a
    row, and after a reduction the next one needs ``cooldown`` ignored losses and then
    :math:`p + 1` bad ones again. In ``"rel"`` mode the threshold is a fraction of
    :math:`B`, which only makes sense for a loss that is positive (for a metric that may be
    negative use ``"abs"``). The rule is PyTorch's ``ReduceLROnPlateau`` exactly, with its
    parameter names; as there, ``factor`` must be below 1.

    Args:
        initial_lr: the learning rate before any loss is read.
        mode: ``"min"`` for a loss, ``"max"`` for a metric to maximise (an accuracy).
        factor: the multiplier of a reduction, in [0, 1).
        patience: how many bad epochs in a row are tolerated (an integer >= 0).
        threshold, threshold_mode: what counts as an improvement (see above).
        cooldown: how many losses are ignored after a reduction (an integer >= 0).
        min_lr: the rate is never reduced below this.
        eps: reductions smaller than this are skipped.

    Examples:
        >>> plateau = Plateau(1.0, factor=0.5, patience=1)
        >>> print(plateau.run([5.0, 4.0, 4.0, 4.0, 4.0, 4.0, 3.0]).tolist())
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
        >>> state = plateau.start()                  # or step by step, keeping the state
        >>> for loss in [5.0, 4.0, 4.0, 4.0]:
        ...     state = plateau.step(state, loss)
        >>> state
        PlateauState(lr=0.5, best=4.0, bad_epochs=0, cooldown_left=0)

    References:
        PyTorch ``torch.optim.lr_scheduler.ReduceLROnPlateau``; transformers
        ``get_reduce_on_plateau_schedule`` and timm ``PlateauLRScheduler`` (deprecated)
        both wrap PyTorch's. Keras's
        ``ReduceLROnPlateau`` callback counts differently: an absolute ``min_delta``, and
        a reduction after ``patience`` bad epochs, one fewer than here.
    """

    initial_lr: float
    mode: str = "min"
    factor: float = 0.1
    patience: int = 10
    threshold: float = 1e-4
    threshold_mode: str = "rel"
    cooldown: int = 0
    min_lr: float = 0.0
    eps: float = 1e-8

    def __post_init__(self):
        def keep(name, value):
            object.__setattr__(self, name, value)

        keep("initial_lr", check.positive("initial_lr", self.initial_lr))
        keep("mode", check.one_of("mode", self.mode, PLATEAU_MODES))
        keep("factor", check.in_range("factor", self.factor, 0.0, 1.0, high_open=True))
        keep("patience", check.integer("patience", self.patience, minimum=0))
        keep("threshold_mode", check.one_of("threshold_mode", self.threshold_mode, THRESHOLD_MODES))
        if self.threshold_mode == "rel":
            keep("threshold", check.in_range("threshold", self.threshold, 0.0, 1.0, high_open=True))
        else:
            keep("threshold", check.non_negative("threshold", self.threshold))
        keep("cooldown", check.integer("cooldown", self.cooldown, minimum=0))
        keep("min_lr", check.non_negative("min_lr", self.min_lr))
        check.not_above("min_lr", self.min_lr, "initial_lr", self.initial_lr)
        keep("eps", check.non_negative("eps", self.eps))

    def start(self) -> PlateauState:
        """The state before the first loss: ``initial_lr``, and no best loss yet."""
        return PlateauState(self.initial_lr, math.inf if self.mode == "min" else -math.inf)

    def improves(self, loss: float, best: float) -> bool:
        """Whether ``loss`` beats ``best`` by more than the threshold (see the class docstring)."""
        # The same operations in the same order as PyTorch, so that ties fall the same way.
        if self.mode == "min":
            if self.threshold_mode == "rel":
                return loss < best * (1.0 - self.threshold)
            return loss < best - self.threshold
        if self.threshold_mode == "rel":
            return loss > best * (self.threshold + 1.0)
        return loss > best + self.threshold

    def step(self, state: PlateauState, loss) -> PlateauState:
        """The state after reading ``loss``; its ``lr`` is the rate until the next loss."""
        if not isinstance(state, PlateauState):
            raise ValueError(f"state must be a PlateauState (from Plateau.start()), got state={state!r}")
        value = _loss_value(loss)
        if self.improves(value, state.best):
            best, bad = value, 0
        else:
            best, bad = state.best, state.bad_epochs + 1
        cooldown_left = state.cooldown_left
        if cooldown_left > 0:
            cooldown_left -= 1
            bad = 0
        lr = state.lr
        if bad > self.patience:
            reduced = max(lr * self.factor, self.min_lr)
            if lr - reduced > self.eps:
                lr = reduced
            cooldown_left, bad = self.cooldown, 0
        return PlateauState(lr, best, bad, cooldown_left)

    def run(self, losses) -> np.ndarray:
        """The learning rate after each loss of ``losses``, read in order from :meth:`start`.

        ``run(losses)[k]`` is the rate after reading ``losses[k]``, the one the next epoch
        uses (PyTorch's ``get_last_lr()`` after ``scheduler.step(losses[k])``); the first
        epoch runs at ``initial_lr``.
        """
        state = self.start()
        out = []
        for loss in losses:
            state = self.step(state, loss)
            out.append(state.lr)
        return np.asarray(out, dtype=np.float64)


__all__ = ["Plateau", "PlateauState", "PLATEAU_MODES", "THRESHOLD_MODES"]
