r"""The primitive schedules. Everything else in lrlib is built from these.

Each function checks its arguments once, when the schedule is built, and returns
a :class:`~lrlib.schedule.Schedule`. In the formulas, :math:`t` is the step
(0, 1, 2, ... or any float >= 0) in whatever unit you step in.

Past its end a finite schedule holds its final value: nothing here climbs back up
(PyTorch's ``CosineAnnealingLR`` does, past ``T_max``).
"""

from __future__ import annotations

import math

import numpy as np

from . import _checks as check
from .schedule import Event, Phase, Schedule

WARMUP_SHAPES = ("linear", "quadratic", "cosine", "exponential")
DECAY_SHAPES = ("linear", "cosine", "1-sqrt")
HALF_PI = 0.5 * math.pi  # the squared sine's angle factor in decay()


def constant(lr: float) -> Schedule:
    r"""The same learning rate at every step.

    .. math:: \eta_t = \eta

    Args:
        lr: the learning rate :math:`\eta` (>= 0).

    Examples:
        >>> f = constant(0.1)
        >>> print(f(0), f(10**6))
        0.1 0.1

    References:
        PyTorch ``ConstantLR`` with ``factor=1``; optax ``constant_schedule``.
    """
    lr = check.non_negative("lr", lr)

    def fn(t):
        return np.full(t.shape, lr)

    return Schedule(fn, "constant", {"lr": lr}, None, (Phase("constant", 0.0, None),), (), lr, lr,
                    tail_start_step=0.0)


def linear(start_lr: float, end_lr: float, duration_steps: float) -> Schedule:
    r"""A straight line from ``start_lr`` to ``end_lr``, then ``end_lr`` forever.

    .. math:: \eta_t = \eta_0 + (\eta_1 - \eta_0)\,\min(t, T)/T

    where :math:`\eta_0` is ``start_lr``, :math:`\eta_1` is ``end_lr`` and
    :math:`T` is ``duration_steps``. It goes up or down.

    Examples:
        >>> f = linear(1.0, 0.0, duration_steps=10)
        >>> print(f(0), f(5), f(10), f(99))
        1.0 0.5 0.0 0.0

    References:
        PyTorch ``LinearLR`` (there as factors of the base lr); optax ``linear_schedule``.
    """
    start_lr = check.non_negative("start_lr", start_lr)
    end_lr = check.non_negative("end_lr", end_lr)
    duration = check.positive("duration_steps", duration_steps)

    def fn(t):
        return start_lr + (end_lr - start_lr) * (np.minimum(t, duration) / duration)

    kind = "warmup" if end_lr > start_lr else "decay"
    return Schedule(
        fn, "linear",
        {"start_lr": start_lr, "end_lr": end_lr, "duration_steps": duration},
        duration, (Phase(kind, 0.0, duration), Phase("constant", duration, None)), (),
        min(start_lr, end_lr), max(start_lr, end_lr), tail_start_step=duration,
    )


