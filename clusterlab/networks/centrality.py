# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Actor centrality (degree, strength, closeness, harmonic, betweenness, eigenvector, Bonacich
power) and Freeman's graph-level centralization.

Examples
--------
>>> import networkx as nx
>>> from clusterlab.networks import centrality
>>> c = centrality(nx.star_graph(3)).set_index("node")
>>> float(c.loc[0, "betweenness"]), float(c.loc[0, "degree_norm"]), float(c.loc[1, "closeness"])
(1.0, 1.0, 0.6)
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import linalg as spla

from clusterlab._validation import check_choice
from clusterlab.errors import ParameterError
from clusterlab.networks import _fast
from clusterlab.networks._common import (
    DisconnectedWarning,
    SampledEstimateWarning,
    check_graph,
)
from clusterlab.networks.transform import symmetrise

__all__ = [
    "centrality",
    "centralization",
    "bonacich_power",
    "betweenness",
    "betweenness_table",
    "BetweennessResult",
    "default_exact_limit",
    "EXACT_LIMIT",
]


#: Exact betweenness up to this many actors by default (networkit installed for the estimates
#: above it; with networkx alone :data:`EXACT_LIMIT_NETWORKX`).
EXACT_LIMIT = 10_000
EXACT_LIMIT_NETWORKX = 2_000
BACKENDS = ["auto", "networkx", "fast"]


def _fast_available() -> bool:
    # find_spec, not import: networkit takes seconds to import and is only loaded to sample.
    # The exact engine (batched Brandes searches) needs only numpy and scipy.
    return importlib.util.find_spec("networkit") is not None


def default_exact_limit(backend: str = "auto") -> int:
    """Largest network (actors) whose betweenness :func:`centrality` computes exactly by default.

    Parameters
    ----------
    backend : {"auto", "networkx", "fast"}, default "auto"
        The backend of :func:`betweenness_table`; ``networkx`` always gets the smaller limit.

    Returns
    -------
    int
        :data:`EXACT_LIMIT` (10 000) with the fast backend (the optional package networkit
        installed and ``backend`` not ``"networkx"``), else :data:`EXACT_LIMIT_NETWORKX`
        (2 000).

    Examples
    --------
    >>> default_exact_limit("networkx")
    2000
    >>> default_exact_limit() in (EXACT_LIMIT, EXACT_LIMIT_NETWORKX)
    True
    """
    return EXACT_LIMIT if backend != "networkx" and _fast_available() else EXACT_LIMIT_NETWORKX


@dataclass(frozen=True)
class BetweennessResult:
    """Betweenness of every actor and how it was obtained (see :func:`betweenness_table`).

    Attributes
    ----------
    raw : dict
        Freeman betweenness by actor, not normalised (unordered pairs in undirected networks).
    normalised : dict
        ``raw`` divided by :math:`(n-1)(n-2)/2` (undirected) or :math:`(n-1)(n-2)` (directed).
    exact : bool
        ``True`` when computed exactly (Brandes), ``False`` when estimated.
    method : str
        ``brandes``, ``kadabra`` or ``source_sampling``.
    error_bound : float
        With probability at least ``1 - delta`` every normalised score is within this bound
        of its exact value (0 when exact).
    delta : float
        The failure probability of ``error_bound``.

    Examples
    --------
    >>> import networkx as nx
    >>> r = betweenness_table(nx.star_graph(3))
    >>> r.method, r.exact
    ('brandes', True)
    >>> r.summary()
       node  betweenness_raw  betweenness
    0     0              3.0          1.0
    1     1              0.0          0.0
    2     2              0.0          0.0
    3     3              0.0          0.0
    """

    raw: dict
    normalised: dict
    exact: bool
    method: str
    error_bound: float
    delta: float

    def summary(self) -> pd.DataFrame:
        """One row per actor: ``node, betweenness_raw, betweenness``."""
        return pd.DataFrame(
            {
                "node": list(self.raw),
                "betweenness_raw": list(self.raw.values()),
                "betweenness": [self.normalised[v] for v in self.raw],
            }
        )


