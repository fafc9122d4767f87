r"""The optimizers of the training experiments: SGD (with momentum) and Adam, updating in place.

Each takes the learning rate of the current iteration in :meth:`step`, so the
schedule stays outside the optimizer: the training loop looks it up per iteration.

* :class:`SGD`, PyTorch's form of momentum: :math:`u \leftarrow \beta u + g`,
  :math:`w \leftarrow w - \eta_k u` (plain SGD when :math:`\beta = 0`).
* :class:`Adam`, bias-corrected: :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`,
  :math:`v \leftarrow \beta_2 v + (1-\beta_2) g^2`,
  :math:`w \leftarrow w - \frac{\eta_k}{1-\beta_1^t}\, m / \bigl(\sqrt{v/(1-\beta_2^t)} + \epsilon\bigr)`.

Both add weight decay :math:`\lambda w` to the gradients of the weight matrices
(L2 regularisation, not the biases) before the update.

Examples:
    >>> import numpy as np
    >>> w = [np.ones((2, 2)), np.zeros(2)]
    >>> SGD(w, momentum=0.5).step(w, [np.ones((2, 2)), np.ones(2)], lr=0.1)
    >>> float(w[0][0, 0]), float(w[1][0])
    (0.9, -0.1)

References:
    Sutskever et al. 2013, "On the importance of initialization and momentum in deep
    learning"; Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization",
    https://arxiv.org/abs/1412.6980 ; PyTorch ``torch.optim.SGD`` and ``torch.optim.Adam``.
"""

from __future__ import annotations

import numpy as np

OPTIMIZERS = ("sgd", "adam")

__all__ = ["OPTIMIZERS", "SGD", "Adam", "make_optimizer"]


def _add_weight_decay(params, grads, weight_decay):
    """L2 on the weight matrices (even indices), not on the biases: ``g += lambda * w``."""
    for i in range(0, len(params), 2):
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


def make_optimizer(params, config):
    """The optimizer a :class:`~lrcourse.experiments.training.TrainConfig` asks for, on ``params``."""
    if config.optimizer == "adam":
        return Adam(params, config.betas, config.eps, config.weight_decay)
    return SGD(params, config.momentum, config.weight_decay)