def warmup(start_lr: float, peak_lr: float, warmup_steps: float, shape: str = "linear") -> Schedule:
    r"""Warmup from ``start_lr`` up to ``peak_lr`` over ``warmup_steps``, then hold the peak.

    With :math:`p = \min(t, W)/W` the fraction of the warmup done,

    .. math::
        \eta_t = \begin{cases}
          \eta_s + (\eta_p - \eta_s)\,p & \text{linear} \\
          \eta_s + (\eta_p - \eta_s)\,p^2 & \text{quadratic (YOLOX)} \\
          \eta_s + (\eta_p - \eta_s)\,\tfrac12(1 - \cos \pi p) & \text{cosine} \\
          \eta_s\,(\eta_p/\eta_s)^{p} & \text{exponential (needs } \eta_s > 0)
        \end{cases}

    where :math:`\eta_s` is ``start_lr`` (0, or a fraction of the peak),
    :math:`\eta_p` is ``peak_lr`` and :math:`W` is ``warmup_steps``.

    Examples:
        >>> f = warmup(0.0, 1.0, warmup_steps=4, shape="quadratic")
        >>> print([f(t) for t in range(6)])
        [0.0, 0.0625, 0.25, 0.5625, 1.0, 1.0]

    References:
        Goyal et al. 2017, "Accurate, Large Minibatch SGD" (linear warmup),
        https://arxiv.org/abs/1706.02677 ; YOLOX ``yoloxwarmcos`` (quadratic).
    """
    start_lr = check.non_negative("start_lr", start_lr)
    peak_lr = check.positive("peak_lr", peak_lr)
    w = check.positive("warmup_steps", warmup_steps)
    shape = check.one_of("shape", shape, WARMUP_SHAPES)
    if shape == "exponential":
        check.positive("start_lr", start_lr, reason="exponential_warmup")
    rise = peak_lr - start_lr

    if shape == "linear":
        def fn(t):
            return start_lr + rise * (np.minimum(t, w) / w)
    elif shape == "quadratic":
        def fn(t):
            return rise * (np.minimum(t, w) / w) ** 2 + start_lr
    elif shape == "cosine":
        def fn(t):
            return start_lr + rise * (0.5 * (1.0 - np.cos(np.pi * (np.minimum(t, w) / w))))
    else:
        # in logs: peak_lr / start_lr overflows for a tiny start_lr (say 1e-310)
        log_start, log_rise = math.log(start_lr), math.log(peak_lr) - math.log(start_lr)

        def fn(t):
            p = np.minimum(t, w) / w
            grown = np.clip(np.exp(log_start + log_rise * p), min(start_lr, peak_lr), max(start_lr, peak_lr))
            return np.where(p >= 1.0, peak_lr, np.where(p <= 0.0, start_lr, grown))

    return Schedule(
        fn, "warmup",
        {"start_lr": start_lr, "peak_lr": peak_lr, "warmup_steps": w, "shape": shape},
        w, (Phase("warmup", 0.0, w), Phase("constant", w, None)), (),
        min(start_lr, peak_lr), max(start_lr, peak_lr), tail_start_step=w,
    )


def decay(peak_lr: float, decay_steps: float, end_lr: float = 0.0, shape: str = "cosine") -> Schedule:
    r"""Anneal from ``peak_lr`` down to ``end_lr`` over ``decay_steps``, then hold ``end_lr``.

    With :math:`p = \min(t, T)/T`,

    .. math::
        \eta_t = \eta_{end} + (\eta_{peak} - \eta_{end})\,h(p), \qquad
        h(p) = \begin{cases}
          \tfrac12 (1 + \cos \pi p) & \text{cosine} \\
          1 - p & \text{linear} \\
          1 - \sqrt{p} & \text{1-sqrt}
        \end{cases}

    where :math:`T` is ``decay_steps``. The cosine is evaluated as
    :math:`\tfrac12(1 + \cos \pi p) = \sin^2(\tfrac\pi2 (1 - p))`, the same value
    written as a square: next to a floor of 0, ``1 + cos`` cancels (cos is close to
    -1) and keeps only the digits that survive the subtraction, while the square keeps
    them all.

    Examples:
        >>> f = decay(1.0, decay_steps=100, end_lr=0.0, shape="linear")
        >>> print(f(0), f(25), f(100), f(1000))
        1.0 0.75 0.0 0.0

    References:
        Loshchilov & Hutter 2017, SGDR, https://arxiv.org/abs/1608.03983 (cosine);
        Hägele et al. 2024, https://arxiv.org/abs/2405.18392 (1-sqrt cooldown).
    """
    peak_lr = check.non_negative("peak_lr", peak_lr)
    d = check.positive("decay_steps", decay_steps)
    end_lr = check.non_negative("end_lr", end_lr)
    check.not_above("end_lr", end_lr, "peak_lr", peak_lr)
    shape = check.one_of("shape", shape, DECAY_SHAPES)
    drop = peak_lr - end_lr

    if shape == "cosine":
        def fn(t):
            # end_lr + drop * sin(pi/2 * (d - min(t, d)) / d) ** 2, evaluated in place in one
            # buffer: a million steps then cost one allocation instead of six.
            x = np.minimum(t, d)
            np.subtract(d, x, out=x)
            x *= HALF_PI / d
            np.sin(x, out=x)
            np.square(x, out=x)
            x *= drop
            x += end_lr
            return x
    elif shape == "linear":
        def fn(t):
            return end_lr + drop * (1.0 - np.minimum(t, d) / d)
    else:
        def fn(t):
            return end_lr + drop * (1.0 - np.sqrt(np.minimum(t, d) / d))

    name = "cosine_decay" if shape == "cosine" else "decay"
    params = {"peak_lr": peak_lr, "decay_steps": d, "end_lr": end_lr}
    if shape != "cosine":
        params["shape"] = shape
    return Schedule(
        fn, name, params, d, (Phase("decay", 0.0, d), Phase("constant", d, None)), (),
        end_lr, peak_lr, tail_start_step=d,
    )


