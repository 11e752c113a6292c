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
import warnings
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph
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

__all__ = ["centrality", "centralization", "bonacich_power", "betweenness", "betweenness_table",
           "BetweennessResult", "default_exact_limit", "EXACT_LIMIT"]


#: Exact betweenness up to this many actors by default (rustworkx/networkit installed; with
#: networkx alone :data:`EXACT_LIMIT_NETWORKX`).
EXACT_LIMIT = 10_000
EXACT_LIMIT_NETWORKX = 2_000
BACKENDS = ["auto", "networkx", "fast"]


def _rustworkx():
    try:
        import rustworkx  # noqa: PLC0415
    except ImportError:  # pragma: no cover - rustworkx is in the networks/test extras
        return None
    return rustworkx


def _fast_available() -> bool:
    # find_spec, not import: networkit takes seconds to import and is only loaded to sample
    return all(importlib.util.find_spec(m) is not None for m in ("rustworkx", "networkit"))


def default_exact_limit(backend: str = "auto") -> int:
    """Largest network (actors) whose betweenness :func:`centrality` computes exactly by
    default: 10 000 with the fast backend (rustworkx + networkit), 2 000 with networkx."""
    return EXACT_LIMIT if backend != "networkx" and _fast_available() else EXACT_LIMIT_NETWORKX


@dataclass(frozen=True)
class BetweennessResult:
    """Betweenness of every actor and how it was obtained (see :func:`betweenness_table`)."""

    raw: dict
    normalised: dict
    exact: bool
    method: str
    error_bound: float
    delta: float

    def summary(self) -> pd.DataFrame:
        """One row per actor: ``node, betweenness_raw, betweenness``."""
        return pd.DataFrame({"node": list(self.raw), "betweenness_raw": list(self.raw.values()),
                             "betweenness": [self.normalised[v] for v in self.raw]})


def _exact_rustworkx(A, directed: bool) -> np.ndarray:
    rx = _rustworkx()
    n = A.shape[0]
    g = rx.PyDiGraph() if directed else rx.PyGraph()
    g.add_nodes_from(range(n))
    C = A.tocoo()
    keep = slice(None) if directed else C.row < C.col
    g.add_edges_from_no_data(list(zip(C.row[keep].tolist(), C.col[keep].tolist(),
                                       strict=True)))
    scores = rx.betweenness_centrality(g, normalized=False, endpoints=False)
    return np.array([scores[i] for i in range(n)], dtype=float)


