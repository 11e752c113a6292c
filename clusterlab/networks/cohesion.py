# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Whole-network cohesion (density, reciprocity, dyad census, transitivity, components,
fragmentation, distances) and densities between groups of actors with the E-I index.

Examples
--------
>>> import networkx as nx
>>> from clusterlab.networks import cohesion
>>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "a")])
>>> row = cohesion(G).iloc[0]
>>> float(row["density"]), int(row["dyads_mutual"]), int(row["dyads_asymmetric"])
(0.667, 1, 2)
"""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from clusterlab.networks._common import (
    DisconnectedWarning,
    adjacency,
    check_graph,
    node_values,
)
from clusterlab.networks.transform import respondent_set

_centrality_module = importlib.import_module("clusterlab.networks.centrality")
_sparse = _centrality_module._sparse_adjacency
_distance_summaries = _centrality_module._distance_summaries


__all__ = ["cohesion", "dyad_census", "group_densities", "GroupDensities", "n_firms"]


def n_firms(G: nx.Graph, *, kind: str = "kind", firm: str = "firm"):
    """Number of firm actors (``kind == "firm"``).

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    kind : str, default "kind"
        Node attribute holding the kind of actor.
    firm : str, default "firm"
        Value of ``kind`` that marks a firm.

    Returns
    -------
    int or pandas.NA
        The number of firms; ``pd.NA`` when no actor has a ``kind``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": "firm", "b": "university"}, "kind")
    >>> n_firms(G), n_firms(nx.Graph([("a", "b")]))
    (1, <NA>)
    """
    vals = [d.get(kind) for _, d in G.nodes(data=True)]
    if not vals or all(v is None for v in vals):
        return pd.NA
    return int(sum(v == firm for v in vals))


def dyad_census(G: nx.Graph) -> dict[str, int]:
    """Mutual, asymmetric and null dyads (Holland & Leinhardt's MAN census).

    For an undirected graph every tie is a mutual dyad.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.

    Returns
    -------
    dict of str to int
        ``dyads_mutual``, ``dyads_asymmetric``, ``dyads_null`` (they sum to
        :math:`n(n-1)/2`).

    Examples
    --------
    >>> import networkx as nx
    >>> dyad_census(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")]))
    {'dyads_mutual': 1, 'dyads_asymmetric': 1, 'dyads_null': 1}
    """
    check_graph(G)
    _, A = _sparse(G)
    n = A.shape[0]
    pairs = n * (n - 1) // 2
    mutual = int(sp.triu(A.multiply(A.T), 1).sum())
    asym = int(sp.triu(abs(A - A.T), 1).sum())
    return {"dyads_mutual": mutual, "dyads_asymmetric": asym, "dyads_null": pairs - mutual - asym}


def cohesion(
    G, *, weight: str | None = "weight", respondents=None, relation: str | None = None
) -> pd.DataFrame:
    """Whole-network cohesion in one row (one row per relation for a dict of graphs).

    Parameters
    ----------
    G : networkx.Graph or DiGraph, or dict
        One relation (see :func:`~clusterlab.networks.from_edges`), or ``{relation: graph}``
        as returned by :func:`~clusterlab.networks.relations`.
    weight : str or None
        Edge attribute for the valued density; ``None`` = binary only.
    respondents : str or iterable, optional
        Actors who answered (node attribute or ids); defaults to ``G.graph["respondents"]`` if
        set by :func:`~clusterlab.networks.missing_respondents`, else everyone.
    relation : str, optional
        Label of the row (default ``G.graph["relation"]``).

    Returns
    -------
    pandas.DataFrame
        One row: ``relation, directed, n_nodes, n_firms, n_ties, density, density_valued,
        density_observed, n_respondents, avg_degree, reciprocity, reciprocity_dyads,
        dyads_mutual, dyads_asymmetric, dyads_null, transitivity, avg_clustering, n_components,
        n_strong_components, largest_component_share, n_isolates, fragmentation, avg_distance,
        diameter, compactness``.

    Notes
    -----
    With :math:`n` actors, :math:`L` ties (arcs) and :math:`x_{ij}` tie values, the binary
    density is :math:`L / (n(n-1))` for directed and :math:`2L/(n(n-1))` for undirected
    networks; the valued density is :math:`\\sum x_{ij} / (n(n-1))` (ordered pairs; for an
    undirected network each tie is counted in both directions). ``density_observed`` divides the
    ties sent by the :math:`r` respondents by :math:`r(n-1)` (the pairs whose tie was observed).
    Average degree is :math:`L/n` (out-degree = in-degree) for directed and :math:`2L/n` for
    undirected networks. ``reciprocity`` is the share of arcs that are reciprocated,
    :math:`2M/(2M+A)` (networkx), ``reciprocity_dyads`` the share of connected dyads that are
    mutual, :math:`M/(M+A)` (UCINET's dyad method). ``transitivity`` is the share of two-paths
    :math:`i\\to j\\to k` (:math:`i\\ne k`) closed by :math:`i\\to k`; for undirected graphs this is
    :math:`3\\times` triangles / connected triples. Components are weak components; fragmentation
    (Borgatti 2006) is the share of ordered pairs that cannot reach each other,
    :math:`1-\\sum_k s_k(s_k-1)/(n(n-1))` in undirected networks. Average distance and diameter
    are taken over reachable pairs only (a :class:`DisconnectedWarning` says so);
    compactness is the mean of :math:`1/d_{ij}` over all ordered pairs (0 when unreachable).

    References
    ----------
    Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, ch. 4, 13. Cambridge UP.
    Borgatti, S. P. (2006). Identifying sets of key players in a social network.
    *Computational and Mathematical Organization Theory* 12, 21-34.

    Examples
    --------
    >>> import networkx as nx
    >>> c = cohesion(nx.path_graph(3))
    >>> float(c.loc[0, "density"]), float(c.loc[0, "avg_distance"]), int(c.loc[0, "diameter"])
    (0.6666666666666666, 1.3333333333333333, 2)
    """
    if isinstance(G, dict):
        return pd.concat(
            [
                cohesion(g, weight=weight, respondents=respondents, relation=str(r))
                for r, g in G.items()
            ],
            ignore_index=True,
        )
    check_graph(G, min_nodes=1, weight=weight)
    nodes, A = _sparse(G)
    n = len(nodes)
    directed = G.is_directed()
    pairs = n * (n - 1)
    L = int(A.sum()) if directed else int(A.sum() // 2)
    row: dict = {
        "relation": relation if relation is not None else G.graph.get("relation"),
        "directed": directed,
        "n_nodes": n,
        "n_firms": n_firms(G),
        "n_ties": L,
    }
    row["density"] = A.sum() / pairs if pairs else np.nan
    if weight is not None:
        _, W = _sparse(G, weight=weight)
        row["density_valued"] = W.sum() / pairs if pairs else np.nan
    else:
        row["density_valued"] = np.nan
    if respondents is None:
        respondents = G.graph.get("respondents")
    resp = respondent_set(G, respondents)
    pos = {v: i for i, v in enumerate(nodes)}
    idx = sorted(pos[v] for v in resp)
    row["n_respondents"] = len(resp)
    row["density_observed"] = A[idx].sum() / (len(idx) * (n - 1)) if idx and n > 1 else np.nan
    row["avg_degree"] = (L / n if directed else 2 * L / n) if n else np.nan
    census = dyad_census(G)
    M, As = census["dyads_mutual"], census["dyads_asymmetric"]
    row["reciprocity"] = (2 * M / (2 * M + As) if (M + As) else np.nan) if directed else np.nan
    row["reciprocity_dyads"] = (M / (M + As) if (M + As) else np.nan) if directed else np.nan
    row.update(census)
    P = sp.csr_array(A @ A)
    P.setdiag(0)
    two_paths = P.sum()
    row["transitivity"] = float(P.multiply(A).sum() / two_paths) if two_paths else np.nan
    U = G.to_undirected(as_view=True) if directed else G
    row["avg_clustering"] = nx.average_clustering(U) if n else np.nan
    comps = list(nx.connected_components(U)) if n else []
    row["n_components"] = len(comps)
    row["n_strong_components"] = (
        nx.number_strongly_connected_components(G) if directed else len(comps)
    )
    row["largest_component_share"] = max(map(len, comps)) / n if n else np.nan
    row["n_isolates"] = nx.number_of_isolates(G)
    # distances over reachable ordered pairs (breadth-first searches in C)
    reach_v, dist_v, inv_v, long_v = _distance_summaries(A, with_max=True)
    reach = int(reach_v.sum() - n)
    dist_sum, inv = float(dist_v.sum()), float(inv_v.sum())
    diam = int(long_v.max()) if reach else 0
    row["fragmentation"] = 1 - reach / pairs if pairs else np.nan
    row["avg_distance"] = dist_sum / reach if reach else np.nan
    row["diameter"] = diam if reach else np.nan
    row["compactness"] = inv / pairs if pairs else np.nan
    if pairs and reach < pairs:
        warnings.warn(
            f"relation {row['relation']!r}: {pairs - reach} of {pairs} ordered pairs "
            "cannot reach each other; average distance and diameter use reachable "
            "pairs only (see fragmentation, compactness)",
            DisconnectedWarning,
            stacklevel=2,
        )
    return pd.DataFrame([row])


@dataclass
class GroupDensities:
    """Densities within and between groups of actors (block densities) and E-I indices.

    Attributes
    ----------
    blocks : pandas.DataFrame
        ``group_from, group_to, n_from, n_to, ties, possible, density``.
    matrix : pandas.DataFrame
        The block density matrix (rows: sending group, columns: receiving group).
    ei : pandas.DataFrame
        ``group, internal, external, ei_index, ei_expected`` per group and for the whole
        network (``group = "(all)"``).

    Examples
    --------
    >>> import networkx as nx
    >>> from clusterlab.networks import group_densities
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": 1, "b": 1, "c": 2, "d": 2}, "g")
    >>> group_densities(G, "g").matrix   # one of the 4 possible ties between the groups
    g     1     2
    g
    1  1.00  0.25
    2  0.25  1.00
    """

    blocks: pd.DataFrame
    matrix: pd.DataFrame
    ei: pd.DataFrame
    attribute: str

    def summary(self) -> pd.DataFrame:
        """The block table."""
        return self.blocks.copy()


def group_densities(G: nx.Graph, attribute: str, *, weight: str | None = None) -> GroupDensities:
    """Block densities between the groups of a node attribute and Krackhardt & Stern's E-I index.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    attribute : str
        Node attribute defining the groups (e.g. ``"kind"``, ``"member"``); must be present for
        every actor (else :class:`DataValidationError` naming the actors).
    weight : str, optional
        Edge attribute for valued block densities (mean tie value); ``None`` = binary.

    Returns
    -------
    GroupDensities
        ``blocks`` (``group_from, group_to, n_from, n_to, ties, possible, density``), the
        block density ``matrix`` and the E-I table ``ei``; ``.summary()`` is the block table.

    Notes
    -----
    Block density from group :math:`g` to :math:`h`: :math:`\\sum_{i\\in g, j\\in h, i\\ne j}
    x_{ij} / (n_g n_h)` for :math:`g\\ne h`, and :math:`/(n_g(n_g-1))` within a group
    (an undirected tie counts in both directions, so block densities match UCINET's symmetric
    matrix). E-I index (Krackhardt & Stern 1988): :math:`(E-I)/(E+I)` with :math:`E` the ties
    between and :math:`I` the ties within groups (each undirected tie / arc counted once); for a
    group, :math:`E` counts the ties its members send to or receive from outsiders.
    ``ei_expected`` is the value if every possible tie were present — the E-I index expected
    under random tie placement given the group sizes.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises.
    *Social Psychology Quarterly* 51, 123-140.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": 1, "b": 1, "c": 2, "d": 2}, "g")
    >>> gd = group_densities(G, "g")
    >>> float(gd.matrix.loc[1, 1]), float(gd.matrix.loc[1, 2]), float(gd.ei.iloc[-1]["ei_index"])
    (1.0, 0.25, -0.3333333333333333)
    """
    check_graph(G, weight=weight)
    vals = node_values(G, attribute)
    nodes, A = adjacency(G, weight=weight)
    lab = np.array([vals[v] for v in nodes], dtype=object)
    groups = sorted(set(lab.tolist()), key=lambda x: (str(type(x)), x))
    rows = []
    for g in groups:
        ig = lab == g
        for h in groups:
            ih = lab == h
            ties = A[np.ix_(ig, ih)].sum()
            possible = ig.sum() * (ig.sum() - 1) if g == h else ig.sum() * ih.sum()
            rows.append(
                {
                    "group_from": g,
                    "group_to": h,
                    "n_from": int(ig.sum()),
                    "n_to": int(ih.sum()),
                    "ties": float(ties),
                    "possible": int(possible),
                    "density": ties / possible if possible else np.nan,
                }
            )
    blocks = pd.DataFrame(rows)
    matrix = blocks.pivot(index="group_from", columns="group_to", values="density")
    matrix.index.name, matrix.columns.name = attribute, attribute
    B = (A != 0).astype(float)
    if not G.is_directed():
        B = np.triu(B)
    same = lab[:, None] == lab[None, :]
    ei_rows = []
    n = len(nodes)
    for g in groups + ["(all)"]:
        if g == "(all)":
            internal, external = B[same].sum(), B[~same].sum()
            sizes = np.array([(lab == h).sum() for h in groups])
            pin = (sizes * (sizes - 1)).sum()
            pex = n * (n - 1) - pin
        else:
            ig = lab == g
            internal = B[np.ix_(ig, ig)].sum()
            external = B[np.ix_(ig, ~ig)].sum() + B[np.ix_(~ig, ig)].sum()
            pin = ig.sum() * (ig.sum() - 1)
            pex = 2 * ig.sum() * (~ig).sum()
            if not G.is_directed():
                pin, pex = pin / 2, pex / 2
        if g == "(all)" and not G.is_directed():
            pin, pex = pin / 2, pex / 2
        tot = internal + external
        ei_rows.append(
            {
                "group": g,
                "internal": float(internal),
                "external": float(external),
                "ei_index": (external - internal) / tot if tot else np.nan,
                "ei_expected": (pex - pin) / (pex + pin) if (pex + pin) else np.nan,
            }
        )
    return GroupDensities(blocks, matrix, pd.DataFrame(ei_rows), attribute)
