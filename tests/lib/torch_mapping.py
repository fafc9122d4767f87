"""The one place that says which lrlib schedule a real scheduler corresponds to.

Three users share it, so they cannot drift apart:

* ``tests/test_against_torch.py`` (and ``test_against_optax.py``, ``test_against_keras.py``)
  drive the real PyTorch (and, when installed, transformers, timm, optax and Keras)
  schedulers live and compare them with lrlib;
* ``tools/make_reference_tables.py`` drives the same schedulers with the same
  parameters and writes what they produced into ``tests/lib/reference/*.json``;
* ``tests/test_reference_tables.py`` compares lrlib with those tables, without torch.

A *case* is a plain dict (it is stored as is in the tables)::

    {"library": "torch", "class": "StepLR", "kwargs": {...}, "base_lr": 0.1, "n_steps": 200}

``lrs[k]`` is the learning rate the optimizer holds while it takes its k-th step
(counting from 0), that is after ``k`` calls of ``scheduler.step()``; lrlib's
schedule is evaluated at steps ``0, 1, ..., n_steps - 1``.

timm's schedulers are stepped as timm's own training script steps them: once per
epoch with ``scheduler.step(epoch + 1)`` after the epoch (or ``step_update(n)``
per update when ``t_in_epochs=False``). optax schedules are pure functions of the
update count, which an optax optimizer passes them from 0: ``lrs[k]`` is
``schedule(k)``, computed in float64 (``jax_enable_x64``; optax's default is float32).
Keras's schedules likewise (on its JAX backend, in float64): a Keras optimizer passes its
iteration count from 0.

``ReduceLROnPlateau`` reads a loss: its cases carry one more key, ``"metrics"``, and
``scheduler.step(metrics[k])`` replaces ``scheduler.step()``, so ``lrs[k]`` is the lr that
followed ``metrics[:k]`` (``n_steps`` is one more than the number of metrics). lrlib's
:class:`lrlib.Plateau` is replayed on the same metrics.

Nothing here imports torch, transformers, timm, jax or keras at module level: :func:`run_real`
imports them when it is called.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import math
import sys
import types

import numpy as np

import lrlib

# Agreement asked of lrlib, relative to the real library's value.
RTOL = 1e-9
# Where a schedule comes down to (or near) 0, a relative comparison means nothing:
# PyTorch's recursive updates leave rounding residues such as 1e-19 where the exact
# value is 0 (LinearLR down to end_factor=0), and near the bottom of a cosine,
# 1 + cos(x) loses all its relative digits to cancellation, in PyTorch and in lrlib
# alike. So an absolute slack of 1e-12 of the curve's largest value is allowed as
# well: far below anything that matters for training, and far above double rounding.
ATOL_FRACTION = 1e-12


def case(library: str, cls: str, kwargs: dict, base_lr: float, n_steps: int) -> dict:
    return {"library": library, "class": cls, "kwargs": kwargs, "base_lr": base_lr, "n_steps": n_steps}


def _seq(start_factor, warmup, t_max, eta_min=0.0, linear_iters=None, end_factor=1.0):
    """SequentialLR([LinearLR, CosineAnnealingLR], milestones=[warmup]) kwargs."""
    return {
        "schedulers": [
            ["LinearLR", {"start_factor": start_factor, "end_factor": end_factor,
                          "total_iters": warmup if linear_iters is None else linear_iters}],
            ["CosineAnnealingLR", {"T_max": t_max, "eta_min": eta_min}],
        ],
        "milestones": [warmup],
    }


def _one_cycle(max_lr, total_steps, pct_start=0.3, anneal="cos", div=25.0, final_div=1e4, three=False):
    return {"max_lr": max_lr, "total_steps": total_steps, "pct_start": pct_start, "anneal_strategy": anneal,
            "div_factor": div, "final_div_factor": final_div, "three_phase": three}


# PyTorch ``torch.optim.lr_scheduler``: realistic settings and edge values. Finite
# schedules are run over their whole length (CosineAnnealingLR up to and including
# T_max, SequentialLR up to and including W + T_max, OneCycleLR over total_steps).
TORCH_CASES = [
    # StepLR(step_size, gamma)
    case("torch", "StepLR", {"step_size": 30, "gamma": 0.1}, 0.1, 200),
    case("torch", "StepLR", {"step_size": 1, "gamma": 0.92}, 1e-3, 100),
    case("torch", "StepLR", {"step_size": 7, "gamma": 0.5}, 0.05, 80),
    case("torch", "StepLR", {"step_size": 3, "gamma": 1.0}, 0.01, 20),
    case("torch", "StepLR", {"step_size": 4, "gamma": 0.0}, 0.1, 12),
    # MultiStepLR(milestones, gamma)
    case("torch", "MultiStepLR", {"milestones": [30, 80], "gamma": 0.1}, 0.1, 100),
    case("torch", "MultiStepLR", {"milestones": [1, 2, 3], "gamma": 0.5}, 0.4, 6),
    case("torch", "MultiStepLR", {"milestones": [90, 180, 270], "gamma": 0.1}, 0.1, 300),
    case("torch", "MultiStepLR", {"milestones": [5], "gamma": 0.2}, 0.01, 10),
    # ExponentialLR(gamma)
    case("torch", "ExponentialLR", {"gamma": 0.9}, 0.1, 200),
    case("torch", "ExponentialLR", {"gamma": 0.99}, 0.01, 500),
    case("torch", "ExponentialLR", {"gamma": 0.5}, 1.0, 30),
    case("torch", "ExponentialLR", {"gamma": 1.0}, 0.1, 10),
    # CosineAnnealingLR(T_max, eta_min), within T_max
    case("torch", "CosineAnnealingLR", {"T_max": 10, "eta_min": 0.0}, 0.1, 11),
    case("torch", "CosineAnnealingLR", {"T_max": 100, "eta_min": 1e-5}, 0.05, 101),
    case("torch", "CosineAnnealingLR", {"T_max": 1000, "eta_min": 0.001}, 0.01, 1001),
    case("torch", "CosineAnnealingLR", {"T_max": 1, "eta_min": 0.0}, 0.1, 2),
    case("torch", "CosineAnnealingLR", {"T_max": 2, "eta_min": 0.01}, 0.1, 3),
    case("torch", "CosineAnnealingLR", {"T_max": 30, "eta_min": 0.1}, 0.1, 31),
    # CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)
    case("torch", "CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 1, "eta_min": 0.0}, 0.1, 55),
    case("torch", "CosineAnnealingWarmRestarts", {"T_0": 1, "T_mult": 2, "eta_min": 0.0}, 0.1, 64),
    case("torch", "CosineAnnealingWarmRestarts", {"T_0": 5, "T_mult": 2, "eta_min": 1e-4}, 0.05, 160),
    case("torch", "CosineAnnealingWarmRestarts", {"T_0": 3, "T_mult": 3, "eta_min": 1e-3}, 0.01, 130),
    case("torch", "CosineAnnealingWarmRestarts", {"T_0": 50, "T_mult": 1, "eta_min": 1e-6}, 1e-3, 220),
    case("torch", "CosineAnnealingWarmRestarts", {"T_0": 1, "T_mult": 1, "eta_min": 0.0}, 0.1, 5),
    # LinearLR(start_factor, end_factor, total_iters)
    case("torch", "LinearLR", {"start_factor": 1.0 / 3, "end_factor": 1.0, "total_iters": 5}, 0.1, 12),
    case("torch", "LinearLR", {"start_factor": 0.01, "end_factor": 1.0, "total_iters": 100}, 0.1, 150),
    case("torch", "LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 50}, 0.01, 60),
    case("torch", "LinearLR", {"start_factor": 0.5, "end_factor": 0.1, "total_iters": 10}, 0.2, 15),
    case("torch", "LinearLR", {"start_factor": 0.001, "end_factor": 1.0, "total_iters": 1}, 0.1, 4),
    case("torch", "LinearLR", {"start_factor": 1.0, "end_factor": 1.0, "total_iters": 5}, 0.1, 8),
    # PolynomialLR(total_iters, power): lrlib.polynomial_decay with end_lr=0
    case("torch", "PolynomialLR", {"total_iters": 5, "power": 1.0}, 0.1, 10),
    case("torch", "PolynomialLR", {"total_iters": 100, "power": 2.0}, 0.01, 120),
    case("torch", "PolynomialLR", {"total_iters": 50, "power": 0.5}, 0.1, 60),
    case("torch", "PolynomialLR", {"total_iters": 1000, "power": 0.9}, 0.01, 1001),
    case("torch", "PolynomialLR", {"total_iters": 1, "power": 1.0}, 0.1, 3),
    # OneCycleLR over its whole total_steps: both anneals, two and three phases
    *[case("torch", "OneCycleLR", _one_cycle(lr, n, pct, anneal, div, fdiv, three), lr, n)
      for (lr, n, pct, div, fdiv) in [(0.1, 100, 0.3, 25.0, 1e4), (0.01, 1000, 0.25, 10.0, 100.0),
                                      (0.5, 37, 0.15, 25.0, 1e4), (1.0, 7, 0.5, 5.0, 10.0)]
      for anneal in ("cos", "linear") for three in (False, True)],
    # SequentialLR([LinearLR, CosineAnnealingLR], milestones=[W]), up to and including W + T_max
    case("torch", "SequentialLR", _seq(0.01, 5, 95), 0.1, 101),
    case("torch", "SequentialLR", _seq(0.1, 100, 900, 1e-5), 1e-3, 1001),
    case("torch", "SequentialLR", _seq(1.0 / 3, 1, 10), 0.1, 12),
    case("torch", "SequentialLR", _seq(0.5, 10, 40, 0.001), 0.05, 51),
    case("torch", "SequentialLR", _seq(0.1, 3, 1), 0.1, 5),
    # warmup shorter than the milestone (holds the peak), and a warmup that stops short of it
    case("torch", "SequentialLR", _seq(0.2, 10, 30, linear_iters=5), 0.1, 41),
    case("torch", "SequentialLR", _seq(0.2, 10, 30, 1e-4, end_factor=0.5), 0.1, 41),
]

# Hugging Face ``transformers.optimization`` (LambdaLR multipliers of the base lr).
# The linear, polynomial and WSD schedules are also run past their end, where they
# hold their last value; the cosine is not (it rises again past num_training_steps).
TRANSFORMERS_CASES = [
    case("transformers", "get_cosine_schedule_with_warmup",
         {"num_warmup_steps": w, "num_training_steps": t}, lr, t + 1)
    for (w, t, lr) in [(10, 100, 5e-5), (0, 50, 1e-3), (100, 1000, 3e-4), (1, 10, 0.1), (7, 8, 0.01)]
] + [
    case("transformers", "get_linear_schedule_with_warmup",
         {"num_warmup_steps": w, "num_training_steps": t}, lr, t + 10)
    for (w, t, lr) in [(10, 100, 5e-5), (0, 50, 1e-3), (100, 1000, 3e-4), (1, 10, 0.1)]
] + [
    case("transformers", "get_polynomial_decay_schedule_with_warmup",
         {"num_warmup_steps": w, "num_training_steps": t, "lr_end": end, "power": p}, lr, t + 10)
    for (w, t, end, p, lr) in [(10, 100, 1e-7, 1.0, 1e-3), (50, 500, 1e-5, 2.0, 1e-3), (0, 100, 0.0, 0.5, 0.1),
                               (5, 60, 1e-4, 3.0, 0.01)]
] + [
    case("transformers", "get_wsd_schedule",
         {"num_warmup_steps": w, "num_decay_steps": d, "num_training_steps": t, "warmup_type": wt,
          "decay_type": dt, "min_lr_ratio": r}, lr, t + 10)
    for (w, d, t, wt, dt, r, lr) in [
        (10, 20, 100, "linear", "linear", 0.0, 1e-3),
        (10, 20, 100, "linear", "cosine", 0.0, 1e-3),
        (10, 20, 100, "linear", "1-sqrt", 0.0, 1e-3),
        (0, 30, 100, "linear", "cosine", 0.0, 3e-4),
        (5, 50, 200, "cosine", "1-sqrt", 0.1, 0.01),
        (100, 200, 1000, "linear", "cosine", 0.01, 3e-4),
        (20, 80, 100, "linear", "linear", 0.0, 0.1),
    ]
]

# timm ``timm.scheduler`` (epoch-based by default). Its warmup is linear from
# warmup_lr_init; with warmup_prefix=False (the default of the cosine and poly
# schedulers) it *replaces* the first warmup_t steps of a schedule that keeps its
# own clock, with warmup_prefix=True the schedule starts after it.
def _timm_cos(t_initial, lr_min=0.0, mul=1.0, decay=1.0, limit=1, warmup_t=0, warmup_lr_init=0.0, prefix=False,
              in_epochs=True):
    return {"t_initial": t_initial, "lr_min": lr_min, "cycle_mul": mul, "cycle_decay": decay, "cycle_limit": limit,
            "warmup_t": warmup_t, "warmup_lr_init": warmup_lr_init, "warmup_prefix": prefix, "t_in_epochs": in_epochs}


TIMM_CASES = [
    # CosineLRScheduler: one cycle (the default cycle_limit=1 holds lr_min after t_initial)
    case("timm", "CosineLRScheduler", _timm_cos(100, 1e-5), 0.1, 120),
    case("timm", "CosineLRScheduler", _timm_cos(300, 1e-6, warmup_t=5, warmup_lr_init=1e-6), 5e-4, 310),
    case("timm", "CosineLRScheduler", _timm_cos(295, 1e-6, warmup_t=5, warmup_lr_init=1e-6, prefix=True), 5e-4, 310),
    case("timm", "CosineLRScheduler", _timm_cos(1000, 0.0, warmup_t=100, in_epochs=False), 1e-3, 1050),
    case("timm", "CosineLRScheduler", _timm_cos(1, 0.0), 0.1, 4),
    # restarts: cycle_mul, cycle_decay and cycle_limit (SGDR with a decaying peak)
    case("timm", "CosineLRScheduler", _timm_cos(10, 1e-4, mul=1.0, decay=0.5, limit=4), 0.1, 50),
    case("timm", "CosineLRScheduler", _timm_cos(1, 0.0, mul=2.0, decay=1.0, limit=6), 0.1, 70),
    case("timm", "CosineLRScheduler", _timm_cos(5, 1e-3, mul=2.0, decay=0.8, limit=4), 0.05, 80),
    case("timm", "CosineLRScheduler", _timm_cos(4, 0.0, mul=3.0, decay=0.5, limit=3, warmup_t=3, prefix=True), 0.1, 60),
    case("timm", "CosineLRScheduler", _timm_cos(7, 1e-5, mul=1.5, decay=0.9, limit=5), 0.01, 120),
    # StepLRScheduler(decay_t, decay_rate): warmup_prefix=True by default
    case("timm", "StepLRScheduler", {"decay_t": 30, "decay_rate": 0.1}, 0.1, 100),
    case("timm", "StepLRScheduler", {"decay_t": 2.4, "decay_rate": 0.97}, 0.016, 60),
    case("timm", "StepLRScheduler", {"decay_t": 10, "decay_rate": 0.5, "warmup_t": 3, "warmup_lr_init": 1e-4}, 0.1, 40),
    case("timm", "StepLRScheduler", {"decay_t": 5, "decay_rate": 0.5, "warmup_t": 3, "warmup_prefix": False}, 0.1, 20),
    # MultiStepLRScheduler: timm applies milestone m at t = m - 1, one step before torch's MultiStepLR
    case("timm", "MultiStepLRScheduler", {"decay_t": [30, 60, 90], "decay_rate": 0.1}, 0.1, 100),
    case("timm", "MultiStepLRScheduler", {"decay_t": [2, 3, 5], "decay_rate": 0.5}, 0.4, 8),
    case("timm", "MultiStepLRScheduler", {"decay_t": [10, 20], "decay_rate": 0.2, "warmup_t": 4,
                                          "warmup_lr_init": 1e-3}, 0.05, 30),
    case("timm", "MultiStepLRScheduler", {"decay_t": [8], "decay_rate": 0.1, "warmup_t": 2,
                                          "warmup_prefix": False}, 0.1, 12),
    # PolyLRScheduler(t_initial, power, lr_min): one cycle
    case("timm", "PolyLRScheduler", {"t_initial": 100, "power": 0.5}, 0.1, 110),
    case("timm", "PolyLRScheduler", {"t_initial": 50, "power": 2.0, "lr_min": 1e-4}, 0.01, 60),
    case("timm", "PolyLRScheduler", {"t_initial": 200, "power": 0.9, "lr_min": 1e-5, "warmup_t": 10,
                                     "warmup_lr_init": 1e-5}, 0.01, 210),
    case("timm", "PolyLRScheduler", {"t_initial": 40, "power": 1.0, "warmup_t": 5, "warmup_prefix": True}, 0.1, 50),
    # WSDLRScheduler: warmup (always a prefix), stable, then decay_t steps of cooldown; t_initial excludes the warmup
    *[case("timm", "WSDLRScheduler", {"t_initial": t, "decay_t": d, "lr_min": m, "decay_fn": fn, "warmup_t": w,
                                      "warmup_lr_init": w0}, lr, w + t + 5)
      for (t, d, m, fn, w, w0, lr) in [(100, 20, 0.0, "1-sqrt", 10, 0.0, 1e-3), (100, 20, 0.0, "linear", 10, 0.0, 1e-3),
                                       (100, 20, 1e-5, "cosine", 0, 0.0, 1e-3), (50, 50, 1e-4, "1-sqrt", 5, 1e-4, 0.01),
                                       (300, 60, 0.0, "linear", 30, 1e-6, 3e-4)]],
]

# optax (JAX): pure schedules of the update count.
def _optax_cos(init, peak, warmup, decay, end):
    return {"init_value": init, "peak_value": peak, "warmup_steps": warmup, "decay_steps": decay, "end_value": end}


OPTAX_CASES = [
    case("optax", "cosine_decay_schedule", {"init_value": 0.1, "decay_steps": 100, "alpha": 0.0}, 0.1, 110),
    case("optax", "cosine_decay_schedule", {"init_value": 3e-4, "decay_steps": 1000, "alpha": 0.1}, 3e-4, 1010),
    case("optax", "cosine_decay_schedule", {"init_value": 1.0, "decay_steps": 1, "alpha": 0.01}, 1.0, 4),
    case("optax", "warmup_cosine_decay_schedule", _optax_cos(0.0, 0.1, 10, 100, 0.0), 0.1, 110),
    case("optax", "warmup_cosine_decay_schedule", _optax_cos(1e-5, 3e-4, 100, 1000, 1e-5), 3e-4, 1010),
    case("optax", "warmup_cosine_decay_schedule", _optax_cos(0.01, 0.1, 1, 20, 0.001), 0.1, 25),
    case("optax", "warmup_cosine_decay_schedule", _optax_cos(0.1, 0.1, 0, 50, 0.0), 0.1, 55),
    case("optax", "exponential_decay", {"init_value": 0.1, "transition_steps": 30, "decay_rate": 0.1,
                                        "staircase": True}, 0.1, 100),
    case("optax", "exponential_decay", {"init_value": 0.1, "transition_steps": 1, "decay_rate": 0.95}, 0.1, 100),
    case("optax", "exponential_decay", {"init_value": 1.0, "transition_steps": 10, "decay_rate": 0.5,
                                        "transition_begin": 5, "end_value": 0.05}, 1.0, 60),
    case("optax", "exponential_decay", {"init_value": 0.01, "transition_steps": 4, "decay_rate": 0.9,
                                        "transition_begin": 3, "staircase": True}, 0.01, 40),
    case("optax", "piecewise_constant_schedule", {"init_value": 0.1, "boundaries_and_scales": {"30": 0.1, "60": 0.1,
                                                                                             "80": 0.1}}, 0.1, 100),
    case("optax", "piecewise_constant_schedule", {"init_value": 1.0, "boundaries_and_scales": {"1": 0.5, "2": 0.5,
                                                                                             "5": 0.5}}, 1.0, 8),
    case("optax", "linear_schedule", {"init_value": 0.0, "end_value": 0.1, "transition_steps": 50}, 0.1, 60),
    case("optax", "linear_schedule", {"init_value": 0.1, "end_value": 0.0, "transition_steps": 100,
                                      "transition_begin": 20}, 0.1, 130),
    case("optax", "polynomial_schedule", {"init_value": 0.1, "end_value": 1e-4, "power": 2.0,
                                          "transition_steps": 100}, 0.1, 110),
    case("optax", "polynomial_schedule", {"init_value": 0.01, "end_value": 0.0, "power": 0.5,
                                          "transition_steps": 40, "transition_begin": 10}, 0.01, 60),
    case("optax", "cosine_onecycle_schedule", {"transition_steps": 100, "peak_value": 0.1, "pct_start": 0.3,
                                               "div_factor": 25.0, "final_div_factor": 1e4}, 0.1, 105),
    case("optax", "cosine_onecycle_schedule", {"transition_steps": 37, "peak_value": 1.0, "pct_start": 0.25,
                                               "div_factor": 10.0, "final_div_factor": 100.0}, 1.0, 40),
    case("optax", "linear_onecycle_schedule", {"transition_steps": 100, "peak_value": 0.1, "pct_start": 0.3,
                                               "pct_final": 0.85, "div_factor": 25.0, "final_div_factor": 1e4},
         0.1, 105),
    # SGDR as optax builds it: warmup-cosine cycles joined one after the other
    case("optax", "sgdr_schedule", {"cosine_kwargs": [_optax_cos(0.1, 0.1, 0, 20, 0.0)] * 4}, 0.1, 90),
    case("optax", "sgdr_schedule", {"cosine_kwargs": [_optax_cos(0.0, 0.1, 5, 30, 1e-3),
                                                      _optax_cos(0.0, 0.05, 5, 60, 1e-3)]}, 0.1, 100),
]

# --------------------------------------------------------------------------- the families of issue 12

# PyTorch ``CyclicLR`` stepped once per batch, each mode with its default scale_mode. Its
# constructor takes the first step, so batch k runs at the schedule's step k. It also cycles
# the momentum (the optimizer here has one), which leaves the lr alone: cycle_momentum=False
# in some cases shows that.
CYCLIC_CASES = [
    case("torch", "CyclicLR", {"base_lr": lo, "max_lr": hi, "step_size_up": up, "step_size_down": down, "mode": mode,
                               "gamma": gamma, **({"cycle_momentum": False} if k % 3 == 0 else {})}, lo, n)
    for mode, gammas in [("triangular", [1.0]), ("triangular2", [1.0]), ("exp_range", [0.99, 0.9, 0.999, 0.95, 1.0])]
    for k, ((up, down, n), (lo, hi)) in enumerate(zip(
        [(4, None, 40), (10, 10, 100), (5, 15, 100), (15, 5, 100), (1, 1, 10), (1, 3, 20), (7, 2, 60), (3, None, 50),
         (2.5, None, 30), (50, 150, 450), (100, None, 450), (200, None, 500)],
        [(0.001, 0.006), (0.01, 0.1), (0.0, 1.0), (1e-4, 1e-3), (0.1, 0.1000001), (0.05, 0.5)] * 2))
    for gamma in [gammas[k % len(gammas)]]
]


def _lcg_noise(n: int, seed: int) -> list:
    """``n`` numbers in [-0.5, 0.5), the same on every machine (integer arithmetic, no library's generator)."""
    x, out = seed, []
    for _ in range(n):
        x = (1103515245 * x + 12345) % 2**31
        out.append(x / 2**31 - 0.5)
    return out


def _noisy_curve(n: int, seed: int, start: float, end: float, speed: float, noise: float) -> list:
    """From ``start`` towards ``end`` like 1/(1 + speed k), plus noise, rounded to 6 decimals (a loss, an accuracy)."""
    return [round(end + (start - end) / (1.0 + speed * k) + noise * e, 6) for k, e in enumerate(_lcg_noise(n, seed))]


def _threshold_ties(mode: str, threshold_mode: str, threshold: float, start: float, n: int, ties: int) -> list:
    """``n`` losses: ``ties`` in a row exactly on the threshold of the best so far (ties, which do not
    count as an improvement), then one a single ulp past it (which does), and so on. The edge is
    computed with the same operations as PyTorch's ``_is_better``, so that the ties are exact."""
    seq, best = [start], start
    away = -math.inf if mode == "min" else math.inf
    for k in range(n - 1):
        if mode == "min":
            edge = best * (1.0 - threshold) if threshold_mode == "rel" else best - threshold
        else:
            edge = best * (threshold + 1.0) if threshold_mode == "rel" else best + threshold
        if k % (ties + 1) == ties:
            best = math.nextafter(edge, away)
            seq.append(best)
        else:
            seq.append(edge)
    return seq


def plateau_case(kwargs: dict, base_lr: float, metrics: list) -> dict:
    """A ``ReduceLROnPlateau`` case: ``scheduler.step(metrics[k])`` after step k, so ``lrs[k]`` follows
    ``metrics[:k]``; ``n_steps`` is one more than the metrics (the last lr follows all of them)."""
    return {**case("torch", "ReduceLROnPlateau", kwargs, base_lr, len(metrics) + 1), "metrics": metrics}


_FALLING = _noisy_curve(150, seed=1, start=1.0, end=0.3, speed=0.1, noise=0.05)      # keeps improving, slowly
_FLATTENING = _noisy_curve(120, seed=2, start=2.0, end=0.5, speed=0.5, noise=0.02)   # soon flat and noisy
_ACCURACY = _noisy_curve(120, seed=3, start=0.1, end=0.9, speed=0.2, noise=0.03)     # mode="max"
_NEGATIVE = _noisy_curve(80, seed=4, start=-1.0, end=-0.1, speed=0.2, noise=0.02)    # below 0, getting worse
_FLAT = [1.0] * 60                                                                   # never improves again

# Ties exactly at the threshold, in every mode (tests/lib/test_reference_tables.py checks that counting
# a tie as an improvement would show).
PLATEAU_TIE_CASES = [
    plateau_case({"mode": m, "threshold_mode": tm, "threshold": th, "patience": p, "cooldown": cd, "factor": 0.5},
                 0.1, _threshold_ties(m, tm, th, start, 40, ties=p + 1 if p else 2))
    for m, tm, th, start, p, cd in [
        ("min", "rel", 1e-4, 1.0, 1, 0), ("min", "rel", 0.25, 3.0, 0, 0), ("min", "rel", 0.1, 0.7, 1, 1),
        ("min", "abs", 0.1, 1.0, 1, 0), ("min", "abs", 0.25, 10.0, 0, 2), ("min", "abs", 1e-4, 0.3, 2, 0),
        ("max", "rel", 1e-4, 0.5, 1, 0), ("max", "rel", 0.5, 1.0, 0, 0), ("max", "rel", 0.1, 0.3, 1, 1),
        ("max", "abs", 0.1, 0.0, 1, 0), ("max", "abs", 0.125, 0.5, 0, 2), ("max", "abs", 1e-3, -1.0, 2, 0)]
]

PLATEAU_CASES = [
    *[plateau_case(kw, 0.1, _FALLING) for kw in [
        {}, {"patience": 0}, {"patience": 2, "factor": 0.5}, {"patience": 3, "cooldown": 2},
        {"patience": 5, "cooldown": 5, "factor": 0.2}, {"patience": 1, "threshold": 0.01},
        {"patience": 2, "threshold_mode": "abs", "threshold": 0.01}, {"patience": 1, "min_lr": 0.01},
        {"patience": 1, "factor": 0.5, "min_lr": 1e-3, "cooldown": 1}, {"patience": 4, "threshold": 0.0}]],
    *[plateau_case(kw, lr, _FLATTENING) for kw, lr in [
        ({}, 1e-3), ({"patience": 5}, 0.01), ({"patience": 3, "factor": 0.5, "cooldown": 3}, 0.1),
        ({"patience": 2, "threshold_mode": "abs", "threshold": 0.005, "min_lr": 1e-4}, 0.01),
        ({"patience": 0, "factor": 0.0}, 0.1), ({"patience": 2, "factor": 0.5, "eps": 1e-3}, 0.01)]],
    *[plateau_case({"mode": "max", **kw}, 0.05, _ACCURACY) for kw in [
        {}, {"patience": 2}, {"patience": 3, "factor": 0.5, "cooldown": 2}, {"patience": 1, "threshold": 0.01},
        {"patience": 2, "threshold_mode": "abs", "threshold": 0.02}, {"patience": 0, "min_lr": 0.005}]],
    # ties exactly at the threshold, in every mode
    *PLATEAU_TIE_CASES,
    # a loss that never improves again: a reduction every patience + 1 epochs, or patience + 1 + cooldown
    *[plateau_case(kw, lr, _FLAT) for kw, lr in [
        ({"patience": 3}, 0.1), ({"patience": 2, "cooldown": 4, "factor": 0.5}, 0.1),
        ({"patience": 0, "factor": 0.5, "min_lr": 0.01}, 1.0),                   # down to min_lr and held there
        ({"patience": 1, "factor": 0.5}, 1e-6),                                  # stops when a step is < eps
        ({"patience": 0, "factor": 0.5, "eps": 0.0}, 1e-6),
        ({"patience": 1, "factor": 0.9, "min_lr": 0.05, "cooldown": 1}, 0.1)]],
    # "rel" on a negative metric: best * (1 - threshold) lies above the best, so a slightly worse value counts
    *[plateau_case(kw, 0.1, _NEGATIVE) for kw in [{"patience": 2, "threshold": 0.05},
                                                   {"patience": 2, "threshold_mode": "abs", "threshold": 0.05}]],
]

TORCH_CASES += CYCLIC_CASES + PLATEAU_CASES

# transformers ``get_inverse_sqrt_schedule``: its timescale defaults to num_warmup_steps, or 10 000
# without a warmup; after the warmup lambda = 1 / sqrt((t + timescale - W) / timescale).
TRANSFORMERS_CASES += [
    case("transformers", "get_inverse_sqrt_schedule",
         {"num_warmup_steps": w, **({} if tau is None else {"timescale": tau})}, lr, n)
    for (w, tau, lr, n) in [
        (10, None, 5e-4, 200), (100, None, 1e-3, 400), (1, None, 0.1, 50), (4, None, 0.01, 60),
        (500, None, 7e-4, 650), (10, 5, 5e-4, 200), (10, 40, 5e-4, 200), (100, 1000, 1e-3, 400),
        (100, 10_000, 1e-3, 400), (50, 1, 0.01, 120), (3, 7, 0.1, 40), (25, 100, 3e-4, 300),
        (0, None, 1e-3, 200), (0, 1, 0.1, 100), (0, 10, 0.01, 150), (0, 100, 1e-3, 300), (0, 2500, 3e-4, 200),
        (0, 3, 1.0, 40), (7, None, 1.0, 80), (7, 2, 1.0, 80), (200, 50, 2e-4, 500), (16, None, 6e-4, 100),
        (16, 64, 6e-4, 100), (250, None, 1e-3, 400)]
]

# Keras ``InverseTimeDecay`` (lr / (1 + decay_rate * step / decay_steps), or the floor of step / decay_steps
# with staircase), evaluated at a Keras optimizer's iteration counts 0, 1, 2, ... in float64.
KERAS_CASES = [
    case("keras", "InverseTimeDecay", {"initial_learning_rate": lr, "decay_steps": s, "decay_rate": r,
                                       "staircase": stair}, lr, n)
    for (lr, s, r, n) in [(0.1, 1, 0.5, 100), (1.0, 10, 1.0, 120), (3e-4, 100, 0.5, 350), (0.01, 200, 2.0, 700),
                          (0.1, 2.5, 0.1, 60), (0.05, 7, 0.01, 200), (1.0, 1, 1.0, 50), (0.1, 20, 5.0, 200),
                          (1e-3, 3, 0.25, 90), (0.5, 50, 0.9, 250), (2.0, 4, 0.0001, 80), (0.01, 15, 1.5, 160)]
    for stair in (False, True)
]

ALL_CASES = TORCH_CASES + TRANSFORMERS_CASES + TIMM_CASES + OPTAX_CASES + KERAS_CASES


def case_id(c: dict) -> str:
    """A short readable test id, e.g. ``StepLR-step_size=30-gamma=0.1-lr=0.1``."""
    def fmt(v):
        if isinstance(v, list):
            return "[" + ",".join(fmt(x) for x in v) + "]"
        if isinstance(v, float):
            return f"{v:.4g}"
        return str(v)
    kw = c["kwargs"]
    if c["class"] == "SequentialLR":
        parts = [f"{name}({','.join(f'{k}={fmt(v)}' for k, v in sub.items())})" for name, sub in kw["schedulers"]]
        args = "+".join(parts) + f"-milestones={fmt(kw['milestones'])}"
    else:
        args = "-".join(f"{k}={fmt(v)}" for k, v in kw.items())
    return f"{c['class']}-{args}-lr={fmt(c['base_lr'])}"


# --------------------------------------------------------------------------- mapping

def _torch_schedule(cls: str, kw: dict, base: float) -> lrlib.Schedule:
    if cls == "StepLR":
        return lrlib.step_decay(base, kw["step_size"], kw.get("gamma", 0.1))
    if cls == "MultiStepLR":
        # PyTorch counts repeated milestones (gamma applied twice); lrlib takes strictly increasing ones.
        return lrlib.multistep_decay(base, kw["milestones"], kw.get("gamma", 0.1))
    if cls == "ExponentialLR":
        return lrlib.exponential_decay(base, kw["gamma"])
    if cls == "CosineAnnealingLR":
        # Equal within [0, T_max] only: PyTorch's climbs back up after T_max, lrlib's holds eta_min.
        return lrlib.cosine_decay(base, kw["T_max"], kw.get("eta_min", 0.0))
    if cls == "CosineAnnealingWarmRestarts":
        return lrlib.warm_restarts(base, kw["T_0"], kw.get("T_mult", 1), 1.0, kw.get("eta_min", 0.0))
    if cls == "LinearLR":
        s, e = kw.get("start_factor", 1.0 / 3), kw.get("end_factor", 1.0)
        return lrlib.linear(base * s, base * e, kw.get("total_iters", 5))
    if cls == "PolynomialLR":
        return lrlib.polynomial_decay(base, kw.get("total_iters", 5), 0.0, kw.get("power", 1.0))
    if cls == "OneCycleLR":
        anneal = {"cos": "cosine", "linear": "linear"}[kw.get("anneal_strategy", "cos")]
        return lrlib.one_cycle(kw["max_lr"], kw["total_steps"], kw.get("pct_start", 0.3), anneal,
                               kw.get("div_factor", 25.0), kw.get("final_div_factor", 1e4),
                               kw.get("three_phase", False))
    if cls == "SequentialLR":
        # SequentialLR picks the sub-scheduler by bisect_right(milestones, t) and, at a
        # milestone, restarts that sub-scheduler's own clock at 0 (it sets its lr from the
        # closed form at epoch 0), so child i sees t - milestones[i-1]: that is exactly
        # lrlib.join. The off-by-one to keep in mind is the warmup's: LinearLR reaches
        # base_lr * end_factor at *its* step total_iters, and with total_iters == W that
        # step is the milestone, which already belongs to the cosine. So the warmup's last
        # value (step W - 1) is base * (s + (1 - s)(W - 1)/W), short of the peak, and the
        # peak is first used at step W, as the cosine's step 0. lrlib.warmup_cosine has the
        # same convention (its warmup reaches the peak at W, where the cosine starts), with
        # total_steps = W + T_max, since the cosine runs T_max steps after the milestone.
        # PyTorch's LinearLR cannot start from 0 (start_factor must be > 0); lrlib can.
        (lin_name, lin), (cos_name, cos) = kw["schedulers"]
        if (lin_name, cos_name) != ("LinearLR", "CosineAnnealingLR") or len(kw["milestones"]) != 1:
            raise NotImplementedError(f"no lrlib mapping for SequentialLR of {lin_name}, {cos_name}")
        w = kw["milestones"][0]
        s, e = lin.get("start_factor", 1.0 / 3), lin.get("end_factor", 1.0)
        iters = lin.get("total_iters", 5)
        t_max, eta_min = cos["T_max"], cos.get("eta_min", 0.0)
        if e == 1.0 and iters == w:
            return lrlib.warmup_cosine(base, w + t_max, w, end_lr=eta_min, start_lr=base * s)
        return lrlib.join([_torch_schedule("LinearLR", lin, base), lrlib.cosine_decay(base, t_max, eta_min)], [w])
    if cls == "CyclicLR":
        if kw.get("scale_fn") is not None:
            raise NotImplementedError("lrlib's cyclic has the three built-in modes, no custom scale_fn")
        return lrlib.cyclic(kw["base_lr"], kw["max_lr"], kw.get("step_size_up", 2000), kw.get("step_size_down"),
                            kw.get("mode", "triangular"), kw.get("gamma", 1.0))
    raise NotImplementedError(f"no lrlib mapping for torch.optim.lr_scheduler.{cls}")


def _transformers_schedule(fn: str, kw: dict, base: float) -> lrlib.Schedule:
    # Every transformers warmup is lambda(s) = s / W: it starts at 0 (the first update
    # has lr 0) and reaches base_lr at step W, where the decay starts on its own clock.
    w = kw.get("num_warmup_steps", 0)
    warm = [lrlib.warmup(0.0, base, w)] if w > 0 else []
    if fn == "get_cosine_schedule_with_warmup":
        # num_cycles=0.5 is a half cosine to 0 at num_training_steps (it rises again after it).
        if kw.get("num_cycles", 0.5) != 0.5:
            raise NotImplementedError("lrlib has no cosine with num_cycles != 0.5")
        t = kw["num_training_steps"]
        return lrlib.warmup_cosine(base, t, w) if w > 0 else lrlib.cosine_decay(base, t)
    if fn == "get_linear_schedule_with_warmup":
        cool = lrlib.decay(base, kw["num_training_steps"] - w, 0.0, "linear")
        return lrlib.join(warm + [cool], [w] if warm else [])
    if fn == "get_polynomial_decay_schedule_with_warmup":
        # Decays to the absolute lr_end over num_training_steps - W, then holds lr_end.
        cool = lrlib.polynomial_decay(base, kw["num_training_steps"] - w, kw.get("lr_end", 1e-7),
                                      kw.get("power", 1.0))
        return lrlib.join(warm + [cool], [w] if warm else [])
    if fn == "get_wsd_schedule":
        # min_lr_ratio r is both where the warmup starts and where the decay ends.
        if kw.get("warmup_type", "linear") not in ("linear", "cosine") or kw.get("num_cycles", 0.5) != 0.5:
            raise NotImplementedError("lrlib has no 1-sqrt warmup, nor a cosine with num_cycles != 0.5")
        d = kw["num_decay_steps"]
        stable = kw.get("num_stable_steps")
        if stable is None:
            stable = kw["num_training_steps"] - w - d
        floor = base * kw.get("min_lr_ratio", 0.0)
        return lrlib.wsd(base, w + stable + d, w, d, end_lr=floor, start_lr=floor,
                         warmup_shape=kw.get("warmup_type", "linear"), decay_shape=kw.get("decay_type", "cosine"))
    if fn == "get_inverse_sqrt_schedule":
        # timescale defaults to num_warmup_steps, or to 10 000 without a warmup (lrlib asks for it then)
        tau = kw.get("timescale") or (w or 10_000)
        return lrlib.inverse_sqrt(base, w, tau) if w > 0 else lrlib.inverse_sqrt_decay(base, tau)
    raise NotImplementedError(f"no lrlib mapping for transformers.{fn}")


def _timm_with_warmup(kw: dict, base: float, main: lrlib.Schedule, prefix_default: bool) -> lrlib.Schedule:
    """timm's linear warmup from warmup_lr_init to the base lr over warmup_t steps, put before ``main``."""
    w = kw.get("warmup_t", 0)
    if not w:
        return main
    warm = lrlib.warmup(kw.get("warmup_lr_init", 0.0), base, w)
    if kw.get("warmup_prefix", prefix_default):
        return lrlib.join([warm, main], [w])
    # Not a prefix: the warmup replaces the first W steps and ``main`` keeps the global clock,
    # so there is a jump at W (to main(W), not to the peak). lrlib's join restarts the clock,
    # hence this small overlay instead.
    return lrlib.Schedule(lambda t: np.where(t < w, warm(t), main(t)), "timm_warmup_overlay")


def _timm_schedule(cls: str, kw: dict, base: float) -> lrlib.Schedule:
    if cls in ("CosineLRScheduler", "PolyLRScheduler") and kw.get("k_decay", 1.0) != 1.0:
        raise NotImplementedError("lrlib has no k-decay")
    if cls == "CosineLRScheduler":
        # cycle_limit cycles of cosine annealing from base * cycle_decay**i to lr_min, then lr_min.
        main = lrlib.warm_restarts(base, kw["t_initial"], kw.get("cycle_mul", 1.0), kw.get("cycle_decay", 1.0),
                                   kw.get("lr_min", 0.0), max_cycles=kw.get("cycle_limit", 1))
        return _timm_with_warmup(kw, base, main, prefix_default=False)
    if cls == "PolyLRScheduler":
        if kw.get("cycle_limit", 1) != 1:
            raise NotImplementedError("lrlib has no polynomial decay with restarts")
        main = lrlib.polynomial_decay(base, kw["t_initial"], kw.get("lr_min", 0.0), kw.get("power", 0.5))
        return _timm_with_warmup(kw, base, main, prefix_default=False)
    if cls == "StepLRScheduler":
        main = lrlib.step_decay(base, kw["decay_t"], kw.get("decay_rate", 1.0))
        return _timm_with_warmup(kw, base, main, prefix_default=True)
    if cls == "MultiStepLRScheduler":
        # timm: bisect_right(decay_t, t + 1), i.e. milestone m takes effect at t = m - 1.
        milestones = [m - 1 for m in kw["decay_t"]]
        if milestones[0] <= 0:
            raise NotImplementedError("a timm milestone of 1 decays from step 0; lrlib milestones are > 0")
        main = lrlib.multistep_decay(base, milestones, kw.get("decay_rate", 1.0))
        return _timm_with_warmup(kw, base, main, prefix_default=True)
    if cls == "WSDLRScheduler":
        if kw.get("stable_fn", "constant") != "constant" or kw.get("decay_fn", "1-sqrt") not in ("linear", "cosine",
                                                                                                  "1-sqrt"):
            raise NotImplementedError("lrlib's wsd has a constant stable phase and linear/cosine/1-sqrt cooldowns")
        w = kw.get("warmup_t", 0)
        return lrlib.wsd(base, w + kw["t_initial"], w, kw["decay_t"], end_lr=kw.get("lr_min", 0.0),
                         start_lr=kw.get("warmup_lr_init", 0.0), decay_shape=kw.get("decay_fn", "1-sqrt"))
    raise NotImplementedError(f"no lrlib mapping for timm.scheduler.{cls}")


def _optax_delayed(kw: dict, main: lrlib.Schedule) -> lrlib.Schedule:
    """optax's ``transition_begin``: hold ``init_value`` for that many steps, then ``main``."""
    begin = kw.get("transition_begin", 0)
    return lrlib.join([lrlib.constant(kw["init_value"]), main], [begin]) if begin > 0 else main


def _optax_schedule(fn: str, kw: dict, base: float) -> lrlib.Schedule:
    if fn == "cosine_decay_schedule":
        if kw.get("exponent", 1.0) != 1.0:
            raise NotImplementedError("lrlib's cosine has no exponent")
        return lrlib.cosine_decay(kw["init_value"], kw["decay_steps"], kw.get("alpha", 0.0) * kw["init_value"])
    if fn == "warmup_cosine_decay_schedule":
        # decay_steps is the whole length, warmup included (the cosine lasts decay_steps - warmup_steps).
        w, total = kw["warmup_steps"], kw["decay_steps"]
        if w == 0:
            return lrlib.cosine_decay(kw["peak_value"], total, kw.get("end_value", 0.0))
        return lrlib.warmup_cosine(kw["peak_value"], total, w, end_lr=kw.get("end_value", 0.0),
                                   start_lr=kw["init_value"])
    if fn == "exponential_decay":
        init, steps, rate = kw["init_value"], kw["transition_steps"], kw["decay_rate"]
        end = kw.get("end_value") or 0.0
        if kw.get("staircase", False):
            if end:
                raise NotImplementedError("lrlib's step decay has no floor")
            main = lrlib.step_decay(init, steps, rate)
        else:
            main = lrlib.exponential_decay(init, rate ** (1.0 / steps), end)
        return _optax_delayed(kw, main)
    if fn == "piecewise_constant_schedule":
        # The scale of each boundary applies from that step on; lrlib's multistep has one gamma.
        scales = set(kw["boundaries_and_scales"].values())
        if len(scales) != 1:
            raise NotImplementedError("lrlib's multistep decay multiplies by one gamma at every milestone")
        return lrlib.multistep_decay(kw["init_value"], sorted(int(b) for b in kw["boundaries_and_scales"]),
                                     scales.pop())
    if fn == "linear_schedule":
        return _optax_delayed(kw, lrlib.linear(kw["init_value"], kw["end_value"], kw["transition_steps"]))
    if fn == "polynomial_schedule":
        return _optax_delayed(kw, lrlib.polynomial_decay(kw["init_value"], kw["transition_steps"], kw["end_value"],
                                                         kw["power"]))
    if fn in ("cosine_onecycle_schedule", "linear_onecycle_schedule"):
        # peak / div_factor up to the peak at int(pct_start * T), then down to it / final_div_factor
        # at T (the linear one in two legs: to peak / div_factor at int(pct_final * T), then to the
        # end). optax truncates the phase boundaries to whole steps; PyTorch's OneCycleLR does not.
        n, peak = kw["transition_steps"], kw["peak_value"]
        low = peak / kw.get("div_factor", 25.0)
        end = low / kw.get("final_div_factor", 1e4)
        up = int(kw.get("pct_start", 0.3) * n)
        if fn == "cosine_onecycle_schedule":
            return lrlib.join([lrlib.warmup(low, peak, up, "cosine"), lrlib.decay(peak, n - up, end, "cosine")], [up])
        down = int(kw.get("pct_final", 0.85) * n)
        return lrlib.join([lrlib.linear(low, peak, up), lrlib.linear(peak, low, down - up),
                           lrlib.linear(low, end, n - down)], [up, down])
    if fn == "sgdr_schedule":
        cycles = [_optax_schedule("warmup_cosine_decay_schedule", c, base) for c in kw["cosine_kwargs"]]
        if all(c["warmup_steps"] == 0 for c in kw["cosine_kwargs"]) and len({str(c) for c in kw["cosine_kwargs"]}) == 1:
            # equal cycles without warmup: lrlib's own warm restarts, holding the floor after the last
            c = kw["cosine_kwargs"][0]
            return lrlib.warm_restarts(c["peak_value"], c["decay_steps"], 1.0, 1.0, c.get("end_value", 0.0),
                                       max_cycles=len(cycles))
        starts = np.cumsum([c["decay_steps"] for c in kw["cosine_kwargs"]])[:-1].tolist()
        return lrlib.join(cycles, starts)
    raise NotImplementedError(f"no lrlib mapping for optax.{fn}")


def _keras_schedule(cls: str, kw: dict, base: float) -> lrlib.Schedule:
    if cls == "InverseTimeDecay":
        return lrlib.inverse_time_decay(kw["initial_learning_rate"], kw["decay_rate"], kw["decay_steps"],
                                        kw.get("staircase", False))
    raise NotImplementedError(f"no lrlib mapping for keras.optimizers.schedules.{cls}")


def _plateau_replay(c: dict) -> lrlib.Schedule:
    """lrlib.Plateau (same parameter names as PyTorch's) replayed on the case's metrics, as a function of the
    epoch: epoch k runs at the lr that followed ``metrics[:k]``, and after the last metric it stays."""
    lrs = np.concatenate([[c["base_lr"]], lrlib.Plateau(c["base_lr"], **c["kwargs"]).run(c["metrics"])])
    return lrlib.Schedule(lambda t: lrs[np.minimum(t.astype(np.int64), len(lrs) - 1)], "plateau_replay")


def lrlib_schedule(c: dict) -> lrlib.Schedule:
    """The lrlib schedule that must agree with case ``c``'s real scheduler."""
    if c["class"] == "ReduceLROnPlateau":
        return _plateau_replay(c)
    if c["library"] == "torch":
        return _torch_schedule(c["class"], c["kwargs"], c["base_lr"])
    if c["library"] == "transformers":
        return _transformers_schedule(c["class"], c["kwargs"], c["base_lr"])
    if c["library"] == "timm":
        return _timm_schedule(c["class"], c["kwargs"], c["base_lr"])
    if c["library"] == "optax":
        return _optax_schedule(c["class"], c["kwargs"], c["base_lr"])
    if c["library"] == "keras":
        return _keras_schedule(c["class"], c["kwargs"], c["base_lr"])
    raise NotImplementedError(f"no lrlib mapping for library {c['library']!r}")


def steps_of(c: dict) -> np.ndarray:
    """The steps compared: 0, 1, ..., n_steps - 1."""
    return np.arange(c["n_steps"], dtype=np.float64)


def assert_agrees(got, expected, what: str = "") -> None:
    """lrlib's values ``got`` against the real library's ``expected``: rtol 1e-9, near-zero slack."""
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, f"{what}: {got.shape} values, expected {expected.shape}"
    peak = float(np.max(np.abs(expected))) if expected.size else 0.0
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL_FRACTION * peak, err_msg=what)


