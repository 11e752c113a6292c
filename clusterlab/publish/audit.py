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
suppression pattern). :func:`feasible_intervals` solves them with HiGHS through ``highspy``
(MIT): the model is built once and only the objective changes between the programmes, each
solved from the previous basis — about ten times faster than one
:func:`scipy.optimize.linprog` call per programme (the fallback when ``highspy`` is missing;
``engine="linprog"``), with the same results.

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

import functools
import os
import sys

import numpy as np
from scipy.optimize import linprog

from clusterlab._validation import check_choice
from clusterlab.errors import ParameterError

__all__ = ["feasible_intervals", "is_protected"]


def feasible_intervals(
    a_eq=None,
    b_eq=None,
    a_ub=None,
    b_ub=None,
    *,
    n: int,
    lower=None,
    upper=None,
    only=None,
    engine: str = "auto",
) -> tuple[np.ndarray, np.ndarray]:
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
    engine : {"auto", "highspy", "linprog"}
        ``highspy`` (one model, warm-started), ``linprog`` (scipy, one call per programme) or
        ``auto`` (highspy when installed).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``lo`` and ``hi`` (``inf`` for an unbounded maximum). Both are NaN when the system is
        infeasible (the published numbers do not describe these cells).
    """
    check_choice(engine, ["auto", "highspy", "linprog"], argument="engine")
    lower = np.zeros(n) if lower is None else np.asarray(lower, float)
    upper = np.full(n, np.inf) if upper is None else np.asarray(upper, float)
    a_eq, b_eq = _system(a_eq, b_eq, n)
    a_ub, b_ub = _system(a_ub, b_ub, n)
    only = range(n) if only is None else only
    if engine != "linprog" and (engine == "highspy" or _highspy() is not None):
        bounds = _solve_highspy(a_eq, b_eq, a_ub, b_ub, n, lower, upper, only)
    else:
        bounds = _solve_linprog(a_eq, b_eq, a_ub, b_ub, n, lower, upper, only)
    if bounds is None:  # infeasible
        return np.full(n, np.nan), np.full(n, np.nan)
    return bounds


def _system(a, b, n):
    if a is None or len(a) == 0:
        return np.zeros((0, n)), np.zeros(0)
    return np.asarray(a, float).reshape(-1, n), np.asarray(b, float)


@functools.cache
def _highspy():
    """The highspy module, or None. Its first ``Highs()`` prints a banner on the process's
    standard output (below Python: it would land in a notebook's or dashboard's output), so
    it is created once with file descriptor 1 pointed at /dev/null."""
    try:
        import highspy
    except ImportError:
        return None
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return highspy


def _solve_highspy(a_eq, b_eq, a_ub, b_ub, n, lower, upper, only):
    hs = _highspy()
    if hs is None:
        raise ParameterError("engine='highspy' needs the highspy package (pip install highspy)")
    h = hs.Highs()
    h.setOptionValue("output_flag", False)
    inf = hs.kHighsInf
    h.addVars(n, lower, np.where(np.isinf(upper), inf, upper))
    for a, lo_b, up_b in ((a_eq, b_eq, b_eq), (a_ub, np.full(len(b_ub), -inf), b_ub)):
        for i in range(a.shape[0]):
            idx = np.flatnonzero(a[i])
            h.addRow(float(lo_b[i]), float(up_b[i]), len(idx), idx.astype(np.int32), a[i, idx])
    status = hs.HighsModelStatus
    lo, hi = lower.copy(), np.full(n, np.inf)
    for j in only:
        h.changeColCost(int(j), 1.0)
        for sense in (hs.ObjSense.kMinimize, hs.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.run()
            st = h.getModelStatus()
            if st == status.kInfeasible:
                return None
            value = h.getInfo().objective_function_value
            if sense == hs.ObjSense.kMinimize:
                lo[j] = value if st == status.kOptimal else lower[j]
            else:
                hi[j] = value if st == status.kOptimal else np.inf
        h.changeColCost(int(j), 0.0)
    return lo, hi


def _solve_linprog(a_eq, b_eq, a_ub, b_ub, n, lower, upper, only):
    bounds = [(lo_, None if np.isinf(up_) else up_) for lo_, up_ in zip(lower, upper, strict=True)]
    kw = {
        "A_eq": a_eq if len(a_eq) else None,
        "b_eq": b_eq if len(b_eq) else None,
        "A_ub": a_ub if len(a_ub) else None,
        "b_ub": b_ub if len(b_ub) else None,
        "bounds": bounds,
        "method": "highs",
    }
    lo, hi = lower.copy(), np.full(n, np.inf)
    for j in only:
        c = np.zeros(n)
        c[j] = 1.0
        res = linprog(c, **kw)
        if res.status == 2:  # infeasible
            return None
        lo[j] = res.fun if res.status == 0 else lower[j]
        res = linprog(-c, **kw)
        hi[j] = -res.fun if res.status == 0 else np.inf
    return lo, hi


def is_protected(
    value: float, lo: float, hi: float, *, margin: float = 0.10, count: bool = False
) -> bool:
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
