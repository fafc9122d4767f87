r"""The one training loop of the experiments, its configuration and what a run records.

A run trains a fresh model (:mod:`.models`) on the digits (:mod:`.data`) by minibatch
SGD, Adam or AdamW (:mod:`.optimizers`), taking the learning rate from a schedule at every
iteration :math:`k` (counted from 0):

.. math:: w \leftarrow w - \eta_k\,\nabla_w \ell_k, \qquad \eta_k = \text{schedule}(\text{step}_k)

where :math:`\text{step}_k` is :func:`lrlib.units.step_of_iteration` of :math:`k` in the
run's ``step_unit``: :math:`\lfloor k/I \rfloor` (``"epoch"``), :math:`k/I`
(``"fractional_epoch"``) or :math:`k` (``"iteration"``), with :math:`I` iterations per
epoch. Every epoch visits the training set once in a fresh random order, in
:math:`I = \lceil n/B \rceil` minibatches (the last may be smaller).

* :class:`TrainConfig` holds every setting of a run but the schedule and the data,
  checked once when it is built.
* :func:`fit` is the loop itself. It reports each minibatch's loss and the end of each
  epoch to a :class:`Monitor`, which records what it needs and says when to stop.
  Training (:func:`train_softmax`, :func:`train_mlp`) and the learning-rate range test
  (:func:`~lrcourse.experiments.range_test.lr_range_test`) are two monitors on it.
* :class:`TrainResult` is what a training run recorded.

Examples:
    >>> import lrlib
    >>> config = TrainConfig(model="mlp", hidden=64, num_epochs=3, seed=0)
    >>> r = train_mlp(lrlib.cosine_decay(0.3, 3), config=config)
    >>> r.diverged, r.lr.shape, bool(r.test_accuracy[-1] > 0.9)
    (False, (129,), True)
    >>> same = train_mlp(lrlib.cosine_decay(0.3, 3), num_epochs=3, hidden=64)  # the same settings as keywords
    >>> bool(same.test_accuracy[-1] == r.test_accuracy[-1])
    True

References:
    Bottou, Curtis & Nocedal 2018, "Optimization Methods for Large-Scale Machine
    Learning", https://arxiv.org/abs/1606.04838 ; Goyal et al. 2017, "Accurate, Large
    Minibatch SGD", https://arxiv.org/abs/1706.02677 .
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass, fields
from functools import wraps
from typing import NamedTuple, Optional

import numpy as np

from lrlib import _checks as check
from lrlib.units import STEP_UNITS, step_of_iteration

from ._inputs import lr_values
from .data import DigitsSplit, as_split
from .models import MODELS, evaluate, hidden_sizes, init_params, loss_and_grads
from .optimizers import OPTIMIZERS, make_optimizer

__all__ = ["TrainConfig", "TrainResult", "Monitor", "Fitted", "fit", "train_softmax", "train_mlp"]


_MODEL_DOC = r"""
        model: ``"softmax"`` (softmax regression) or ``"mlp"`` (ReLU layers of widths ``hidden``)."""
_HIDDEN_DOC = r"""
        hidden: the hidden layers' widths, an int or a tuple of ints (default ``(128,)`` for
            an MLP; softmax has none)."""
_RUN_DOC = r"""
        num_epochs: passes over the training set.
        batch_size: :math:`B`; an epoch has :math:`\lceil n/B \rceil` iterations (the
            last minibatch may be smaller).
        seed: draws the initial weights and the minibatch order, from two independent
            streams (so for one seed every model sees the same minibatch order).
        step_unit: what the schedule's step counts (:data:`lrlib.units.STEP_UNITS`):
            ``"fractional_epoch"`` (``k / iters_per_epoch``: a schedule with lengths in
            epochs that still changes every iteration; the default), ``"epoch"`` (the
            whole epoch, constant within it, as in the YOLO training scripts) or
            ``"iteration"`` (0, 1, 2, ...).
        momentum: :math:`\beta` in [0, 1) for SGD (PyTorch's form, :math:`u \leftarrow \beta u + g`,
            :math:`w \leftarrow w - \eta u`).
        weight_decay: :math:`\lambda` >= 0, L2 added to the weight matrices' gradients (not the
            biases'); under ``"adamw"`` decoupled instead, the weight matrices shrunk by
            :math:`1 - \eta_k\lambda` every step.
        optimizer: ``"sgd"``, ``"adam"`` (with ``betas`` and ``eps``, bias-corrected) or
            ``"adamw"`` (Adam with decoupled weight decay).
        betas: Adam's and AdamW's :math:`(\beta_1, \beta_2)`, each in [0, 1).
        eps: Adam's and AdamW's :math:`\epsilon` > 0.
        divergence_factor: stop and flag ``diverged`` when a minibatch loss, or the
            training loss after an epoch, is non-finite or above this many times the
            initial training loss (> 1; default 100, about 230 for 10 classes).
        record_test_probs: keep the test-set class probabilities after every epoch (for
            snapshot ensembles).
        dtype: ``np.float64`` (default) or ``np.float32``."""


@dataclass(frozen=True)
class TrainConfig:
    model: str = "softmax"
    hidden: Optional[tuple] = None
    num_epochs: int = 10
    batch_size: int = 32
    seed: int = 0
    step_unit: str = "fractional_epoch"
    momentum: float = 0.0
    weight_decay: float = 0.0
    optimizer: str = "sgd"
    betas: tuple = (0.9, 0.999)
    eps: float = 1e-8
    divergence_factor: float = 100.0
    record_test_probs: bool = False
    dtype: np.dtype = np.dtype(np.float64)

    def __post_init__(self):
        def keep(name, value):
            object.__setattr__(self, name, value)

        model = check.one_of("model", self.model, MODELS)
        keep("hidden", hidden_sizes(model, self.hidden))
        keep("num_epochs", check.integer("num_epochs", self.num_epochs, minimum=1))
        keep("batch_size", check.integer("batch_size", self.batch_size, minimum=1))
        keep("seed", check.integer("seed", self.seed, minimum=0))
        keep("step_unit", check.one_of("step_unit", self.step_unit, STEP_UNITS))
        keep("momentum", check.in_range("momentum", self.momentum, 0.0, 1.0, high_open=True))
        keep("weight_decay", check.non_negative("weight_decay", self.weight_decay))
        keep("optimizer", check.one_of("optimizer", self.optimizer, OPTIMIZERS))
        betas = self.betas
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise ValueError(f"betas must be a pair (beta1, beta2), got betas={betas!r}")
        keep("betas", tuple(check.in_range(f"betas[{i}]", v, 0.0, 1.0, high_open=True) for i, v in enumerate(betas)))
        keep("eps", check.positive("eps", self.eps))
        keep("divergence_factor",
             check.in_range("divergence_factor", self.divergence_factor, 1.0, math.inf, low_open=True))
        if not isinstance(self.record_test_probs, (bool, np.bool_)):
            raise ValueError(f"record_test_probs must be True or False, got record_test_probs={self.record_test_probs!r}")
        keep("record_test_probs", bool(self.record_test_probs))
        try:
            dt = np.dtype(self.dtype)
        except TypeError:
            dt = None
        if dt is None or dt.kind != "f":
            raise ValueError(f"dtype must be a float type (np.float64 or np.float32), got dtype={self.dtype!r}")
        keep("dtype", dt)

    def replace(self, **changes) -> "TrainConfig":
        """A copy with some fields changed (checked again), e.g. ``config.replace(seed=3)``."""
        return dataclasses.replace(self, **changes)


TrainConfig.__doc__ = r"""Every setting of a training run but the schedule and the data; checked once, when built.

    A frozen dataclass: build one, keep it, vary it with :meth:`replace`, and pass it
    as ``config=`` to :func:`train_softmax`, :func:`train_mlp` or
    :func:`~lrcourse.experiments.range_test.lr_range_test`. Each field is checked
    when the config is built, and a bad one raises ``ValueError`` naming the field,
    the value and the rule (``num_epochs must be an integer >= 1, got num_epochs=0``);
    fields are stored normalised (``hidden=64`` becomes ``(64,)``, ``dtype`` a numpy dtype).

    Attributes:""" + _MODEL_DOC + _HIDDEN_DOC + _RUN_DOC + r"""

    Examples:
        >>> c = TrainConfig(model="mlp", hidden=64, num_epochs=8)
        >>> c.hidden, c.replace(seed=3).seed, c.step_unit
        ((64,), 3, 'fractional_epoch')
        >>> try:
        ...     TrainConfig(num_epochs=0)
        ... except ValueError as error:
        ...     print(error)
        num_epochs must be an integer >= 1, got num_epochs=0

    References:
        The same idea as a ``TrainingArguments`` object in Hugging Face transformers or
        a config dataclass in most training scripts: settings in one checked value.
    """


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
        """The (fractional) epoch of every iteration, :math:`k / I`: the x axis of ``lr`` and ``batch_loss``."""
        return step_of_iteration(np.arange(len(self.lr)), "fractional_epoch", self.iters_per_epoch)

    def as_dict(self) -> dict:
        """The fields as a plain dict."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __repr__(self) -> str:
        state = f"diverged at iteration {self.diverged_at}" if self.diverged else (
            f"train_loss={self.train_loss[-1]:.4f}, test_accuracy={self.test_accuracy[-1]:.4f}")
        return f"<TrainResult seed={self.seed}, {len(self.train_loss)} epochs, {state}>"


