r"""The optimizers of the training experiments: SGD (with momentum), Adam and AdamW, updating in place.

Each takes the learning rate of the current iteration in :meth:`step`, so the
schedule stays outside the optimizer: the training loop looks it up per iteration.

* :class:`SGD`, PyTorch's form of momentum: :math:`u \leftarrow \beta u + g`,
  :math:`w \leftarrow w - \eta_k u` (plain SGD when :math:`\beta = 0`).
* :class:`Adam`, bias-corrected: :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`,
  :math:`v \leftarrow \beta_2 v + (1-\beta_2) g^2`,
  :math:`w \leftarrow w - \frac{\eta_k}{1-\beta_1^t}\, m / \bigl(\sqrt{v/(1-\beta_2^t)} + \epsilon\bigr)`.

* :class:`AdamW`, Adam with *decoupled* weight decay: the same :math:`m`, :math:`v`, and
  :math:`w \leftarrow (1 - \eta_k\lambda)\,w - \frac{\eta_k}{1-\beta_1^t}\, m / \bigl(\sqrt{v/(1-\beta_2^t)} + \epsilon\bigr)`.

SGD and Adam add weight decay :math:`\lambda w` to the gradients of the weight matrices
(L2 regularisation, not the biases) before the update; under Adam that term then passes
through the adaptive denominator. AdamW instead shrinks the weight matrices (not the
biases) by the factor :math:`1 - \eta_k\lambda` and leaves the gradients alone, so the
shrink per step follows the learning rate's schedule.

Examples:
    >>> import numpy as np
    >>> w = [np.ones((2, 2)), np.zeros(2)]
    >>> SGD(w, momentum=0.5).step(w, [np.ones((2, 2)), np.ones(2)], lr=0.1)
    >>> float(w[0][0, 0]), float(w[1][0])
    (0.9, -0.1)
    >>> w = [np.ones((1, 1)), np.zeros(1)]
    >>> AdamW(w, weight_decay=0.5).step(w, [np.ones((1, 1)), np.ones(1)], lr=0.1)
    >>> print(f"{w[0][0, 0]:.6f} {w[1][0]:.6f}")  # (1 - 0.1 * 0.5) * 1 - 0.1 * 1/(1 + 1e-8); 0 - 0.1
    0.850000 -0.100000

References:
    Sutskever et al. 2013, "On the importance of initialization and momentum in deep
    learning"; Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization",
    https://arxiv.org/abs/1412.6980 ; Loshchilov & Hutter 2019, "Decoupled Weight Decay
    Regularization", https://arxiv.org/abs/1711.05101 ; PyTorch ``torch.optim.SGD``,
    ``torch.optim.Adam`` and ``torch.optim.AdamW``.
"""

from __future__ import annotations

import numpy as np

OPTIMIZERS = ("sgd", "adam", "adamw")

__all__ = ["OPTIMIZERS", "SGD", "Adam", "AdamW", "make_optimizer"]


def _weight_matrices(params) -> range:
    """The indices of the weight matrices in ``params`` (even: ``[W1, b1, W2, b2, ...]``); weight decay skips the biases."""
    return range(0, len(params), 2)


def _add_weight_decay(params, grads, weight_decay):
    """L2 on the weight matrices, not on the biases: ``g += lambda * w``."""
    for i in _weight_matrices(params):
        grads[i] = grads[i] + weight_decay * params[i]


class SGD:
    """Minibatch SGD with optional momentum :math:`\\beta` and weight decay :math:`\\lambda`."""

    def __init__(self, params, momentum: float = 0.0, weight_decay: float = 0.0):
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.buf = [np.zeros_like(p) for p in params] if momentum else None

    def step(self, params, grads, lr: float) -> None:
        """Update ``params`` in place with ``grads`` (which may be modified) and learning rate ``lr``."""
        if self.weight_decay:
            _add_weight_decay(params, grads, self.weight_decay)
        if self.momentum:
            for p, g, b in zip(params, grads, self.buf):
                b *= self.momentum
                b += g
                p -= lr * b
        else:
            for p, g in zip(params, grads):
                p -= lr * g


class Adam:
    """Adam with bias correction, ``betas`` :math:`(\\beta_1, \\beta_2)`, ``eps`` and weight decay."""

    def __init__(self, params, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0):
        self.b1, self.b2 = betas
        self.eps = eps
        self.weight_decay = weight_decay
        self.t = 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, params, grads, lr: float) -> None:
        """Update ``params`` in place with ``grads`` (which may be modified) and learning rate ``lr``."""
        if self.weight_decay:
            _add_weight_decay(params, grads, self.weight_decay)
        self._adam_step(params, grads, lr)

    def _adam_step(self, params, grads, lr: float) -> None:
        """The bias-corrected moment update and step, on whatever ``grads`` now hold."""
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


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter): the decay skips the adaptive denominator.

    .. math::
        w \leftarrow w - \eta_k \Bigl(\frac{\hat m}{\sqrt{\hat v} + \epsilon} + \lambda w\Bigr),
        \qquad \hat m = \frac{m}{1-\beta_1^t},\quad \hat v = \frac{v}{1-\beta_2^t}

    where :math:`m, v` are Adam's moving averages of :math:`g` and :math:`g^2`,
    :math:`\eta_k` the learning rate of this step and :math:`\lambda` ``weight_decay``,
    applied to the weight matrices (even indices), not the biases. The decay part is the
    factor :math:`1 - \eta_k\lambda` per step, whatever the gradients: a schedule that
    lowers :math:`\eta_k` lowers the decay with it. PyTorch's ``torch.optim.AdamW`` does
    the same (its ``weight_decay`` applies to every parameter of a group, so put the
    biases in a group with ``weight_decay=0`` to compare).

    Examples:
        >>> import numpy as np
        >>> w = [np.full((1, 1), 2.0), np.zeros(1)]
        >>> opt = AdamW(w, weight_decay=0.1)
        >>> opt.step(w, [np.zeros((1, 1)), np.zeros(1)], lr=0.5)  # no gradient: only the decay acts
        >>> print(f"{w[0][0, 0]:.4f}")  # 2 * (1 - 0.5 * 0.1)
        1.9000

    References:
        Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization",
        https://arxiv.org/abs/1711.05101 ; PyTorch ``torch.optim.AdamW``.
    """

    def step(self, params, grads, lr: float) -> None:
        """Shrink the weight matrices by ``1 - lr * weight_decay``, then take Adam's step (no L2 in ``grads``)."""
        if self.weight_decay:
            shrink = 1.0 - lr * self.weight_decay
            for i in _weight_matrices(params):
                params[i] *= shrink
        self._adam_step(params, grads, lr)


def make_optimizer(params, config):
    """The optimizer a :class:`~lrcourse.experiments.training.TrainConfig` asks for, on ``params``."""
    if config.optimizer == "adamw":
        return AdamW(params, config.betas, config.eps, config.weight_decay)
    if config.optimizer == "adam":
        return Adam(params, config.betas, config.eps, config.weight_decay)
    return SGD(params, config.momentum, config.weight_decay)
