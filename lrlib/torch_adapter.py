r"""Drive a PyTorch optimizer with any lrlib schedule.

:class:`ScheduleLR` is a ``torch.optim.lr_scheduler.LRScheduler``, so it works wherever a
PyTorch scheduler does (training loops, checkpoints, Lightning). Use it the PyTorch way:
``optimizer.step()`` first, then ``scheduler.step()``. The learning rate it sets for the
k-th optimizer step (counting from 0) is the schedule's value at
:func:`lrlib.units.step_of_iteration` ``(k, step_unit, iters_per_epoch)``:

* ``k / iters_per_epoch`` with ``step_unit="fractional_epoch"`` (the default: the schedule's
  lengths are in epochs and the lr moves every iteration),
* ``k // iters_per_epoch`` with ``step_unit="epoch"`` (the lr is constant within an epoch,
  as in the YOLO recipe), or
* ``k`` with ``step_unit="iteration"`` (the schedule's lengths are in iterations).

With ``iters_per_epoch=1`` (the default) it is simply ``schedule(k)``: the schedule counts
whatever you call ``step()`` for. Because lrlib schedules are pure functions of the step,
resuming needs only the step count (``state_dict`` holds it), and the value never depends
on what the optimizer's lr was before.

Per-group scaling: a param group with a key ``"lr_scale"`` gets ``lr_scale * schedule(t)``.

Example (needs torch)::


    >>> import torch, lrlib
    >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    >>> sched = ScheduleLR(opt, lrlib.cosine_decay(0.1, 100))
    >>> for _ in range(50):
    ...     opt.step(); sched.step()
    >>> round(opt.param_groups[0]["lr"], 6)
    0.05

References:
    PyTorch ``torch.optim.lr_scheduler.LRScheduler`` and ``LambdaLR``; the step-order
    rule is https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate .
"""

from __future__ import annotations

import torch
from torch.optim.lr_scheduler import LRScheduler

from . import _checks as check
from .schedule import Schedule
from .units import STEP_UNITS, step_of_iteration


class ScheduleLR(LRScheduler):
    """A PyTorch LR scheduler whose values come from an lrlib :class:`~lrlib.schedule.Schedule`.

    Args:
        optimizer: the torch optimizer whose param groups get the learning rate.
        schedule: any lrlib schedule (its peak is an absolute lr, not a factor).
        iters_per_epoch: how many ``step()`` calls (iterations) make one epoch.
        step_unit: what the schedule's step counts (:data:`lrlib.units.STEP_UNITS`):
            ``"fractional_epoch"``, ``"epoch"`` or ``"iteration"``.
        last_step: like PyTorch's ``last_epoch``: -1 for a fresh start.
    """

    def __init__(self, optimizer, schedule: Schedule, *, iters_per_epoch: int = 1,
                 step_unit: str = "fractional_epoch", last_step: int = -1):
        self.schedule = check.schedule("schedule", schedule)
        self.iters_per_epoch = check.integer("iters_per_epoch", iters_per_epoch, minimum=1)
        self.step_unit = check.one_of("step_unit", step_unit, STEP_UNITS)
        if last_step != -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        super().__init__(optimizer, last_epoch=last_step)

    def schedule_time(self, k: int) -> float:
        """The schedule's step for the k-th optimizer step."""
        return step_of_iteration(k, self.step_unit, self.iters_per_epoch)

    def lr_at(self, k: int) -> float:
        """The learning rate this scheduler sets for the k-th optimizer step (before per-group scaling)."""
        return self.schedule(self.schedule_time(k))

    def get_lr(self):
        value = self.lr_at(max(self.last_epoch, 0))
        return [value * group.get("lr_scale", 1.0) for group in self.optimizer.param_groups]

    _get_closed_form_lr = get_lr

    def state_dict(self):
        """Only the step count and settings: the schedule itself is rebuilt from code."""
        return {"last_epoch": self.last_epoch, "_step_count": self._step_count,
                "iters_per_epoch": self.iters_per_epoch, "step_unit": self.step_unit,
                "_last_lr": getattr(self, "_last_lr", None)}

    def load_state_dict(self, state_dict):
        """Restore the step count and set the optimizer's lr for the next step right away."""
        self.last_epoch = int(state_dict["last_epoch"])
        self._step_count = int(state_dict.get("_step_count", self.last_epoch + 1))
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]


def trace_lrs(optimizer, scheduler, num_steps: int, *, wrong_order: bool = False) -> list[float]:
    """Run ``num_steps`` optimizer steps (with zero gradients) and record the lr each one used.

    With ``wrong_order=True`` the scheduler steps *before* the optimizer (the mistake
    PyTorch warns about); the trace then shows the first value skipped.

    Example::

        >>> import torch, lrlib
        >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> trace_lrs(opt, ScheduleLR(opt, lrlib.step_decay(1.0, 2, 0.5)), 5)
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    n = check.integer("num_steps", num_steps, minimum=0)
    params = [p for g in optimizer.param_groups for p in g["params"]]
    used = []
    for _ in range(n):
        for p in params:
            p.grad = torch.zeros_like(p)
        if wrong_order:
            scheduler.step()
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if not wrong_order:
            scheduler.step()
    return used
