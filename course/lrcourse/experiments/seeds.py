r"""Seeds and honest summaries: run one setting over several seeds, and say whether two settings differ.

A single training run is one draw: its initial weights and minibatch order come
from a seed, and another seed gives another number. :func:`run_seeds` runs a
setting once per seed and keeps the results together (:class:`SeedRuns`);
:class:`Spread` summarises them as mean :math:`\bar x`, sample standard deviation
:math:`s = \sqrt{\sum_j (x_j - \bar x)^2 / (n-1)}`, min and max, counting only the
seeds that did not diverge. :func:`compare_runs` applies one stated rule: two
settings *differ* when every seed of one beats every seed of the other, which
happens by luck with probability :math:`2 / \binom{n_a + n_b}{n_a}` (10 % for 3
seeds against 3). ``str()`` of a :class:`Spread` or a :class:`Comparison` is a
sentence in the course's language.

Examples:
    >>> c = compare_runs([0.11, 0.12, 0.115], [0.20, 0.22, 0.21])
    >>> print(c.differ, c.better, f"{c.chance:.2f}", Spread.of([1.0, 2.0, 3.0]).std)
    True a 0.10 1.0

References:
    Henderson et al. 2018, "Deep Reinforcement Learning that Matters",
    https://arxiv.org/abs/1709.06560 ; Bouthillier et al. 2021, "Accounting for
    Variance in Machine Learning Benchmarks", https://arxiv.org/abs/2103.03098 ;
    Fisher 1935, *The Design of Experiments*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ..i18n import t
from ._inputs import seed_list

__all__ = ["Spread", "SeedRuns", "run_seeds", "Comparison", "compare_runs"]


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
        train_fn: e.g. :func:`~lrcourse.experiments.training.train_softmax` or
            :func:`~lrcourse.experiments.training.train_mlp` (anything taking
            ``seed=`` and returning a result with array fields, or a dict).
        seeds: at least one int (use 3 or more; 5 to detect effects reliably).
        **kwargs: passed to ``train_fn`` unchanged.

    Examples:
        >>> from lrcourse.experiments import train_softmax
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
    seeds = seed_list(seeds)
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
