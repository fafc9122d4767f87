r"""Small, seeded, fast experiments that show what a learning-rate schedule does.

Everything here runs offline on a laptop CPU in seconds, and the lessons import it
(``from lrcourse import experiments as xp``) rather than writing their own training
loops. One module per subject:

* :mod:`.quadratic`: the noisy quadratic model, exact (:func:`nqm_expected_loss`,
  :func:`nqm_noise_floor`) and sampled (:func:`nqm_sampled_loss`), and SGD on one
  coordinate (:func:`sgd_1d`, :func:`stationary_variance`).
* :mod:`.data`: scikit-learn's bundled 8×8 digits, split and standardized
  (:func:`load_digits_split`; no download).
* :mod:`.models`: softmax regression and a ReLU MLP (initialisation, forward pass,
  loss and gradients); :mod:`.optimizers`: SGD with momentum, and Adam.
* :mod:`.training`: the one training loop (:func:`~.training.fit`), its settings
  (:class:`TrainConfig`) and what a run records (:class:`TrainResult`), behind
  :func:`train_softmax` and :func:`train_mlp`.
* :mod:`.range_test`: the learning-rate range test (:func:`lr_range_test`), the same
  loop under an exponential ramp.
* :mod:`.seeds`: repeat a setting over seeds (:func:`run_seeds`), summarise the
  spread (:class:`Spread`) and compare two settings by a stated rule (:func:`compare_runs`).

A *schedule* is anything that maps a step to a learning rate: an lrlib
:class:`~lrlib.schedule.Schedule`, any callable (vectorised or scalar), or a plain
number for a constant learning rate. Training calls it in a *step unit* (``"epoch"``,
``"fractional_epoch"``, ``"iteration"``; :mod:`lrlib.units`), as the PyTorch adapter
and the plots do.

Importing this package loads numpy only; scikit-learn is imported when the digits
are first loaded. Nothing here raises on a diverging run: it stops, says so
(``diverged=True``) and leaves the missing epochs as NaN under that flag.

Examples:
    >>> import lrlib
    >>> from lrcourse import experiments as xp
    >>> runs = xp.run_seeds(xp.train_softmax, seeds=(0, 1, 2), schedule=lrlib.cosine_decay(0.5, 3), num_epochs=3)
    >>> runs["test_accuracy"].shape, bool(runs.final("test_accuracy").mean > 0.9)
    ((3, 3), True)

References:
    Zhang et al. 2019 (the noisy quadratic model), https://arxiv.org/abs/1907.04164 ;
    Smith 2017 (the range test), https://arxiv.org/abs/1506.01186 .
"""

from .data import DigitsSplit, load_digits_split
from .quadratic import nqm_expected_loss, nqm_noise_floor, nqm_sampled_loss, sgd_1d, stationary_variance
from .range_test import RangeTestResult, lr_range_test
from .seeds import Comparison, SeedRuns, Spread, compare_runs, run_seeds
from .training import TrainConfig, TrainResult, train_mlp, train_softmax

__all__ = [
    "nqm_expected_loss", "nqm_sampled_loss", "nqm_noise_floor",
    "stationary_variance", "sgd_1d",
    "DigitsSplit", "load_digits_split",
    "TrainConfig", "TrainResult", "train_softmax", "train_mlp",
    "Spread", "SeedRuns", "run_seeds", "Comparison", "compare_runs",
    "RangeTestResult", "lr_range_test",
]
