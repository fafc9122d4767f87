r"""Compatibility with the YOLO training recipes that lrlib's lessons start from.

* :func:`get_lr_scheduler` reproduces the widely copied ``get_lr_scheduler`` of the
  bubbliiiing YOLO repositories (same signature, same defaults, same values), but
  rejects bad arguments when the schedule is built instead of failing later or
  silently doing something else.
* :func:`scale_lr_for_batch` is the batch-size scaling those training scripts do
  (``lr * batch_size / nbs``, clipped to limits that depend on the optimizer).
* :func:`yolox_warm_cos` and :func:`yolox_base_lr` are the official YOLOX
  per-iteration schedule (``yoloxwarmcos``) and its learning-rate rule.

Differences from the original ``get_lr_scheduler`` (everything else is identical):

=====================================  ===========================================  ==========================
argument                               original                                     lrlib.compat
=====================================  ===========================================  ==========================
``lr_decay_type`` not ``"cos"``        silently uses step decay (``"cosine"`` too)  ``"step"`` or ValueError
``step_num < 2`` (step branch)         ``ZeroDivisionError`` when built             ValueError when built
``total_iters < step_num`` (step)      ``ValueError`` only when *called*            ValueError when built
``lr`` or ``total_iters`` <= 0, NaN,   garbage or an error later                    ValueError when built
inf
``min_lr`` < 0 or > ``lr``             a curve that rises, or NaN                   ValueError when built
negative ratios                        clamped or negative lengths                  ValueError when built
negative or NaN step                   garbage                                      ValueError when called
=====================================  ===========================================  ==========================

The values agree with the original's to a relative 1e-12 on all of the recorded
cases (the worst is about 6e-13), and everywhere to 1e-12 of the value or 1e-15 of
``lr``, whichever is larger. They are not bit for bit the same: the original
evaluates the cosine as ``1 + cos(...)``, which next to ``min_lr = 0`` loses digits
to cancellation (at the last cosine step of a 1000-step schedule, 2e-12 of the value),
and lrlib as a squared sine, which does not (see :func:`lrlib.decay`).

Kept on purpose, because they are what the original does and worth teaching:
``min_lr = 0`` (the step branch then drops to 0 after its first plateau); the
clamps (warmup between 1 and 3 steps, tail between 1 and 15 steps) which let the
warmup and the tail overlap when ``total_iters`` is 1 or 2; the step branch going
on below ``min_lr`` past ``total_iters``; the warmup start ``max(ratio * lr, 1e-6)``.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import _checks as check
from .compose import join, warmup_cosine_tail
from .primitives import constant, decay, warmup
from .schedule import Event, Phase, Schedule

LR_DECAY_TYPES = ("cos", "step")


def get_lr_scheduler(lr_decay_type: str, lr: float, min_lr: float, total_iters: float,
                     warmup_iters_ratio: float = 0.1, warmup_lr_ratio: float = 0.1,
                     no_aug_iter_ratio: float = 0.3, step_num: int = 10) -> Schedule:
    r"""The YOLO recipe's ``get_lr_scheduler``: same signature, defaults and values.

    ``total_iters`` (:math:`T`) is in whatever unit the schedule is called with; the
    YOLO training scripts call it once per **epoch** with the 0-based epoch index,
    so the lr is constant within an epoch. Call it with ``epoch + i / iters_per_epoch``
    to step every iteration instead.

    ``"cos"``: with :math:`W = \min(\max(r_w T, 1), 3)`, :math:`N = \min(\max(r_n T, 1), 15)`
    and :math:`\eta_s = \max(r_s \eta, 10^{-6})`,

    .. math::
        f(t) = \begin{cases}
          (\eta - \eta_s)(t/W)^2 + \eta_s & t \le W \\
          \eta_{min} & t \ge T - N \\
          \eta_{min} + \tfrac12(\eta - \eta_{min})\bigl(1 + \cos\frac{\pi (t - W)}{T - W - N}\bigr) & \text{otherwise}
        \end{cases}

    ``"step"``: geometric step decay that lands on ``min_lr`` in its last plateau,

    .. math:: f(t) = \eta\,\gamma^{\lfloor t / s \rfloor},\quad \gamma = (\eta_{min}/\eta)^{1/(k-1)},\quad s = T/k

    where :math:`\eta` is ``lr``, :math:`\eta_{min}` ``min_lr``, :math:`k` ``step_num``,
    :math:`r_w, r_s, r_n` the three ratios. Past :math:`T` the step branch keeps
    dropping below ``min_lr``, as the original does.

    The old defaults (``0.1, 0.1, 0.3``) are the signature's; the current upstream
    ones are ``warmup_iters_ratio=0.05, no_aug_iter_ratio=0.05``.

    Examples:
        >>> f = get_lr_scheduler("cos", lr=1.25e-3, min_lr=1.25e-5, total_iters=300)
        >>> print([f"{f(e):.3g}" for e in range(5)])
        ['0.000125', '0.00025', '0.000625', '0.00125', '0.00125']
        >>> print(f"{f(299):.3g}")
        1.25e-05
        >>> g = get_lr_scheduler("step", lr=0.01, min_lr=0.0001, total_iters=100)
        >>> print(f"{g(0):.4g} {g(10):.4g} {g(99):.4g}")
        0.01 0.005995 0.0001

    References:
        bubbliiiing ``yolox-pytorch`` ``nets/yolo_training.py``; YOLOX ``yoloxwarmcos``.
    """
    check.one_of("lr_decay_type", lr_decay_type, LR_DECAY_TYPES)
    lr = check.positive("lr", lr)
    min_lr = check.non_negative("min_lr", min_lr)
    check.not_above("min_lr", min_lr, "lr", lr)
    total = check.positive("total_iters", total_iters)
    r_w = check.non_negative("warmup_iters_ratio", warmup_iters_ratio)
    r_s = check.non_negative("warmup_lr_ratio", warmup_lr_ratio)
    r_n = check.non_negative("no_aug_iter_ratio", no_aug_iter_ratio)
    params = {"lr_decay_type": lr_decay_type, "lr": lr, "min_lr": min_lr, "total_iters": total}

    if lr_decay_type == "cos":
        w = min(max(r_w * total, 1), 3)
        start = max(r_s * lr, 1e-6)
        n = min(max(r_n * total, 1), 15)
        tail_start = total - n
        warm = warmup(start, lr, w, "quadratic")
        if tail_start > w:
            cos_len = total - w - n
            sched = join([warm, decay(lr, cos_len, min_lr, "cosine"), constant(min_lr)], [w, tail_start])
        else:
            # The clamps made the warmup reach past the start of the tail (total_iters 1 or 2):
            # the original runs the warmup for t <= W and the tail after it; the cosine never runs.
            tail_start = float(np.nextafter(w, np.inf))
            sched = join([warm, constant(min_lr)], [tail_start])
        params.update(warmup_iters_ratio=r_w, warmup_lr_ratio=r_s, no_aug_iter_ratio=r_n)
        return dataclasses.replace(sched, name="get_lr_scheduler", params=params, total_steps=total,
                                   tail_start_step=tail_start, min_lr=min(min_lr, start), max_lr=max(lr, start))

    k = check.integer("step_num", step_num, minimum=2)
    check.at_least("total_iters", total_iters, "step_num", k, reason="step_decay")
    rate = (min_lr / lr) ** (1 / (k - 1))
    size = total / k

    def fn(t):
        return lr * rate ** np.floor_divide(t, size)

    params["step_num"] = k
    drops = tuple(Event("milestone", size * i) for i in range(1, k))
    # it has a length (total_iters) but never settles: past total_iters it goes on dividing
    return Schedule(fn, "get_lr_scheduler", params, total, (Phase("plateau", 0.0, None),), drops, 0.0, lr)


OPTIMIZER_LR_LIMITS = {
    # optimizer: (lower limit, upper limit) of the peak lr; the min lr's limits are 1/100 of these
    "sgd": (5e-4, 5e-2),
    "adam": (3e-4, 1e-3),
}


def scale_lr_for_batch(init_lr: float, min_lr: float, batch_size: int, nbs: int = 64,
                       optimizer: str = "sgd") -> tuple[float, float]:
    r"""The YOLO scripts' batch-size scaling of the peak and minimum learning rates.

    .. math::
        \eta_{fit} = \mathrm{clip}(\tfrac{B}{nbs}\,\eta,\ l_{lo},\ l_{hi}),\qquad
        \eta_{min,fit} = \mathrm{clip}(\tfrac{B}{nbs}\,\eta_{min},\ l_{lo}/100,\ l_{hi}/100)

    where :math:`B` is ``batch_size``, ``nbs`` the nominal batch size and
    :math:`(l_{lo}, l_{hi})` are (5e-4, 5e-2) for SGD and (3e-4, 1e-3) for Adam.

    Returns:
        ``(init_lr_fit, min_lr_fit)``, the arguments to pass to :func:`get_lr_scheduler`.

    Examples:
        >>> print(scale_lr_for_batch(1e-2, 1e-4, batch_size=16))
        (0.0025, 2.5e-05)
        >>> print(scale_lr_for_batch(1e-2, 1e-4, batch_size=2))
        (0.0005, 5e-06)

    References:
        bubbliiiing ``yolox-pytorch`` ``train.py``; Goyal et al. 2017 (linear scaling rule).
    """
    init_lr = check.positive("init_lr", init_lr)
    min_lr = check.non_negative("min_lr", min_lr)
    check.not_above("min_lr", min_lr, "init_lr", init_lr)
    b = check.integer("batch_size", batch_size, minimum=1)
    nbs = check.integer("nbs", nbs, minimum=1)
    lo, hi = OPTIMIZER_LR_LIMITS[check.one_of("optimizer", optimizer, tuple(OPTIMIZER_LR_LIMITS))]
    init_fit = min(max(b / nbs * init_lr, lo), hi)
    min_fit = min(max(b / nbs * min_lr, lo * 1e-2), hi * 1e-2)
    return init_fit, min_fit


def yolox_base_lr(batch_size: int, basic_lr_per_img: float = 0.01 / 64) -> float:
    r"""Official YOLOX's peak learning rate: :math:`\eta = \eta_{img} \cdot B`, no clamp.

    Examples:
        >>> print(f"{yolox_base_lr(64):.3g} {yolox_base_lr(8):.3g}")
        0.01 0.00125
    """
    b = check.integer("batch_size", batch_size, minimum=1)
    return check.positive("basic_lr_per_img", basic_lr_per_img) * b


def yolox_warm_cos(lr: float, iters_per_epoch: int, total_epochs: int, warmup_epochs: float = 5,
                   no_aug_epochs: float = 15, min_lr_ratio: float = 0.05, warmup_lr_start: float = 0.0) -> Schedule:
    r"""Official YOLOX ``yoloxwarmcos``: a per-**iteration** schedule.

    All lengths are given in epochs and turned into iterations:
    :math:`W = I\cdot` ``warmup_epochs``, :math:`N = I\cdot` ``no_aug_epochs``,
    :math:`T = I\cdot` ``total_epochs`` with :math:`I` = ``iters_per_epoch``. Then a
    quadratic warmup from ``warmup_lr_start`` (0 by default), cosine to
    :math:`\eta_{min} = \eta\cdot` ``min_lr_ratio``, and a constant tail of
    ``no_aug_epochs`` (the epochs trained without Mosaic). Call it with the
    iteration index. YOLOX's trainer asks for iteration ``k + 1`` after the k-th
    optimizer step, so its very first step runs at ``warmup_lr_start``.

    .. math::
        f(k) = \begin{cases}
          (\eta - \eta_s)(k/W)^2 + \eta_s & k < W \\
          \eta_{min} + \tfrac12(\eta - \eta_{min})\bigl(1 + \cos\frac{\pi (k - W)}{T - W - N}\bigr) & W \le k < T - N \\
          \eta_{min} & k \ge T - N
        \end{cases}

    Examples:
        >>> f = yolox_warm_cos(0.01, iters_per_epoch=100, total_epochs=300)
        >>> print(f"{f(0):.3g} {f(250):.3g} {f(500):.3g} {f(29999):.3g}")
        0 0.0025 0.01 0.0005

    References:
        Ge et al. 2021, YOLOX, https://arxiv.org/abs/2107.08430 ;
        ``Megvii-BaseDetection/YOLOX`` ``yolox/utils/lr_scheduler.py``.
    """
    lr = check.positive("lr", lr)
    ipe = check.integer("iters_per_epoch", iters_per_epoch, minimum=1)
    epochs = check.positive("total_epochs", total_epochs)
    we = check.positive("warmup_epochs", warmup_epochs)
    ne = check.non_negative("no_aug_epochs", no_aug_epochs)
    ratio = check.in_range("min_lr_ratio", min_lr_ratio, 0.0, 1.0)
    start = check.non_negative("warmup_lr_start", warmup_lr_start)
    check.sum_below({"warmup_epochs": warmup_epochs, "no_aug_epochs": no_aug_epochs}, "total_epochs", total_epochs)
    sched = warmup_cosine_tail(lr, lr * ratio, ipe * epochs, ipe * we, ipe * ne, start, "quadratic")
    return dataclasses.replace(sched, name="yolox_warm_cos",
                               params={"lr": lr, "iters_per_epoch": ipe, "total_epochs": epochs,
                                       "warmup_epochs": we, "no_aug_epochs": ne, "min_lr_ratio": ratio})


def original_get_lr_scheduler_value(lr_decay_type, lr, min_lr, total_iters, step, warmup_iters_ratio=0.1,
                                    warmup_lr_ratio=0.1, no_aug_iter_ratio=0.3, step_num=10) -> float:
    """One value of the original function, written as scalar Python (a reference, and the benchmark's loop).

    It follows the original's branches line by line with :mod:`math`, so that the
    benchmark can time the scalar loop the recipe runs and the tests can compare it
    with the vectorised version. Like the original, any ``lr_decay_type`` other than
    "cos" (a typo such as "cosine" included) selects step decay, and the step branch
    raises ``ValueError("step_size must above 1.")`` only when called, and divides by
    zero when ``step_num`` is 1.

    Examples:
        >>> print(original_get_lr_scheduler_value("cos", 0.01, 0.0001, 10, 1))
        0.010000000000000002
    """
    if lr_decay_type == "cos":
        w = min(max(warmup_iters_ratio * total_iters, 1), 3)
        s = max(warmup_lr_ratio * lr, 1e-6)
        n = min(max(no_aug_iter_ratio * total_iters, 1), 15)
        if step <= w:
            return (lr - s) * pow(step / float(w), 2) + s
        if step >= total_iters - n:
            return min_lr
        return min_lr + 0.5 * (lr - min_lr) * (1.0 + math.cos(math.pi * (step - w) / (total_iters - w - n)))
    rate = (min_lr / lr) ** (1 / (step_num - 1))
    step_size = total_iters / step_num
    if step_size < 1:
        raise ValueError("step_size must above 1.")
    return lr * rate ** (step // step_size)