# --------------------------------------------------------------------------- the loop


class Monitor:
    """What :func:`fit` reports to. Subclass it to record a run or to stop it early.

    The loop calls :meth:`begin` once, then for every iteration :meth:`start_epoch` (at
    an epoch's first minibatch), :meth:`minibatch` (after the loss, before the update)
    and :meth:`end_epoch` (after an epoch's last update). Returning True from
    :meth:`minibatch` or :meth:`end_epoch` stops the run there. This base class
    records nothing and never stops.
    """

    def begin(self, params: list, data: DigitsSplit, lr: np.ndarray, iters_per_epoch: int) -> None:
        """Before the first iteration: the fresh parameters, the data, the planned learning rates."""

    def start_epoch(self, epoch: int, params: list) -> None:
        """Before the first minibatch of epoch ``epoch`` (from 0)."""

    def minibatch(self, iteration: int, loss: float) -> bool:
        """The loss of iteration ``iteration``'s minibatch, before its update; True stops (no update)."""
        return False

    def end_epoch(self, epoch: int, params: list, iterations: int) -> bool:
        """After epoch ``epoch``'s last update (``iterations`` updates so far); True stops."""
        return False


class Fitted(NamedTuple):
    """What :func:`fit` returns: the final parameters, the planned learning rates and the updates made."""

    params: list
    lr: np.ndarray
    iters_per_epoch: int
    updates: int


