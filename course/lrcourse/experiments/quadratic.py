r"""The noisy quadratic model and one-coordinate SGD: a schedule's effect, computed exactly.

The **noisy quadratic model** (NQM) of Zhang et al. (2019) is the loss
:math:`L(\theta) = \tfrac12 \sum_i h_i \theta_i^2` seen through noisy gradients
:math:`h_i\theta_i + \sqrt{c_i}\,\xi_i`, :math:`c_i = h_i / B`. SGD's mean and
variance then follow a closed recursion, so the *expected* loss under any schedule
is computed exactly, with no sampling and no seeds:

* :func:`nqm_expected_loss`: :math:`\mathbb{E}[L_t]` step by step (plain SGD or heavy-ball momentum);
* :func:`nqm_sampled_loss`: the actual noisy SGD, one curve per seed, scattering around it;
* :func:`nqm_noise_floor`: where a constant learning rate settles, :math:`\sum_i \eta c_i / (2(2 - \eta h_i))`.

With one coordinate, :func:`sgd_1d` simulates :math:`x \leftarrow x - \eta(hx + \sigma\xi)`
over seeds and :func:`stationary_variance` is its closed-form noise floor
:math:`\eta\sigma^2 / (h(2 - \eta h))`.

Examples:
    >>> import lrlib
    >>> T = 2000
    >>> const, cos = nqm_expected_loss([1.0, lrlib.cosine_decay(1.0, T)], T)[:, -1]
    >>> print(f"constant {const:.3f} (floor {nqm_noise_floor(1.0):.3f}), cosine {cos:.3f}")
    constant 0.279 (floor 0.277), cosine 0.062

References:
    Zhang et al. 2019, "Which Algorithmic Choices Matter at Which Batch Sizes? Insights
    From a Noisy Quadratic Model", https://arxiv.org/abs/1907.04164 ; Mandt, Hoffman &
    Blei 2017, "Stochastic Gradient Descent as Approximate Bayesian Inference",
    https://arxiv.org/abs/1704.04289 .
"""

from __future__ import annotations

import numpy as np

from lrlib import _checks as check

from ._inputs import lr_values, schedule_list, seed_list

__all__ = ["nqm_expected_loss", "nqm_sampled_loss", "nqm_noise_floor", "stationary_variance", "sgd_1d"]


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
    scheds, many = schedule_list(schedule)
    lrs = np.stack([lr_values(s, np.arange(n)) for s in scheds]).reshape(len(scheds), n)
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
    seeds = seed_list(seeds)
    h, c, m0, v0 = _nqm_problem(curvatures, batch_size, noise_var, init_mean, init_var)
    lrs = lr_values(schedule, np.arange(n)).tolist()
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
    seeds = seed_list(seeds)
    lrs = lr_values(schedule, np.arange(n))
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
