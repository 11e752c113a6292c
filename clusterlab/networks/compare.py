# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Members versus non-members of a cluster initiative inside the network: degree, brokerage and
core membership, with label-permutation tests.

Examples
--------
>>> import networkx as nx
>>> from clusterlab.networks import member_comparison
>>> G = nx.star_graph(5)
>>> nx.set_node_attributes(G, {v: v == 0 for v in G}, "member")
>>> r = member_comparison(G, permutations=199, seed=1).set_index("measure")
>>> float(r.loc["degree", "mean_members"]), float(r.loc["degree", "mean_non_members"])
(1.0, 0.2)
"""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd

from clusterlab._validation import problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.networks._common import (
    DisconnectedWarning,
    NetworkWarning,
    check_graph,
    node_values,
    rng_from,
)
from clusterlab.networks.brokerage import brokerage
from clusterlab.networks.centrality import centrality
from clusterlab.networks.coreperiphery import core_periphery

__all__ = ["member_comparison", "MEMBER_MEASURES", "label_permutation_test", "as_member"]

MEMBER_MEASURES = [
    "degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "brokerage",
    "effective_size",
    "constraint",
    "core",
]
#: Measures that need at least one tie (skipped with a warning on a tieless network).
TIE_MEASURES = ["betweenness", "brokerage", "effective_size", "constraint", "core"]


_TRUE = ("true", "1", "yes", "y", "member")
_FALSE = ("false", "0", "no", "n", "non-member", "non_member", "nonmember")


def as_member(x):
    """True/False from a bool, 0/1 or a yes/no word; ``None`` for anything else (a category
    such as 2 or "associate" is not silently read as membership)."""
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, str):
        w = x.strip().lower()
        return True if w in _TRUE else (False if w in _FALSE else None)
    if isinstance(x, (int, float, np.integer, np.floating)) and x in (0, 1):
        return bool(x)
    return None


def member_comparison(
    G: nx.Graph,
    attribute: str = "member",
    *,
    measures=None,
    among: tuple[str, object] | None = None,
    permutations: int = 2000,
    seed: int | None = 0,
    group_attribute: str | None = None,
    core_restarts: int = 20,
) -> pd.DataFrame:
    """How members and non-members differ in their network positions.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    attribute : str
        Boolean node attribute (``member``): True/False, 1/0 or yes/no (``member`` /
        ``non-member``); actors without a value or with any other value raise.
    measures : list of str, optional
        From ``degree, in_degree, out_degree`` (normalised), ``betweenness`` (normalised),
        ``brokerage`` (Gould-Fernandez total), ``effective_size``, ``constraint``, ``core``
        (1 if in the categorical core, :func:`core_periphery`). Default: all that apply.
    among : (attribute, value), optional
        Compare only these actors (e.g. ``("kind", "firm")``); positions are computed on the
        whole network.
    group_attribute : str, optional
        Groups for the Gould-Fernandez brokerage total (default: ``attribute``, i.e. brokerage
        across the member boundary).
    permutations, seed
        Label-permutation test: member labels are shuffled among the compared actors.
    core_restarts : int, default 20
        Random restarts of :func:`core_periphery` for the ``core`` measure.

    Returns
    -------
    pandas.DataFrame
        ``measure, mean_members, mean_non_members, difference, p_value, n_members,
        n_non_members`` (+ ``n_firms``, the firms compared, when actors have a ``kind``) with
        ``p_value`` two-sided, :math:`(1 + \\#\\{|d_\\pi| \\ge |d|\\})/(1+P)`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.star_graph(5)   # actor 0 is tied to everyone, 1-5 only to 0
    >>> nx.set_node_attributes(G, {0: True, 1: True, 2: False, 3: False, 4: False, 5: False},
    ...                        "member")
    >>> t = member_comparison(G, measures=["degree"], permutations=199, seed=1)
    >>> t[["measure", "mean_members", "mean_non_members", "difference"]]   # (1 + 0.2) / 2
      measure  mean_members  mean_non_members  difference
    0  degree           0.6               0.2         0.4
    """
    check_graph(G)
    if measures is None:
        measures = [
            m for m in MEMBER_MEASURES if G.is_directed() or m not in ("in_degree", "out_degree")
        ]
    for m in measures:
        if m not in MEMBER_MEASURES:
            raise ParameterError(f"measures: {m!r} is not one of {MEMBER_MEASURES}")
    if not isinstance(permutations, (int, np.integer)) or permutations < 1:
        raise ParameterError("permutations: expected a positive integer")
    raw = node_values(G, attribute)
    member = {v: as_member(x) for v, x in raw.items()}
    bad = [v for v, b in member.items() if b is None]
    if bad:
        raise DataValidationError(
            f"{attribute}: {len(bad)} actor(s) have a value that is not yes/no "
            "(True/False, 1/0, yes/no, member/non-member)",
            problem_frame(
                [
                    {
                        "file": "G",
                        "row": str(v),
                        "column": attribute,
                        "expected": "True/False, 1/0 or yes/no",
                        "found": repr(raw[v]),
                    }
                    for v in bad[:50]
                ]
            ),
        )
    nodes = list(G.nodes)
    if among is not None:
        vals = node_values(G, among[0], missing="keep")
        nodes = [v for v in nodes if vals[v] == among[1]]
    lab = np.array([member[v] for v in nodes])
    if lab.all() or not lab.any():
        raise ParameterError("member_comparison needs both members and non-members")
    if G.number_of_edges() == 0:
        skipped = [m for m in measures if m in TIE_MEASURES]
        if skipped:
            warnings.warn(
                "member_comparison: the network has no ties; skipped "
                + ", ".join(skipped)
                + " (they need ties)",
                NetworkWarning,
                stacklevel=2,
            )
        measures = [m for m in measures if m not in TIE_MEASURES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DisconnectedWarning)
        cen = centrality(G).set_index("node")
    table = pd.DataFrame(index=nodes)
    table["degree"] = cen["degree_norm"]
    table["in_degree"] = cen["in_degree_norm"]
    table["out_degree"] = cen["out_degree_norm"]
    table["betweenness"] = cen["betweenness"]
    if {"brokerage", "effective_size", "constraint"} & set(measures):
        H = G.copy()
        nx.set_node_attributes(H, member, "_member")
        br = brokerage(H, group_attribute or "_member").set_index("node")
        table["brokerage"] = br["total"]
        table["effective_size"] = br["effective_size"]
        table["constraint"] = br["constraint"]
    if "core" in measures:
        try:
            cp = core_periphery(G, seed=seed, restarts=core_restarts)
        except DataValidationError as exc:  # every possible tie present: no core to find
            warnings.warn(f"member_comparison: core skipped ({exc})", NetworkWarning, stacklevel=2)
            measures = [m for m in measures if m != "core"]
        else:
            table["core"] = [float(v in cp.core) for v in nodes]
    out = label_permutation_test(table, lab, measures, permutations=permutations, seed=seed)
    kinds = [G.nodes[v].get("kind") for v in nodes]
    if any(k is not None for k in kinds):
        out["n_firms"] = int(sum(k == "firm" for k in kinds))
    return out


def label_permutation_test(
    table: pd.DataFrame, lab, measures, *, permutations: int = 2000, seed: int | None = 0
) -> pd.DataFrame:
    """Difference of means between labelled (True) and other rows of ``table`` for each
    column in ``measures``, with a two-sided label-permutation p-value
    :math:`(1 + \\#\\{|d_\\pi| \\ge |d|\\})/(1+P)`; missing values are left out.

    Returns ``measure, mean_members, mean_non_members, difference, p_value, n_members,
    n_non_members`` (used by :func:`member_comparison` and
    :func:`~clusterlab.networks.network_change`).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> t = pd.DataFrame({"x": [1.0, 1.0, 0.0, 0.0]})
    >>> r = label_permutation_test(t, np.array([True, True, False, False]), ["x"],
    ...                            permutations=99, seed=1)
    >>> float(r.loc[0, "difference"])
    1.0
    """
    lab = np.asarray(lab, dtype=bool)
    rng = rng_from(seed)
    perms = [rng.permutation(len(lab)) for _ in range(permutations)]
    rows = []
    for m in measures:
        x = table[m].to_numpy(dtype=float)
        ok = ~np.isnan(x)
        xs, ls = x[ok], lab[ok]
        d = xs[ls].mean() - xs[~ls].mean() if ls.any() and (~ls).any() else np.nan
        exceed = 0
        for p in perms:
            pl = lab[p][ok]
            if pl.any() and (~pl).any():
                exceed += abs(xs[pl].mean() - xs[~pl].mean()) >= abs(d) - 1e-12
        rows.append(
            {
                "measure": m,
                "mean_members": xs[ls].mean() if ls.any() else np.nan,
                "mean_non_members": xs[~ls].mean() if (~ls).any() else np.nan,
                "difference": d,
                "p_value": (1 + exceed) / (1 + permutations) if not np.isnan(d) else np.nan,
                "n_members": int(ls.sum()),
                "n_non_members": int((~ls).sum()),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "measure",
            "mean_members",
            "mean_non_members",
            "difference",
            "p_value",
            "n_members",
            "n_non_members",
        ],
    )