def betweenness_table(
    G: nx.Graph,
    *,
    exact_limit: int | None = None,
    k: int | None = None,
    epsilon: float = 0.01,
    delta: float = 0.1,
    seed: int | None = 0,
    backend: str = "auto",
    _A=None,
    _raw=None,
) -> BetweennessResult:
    """Freeman betweenness, exact or estimated with a stated error bound.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        The network (geodesics are binary: tie values are not lengths).
    exact_limit : int, optional
        Exact (Brandes) up to this many actors; default :func:`default_exact_limit`
        (10 000 with the fast backend, 2 000 with networkx alone).
    k : int, optional
        Number of sampled sources (Brandes & Pich 2007, networkx's ``k``); passing ``k``
        forces source sampling. Its bound is Hoeffding's over all actors (see below).
    epsilon, delta : float
        Above ``exact_limit``, undirected networks with the fast backend are estimated with
        KADABRA (Borassi & Natale 2019): with probability at least :math:`1-\\delta` every
        actor's normalised betweenness is within :math:`\\varepsilon n/(n-2)` of its exact
        value (KADABRA's guarantee, stated conservatively on Freeman's scale). Directed
        networks (and networkx alone) are estimated from ``k`` (default 500) sampled sources,
        with the bound :math:`t = \\frac{n}{n-1}\\sqrt{\\ln(2n/\\delta)/(2k)}`
        (Hoeffding + union bound).
    seed : int
        Seeds the sampling (results reproducible for a given seed).
    backend : {"auto", "networkx", "fast"}
        ``auto``: the fast backend when the optional package networkit is
        installed — exact values from batched Brandes searches (numpy/scipy sparse products,
        two threads), estimates from networkit (C++) — networkx otherwise; ``networkx`` forces
        the reference implementation; ``fast`` raises when the optional packages are missing.
        All give networkx's values (exact case).
    _A, _raw : internal
        The adjacency matrix and the exact raw scores :func:`centrality` already computed.

    Returns
    -------
    BetweennessResult
        ``raw``, ``normalised`` (dicts by actor), ``exact``, ``method`` (``brandes``,
        ``kadabra`` or ``source_sampling``), ``error_bound`` (0 when exact) and ``delta``.

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. *J. Math. Sociology*
    25, 163-177. Brandes, U. & Pich, C. (2007). Centrality estimation in large networks.
    *Int. J. Bifurcation and Chaos* 17, 2303-2318. Borassi, M. & Natale, E. (2019). KADABRA is
    an ADaptive Algorithm for Betweenness via Random Approximation. *ACM J. Exp. Algorithmics*
    24, 1.2.

    Examples
    --------
    >>> import networkx as nx
    >>> r = betweenness_table(nx.path_graph(3))
    >>> r.raw[1], r.normalised[1], r.exact, r.error_bound
    (1.0, 1.0, True, 0.0)
    """
    check_choice(backend, BACKENDS, argument="backend")
    if not (0 < epsilon < 1) or not (0 < delta < 1):
        raise ParameterError("epsilon and delta: expected numbers strictly between 0 and 1")
    if backend == "fast" and not _fast_available():
        raise ParameterError(
            "backend='fast' needs the optional package networkit: "
            "pip install 'clusterlab[networks]'"
        )
    fast = backend != "networkx" and _fast_available()
    if exact_limit is None:
        exact_limit = default_exact_limit(backend)
    nodes = list(G.nodes)
    n = len(nodes)
    directed = G.is_directed()

    def adjacency():  # built once; centrality() passes the matrix it already has
        return _A if _A is not None else _sparse_adjacency(G, nodelist=nodes)[1]

    if k is not None and (not isinstance(k, (int, np.integer)) or k < 1):
        raise ParameterError("k: expected a positive number of sampled sources")
    sample = (k is not None and k < n) or (k is None and n > exact_limit)
    scale = (n - 1) * (n - 2) / (1 if directed else 2)
    if sample and n > 2:
        use_kadabra = fast and k is None and not directed
        k = min(int(k or 500), n)
        if k < 1:
            raise ParameterError("k: expected a positive number of sampled sources")
        if use_kadabra:
            norm_arr = _fast.kadabra_norm(adjacency(), epsilon, delta, seed or 0)
            raw_arr = norm_arr * scale
            method, bound = "kadabra", epsilon * n / (n - 2)
        else:
            if fast:
                raw_arr = _fast.sampled_raw(adjacency(), directed, k, seed or 0)
            else:
                r = nx.betweenness_centrality(G, k=k, normalized=False, seed=seed)
                raw_arr = np.array([r[v] for v in nodes], dtype=float)
            method, bound = "source_sampling", _fast.hoeffding_bound(n, k, delta)
        warnings.warn(
            f"betweenness estimated ({method}) for {n} actors (seed={seed}): with "
            f"probability {1 - delta:.2f} every normalised score is within "
            f"{bound:.4f} of the exact value",
            SampledEstimateWarning,
            stacklevel=3,
        )
    elif fast and n > 2 and G.number_of_edges():
        # centrality() passes the scores it computed with the distances (_raw)
        raw_arr = _raw if _raw is not None else _brandes_batched(adjacency())[0]
        raw_arr = raw_arr if directed else raw_arr / 2.0
        method, bound = "brandes", 0.0
    else:
        r = nx.betweenness_centrality(G, normalized=False)
        raw_arr, method, bound = np.array([r[v] for v in nodes], dtype=float), "brandes", 0.0
    raw = dict(zip(nodes, raw_arr.tolist(), strict=True))
    norm = {v: (b / scale if scale else 0.0) for v, b in raw.items()}
    return BetweennessResult(raw, norm, not sample or n <= 2, method, float(bound), delta)


