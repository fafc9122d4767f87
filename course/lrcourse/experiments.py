r"""Small, seeded, fast experiments that show what a learning-rate schedule does.

Everything here runs offline on a laptop CPU in seconds, and the lessons import it
rather than writing their own training loops:

* **Noisy quadratic model (NQM).** :func:`nqm_expected_loss` gives the *exact*
  expected loss of SGD under any schedule (no sampling, no seeds);
  :func:`nqm_sampled_loss` runs the actual noisy SGD on the same model, so seeds
  can be seen scattering around the expectation; :func:`nqm_noise_floor` is the
  level a constant learning rate settles at.
* **One coordinate.** :func:`sgd_1d` simulates :math:`x \leftarrow x - \eta(hx + \sigma\xi)`
  over seeds and :func:`stationary_variance` is its closed-form noise floor.
* **Real data.** :func:`load_digits_split` (scikit-learn's bundled 8×8 digits; no
  download), :func:`train_softmax` and :func:`train_mlp` (minibatch SGD, momentum or
  Adam, the learning rate taken from a schedule at every iteration), and
  :func:`lr_range_test`.
* **Honest reporting.** :func:`run_seeds` repeats a training function over seeds
  and summarises mean, spread, min and max; :func:`compare_runs` says whether two
  settings differ by more than the seeds disagree.

A *schedule* is anything that maps a step to a learning rate: an lrlib
:class:`~lrlib.schedule.Schedule`, any callable (vectorised or scalar), or a plain
number for a constant learning rate.

Importing this module loads numpy only; scikit-learn is imported when the digits
are first loaded. Nothing here raises on a diverging run: it stops, says so
(``diverged=True``) and leaves the missing epochs as NaN under that flag.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields
from functools import lru_cache, wraps
from typing import Callable, NamedTuple, Optional

import numpy as np

from lrlib import _checks as check
from lrlib.primitives import warmup
from lrlib.schedule import Schedule
from lrlib.units import epoch_of_iteration, fractional_epochs

from .i18n import t

__all__ = [
    "nqm_expected_loss", "nqm_sampled_loss", "nqm_noise_floor",
    "stationary_variance", "sgd_1d",
    "DigitsSplit", "load_digits_split",
    "TrainResult", "train_softmax", "train_mlp",
    "Spread", "SeedRuns", "run_seeds", "Comparison", "compare_runs",
    "RangeTestResult", "lr_range_test",
]

SCHEDULE_UNITS = ("iteration", "fractional_epoch", "epoch")
OPTIMIZERS = ("sgd", "adam")


# --------------------------------------------------------------------------- schedules


def _lr_values(schedule, steps: np.ndarray, name: str = "schedule") -> np.ndarray:
    """The learning rate at each of ``steps`` as a float64 array, checked finite and >= 0.

    ``schedule`` may be a number (a constant), an lrlib Schedule, a vectorised
    callable, or a callable that only takes one step at a time.
    """
    steps = np.asarray(steps)
    if isinstance(schedule, numbers.Real) and not isinstance(schedule, bool):
        out = np.full(steps.shape, float(schedule))
    elif callable(schedule):
        out = None
        if isinstance(schedule, Schedule):
            out = schedule(steps)
        else:
            try:
                with np.errstate(all="ignore"):
                    trial = np.asarray(schedule(steps), dtype=np.float64)
                if trial.shape == steps.shape:
                    out = trial
                elif trial.ndim == 0:
                    out = np.full(steps.shape, float(trial))
            except (TypeError, ValueError):
                out = None
            if out is None:  # a scalar-only callable: one step at a time
                out = np.array([float(schedule(s)) for s in steps.tolist()], dtype=np.float64)
        out = np.asarray(out, dtype=np.float64).reshape(steps.shape)
    else:
        raise ValueError(
            f"{name} must be a number, an lrlib Schedule or a callable step -> lr, got {name}={schedule!r}"
        )
    bad = ~(np.isfinite(out) & (out >= 0))
    if bad.any():
        i = int(np.flatnonzero(bad.reshape(-1))[0])
        raise ValueError(
            f"{name} must give a finite learning rate >= 0 at every step, got lr={out.reshape(-1)[i]!r} "
            f"at step {steps.reshape(-1)[i]!r}"
        )
    return out


def _schedule_list(schedule):
    """``(list_of_schedules, was_a_list)``: one schedule or a list/tuple of them."""
    if isinstance(schedule, (list, tuple)):
        if not schedule:
            raise ValueError(f"schedule must not be an empty list, got schedule={schedule!r}")
        return list(schedule), True
    return [schedule], False


def _seed_list(seeds) -> list:
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        seeds = [seeds]
    try:
        out = [check.integer("seeds", s, minimum=0) for s in seeds]
    except TypeError:
        raise ValueError(f"seeds must be an integer or a sequence of integers >= 0, got seeds={seeds!r}") from None
    if not out:
        raise ValueError(f"seeds must not be empty, got seeds={seeds!r}")
    return out


# --------------------------------------------------------------------------- noisy quadratic model


def _nqm_problem(curvatures, batch_size, noise_var, init_mean, init_var):
    h = np.asarray(1.0 / np.arange(1, 1001) if curvatures is None else curvatures, dtype=np.float64).reshape(-1)
    if h.size == 0 or not np.all(np.isfinite(h) & (h > 0)):
        raise ValueError(f"curvatures must be a non-empty array of finite numbers > 0, got curvatures={curvatures!r}")
    if noise_var is None:
        b = check.positive("batch_size", batch_size)
        c = h / b
    else:
        c = np.broadcast_to(np.asarray(noise_var, dtype=np.float64), h.shape).copy()
        if not np.all(np.isfinite(c) & (c >= 0)):
            raise ValueError(f"noise_var must be finite and >= 0, got noise_var={noise_var!r}")
    m0 = np.broadcast_to(np.asarray(init_mean, dtype=np.float64), h.shape).copy()
    v0 = np.broadcast_to(np.asarray(init_var, dtype=np.float64), h.shape).copy()
    if not (np.all(np.isfinite(m0)) and np.all(np.isfinite(v0) & (v0 >= 0))):
        raise ValueError(
            f"init_mean must be finite and init_var finite and >= 0, got init_mean={init_mean!r} "
            f"and init_var={init_var!r}"
        )
    return h, c, m0, v0


def nqm_expected_loss(schedule, num_steps: int, *, curvatures=None, batch_size: float = 8,
                      noise_var=None, init_mean=1.0, init_var=0.0, momentum: float = 0.0) -> np.ndarray:
    r"""The exact expected loss of SGD on the noisy quadratic model, step by step.

    The model is :math:`L(\theta) = \tfrac12 \sum_i h_i \theta_i^2` and each step sees
    the gradient :math:`h_i\theta_i + \sqrt{c_i}\,\xi_i` with independent standard
    normal :math:`\xi_i`, where :math:`c_i = h_i / B`. Plain SGD with learning rate
    :math:`\eta_t` moves the mean :math:`m_i` and the variance :math:`v_i` of each
    coordinate exactly as

    .. math::
        m_i \leftarrow (1 - \eta_t h_i)\,m_i, \qquad
        v_i \leftarrow (1 - \eta_t h_i)^2\,v_i + \eta_t^2 c_i, \qquad
        \mathbb{E}[L_t] = \tfrac12 \sum_i h_i\,(m_i^2 + v_i).

    With ``momentum`` :math:`\beta > 0` (PyTorch's form, :math:`u \leftarrow \beta u + g`,
    :math:`\theta \leftarrow \theta - \eta_t u`) the pair :math:`(\theta_i, u_i)` is
    tracked instead, through its mean and 2×2 covariance
    :math:`S \leftarrow A S A^\top + c_i\,n n^\top` with
    :math:`A = \begin{pmatrix}1-\eta_t h_i & -\eta_t\beta\\ h_i & \beta\end{pmatrix}`,
    :math:`n = (-\eta_t, 1)^\top`.

    No random numbers are drawn: the curve is the average over infinitely many seeds.

    Args:
        schedule: the learning rate at step ``t`` (a Schedule, a callable or a number),
            or a list of them to compute several curves at once.
        num_steps: :math:`T`, the number of SGD steps; step ``t`` uses ``schedule(t)``.
        curvatures: the :math:`h_i` (> 0); default :math:`h_i = 1/i`, :math:`i = 1..1000`.
        batch_size: :math:`B` in :math:`c_i = h_i/B` (ignored when ``noise_var`` is given).
        noise_var: the :math:`c_i` directly (a number or an array like ``curvatures``).
        init_mean, init_var: :math:`m_i` and :math:`v_i` at step 0 (default 1 and 0).
        momentum: :math:`\beta` in [0, 1).

    Returns:
        The expected loss :math:`\mathbb{E}[L_t]` for :math:`t = 0..T` (length ``T + 1``;
        entry ``t`` is after ``t`` steps), or a ``(len(schedule), T + 1)`` array for a
        list. A run that blows up gives ``inf`` from then on (never NaN).

    Examples:
        >>> import lrlib
        >>> T = 2000
        >>> const, cos = nqm_expected_loss([1.0, lrlib.cosine_decay(1.0, T)], T)[:, -1]
        >>> print(f"constant {const:.3f}, cosine {cos:.3f}")
        constant 0.279, cosine 0.062

    References:
        Zhang et al. 2019, "Which Algorithmic Choices Matter at Which Batch Sizes?
        Insights From a Noisy Quadratic Model", https://arxiv.org/abs/1907.04164 .
    """
    n = check.integer("num_steps", num_steps, minimum=0)
    beta = check.in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    h, c, m0, v0 = _nqm_problem(curvatures, batch_size, noise_var, init_mean, init_var)
    scheds, many = _schedule_list(schedule)
    lrs = np.stack([_lr_values(s, np.arange(n)) for s in scheds]).reshape(len(scheds), n)
    k = len(scheds)
    out = np.empty((k, n + 1))
    m = np.tile(m0, (k, 1))
    v = np.tile(v0, (k, 1))
    out[:, 0] = 0.5 * (h * (m * m + v)).sum(axis=1)
    with np.errstate(all="ignore"):
        if beta == 0.0:
            for t in range(n):
                eta = lrs[:, t:t + 1]
                a = 1.0 - eta * h
                m *= a
                v *= a * a
                v += (eta * eta) * c
                out[:, t + 1] = 0.5 * (h * (m * m + v)).sum(axis=1)
        else:
            mu = np.zeros_like(m)
            s11, s12, s22 = v, np.zeros_like(v), np.zeros_like(v)
            for t in range(n):
                eta = lrs[:, t:t + 1]
                a11, a12, a21, a22 = 1.0 - eta * h, -eta * beta, h, beta
                m, mu = a11 * m + a12 * mu, a21 * m + a22 * mu
                s11, s12, s22 = (
                    a11 * a11 * s11 + 2.0 * a11 * a12 * s12 + a12 * a12 * s22 + eta * eta * c,
                    a11 * a21 * s11 + (a11 * a22 + a12 * a21) * s12 + a12 * a22 * s22 - eta * c,
                    a21 * a21 * s11 + 2.0 * a21 * a22 * s12 + a22 * a22 * s22 + c,
                )
                out[:, t + 1] = 0.5 * (h * (m * m + s11)).sum(axis=1)
    out = _inf_after_blowup(out)
    return out if many else out[0]


def _inf_after_blowup(curves: np.ndarray) -> np.ndarray:
    """Replace everything from the first non-finite entry of each row on by ``inf``."""
    bad = ~np.isfinite(curves)
    if bad.any():
        first = np.where(bad.any(axis=1), bad.argmax(axis=1), curves.shape[1])
        cols = np.arange(curves.shape[1])
        curves = np.where(cols[None, :] >= first[:, None], np.inf, curves)
    return curves


def nqm_sampled_loss(schedule, num_steps: int, seeds=(0, 1, 2), *, curvatures=None, batch_size: float = 8,
                     noise_var=None, init_mean=1.0, init_var=0.0, momentum: float = 0.0) -> np.ndarray:
    r"""Actual noisy SGD on the noisy quadratic model: one loss curve per seed.

    Each seed starts from :math:`\theta_i \sim \mathcal N(m_i, v_i)` (``init_mean``,
    ``init_var``) and takes ``num_steps`` steps

    .. math::
        g_i = h_i\theta_i + \sqrt{c_i}\,\xi_i, \qquad \theta_i \leftarrow \theta_i - \eta_t\, g_i,
        \qquad L_t = \tfrac12 \sum_i h_i \theta_i^2

    (with ``momentum``: :math:`u \leftarrow \beta u + g,\ \theta \leftarrow \theta - \eta_t u`).
    The average over many seeds converges to :func:`nqm_expected_loss`; a few seeds
    show how far single runs stray from it. Seed ``s`` always draws from
    ``numpy.random.default_rng(s)``, whatever other seeds run alongside it.

    Args:
        schedule: the learning rate at step ``t`` (a Schedule, a callable or a number).
        num_steps: :math:`T`.
        seeds: an int or a sequence of ints >= 0.
        curvatures, batch_size, noise_var, init_mean, init_var, momentum: as in
            :func:`nqm_expected_loss`.

    Returns:
        An array ``(len(seeds), T + 1)`` of losses; ``inf`` after a blow-up.

    Examples:
        >>> import numpy as np
        >>> exact = nqm_expected_loss(0.5, 200, curvatures=np.ones(200))
        >>> runs = nqm_sampled_loss(0.5, 200, seeds=range(3), curvatures=np.ones(200))
        >>> print(runs.shape, f"{exact[-1]:.4f}", bool(np.all(np.abs(runs[:, -1] / exact[-1] - 1) < 0.3)))
        (3, 201) 4.1667 True

    References:
        Zhang et al. 2019, https://arxiv.org/abs/1907.04164 .
    """
    n = check.integer("num_steps", num_steps, minimum=0)
    beta = check.in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    seeds = _seed_list(seeds)
    h, c, m0, v0 = _nqm_problem(curvatures, batch_size, noise_var, init_mean, init_var)
    lrs = _lr_values(schedule, np.arange(n)).tolist()
    d, k = h.size, len(seeds)
    rngs = [np.random.default_rng(s) for s in seeds]
    theta = np.stack([m0 + np.sqrt(v0) * r.standard_normal(d) for r in rngs])
    u = np.zeros_like(theta)
    sc = np.sqrt(c)
    out = np.empty((k, n + 1))
    out[:, 0] = 0.5 * (h * theta * theta).sum(axis=1)
    chunk = max(1, min(n, 2_000_000 // max(1, d * k)))
    noise = np.empty((k, chunk, d))
    with np.errstate(all="ignore"):
        for t in range(n):
            j = t % chunk
            if j == 0:
                rows = min(chunk, n - t)
                for i, r in enumerate(rngs):
                    noise[i, :rows] = r.standard_normal((rows, d))
            g = h * theta + sc * noise[:, j]
            if beta:
                u *= beta
                u += g
                theta -= lrs[t] * u
            else:
                theta -= lrs[t] * g
            out[:, t + 1] = 0.5 * (h * theta * theta).sum(axis=1)
    return _inf_after_blowup(out)


def nqm_noise_floor(lr, *, curvatures=None, batch_size: float = 8, noise_var=None):
    r"""The expected loss that constant-learning-rate SGD on the NQM settles at.

    Each coordinate's variance settles at :func:`stationary_variance`, so

    .. math:: L_\infty(\eta) = \tfrac12\sum_i h_i\,\frac{\eta\,c_i}{h_i(2 - \eta h_i)}
              = \sum_i \frac{\eta\,c_i}{2(2 - \eta h_i)}, \qquad c_i = h_i / B,

    while the mean has decayed to 0. It grows with :math:`\eta` and shrinks as
    :math:`1/B`: a constant learning rate trades speed for a floor, and only
    lowering :math:`\eta` (or raising :math:`B`) lowers the floor. It is ``inf``
    when :math:`\eta h_i \ge 2` for some :math:`i` (SGD diverges).

    Args:
        lr: :math:`\eta` (a number or an array of them).
        curvatures, batch_size, noise_var: as in :func:`nqm_expected_loss`.

    Examples:
        >>> print(f"{nqm_noise_floor(1.0):.3f} {nqm_noise_floor(0.1):.4f}")
        0.277 0.0237

    References:
        Zhang et al. 2019, https://arxiv.org/abs/1907.04164 ; Mandt, Hoffman & Blei 2017,
        "Stochastic Gradient Descent as Approximate Bayesian Inference", https://arxiv.org/abs/1704.04289 .
    """
    h, c, _, _ = _nqm_problem(curvatures, batch_size, noise_var, 0.0, 0.0)
    eta = np.asarray(lr, dtype=np.float64)
    if not np.all(np.isfinite(eta) & (eta >= 0)):
        raise ValueError(f"lr must be finite and >= 0, got lr={lr!r}")
    e = eta.reshape(-1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        per = e * c / (2.0 * (2.0 - e * h))
    stable = (e * h < 2.0).all(axis=1)
    out = np.where(stable, np.where(stable[:, None], per, 0.0).sum(axis=1), np.inf)
    return float(out[0]) if eta.ndim == 0 else out.reshape(eta.shape)


# --------------------------------------------------------------------------- one coordinate


def stationary_variance(lr, curvature: float = 1.0, noise_std: float = 1.0):
    r"""The variance that SGD with a constant learning rate settles at on a 1-D quadratic.

    For :math:`x \leftarrow x - \eta(h x + \sigma\xi)` with standard normal :math:`\xi`,
    :math:`\mathrm{Var}' = (1-\eta h)^2\,\mathrm{Var} + \eta^2\sigma^2`, whose fixed point is

    .. math:: \mathbb{E}[x^2]_\infty = \frac{\eta^2\sigma^2}{1-(1-\eta h)^2}
              = \frac{\eta\,\sigma^2}{h\,(2 - \eta h)},

    reached when :math:`0 < \eta h < 2`; it is ``inf`` for :math:`\eta h \ge 2`,
    where SGD diverges. For small :math:`\eta` it is about :math:`\eta\sigma^2/(2h)`:
    halve the learning rate, halve the noise floor. The expected loss
    :math:`\tfrac12 h\,\mathbb{E}[x^2]` is :math:`\eta\sigma^2 / (2(2-\eta h))`.

    Args:
        lr: :math:`\eta` >= 0 (a number or an array).
        curvature: :math:`h` > 0.
        noise_std: :math:`\sigma` >= 0, the standard deviation of the gradient noise.

    Examples:
        >>> print(f"{stationary_variance(0.1):.6f}", stationary_variance(1.0), stationary_variance(2.0))
        0.052632 1.0 inf

    References:
        Mandt, Hoffman & Blei 2017, https://arxiv.org/abs/1704.04289 (the continuous-time
        version); CS231n notes, "Annealing the learning rate".
    """
    h = check.positive("curvature", curvature)
    s = check.non_negative("noise_std", noise_std)
    eta = np.asarray(lr, dtype=np.float64)
    if not np.all(np.isfinite(eta) & (eta >= 0)):
        raise ValueError(f"lr must be finite and >= 0, got lr={lr!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(eta * h < 2.0, eta * s * s / (h * (2.0 - eta * h)), np.inf)
    return float(out) if eta.ndim == 0 else out


def sgd_1d(schedule, num_steps: int, seeds=(0, 1, 2), *, curvature: float = 1.0, noise_std: float = 1.0,
           x0: float = 0.0) -> np.ndarray:
    r"""Simulate SGD on the 1-D quadratic :math:`\tfrac12 h x^2` with noisy gradients, one row per seed.

    .. math:: x_{t+1} = x_t - \eta_t\,(h\,x_t + \sigma\,\xi_t), \qquad \xi_t \sim \mathcal N(0, 1)

    With a constant :math:`\eta` the iterates stop improving and jitter around 0
    with variance :func:`stationary_variance`: the *noise floor*. Averaging
    :math:`x_t^2` over many seeds (or over the second half of one long run)
    recovers it. Seed ``s`` draws its :math:`\xi` from ``numpy.random.default_rng(s)``.

    Args:
        schedule: the learning rate at step ``t`` (a Schedule, a callable or a number).
        num_steps: :math:`T`.
        seeds: an int or a sequence of ints >= 0.
        curvature: :math:`h` > 0; noise_std: :math:`\sigma` >= 0; x0: the start.

    Returns:
        ``x`` as an array ``(len(seeds), T + 1)``; ``inf`` after a blow-up.

    Examples:
        >>> x = sgd_1d(0.1, 20_000, seeds=range(3), x0=5.0)
        >>> floor = stationary_variance(0.1)
        >>> print(f"{floor:.4f}", bool(abs((x[:, 5000:] ** 2).mean() / floor - 1) < 0.1))
        0.0526 True

    References:
        Robbins & Monro 1951 (decreasing steps are needed to converge under noise);
        Mandt, Hoffman & Blei 2017, https://arxiv.org/abs/1704.04289 .
    """
    n = check.integer("num_steps", num_steps, minimum=0)
    h = check.positive("curvature", curvature)
    s = check.non_negative("noise_std", noise_std)
    x_start = check.finite("x0", x0)
    seeds = _seed_list(seeds)
    lrs = _lr_values(schedule, np.arange(n))
    xi = np.stack([np.random.default_rng(sd).standard_normal(n) for sd in seeds]) * s
    out = np.empty((len(seeds), n + 1))
    out[:, 0] = x_start
    x = out[:, 0].copy()
    decay_factor = (1.0 - lrs * h).tolist()
    with np.errstate(all="ignore"):
        kick = lrs[None, :] * xi
        for t in range(n):
            x *= decay_factor[t]
            x -= kick[:, t]
            out[:, t + 1] = x
    return _inf_after_blowup(out)


# --------------------------------------------------------------------------- data


class DigitsSplit(NamedTuple):
    """The digits split into standardized train and test arrays (in scikit-learn's order)."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


@lru_cache(maxsize=1)
def _digits_raw():
    from sklearn.datasets import load_digits  # lazy: lrlib imports numpy only

    data = load_digits()
    x = np.asarray(data.data, dtype=np.float64)
    y = np.asarray(data.target, dtype=np.int64)
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


@lru_cache(maxsize=32)
def _digits_split_cached(seed: int, test_fraction: float, dtype: str) -> DigitsSplit:
    x, y = _digits_raw()
    rng = np.random.default_rng(seed)
    test_parts = []
    for label in range(int(y.max()) + 1):  # stratified: the same share of every class
        members = np.flatnonzero(y == label)
        test_parts.append(rng.permutation(members)[: int(round(test_fraction * len(members)))])
    is_test = np.zeros(len(y), dtype=bool)
    is_test[np.concatenate(test_parts)] = True
    idx_train = rng.permutation(np.flatnonzero(~is_test))
    idx_test = rng.permutation(np.flatnonzero(is_test))
    mean = x[idx_train].mean(axis=0)
    std = x[idx_train].std(axis=0)
    std[std == 0] = 1.0  # pixels that are always blank in the training set: only centred
    parts = []
    for arr in ((x[idx_train] - mean) / std, (x[idx_test] - mean) / std, y[idx_train], y[idx_test]):
        arr = np.ascontiguousarray(arr, dtype=dtype if arr.dtype.kind == "f" else np.int64)
        arr.setflags(write=False)
        parts.append(arr)
    return DigitsSplit(*parts)


def load_digits_split(seed: int = 0, test_fraction: float = 0.25, dtype=np.float64) -> DigitsSplit:
    r"""scikit-learn's bundled 8×8 digits, split and standardized: no download, deterministic per seed.

    A stratified split (from each class, a shuffled ``round(test_fraction * n_class)``
    images go to the test set; the shuffle is ``numpy.random.default_rng(seed)``, so
    the split does not depend on the scikit-learn version), then every pixel is
    standardized with the *training* set's mean and standard deviation (pixels that
    never vary in the training set are only centred):

    .. math:: x' = (x - \mu_{train}) / \sigma_{train}

    The 1,797 images come from a file shipped inside scikit-learn, so this works
    offline; the first call takes about a second (importing scikit-learn). The
    arrays are read-only and cached: the same call returns the same arrays at no cost.

    Args:
        seed: the split's ``random_state`` (an int >= 0).
        test_fraction: the share of images held out, in (0, 1).
        dtype: the float type of ``X_train`` and ``X_test`` (labels are int64).

    Returns:
        ``DigitsSplit(X_train, X_test, y_train, y_test)``; with the default 25 % the
        shapes are (1347, 64), (450, 64), (1347,), (450,).

    Examples:
        >>> d = load_digits_split(seed=0)
        >>> print(d.X_train.shape, d.X_test.shape, sorted(set(d.y_train.tolist())) == list(range(10)))
        (1347, 64) (450, 64) True
        >>> print(bool(abs(d.X_train.mean()) < 1e-12), d.X_train.flags.writeable)
        True False

    References:
        Alpaydin & Kaynak 1998, UCI "Optical Recognition of Handwritten Digits";
        scikit-learn ``sklearn.datasets.load_digits``.
    """
    s = check.integer("seed", seed, minimum=0)
    f = check.in_range("test_fraction", test_fraction, 0.0, 1.0, low_open=True, high_open=True)
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise ValueError(f"dtype must be a float type, got dtype={dtype!r}")
    return _digits_split_cached(s, f, dt.name)


# --------------------------------------------------------------------------- models and training


@dataclass(frozen=True, eq=False)
class TrainResult:
    """What one training run recorded. Epochs are counted from 1; iterations from 0.

    Attributes:
        train_loss, train_accuracy, test_loss, test_accuracy: ``(num_epochs,)``, measured on
            the whole set after each epoch (NaN for epochs never finished, see ``diverged``).
        lr: ``(num_iterations,)`` the learning rate each iteration used (the plan, also
            past a divergence).
        batch_loss: ``(num_iterations,)`` each minibatch's loss before its update (NaN after
            a divergence).
        weight_change: ``(num_epochs, num_layers)`` how far each layer's weight matrix moved
            during each epoch (Frobenius norm of the change).
        test_probs: ``(num_epochs, n_test, 10)`` predicted class probabilities after each
            epoch when asked for (``record_test_probs=True``), else ``None``.
        diverged: True if the loss became non-finite or exceeded the divergence threshold;
            training then stopped.
        diverged_at: the iteration where that happened, else ``None``.
        iters_per_epoch, seed: as run.
    """

    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    lr: np.ndarray
    batch_loss: np.ndarray
    weight_change: np.ndarray
    test_probs: Optional[np.ndarray]
    diverged: bool
    diverged_at: Optional[int]
    iters_per_epoch: int
    seed: int

    @property
    def epochs(self) -> np.ndarray:
        """1, 2, ..., num_epochs: the x axis of the per-epoch arrays."""
        return np.arange(1, len(self.train_loss) + 1)

    @property
    def iteration_epochs(self) -> np.ndarray:
        """The epoch (fractional) of every iteration: the x axis of ``lr`` and ``batch_loss``."""
        return fractional_epochs(len(self.lr) // self.iters_per_epoch, self.iters_per_epoch)

    def as_dict(self) -> dict:
        """The fields as a plain dict."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __repr__(self) -> str:
        state = f"diverged at iteration {self.diverged_at}" if self.diverged else (
            f"train_loss={self.train_loss[-1]:.4f}, test_accuracy={self.test_accuracy[-1]:.4f}")
        return f"<TrainResult seed={self.seed}, {len(self.train_loss)} epochs, {state}>"


def _init_layers(sizes, rng, dtype, zero: bool):
    """He-normal weights for layers followed by a ReLU, LeCun-normal for the output; zero biases."""
    params = []
    last = len(sizes) - 2
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if zero:
            w = np.zeros((fan_in, fan_out), dtype=dtype)
        else:
            gain = 1.0 if i == last else 2.0
            w = (rng.standard_normal((fan_in, fan_out)) * math.sqrt(gain / fan_in)).astype(dtype)
        params += [w, np.zeros(fan_out, dtype=dtype)]
    return params


def _log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _forward(params, x):
    """Logits and the hidden activations (needed for the backward pass)."""
    acts = [x]
    a = x
    nl = len(params) // 2
    for i in range(nl - 1):
        a = a @ params[2 * i]
        a += params[2 * i + 1]
        np.maximum(a, 0.0, out=a)
        acts.append(a)
    logits = a @ params[-2]
    logits += params[-1]
    return logits, acts


def _loss_and_grads(params, x, y, rows):
    logits, acts = _forward(params, x)
    z = logits - logits.max(axis=1, keepdims=True)
    g = np.exp(z)
    total = g.sum(axis=1, keepdims=True)
    inv_n = 1.0 / len(y)
    loss = (np.log(total).sum() - z[rows, y].sum()) * inv_n  # mean of log-sum-exp minus the true logit
    g /= total  # the softmax probabilities
    g[rows, y] -= 1.0
    g *= inv_n
    grads = [None] * len(params)
    for i in range(len(params) // 2 - 1, -1, -1):
        a = acts[i]
        grads[2 * i] = a.T @ g
        grads[2 * i + 1] = g.sum(axis=0)
        if i:
            g = g @ params[2 * i].T
            g *= acts[i] > 0
    return float(loss), grads


def _evaluate(params, x, y):
    """Mean cross-entropy, accuracy and class probabilities on a whole set."""
    logits, _ = _forward(params, x)
    logp = _log_softmax(logits)
    loss = float(-logp[np.arange(len(y)), y].mean())
    acc = float((logits.argmax(axis=1) == y).mean())
    return loss, acc, logp


def _iteration_lrs(schedule, unit, num_epochs, ipe):
    unit = check.one_of("schedule_unit", unit, SCHEDULE_UNITS)
    if unit == "iteration":
        steps = np.arange(num_epochs * ipe)
    elif unit == "fractional_epoch":
        steps = fractional_epochs(num_epochs, ipe)
    else:
        steps = epoch_of_iteration(num_epochs, ipe)
    return _lr_values(schedule, steps)


class _Optimizer:
    """SGD (with optional momentum and weight decay) or Adam, updating parameters in place."""

    def __init__(self, params, kind, momentum, weight_decay, betas, eps):
        self.kind = kind
        self.momentum = momentum
        self.wd = weight_decay
        self.b1, self.b2 = betas
        self.eps = eps
        self.t = 0
        if kind == "adam":
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        elif momentum:
            self.buf = [np.zeros_like(p) for p in params]

    def step(self, params, grads, lr):
        if self.wd:  # L2 on the weight matrices (even indices), not on the biases
            for i in range(0, len(params), 2):
                grads[i] = grads[i] + self.wd * params[i]
        if self.kind == "sgd":
            if self.momentum:
                for p, g, b in zip(params, grads, self.buf):
                    b *= self.momentum
                    b += g
                    p -= lr * b
            else:
                for p, g in zip(params, grads):
                    p -= lr * g
            return
        self.t += 1
        c1 = 1.0 - self.b1 ** self.t
        c2 = 1.0 - self.b2 ** self.t
        step = lr / c1
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= self.b1
            m += (1.0 - self.b1) * g
            v *= self.b2
            v += (1.0 - self.b2) * (g * g)
            p -= step * m / (np.sqrt(v / c2) + self.eps)


def _one_blas_thread(fn):
    """Run ``fn`` with BLAS limited to one thread.

    The matrices here are small (batches of 8 to 1024 rows, layers of at most a few
    hundred units), so extra BLAS threads buy little on an idle CPU (about 20 % on 2
    cores) and cost a great deal on a busy one: when other processes hold the cores,
    OpenBLAS threads spin waiting for each other. Measured on 2 cores at load 7, twenty
    small MLP runs took 111 s with 2 BLAS threads and 8 s with one. Lessons run side by
    side under pytest-xdist, so they are always in the busy case.
    """
    @wraps(fn)
    def wrapper(*args, **kwargs):
        from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

        with threadpool_limits(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper


@_one_blas_thread
def _train(*, hidden, zero_init, schedule, num_epochs, batch_size, seed, data, schedule_unit, momentum,
           weight_decay, optimizer, betas, eps, divergence_factor, record_test_probs, dtype):
    e = check.integer("num_epochs", num_epochs, minimum=1)
    b = check.integer("batch_size", batch_size, minimum=1)
    s = check.integer("seed", seed, minimum=0)
    mom = check.in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    wd = check.non_negative("weight_decay", weight_decay)
    opt = check.one_of("optimizer", optimizer, OPTIMIZERS)
    factor = check.in_range("divergence_factor", divergence_factor, 1.0, math.inf, low_open=True)
    if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
        raise ValueError(f"betas must be a pair (beta1, beta2), got betas={betas!r}")
    betas = tuple(check.in_range(f"betas[{i}]", v, 0.0, 1.0, high_open=True) for i, v in enumerate(betas))
    eps = check.positive("eps", eps)
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise ValueError(f"dtype must be a float type, got dtype={dtype!r}")
    if data is None:
        data = load_digits_split(0, dtype=dt)
    x_tr, x_te, y_tr, y_te = (np.asarray(a) for a in data)
    x_tr, x_te = x_tr.astype(dt, copy=False), x_te.astype(dt, copy=False)
    y_tr, y_te = y_tr.astype(np.int64, copy=False), y_te.astype(np.int64, copy=False)
    n, d = x_tr.shape
    k = int(max(y_tr.max(), y_te.max())) + 1
    ipe = -(-n // b)
    lrs = _iteration_lrs(schedule, schedule_unit, e, ipe)
    lr_list = lrs.tolist()

    init_ss, order_ss = np.random.SeedSequence(s).spawn(2)
    init_rng, order_rng = np.random.default_rng(init_ss), np.random.default_rng(order_ss)
    params = _init_layers([d, *hidden, k], init_rng, dt, zero_init)
    opt_state = _Optimizer(params, opt, mom, wd, betas, eps)

    nan = np.full(e, np.nan)
    hist = {key: nan.copy() for key in ("train_loss", "train_accuracy", "test_loss", "test_accuracy")}
    batch_loss = np.full(len(lrs), np.nan)
    weight_change = np.full((e, len(params) // 2), np.nan)
    probs = np.full((e, len(y_te), k), np.nan) if record_test_probs else None
    start_loss = _evaluate(params, x_tr, y_tr)[0]
    limit = factor * start_loss
    rows_full = np.arange(b)
    diverged_at = None
    it = 0
    with np.errstate(all="ignore"):
        for epoch in range(e):
            before = [p.copy() for p in params[0::2]]
            perm = order_rng.permutation(n)
            xp, yp = x_tr[perm], y_tr[perm]
            for start in range(0, n, b):
                xb, yb = xp[start:start + b], yp[start:start + b]
                rows = rows_full if len(yb) == b else np.arange(len(yb))
                loss, grads = _loss_and_grads(params, xb, yb, rows)
                batch_loss[it] = loss
                if not (loss <= limit):  # also catches NaN
                    diverged_at = it
                    break
                opt_state.step(params, grads, lr_list[it])
                it += 1
            if diverged_at is None:
                tr_loss, tr_acc, _ = _evaluate(params, x_tr, y_tr)
                if not (tr_loss <= limit):
                    diverged_at = it - 1
            if diverged_at is not None:
                break
            te_loss, te_acc, logp = _evaluate(params, x_te, y_te)
            hist["train_loss"][epoch], hist["train_accuracy"][epoch] = tr_loss, tr_acc
            hist["test_loss"][epoch], hist["test_accuracy"][epoch] = te_loss, te_acc
            weight_change[epoch] = [float(np.linalg.norm(p - q)) for p, q in zip(params[0::2], before)]
            if probs is not None:
                probs[epoch] = np.exp(logp)
    if diverged_at is not None and not np.isfinite(batch_loss[diverged_at]):
        batch_loss[diverged_at] = np.inf
    return TrainResult(
        **hist, lr=lrs, batch_loss=batch_loss, weight_change=weight_change, test_probs=probs,
        diverged=diverged_at is not None, diverged_at=diverged_at, iters_per_epoch=ipe, seed=s)


_TRAIN_ARGS = r"""
    Args:
        schedule: the learning rate (a Schedule, a callable or a number), called in
            ``schedule_unit``.
        num_epochs: passes over the training set.
        batch_size: :math:`B`; an epoch has :math:`\lceil n/B \rceil` iterations (the
            last minibatch may be smaller).
        seed: draws the initial weights and the minibatch order, from two independent
            streams (so for one seed every model sees the same minibatch order).
        data: a :class:`DigitsSplit` (or any ``(X_train, X_test, y_train, y_test)``);
            default ``load_digits_split(0)``, so seeds vary the run, not the split.
        schedule_unit: what the schedule's step counts: ``"iteration"`` (0, 1, 2, ...),
            ``"fractional_epoch"`` (``epoch + i / iters_per_epoch``: a schedule with
            lengths in epochs that still changes every iteration) or ``"epoch"`` (the
            whole epoch, constant within it, as in the YOLO training scripts).
        momentum: :math:`\beta` for SGD (PyTorch's form, :math:`u \leftarrow \beta u + g`,
            :math:`w \leftarrow w - \eta u`).
        weight_decay: :math:`\lambda`, L2 added to the weight matrices' gradients (not the biases').
        optimizer: ``"sgd"`` or ``"adam"`` (with ``betas`` and ``eps``, bias-corrected).
        divergence_factor: stop and flag ``diverged`` when a minibatch loss, or the
            training loss after an epoch, is non-finite or above this many times the
            initial training loss (default 100, about 230 for 10 classes).
        record_test_probs: keep the test-set class probabilities after every epoch (for
            snapshot ensembles).
        dtype: ``np.float64`` (default) or ``np.float32``.

    Returns:
        A :class:`TrainResult`. A run that diverges stops there and never raises.
"""


def train_softmax(schedule, num_epochs: int = 10, batch_size: int = 32, seed: int = 0, *, data=None,
                  schedule_unit: str = "fractional_epoch", momentum: float = 0.0, weight_decay: float = 0.0,
                  optimizer: str = "sgd", betas=(0.9, 0.999), eps: float = 1e-8,
                  divergence_factor: float = 100.0, record_test_probs: bool = False,
                  dtype=np.float64) -> TrainResult:
    return _train(hidden=(), zero_init=True, schedule=schedule, num_epochs=num_epochs, batch_size=batch_size,
                  seed=seed, data=data, schedule_unit=schedule_unit, momentum=momentum,
                  weight_decay=weight_decay, optimizer=optimizer, betas=betas, eps=eps,
                  divergence_factor=divergence_factor, record_test_probs=record_test_probs, dtype=dtype)


train_softmax.__doc__ = r"""Softmax regression on the digits, trained by minibatch SGD under a schedule.

    The model is :math:`p = \mathrm{softmax}(xW + b)`, starting from :math:`W = 0`, with
    the cross-entropy :math:`\ell = -\frac1B\sum_j \log p_{j, y_j}` of each minibatch and
    the update

    .. math:: W \leftarrow W - \eta_k \nabla_W \ell, \qquad \eta_k = \text{schedule}(\text{step}_k)

    where :math:`\text{step}_k` is iteration :math:`k` in ``schedule_unit``. The loss is
    convex, so all that stands between SGD and the optimum is the step size and the
    gradient noise: exactly what a schedule trades off.
""" + _TRAIN_ARGS + r"""
    Examples:
        >>> import lrlib
        >>> r = train_softmax(lrlib.cosine_decay(0.5, 5), num_epochs=5, batch_size=32, seed=0)
        >>> print(r.diverged, r.test_accuracy[-1] > 0.9, r.lr.shape)
        False True (215,)

    References:
        Goyal et al. 2017, https://arxiv.org/abs/1706.02677 ; Bottou, Curtis & Nocedal 2018,
        "Optimization Methods for Large-Scale Machine Learning", https://arxiv.org/abs/1606.04838 .
    """


def train_mlp(schedule, num_epochs: int = 10, batch_size: int = 32, seed: int = 0, *, hidden=(128,),
              data=None, schedule_unit: str = "fractional_epoch", momentum: float = 0.0,
              weight_decay: float = 0.0, optimizer: str = "sgd", betas=(0.9, 0.999), eps: float = 1e-8,
              divergence_factor: float = 100.0, record_test_probs: bool = False,
              dtype=np.float64) -> TrainResult:
    hidden = _hidden_sizes(hidden)
    return _train(hidden=hidden, zero_init=False, schedule=schedule, num_epochs=num_epochs,
                  batch_size=batch_size, seed=seed, data=data, schedule_unit=schedule_unit, momentum=momentum,
                  weight_decay=weight_decay, optimizer=optimizer, betas=betas, eps=eps,
                  divergence_factor=divergence_factor, record_test_probs=record_test_probs, dtype=dtype)


train_mlp.__doc__ = r"""A ReLU multilayer perceptron on the digits, trained by minibatch SGD under a schedule.

    With one hidden layer (the default, 128 units)

    .. math:: p = \mathrm{softmax}\bigl(\max(0,\ xW_1 + b_1)\,W_2 + b_2\bigr)

    and ``hidden=(128, 128, 128, 128)`` stacks four. Weights start He-normal,
    :math:`W \sim \mathcal N(0, 2/\text{fan\_in})`, in layers followed by a ReLU and
    :math:`\mathcal N(0, 1/\text{fan\_in})` in the output layer, drawn from ``seed``;
    biases start at 0. Loss and updates are as in :func:`train_softmax`. ``hidden``
    (an int or a tuple of ints) is the width of each hidden layer; the other
    arguments are those of :func:`train_softmax`:
""" + _TRAIN_ARGS + r"""
    Examples:
        >>> import lrlib
        >>> r = train_mlp(lrlib.cosine_decay(0.3, 3), num_epochs=3, seed=0, hidden=64)
        >>> print(r.diverged, r.test_accuracy[-1] > 0.9, r.weight_change.shape)
        False True (3, 2)
        >>> bad = train_mlp(1e4, num_epochs=3, seed=0, hidden=64)
        >>> print(bad.diverged, bad.diverged_at is not None, int(np.isnan(bad.train_loss).sum()))
        True True 3

    References:
        He et al. 2015, "Delving Deep into Rectifiers" (He initialisation),
        https://arxiv.org/abs/1502.01852 ; Goyal et al. 2017, https://arxiv.org/abs/1706.02677 .
    """


def _hidden_sizes(hidden) -> tuple:
    hidden = (hidden,) if isinstance(hidden, numbers.Integral) else tuple(hidden)
    out = tuple(check.integer(f"hidden[{i}]", h, minimum=1) for i, h in enumerate(hidden))
    if not out:
        raise ValueError(f"hidden must name at least one layer width (train_softmax has none), got hidden={hidden!r}")
    return out


# --------------------------------------------------------------------------- seeds and honest summaries


@dataclass(frozen=True, eq=False)
class Spread:
    """Mean, sample standard deviation, min and max over seeds, elementwise.

    Only finite values count (a diverged seed leaves NaN behind); ``count`` says how
    many seeds each entry is over and ``n_seeds`` how many there were. ``std`` uses
    :math:`n - 1` in the denominator and is 0 for a single value.
    """

    mean: np.ndarray
    std: np.ndarray
    min: np.ndarray
    max: np.ndarray
    count: np.ndarray
    n_seeds: int

    @classmethod
    def of(cls, values) -> "Spread":
        """The spread of ``values`` along axis 0 (one row per seed)."""
        v = np.asarray(values, dtype=np.float64)
        ok = np.isfinite(v)
        cnt = ok.sum(axis=0)
        safe = np.where(ok, v, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.where(cnt > 0, safe.sum(axis=0) / np.maximum(cnt, 1), np.nan)
            dev = np.where(ok, v - mean, 0.0)
            var = np.where(cnt > 1, (dev * dev).sum(axis=0) / np.maximum(cnt - 1, 1), 0.0)
        std = np.where(cnt > 0, np.sqrt(var), np.nan)
        lo = np.where(cnt > 0, np.where(ok, v, np.inf).min(axis=0), np.nan)
        hi = np.where(cnt > 0, np.where(ok, v, -np.inf).max(axis=0), np.nan)
        as_out = (lambda a: float(a)) if v.ndim == 1 else (lambda a: a)
        return cls(as_out(mean), as_out(std), as_out(lo), as_out(hi),
                   int(cnt) if v.ndim == 1 else cnt, v.shape[0])

    def __str__(self) -> str:
        if np.ndim(self.mean) != 0:
            return repr(self)
        if self.count == 0:
            return t("xp_all_diverged", n=self.n_seeds)
        text = t("xp_spread", mean=f"{self.mean:.4g}", std=f"{self.std:.2g}", lo=f"{self.min:.4g}",
                 hi=f"{self.max:.4g}", count=self.count)
        if self.count < self.n_seeds:
            text += t("xp_some_diverged", k=self.n_seeds - self.count, n=self.n_seeds)
        return text


@dataclass(frozen=True, eq=False)
class SeedRuns:
    """The same setting run once per seed: the results, stacked, and their spread.

    ``runs["train_loss"]`` is a ``(n_seeds, num_epochs)`` array (any array or scalar
    field of the results works), ``runs.summary("train_loss")`` its :class:`Spread` per
    epoch, ``runs.final("test_accuracy")`` the spread of the last epoch's values.
    """

    seeds: tuple
    results: tuple

    def __getitem__(self, key: str) -> np.ndarray:
        vals = [r[key] if isinstance(r, dict) else getattr(r, key) for r in self.results]
        if any(v is None for v in vals):
            raise KeyError(f"{key!r} was not recorded in every run")
        return np.stack([np.asarray(v) for v in vals])

    @property
    def diverged(self) -> np.ndarray:
        """One bool per seed."""
        return self["diverged"].astype(bool)

    def summary(self, key: str = "train_loss") -> Spread:
        """Mean, std, min and max over seeds of ``key``, per epoch (or per entry)."""
        return Spread.of(self[key])

    def final(self, key: str = "train_loss") -> Spread:
        """The spread over seeds of the last entry of ``key`` (NaN for a seed that diverged)."""
        return Spread.of(self[key].reshape(len(self.results), -1)[:, -1])

    def __len__(self) -> int:
        return len(self.results)

    def __repr__(self) -> str:
        return f"<SeedRuns seeds={list(self.seeds)}, {int(self.diverged.sum())} diverged>"


def run_seeds(train_fn: Callable, seeds=(0, 1, 2), **kwargs) -> SeedRuns:
    r"""Run ``train_fn(seed=s, **kwargs)`` for every seed and keep the results together.

    The spread across seeds is the yardstick for every comparison: a difference
    between two settings smaller than it is not a finding. Report
    :math:`\bar x \pm s` with :math:`s = \sqrt{\sum (x_j-\bar x)^2/(n-1)}`, and min and max.

    Args:
        train_fn: e.g. :func:`train_softmax` or :func:`train_mlp` (anything taking
            ``seed=`` and returning a result with array fields, or a dict).
        seeds: at least one int (use 3 or more; 5 to detect effects reliably).
        **kwargs: passed to ``train_fn`` unchanged.

    Examples:
        >>> runs = run_seeds(train_softmax, seeds=(0, 1, 2), schedule=0.1, num_epochs=2)
        >>> runs["test_accuracy"].shape, runs.final("test_accuracy").count
        ((3, 2), 3)

    References:
        Henderson et al. 2018, "Deep Reinforcement Learning that Matters" (report seeds
        and spread), https://arxiv.org/abs/1709.06560 ; Bouthillier et al. 2021,
        "Accounting for Variance in Machine Learning Benchmarks", https://arxiv.org/abs/2103.03098 .
    """
    if not callable(train_fn):
        raise ValueError(f"train_fn must be callable, got train_fn={train_fn!r}")
    seeds = _seed_list(seeds)
    return SeedRuns(tuple(seeds), tuple(train_fn(seed=s, **kwargs) for s in seeds))


@dataclass(frozen=True, eq=False)
class Comparison:
    """The outcome of :func:`compare_runs`; ``str()`` gives one readable sentence."""

    a: Spread
    b: Spread
    gap: float
    separated: bool
    better: Optional[str]
    chance: float
    higher_is_better: bool
    key: str

    @property
    def differ(self) -> bool:
        """True when every seed of one setting beat every seed of the other."""
        return self.separated

    def __str__(self) -> str:
        head = t("xp_cmp_head", metric=self.key, a=self.a, b=self.b, gap=f"{self.gap:+.3g}")
        if self.separated:
            worse = "a" if self.better == "b" else "b"
            return head + t("xp_cmp_differ", better=self.better, worse=worse, chance=f"{self.chance:.1%}")
        return head + t("xp_cmp_overlap")


def _pick_values(x, key, index):
    if isinstance(x, SeedRuns):
        v = x[key]
        return v.reshape(len(x), -1)[:, index]
    v = np.asarray(x, dtype=np.float64)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"values must be a SeedRuns or a non-empty 1-d array of per-seed values, got shape {v.shape}")
    return v


def compare_runs(a, b, key: str = "train_loss", *, index: int = -1,
                 higher_is_better: Optional[bool] = None) -> Comparison:
    r"""Do two settings differ by more than their seeds disagree? A simple, stated rule.

    **The rule.** The settings *differ* when their per-seed values do not overlap:
    every seed of one is better than every seed of the other. If both settings were
    really the same, all :math:`\binom{n_a+n_b}{n_a}` orderings of the pooled values
    would be equally likely, and only 2 of them separate, so

    .. math:: P(\text{separated by luck}) = 2 \Big/ \binom{n_a + n_b}{n_a}

    which is 10 % for 3 seeds against 3, 2.9 % for 4 against 4 and 0.8 % for 5
    against 5. It is the exact permutation test on the two ranges, and it ignores
    *how far apart* the values are, only whether they overlap. With 3 seeds a
    one-in-ten false alarm rate is the price; use 5 seeds when it matters. The
    means and spreads are reported too (``str()`` prints them), so a reader can
    also see the size of the gap.

    The count assumes the two sets of values are independent. When seed k is
    shared by both settings (same initial weights, same data order), the results
    come in pairs that may correlate: a positive correlation makes a separation
    by luck rarer than the figure above, a negative one more likely, up to
    :math:`2 / 2^n` for :math:`n` pairs (6.25 % for 5 seeds). Lesson 07 simulates it.

    A seed that diverged counts as the worst possible value (it beats nothing);
    the means and spreads are over the finite values, with the count shown.

    Args:
        a, b: :class:`SeedRuns` (then ``key`` and ``index`` pick the value: by default
            the last epoch's) or 1-d arrays of one value per seed.
        key: which field, e.g. ``"train_loss"`` or ``"test_accuracy"``.
        index: which entry of the field (``-1``: the last epoch).
        higher_is_better: default True when ``key`` contains "acc", else False (losses).

    Examples:
        >>> c = compare_runs([0.11, 0.12, 0.115], [0.20, 0.22, 0.21])
        >>> print(c.differ, c.better, f"{c.chance:.2f}")
        True a 0.10
        >>> print(compare_runs([0.11, 0.13, 0.12], [0.12, 0.125, 0.14]).differ)
        False

    References:
        Fisher 1935, *The Design of Experiments* (exact randomisation tests); Mann &
        Whitney 1947 (the rank-sum statistic; full separation is its extreme value).
    """
    hib = ("acc" in key) if higher_is_better is None else bool(higher_is_better)
    va = _pick_values(a, key, index).astype(np.float64)
    vb = _pick_values(b, key, index).astype(np.float64)
    worst = -np.inf if hib else np.inf
    ra = np.where(np.isfinite(va), va, worst)
    rb = np.where(np.isfinite(vb), vb, worst)
    sa, sb = Spread.of(va), Spread.of(vb)
    if hib:
        a_wins, b_wins = ra.min() > rb.max(), rb.min() > ra.max()
    else:
        a_wins, b_wins = ra.max() < rb.min(), rb.max() < ra.min()
    better = "a" if a_wins else "b" if b_wins else None
    chance = 2.0 / math.comb(len(va) + len(vb), len(va))
    return Comparison(sa, sb, float(sb.mean - sa.mean), bool(a_wins or b_wins), better, min(chance, 1.0),
                      hib, key)


# --------------------------------------------------------------------------- learning-rate range test


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


@_one_blas_thread
def lr_range_test(model: str = "softmax", start_lr: float = 1e-3, end_lr: float = 100.0,
                  num_iterations: int = 200, batch_size: int = 32, seed: int = 0, *, data=None,
                  hidden=(128,), momentum: float = 0.0, smoothing: float = 0.98,
                  divergence_factor: float = 4.0, skip_fraction: float = 0.1) -> RangeTestResult:
    r"""The learning-rate range test: ramp the learning rate up exponentially, watch the loss.

    One fresh model is trained for ``num_iterations`` minibatches (wrapping into
    more epochs if needed) with

    .. math:: \eta_k = \eta_{lo}\,(\eta_{hi}/\eta_{lo})^{k/(N-1)}

    (``lrlib.warmup(start_lr, end_lr, N - 1, shape="exponential")``). The minibatch
    losses are smoothed with a bias-corrected moving average
    :math:`s_k = \beta s_{k-1} + (1-\beta)\ell_k`, :math:`\hat s_k = s_k / (1-\beta^{k+1})`,
    and the test stops as soon as :math:`\hat s_k > r \cdot \min_{j \le k} \hat s_j`
    (``divergence_factor`` :math:`r`, 4 as in fastai) or the loss is not finite.

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
        model: ``"softmax"`` or ``"mlp"`` (with ``hidden``), as in :func:`train_softmax`
            and :func:`train_mlp`.
        start_lr, end_lr: :math:`\eta_{lo} < \eta_{hi}`.
        num_iterations: :math:`N` >= 2.
        batch_size, seed, data, momentum: as in :func:`train_softmax`.
        smoothing: :math:`\beta` in [0, 1).
        divergence_factor: :math:`r` > 1.
        skip_fraction: share of the first iterations ignored by the steepest-point rule.

    Examples:
        >>> r = lr_range_test("softmax", 1e-3, 1e2, num_iterations=200, seed=0)
        >>> print(r.diverged, r.stopped_at < 200, r.suggested_lr == r.lr_min_loss / 10)
        True True True

    References:
        Smith 2017, "Cyclical Learning Rates for Training Neural Networks",
        https://arxiv.org/abs/1506.01186 ; fastai ``LRFinder`` and ``lr_find``.
    """
    model = check.one_of("model", model, ("softmax", "mlp"))
    lo = check.positive("start_lr", start_lr)
    hi = check.positive("end_lr", end_lr)
    if not hi > lo:
        raise ValueError(f"end_lr must be > start_lr={lo!r}, got end_lr={end_lr!r}")
    n = check.integer("num_iterations", num_iterations, minimum=2)
    b = check.integer("batch_size", batch_size, minimum=1)
    s = check.integer("seed", seed, minimum=0)
    mom = check.in_range("momentum", momentum, 0.0, 1.0, high_open=True)
    beta = check.in_range("smoothing", smoothing, 0.0, 1.0, high_open=True)
    factor = check.in_range("divergence_factor", divergence_factor, 1.0, math.inf, low_open=True)
    skip = check.in_range("skip_fraction", skip_fraction, 0.0, 1.0, high_open=True)
    hidden = _hidden_sizes(hidden) if model == "mlp" else ()
    if data is None:
        data = load_digits_split(0)
    x_tr, y_tr = np.asarray(data[0], dtype=np.float64), np.asarray(data[2], dtype=np.int64)
    num, d = x_tr.shape
    k = int(max(np.max(y_tr), np.max(np.asarray(data[3])))) + 1
    ramp = warmup(lo, hi, n - 1, shape="exponential")(np.arange(n))

    init_ss, order_ss = np.random.SeedSequence(s).spawn(2)
    params = _init_layers([d, *hidden, k], np.random.default_rng(init_ss), np.float64, model == "softmax")
    order_rng = np.random.default_rng(order_ss)
    opt = _Optimizer(params, "sgd", mom, 0.0, (0.9, 0.999), 1e-8)
    raw = np.empty(n)
    smooth = np.empty(n)
    avg, best, diverged, done = 0.0, math.inf, False, 0
    xp = yp = None
    pos = num
    with np.errstate(all="ignore"):
        for i in range(n):
            if pos >= num:
                perm = order_rng.permutation(num)
                xp, yp, pos = x_tr[perm], y_tr[perm], 0
            xb, yb = xp[pos:pos + b], yp[pos:pos + b]
            pos += b
            loss, grads = _loss_and_grads(params, xb, yb, np.arange(len(yb)))
            raw[i] = loss
            avg = beta * avg + (1.0 - beta) * loss
            smooth[i] = avg / (1.0 - beta ** (i + 1))
            done = i + 1
            if not np.isfinite(smooth[i]) or smooth[i] > factor * best:
                diverged = True
                break
            best = min(best, smooth[i])
            opt.step(params, grads, float(ramp[i]))
    lrs, losses, raw = ramp[:done], smooth[:done], raw[:done]
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
        lrs=lrs, losses=losses, raw_losses=raw, diverged=diverged, stopped_at=done,
        lr_min_loss=float(lrs[i_min]), lr_steepest=float(lrs[i_steep]),
        lr_diverged=float(lrs[done - 1]) if diverged else None, suggested_lr=float(lrs[i_min]) / 10.0)
