r"""The two models the lessons train: softmax regression and a ReLU multilayer perceptron.

Both are a list of parameters ``[W_1, b_1, ..., W_L, b_L]`` (numpy arrays, updated in
place by an optimizer) and the same three functions: :func:`forward` gives the logits,
:func:`loss_and_grads` the mean cross-entropy of a minibatch and its gradients by
backpropagation, :func:`evaluate` the loss and accuracy on a whole set.

* ``"softmax"``: :math:`p = \mathrm{softmax}(xW + b)`, one layer starting at
  :math:`W = 0`. The loss is convex, so only the step size and the gradient noise stand
  between SGD and the optimum.
* ``"mlp"``: :math:`p = \mathrm{softmax}\bigl(\max(0,\ xW_1 + b_1)\,W_2 + b_2\bigr)`, one
  hidden ReLU layer per entry of ``hidden``. Weights start He-normal,
  :math:`W \sim \mathcal N(0, 2/\text{fan\_in})`, in layers followed by a ReLU and
  :math:`\mathcal N(0, 1/\text{fan\_in})` in the output layer; biases start at 0.

The loss of a minibatch of :math:`B` examples with labels :math:`y_j` is
:math:`\ell = -\frac1B\sum_j \log p_{j, y_j}`, whose gradient with respect to the
logits is :math:`(p - \mathrm{onehot}(y)) / B`.

Examples:
    >>> import numpy as np
    >>> params = init_params("mlp", [64, 32, 10], np.random.default_rng(0))
    >>> [p.shape for p in params]
    [(64, 32), (32,), (32, 10), (10,)]
    >>> x, y = np.random.default_rng(1).standard_normal((5, 64)), np.array([0, 1, 2, 3, 4])
    >>> loss, grads = loss_and_grads(params, x, y)
    >>> bool(0 < loss < 10), [g.shape for g in grads] == [p.shape for p in params]
    (True, True)

References:
    He et al. 2015, "Delving Deep into Rectifiers" (He initialisation),
    https://arxiv.org/abs/1502.01852 ; Goodfellow, Bengio & Courville 2016, *Deep
    Learning*, §6.5 (back-propagation).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from lrlib import _checks as check

MODELS = ("softmax", "mlp")

__all__ = ["MODELS", "hidden_sizes", "init_params", "forward", "loss_and_grads", "evaluate"]


def hidden_sizes(model: str, hidden) -> tuple:
    """The widths of ``model``'s hidden layers, checked: ``()`` for softmax, at least one for an MLP.

    ``hidden`` is an int or a sequence of ints >= 1; ``None`` means the default,
    ``()`` for ``"softmax"`` and ``(128,)`` for ``"mlp"``.

    Examples:
        >>> hidden_sizes("mlp", 64), hidden_sizes("mlp", None), hidden_sizes("softmax", None)
        ((64,), (128,), ())
    """
    model = check.one_of("model", model, MODELS)
    if hidden is None:
        return () if model == "softmax" else (128,)
    try:
        widths = (hidden,) if isinstance(hidden, numbers.Integral) and not isinstance(hidden, bool) else tuple(hidden)
    except TypeError:
        raise ValueError(f"hidden must be an integer or a sequence of integers >= 1, got hidden={hidden!r}") from None
    out = tuple(check.integer(f"hidden[{i}]", h, minimum=1) for i, h in enumerate(widths))
    if model == "softmax" and out:
        raise ValueError(f"hidden must be () for model='softmax' (it has no hidden layer), got hidden={hidden!r}")
    if model == "mlp" and not out:
        raise ValueError(
            f"hidden must name at least one layer width for model='mlp' (softmax has none), got hidden={hidden!r}")
    return out


def init_params(model: str, sizes, rng, dtype=np.float64) -> list:
    """Fresh parameters for layer widths ``sizes = [inputs, *hidden, classes]``.

    ``"softmax"`` starts from zeros (``rng`` is not drawn from); ``"mlp"`` draws He-normal
    weights for layers followed by a ReLU and LeCun-normal ones for the output layer,
    layer by layer from ``rng``. Biases start at zero.
    """
    zero = check.one_of("model", model, MODELS) == "softmax"
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


def log_softmax(z):
    """:math:`z - \\log\\sum e^{z}` along each row, computed from ``z - max(z)`` (no overflow)."""
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def forward(params, x):
    """The logits of ``x`` and every layer's input (the activations the backward pass needs)."""
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


def loss_and_grads(params, x, y, rows=None):
    """The mean cross-entropy of the minibatch ``(x, y)`` and its gradient for every parameter.

    ``rows`` is ``np.arange(len(y))`` (passed in so a training loop makes it once).
    """
    if rows is None:
        rows = np.arange(len(y))
    logits, acts = forward(params, x)
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


def evaluate(params, x, y):
    """Mean cross-entropy, accuracy and log class probabilities on a whole set."""
    logits, _ = forward(params, x)
    logp = log_softmax(logits)
    loss = float(-logp[np.arange(len(y)), y].mean())
    acc = float((logits.argmax(axis=1) == y).mean())
    return loss, acc, logp
