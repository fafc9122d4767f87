r"""The learning-rate range test: one short run whose learning rate grows exponentially, watched.

It is a training run like any other (:func:`~lrcourse.experiments.training.fit`, the
same model, seed streams and minibatches), whose schedule is an exponential ramp per
iteration

.. math:: \eta_k = \eta_{lo}\,(\eta_{hi}/\eta_{lo})^{k/(N-1)}, \qquad k = 0, \dots, N-1,

(``lrlib.warmup(start_lr, end_lr, N - 1, shape="exponential")`` with ``step_unit="iteration"``)
and whose monitor smooths the minibatch losses and stops once they blow up. The
learning rates where the smoothed loss was lowest and fell fastest suggest a peak for
a schedule.

Examples:
    >>> r = lr_range_test("softmax", 1e-3, 1e2, num_iterations=200, seed=0)
    >>> r.diverged, bool(r.lrs[0] < r.suggested_lr < r.lr_min_loss < r.lr_diverged)
    (True, True)

References:
    Smith 2017, "Cyclical Learning Rates for Training Neural Networks",
    https://arxiv.org/abs/1506.01186 ; fastai ``LRFinder`` and ``lr_find``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from lrlib import _checks as check
from lrlib.primitives import warmup

from .training import Monitor, NotGiven, TrainConfig, configure, fit

__all__ = ["RangeTestResult", "lr_range_test"]


@dataclass(frozen=True, eq=False)
class RangeTestResult:
    """What :func:`lr_range_test` measured and what it suggests.

    Attributes:
        lrs, losses, raw_losses: the learning rate, the bias-corrected smoothed loss and
            the raw minibatch loss at each iteration run (all the same length).
        diverged: True if the test stopped early because the loss blew up.
        stopped_at: the number of iterations run.
        lr_min_loss: where the smoothed loss was lowest.
        lr_steepest: where the smoothed loss fell fastest per unit of log learning rate.
        lr_diverged: the learning rate at the stop (``None`` if it never diverged).
        suggested_lr: ``lr_min_loss / 10`` (the rule documented in :func:`lr_range_test`).
    """

    lrs: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    diverged: bool
    stopped_at: int
    lr_min_loss: float
    lr_steepest: float
    lr_diverged: Optional[float]
    suggested_lr: float


class _SmoothedLoss(Monitor):
    r"""The range test's monitor: :math:`s_k = \beta s_{k-1} + (1-\beta)\ell_k`,
    :math:`\hat s_k = s_k / (1-\beta^{k+1})`; stop when :math:`\hat s_k` is not finite or
    exceeds ``factor`` times its lowest value so far."""

    def __init__(self, smoothing: float, factor: float):
        self.beta = smoothing
        self.factor = factor

    def begin(self, params, data, lr, iters_per_epoch):
        self.raw = np.empty(len(lr))
        self.smooth = np.empty(len(lr))
        self.average, self.best, self.diverged, self.done = 0.0, math.inf, False, 0

    def minibatch(self, iteration, loss):
        beta = self.beta
        self.raw[iteration] = loss
        self.average = beta * self.average + (1.0 - beta) * loss
        smooth = self.smooth[iteration] = self.average / (1.0 - beta ** (iteration + 1))
        self.done = iteration + 1
        if not np.isfinite(smooth) or smooth > self.factor * self.best:
            self.diverged = True
            return True
        self.best = min(self.best, smooth)
        return False


def lr_range_test(model: str = NotGiven("softmax"), start_lr: float = 1e-3, end_lr: float = 100.0,
                  num_iterations: int = 200, batch_size: int = NotGiven(32), seed: int = NotGiven(0), *,
                  data=None, hidden=NotGiven((128,)), momentum: float = NotGiven(0.0), smoothing: float = 0.98,
                  divergence_factor: float = 4.0, skip_fraction: float = 0.1,
                  config: Optional[TrainConfig] = None) -> RangeTestResult:
    r"""The learning-rate range test: ramp the learning rate up exponentially, watch the loss.

    One fresh model is trained for ``num_iterations`` minibatches (wrapping into
    more epochs if needed) with

    .. math:: \eta_k = \eta_{lo}\,(\eta_{hi}/\eta_{lo})^{k/(N-1)}

    (``lrlib.warmup(start_lr, end_lr, N - 1, shape="exponential")``), by the same loop
    and on the same minibatches as :func:`~lrcourse.experiments.training.train_softmax`
    or :func:`~lrcourse.experiments.training.train_mlp` with that schedule and
    ``step_unit="iteration"``. The minibatch losses are smoothed with a bias-corrected
    moving average :math:`s_k = \beta s_{k-1} + (1-\beta)\ell_k`,
    :math:`\hat s_k = s_k / (1-\beta^{k+1})`, and the test stops as soon as
    :math:`\hat s_k > r \cdot \min_{j \le k} \hat s_j` (``divergence_factor`` :math:`r`,
    4 as in fastai) or the loss is not finite.

    **The suggestion.** ``suggested_lr`` is the learning rate at the lowest smoothed
    loss divided by 10 (fastai's "minimum" rule): by then the loss is still falling
    fast, and a factor of 10 leaves room for the noise of a single ramp. The
    steepest-descent point (``lr_steepest``: the most negative slope of the smoothed
    loss against :math:`\log\eta` before the minimum, ignoring the first
    ``skip_fraction`` of the ramp, where the average is still warming up) is returned
    too; on small noisy batches it jumps around far more than the minimum does. Both are guides
    for the *peak* of a schedule, not oracles: a decaying schedule often tolerates a
    peak near ``lr_min_loss``.

    Args:
        model: ``"softmax"`` or ``"mlp"`` (with ``hidden``, default ``(128,)``), as in
            :func:`~lrcourse.experiments.training.train_softmax` and
            :func:`~lrcourse.experiments.training.train_mlp`.
        start_lr, end_lr: :math:`\eta_{lo} < \eta_{hi}`.
        num_iterations: :math:`N` >= 2.
        batch_size, seed, data, momentum: as in :func:`~lrcourse.experiments.training.train_softmax`.
        smoothing: :math:`\beta` in [0, 1).
        divergence_factor: :math:`r` > 1.
        skip_fraction: share of the first iterations ignored by the steepest-point rule.
        config: a :class:`~lrcourse.experiments.training.TrainConfig` for the model and
            optimizer (e.g. Adam, weight decay); ``model``, ``hidden``, ``batch_size``,
            ``seed`` and ``momentum`` passed here too are taken from the call. Its
            ``num_epochs``, ``step_unit``, ``divergence_factor`` and
            ``record_test_probs`` are not used.

    Examples:
        >>> r = lr_range_test("softmax", 1e-3, 1e2, num_iterations=200, seed=0)
        >>> print(r.diverged, r.stopped_at < 200, r.suggested_lr == r.lr_min_loss / 10)
        True True True

    References:
        Smith 2017, "Cyclical Learning Rates for Training Neural Networks",
        https://arxiv.org/abs/1506.01186 ; fastai ``LRFinder`` and ``lr_find``.
    """
    lo = check.positive("start_lr", start_lr)
    hi = check.positive("end_lr", end_lr)
    check.below("start_lr", lo, "end_lr", hi)
    n = check.integer("num_iterations", num_iterations, minimum=2)
    beta = check.in_range("smoothing", smoothing, 0.0, 1.0, high_open=True)
    factor = check.in_range("divergence_factor", divergence_factor, 1.0, math.inf, low_open=True)
    skip = check.in_range("skip_fraction", skip_fraction, 0.0, 1.0, high_open=True)
    run = configure(config, dict(model=model, hidden=hidden, batch_size=batch_size, seed=seed, momentum=momentum,
                                 step_unit="iteration"))

    ramp = warmup(lo, hi, n - 1, shape="exponential")
    monitor = _SmoothedLoss(beta, factor)
    fitted = fit(ramp, run, data, monitor, num_iterations=n)
    done = monitor.done
    lrs, losses, raw = fitted.lr[:done], monitor.smooth[:done], monitor.raw[:done]
    finite = np.isfinite(losses)
    i_min = int(np.argmin(np.where(finite, losses, np.inf)))
    first = min(int(skip * done), i_min)
    if i_min - first >= 2:  # steepest descent on the way down to the minimum
        with np.errstate(all="ignore"):
            slope = np.gradient(losses[first:i_min + 1], np.log(lrs[first:i_min + 1]))
        i_steep = first + int(np.argmin(np.where(np.isfinite(slope), slope, np.inf)))
    else:
        i_steep = i_min
    return RangeTestResult(
        lrs=lrs, losses=losses, raw_losses=raw, diverged=monitor.diverged, stopped_at=done,
        lr_min_loss=float(lrs[i_min]), lr_steepest=float(lrs[i_steep]),
        lr_diverged=float(lrs[done - 1]) if monitor.diverged else None, suggested_lr=float(lrs[i_min]) / 10.0)