# --------------------------------------------------------------------------- the real libraries

def _build_torch_scheduler(torch, optimizer, cls: str, kw: dict):
    sched = torch.optim.lr_scheduler
    if cls == "SequentialLR":
        children = [getattr(sched, name)(optimizer, **sub) for name, sub in kw["schedulers"]]
        return sched.SequentialLR(optimizer, schedulers=children, milestones=list(kw["milestones"]))
    return getattr(sched, cls)(optimizer, **kw)


def _build_transformers_scheduler(optimizer, fn: str, kw: dict):
    import transformers.optimization as hf

    return getattr(hf, fn)(optimizer, **kw)


def import_timm_scheduler():
    """``timm.scheduler``, even where the rest of timm cannot be imported.

    timm's package ``__init__`` imports its models, which need torchvision (and
    torchvision must be built for the exact torch installed); ``timm.scheduler``
    itself needs only torch. So if ``import timm`` fails, the scheduler package is
    loaded from the installed files with timm's top-level ``__init__`` skipped.
    """
    try:
        return importlib.import_module("timm.scheduler")
    except ImportError:
        for name in [m for m in sys.modules if m == "timm" or m.startswith("timm.")]:
            del sys.modules[name]  # what the failed import left half-loaded
        spec = importlib.util.find_spec("timm")
        if spec is None or not spec.submodule_search_locations:
            raise
        package = types.ModuleType("timm")
        package.__path__ = list(spec.submodule_search_locations)
        package.__spec__ = spec
        sys.modules["timm"] = package
        return importlib.import_module("timm.scheduler")


