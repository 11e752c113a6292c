# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Cognitive roles of firms in a cluster's knowledge network (Giuliani & Bell 2005).

Giuliani & Bell classify firms by how much knowledge they *give* to other cluster firms, how
much they *receive* from them and how open they are to knowledge sources *outside* the cluster.
Under the package's direction convention (``source`` asks ``target`` for knowledge) a firm's
in-degree is the knowledge it gives and its out-degree the knowledge it receives.

Examples
--------
>>> import networkx as nx
>>> from clusterlab.networks import knowledge_roles
>>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "b"), ("b", "x")])
>>> nx.set_node_attributes(G, {"a": False, "b": False, "c": False, "x": True}, "external")
>>> G.add_node("d", external=False)
>>> knowledge_roles(G).set_index("node")["role"].to_dict()
{'a': 'mutual_exchanger', 'b': 'technological_gatekeeper', 'c': 'absorber', 'd': 'isolated'}
"""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.networks._common import NetworkWarning, check_graph, isolates_sorted, node_values

__all__ = ["KNOWLEDGE_ROLES", "knowledge_roles"]

KNOWLEDGE_ROLES = ["technological_gatekeeper", "mutual_exchanger", "source", "absorber", "isolated"]


def _threshold(value, data: pd.Series, name: str) -> float:
    if isinstance(value, str):
        check_choice(value, ["mean", "median"], argument=name)
        return float(getattr(data, value)()) if len(data) else 0.0
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name}={value!r}: expected 'mean', 'median' or a number") from exc


def knowledge_roles(
    G: nx.DiGraph,
    external="external",
    *,
    convention: str = "asks",
    focal: tuple[str, object] | None = None,
    in_threshold="mean",
    out_threshold="mean",
    openness_threshold="mean",
    balance: float = 0.0,
) -> pd.DataFrame:
    """Giuliani & Bell cognitive roles: technological gatekeeper, mutual exchanger, source,
    absorber, isolated.

    Parameters
    ----------
    G : networkx.DiGraph
        Knowledge network including the external partners.
    external : str, iterable or None
        Boolean node attribute marking actors outside the cluster (default ``"external"``), or
        the ids of the external actors (each must be an actor of ``G``); ``None``: no external
        actors (a warning: openness is then 0 and there are no gatekeepers).
    convention : {"asks", "gives"}
        ``"asks"``: ``source → target`` means *source asked target* (the package's convention;
        knowledge given = in-degree); ``"gives"``: *source gave knowledge to target*.
    focal : (attribute, value), optional
        Classify only these cluster actors, e.g. ``("kind", "firm")``; degrees still count
        ties to all cluster actors.
    in_threshold, out_threshold, openness_threshold : "mean", "median" or float
        What counts as *high* knowledge given / received / external openness; ``"mean"`` (the
        default) is the mean over the focal actors, as in Giuliani & Bell's figure of
        in- vs out-degree.
    balance : float
        Tolerance for "balanced" exchange: a firm is a source when given > (1 + balance) ×
        received, an absorber when received > (1 + balance) × given.

    Returns
    -------
    pandas.DataFrame
        ``node, given, received, external_ties, openness, ratio, role, in_threshold,
        out_threshold, openness_threshold``: the three thresholds actually used (numbers,
        e.g. the mean when ``"mean"`` was asked) are the same on every row, so that they
        travel with the roles (report them with the result). ``attrs`` still holds them and
        ``convention`` for one release (deprecated: pandas drops ``attrs`` on copies and
        merges; read the columns).

    Notes
    -----
    With :math:`g_i` the number of cluster actors *i* gives knowledge to, :math:`r_i` the number
    it receives knowledge from and :math:`e_i` its external knowledge sources, openness is
    :math:`o_i = e_i / (e_i + r_i)` (share of knowledge sources outside the cluster) and the ratio
    :math:`g_i / r_i`. Rules, in order: *isolated* if :math:`g_i = r_i = 0`; *technological
    gatekeeper* if :math:`g_i` and :math:`r_i` are high and :math:`o_i > 0` is high; *mutual
    exchanger* if :math:`g_i` and :math:`r_i` are high; otherwise *source* / *absorber* /
    *mutual exchanger* by the ratio (greater than, below or within ``balance`` of 1). "High"
    means at least the threshold and positive. These thresholds operationalise the paper's
    verbal definitions; report them with the result.

    References
    ----------
    Giuliani, E. & Bell, M. (2005). The micro-determinants of meso-level learning and
    innovation: evidence from a Chilean wine cluster. *Research Policy* 34, 47-68.
    Morrison, A. (2008). Gatekeepers of knowledge within industrial districts. *Regional
    Studies* 42, 817-835.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("f1", "f2"), ("f2", "f1"), ("f1", "x"), ("f3", "f1"), ("f3", "f2")])
    >>> nx.set_node_attributes(G, {"f1": False, "f2": False, "f3": False, "x": True},
    ...                        "external")
    >>> knowledge_roles(G)[["node", "given", "received", "openness", "role"]]
      node  given  received  openness      role
    0   f1      2         1       0.5    source
    1   f2      2         1       0.0    source
    2   f3      0         2       0.0  absorber

    The thresholds of "high" (here the means over the three firms):

    >>> knowledge_roles(G)[["in_threshold", "out_threshold", "openness_threshold"]].iloc[0]
    in_threshold          1.333333
    out_threshold         1.333333
    openness_threshold    0.166667
    Name: 0, dtype: float64
    """
    check_graph(G)
    check_choice(convention, ["asks", "gives"], argument="convention")
    if not G.is_directed():
        raise ParameterError(
            "knowledge_roles needs a directed knowledge network (who turns to "
            "whom); an undirected network has no given/received distinction"
        )
    if external is None:
        warnings.warn(
            "knowledge_roles: external=None, no actor is outside the cluster: "
            "openness is 0 and nobody can be a technological gatekeeper",
            NetworkWarning,
            stacklevel=2,
        )
        ext = set()
    elif isinstance(external, str):
        ext = {v for v, x in node_values(G, external).items() if bool(x)}
    else:
        ext = set(external)
        unknown = isolates_sorted(ext - set(G.nodes))
        if unknown:
            raise DataValidationError(
                f"external: {len(unknown)} id(s) are not actors of the network: "
                + ", ".join(map(str, unknown[:10])),
                problem_frame(
                    [
                        {
                            "file": "external",
                            "row": str(v),
                            "column": "node",
                            "expected": "an actor of the network",
                            "found": str(v),
                        }
                        for v in unknown[:50]
                    ]
                ),
            )
    internal = [v for v in G.nodes if v not in ext]
    focus = internal
    if focal is not None:
        attr, value = focal
        vals = node_values(G, attr, missing="keep")
        focus = [v for v in internal if vals[v] == value]
    asks = convention == "asks"
    rows = []
    for v in focus:
        outs, ins = set(G.successors(v)), set(G.predecessors(v))
        out_int, in_int = len(outs - ext - {v}), len(ins - ext - {v})
        given, received = (in_int, out_int) if asks else (out_int, in_int)
        e = len((outs if asks else ins) & ext)
        rows.append({"node": v, "given": given, "received": received, "external_ties": e})
    df = pd.DataFrame(rows, columns=["node", "given", "received", "external_ties"])
    df["openness"] = (
        (df["external_ties"] / (df["external_ties"] + df["received"]))
        .where((df["external_ties"] + df["received"]) > 0, 0.0)
        .astype(float)
    )
    df["ratio"] = (df["given"] / df["received"].where(df["received"] > 0)).astype(float)
    t_in = _threshold(in_threshold, df["given"], "in_threshold")
    t_out = _threshold(out_threshold, df["received"], "out_threshold")
    t_open = _threshold(openness_threshold, df["openness"], "openness_threshold")
    hi_g = (df["given"] >= t_in) & (df["given"] > 0)
    hi_r = (df["received"] >= t_out) & (df["received"] > 0)
    hi_o = (df["openness"] >= t_open) & (df["openness"] > 0)
    role = np.where(
        df["given"] > (1 + balance) * df["received"],
        "source",
        np.where(df["received"] > (1 + balance) * df["given"], "absorber", "mutual_exchanger"),
    )
    role = np.where(hi_g & hi_r, "mutual_exchanger", role)
    role = np.where(hi_g & hi_r & hi_o, "technological_gatekeeper", role)
    role = np.where((df["given"] == 0) & (df["received"] == 0), "isolated", role)
    df["role"] = pd.Series(role, index=df.index, dtype=object)
    df["in_threshold"] = t_in
    df["out_threshold"] = t_out
    df["openness_threshold"] = t_open
    # deprecated: attrs kept for one release for code that read them; use the column
    df.attrs.update(
        in_threshold=t_in, out_threshold=t_out, openness_threshold=t_open, convention=convention
    )
    return df
