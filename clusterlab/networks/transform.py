# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Transforming tie networks: symmetrise, dichotomise, transpose, subgraphs, missing respondents.

All functions return new graphs and never change the caller's graph. See :data:`DIRECTION` in
:mod:`clusterlab.networks.read` for the meaning of an arc.

Examples
--------
>>> import networkx as nx
>>> from clusterlab.networks import symmetrise, dichotomise
>>> G = nx.DiGraph()
>>> G.add_weighted_edges_from([("a", "b", 3), ("b", "a", 1), ("b", "c", 2)])
>>> sorted(symmetrise(G, "min").edges(data="weight"))
[('a', 'b', 1.0)]
>>> sorted(dichotomise(G, 2).edges())
[('a', 'b'), ('b', 'c')]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import networkx as nx
import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.networks._common import (
    MissingRespondentWarning,
    NetworkWarning,
    check_graph,
    node_values,
)

__all__ = [
    "symmetrise",
    "dichotomise",
    "transpose",
    "subgraph",
    "respondent_set",
    "missing_respondents",
    "response_rate",
]


def symmetrise(G: nx.Graph, rule: str = "max", *, weight: str = "weight") -> nx.Graph:
    """Undirected version of a directed network.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network; an undirected graph is copied unchanged.
    rule : {"max", "min", "sum", "mean"}
        ``"max"`` (UCINET's default): a tie if *either* actor names the other, valued by the
        larger value; ``"min"``: only reciprocated ties, valued by the smaller value; ``"sum"``
        and ``"mean"``: a tie if either names the other, valued by the sum / the mean of the
        two directions (an unreciprocated tie counts 0 for the missing direction).
    weight : str, default "weight"
        Edge attribute holding the tie value (a tie without it counts 1).

    Returns
    -------
    networkx.Graph
        Same actors and attributes, ``G.graph["symmetrised"] = rule``; self-loops dropped.

    Notes
    -----
    For a pair :math:`\\{i,j\\}` with values :math:`x_{ij}, x_{ji}` (0 when absent) the new value is
    :math:`\\max(x_{ij},x_{ji})`, :math:`\\min(x_{ij},x_{ji})`, :math:`x_{ij}+x_{ji}` or their mean.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    >>> symmetrise(G).number_of_edges(), symmetrise(G, "min").number_of_edges()
    (2, 1)
    """
    check_graph(G, loops="allow", weight=weight)
    check_choice(rule, ["max", "min", "sum", "mean"], argument="rule")
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    H.graph.update(G.graph)
    if not G.is_directed():
        H.add_edges_from(G.edges(data=True))
        return H
    for u, v, d in G.edges(data=True):
        if u == v or H.has_edge(u, v):
            continue
        a = float(d.get(weight, 1.0))
        b = float(G[v][u].get(weight, 1.0)) if G.has_edge(v, u) else 0.0
        val = {"max": max(a, b), "min": min(a, b), "sum": a + b, "mean": (a + b) / 2}[rule]
        if val != 0:
            H.add_edge(u, v, **{weight: val})
    H.graph["symmetrised"] = rule
    return H


def dichotomise(
    G: nx.Graph, threshold: float = 1.0, *, weight: str = "weight", strict: bool = False
) -> nx.Graph:
    """Binary network keeping the ties whose value is at least ``threshold``.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    threshold : float, default 1.0
        Smallest tie value kept.
    weight : str, default "weight"
        Edge attribute holding the tie value (a tie without it counts 1).
    strict : bool, default False
        Keep only ties *greater* than ``threshold``.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        Same type, actors and attributes; kept ties get weight 1,
        ``G.graph["dichotomised"] = threshold``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "b", 1), ("b", "c", 4)])
    >>> list(dichotomise(G, 2).edges(data="weight"))
    [('b', 'c', 1.0)]
    """
    check_graph(G, loops="allow", weight=weight)
    H = G.__class__()
    H.add_nodes_from(G.nodes(data=True))
    H.graph.update(G.graph, dichotomised=threshold)
    for u, v, d in G.edges(data=True):
        x = float(d.get(weight, 1.0))
        if (x > threshold) if strict else (x >= threshold):
            H.add_edge(u, v, **{weight: 1.0})
    return H


