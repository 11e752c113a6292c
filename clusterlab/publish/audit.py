"""The attacker: feasible intervals of hidden values given everything published (LP).

An intruder who sees every published number of a publication knows a set of linear equations
and inequalities over the hidden values (a total equals the sum of its cells, a mean times a
count is a cell total, a density times the number of pairs is a number of ties) and their
lower bounds (counts and magnitudes are non-negative; a hidden count is at least 1, because
empty cells are published). The narrowest statement he can make about one hidden value
:math:`x_j` is the interval

.. math:: \\Big[\\min_{x \\in P} x_j,\\ \\max_{x \\in P} x_j\\Big], \\qquad
          P = \\{x : A_{eq} x = b_{eq},\\ A_{ub} x \\le b_{ub},\\ x \\ge l\\},

two linear programmes per value (Hundepool et al. 2012, section 4.3.2, "audit" of a
suppression pattern). :func:`feasible_intervals` solves them with
:func:`scipy.optimize.linprog` (HiGHS).

A sensitive value :math:`v` is *protected* with margin :math:`p` (default 10 %) when the
interval reaches :math:`(1-p)v` below and :math:`(1+p)v` above (the upper and lower protection
levels of the same reference). A hidden *count* is protected when the interval is at least
``max(1, 2 p v)`` wide (it contains another possible count).

Examples
--------
>>> import numpy as np
>>> # x0 + x1 = 10 published; x0 >= 0, x1 >= 0
>>> lo, hi = feasible_intervals(np.array([[1.0, 1.0]]), np.array([10.0]), n=2)
>>> lo.tolist(), hi.tolist()
([0.0, 0.0], [10.0, 10.0])
>>> # and x0 - x1 = 4 also published: both are pinned down
>>> lo, hi = feasible_intervals(np.array([[1.0, 1.0], [1.0, -1.0]]), np.array([10.0, 4.0]), n=2)
>>> np.round(lo, 6).tolist(), np.round(hi, 6).tolist()
([7.0, 3.0], [7.0, 3.0])
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

__all__ = ["feasible_intervals", "is_protected"]


def feasible_intervals(a_eq=None, b_eq=None, a_ub=None, b_ub=None, *, n: int, lower=None,
                       upper=None, only=None) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest value of each variable over the feasible set.

    Parameters
    ----------
    a_eq, b_eq, a_ub, b_ub : array-like, optional
        Equalities :math:`A_{eq} x = b_{eq}` and inequalities :math:`A_{ub} x \\le b_{ub}`.
    n : int
        Number of variables.
    lower, upper : array-like, optional
        Bounds (default 0 and +inf).
    only : sequence of int, optional
        Solve for these variables only (the others get their bounds).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``lo`` and ``hi`` (``inf`` for an unbounded maximum). Both are NaN when the system is
        infeasible (the published numbers do not describe these cells).
    """
    lower = np.zeros(n) if lower is None else np.asarray(lower, float)
    upper = np.full(n, np.inf) if upper is None else np.asarray(upper, float)
    bounds = [(lo_, None if np.isinf(up_) else up_) for lo_, up_ in zip(lower, upper,
                                                                       strict=True)]
    kw = {"A_eq": a_eq, "b_eq": b_eq, "A_ub": a_ub, "b_ub": b_ub, "bounds": bounds,
          "method": "highs"}
    for key in ("A_eq", "A_ub"):
        if kw[key] is not None and len(kw[key]) == 0:
            kw[key] = None
            kw["b_" + key[2:]] = None
    lo = np.empty(n)
    hi = np.empty(n)
    only = range(n) if only is None else only
    lo[:] = lower
    hi[:] = np.inf
    for j in only:
        c = np.zeros(n)
        c[j] = 1.0
        res = linprog(c, **kw)
        if res.status == 2:  # infeasible
            return np.full(n, np.nan), np.full(n, np.nan)
        lo[j] = res.fun if res.status == 0 else lower[j]
        res = linprog(-c, **kw)
        hi[j] = -res.fun if res.status == 0 else np.inf
    return lo, hi


def is_protected(value: float, lo: float, hi: float, *, margin: float = 0.10,
                 count: bool = False) -> bool:
    """Whether the interval ``[lo, hi]`` protects ``value`` (see the module notes).

    Examples
    --------
    >>> is_protected(100.0, 0.0, 105.0)          # upper protection 110 not reached
    False
    >>> is_protected(100.0, 80.0, 130.0)
    True
    >>> is_protected(1, 1, 1, count=True), is_protected(1, 1, 3, count=True)
    (False, True)
    """
    if np.isnan(lo) or np.isnan(hi):
        return True
    tol = 1e-7 * max(1.0, abs(value))
    if count:
        return hi - lo + tol >= max(1.0, 2 * margin * abs(value))
    return (lo <= value * (1 - margin) + tol) and (hi >= value * (1 + margin) - tol)
