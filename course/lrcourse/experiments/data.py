r"""The data the training experiments learn: scikit-learn's bundled 8×8 digits, split and standardized.

1,797 grey-level images of handwritten digits (64 pixels, 10 classes) ship inside
scikit-learn, so nothing is downloaded. :func:`load_digits_split` splits them
(stratified, 25 % held out, shuffled by ``numpy.random.default_rng(seed)``) and
standardizes every pixel with the *training* set's statistics,
:math:`x' = (x - \mu_{train}) / \sigma_{train}`. The result is a
:class:`DigitsSplit` ``(X_train, X_test, y_train, y_test)``; :func:`as_split` turns
any such 4-tuple (or ``None``: the default split) into arrays of one float type.

Examples:
    >>> d = load_digits_split(0)
    >>> d.X_train.shape, d.X_test.shape, int(d.y_train.max()) + 1
    ((1347, 64), (450, 64), 10)

References:
    Alpaydin & Kaynak 1998, UCI "Optical Recognition of Handwritten Digits";
    scikit-learn ``sklearn.datasets.load_digits``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from lrlib import _checks as check

__all__ = ["DigitsSplit", "load_digits_split", "as_split"]


class DigitsSplit(NamedTuple):
    """The digits split into standardized train and test arrays (in scikit-learn's order)."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


@lru_cache(maxsize=1)
def _digits_raw():
    from sklearn.datasets import load_digits  # lazy: importing the experiments loads numpy only

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


def as_split(data, dtype=np.float64) -> DigitsSplit:
    """``data`` as a :class:`DigitsSplit` of arrays: features in ``dtype``, labels int64.

    ``data`` is a :class:`DigitsSplit`, any ``(X_train, X_test, y_train, y_test)``, or
    ``None`` for ``load_digits_split(0)``, so seeds vary a run, not the split. Arrays
    already of the right type are used as they are (no copy).

    Examples:
        >>> s = as_split(None, np.float32)
        >>> s.X_train.dtype, s.y_train.dtype
        (dtype('float32'), dtype('int64'))
    """
    dt = np.dtype(dtype)
    if data is None:
        data = load_digits_split(0, dtype=dt)
    x_tr, x_te, y_tr, y_te = (np.asarray(a) for a in data)
    return DigitsSplit(x_tr.astype(dt, copy=False), x_te.astype(dt, copy=False),
                       y_tr.astype(np.int64, copy=False), y_te.astype(np.int64, copy=False))