def betweenness(
    G: nx.Graph,
    *,
    exact_limit: int | None = None,
    k: int | None = None,
    seed: int | None = 0,
    backend: str = "auto",
    epsilon: float = 0.01,
    delta: float = 0.1,
) -> tuple[dict, dict, bool]:
    """Freeman betweenness: ``(raw, normalised, exact)``.

    A shortcut for :func:`betweenness_table` (which also reports the method and the error
    bound of an estimate); the arguments are described there in full.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        The network (geodesics are binary: tie values are not lengths).
    exact_limit : int, optional
        Exact (Brandes) up to this many actors; default :func:`default_exact_limit`.
    k : int, optional
        Number of sampled sources; passing ``k`` forces source sampling.
    seed : int, default 0
        Seeds the sampling.
    backend : {"auto", "networkx", "fast"}, default "auto"
        As in :func:`betweenness_table`.
    epsilon : float, default 0.01
        Error bound of the KADABRA estimate (undirected networks above ``exact_limit``).
    delta : float, default 0.1
        The bound of an estimate holds with probability at least ``1 - delta``.

    Returns
    -------
    raw : dict
        Betweenness by actor, not normalised.
    normalised : dict
        Betweenness by actor on Freeman's normalised scale (0 to 1).
    exact : bool
        ``True`` when computed exactly, ``False`` when estimated (a
        :class:`~clusterlab.networks.SampledEstimateWarning` is then emitted).

    Examples
    --------
    >>> import networkx as nx
    >>> raw, norm, exact = betweenness(nx.path_graph(3))
    >>> raw[1], norm[1], exact
    (1.0, 1.0, True)
    """
    r = betweenness_table(
        G, exact_limit=exact_limit, k=k, seed=seed, backend=backend, epsilon=epsilon, delta=delta
    )
    return r.raw, r.normalised, r.exact


_DENSE_LIMIT = 300  # dense linear algebra up to this many actors, sparse (ARPACK) above


def _sparse_adjacency(G, weight=None, nodelist=None):
    nodes = list(G.nodes) if nodelist is None else nodelist
    if not nodes:  # networkx refuses to build the matrix of an empty graph
        return nodes, sp.csr_array((0, 0), dtype=float)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=float, format="csr")
    if weight is None:
        A.data[:] = 1.0
    A.setdiag(0)
    A.eliminate_zeros()
    return nodes, sp.csr_array(A)


def _spectral_radius(A) -> float:
    n = A.shape[0]
    if n == 0 or A.nnz == 0:
        return 0.0
    symmetric = (A != A.T).nnz == 0
    if symmetric and n <= _DENSE_LIMIT:
        return float(np.max(np.abs(np.linalg.eigvalsh(A.toarray()))))
    if n <= 300:  # a general dense eigensolver is slow beyond a few hundred actors
        return float(np.max(np.abs(np.linalg.eigvals(A.toarray()))))
    try:
        if symmetric:
            val = spla.eigsh(A, k=1, which="LM", return_eigenvectors=False, maxiter=5000, tol=1e-10)
        else:
            val = spla.eigs(A, k=1, which="LM", return_eigenvectors=False, maxiter=5000, tol=1e-10)
        return float(np.abs(val[0]))
    except spla.ArpackNoConvergence:  # pragma: no cover - very rare on survey networks
        return float(np.max(np.abs(np.linalg.eigvals(A.toarray()))))


def bonacich_power(G: nx.Graph, beta: float, *, weight: str | None = None) -> dict:
    """Bonacich (1987) power / beta centrality :math:`c(\\alpha,\\beta) = \\alpha(I-\\beta A)^{-1}A
    \\mathbf 1`, scaled so that :math:`\\sum_i c_i^2 = n`.

    A positive :math:`\\beta` rewards ties to well-connected actors, a negative one ties to
    weakly connected (dependent) actors; :math:`\\beta=0` gives (scaled) degree. :math:`A` is the
    adjacency matrix as given (row *i* → column *j*: walks along the arcs *i* sends).
    :math:`|\\beta|` must be below :math:`1/\\lambda_{max}`.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        The network; arcs follow :data:`~clusterlab.networks.DIRECTION`.
    beta : float
        The attenuation factor :math:`\\beta`, with :math:`|\\beta| < 1/\\lambda_{max}`.
    weight : str, optional
        Edge attribute used as tie value in :math:`A`; ``None`` (default) = binary ties.

    Returns
    -------
    dict
        Power centrality by actor, scaled so that the squares sum to the number of actors
        (empty for an empty network).

    Raises
    ------
    ParameterError
        When :math:`|\\beta| \\ge 1/\\lambda_{max}` (the series does not converge).

    References
    ----------
    Bonacich, P. (1987). Power and centrality: a family of measures. *American Journal of
    Sociology* 92, 1170-1182.

    Examples
    --------
    >>> import networkx as nx
    >>> p = bonacich_power(nx.path_graph(3), 0.0)
    >>> [round(p[v], 4) for v in range(3)]   # degree 1,2,1 scaled to sum of squares 3
    [0.7071, 1.4142, 0.7071]
    """
    check_graph(G, weight=weight)
    nodes, A = _sparse_adjacency(G, weight=weight)
    return _bonacich(nodes, A, beta, _spectral_radius(A))


