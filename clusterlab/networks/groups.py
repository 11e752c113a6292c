# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Cohesive subgroups: communities (Louvain, Leiden, greedy modularity, label propagation,
Girvan-Newman), maximal cliques and k-cores. Directed networks are symmetrised (max) first.

Examples
--------
>>> import networkx as nx
>>> from clusterlab.networks import communities, kcores
>>> G = nx.barbell_graph(4, 0)
>>> com = communities(G, "louvain", seed=1)
>>> com.groupby("community")["node"].apply(sorted).tolist()
[[0, 1, 2, 3], [4, 5, 6, 7]]
>>> int(kcores(G)["core_number"].max())
3
"""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd

from clusterlab._validation import check_choice
from clusterlab.errors import ParameterError
from clusterlab.networks._common import check_graph
from clusterlab.networks.transform import symmetrise

__all__ = ["COMMUNITY_METHODS", "communities", "cliques", "kcores"]

COMMUNITY_METHODS = ["louvain", "leiden", "greedy_modularity", "label_propagation", "girvan_newman"]


def _undirected(G):
    return symmetrise(G) if G.is_directed() else G


def _leiden(U, weight, resolution, seed):
    fn = getattr(nx.community, "leiden_communities", None)
    if fn is not None:
        try:
            return list(fn(U, weight=weight, resolution=resolution, seed=seed))
        except NotImplementedError:  # networkx < 3.7: backend-only
            pass
    try:
        import networkit as nk  # noqa: PLC0415
    except ImportError as exc:
        raise ParameterError(
            "method='leiden' needs networkx >= 3.7 (native Leiden) or the optional package "
            "networkit (pip install 'clusterlab[networks]'); use method='louvain' "
            "otherwise"
        ) from exc
    nodes = list(U.nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    g = nk.Graph(len(nodes), weighted=bool(weight), directed=False)
    for u, v, d in U.edges(data=True):
        if weight:
            g.addEdge(idx[u], idx[v], float(d.get(weight, 1.0)))
        else:
            g.addEdge(idx[u], idx[v])
    old = nk.getMaxNumberOfThreads()
    nk.setNumberOfThreads(1)  # single-threaded: reproducible for a seed
    try:
        nk.setSeed(int(seed or 0), False)
        algo = nk.community.ParallelLeiden(
            g, iterations=10, randomize=True, gamma=float(resolution)
        )
        algo.run()
        part = algo.getPartition()
    finally:
        nk.setNumberOfThreads(old)
    out: dict[int, set] = {}
    for i, v in enumerate(nodes):
        out.setdefault(part.subsetOf(i), set()).add(v)
    return list(out.values())


def communities(
    G: nx.Graph,
    method: str = "louvain",
    *,
    seed: int | None = 0,
    resolution: float = 1.0,
    weight: str | None = "weight",
) -> pd.DataFrame:
    """Community detection; one row per actor.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
        Directed networks are symmetrised (max) first.
    method : {"louvain", "leiden", "greedy_modularity", "label_propagation", "girvan_newman"}
        Louvain (Blondel et al. 2008), Leiden (Traag et al. 2019; networkx ≥ 3.7 or the
        optional ``networkit``), Clauset-Newman-Moore greedy modularity, semi-synchronous label
        propagation, or Girvan-Newman edge betweenness (the level of the dendrogram with the
        highest modularity).
    seed : int
        Seed of the randomised methods (results are deterministic for a given seed).
    resolution : float
        Modularity resolution (Louvain, Leiden, greedy modularity).
    weight : str or None, default "weight"
        Edge attribute of tie values (used when some tie has it); ``None``: 0/1.

    Returns
    -------
    pandas.DataFrame
        ``node, community, community_size, modularity``; communities are numbered 0, 1, … by
        decreasing size (ties: by the first actor); ``modularity`` is the whole partition's
        modularity on the symmetrised network (the same on every row; NaN without ties).
        ``attrs["modularity"]`` still holds it for one release (deprecated: read the column).

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast unfolding of
    communities in large networks. *J. Stat. Mech.* P10008. Traag, V. A., Waltman, L. & van
    Eck, N. J. (2019). From Louvain to Leiden. *Scientific Reports* 9, 5233. Girvan, M. &
    Newman, M. E. J. (2002). Community structure in social and biological networks. *PNAS* 99.

    Examples
    --------
    >>> import networkx as nx
    >>> com = communities(nx.barbell_graph(4, 0), seed=1)   # two 4-cliques and a bridge
    >>> com.groupby("community")["node"].apply(sorted).tolist()
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    >>> round(float(com["modularity"].iat[0]), 4)   # 2 * (6/13 - (13/26)**2)
    0.4231
    """
    check_graph(G, weight=weight)
    check_choice(method, COMMUNITY_METHODS, argument="method")
    U = _undirected(G)
    w = weight if weight and any(weight in d for _, _, d in U.edges(data=True)) else None
    if U.number_of_edges() == 0:
        parts = [{v} for v in U.nodes]
    elif method == "louvain":
        parts = nx.community.louvain_communities(U, weight=w, resolution=resolution, seed=seed)
    elif method == "leiden":
        parts = _leiden(U, w, resolution, seed)
    elif method == "greedy_modularity":
        parts = nx.community.greedy_modularity_communities(U, weight=w, resolution=resolution)
    elif method == "label_propagation":
        parts = nx.community.asyn_lpa_communities(U, weight=w, seed=seed)
    else:
        best, bestq = [set(U.nodes)], nx.community.modularity(U, [set(U.nodes)], weight=w)
        for part in itertools.islice(nx.community.girvan_newman(U), U.number_of_nodes()):
            q = nx.community.modularity(U, part, weight=w)
            if q > bestq + 1e-12:
                best, bestq = list(part), q
        parts = best
    parts = [set(p) for p in parts]
    order = {v: i for i, v in enumerate(U.nodes)}
    parts.sort(key=lambda p: (-len(p), min(order[v] for v in p)))
    rows = [
        {"node": v, "community": k, "community_size": len(p)}
        for k, p in enumerate(parts)
        for v in p
    ]
    df = pd.DataFrame(rows).assign(_o=lambda d: d["node"].map(order)).sort_values("_o")
    df = df.drop(columns="_o").reset_index(drop=True)
    df["modularity"] = (
        nx.community.modularity(U, parts, weight=w) if U.number_of_edges() else float("nan")
    )
    # deprecated: attrs kept for one release for code that read them; use the column
    df.attrs.update(
        modularity=float(df["modularity"].iat[0]) if len(df) else float("nan"), method=method
    )
    return df


def cliques(G: nx.Graph, min_size: int = 3) -> pd.DataFrame:
    """Maximal cliques with at least ``min_size`` actors, on the symmetrised network.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    min_size : int, default 3
        Smallest clique reported (UCINET's default 3).

    Returns
    -------
    pandas.DataFrame
        Long format ``clique, size, node``: one row per clique member; cliques numbered
        0, 1, … by decreasing size.

    Examples
    --------
    >>> import networkx as nx
    >>> cliques(nx.barbell_graph(3, 0)).groupby("clique")["node"].apply(sorted).tolist()
    [[0, 1, 2], [3, 4, 5]]
    """
    check_graph(G)
    if min_size < 1:
        raise ParameterError("min_size: expected at least 1")
    U = _undirected(G)
    order = {v: i for i, v in enumerate(U.nodes)}
    found = [sorted(c, key=order.__getitem__) for c in nx.find_cliques(U) if len(c) >= min_size]
    found.sort(key=lambda c: (-len(c), [order[v] for v in c]))
    rows = [{"clique": k, "size": len(c), "node": v} for k, c in enumerate(found) for v in c]
    return pd.DataFrame(rows, columns=["clique", "size", "node"])


def kcores(G: nx.Graph) -> pd.DataFrame:
    """k-core number of each actor, on the symmetrised network.

    The core number of an actor is the largest *k* such that it belongs to a subgraph in which
    everyone has at least *k* ties.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.

    Returns
    -------
    pandas.DataFrame
        ``node, core_number``.

    Examples
    --------
    >>> import networkx as nx
    >>> kcores(nx.lollipop_graph(4, 2))["core_number"].tolist()  # a 4-clique with a tail
    [3, 3, 3, 3, 1, 1]
    """
    check_graph(G, loops="allow")
    U = nx.Graph(_undirected(G))
    U.remove_edges_from(nx.selfloop_edges(U))
    cn = nx.core_number(U)
    return pd.DataFrame({"node": list(U.nodes), "core_number": [cn[v] for v in U.nodes]})