def _build_timm_scheduler(optimizer, cls: str, kw: dict):
    return getattr(import_timm_scheduler(), cls)(optimizer, **kw)


def import_optax():
    """optax, with JAX computing in float64 (its default, float32, would be compared at 1e-7 at best)."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import optax

    return optax


def _run_optax(c: dict) -> list:
    optax = import_optax()
    kw = dict(c["kwargs"])
    if c["class"] == "piecewise_constant_schedule":  # JSON keys are strings; optax wants step numbers
        kw["boundaries_and_scales"] = {int(b): v for b, v in kw["boundaries_and_scales"].items()}
    schedule = getattr(optax, c["class"])(**kw)
    # An optax optimizer calls the schedule with its update count, 0, 1, 2, ...
    return [float(schedule(k)) for k in range(c["n_steps"])]


def import_keras():
    """Keras 3 on its JAX backend, computing in float64 (``jax_enable_x64``, as for optax)."""
    import os

    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "jax"  # Keras reads it once, when first imported
    import_optax()  # jax_enable_x64
    import keras

    return keras


def _run_keras(c: dict) -> list:
    keras = import_keras()
    schedule = getattr(keras.optimizers.schedules, c["class"])(**c["kwargs"])
    # A Keras optimizer calls its schedule with its iteration count, 0, 1, 2, ...
    return [float(schedule(k)) for k in range(c["n_steps"])]


def import_or_skip(library: str, importer):
    """``importer()``, or a pytest skip when it raises ImportError; a failure instead when
    ``LRLIB_REQUIRE_<LIBRARY>=1`` is set (as in CI, so a broken install cannot pass silently)."""
    import os

    import pytest

    try:
        return importer()
    except ImportError as exc:
        flag = f"LRLIB_REQUIRE_{library.upper()}"
        if os.environ.get(flag) == "1":
            pytest.fail(f"{flag}=1 but {library} cannot be imported: {exc!r}")
        pytest.skip(f"{library} is not installed (its recorded tables are checked instead)")


def run_real(c: dict) -> list:
    """Drive case ``c``'s real scheduler as a training loop does and return the lrs used.

    One parameter with a fixed gradient, SGD with momentum; each iteration records
    the lr the optimizer holds, then calls ``optimizer.step(); scheduler.step()``.
    (The gradient's value plays no part in the lr, so it is set once instead of
    being recomputed by a backward pass every step.)
    """
    if c["library"] == "optax":
        return _run_optax(c)
    if c["library"] == "keras":
        return _run_keras(c)
    import torch

    param = torch.nn.Parameter(torch.ones(1, dtype=torch.float64))
    param.grad = torch.full((1,), 0.5, dtype=torch.float64)
    optimizer = torch.optim.SGD([param], lr=c["base_lr"], momentum=0.9)
    if c["library"] == "torch":
        scheduler = _build_torch_scheduler(torch, optimizer, c["class"], c["kwargs"])
    elif c["library"] == "transformers":
        scheduler = _build_transformers_scheduler(optimizer, c["class"], c["kwargs"])
    elif c["library"] == "timm":
        scheduler = _build_timm_scheduler(optimizer, c["class"], c["kwargs"])
    else:
        raise NotImplementedError(c["library"])
    lrs = []
    for k in range(c["n_steps"]):
        lr = optimizer.param_groups[0]["lr"]
        lrs.append(float(lr))
        optimizer.step()
        if "metrics" in c:  # ReduceLROnPlateau reads the epoch's loss (none after the last one)
            if k < len(c["metrics"]):
                scheduler.step(c["metrics"][k])
        elif c["library"] != "timm":
            scheduler.step()
        elif c["kwargs"].get("t_in_epochs", True):
            scheduler.step(k + 1)           # timm's train.py: lr_scheduler.step(epoch + 1) after each epoch
        else:
            scheduler.step_update(k + 1)    # ... or step_update(num_updates) after each update
    return lrs


# How to import what each library's cases use (each raises ImportError when it cannot be).
IMPORTERS = {
    "torch": lambda: importlib.import_module("torch.optim.lr_scheduler"),
    "transformers": lambda: importlib.import_module("transformers.optimization"),
    "timm": import_timm_scheduler,
    "optax": import_optax,
    "keras": import_keras,
}


def library_version(library: str) -> str:
    """The installed version of ``library``, after importing what its cases use (ImportError if it cannot)."""
    IMPORTERS[library]()
    if library in ("optax", "keras"):
        return f"{importlib.metadata.version(library)} (jax {importlib.metadata.version('jax')})"
    if library == "timm":  # (timm's top-level package may not import: see import_timm_scheduler)
        return importlib.metadata.version("timm")
    return sys.modules[library].__version__


def assert_matches_real(c: dict) -> None:
    """lrlib's schedule for case ``c`` against the real library run on the same steps."""
    assert_agrees(lrlib_schedule(c)(steps_of(c)), run_real(c), case_id(c))


__all__ = ["RTOL", "ATOL_FRACTION", "TORCH_CASES", "TRANSFORMERS_CASES", "TIMM_CASES", "OPTAX_CASES", "KERAS_CASES",
           "CYCLIC_CASES", "PLATEAU_CASES", "PLATEAU_TIE_CASES", "ALL_CASES", "case_id", "plateau_case", "import_keras",
           "lrlib_schedule", "steps_of", "assert_agrees", "assert_matches_real", "run_real", "library_version",
           "IMPORTERS", "import_timm_scheduler", "import_optax", "import_or_skip"]