def cosine_decay(peak_lr: float, decay_steps: float, end_lr: float = 0.0) -> Schedule:
    r"""Cosine annealing from ``peak_lr`` to the floor ``end_lr``, then hold the floor.

    .. math:: \eta_t = \eta_{end} + \tfrac12(\eta_{peak} - \eta_{end})\,(1 + \cos(\pi \min(t, T)/T))

    where :math:`T` is ``decay_steps``. This is ``decay(..., shape="cosine")``.
    Unlike PyTorch's ``CosineAnnealingLR``, it does not rise again after :math:`T`.

    Examples:
        >>> f = cosine_decay(0.1, decay_steps=100)
        >>> print(f"{f(0):.4f} {f(50):.4f} {f(100):.4f} {f(200):.4f}")
        0.1000 0.0500 0.0000 0.0000

    References:
        Loshchilov & Hutter 2017, SGDR, https://arxiv.org/abs/1608.03983 ;
        PyTorch ``CosineAnnealingLR`` (within ``T_max``); optax ``cosine_decay_schedule``
        (``end_lr`` = ``alpha`` × ``peak_lr``).
    """
    return decay(peak_lr, decay_steps, end_lr, shape="cosine")


def polynomial_decay(peak_lr: float, decay_steps: float, end_lr: float = 0.0, power: float = 1.0) -> Schedule:
    r"""Polynomial decay to ``end_lr`` over ``decay_steps``, then hold ``end_lr``.

    .. math:: \eta_t = \eta_{end} + (\eta_{peak} - \eta_{end})\,(1 - \min(t, T)/T)^{k}

    where :math:`T` is ``decay_steps`` and :math:`k` is ``power`` (1 is linear).

    Examples:
        >>> f = polynomial_decay(1.0, decay_steps=10, power=2.0)
        >>> print(f(0), f(5), f(10), f(11))
        1.0 0.25 0.0 0.0

    References:
        PyTorch ``PolynomialLR`` (``end_lr`` = 0); timm ``PolyLRScheduler`` (one cycle);
        optax ``polynomial_schedule``;
        Keras ``PolynomialDecay``.
    """
    peak_lr = check.non_negative("peak_lr", peak_lr)
    d = check.positive("decay_steps", decay_steps)
    end_lr = check.non_negative("end_lr", end_lr)
    check.not_above("end_lr", end_lr, "peak_lr", peak_lr)
    power = check.positive("power", power)
    drop = peak_lr - end_lr

    def fn(t):
        return end_lr + drop * (1.0 - np.minimum(t, d) / d) ** power

    return Schedule(
        fn, "polynomial_decay",
        {"peak_lr": peak_lr, "decay_steps": d, "end_lr": end_lr, "power": power},
        d, (Phase("decay", 0.0, d), Phase("constant", d, None)), (), end_lr, peak_lr, tail_start_step=d,
    )