def transpose(G: nx.Graph) -> nx.Graph:
    """Reverse every arc (turn "i gives to j" data into "i turns to j").

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        A copy with every arc reversed; an undirected graph is copied unchanged.

    Examples
    --------
    >>> import networkx as nx
    >>> list(transpose(nx.DiGraph([("a", "b")])).edges())
    [('b', 'a')]
    """
    check_graph(G, loops="allow")
    return G.reverse(copy=True) if G.is_directed() else G.copy()


def subgraph(
    G: nx.Graph,
    values: Iterable | str = ("firm",),
    *,
    attribute: str = "kind",
    exclude: bool = False,
) -> nx.Graph:
    """The network among the actors whose ``attribute`` is in ``values`` (e.g. firms only),
    or among the others when ``exclude``.

    Actors without the attribute never match ``values`` (so they are dropped, or kept with
    ``exclude=True``) and a :class:`NetworkWarning` says how many there are; when no actor has
    the attribute at all a :class:`~clusterlab.errors.DataValidationError` is raised instead of
    returning an empty network.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    values : str or iterable, default ("firm",)
        Attribute value(s) of the actors kept.
    attribute : str, default "kind"
        Node attribute compared with ``values``.
    exclude : bool, default False
        Keep the actors whose attribute is *not* in ``values`` instead.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        A copy of the network among the kept actors, with their attributes.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("f1", "u"), ("f1", "f2")])
    >>> nx.set_node_attributes(G, {"f1": "firm", "f2": "firm", "u": "university"}, "kind")
    >>> sorted(subgraph(G, "firm").edges())
    [('f1', 'f2')]
    """
    check_graph(G, loops="allow")
    values = {values} if isinstance(values, str) else set(values)
    attr = node_values(G, attribute, missing="keep")
    absent = [v for v, x in attr.items() if x is None]
    if absent and len(absent) == len(attr):
        raise DataValidationError(
            f"subgraph: no actor has the attribute {attribute!r} (attach the actor table with "
            "from_edges(edges, nodes) or name another attribute)",
            problem_frame(
                [
                    {
                        "file": "G",
                        "column": attribute,
                        "expected": "an attribute of the actors",
                        "found": "missing",
                    }
                ]
            ),
        )
    if absent:
        warnings.warn(
            f"subgraph: {len(absent)} actor(s) have no {attribute!r} and are "
            + ("kept" if exclude else "dropped")
            + ": "
            + ", ".join(map(str, absent[:10]))
            + (" ..." if len(absent) > 10 else ""),
            NetworkWarning,
            stacklevel=2,
        )
    keep = [v for v, x in attr.items() if (x in values) != exclude]
    return G.subgraph(keep).copy()


def respondent_set(G: nx.Graph, respondents) -> set:
    """The set of actors who answered the network survey.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    respondents : None, "auto", str or iterable
        ``None`` (everyone answered), ``"auto"``, the name of a boolean node attribute, or an
        iterable of actor ids (ids given as text match actors with that text; unknown ids
        raise a :class:`~clusterlab.errors.DataValidationError`).

    Returns
    -------
    set
        The respondents' node ids.

    Notes
    -----
    ``"auto"`` uses the ``responded`` attribute when the actors have one, else takes every actor
    not flagged ``external`` as surveyed (external partners are named by respondents but not
    asked themselves), else everyone.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "x")]); nx.set_node_attributes(G, {"a": False, "x": True}, "external")
    >>> sorted(respondent_set(G, "auto"))
    ['a']
    """
    if respondents is None:
        return set(G.nodes)
    if isinstance(respondents, str) and respondents == "auto":
        has = lambda a: any(d.get(a) is not None for _, d in G.nodes(data=True))  # noqa: E731
        if has("responded"):
            respondents = "responded"
        elif has("external"):
            return {v for v, d in G.nodes(data=True) if not bool(d.get("external"))}
        else:
            return set(G.nodes)
    if isinstance(respondents, str):
        vals = node_values(G, respondents)
        return {v for v, x in vals.items() if bool(x)}
    out = {str(r) if str(r) in G and r not in G else r for r in respondents}
    unknown = [r for r in out if r not in G]
    if unknown:
        raise DataValidationError(
            f"respondents: {len(unknown)} id(s) are not actors of the network",
            problem_frame(
                [
                    {
                        "file": "respondents",
                        "row": str(r),
                        "column": "node",
                        "expected": "an actor of the network",
                        "found": str(r),
                    }
                    for r in unknown[:50]
                ]
            ),
        )
    return out


