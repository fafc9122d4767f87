r"""Schedules built by joining primitives, and the closed-form cyclic families.

``join`` is the one combinator: each child schedule runs on its own clock, which
starts at 0 at the child's boundary. The YOLO recipe, warmup + cosine,
warmup-stable-decay, one-cycle and the Transformer's inverse square root are all
joins of primitives; warm restarts and cyclical learning rates are closed forms.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from . import _checks as check
from .primitives import DECAY_SHAPES, WARMUP_SHAPES, constant, cosine_decay, decay, inverse_sqrt_decay, warmup
from .schedule import Event, Phase, Schedule


def join(schedules, boundaries) -> Schedule:
    r"""Run ``schedules[0]`` until ``boundaries[0]``, then ``schedules[1]``, and so on.

    .. math:: \eta_t = f_i(t - b_{i-1}) \quad \text{for } b_{i-1} \le t < b_i,\ b_{-1} = 0

    Each child :math:`f_i` sees its own local time, starting at 0 at its boundary,
    so a cosine joined after a warmup starts from its own beginning. At a boundary
    the later schedule takes over. Only the child that owns a step is evaluated.

    Args:
        schedules: ``n`` schedules.
        boundaries: ``n - 1`` strictly increasing steps (> 0) where each next one starts.

    Examples:
        >>> f = join([warmup(0.0, 1.0, 5), cosine_decay(1.0, 10)], boundaries=[5])
        >>> print(f(0), f(5), f"{f(10):.3f}", f(15), f(100))
        0.0 1.0 0.500 0.0 0.0

    References:
        optax ``join_schedules``; PyTorch ``SequentialLR`` (stateful equivalent).
    """
    schedules = check.schedules("schedules", schedules)
    bounds = check.increasing("boundaries", boundaries, minimum=0.0) if len(schedules) > 1 or boundaries else ()
    check.one_fewer("boundaries", list(boundaries), "schedules", len(schedules))
    starts = (0.0,) + bounds
    edges = np.asarray(bounds)

    def fn(t):
        if len(schedules) == 1:
            return schedules[0].fn(t)
        out = np.empty_like(t)
        if t.size < 2 or not (t[1:] < t[:-1]).any():
            # Steps in order (np.arange, a single step): each child owns one contiguous
            # run of them, so it is sliced out instead of masked, gathered and scattered.
            cuts = (0, *np.searchsorted(t, edges, side="left").tolist(), t.size)
            for i, child in enumerate(schedules):
                lo, hi = cuts[i], cuts[i + 1]
                if hi > lo:
                    out[lo:hi] = child.fn(t[lo:hi] - starts[i])
            return out
        which = np.searchsorted(edges, t, side="right")
        for i, child in enumerate(schedules):
            mask = which == i
            if mask.any():
                out[mask] = child.fn(t[mask] - starts[i])
        return out

    phases, events = [], []
    for i, child in enumerate(schedules):
        lo = starts[i]
        hi = bounds[i] if i < len(bounds) else None
        for ph in child.phases:
            a = lo + ph.start
            b = None if ph.end is None else lo + ph.end
            if hi is not None:
                b = hi if b is None else min(b, hi)
            if b is None or b > a:
                phases.append(Phase(ph.kind, a, b))
        for ev in child.events:
            if hi is None or lo + ev.step < hi:
                events.append(Event(ev.kind, lo + ev.step))
    last = schedules[-1]
    total = None if last.total_steps is None else starts[-1] + last.total_steps
    tail = None if last.tail_start_step is None else starts[-1] + last.tail_start_step
    return Schedule(
        fn, "join", {"schedules": [s.label() for s in schedules], "boundaries": list(bounds)},
        total, tuple(phases), tuple(events),
        min(s.min_lr for s in schedules), max(s.max_lr for s in schedules), tail_start_step=tail,
    )


def _named(sched: Schedule, name: str, params: dict, **changes) -> Schedule:
    """The same function under a more helpful name and parameter list."""
    return dataclasses.replace(sched, name=name, params=params, **changes)


def warmup_cosine(peak_lr: float, total_steps: float, warmup_steps: float, end_lr: float = 0.0,
                  start_lr: float = 0.0, warmup_shape: str = "linear") -> Schedule:
    r"""Warmup to ``peak_lr`` over ``warmup_steps``, then cosine down to ``end_lr`` at ``total_steps``.

    .. math::
        \eta_t = \begin{cases}
          \text{warmup}(t) & t < W \\
          \eta_{end} + \tfrac12(\eta_{peak}-\eta_{end})(1 + \cos(\pi (t - W)/(T - W))) & W \le t < T \\
          \eta_{end} & t \ge T
        \end{cases}

    ``total_steps`` (:math:`T`) *includes* the warmup (:math:`W`). This is what
    PyTorch users build as ``SequentialLR([LinearLR, CosineAnnealingLR])``.

    Examples:
        >>> f = warmup_cosine(1.0, total_steps=110, warmup_steps=10)
        >>> print(f(0), f(5), f(10), f"{f(60):.2f}", f(110), f(500))
        0.0 0.5 1.0 0.50 0.0 0.0

    References:
        Goyal et al. 2017 (warmup); Loshchilov & Hutter 2017 (cosine); He et al. 2019,
        "Bag of Tricks", https://arxiv.org/abs/1812.01187 ; optax
        ``warmup_cosine_decay_schedule`` (whose ``decay_steps`` is ``total_steps``, warmup
        included); transformers ``get_cosine_schedule_with_warmup``.
    """
    peak_lr = check.positive("peak_lr", peak_lr)
    total = check.positive("total_steps", total_steps)
    w = check.positive("warmup_steps", warmup_steps)
    check.below("warmup_steps", warmup_steps, "total_steps", total)
    sched = join([warmup(start_lr, peak_lr, w, warmup_shape), decay(peak_lr, total - w, end_lr, "cosine")], [w])
    return _named(sched, "warmup_cosine", {
        "peak_lr": peak_lr, "total_steps": total, "warmup_steps": w, "end_lr": float(end_lr),
        "start_lr": float(start_lr), "warmup_shape": warmup_shape})


def warmup_cosine_tail(peak_lr: float, end_lr: float, total_steps: float, warmup_steps: float,
                       tail_steps: float, start_lr: float = 0.0, warmup_shape: str = "quadratic") -> Schedule:
    r"""The YOLO recipe: warmup, cosine down to ``end_lr``, then a constant tail at ``end_lr``.

    .. math::
        \eta_t = \begin{cases}
          (\eta_{peak} - \eta_s)(t/W)^2 + \eta_s & t < W \quad\text{(quadratic warmup)}\\
          \eta_{end} + \tfrac12(\eta_{peak}-\eta_{end})\bigl(1 + \cos\frac{\pi (t - W)}{T - W - N}\bigr) & W \le t < T - N \\
          \eta_{end} & t \ge T - N \quad\text{(constant tail)}
        \end{cases}

    where :math:`W` is ``warmup_steps``, :math:`N` is ``tail_steps``, :math:`T` is
    ``total_steps`` and :math:`\eta_s` is ``start_lr``. It is continuous at both
    joins: the value at :math:`W` is the peak and where the tail starts it is
    ``end_lr``. No restarts. See :func:`lrlib.compat.get_lr_scheduler` for the
    seed's version with its clamps.

    Examples:
        >>> f = warmup_cosine_tail(1.0, 0.01, total_steps=100, warmup_steps=3, tail_steps=15)
        >>> print(f"{f(0):.3f} {f(3):.3f} {f(85):.3f} {f(99):.3f}")
        0.000 1.000 0.010 0.010

    References:
        YOLOX (Ge et al. 2021, https://arxiv.org/abs/2107.08430), ``yoloxwarmcos``.
    """
    peak_lr = check.positive("peak_lr", peak_lr)
    end_lr = check.non_negative("end_lr", end_lr)
    check.not_above("end_lr", end_lr, "peak_lr", peak_lr)
    total = check.positive("total_steps", total_steps)
    w = check.positive("warmup_steps", warmup_steps)
    n = check.non_negative("tail_steps", tail_steps)
    check.one_of("warmup_shape", warmup_shape, WARMUP_SHAPES)
    check.sum_below({"warmup_steps": warmup_steps, "tail_steps": tail_steps}, "total_steps", total,
                    reason="cosine_left")
    parts = [warmup(start_lr, peak_lr, w, warmup_shape), decay(peak_lr, total - w - n, end_lr, "cosine")]
    bounds = [w]
    if n > 0:
        parts.append(constant(end_lr))
        bounds.append(total - n)
    sched = join(parts, bounds)
    return _named(sched, "warmup_cosine_tail", {
        "peak_lr": peak_lr, "end_lr": end_lr, "total_steps": total, "warmup_steps": w,
        "tail_steps": n, "start_lr": float(start_lr), "warmup_shape": warmup_shape},
        total_steps=total, tail_start_step=total - n)


RESTART_HORIZON = 1000  # an endless warm_restarts lists its restarts up to this many first-cycle lengths


def warm_restarts(peak_lr: float, first_cycle_steps: float, cycle_mult: float = 1.0, peak_decay: float = 1.0,
                  end_lr: float = 0.0, max_cycles=None) -> Schedule:
    r"""Cosine annealing with warm restarts (SGDR), in closed form.

    Cycle :math:`i` (from 0) lasts :math:`T_i = T_0\,m^i` steps and starts at
    :math:`S_i = T_0 (m^i - 1)/(m - 1)` (:math:`S_i = i\,T_0` when :math:`m = 1`). Inside it,

    .. math:: \eta_t = \eta_{end} + \tfrac12(\eta_{peak}\,d^{\,i} - \eta_{end})\,(1 + \cos(\pi (t - S_i)/T_i))

    where :math:`T_0` is ``first_cycle_steps``, :math:`m` is ``cycle_mult``
    (>= 1, may be fractional) and :math:`d` is ``peak_decay``. At each restart the
    learning rate jumps back to the (decayed) peak; the *weights and momentum are
    kept*, which is what "warm" means. With :math:`T_0 = 1, m = 2` restarts come at
    steps 1, 3, 7, 15, ... After ``max_cycles`` cycles (if given) it holds ``end_lr``.
    The schedule's ``events`` list every restart when ``max_cycles`` is given, and
    otherwise those within the first ``RESTART_HORIZON`` (1000) :math:`T_0` steps.

    Examples:
        >>> f = warm_restarts(1.0, first_cycle_steps=1, cycle_mult=2)
        >>> print([f(t) for t in (0, 1, 3, 7, 15)])
        [1.0, 1.0, 1.0, 1.0, 1.0]
        >>> print(f"{f(2):.2f} {f(5):.2f}")
        0.50 0.50

    References:
        Loshchilov & Hutter 2017, SGDR, https://arxiv.org/abs/1608.03983 ; PyTorch
        ``CosineAnnealingWarmRestarts``; timm ``CosineLRScheduler`` (``cycle_decay``).
    """
    peak_lr = check.positive("peak_lr", peak_lr)
    t0 = check.positive("first_cycle_steps", first_cycle_steps)
    mult = check.in_range("cycle_mult", cycle_mult, 1.0, 1e6)
    dec = check.in_range("peak_decay", peak_decay, 0.0, 1.0, low_open=True)
    end_lr = check.non_negative("end_lr", end_lr)
    check.not_above("end_lr", end_lr, "peak_lr", peak_lr)
    limit = None if max_cycles is None else check.integer("max_cycles", max_cycles, minimum=1)

    def cycle_starts(upto: float, cap: int | None) -> np.ndarray:
        """Exact start steps of cycles 0, 1, ... up to the first start beyond ``upto``."""
        starts, length, s = [0.0], t0, 0.0
        while s <= upto and (cap is None or len(starts) <= cap):
            s += length
            length *= mult
            starts.append(s)
        return np.asarray(starts)

    def fn(t):
        top = float(t.max()) if t.size else 0.0
        if mult == 1.0:
            i = np.floor_divide(t, t0)
            t_cur = t - i * t0
            t_len = np.full(t.shape, t0)
        else:
            starts = cycle_starts(top, limit)
            i = np.searchsorted(starts, t, side="right") - 1
            t_cur = t - starts[i]
            t_len = np.diff(starts)[np.minimum(i, len(starts) - 2)]
            i = i.astype(np.float64)
        out = end_lr + 0.5 * (peak_lr * dec ** i - end_lr) * (1.0 + np.cos(np.pi * t_cur / t_len))
        if limit is not None:
            out = np.where(i >= limit, end_lr, out)
        return out

    if limit is None:
        total = None
    else:
        total = t0 * limit if mult == 1.0 else float(cycle_starts(np.inf, limit)[limit])
    # An endless schedule cannot list every restart: it lists those in its first
    # RESTART_HORIZON * T0 steps (1000 cycles when m = 1; 1, 3, ..., 511 when T0 = 1, m = 2).
    shown = cycle_starts(total if total is not None else t0 * RESTART_HORIZON, limit)
    if limit is None:
        shown = shown[shown <= t0 * RESTART_HORIZON]
    restarts = tuple(Event("restart", float(s)) for s in shown[1:] if total is None or s < total)
    phases = [Phase("cycle", float(a), float(b)) for a, b in zip(shown[:-1], shown[1:])]
    if total is not None:
        phases = [p for p in phases if p.start < total] + [Phase("constant", total, None)]
    return Schedule(
        fn, "warm_restarts",
        {"peak_lr": peak_lr, "first_cycle_steps": t0, "cycle_mult": mult, "peak_decay": dec,
         "end_lr": end_lr, "max_cycles": limit},
        total, tuple(phases), restarts, end_lr if dec == 1.0 else 0.0, peak_lr, tail_start_step=total,
    )


def wsd(peak_lr: float, total_steps: float, warmup_steps: float, decay_steps: float, end_lr: float = 0.0,
        start_lr: float = 0.0, warmup_shape: str = "linear", decay_shape: str = "linear") -> Schedule:
    r"""Warmup-stable-decay: warm up, hold the peak, then cool down to ``end_lr`` at ``total_steps``.

    .. math::
        \eta_t = \begin{cases}
          \text{warmup}(t) & t < W \\
          \eta_{peak} & W \le t < T - D \\
          \eta_{end} + (\eta_{peak}-\eta_{end})\,h\bigl((t - T + D)/D\bigr) & T - D \le t < T \\
          \eta_{end} & t \ge T
        \end{cases}

    with :math:`h` the cooldown shape of :func:`lrlib.decay` (``"linear"``,
    ``"cosine"`` or ``"1-sqrt"``), :math:`W` ``warmup_steps`` (0 for none),
    :math:`D` ``decay_steps`` and :math:`T` ``total_steps``.

    Examples:
        >>> f = wsd(1.0, total_steps=100, warmup_steps=10, decay_steps=20)
        >>> print(f(5), f(10), f(79), f(90), f(100))
        0.5 1.0 1.0 0.5 0.0

    References:
        Hu et al. 2024, MiniCPM, https://arxiv.org/abs/2404.06395 ; Hägele et al. 2024,
        https://arxiv.org/abs/2405.18392 ; transformers ``get_wsd_schedule``; timm
        ``WSDLRScheduler`` (whose ``t_initial`` excludes the warmup: ``total_steps`` is
        ``warmup_t + t_initial``).
    """
    peak_lr = check.positive("peak_lr", peak_lr)
    total = check.positive("total_steps", total_steps)
    w = check.non_negative("warmup_steps", warmup_steps)
    d = check.positive("decay_steps", decay_steps)
    check.one_of("decay_shape", decay_shape, DECAY_SHAPES)
    # checked here too, not only by warmup(): with warmup_steps = 0 warmup() is never called
    check.non_negative("start_lr", start_lr)
    check.one_of("warmup_shape", warmup_shape, WARMUP_SHAPES)
    check.sum_below({"warmup_steps": warmup_steps, "decay_steps": decay_steps}, "total_steps", total, strict=False)
    parts, bounds = [], []
    if w > 0:
        parts.append(warmup(start_lr, peak_lr, w, warmup_shape))
        bounds.append(w)
    stable = total - d - w
    if stable > 0:
        parts.append(_named(constant(peak_lr), "constant", {"lr": peak_lr},
                            phases=(Phase("stable", 0.0, None),)))
        bounds.append(total - d)
    cool = decay(peak_lr, d, end_lr, decay_shape)
    parts.append(_named(cool, cool.name, cool.params, phases=(Phase("cooldown", 0.0, d), Phase("constant", d, None))))
    sched = join(parts, bounds)
    return _named(sched, "wsd", {
        "peak_lr": peak_lr, "total_steps": total, "warmup_steps": w, "decay_steps": d,
        "end_lr": float(end_lr), "decay_shape": decay_shape})


def one_cycle(peak_lr: float, total_steps: int, pct_start: float = 0.3, anneal: str = "cosine",
              div_factor: float = 25.0, final_div_factor: float = 1e4, three_phase: bool = False) -> Schedule:
    r"""The one-cycle policy, with PyTorch ``OneCycleLR``'s exact phase boundaries.

    Start at :math:`\eta_0 = \eta_{peak}/\text{div}`, rise to :math:`\eta_{peak}` at
    step :math:`a = pN - 1`, then anneal to :math:`\eta_{min} = \eta_0/\text{final\_div}`
    at step :math:`N - 1`, where :math:`N` is ``total_steps`` and :math:`p` is
    ``pct_start``. With ``three_phase`` it first comes back down to :math:`\eta_0` at
    step :math:`2pN - 2`, then anneals to :math:`\eta_{min}` at :math:`N - 1`. Inside a
    phase from :math:`(s_a, \eta_a)` to :math:`(s_b, \eta_b)`, with :math:`q = (t - s_a)/(s_b - s_a)`,

    .. math::
        \eta_t = \begin{cases}
          \eta_b + \tfrac12(\eta_a - \eta_b)(1 + \cos \pi q) & \text{anneal="cosine"} \\
          \eta_a + (\eta_b - \eta_a)\,q & \text{anneal="linear"}
        \end{cases}

    After step :math:`N - 1` it holds :math:`\eta_{min}` (PyTorch raises instead).

    Examples:
        >>> f = one_cycle(1.0, total_steps=100, pct_start=0.3)
        >>> print(f"{f(0):.3f} {f(29):.3f} {f(99):.2e}")
        0.040 1.000 4.00e-06

    References:
        Smith & Topin 2018, "Super-Convergence", https://arxiv.org/abs/1708.07120 ;
        PyTorch ``OneCycleLR``.
    """
    peak_lr = check.positive("peak_lr", peak_lr)
    n = check.integer("total_steps", total_steps, minimum=2)
    pct = check.in_range("pct_start", pct_start, 0.0, 1.0, low_open=True, high_open=True)
    anneal = check.one_of("anneal", anneal, ("cosine", "linear"))
    div = check.in_range("div_factor", div_factor, 1.0, 1e12)
    final_div = check.in_range("final_div_factor", final_div_factor, 1.0, 1e12)
    initial = peak_lr / div
    lowest = initial / final_div
    if three_phase:
        ends = [pct * n - 1, 2 * pct * n - 2, n - 1]
        values = [initial, peak_lr, initial, lowest]
    else:
        ends = [pct * n - 1, n - 1]
        values = [initial, peak_lr, lowest]
    starts = [0.0] + ends[:-1]
    for a, b in zip(starts, ends):
        if not b > a:
            raise check.ScheduleArgumentError("phase_steps", "pct_start", pct_start, other="total_steps",
                                              other_value=total_steps, start=a, end=b)

    def interp(lo_val, hi_val, q):
        if anneal == "cosine":
            return hi_val + (lo_val - hi_val) / 2.0 * (np.cos(np.pi * q) + 1.0)
        return (hi_val - lo_val) * q + lo_val

    def fn(t):
        out = np.empty_like(t)
        which = np.minimum(np.searchsorted(np.asarray(ends[:-1]), t, side="left"), len(ends) - 1)
        for k, (a, b) in enumerate(zip(starts, ends)):
            mask = which == k
            if mask.any():
                q = np.minimum((t[mask] - a) / (b - a), 1.0)
                out[mask] = interp(values[k], values[k + 1], q)
        return out

    kinds = ["warmup", "decay", "decay"] if three_phase else ["warmup", "decay"]
    phases = tuple(Phase(k, float(a), float(b)) for k, a, b in zip(kinds, starts, ends)) + (
        Phase("constant", float(ends[-1]), None),)
    return Schedule(
        fn, "one_cycle",
        {"peak_lr": peak_lr, "total_steps": n, "pct_start": pct, "anneal": anneal,
         "div_factor": div, "final_div_factor": final_div, "three_phase": bool(three_phase)},
        float(n), phases, (), lowest, peak_lr, tail_start_step=float(ends[-1]),
    )


def inverse_sqrt(peak_lr: float, warmup_steps: float, timescale_steps=None, start_lr: float = 0.0) -> Schedule:
    r"""The Transformer's schedule: linear warmup to ``peak_lr``, then decay as one over a square root.

    .. math::
        \eta_t = \begin{cases}
          \eta_s + (\eta_{peak} - \eta_s)\,t/W & t < W \\
          \eta_{peak} \big/ \sqrt{1 + (t - W)/\tau} & t \ge W
        \end{cases}

    where :math:`W` is ``warmup_steps`` (0 for none), :math:`\tau` is ``timescale_steps``
    (by default :math:`W`) and :math:`\eta_s` is ``start_lr``. With :math:`\tau = W` the
    decay is :math:`\eta_{peak}\sqrt{W/t}`, the form of the Transformer paper and of
    fairseq's ``inverse_sqrt``. A larger :math:`\tau` decays more slowly. Without a
    warmup, ``timescale_steps`` must be given. It has no end and never reaches 0.

    This is transformers' ``get_inverse_sqrt_schedule(optimizer, num_warmup_steps=W,
    timescale=τ)`` for an optimizer built with ``lr=peak_lr``: its ``timescale`` defaults
    to :math:`W`, and to 10 000 when :math:`W = 0`. The Transformer paper's
    :math:`d^{-1/2} \min(n^{-1/2}, n\,W^{-3/2})` at step number :math:`n` (counted from 1)
    is ``inverse_sqrt(peak_lr=(d * W) ** -0.5, warmup_steps=W)`` evaluated at :math:`n`:
    both pieces meet at the peak :math:`(dW)^{-1/2}` at :math:`n = W`.

    Examples:
        >>> f = inverse_sqrt(1.0, warmup_steps=100)
        >>> print(f(0), f(50), f(100), f(400), f(10_000))
        0.0 0.5 1.0 0.5 0.1
        >>> g = inverse_sqrt(1.0, warmup_steps=100, timescale_steps=400)
        >>> print(g(100), g(500), g(1300))
        1.0 0.7071067811865475 0.5
        >>> d_model, w = 512, 4000                     # "Attention Is All You Need", eq. (3)
        >>> noam = inverse_sqrt((d_model * w) ** -0.5, warmup_steps=w)
        >>> print(f"{noam(4000):.3e} {noam(16000):.3e}")
        6.988e-04 3.494e-04

    References:
        Vaswani et al. 2017, "Attention Is All You Need", https://arxiv.org/abs/1706.03762 ;
        transformers ``get_inverse_sqrt_schedule``; fairseq ``inverse_sqrt``.
    """
    peak_lr = check.positive("peak_lr", peak_lr)
    w = check.non_negative("warmup_steps", warmup_steps)
    # by default the warmup's length; without a warmup it must be given (None is then refused)
    tau = check.positive("timescale_steps", w if timescale_steps is None and w > 0 else timescale_steps)
    start_lr = check.non_negative("start_lr", start_lr)
    check.not_above("start_lr", start_lr, "peak_lr", peak_lr)
    tail = inverse_sqrt_decay(peak_lr, tau)
    sched = join([warmup(start_lr, peak_lr, w), tail], [w]) if w > 0 else tail
    return _named(sched, "inverse_sqrt", {
        "peak_lr": peak_lr, "warmup_steps": w, "timescale_steps": tau, "start_lr": start_lr})


CYCLIC_MODES = ("triangular", "triangular2", "exp_range")


def cyclic(base_lr: float, max_lr: float, step_size_up: float, step_size_down=None, mode: str = "triangular",
           gamma: float = 1.0) -> Schedule:
    r"""Cyclical learning rates: up from ``base_lr`` towards ``max_lr`` and back down, again and again.

    A cycle lasts :math:`P = U + D` steps: :math:`U` (``step_size_up``) up, then :math:`D`
    (``step_size_down``, by default :math:`U`) down. With :math:`c = \lfloor t/P \rfloor`
    the cycle (from 0) and :math:`u = t - cP` the position in it,

    .. math::
        \eta_t = \eta_{base} + (\eta_{max} - \eta_{base})\,\min\Bigl(\frac{u}{U}, \frac{P - u}{D}\Bigr)\,a_t,
        \qquad a_t = \begin{cases}
          1 & \text{triangular} \\
          2^{-c} & \text{triangular2 (the height halves every cycle)} \\
          \gamma^{t} & \text{exp\_range (the height shrinks every step)}
        \end{cases}

    where :math:`\eta_{base}` is ``base_lr``, :math:`\eta_{max}` is ``max_lr`` and
    :math:`\gamma` is ``gamma`` (used by ``exp_range`` only, as in PyTorch). The curve is
    continuous: unlike cosine annealing with warm restarts it never jumps back up, it climbs,
    and its bottom is ``base_lr``. It has no end.

    This is PyTorch's ``CyclicLR`` with its default ``scale_mode`` for each mode (per cycle
    for the two triangles, per step for ``exp_range``), stepped once per batch: its
    constructor takes the first step, so batch :math:`k` (from 0) runs at :math:`\eta_k`
    and the first at ``base_lr``. (Its ``cycle_momentum`` moves the momentum, not the lr.)

    Examples:
        >>> f = cyclic(0.1, 1.0, step_size_up=4)
        >>> print([round(f(t), 3) for t in range(10)])
        [0.1, 0.325, 0.55, 0.775, 1.0, 0.775, 0.55, 0.325, 0.1, 0.325]
        >>> g = cyclic(0.0, 1.0, step_size_up=2, step_size_down=8, mode="triangular2")
        >>> print(g(2), g(7), g(12), g(22))
        1.0 0.375 0.5 0.25

    References:
        Smith 2017, "Cyclical Learning Rates for Training Neural Networks",
        https://arxiv.org/abs/1506.01186 ; PyTorch ``CyclicLR``.
    """
    base_lr = check.non_negative("base_lr", base_lr)
    top = check.non_negative("max_lr", max_lr)
    check.not_above("base_lr", base_lr, "max_lr", top)
    up = check.positive("step_size_up", step_size_up)
    down = up if step_size_down is None else check.positive("step_size_down", step_size_down)
    mode = check.one_of("mode", mode, CYCLIC_MODES)
    gamma = check.in_range("gamma", gamma, 0.0, 1.0, low_open=True)
    period, height = up + down, top - base_lr

    def fn(t):
        cycle = np.floor_divide(t, period)
        u = t - cycle * period
        triangle = np.clip(np.minimum(u / up, (period - u) / down), 0.0, 1.0)
        if mode == "triangular2":
            triangle *= 0.5 ** cycle
        elif mode == "exp_range":
            triangle *= gamma ** t
        return base_lr + height * triangle

    highest = top
    if mode == "exp_range" and gamma < 1.0:
        # (t / U) * gamma**t, the first rise, is largest at t = -1 / ln(gamma), or at U if that is later
        t_top = min(up, -1.0 / np.log(gamma))
        highest = base_lr + height * (t_top / up) * gamma ** t_top
    params = {"base_lr": base_lr, "max_lr": top, "step_size_up": up, "step_size_down": down, "mode": mode}
    if mode == "exp_range":
        params["gamma"] = gamma
    phases = tuple(Phase("cycle", k * period, (k + 1) * period) for k in range(RESTART_HORIZON))
    return Schedule(fn, "cyclic", params, None, phases, (), base_lr, float(highest))


__all__ = ["join", "warmup_cosine", "warmup_cosine_tail", "warm_restarts", "wsd", "one_cycle", "inverse_sqrt",
           "cyclic"]
