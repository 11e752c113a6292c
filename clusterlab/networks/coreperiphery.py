# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Borgatti-Everett core-periphery models: categorical (core / periphery partition) and
continuous (coreness scores).

Examples
--------
>>> import networkx as nx
>>> from clusterlab.networks import core_periphery
>>> G = nx.complete_graph(4)                       # the core: a clique of 4 ...
>>> G.add_edges_from([(0, 4), (1, 5), (2, 6), (3, 7), (0, 8), (1, 9)])   # ... + a periphery
>>> cp = core_periphery(G, seed=1)
>>> sorted(cp.core), round(cp.fit, 6)
([0, 1, 2, 3], 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.networks._common import adjacency, check_graph, rng_from

__all__ = ["CorePeriphery", "core_periphery"]


@dataclass
class CorePeriphery:
    """Result of :func:`core_periphery`.

    Attributes
    ----------
    core : frozenset
        Core actors (categorical model; for the continuous model the actors whose coreness is
        at least ``coreness_threshold``).
    fit : float
        Pearson correlation between the observed ties and the ideal pattern.
    density : pandas.DataFrame
        2 × 2 block densities (rows: sender block, columns: receiver block).
    coreness : pandas.Series or None
        Continuous model: coreness per actor (unit length).

    Examples
    --------
    >>> import networkx as nx
    >>> from clusterlab.networks import core_periphery
    >>> G = nx.complete_graph(4)
    >>> G.add_edges_from([(0, 4), (1, 5), (2, 6)])
    >>> core_periphery(G, seed=0).density   # 6 of the 12 core-periphery pairs are tied
               core  periphery
    core        1.0        0.5
    periphery   0.5        0.0
    """

    method: str
    core: frozenset
    fit: float
    density: pd.DataFrame
    nodes: list
    coreness: pd.Series | None = None
    settings: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """One row per actor: ``node, core`` (+ ``coreness``)."""
        df = pd.DataFrame({"node": self.nodes, "core": [v in self.core for v in self.nodes]})
        if self.coreness is not None:
            df["coreness"] = df["node"].map(self.coreness)
        return df


def _block_density(A, x):
    c, p = x.astype(bool), ~x.astype(bool)
    out = {}
    for a, ia in (("core", c), ("periphery", p)):
        for b, ib in (("core", c), ("periphery", p)):
            sub = A[np.ix_(ia, ib)]
            poss = ia.sum() * ib.sum() - (ia.sum() if a == b else 0)
            out[(a, b)] = sub.sum() / poss if poss > 0 else np.nan
    M = pd.DataFrame(
        [
            [out[("core", "core")], out[("core", "periphery")]],
            [out[("periphery", "core")], out[("periphery", "periphery")]],
        ],
        index=["core", "periphery"],
        columns=["core", "periphery"],
    )
    return M


def _fit_all(n, c, Scc, Spp, Qcc, Qpp, S, Q, cp):
    """Correlation with the ideal pattern from block sums (arrays broadcast)."""
    p = n - c
    ncc, npp = c * (c - 1.0), p * (p - 1.0)
    if cp is None:
        N = ncc + npp
        sx, sxx, sy, syy, sxy = Scc + Spp, Qcc + Qpp, ncc, ncc, Scc
    else:
        N = n * (n - 1.0) + 0 * c
        ncp = N - ncc - npp
        Scp = S - Scc - Spp
        sx, sxx = S + 0 * Scc, Q + 0 * Scc
        sy, syy, sxy = ncc + cp * ncp, ncc + cp**2 * ncp, Scc + cp * Scp
    num = N * sxy - sx * sy
    den = (N * sxx - sx**2) * (N * syy - sy**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(den > 0, num / np.sqrt(np.where(den > 0, den, 1.0)), -np.inf)
    return r


def _local_search(A2, Q2, x, cp, S, Q, min_core):
    """Steepest-ascent single-actor flips until no flip improves the fit."""
    n = len(x)
    x = x.astype(float).copy()
    rC, rP = A2 @ x, A2 @ (1 - x)
    qC, qP = Q2 @ x, Q2 @ (1 - x)
    Scc, Spp = (x @ A2 @ x) / 2, ((1 - x) @ A2 @ (1 - x)) / 2
    Qcc, Qpp = (x @ Q2 @ x) / 2, ((1 - x) @ Q2 @ (1 - x)) / 2
    c = x.sum()
    cur = float(_fit_all(n, c, Scc, Spp, Qcc, Qpp, S, Q, cp))
    for _ in range(10 * n + 10):
        into = x == 0  # flipping a peripheral actor into the core
        sign = np.where(into, 1.0, -1.0)
        nScc = Scc + sign * rC
        nSpp = Spp - sign * rP
        nQcc = Qcc + sign * qC
        nQpp = Qpp - sign * qP
        nc = c + sign
        f = _fit_all(n, nc, nScc, nSpp, nQcc, nQpp, S, Q, cp)
        f = np.where((nc < min_core) | (nc > n - (2 if cp is None else 1)), -np.inf, f)
        # prefer removals from the core on ties (smaller core)
        best = np.max(f)
        if not best > cur + 1e-12:
            break
        cand = np.flatnonzero(f >= best - 1e-12)
        outs = [i for i in cand if not into[i]]
        i = outs[0] if outs else cand[0]
        s = sign[i]
        x[i] = 1 - x[i]
        Scc, Spp, Qcc, Qpp, c = nScc[i], nSpp[i], nQcc[i], nQpp[i], nc[i]
        rC += s * A2[:, i]
        rP -= s * A2[:, i]
        qC += s * Q2[:, i]
        qP -= s * Q2[:, i]
        cur = float(best)
    return x.astype(bool), cur


def core_periphery(
    G: nx.Graph,
    method: str = "categorical",
    *,
    seed: int | None = 0,
    restarts: int = 50,
    cp_density: float | None = None,
    weight: str | None = None,
    coreness_threshold: float | None = None,
    max_iter: int = 1000,
    tol: float = 1e-10,
) -> CorePeriphery:
    """Borgatti-Everett core-periphery fit.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    method : {"categorical", "continuous"}
        Categorical: the partition into core and periphery whose ideal pattern (core-core ties
        present, periphery-periphery ties absent) correlates best with the observed ties.
        Continuous: coreness scores :math:`c` minimising
        :math:`\\sum_{i\\ne j}(a_{ij}-c_i c_j)^2` (MINRES) on the symmetrised network.
    seed, restarts
        The categorical search starts once from the degree ranking and ``restarts`` times from
        seeded random partitions, each followed by steepest-ascent single-actor moves; the best
        fit wins, ties broken toward the **smaller core** and then the lowest actor positions —
        the result is deterministic for a given seed.
    cp_density : float, optional
        Ideal value of the core-periphery blocks; ``None`` (default) leaves them out of the
        correlation (UCINET's "density of core-to-periphery ties: missing").
    weight : str, optional
        Use tie values instead of 0/1.
    coreness_threshold : float, optional
        Continuous model: actors with at least this coreness form ``.core``; default: the
        categorical core whose size maximises the fit over cut points of the coreness ranking.
    max_iter : int, default 1000
        Continuous model: most alternating-least-squares iterations.
    tol : float, default 1e-10
        Continuous model: stop when no coreness score changes by ``tol`` or more.

    Returns
    -------
    CorePeriphery

    Notes
    -----
    Fit :math:`\\rho = \\mathrm{corr}(a_{ij}, \\delta_{ij})` over the included off-diagonal cells
    with :math:`\\delta_{ij} = 1` if both *i* and *j* are core, 0 if both are periphery. The
    optimum is not unique in general (an extra peripheral actor tied to every core actor also
    fits perfectly when the core-periphery blocks are ignored) — hence the tie-break. The
    continuous model is fitted by alternating least squares,
    :math:`c_i \\leftarrow \\sum_{j\\ne i} a_{ij} c_j / \\sum_{j\\ne i} c_j^2`, and scaled to unit
    length; its fit is :math:`\\mathrm{corr}(a_{ij}, c_i c_j)`, :math:`i\\ne j`.

    References
    ----------
    Borgatti, S. P. & Everett, M. G. (2000). Models of core/periphery structures.
    *Social Networks* 21, 375-395.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.complete_graph(4)
    >>> G.add_edges_from([(0, 4), (1, 5), (2, 6)])   # pendants on 0, 1, 2
    >>> cp = core_periphery(G, seed=0)
    >>> sorted(cp.core), round(cp.fit, 4)   # the smaller of two perfect cores
    ([0, 1, 2], 1.0)
    """
    check_graph(G, weight=weight)
    check_choice(method, ["categorical", "continuous"], argument="method")
    nodes, A = adjacency(G, weight=weight)
    n = len(nodes)
    if n < 4:
        raise ParameterError("core_periphery needs at least 4 actors")
    if cp_density is not None and not 0 <= cp_density <= 1:
        raise ParameterError("cp_density: expected a value between 0 and 1 or None")
    off = A[~np.eye(n, dtype=bool)]
    if off.min() == off.max():
        raise DataValidationError(
            "core_periphery: the fit is undefined for a network with "
            + ("no ties" if off.max() == 0 else "every possible tie (all of equal value)")
            + ": the observed ties do not vary",
            problem_frame(
                [
                    {
                        "file": "G",
                        "expected": "ties present between some pairs and "
                        "absent (or of other value) between others",
                        "found": "no ties" if off.max() == 0 else "a complete network",
                    }
                ]
            ),
        )
    if method == "continuous":
        return _continuous(G, nodes, A, coreness_threshold, max_iter, tol, seed, restarts)
    rng = rng_from(seed)
    A2 = A + A.T
    Q2 = A**2 + (A**2).T
    S, Q = A.sum(), (A**2).sum()
    min_core = 2 if cp_density is None else 1
    starts = []
    order = np.argsort(-A2.sum(axis=1), kind="stable")
    deg_fit = [(_fit_of(A, order[:k], cp_density), k) for k in range(min_core, n - 1)]
    kbest = max(deg_fit, key=lambda t: (round(t[0], 12), -t[1]))[1]
    x0 = np.zeros(n, bool)
    x0[order[:kbest]] = True
    starts.append(x0)
    for _ in range(restarts):
        k = int(rng.integers(min_core, n - 1))
        x = np.zeros(n, bool)
        x[rng.choice(n, size=k, replace=False)] = True
        starts.append(x)
    best = None
    for x in starts:
        xs, f = _local_search(A2, Q2, x, cp_density, S, Q, min_core)
        key = (round(f, 10), -int(xs.sum()), tuple(-np.flatnonzero(xs)))
        if best is None or key > best[0]:
            best = (key, xs, f)
    assert best is not None  # starts holds at least the degree-ordered start x0
    _, x, f = best
    return CorePeriphery(
        "categorical",
        frozenset(nodes[i] for i in np.flatnonzero(x)),
        float(f),
        _block_density(A, x),
        nodes,
        None,
        {"seed": seed, "restarts": restarts, "cp_density": cp_density},
    )


def _fit_of(A, core_idx, cp):
    n = A.shape[0]
    x = np.zeros(n)
    x[list(core_idx)] = 1
    A2 = A + A.T
    Q2 = A**2 + (A**2).T
    Scc, Spp = (x @ A2 @ x) / 2, ((1 - x) @ A2 @ (1 - x)) / 2
    Qcc, Qpp = (x @ Q2 @ x) / 2, ((1 - x) @ Q2 @ (1 - x)) / 2
    return float(_fit_all(n, x.sum(), Scc, Spp, Qcc, Qpp, A.sum(), (A**2).sum(), cp))


def _als(B, c, max_iter, tol):
    """Alternating least squares for min sum_{i!=j} (b_ij - c_i c_j)^2, c >= 0."""
    for _ in range(max_iter):
        ss = (c**2).sum() - c**2
        new = np.where(ss > 0, (B @ c) / np.where(ss > 0, ss, 1), 0.0)
        new = np.maximum(new, 0)
        if np.linalg.norm(new) == 0:
            break
        diff = np.max(np.abs(new - c))
        c = new
        if diff < tol:
            break
    return c


def _continuous(G, nodes, A, threshold, max_iter, tol, seed, restarts):
    n = len(nodes)
    B = (A + A.T) / 2
    deg = B.sum(axis=1)
    if not deg.any():
        raise ParameterError("core_periphery: the network has no ties")
    off = ~np.eye(n, dtype=bool)
    # the degree start, then seeded random starts: a symmetric start (e.g. two equal
    # components) can stall ALS at a saddle where every actor has the same coreness
    rng = rng_from(seed)
    starts = [deg] + [
        deg * rng.uniform(0.5, 1.5, n) + rng.uniform(0, 1e-3, n) for _ in range(min(restarts, 10))
    ]
    best = None
    for c0 in starts:
        c = _als(B, c0 / np.linalg.norm(c0), max_iter, tol)
        sse = float(((B - np.outer(c, c))[off] ** 2).sum())
        if best is None or sse < best[0] - 1e-12:
            best = (sse, c)
    assert best is not None  # starts holds at least the degree start
    c = best[1]
    pattern = np.outer(c, c)
    fit = float(np.corrcoef(B[off], pattern[off])[0, 1])
    cn = c / np.linalg.norm(c)
    coreness = pd.Series(cn, index=nodes, name="coreness")
    order = np.argsort(-cn, kind="stable")
    if threshold is None:
        cands = [(_fit_of((A != 0).astype(float), order[:k], None), -k) for k in range(2, n - 1)]
        k = -max(cands)[1]
        x = np.zeros(n, bool)
        x[order[:k]] = True
    else:
        x = cn >= threshold
    return CorePeriphery(
        "continuous",
        frozenset(nodes[i] for i in np.flatnonzero(x)),
        fit,
        _block_density(A, x),
        nodes,
        coreness,
        {"coreness_threshold": threshold, "seed": seed},
    )