def one_blas_thread(fn):
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


def _epochs(params, optimizer, x, y, batch_size: int, rng, lr: list, monitor: Monitor) -> int:
    """The loop proper: epochs of minibatches until ``len(lr)`` iterations or the monitor says stop.

    Each epoch draws a fresh permutation of the training set from ``rng`` and cuts it
    into consecutive minibatches (the last may be smaller). Returns the updates made.
    """
    n, total, k = len(y), len(lr), 0
    rows = np.arange(batch_size)
    for epoch in itertools.count():
        if k == total:
            return k
        monitor.start_epoch(epoch, params)
        perm = rng.permutation(n)
        xp, yp = x[perm], y[perm]
        for start in range(0, n, batch_size):
            if k == total:  # the run ends inside this epoch (a range test)
                return k
            xb, yb = xp[start:start + batch_size], yp[start:start + batch_size]
            loss, grads = loss_and_grads(params, xb, yb, rows[:len(yb)])
            if monitor.minibatch(k, loss):
                return k
            optimizer.step(params, grads, lr[k])
            k += 1
        if monitor.end_epoch(epoch, params, k):
            return k


@one_blas_thread
def fit(schedule, config: TrainConfig, data=None, monitor: Optional[Monitor] = None, *,
        num_iterations: Optional[int] = None) -> Fitted:
    r"""Train a fresh model from ``config`` on ``data`` under ``schedule``: the experiments' one loop.

    For :math:`k = 0, 1, \dots` up to ``config.num_epochs`` epochs (or
    ``num_iterations`` iterations, which may end inside an epoch): take the next
    minibatch, compute its loss and gradients, report the loss to ``monitor``, and
    unless it says stop, update the weights with :math:`\eta_k = \text{schedule}(\text{step}_k)`,
    :math:`\text{step}_k` = ``step_of_iteration(k, config.step_unit, iters_per_epoch)``.

    ``config.seed`` seeds two independent streams (``SeedSequence(seed).spawn(2)``): the
    initial weights and the minibatch order. So two runs with the same seed see the
    same minibatches in the same order whatever their schedule, model or optimizer.

    Args:
        schedule: the learning rate (a Schedule, a callable or a number), called in ``config.step_unit``.
        config: a :class:`TrainConfig`.
        data: a :class:`~lrcourse.experiments.data.DigitsSplit` or a 4-tuple; default the digits split 0.
        monitor: a :class:`Monitor` (default: one that records nothing).
        num_iterations: run this many iterations instead of ``config.num_epochs`` epochs.

    Returns:
        :class:`Fitted` ``(params, lr, iters_per_epoch, updates)``.

    Examples:
        >>> f = fit(0.1, TrainConfig(num_epochs=1, batch_size=100))
        >>> f.iters_per_epoch, f.updates, [p.shape for p in f.params]
        (14, 14, [(64, 10), (10,)])

    References:
        Robbins & Monro 1951, "A Stochastic Approximation Method"; Bottou, Curtis &
        Nocedal 2018, https://arxiv.org/abs/1606.04838 .
    """
    if not isinstance(config, TrainConfig):
        raise ValueError(f"config must be a TrainConfig, got config={config!r}")
    monitor = Monitor() if monitor is None else monitor
    split = as_split(data, config.dtype)
    x, y = split.X_train, split.y_train
    n, d = x.shape
    classes = int(max(y.max(), split.y_test.max())) + 1
    b = config.batch_size
    ipe = -(-n // b)
    total = config.num_epochs * ipe if num_iterations is None else check.integer(
        "num_iterations", num_iterations, minimum=1)
    lrs = lr_values(schedule, step_of_iteration(np.arange(total), config.step_unit, ipe))

    init_ss, order_ss = np.random.SeedSequence(config.seed).spawn(2)
    params = init_params(config.model, [d, *config.hidden, classes], np.random.default_rng(init_ss), config.dtype)
    optimizer = make_optimizer(params, config)
    monitor.begin(params, split, lrs, ipe)
    with np.errstate(all="ignore"):
        updates = _epochs(params, optimizer, x, y, b, np.random.default_rng(order_ss), lrs.tolist(), monitor)
    return Fitted(params, lrs, ipe, updates)


# --------------------------------------------------------------------------- training


class _History(Monitor):
    """Training's monitor: every minibatch's loss, the whole sets' loss and accuracy after each
    epoch, and the divergence rule (stop when a loss is not <= ``divergence_factor`` times the
    initial training loss)."""

    def __init__(self, config: TrainConfig):
        self.config = config

    def begin(self, params, data, lr, iters_per_epoch):
        e = self.config.num_epochs
        self.data = data
        self.curves = {key: np.full(e, np.nan) for key in ("train_loss", "train_accuracy", "test_loss",
                                                             "test_accuracy")}
        self.batch_loss = np.full(len(lr), np.nan)
        self.weight_change = np.full((e, len(params) // 2), np.nan)
        classes = params[-1].shape[0]
        self.probs = np.full((e, len(data.y_test), classes), np.nan) if self.config.record_test_probs else None
        self.limit = self.config.divergence_factor * evaluate(params, data.X_train, data.y_train)[0]
        self.diverged_at = None

    def start_epoch(self, epoch, params):
        self.before = [p.copy() for p in params[0::2]]

    def minibatch(self, iteration, loss):
        self.batch_loss[iteration] = loss
        if not (loss <= self.limit):  # also catches NaN
            self.diverged_at = iteration
            return True
        return False

    def end_epoch(self, epoch, params, iterations):
        tr_loss, tr_acc, _ = evaluate(params, self.data.X_train, self.data.y_train)
        if not (tr_loss <= self.limit):
            self.diverged_at = iterations - 1
            return True
        te_loss, te_acc, logp = evaluate(params, self.data.X_test, self.data.y_test)
        for key, value in zip(self.curves, (tr_loss, tr_acc, te_loss, te_acc)):
            self.curves[key][epoch] = value
        self.weight_change[epoch] = [float(np.linalg.norm(p - q)) for p, q in zip(params[0::2], self.before)]
        if self.probs is not None:
            self.probs[epoch] = np.exp(logp)
        return False

    def result(self, fitted: Fitted) -> TrainResult:
        at = self.diverged_at
        if at is not None and not np.isfinite(self.batch_loss[at]):
            self.batch_loss[at] = np.inf
        return TrainResult(**self.curves, lr=fitted.lr, batch_loss=self.batch_loss,
                           weight_change=self.weight_change, test_probs=self.probs, diverged=at is not None,
                           diverged_at=at, iters_per_epoch=fitted.iters_per_epoch, seed=self.config.seed)


def train(schedule, config: TrainConfig, data=None) -> TrainResult:
    """Train under ``schedule`` as ``config`` says and record the run (see :func:`train_softmax`)."""
    history = _History(config)
    return history.result(fit(schedule, config, data, history))


class NotGiven:
    """A keyword argument's default that remembers it was not passed (its repr is the default's).

    Lets ``train_softmax(schedule, config=c, seed=3)`` take the seed from the call and
    everything else from ``c``, while ``help()`` still shows ``seed=0``.
    """

    def __init__(self, value):
        self.value = value

    def __repr__(self) -> str:
        return repr(self.value)


def _default(field: str, model: str = "softmax") -> NotGiven:
    return NotGiven(getattr(TrainConfig(model=model), field))


def configure(config: Optional[TrainConfig], options: dict, *, model: Optional[str] = None) -> TrainConfig:
    """The config of a call: ``config`` (default ``TrainConfig()``) with the options the call passed on top.

    Options still :class:`NotGiven` are left as ``config`` has them. A call that changes
    the model without passing ``hidden`` gets the new model's default widths. ``model``
    is the model a function trains (``train_softmax``, ``train_mlp``): a config for
    another model is refused rather than silently retrained as this one.
    """
    given = {name: value for name, value in options.items() if not isinstance(value, NotGiven)}
    if config is None:
        return TrainConfig(**given)
    if not isinstance(config, TrainConfig):
        raise ValueError(f"config must be a TrainConfig, got config={config!r}")
    if model is not None and config.model != model:
        raise ValueError(f"config.model must be {model!r} here (use train_{config.model} for "
                         f"model={config.model!r}), got config.model={config.model!r}")
    if given.get("model", config.model) != config.model:
        given.setdefault("hidden", None)
    return config.replace(**given) if given else config


def train_softmax(schedule, num_epochs: int = _default("num_epochs"), batch_size: int = _default("batch_size"),
                  seed: int = _default("seed"), *, data=None, step_unit: str = _default("step_unit"),
                  momentum: float = _default("momentum"), weight_decay: float = _default("weight_decay"),
                  optimizer: str = _default("optimizer"), betas=_default("betas"), eps: float = _default("eps"),
                  divergence_factor: float = _default("divergence_factor"),
                  record_test_probs: bool = _default("record_test_probs"), dtype=_default("dtype"),
                  config: Optional[TrainConfig] = None) -> TrainResult:
    options = dict(model="softmax", num_epochs=num_epochs, batch_size=batch_size, seed=seed, step_unit=step_unit,
                   momentum=momentum, weight_decay=weight_decay, optimizer=optimizer, betas=betas, eps=eps,
                   divergence_factor=divergence_factor, record_test_probs=record_test_probs, dtype=dtype)
    return train(schedule, configure(config, options, model="softmax"), data)


def train_mlp(schedule, num_epochs: int = _default("num_epochs"), batch_size: int = _default("batch_size"),
              seed: int = _default("seed"), *, hidden=_default("hidden", "mlp"), data=None,
              step_unit: str = _default("step_unit"), momentum: float = _default("momentum"),
              weight_decay: float = _default("weight_decay"), optimizer: str = _default("optimizer"),
              betas=_default("betas"), eps: float = _default("eps"),
              divergence_factor: float = _default("divergence_factor"),
              record_test_probs: bool = _default("record_test_probs"), dtype=_default("dtype"),
              config: Optional[TrainConfig] = None) -> TrainResult:
    options = dict(model="mlp", hidden=hidden, num_epochs=num_epochs, batch_size=batch_size, seed=seed, step_unit=step_unit,
                   momentum=momentum, weight_decay=weight_decay, optimizer=optimizer, betas=betas, eps=eps,
                   divergence_factor=divergence_factor, record_test_probs=record_test_probs, dtype=dtype)
    return train(schedule, configure(config, options, model="mlp"), data)


def _train_args(hidden: bool) -> str:
    """The ``Args`` and ``Returns`` of :func:`train_softmax` (``hidden=False``) and :func:`train_mlp`."""
    return r"""
    Args:
        schedule: the learning rate (a Schedule, a callable or a number), called in
            ``step_unit``.""" + (_HIDDEN_DOC if hidden else "") + r"""
        data: a :class:`~lrcourse.experiments.data.DigitsSplit` (or any
            ``(X_train, X_test, y_train, y_test)``); default ``load_digits_split(0)``, so
            seeds vary the run, not the split.
        config: a :class:`TrainConfig` holding the settings below; the ones passed as
            keyword arguments too are taken from the call (so ``run_seeds`` can vary
            ``seed``).""" + _RUN_DOC + r"""

    Returns:
        A :class:`TrainResult`. A run that diverges stops there and never raises.
"""


train_softmax.__doc__ = r"""Softmax regression on the digits, trained by minibatch SGD under a schedule.

    The model is :math:`p = \mathrm{softmax}(xW + b)`, starting from :math:`W = 0`, with
    the cross-entropy :math:`\ell = -\frac1B\sum_j \log p_{j, y_j}` of each minibatch and
    the update

    .. math:: W \leftarrow W - \eta_k \nabla_W \ell, \qquad \eta_k = \text{schedule}(\text{step}_k)

    where :math:`\text{step}_k` is iteration :math:`k` in ``step_unit``. The loss is
    convex, so all that stands between SGD and the optimum is the step size and the
    gradient noise: exactly what a schedule trades off. The settings are those of
    :class:`TrainConfig` (``model="softmax"``, no ``hidden``):
""" + _train_args(hidden=False) + r"""
    Examples:
        >>> import lrlib
        >>> r = train_softmax(lrlib.cosine_decay(0.5, 5), num_epochs=5, batch_size=32, seed=0)
        >>> print(r.diverged, r.test_accuracy[-1] > 0.9, r.lr.shape)
        False True (215,)
        >>> c = TrainConfig(num_epochs=5, batch_size=32)
        >>> bool(train_softmax(lrlib.cosine_decay(0.5, 5), config=c).test_accuracy[-1] == r.test_accuracy[-1])
        True

    References:
        Goyal et al. 2017, https://arxiv.org/abs/1706.02677 ; Bottou, Curtis & Nocedal 2018,
        "Optimization Methods for Large-Scale Machine Learning", https://arxiv.org/abs/1606.04838 .
    """

train_mlp.__doc__ = r"""A ReLU multilayer perceptron on the digits, trained by minibatch SGD under a schedule.

    With one hidden layer (the default, 128 units)

    .. math:: p = \mathrm{softmax}\bigl(\max(0,\ xW_1 + b_1)\,W_2 + b_2\bigr)

    and ``hidden=(128, 128, 128, 128)`` stacks four. Weights start He-normal,
    :math:`W \sim \mathcal N(0, 2/\text{fan\_in})`, in layers followed by a ReLU and
    :math:`\mathcal N(0, 1/\text{fan\_in})` in the output layer, drawn from ``seed``;
    biases start at 0. Loss and updates are as in :func:`train_softmax`. The settings
    are those of :class:`TrainConfig` (``model="mlp"``):
""" + _train_args(hidden=True) + r"""
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