def step_decay(peak_lr: float, step_size: float, gamma: float = 0.1) -> Schedule:
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` steps.

    .. math:: \eta_t = \eta_0\,\gamma^{\lfloor t / s \rfloor}

    where :math:`s` is ``step_size`` (may be fractional; the floor is Python's
    ``//``) and :math:`\gamma` is ``gamma``. It has no end: it keeps dropping.

    Examples:
        >>> f = step_decay(1.0, step_size=30, gamma=0.1)
        >>> print(f(29), f(30), f"{f(60):.2f}")
        1.0 0.1 0.01

    References:
        PyTorch ``StepLR``; timm ``StepLRScheduler``; He et al. 2016 (ResNet: divide by
        10 at fixed epochs).
    """
    peak_lr = check.non_negative("peak_lr", peak_lr)
    s = check.positive("step_size", step_size)
    gamma = check.in_range("gamma", gamma, 0.0, 1.0)

    def fn(t):
        return peak_lr * gamma ** np.floor_divide(t, s)

    return Schedule(
        fn, "step_decay", {"peak_lr": peak_lr, "step_size": s, "gamma": gamma}, None,
        (Phase("plateau", 0.0, None),), (), 0.0 if gamma < 1 else peak_lr, peak_lr,
    )


def multistep_decay(peak_lr: float, milestones, gamma: float = 0.1) -> Schedule:
    r"""Multiply the learning rate by ``gamma`` at each milestone.

    .. math:: \eta_t = \eta_0\,\gamma^{\#\{m_i \le t\}}

    where the :math:`m_i` are ``milestones`` (strictly increasing, > 0). The drop
    happens *at* the milestone, as in PyTorch's ``MultiStepLR``. timm's
    ``MultiStepLRScheduler`` drops one step earlier (its ``decay_t=[m, ...]`` is
    ``milestones=[m - 1, ...]`` here).

    Examples:
        >>> f = multistep_decay(1.0, milestones=[30, 80], gamma=0.1)
        >>> print(f(29), f(30), f"{f(80):.2f}")
        1.0 0.1 0.01

    References:
        PyTorch ``MultiStepLR``; timm ``MultiStepLRScheduler``; optax
        ``piecewise_constant_schedule``; Goyal et al. 2017 (drops at epochs 30, 60, 80).
    """
    peak_lr = check.non_negative("peak_lr", peak_lr)
    ms = check.increasing("milestones", milestones, minimum=0.0)
    gamma = check.in_range("gamma", gamma, 0.0, 1.0)
    marks = np.asarray(ms)

    def fn(t):
        return peak_lr * gamma ** np.searchsorted(marks, t, side="right")

    return Schedule(
        fn, "multistep_decay", {"peak_lr": peak_lr, "milestones": ms, "gamma": gamma}, None,
        (Phase("plateau", 0.0, None),), tuple(Event("milestone", m) for m in ms),
        peak_lr * gamma ** len(ms), peak_lr, tail_start_step=ms[-1],
    )


def exponential_decay(peak_lr: float, gamma: float, end_lr: float = 0.0) -> Schedule:
    r"""Multiply by ``gamma`` every step (continuously for fractional steps), never below ``end_lr``.

    .. math:: \eta_t = \max(\eta_0\,\gamma^{t},\ \eta_{end})

    Examples:
        >>> f = exponential_decay(1.0, gamma=0.5)
        >>> print(f(0), f(1), f(3), f(0.5) == 0.5 ** 0.5)
        1.0 0.5 0.125 True

    References:
        PyTorch ``ExponentialLR`` (no floor); optax ``exponential_decay`` (``end_value``).
    """
    peak_lr = check.non_negative("peak_lr", peak_lr)
    gamma = check.in_range("gamma", gamma, 0.0, 1.0, low_open=True)
    end_lr = check.non_negative("end_lr", end_lr)
    check.not_above("end_lr", end_lr, "peak_lr", peak_lr)

    def fn(t):
        return np.maximum(peak_lr * gamma ** t, end_lr)

    return Schedule(
        fn, "exponential_decay", {"peak_lr": peak_lr, "gamma": gamma, "end_lr": end_lr}, None,
        (Phase("decay", 0.0, None),), (), end_lr, peak_lr,
    )


def inverse_time_decay(peak_lr: float, decay_rate: float, decay_steps: float = 1.0,
                       staircase: bool = False) -> Schedule:
    r"""The 1/t decay: ``peak_lr`` divided by one plus ``decay_rate`` for every ``decay_steps`` steps.

    .. math::
        \eta_t = \frac{\eta_0}{1 + r\,p}, \qquad
        p = \begin{cases} t/s \\ \lfloor t/s \rfloor & \text{staircase} \end{cases}

    where :math:`\eta_0` is ``peak_lr``, :math:`r` is ``decay_rate`` and :math:`s` is
    ``decay_steps`` (Keras's names and conventions). Far out it falls like :math:`1/t`:
    slowly enough that :math:`\sum_t \eta_t` diverges, fast enough that
    :math:`\sum_t \eta_t^2` converges (the Robbins–Monro conditions). It has no end and
    never reaches 0.

    Examples:
        >>> f = inverse_time_decay(1.0, decay_rate=0.5, decay_steps=10)
        >>> print(f(0), f(10), f(20), f(60))
        1.0 0.6666666666666666 0.5 0.25
        >>> g = inverse_time_decay(1.0, decay_rate=1.0, decay_steps=10, staircase=True)
        >>> print(g(9), g(10), g(25))
        1.0 0.5 0.3333333333333333

    References:
        Robbins & Monro 1951, "A Stochastic Approximation Method",
        https://doi.org/10.1214/aoms/1177729586 ; Keras ``InverseTimeDecay``
        (``initial_learning_rate``, ``decay_steps``, ``decay_rate``, ``staircase``).
    """
    peak_lr = check.non_negative("peak_lr", peak_lr)
    rate = check.non_negative("decay_rate", decay_rate)
    s = check.positive("decay_steps", decay_steps)
    staircase = check.boolean("staircase", staircase)

    if staircase:
        def fn(t):
            return peak_lr / (1.0 + rate * np.floor(t / s))
    else:
        def fn(t):
            return peak_lr / (1.0 + rate * (t / s))

    return Schedule(
        fn, "inverse_time_decay",
        {"peak_lr": peak_lr, "decay_rate": rate, "decay_steps": s, "staircase": staircase}, None,
        (Phase("plateau" if staircase else "decay", 0.0, None),), (),
        0.0 if rate > 0 else peak_lr, peak_lr,
    )


def inverse_sqrt_decay(peak_lr: float, timescale_steps: float) -> Schedule:
    r"""The 1/√t decay: ``peak_lr`` divided by the square root of one plus ``t / timescale_steps``.

    .. math:: \eta_t = \frac{\eta_0}{\sqrt{1 + t/\tau}}

    where :math:`\eta_0` is ``peak_lr`` and :math:`\tau` is ``timescale_steps``: after
    :math:`3\tau` steps the rate is half the peak, after :math:`99\tau` a tenth. It falls
    like :math:`1/\sqrt t`, more slowly than :func:`inverse_time_decay`: the sum of the
    rates diverges, and so does the sum of their squares (only just, like :math:`\log t`).
    It has no end and never reaches 0. This is the decay after the warmup of
    :func:`lrlib.inverse_sqrt`.

    Examples:
        >>> f = inverse_sqrt_decay(1.0, timescale_steps=100)
        >>> print(f(0), f(300), f(9900))
        1.0 0.5 0.1

    References:
        Vaswani et al. 2017, "Attention Is All You Need", https://arxiv.org/abs/1706.03762
        (the :math:`1/\sqrt t` after warmup); transformers ``get_inverse_sqrt_schedule``
        (``timescale``) after its warmup.
    """
    peak_lr = check.non_negative("peak_lr", peak_lr)
    tau = check.positive("timescale_steps", timescale_steps)

    def fn(t):
        return peak_lr / np.sqrt(1.0 + t / tau)

    return Schedule(
        fn, "inverse_sqrt_decay", {"peak_lr": peak_lr, "timescale_steps": tau}, None,
        (Phase("decay", 0.0, None),), (), 0.0, peak_lr,
    )