def missing_respondents(G: nx.Graph, respondents, *, method: str = "reconstruct") -> nx.Graph:
    """Handle actors who did not answer the network survey.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    respondents : str or iterable
        Boolean node attribute (e.g. ``"responded"``) or the ids of the actors who answered.
    method : {"reconstruct", "remove", "keep"}
        ``"remove"``: analyse the respondents only (the network among them).
        ``"reconstruct"`` (Stork & Richards 1992; Huisman 2009): a tie reported by respondent
        *i* to non-respondent *j* is taken to hold in both directions, so the unobserved *j → i*
        tie is imputed as reciprocated; ties among non-respondents stay unknown (absent).
        ``"keep"``: no change, the respondents are only recorded (``G.graph["respondents"]``) so
        that :func:`~clusterlab.networks.cohesion` computes density over observed pairs.

    Returns
    -------
    networkx.Graph
        With ``G.graph["respondents"]`` (the set of respondents) and
        ``G.graph["missing_method"]``. A :class:`MissingRespondentWarning` reports the response
        rate whenever it is below 1.

    References
    ----------
    Stork, D. & Richards, W. D. (1992). Nonrespondents in communication network studies.
    *Group & Organization Management* 17, 193-209. Huisman, M. (2009). Imputation of missing
    network data: some simple procedures. *Journal of Social Structure* 10(1).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "a")])
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     H = missing_respondents(G, ["a", "b"], method="reconstruct")   # c did not answer
    >>> print(caught[0].message)
    1 of 3 actors did not answer (response rate 67%); method='reconstruct'
    >>> sorted(H.edges())
    [('a', 'b'), ('a', 'c'), ('b', 'a'), ('c', 'a')]
    """
    check_graph(G, loops="allow")
    check_choice(method, ["reconstruct", "remove", "keep"], argument="method")
    resp = respondent_set(G, respondents)
    n = G.number_of_nodes()
    if n and len(resp) < n:
        warnings.warn(
            f"{n - len(resp)} of {n} actors did not answer (response rate "
            f"{len(resp) / n:.0%}); method={method!r}",
            MissingRespondentWarning,
            stacklevel=2,
        )
    if method == "remove":
        H = G.subgraph(resp).copy()
    else:
        H = G.copy()
        if method == "reconstruct" and G.is_directed():
            for u, v, d in list(G.edges(data=True)):
                if u in resp and v not in resp and not H.has_edge(v, u):
                    H.add_edge(v, u, **dict(d, imputed=True))
    H.graph.update(respondents=set(resp) & set(H.nodes), missing_method=method)
    return H


def response_rate(G: nx.Graph, respondents, *, by: str | None = "kind") -> pd.DataFrame:
    """Who answered the network survey, overall and by a node attribute.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    respondents : None, "auto", str or iterable
        As for :func:`respondent_set`.
    by : str or None, default "kind"
        Node attribute to group by (actors without it form the group ``"(missing)"``);
        ``None``: overall only.

    Returns
    -------
    pandas.DataFrame
        ``attribute, group, n_actors, n_respondents, response_rate``: the first row is all
        actors (``group = "all"``), then one row per value of ``by``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b")]); G.add_node("c")
    >>> response_rate(G, ["a", "b"], by=None)[["n_actors", "n_respondents"]].to_dict("records")
    [{'n_actors': 3, 'n_respondents': 2}]
    """
    check_graph(G, loops="allow")
    resp = respondent_set(G, respondents)
    df = pd.DataFrame({"node": list(G.nodes)})
    df["responded"] = df["node"].isin(resp)
    groups = [("all", df)]
    if by is not None:
        vals = node_values(G, by, missing="keep")
        df[by] = df["node"].map(vals).fillna("(missing)").astype(str)
        groups += [(g, sub) for g, sub in df.groupby(by, sort=True)]
    rows = [
        {
            "group": g,
            "n_actors": len(sub),
            "n_respondents": int(sub["responded"].sum()),
            "response_rate": float(sub["responded"].mean()) if len(sub) else float("nan"),
        }
        for g, sub in groups
    ]
    if by is not None and not isinstance(by, str):
        raise ParameterError("by: expected a node attribute name or None")
    out = pd.DataFrame(rows)
    out.insert(0, "attribute", [None] + [by] * (len(out) - 1) if by else [None])
    return out