def _bonacich(nodes, A, beta, lam):
    n = len(nodes)
    if n == 0:
        return {}
    if lam > 0 and abs(beta) >= 1 / lam:
        raise ParameterError(
            f"bonacich_beta={beta}: |beta| must be below 1/lambda_max = "
            f"{1 / lam:.4g} for this network"
        )
    rhs = A @ np.ones(n)
    if n <= _DENSE_LIMIT:
        c = np.linalg.solve(np.eye(n) - beta * A.toarray(), rhs)
    else:
        M = (sp.identity(n, format="csr") - beta * A).tocsc()
        c, info = spla.gmres(M, rhs, rtol=1e-11, atol=0.0, restart=50, maxiter=1000)
        if info != 0:  # pragma: no cover
            c = spla.spsolve(M, rhs)
    ss = float(c @ c)
    c = c * np.sqrt(n / ss) if ss > 0 else c
    return dict(zip(nodes, c.tolist(), strict=True))


def _eigenvector(U: nx.Graph) -> dict:
    nodes, A = _sparse_adjacency(U)
    return _eigenvector_from(nodes, A)


def _eigenvector_from(nodes: list, A) -> dict:
    """Leading eigenvector of a symmetric binary adjacency matrix, unit length, >= 0."""
    n = len(nodes)
    if not nodes:
        return {}
    if A.nnz == 0:
        return dict.fromkeys(nodes, 0.0)
    if n <= _DENSE_LIMIT:
        vals, vecs = np.linalg.eigh(A.toarray())
        v = vecs[:, np.argmax(vals)]
    else:
        _, vecs = spla.eigsh(A, k=1, which="LA", tol=1e-12, maxiter=20000)
        v = vecs[:, 0]
    v = np.abs(v)
    v[v < 1e-12] = 0.0
    return dict(zip(nodes, (v / np.linalg.norm(v)).tolist(), strict=True))


def _bfs_levels(AT, idx):
    """Breadth-first searches from the sources ``idx`` at once, level by level: yields
    ``(d, new)``, ``new[j, s]`` true when actor ``j`` is at distance ``d`` from source ``idx[s]``.

    ``AT`` is the transposed boolean adjacency matrix (CSR): a level is one sparse-dense product
    ``AT @ frontier`` (boolean, in C; scipy releases the GIL). The searches of a batch share the
    product, which makes this several times faster than one Dijkstra per source
    (``scipy.sparse.csgraph``) on unweighted networks."""
    n, m = AT.shape[0], len(idx)
    frontier = np.zeros((n, m), dtype=bool)
    frontier[idx, np.arange(m)] = True
    visited = frontier.copy()
    d = 0
    while True:
        d += 1
        new = AT @ frontier
        new &= ~visited
        if not new.any():
            return
        visited |= new
        yield d, new
        frontier = new