def betweenness_table(G: nx.Graph, *, exact_limit: int | None = None, k: int | None = None,
                      epsilon: float = 0.01, delta: float = 0.1, seed: int | None = 0,
                      backend: str = "auto", _A=None) -> BetweennessResult:
    """Freeman betweenness, exact or estimated with a stated error bound.

    Parameters
    ----------
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
        ``auto``: rustworkx (exact, parallel Rust) and networkit (sampled, C++) when installed,
        networkx otherwise; ``networkx`` forces the reference implementation; ``fast`` raises
        when the optional packages are missing. All give networkx's values (exact case).

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
        raise ParameterError("backend='fast' needs the optional packages rustworkx and "
                             "networkit: pip install 'clusterlab[networks]'")
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
        warnings.warn(f"betweenness estimated ({method}) for {n} actors (seed={seed}): with "
                      f"probability {1 - delta:.2f} every normalised score is within "
                      f"{bound:.4f} of the exact value", SampledEstimateWarning, stacklevel=3)
    elif fast and n > 2 and G.number_of_edges():
        raw_arr, method, bound = _exact_rustworkx(adjacency(), directed), "brandes", 0.0
    else:
        r = nx.betweenness_centrality(G, normalized=False)
        raw_arr, method, bound = np.array([r[v] for v in nodes], dtype=float), "brandes", 0.0
    raw = dict(zip(nodes, raw_arr.tolist(), strict=True))
    norm = {v: (b / scale if scale else 0.0) for v, b in raw.items()}
    return BetweennessResult(raw, norm, not sample or n <= 2, method, float(bound), delta)


def betweenness(G: nx.Graph, *, exact_limit: int | None = None, k: int | None = None,
                seed: int | None = 0, backend: str = "auto", epsilon: float = 0.01,
                delta: float = 0.1) -> tuple[dict, dict, bool]:
    """Freeman betweenness: ``(raw, normalised, exact)``.

    A shortcut for :func:`betweenness_table` (which also reports the method and the error
    bound of an estimate); arguments as there.

    Examples
    --------
    >>> import networkx as nx
    >>> raw, norm, exact = betweenness(nx.path_graph(3))
    >>> raw[1], norm[1], exact
    (1.0, 1.0, True)
    """
    r = betweenness_table(G, exact_limit=exact_limit, k=k, seed=seed, backend=backend,
                          epsilon=epsilon, delta=delta)
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
            val = spla.eigsh(A, k=1, which="LM", return_eigenvectors=False, maxiter=5000,
                             tol=1e-10)
        else:
            val = spla.eigs(A, k=1, which="LM", return_eigenvectors=False, maxiter=5000,
                            tol=1e-10)
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
        raise ParameterError(f"bonacich_beta={beta}: |beta| must be below 1/lambda_max = "
                             f"{1 / lam:.4g} for this network")
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


def _distance_summaries(A, chunk: int | None = None, with_max: bool = False):
    """Per source: actors reached (incl. itself), sum of distances, sum of 1/distance —
    breadth-first searches in C (scipy.sparse.csgraph), in chunks to bound memory."""
    n = A.shape[0]
    reach = np.zeros(n)
    total = np.zeros(n)
    inv = np.zeros(n)
    longest = np.zeros(n)
    chunk = chunk or max(1, min(n, 20_000_000 // max(n, 1)))
    for start in range(0, n, chunk):
        idx = np.arange(start, min(n, start + chunk))
        D = csgraph.shortest_path(A, method="D", directed=True, unweighted=True, indices=idx)
        finite = np.isfinite(D)
        reach[idx] = finite.sum(axis=1)
        Df = np.where(finite, D, 0.0)
        total[idx] = Df.sum(axis=1)
        longest[idx] = Df.max(axis=1) if n else 0.0
        with np.errstate(divide="ignore"):
            inv[idx] = np.where(finite & (D > 0), 1.0 / np.where(D > 0, D, 1.0), 0.0).sum(axis=1)
    return (reach, total, inv, longest) if with_max else (reach, total, inv)


def _distance_summaries_sampled(A, k: int, seed):
    """Eppstein-Wang estimate of the per-target summaries of :func:`_distance_summaries` run on
    ``A.T``: searches from ``k`` seeded random sources along ``A``; each target's sums over the
    sampled sources are scaled by :math:`(n-1)/k_i` (:math:`k_i` sources other than itself)."""
    n = A.shape[0]
    rng = np.random.default_rng(seed)
    src = np.sort(rng.choice(n, size=min(k, n), replace=False))
    reach = np.zeros(n)
    total = np.zeros(n)
    inv = np.zeros(n)
    chunk = max(1, min(len(src), 20_000_000 // max(n, 1)))
    for start in range(0, len(src), chunk):
        idx = src[start:start + chunk]
        D = csgraph.shortest_path(A, method="D", directed=True, unweighted=True, indices=idx)
        finite = np.isfinite(D) & (D > 0)
        reach += finite.sum(axis=0)
        total += np.where(finite, D, 0.0).sum(axis=0)
        inv += np.where(finite, 1.0 / np.where(finite, D, 1.0), 0.0).sum(axis=0)
    k_i = len(src) - np.isin(np.arange(n), src)
    scale = np.where(k_i > 0, (n - 1) / np.maximum(k_i, 1), 0.0)
    return 1 + reach * scale, total * scale, inv * scale


def _closeness(reach, total, n):
    """networkx closeness with the Wasserman-Faust correction (equal to Freeman when connected)."""
    r1 = reach - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(total > 0, r1 / np.where(total > 0, total, 1.0), 0.0)
    return c * (r1 / (n - 1)) if n > 1 else c * 0


def centrality(G: nx.Graph, *, weight: str | None = "weight", exact_limit: int | None = None,
               betweenness_k: int | None = None, betweenness_epsilon: float = 0.01,
               betweenness_delta: float = 0.1, seed: int | None = 0,
               bonacich_beta: float | None = None, backend: str = "auto") -> pd.DataFrame:
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
        from ``betweenness_k`` sampled sources (Eppstein & Wang 2004).
        ``attrs["betweenness_exact"]`` and ``attrs["closeness_exact"]`` say which.
    bonacich_beta : float, optional
        :math:`\\beta` of :func:`bonacich_power`; ``None`` = half of :math:`1/\\lambda_{max}`
        (column ``bonacich``).

    Returns
    -------
    pandas.DataFrame
        ``node, in_degree, out_degree, degree, in_degree_norm, out_degree_norm, degree_norm,
        in_strength, out_strength, strength, closeness, closeness_out, harmonic, harmonic_out,
        betweenness_raw, betweenness, betweenness_error, eigenvector, bonacich``. For
        undirected networks in = out = degree.

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
        warnings.warn("network is not " + ("strongly " if directed else "") + "connected: "
                      "closeness uses the Wasserman-Faust correction; prefer harmonic",
                      DisconnectedWarning, stacklevel=2)
    check_choice(backend, BACKENDS, argument="backend")
    if exact_limit is None:
        exact_limit = default_exact_limit(backend)
    _, A = _sparse_adjacency(G, nodelist=nodes)
    sample = n > exact_limit
    if sample:
        k = min(int(betweenness_k or 500), n)
        warnings.warn(f"closeness and harmonic estimated from k={k} sampled sources of {n} "
                      f"actors (Eppstein-Wang; seed={seed})", SampledEstimateWarning, stacklevel=2)
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
    bt = betweenness_table(G, exact_limit=exact_limit, k=betweenness_k if sample else None,
                           epsilon=betweenness_epsilon, delta=betweenness_delta, seed=seed,
                           backend=backend, _A=A)
    exact = bt.exact
    df["betweenness_raw"] = df["node"].map(bt.raw).astype(float)
    df["betweenness"] = df["node"].map(bt.normalised).astype(float)
    df["betweenness_error"] = bt.error_bound
    # the symmetrised (max) binary network, from the matrix already built (a networkx copy of
    # a 100 000-actor graph costs seconds)
    S = sp.csr_array(((A + A.T) > 0).astype(float)) if directed else A
    df["eigenvector"] = df["node"].map(_eigenvector_from(nodes, S))
    if n:
        lam = _spectral_radius(A)
        beta = bonacich_beta if bonacich_beta is not None else (0.5 / lam if lam else 0.0)
        df["bonacich"] = df["node"].map(_bonacich(nodes, A, beta, lam))
    else:
        df["bonacich"] = pd.Series(dtype=float)
        beta = bonacich_beta
    df = df[["node", "in_degree", "out_degree", "degree", "in_degree_norm", "out_degree_norm",
             "degree_norm", "in_strength", "out_strength", "strength", "closeness",
             "closeness_out", "harmonic", "harmonic_out", "betweenness_raw", "betweenness",
             "betweenness_error", "eigenvector", "bonacich"]]
    df.attrs.update(betweenness_exact=exact, closeness_exact=not sample, bonacich_beta=beta,
                    betweenness_method=bt.method, betweenness_delta=bt.delta,
                    eigenvector="symmetrised (max), binary, unit length")
    return df


_MEASURES = ["degree", "in_degree", "out_degree", "closeness", "betweenness"]


def centralization(G: nx.Graph, measures=None, *, exact_limit: int | None = None,
                   seed: int | None = 0) -> pd.DataFrame:
    """Freeman's graph centralization, one row per measure.

    Parameters
    ----------
    measures : list of str, optional
        From ``degree, in_degree, out_degree, closeness, betweenness``; default: all that apply
        (``in_degree``/``out_degree`` only for directed networks).

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
        rows.append({"measure": m, "centralization": float((s.max() - s).sum() / mx),
                     "max_score": float(s.max()), "mean_score": float(s.mean())})
    return pd.DataFrame(rows)
