"""Cell suppression: primary rules, secondary suppression and the audit of line totals.

A *cell* is one row of a tidy table; the table's dimension columns (``dims``) place it in a
hypercube. A *line* is a set of cells that share every dimension but one — the cells that add
up to one row or column total. Secondary suppression makes sure that no suppressed cell can be
recovered exactly from the published cells plus every line total.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.publish.suppression import secondary_suppression
>>> t = pd.DataFrame({"r": ["a", "a", "b", "b"], "c": ["x", "y", "x", "y"],
...                   "n": [1, 5, 6, 7], "v": [10.0, 50.0, 60.0, 70.0]})
>>> sec, unresolved = secondary_suppression(t, dims=["r", "c"], primary=t["n"] < 3,
...                                         additive=["n", "v"], weight="n")
>>> sec.tolist(), unresolved
([False, True, True, True], [])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.linalg import null_space
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from clusterlab.publish.audit import feasible_intervals

__all__ = ["lines_of", "secondary_suppression", "audit_intervals"]

#: Components with at most this many suppressed cells also get the bounded (x >= 0) LP audit.
MAX_LP_CELLS = 60


def lines_of(table: pd.DataFrame, dims: Sequence[str], *, with_dim: bool = False) -> list:
    """The lines (sets of row positions adding up to a published total) of a tidy table.

    For each dimension ``d`` the rows are grouped by all *other* dimensions; each group is one
    line (with a single dimension there is one line, the grand total). With ``with_dim`` the
    items are ``(d, rows)`` pairs.

    Examples
    --------
    >>> t = pd.DataFrame({"r": ["a", "a", "b"], "c": ["x", "y", "x"]})
    >>> [line.tolist() for line in lines_of(t, ["r", "c"])]
    [[0, 2], [1], [0, 1], [2]]
    """
    dims = list(dims)
    out: list = []
    if not dims:
        return out
    n = len(table)
    for d in dims:
        others = [o for o in dims if o != d]
        if others:
            codes = pd.MultiIndex.from_frame(table[others].astype("string").fillna("<NA>"))
            ids = pd.factorize(codes)[0]
        else:
            ids = np.zeros(n, dtype=int)
        order = np.argsort(ids, kind="stable")
        bounds = np.flatnonzero(np.diff(ids[order])) + 1
        out.extend((d, line) for line in np.split(order, bounds) if len(line))
    return out if with_dim else [line for _, line in out]


def _incidence(lines: list[np.ndarray], n: int) -> list[list[int]]:
    member: list[list[int]] = [[] for _ in range(n)]
    for k, line in enumerate(lines):
        for i in line:
            member[i].append(k)
    return member


def _determined(
    values: np.ndarray,
    lines: list[np.ndarray],
    member: list[list[int]],
    supp: np.ndarray,
    *,
    bounded: Sequence[bool],
) -> np.ndarray:
    """Suppressed cells whose value is pinned down by the published cells and line totals.

    ``values`` is (n_cells, n_columns) of additive columns. Equality constraints alone are
    checked with the null space of the line-incidence matrix (exact for every column at once);
    for small components of suppressed cells the columns marked ``bounded`` (non-negative data)
    also get a linear programme with ``x >= 0``.
    """
    idx = np.flatnonzero(supp)
    out = np.zeros(len(supp), dtype=bool)
    if idx.size == 0:
        return out
    pos = {c: j for j, c in enumerate(idx)}
    used_lines = sorted({k for c in idx for k in member[c]})
    if not used_lines:
        return out
    lpos = {k: r for r, k in enumerate(used_lines)}
    rows, cols = [], []
    for c in idx:
        for k in member[c]:
            rows.append(lpos[k])
            cols.append(pos[c])
    a = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(used_lines), idx.size)).tocsr()
    # connected components of the bipartite graph cells--lines
    graph = coo_matrix(
        (np.ones(len(rows)), (np.array(cols), np.array(rows) + idx.size)),
        shape=(idx.size + len(used_lines),) * 2,
    )
    ncomp, labels = connected_components(graph, directed=False)
    for comp in range(ncomp):
        cells = np.flatnonzero(labels[: idx.size] == comp)
        if cells.size == 0:
            continue
        lrows = np.flatnonzero(labels[idx.size :] == comp)
        sub = a[lrows][:, cells].toarray()
        basis = null_space(sub) if sub.size else np.eye(cells.size)
        free = np.linalg.norm(basis, axis=1) > 1e-9 if basis.size else np.zeros(cells.size, bool)
        out[idx[cells[~free]]] = True
        if cells.size > MAX_LP_CELLS:
            continue
        for col, nonneg in enumerate(bounded):
            if not nonneg:
                continue
            x = values[idx[cells], col]
            if np.isnan(x).any():
                continue
            b = sub @ x
            scale = max(1.0, float(np.abs(x).max()))
            todo = [j for j in np.flatnonzero(free) if not out[idx[cells[j]]]]
            if not todo:
                continue
            lo, hi = feasible_intervals(sub, b, n=cells.size, only=todo)
            for j in todo:
                if hi[j] - lo[j] <= 1e-7 * scale:  # NaN (infeasible) and inf compare False
                    out[idx[cells[j]]] = True
    return out


def secondary_suppression(
    table: pd.DataFrame,
    *,
    dims: Sequence[str],
    primary,
    additive: Sequence[str],
    weight: str | None = None,
    max_rounds: int | None = None,
    line_ok=None,
) -> tuple[pd.Series, list[int]]:
    """Choose complementary cells so that no suppressed cell follows from the line totals.

    Two passes, repeated until nothing changes:

    1. every line holding exactly one suppressed cell gets a second one (the published cell of
       that line that also sits in most other such lines, then the one with the smallest
       ``weight`` — the least information lost);
    2. an audit finds suppressed cells still determined by the published cells and all line
       totals (null space of the line-incidence matrix; for non-negative columns also the
       bounds ``x >= 0`` via linear programming) and suppresses one more cell in one of their
       lines.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cell; ``dims`` must identify the rows.
    dims : sequence of str
        Dimension columns. Empty: no margins, hence no secondary suppression.
    primary : array-like of bool
        Primary (sensitive) cells.
    additive : sequence of str
        Numeric columns whose line totals are (or may be) published.
    weight : str, optional
        Column minimised when choosing complementary cells (default: the first additive
        column).
    max_rounds : int, optional
        Safety bound on the number of complementary cells added (default: number of rows).
    line_ok : callable, optional
        ``line_ok(rows) -> bool`` tells whether the total of a line (array of row positions)
        may be published; lines whose total is itself sensitive are withheld, hence not known
        to an intruder and not protected against. Default: every line total is published.

    Returns
    -------
    secondary : pandas.Series of bool
        Complementary suppressions (excluding the primary cells), aligned with ``table``.
    unresolved : list of int
        Row positions of suppressed cells that stay exactly recoverable because every cell of
        their lines is already suppressed (e.g. a line with a single cell): the corresponding
        line totals must not be published. Empty cells (``weight`` 0: no contributor) hidden as
        complements are not counted: deriving that they are zero reveals nothing.
    """
    n = len(table)
    primary = np.asarray(primary, dtype=bool)
    supp = primary.copy()
    dims = list(dims)
    if not dims or not supp.any():
        return pd.Series(np.zeros(n, bool), index=table.index), []
    all_lines = lines_of(table, dims)
    lines = [line for line in all_lines if line_ok is None or line_ok(line)]
    member = _incidence(lines, n)
    # complementary cells may also come from lines whose total is withheld
    all_member = _incidence(all_lines, n)
    additive = list(additive)
    values = (
        table[additive].apply(pd.to_numeric, errors="coerce").to_numpy(float)
        if additive
        else np.zeros((n, 0))
    )
    bounded = [
        bool(np.nanmin(values[:, j]) >= 0) if np.isfinite(values[:, j]).any() else False
        for j in range(values.shape[1])
    ]
    w = table[weight] if weight else (table[additive[0]] if additive else pd.Series(np.zeros(n)))
    w = pd.to_numeric(w, errors="coerce").fillna(np.inf).to_numpy(float)
    zero = w <= 0  # empty cells are a last resort: suppressing them hides little
    max_rounds = n if max_rounds is None else max_rounds
    stuck: set[int] = set()  # determined cells no further suppression can protect

    sizes = np.array([len(line) for line in lines])
    counts = np.array([int(supp[line].sum()) for line in lines])

    def suppress(j: int) -> None:
        supp[j] = True
        for k in member[j]:
            counts[k] += 1

    def pick(candidate_lines: list, deficient: set[int]) -> int | None:
        best, best_key = None, None
        for line in candidate_lines:
            for j in line:
                if supp[j]:
                    continue
                gain = sum(1 for kk in member[j] if kk in deficient)
                key = (-gain, bool(zero[j]), w[j], j)
                if best_key is None or key < best_key:
                    best, best_key = j, key
        return best

    added = 0
    while added <= max_rounds:
        # pass 1: lines with exactly one suppressed cell
        while True:
            deficient = set(np.flatnonzero((sizes > 1) & (counts == 1)).tolist())
            if not deficient:
                break
            j = pick([lines[min(deficient)]], deficient)
            if j is None:  # cannot happen for a line of two or more cells
                break
            suppress(j)
            added += 1
        # pass 2: audit
        det = _determined(values, lines, member, supp, bounded=bounded) & ~zero
        todo = [i for i in np.flatnonzero(det) if i not in stuck]
        if not todo:
            break
        progress = False
        for i in todo:
            own = [all_lines[k] for k in all_member[i]]
            j = pick(own, set())
            if j is None:  # widen: lines of the hidden cells that share a published line with i
                near = {c for k in member[i] for c in lines[k] if supp[c] and c != i}
                j = pick([all_lines[k] for c in near for k in all_member[c]], set())
            if j is None:
                stuck.add(int(i))
                continue
            suppress(j)
            added += 1
            progress = True
            break
        if not progress:
            break
    final = _determined(values, lines, member, supp, bounded=bounded) & ~zero
    unresolved = sorted(int(i) for i in np.flatnonzero(final))
    return pd.Series(supp & ~primary, index=table.index), unresolved


def audit_intervals(
    table: pd.DataFrame, *, dims: Sequence[str], suppressed, column: str, nonnegative: bool = True
) -> pd.DataFrame:
    """Feasible interval of every suppressed cell given the published cells and line totals.

    This is what an intruder can compute: minimise and maximise each suppressed value subject to
    the published line totals (and ``x >= 0`` when ``nonnegative``).

    Returns
    -------
    pandas.DataFrame
        One row per suppressed cell: ``row`` (position), ``value``, ``lower``, ``upper``,
        ``exact`` (``upper - lower`` below 1e-7 of the value's scale).

    Examples
    --------
    >>> t = pd.DataFrame({"r": ["a", "a", "b", "b"], "c": ["x", "y", "x", "y"],
    ...                   "v": [1.0, 5.0, 6.0, 7.0]})
    >>> audit_intervals(t, dims=["r", "c"], suppressed=[True, True, True, True],
    ...                 column="v")[["lower", "upper"]].to_numpy().tolist()
    [[0.0, 6.0], [0.0, 6.0], [1.0, 7.0], [6.0, 12.0]]
    """
    supp = np.asarray(suppressed, dtype=bool)
    idx = np.flatnonzero(supp)
    x_all = pd.to_numeric(table[column], errors="coerce").to_numpy(float)
    lines = [line for line in lines_of(table, dims) if supp[line].any()]
    pos = {c: j for j, c in enumerate(idx)}
    a = np.zeros((len(lines), idx.size))
    for r, line in enumerate(lines):
        for c in line:
            if supp[c]:
                a[r, pos[c]] = 1.0
    b = a @ x_all[idx] if idx.size else np.zeros(0)
    rows = []
    scale = max(1.0, float(np.nanmax(np.abs(x_all)))) if len(x_all) else 1.0
    floor = 0.0 if nonnegative else -np.inf
    constrained = [j for j in range(idx.size) if lines and a[:, j].any()]
    lo, hi = feasible_intervals(a, b, n=idx.size, lower=np.full(idx.size, floor), only=constrained)
    for j, c in enumerate(idx):
        lo_v, hi_v = float(lo[j]), float(hi[j])
        rows.append(
            {
                "row": int(c),
                "value": x_all[c],
                "lower": lo_v,
                "upper": hi_v,
                "exact": bool(hi_v - lo_v <= 1e-7 * scale),
            }
        )
    return pd.DataFrame(rows, columns=["row", "value", "lower", "upper", "exact"])