def _chunks(sources, n: int, chunk: int | None):
    chunk = chunk or max(1, min(len(sources), _CHUNK_CELLS // max(n, 1)))
    return [sources[i : i + chunk] for i in range(0, len(sources), chunk)]


def _map_threads(f, items):
    """``[f(x) for x in items]`` on one thread per core (the searches release the GIL)."""
    workers = min(os.cpu_count() or 1, len(items))
    if workers < 2:
        return [f(x) for x in items]
    with ThreadPoolExecutor(workers) as ex:
        return list(ex.map(f, items))


_CHUNK_CELLS = 10_000_000  # actors x sources per batch of searches (~4 boolean n x m arrays)


def _bool_transpose(A):
    return sp.csr_array(A.T, dtype=bool)


def _distance_summaries(A, chunk: int | None = None, with_max: bool = False):
    """Per source: actors reached (incl. itself), sum of distances, sum of 1/distance (and,
    ``with_max``, the largest finite distance) — batched breadth-first searches
    (:func:`_bfs_levels`) along the arcs of ``A``, sources in chunks to bound memory (no
    n x n matrix)."""
    n = A.shape[0]
    AT = _bool_transpose(A)

    def one(idx):
        reach, total, inv = np.ones(len(idx)), np.zeros(len(idx)), np.zeros(len(idx))
        longest = np.zeros(len(idx))
        for d, new in _bfs_levels(AT, idx):
            cnt = new.sum(axis=0)
            reach += cnt
            total += d * cnt
            inv += cnt / d
            longest[cnt > 0] = d
        return reach, total, inv, longest

    parts = _map_threads(one, _chunks(np.arange(n), n, chunk))
    out = tuple(np.concatenate([p[i] for p in parts]) if parts else np.zeros(0) for i in range(4))
    return out if with_max else out[:3]


_BRANDES_CELLS = 2_000_000  # actors x sources per batch of Brandes searches (~40 bytes a cell)


def _brandes_batched(A, chunk: int | None = None):
    r"""Exact Brandes betweenness and the per-source distance summaries from the same searches.

    Sources in batches; the forward pass counts shortest paths level by level
    (:math:`\sigma_{sw} = \sum_{v \to w,\, d(s,v)=d(s,w)-1} \sigma_{sv}`, one sparse-dense
    product ``A.T @ front`` per level), the backward pass accumulates dependencies
    (:math:`\delta_{sv} = \sigma_{sv} \sum_{v \to w,\, d(s,w)=d(s,v)+1}
    (1+\delta_{sw})/\sigma_{sw}`, one product ``A @ coef`` per level). Returns ``raw`` (sum over
    ordered source-target pairs: halve it for an undirected network) and ``reach, total, inv``
    of :func:`_distance_summaries` along the arcs of ``A``."""
    n = A.shape[0]
    Af = sp.csr_array(A, dtype=float)
    Af.data[:] = 1.0
    AT = sp.csr_array(Af.T)

    def one(idx):
        m = len(idx)
        sigma = np.zeros((n, m))
        sigma[idx, np.arange(m)] = 1.0
        visited = sigma > 0
        levels = [visited.copy()]
        front = sigma
        reach, total, inv = np.ones(m), np.zeros(m), np.zeros(m)
        while True:
            cand = AT @ front
            new = cand > 0
            new &= ~visited
            cnt = new.sum(axis=0)
            if not cnt.any():
                break
            d = len(levels)
            reach += cnt
            total += d * cnt
            inv += cnt / d
            visited |= new
            cand *= new
            front = cand
            sigma += front
            levels.append(new)
        inv_sigma = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=sigma > 0)
        delta = np.zeros((n, m))
        for d in range(len(levels) - 1, 1, -1):
            coef = 1.0 + delta
            coef *= inv_sigma
            coef *= levels[d]
            contrib = Af @ coef
            contrib *= sigma
            contrib *= levels[d - 1]
            delta += contrib
        return delta.sum(axis=1), reach, total, inv

    chunks = _chunks(np.arange(n), n, chunk or max(1, min(n, _BRANDES_CELLS // max(n, 1))))
    parts = _map_threads(one, chunks)
    if not parts:
        return np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)
    return (sum(p[0] for p in parts), *(np.concatenate([p[i] for p in parts]) for i in (1, 2, 3)))


def _distance_summaries_sampled(A, k: int, seed, chunk: int | None = None):
    """Eppstein-Wang estimate of the per-target summaries of :func:`_distance_summaries` run on
    ``A.T``: searches from ``k`` seeded random sources along ``A``; each target's sums over the
    sampled sources are scaled by :math:`(n-1)/k_i` (:math:`k_i` sources other than itself)."""
    n = A.shape[0]
    rng = np.random.default_rng(seed)
    src = np.sort(rng.choice(n, size=min(k, n), replace=False))
    AT = _bool_transpose(A)

    def one(idx):
        reach, total, inv = np.zeros(n), np.zeros(n), np.zeros(n)
        for d, new in _bfs_levels(AT, idx):
            cnt = new.sum(axis=1)
            reach += cnt
            total += d * cnt
            inv += cnt / d
        return reach, total, inv

    parts = _map_threads(one, _chunks(src, n, chunk))
    reach, total, inv = (sum(p[i] for p in parts) for i in range(3))
    k_i = len(src) - np.isin(np.arange(n), src)
    scale = np.where(k_i > 0, (n - 1) / np.maximum(k_i, 1), 0.0)
    return 1 + reach * scale, total * scale, inv * scale


def _closeness(reach, total, n):
    """networkx closeness with the Wasserman-Faust correction (equal to Freeman when connected)."""
    r1 = reach - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(total > 0, r1 / np.where(total > 0, total, 1.0), 0.0)
    return c * (r1 / (n - 1)) if n > 1 else c * 0


def centrality(
    G: nx.Graph,
    *,
    weight: str | None = "weight",
    exact_limit: int | None = None,
    betweenness_k: int | None = None,
    betweenness_epsilon: float = 0.01,
    betweenness_delta: float = 0.1,
    seed: int | None = 0,
    bonacich_beta: float | None = None,
    backend: str = "auto",
) -> pd.DataFrame:
    """One row per actor with the usual centrality measures (UCINET's "centrality" table).

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        One relation; arcs follow :data:`~clusterlab.networks.DIRECTION`.
    weight : str or None
        Edge attribute summed into ``strength``; geodesic measures are always binary (tie values
        are strengths, not lengths).
    exact_limit, betweenness_k, betweenness_epsilon, betweenness_delta, seed, backend
        Betweenness is exact up to ``exact_limit`` actors (default 10 000 with the fast
        backend, 2 000 with networkx alone) and estimated above with a stated error bound
        (KADABRA for undirected networks, else ``betweenness_k`` (default 500) sampled
        sources; see :func:`betweenness_table`); column ``betweenness_error`` holds the bound
        (0 when exact). Above the same limit closeness and harmonic closeness are estimated
        from ``betweenness_k`` sampled sources (Eppstein & Wang 2004). Columns
        ``betweenness_exact``, ``betweenness_method`` and ``closeness_exact`` say which.
    bonacich_beta : float, optional
        :math:`\\beta` of :func:`bonacich_power`; ``None`` = half of :math:`1/\\lambda_{max}`
        (column ``bonacich``).

    Returns
    -------
    pandas.DataFrame
        ``node, in_degree, out_degree, degree, in_degree_norm, out_degree_norm, degree_norm,
        in_strength, out_strength, strength, closeness, closeness_out, harmonic, harmonic_out,
        closeness_exact, betweenness_raw, betweenness, betweenness_error, betweenness_exact,
        betweenness_method, betweenness_delta, eigenvector, bonacich, bonacich_beta``. For
        undirected networks in = out = degree. The same on every row: ``closeness_exact``
        (``False`` when closeness and harmonic closeness were estimated from sampled sources),
        ``betweenness_exact`` and ``betweenness_method`` (``brandes``, ``kadabra`` or
        ``source_sampling``), ``betweenness_delta`` (the probability that an estimate misses
        its bound ``betweenness_error``; 0 when exact) and ``bonacich_beta`` (the
        :math:`\beta` used). ``attrs`` still holds ``betweenness_exact``,
        ``closeness_exact``, ``betweenness_method``, ``betweenness_delta``, ``bonacich_beta``
        and ``eigenvector`` for one release (deprecated: pandas drops ``attrs`` on copies;
        read the columns).

    Notes
    -----
    Degree: ``degree`` is in + out degree for directed networks; normalised degree divides by
    :math:`n-1` (total degree of a directed network by :math:`2(n-1)`). Closeness (Freeman):
    :math:`C_C(i) = (n-1)/\\sum_j d(j,i)`, with the Wasserman-Faust correction
    :math:`\\frac{r-1}{n-1}\\cdot\\frac{r-1}{\\sum_j d(j,i)}` (:math:`r` actors reaching *i*)
    when the network is not connected; in a directed network ``closeness`` uses distances *to*
    the actor (how easily others reach it by turning to their contacts) and ``closeness_out``
    distances *from* it. Harmonic: :math:`\\sum_{j} 1/d(j,i)/(n-1)`. Betweenness (Freeman):
    :math:`C_B(i)=\\sum_{s\\ne i\\ne t}\\sigma_{st}(i)/\\sigma_{st}`, unordered pairs in undirected
    networks, normalised by :math:`(n-1)(n-2)/2` (undirected) or :math:`(n-1)(n-2)` (directed).
    **Eigenvector centrality is computed on the symmetrised (max) network**, binary, unit length
    — on a directed network that is not strongly connected the directed version is not defined
    for every actor (UCINET practice); in a disconnected network actors outside the component
    with the largest eigenvalue score 0.

    References
    ----------
    Freeman, L. C. (1979). Centrality in social networks: conceptual clarification. *Social
    Networks* 1, 215-239. Wasserman & Faust (1994), ch. 5. Brandes, U. (2001). A faster
    algorithm for betweenness centrality. *J. Math. Sociology* 25, 163-177. Eppstein, D. &
    Wang, J. (2004). Fast approximation of centrality. *J. Graph Algorithms Appl.* 8, 39-45.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("c", "b"), ("b", "a"), ("b", "c")])  # strongly connected
    >>> c = centrality(G).set_index("node")
    >>> int(c.loc["b", "in_degree"]), float(c.loc["b", "in_degree_norm"])
    (2, 1.0)
    >>> c[["closeness_exact", "betweenness_exact", "betweenness_method"]].drop_duplicates()
         closeness_exact  betweenness_exact betweenness_method
    node
    a               True               True            brandes
    """
    check_graph(G, weight=weight)
    nodes = list(G.nodes)
    n = len(nodes)
    directed = G.is_directed()
    df = pd.DataFrame({"node": nodes})
    if directed:
        ind, outd = dict(G.in_degree()), dict(G.out_degree())
        ins = dict(G.in_degree(weight=weight)) if weight else ind
        outs = dict(G.out_degree(weight=weight)) if weight else outd
    else:
        ind = outd = dict(G.degree())
        ins = outs = dict(G.degree(weight=weight)) if weight else ind
    df["in_degree"] = df["node"].map(ind).astype(int)
    df["out_degree"] = df["node"].map(outd).astype(int)
    df["degree"] = df["in_degree"] + df["out_degree"] if directed else df["in_degree"]
    denom = max(n - 1, 1)
    df["in_degree_norm"] = df["in_degree"] / denom
    df["out_degree_norm"] = df["out_degree"] / denom
    df["degree_norm"] = df["degree"] / (2 * denom if directed else denom)
    df["in_strength"] = df["node"].map(ins).astype(float)
    df["out_strength"] = df["node"].map(outs).astype(float)
    df["strength"] = df["in_strength"] + df["out_strength"] if directed else df["in_strength"]
    connected = n > 0 and (nx.is_strongly_connected(G) if directed else nx.is_connected(G))
    if n > 1 and not connected:
        warnings.warn(
            "network is not " + ("strongly " if directed else "") + "connected: "
            "closeness uses the Wasserman-Faust correction; prefer harmonic",
            DisconnectedWarning,
            stacklevel=2,
        )
    check_choice(backend, BACKENDS, argument="backend")
    if exact_limit is None:
        exact_limit = default_exact_limit(backend)
    _, A = _sparse_adjacency(G, nodelist=nodes)
    sample = n > exact_limit
    fast = backend != "networkx" and _fast_available()
    raw = None
    if not sample and fast and n > 2 and A.nnz:
        # exact: betweenness and the distances along the arcs from the same searches
        raw, *out = _brandes_batched(A)
        summ = lambda M: out if M is A else _distance_summaries(M)  # noqa: E731
    elif sample:
        k = min(int(betweenness_k or 500), n)
        warnings.warn(
            f"closeness and harmonic estimated from k={k} sampled sources of {n} "
            f"actors (Eppstein-Wang; seed={seed})",
            SampledEstimateWarning,
            stacklevel=2,
        )
        summ = lambda M: _distance_summaries_sampled(M.T.tocsr(), k, seed)  # noqa: E731
    else:
        summ = _distance_summaries
    # closeness/harmonic "to" an actor: searches on the reversed arcs (distances j -> i)
    reach_in, tot_in, inv_in = summ(A.T.tocsr() if directed else A)
    df["closeness"] = _closeness(reach_in, tot_in, n)
    df["harmonic"] = inv_in / denom
    if directed:
        reach_out, tot_out, inv_out = summ(A)
        df["closeness_out"] = _closeness(reach_out, tot_out, n)
        df["harmonic_out"] = inv_out / denom
    else:
        df["closeness_out"], df["harmonic_out"] = df["closeness"], df["harmonic"]
    bt = betweenness_table(
        G,
        exact_limit=exact_limit,
        k=betweenness_k if sample else None,
        epsilon=betweenness_epsilon,
        delta=betweenness_delta,
        seed=seed,
        backend=backend,
        _A=A,
        _raw=raw,
    )
    exact = bt.exact
    df["betweenness_raw"] = df["node"].map(bt.raw).astype(float)
    df["betweenness"] = df["node"].map(bt.normalised).astype(float)
    df["betweenness_error"] = bt.error_bound
    # the symmetrised (max) binary network, from the matrix already built (a networkx copy of
    # a 100 000-actor graph costs seconds)
    S = sp.csr_array(((A + A.T) > 0).astype(float)) if directed else A
    df["eigenvector"] = df["node"].map(_eigenvector_from(nodes, S))
    beta: float | None
    if n:
        lam = _spectral_radius(A)
        beta = bonacich_beta if bonacich_beta is not None else (0.5 / lam if lam else 0.0)
        df["bonacich"] = df["node"].map(_bonacich(nodes, A, beta, lam))
    else:
        df["bonacich"] = pd.Series(dtype=float)
        beta = bonacich_beta
    df = df[
        [
            "node",
            "in_degree",
            "out_degree",
            "degree",
            "in_degree_norm",
            "out_degree_norm",
            "degree_norm",
            "in_strength",
            "out_strength",
            "strength",
            "closeness",
            "closeness_out",
            "harmonic",
            "harmonic_out",
            "betweenness_raw",
            "betweenness",
            "betweenness_error",
            "eigenvector",
            "bonacich",
        ]
    ]
    df.insert(df.columns.get_loc("harmonic_out") + 1, "closeness_exact", not sample)
    at = df.columns.get_loc("betweenness_error") + 1
    df.insert(at, "betweenness_exact", bool(exact))
    df.insert(at + 1, "betweenness_method", bt.method)
    df.insert(at + 2, "betweenness_delta", float(bt.delta) if not exact else 0.0)
    df["bonacich_beta"] = float("nan") if beta is None else float(beta)
    # deprecated: attrs kept for one release for code that read them; use the column
    df.attrs.update(
        betweenness_exact=exact,
        closeness_exact=not sample,
        bonacich_beta=beta,
        betweenness_method=bt.method,
        betweenness_delta=bt.delta,
        eigenvector="symmetrised (max), binary, unit length",
    )
    return df


_MEASURES = ["degree", "in_degree", "out_degree", "closeness", "betweenness"]


def centralization(
    G: nx.Graph, measures=None, *, exact_limit: int | None = None, seed: int | None = 0
) -> pd.DataFrame:
    """Freeman's graph centralization, one row per measure.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        The network, at least 3 actors; arcs follow :data:`~clusterlab.networks.DIRECTION`.
    measures : list of str, optional
        From ``degree, in_degree, out_degree, closeness, betweenness``; default: all that apply
        (``in_degree``/``out_degree`` only for directed networks).
    exact_limit : int, optional
        Betweenness is exact up to this many actors and estimated above (see
        :func:`betweenness_table`); default :func:`default_exact_limit`.
    seed : int, default 0
        Seeds the sampling of an estimated betweenness.

    Returns
    -------
    pandas.DataFrame
        ``measure, centralization, max_score, mean_score``.

    Notes
    -----
    :math:`C = \\sum_i (c^* - c_i) / \\max \\sum_i (c^* - c_i)` on normalised scores, the
    maximum being reached by a star (Freeman 1979): degree :math:`n-2`; in/out-degree of a
    directed network :math:`n-1` (UCINET); closeness :math:`(n-1)(n-2)/(2n-3)`;
    betweenness :math:`n-1`. For a directed network ``degree`` uses the symmetrised network and
    ``closeness`` in-closeness as in :func:`centrality` (Wasserman-Faust corrected, so every
    score lies in [0, 1]); its maximum is :math:`n-1`, reached by the in-star (everyone turns
    to one actor, whom nobody else can reach: scores 1 and 0) — the undirected star's
    :math:`(n-1)(n-2)/(2n-3)` would let a directed network score above 1.

    Examples
    --------
    >>> import networkx as nx
    >>> centralization(nx.star_graph(4))["centralization"].round(6).tolist()
    [1.0, 1.0, 1.0]
    """
    check_graph(G)
    n = G.number_of_nodes()
    directed = G.is_directed()
    if measures is None:
        measures = _MEASURES if directed else ["degree", "closeness", "betweenness"]
    for m in measures:
        check_choice(m, _MEASURES, argument="measures")
    if n < 3:
        raise ParameterError("centralization needs at least 3 actors")
    rows = []
    nodes = list(G.nodes)
    for m in measures:
        if m == "degree":
            s = pd.Series(dict((symmetrise(G) if directed else G).degree())) / (n - 1)
            mx = n - 2
        elif m in ("in_degree", "out_degree"):
            if not directed:
                raise ParameterError(f"{m}: only for directed networks")
            deg = G.in_degree() if m == "in_degree" else G.out_degree()
            s, mx = pd.Series(dict(deg)) / (n - 1), n - 1
        elif m == "closeness":
            _, A = _sparse_adjacency(G, nodelist=nodes)
            reach, tot, _ = _distance_summaries(A.T.tocsr() if directed else A)
            s = pd.Series(_closeness(reach, tot, n), index=nodes)
            mx = n - 1 if directed else (n - 1) * (n - 2) / (2 * n - 3)
        else:
            s, mx = pd.Series(betweenness(G, exact_limit=exact_limit, seed=seed)[1]), n - 1
        s = s.reindex(nodes).astype(float)
        rows.append(
            {
                "measure": m,
                "centralization": float((s.max() - s).sum() / mx),
                "max_score": float(s.max()),
                "mean_score": float(s.mean()),
            }
        )
    return pd.DataFrame(rows)
