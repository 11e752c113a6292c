"""Small statistics shared by several subpackages (one implementation each)."""

from __future__ import annotations

import numpy as np

__all__ = ["weighted_mean"]


def weighted_mean(x, w=None) -> float:
    r"""Weighted arithmetic mean :math:`\sum_i w_i x_i / \sum_i w_i`.

    Parameters
    ----------
    x : array-like of float
        The values.
    w : array-like of float, optional
        One weight per value; ``None`` (default) gives equal weights.

    Returns
    -------
    float
        The weighted mean; NaN when there are no values or the weights sum to zero or less.

    Examples
    --------
    >>> weighted_mean([1.0, 4.0], [30.0, 10.0])
    1.75
    >>> weighted_mean([], [])
    nan
    """
    x = np.asarray(x, dtype=float)
    w = np.ones_like(x) if w is None else np.asarray(w, dtype=float)
    total = w.sum()
    if x.size == 0 or total <= 0:
        return float("nan")
    return float(np.dot(w, x) / total)
