# ruff: noqa: N803, N806  (networkx convention: G for a graph)
"""Change of a cluster network across survey waves: ties formed, dropped and kept, stability of
actors' positions, and how members of the cluster initiative changed compared with
non-members.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.networks import network_change
>>> e = pd.DataFrame({"source": ["a", "a", "b", "d", "a", "c", "d"],
...                   "target": ["b", "c", "c", "a", "b", "a", "a"],
...                   "wave": [1, 1, 1, 1, 2, 2, 2]})
>>> ch = network_change(e, member=None)
>>> ch.ties[["formed", "dropped", "kept", "jaccard"]].to_dict("records")
[{'formed': 1, 'dropped': 2, 'kept': 2, 'jaccard': 0.4}]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy.stats import ConstantInputWarning, spearmanr

from clusterlab._validation import problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.networks._common import DisconnectedWarning, NetworkWarning, node_values
from clusterlab.networks.brokerage import brokerage
from clusterlab.networks.centrality import centrality
from clusterlab.networks.compare import as_member, label_permutation_test
from clusterlab.networks.coreperiphery import core_periphery
from clusterlab.networks.read import _new_spellings
from clusterlab.networks.write import waves

__all__ = ["network_change", "NetworkChange", "CHANGE_MEASURES"]

#: Actor-level changes compared between members and non-members.
CHANGE_MEASURES = [
    "ties_formed",
    "ties_dropped",
    "degree_change",
    "brokerage_change",
    "betweenness_change",
    "entered_core",
    "left_core",
]


@dataclass(frozen=True)
class NetworkChange:
    """Result of :func:`network_change`.

    Attributes
    ----------
    ties : DataFrame
        One row per pair of consecutive waves: ``wave_from, wave_to, n_actors, ties_from,
        ties_to, formed, dropped, kept, jaccard, hamming``.
    actors : DataFrame
        One row per actor and wave pair: ``node, wave_from, wave_to`` (+ ``member``),
        ``degree_from, degree_to, degree_change, ties_formed, ties_dropped, betweenness_from,
        betweenness_to, betweenness_change, brokerage_from, brokerage_to, brokerage_change,
        core_from, core_to, entered_core, left_core``.
    stability : DataFrame
        ``wave_from, wave_to, measure, spearman, top_overlap, top_n, n_actors``: rank
        correlation of each centrality between the waves and the overlap of the top actors.
    members : DataFrame
        ``wave_from, wave_to, measure, mean_members, mean_non_members, difference, p_value,
        n_members, n_non_members`` (+ ``n_firms``): members' changes against non-members',
        label-permutation test as in :func:`~clusterlab.networks.member_comparison`; empty
        without a membership attribute.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.networks import network_change
    >>> e = pd.DataFrame({"source": ["a", "b", "c", "a", "b", "c"],
    ...                   "target": ["b", "c", "d", "b", "d", "d"], "wave": [1, 1, 1, 2, 2, 2]})
    >>> network_change(e, member=None).ties[["formed", "dropped", "kept", "jaccard"]]
       formed  dropped  kept  jaccard
    0       1        1     2      0.5
    """

    ties: pd.DataFrame
    actors: pd.DataFrame
    stability: pd.DataFrame
    members: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """The tie changes per wave pair with the rank stability of degree and betweenness."""
        st = self.stability.pivot_table(
            index=["wave_from", "wave_to"], columns="measure", values="spearman"
        ).add_prefix("spearman_")
        st.columns.name = None
        return self.ties.merge(st.reset_index(), on=["wave_from", "wave_to"], how="left")

    def text(self) -> str:
        """A plain-language account of the change, one paragraph per wave pair."""
        out = []
        for t in self.ties.itertuples():
            s = (
                f"Between wave {t.wave_from} and wave {t.wave_to}, {t.formed} ties were formed, "
                f"{t.dropped} dropped and {t.kept} kept (of {t.ties_from} ties in wave "
                f"{t.wave_from}; {t.ties_to} in wave {t.wave_to}). The Jaccard index of "
                f"{t.jaccard:.2f} means that {_jaccard_words(t.jaccard)}."
            )
            st = self.stability[
                (self.stability["wave_from"] == t.wave_from)
                & (self.stability["wave_to"] == t.wave_to)
            ]
            for r in st.itertuples():
                if np.isfinite(r.spearman):
                    s += (
                        f" Actors' {r.measure} ranks correlate at {r.spearman:.2f}; "
                        f"{r.top_overlap:.0%} of the top {r.top_n} stayed in the top "
                        f"{r.top_n}."
                    )
            mem = (
                self.members[
                    (self.members["wave_from"] == t.wave_from)
                    & (self.members["wave_to"] == t.wave_to)
                ].set_index("measure")
                if len(self.members)
                else pd.DataFrame()
            )
            for m, phrase in (
                ("ties_formed", "formed"),
                ("brokerage_change", "changed their brokerage by"),
                ("entered_core", "entered the core"),
            ):
                if m not in mem.index:
                    continue
                r = mem.loc[m]
                unit = "" if m != "entered_core" else " (share)"
                sig = (
                    "a difference unlikely under chance"
                    if r.p_value <= 0.05
                    else "a difference that could be chance"
                )
                s += (
                    f" Members {phrase} {r.mean_members:.2f}{unit} on average against "
                    f"{r.mean_non_members:.2f} for non-members (p = {r.p_value:.3f}: {sig})."
                )
            out.append(s)
        return "\n\n".join(out)


def _jaccard_words(j: float) -> str:
    if not np.isfinite(j):
        return "there were no ties to compare"
    if j >= 0.6:
        return "the network was largely stable"
    if j >= 0.3:
        return (
            "the network changed moderately (Snijders et al. 2010 suggest above .3 for "
            "stochastic actor-oriented models)"
        )
    return (
        "most ties changed (below .2 Snijders et al. 2010 advise caution with "
        "stochastic actor-oriented models)"
        if j < 0.2
        else "the network changed a lot"
    )


def _tie_set(G) -> set:
    if G.is_directed():
        return set(G.edges())
    return {tuple(sorted((u, v), key=str)) for u, v in G.edges()}


def _positions(G, member, seed, core_restarts, group):
    """Degree, betweenness, Gould-Fernandez brokerage total and core membership per actor."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DisconnectedWarning)
        cen = centrality(G, weight=None).set_index("node")
    pos = pd.DataFrame(
        {
            "degree": cen["degree"].astype(float),
            "betweenness": cen["betweenness"],
            "eigenvector": cen["eigenvector"],
        }
    )
    if G.number_of_edges() == 0:
        pos["brokerage"] = 0.0
        pos["core"] = np.nan  # no ties: core membership undefined
        return pos, False
    H = G.copy()
    if group is None:
        nx.set_node_attributes(H, member if member else dict.fromkeys(G, True), "_group")
        group = "_group"
    pos["brokerage"] = brokerage(H, group).set_index("node")["total"].astype(float)
    try:
        cp = core_periphery(G, seed=seed, restarts=core_restarts)
        pos["core"] = [float(v in cp.core) for v in pos.index]
        has_core = True
    except (DataValidationError, ParameterError):  # complete network or < 4 actors
        pos["core"] = np.nan
        has_core = False
    return pos, has_core


def network_change(
    edges: pd.DataFrame,
    nodes: pd.DataFrame | None = None,
    *,
    wave: str = "wave",
    relation: str | None = None,
    relation_col: str = "tie_type",
    member: str | None = "member",
    among: tuple[str, object] | None = None,
    group_attribute: str | None = None,
    top_n: int = 10,
    permutations: int = 1000,
    seed: int | None = 0,
    core_restarts: int = 20,
    **from_edges_kw,
) -> NetworkChange:
    """How a network changed between consecutive survey waves.

    Parameters
    ----------
    edges : pandas.DataFrame
        The ``edges`` contract with a ``wave`` column (``source`` turns to ``target``).
    nodes : pandas.DataFrame, optional
        Actor table; it defines the actors of every wave (an actor without ties in a wave is
        an isolate there). Without it, every actor named in any wave.
    wave : str
        Column holding the wave (numbers or sortable labels); at least two waves.
    relation, relation_col
        Keep one relation (``tie_type`` value); required when the table holds several.
    member : str or None
        Boolean actor attribute of initiative membership (as in
        :func:`~clusterlab.networks.member_comparison`); ``None`` skips the comparison.
    among : (attribute, value), optional
        Compare only these actors (e.g. ``("kind", "firm")``); positions are computed on the
        whole network.
    group_attribute : str, optional
        Groups of the Gould-Fernandez brokerage (default: membership, i.e. brokerage across
        the member boundary).
    top_n : int
        Size of the top group whose overlap measures rank stability.
    permutations, seed, core_restarts
        Label-permutation test, seeds and restarts of :func:`core_periphery`.
    **from_edges_kw
        Passed to :func:`~clusterlab.networks.from_edges` (``directed``, ``duplicates``, …).

    Returns
    -------
    NetworkChange
        ``ties``, ``actors``, ``stability``, ``members``; ``.summary()`` and ``.text()``.

    Notes
    -----
    With :math:`N_{11}` ties present in both waves (kept), :math:`N_{01}` formed and
    :math:`N_{10}` dropped, the Jaccard index is :math:`N_{11}/(N_{01}+N_{10}+N_{11})` and the
    Hamming distance :math:`N_{01}+N_{10}` (Snijders, van de Bunt & Steglich 2010, who advise
    Jaccard values above .3, and not below .2, for stochastic actor-oriented models). An
    undirected tie is one pair. Actor-level ``ties_formed``/``ties_dropped`` count the ties
    the actor is part of (sent or received); ``degree`` is total degree (in + out),
    ``brokerage`` the Gould & Fernandez (1989) total, ``core`` membership of the
    Borgatti-Everett categorical core; ``entered_core`` is 1 for an actor outside the core in
    the first wave and inside in the second. Stability: Spearman correlation of the
    actors' scores between the waves.

    References
    ----------
    Snijders, T. A. B., van de Bunt, G. G. & Steglich, C. E. G. (2010). Introduction to
    stochastic actor-based models for network dynamics. *Social Networks* 32, 44-60.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"source": ["a", "b", "d", "a", "c", "d"],
    ...                   "target": ["b", "c", "a", "b", "b", "a"],
    ...                   "wave": [1, 1, 1, 2, 2, 2]})
    >>> ch = network_change(e, member=None)
    >>> ch.actors.set_index("node").loc["c", ["ties_formed", "ties_dropped"]].tolist()
    [1, 1]
    """
    if not isinstance(top_n, (int, np.integer)) or top_n < 1:
        raise ParameterError("top_n: expected a positive integer")
    from_edges_kw = _new_spellings(dict(from_edges_kw))
    graphs = waves(
        edges, nodes, wave=wave, relation=relation, relation_col=relation_col, **from_edges_kw
    )
    if len(graphs) < 2:
        raise DataValidationError(
            f"network_change needs at least two waves in column {wave!r}, found {len(graphs)}",
            problem_frame(
                [
                    {
                        "file": "edges",
                        "column": wave,
                        "expected": "two or more waves",
                        "found": ", ".join(map(str, graphs)) or "none",
                    }
                ]
            ),
        )
    first = next(iter(graphs.values()))
    mem = None
    if member is not None:
        raw = node_values(first, member, name="nodes")
        mem = {v: as_member(x) for v, x in raw.items()}
        bad = [v for v, b in mem.items() if b is None]
        if bad:
            raise DataValidationError(
                f"{member}: {len(bad)} actor(s) have a value that is not yes/no",
                problem_frame(
                    [
                        {
                            "file": "nodes",
                            "row": str(v),
                            "column": member,
                            "expected": "True/False, 1/0 or yes/no",
                            "found": repr(raw[v]),
                        }
                        for v in bad[:50]
                    ]
                ),
            )
    compared = list(first.nodes)
    if among is not None:
        vals = node_values(first, among[0], missing="keep")
        compared = [v for v in compared if vals[v] == among[1]]
    keys = list(graphs)
    positions = {}
    no_core = []
    for w in keys:
        positions[w], has_core = _positions(graphs[w], mem, seed, core_restarts, group_attribute)
        if not has_core and graphs[w].number_of_edges():
            no_core.append(w)
    if no_core:
        warnings.warn(
            f"waves {no_core}: no core-periphery structure (fewer than 4 actors or "
            "every possible tie present); core membership left missing",
            NetworkWarning,
            stacklevel=2,
        )
    tie_rows, actor_rows, stab_rows, member_tables = [], [], [], []
    for w0, w1 in zip(keys[:-1], keys[1:], strict=True):
        G0, G1 = graphs[w0], graphs[w1]
        T0, T1 = _tie_set(G0), _tie_set(G1)
        formed, dropped, kept = T1 - T0, T0 - T1, T0 & T1
        union = len(formed) + len(dropped) + len(kept)
        tie_rows.append(
            {
                "wave_from": w0,
                "wave_to": w1,
                "n_actors": G0.number_of_nodes(),
                "ties_from": len(T0),
                "ties_to": len(T1),
                "formed": len(formed),
                "dropped": len(dropped),
                "kept": len(kept),
                "jaccard": len(kept) / union if union else np.nan,
                "hamming": len(formed) + len(dropped),
            }
        )
        n_formed = dict.fromkeys(G0.nodes, 0)
        n_dropped = dict.fromkeys(G0.nodes, 0)
        for u, v in formed:
            n_formed[u] += 1
            n_formed[v] += 1
        for u, v in dropped:
            n_dropped[u] += 1
            n_dropped[v] += 1
        p0, p1 = positions[w0], positions[w1]
        a = pd.DataFrame({"node": list(G0.nodes), "wave_from": w0, "wave_to": w1})
        if mem is not None:
            a["member"] = a["node"].map(mem)
        for col in ("degree", "betweenness", "brokerage", "core"):
            a[f"{col}_from"] = a["node"].map(p0[col]).to_numpy()
            a[f"{col}_to"] = a["node"].map(p1[col]).to_numpy()
            if col != "core":
                a[f"{col}_change"] = a[f"{col}_to"] - a[f"{col}_from"]
        a["ties_formed"] = a["node"].map(n_formed).astype(int)
        a["ties_dropped"] = a["node"].map(n_dropped).astype(int)
        a["entered_core"] = ((a["core_from"] == 0) & (a["core_to"] == 1)).astype(float)
        a["left_core"] = ((a["core_from"] == 1) & (a["core_to"] == 0)).astype(float)
        a.loc[a["core_from"].isna() | a["core_to"].isna(), ["entered_core", "left_core"]] = np.nan
        actor_rows.append(a)
        for measure in ("degree", "betweenness", "eigenvector"):
            x0, x1 = p0[measure].reindex(a["node"]), p1[measure].reindex(a["node"])
            with warnings.catch_warnings():
                # a measure that is the same for every actor in a wave (e.g. all betweenness
                # 0 in a small network): the correlation is undefined and reported as NaN
                warnings.filterwarnings(
                    "ignore", message="An input array is constant", category=ConstantInputWarning
                )
                rho = spearmanr(x0, x1).statistic if len(a) > 2 else np.nan
            k = min(top_n, len(a))
            top0 = set(x0.sort_values(ascending=False, kind="stable").index[:k])
            top1 = set(x1.sort_values(ascending=False, kind="stable").index[:k])
            stab_rows.append(
                {
                    "wave_from": w0,
                    "wave_to": w1,
                    "measure": measure,
                    "spearman": float(rho),
                    "top_overlap": len(top0 & top1) / k if k else np.nan,
                    "top_n": k,
                    "n_actors": len(a),
                }
            )
        if mem is not None:
            sub = a.set_index("node").loc[compared]
            lab = sub["member"].to_numpy(dtype=bool)
            if lab.all() or not lab.any():
                warnings.warn(
                    "network_change: the compared actors are all members or all "
                    "non-members; no member comparison",
                    NetworkWarning,
                    stacklevel=2,
                )
            else:
                t = label_permutation_test(
                    sub, lab, CHANGE_MEASURES, permutations=permutations, seed=seed
                )
                t.insert(0, "wave_to", w1)
                t.insert(0, "wave_from", w0)
                kinds = [first.nodes[v].get("kind") for v in compared]
                if any(k is not None for k in kinds):
                    t["n_firms"] = int(sum(k == "firm" for k in kinds))
                member_tables.append(t)
    members = (
        pd.concat(member_tables, ignore_index=True)
        if member_tables
        else pd.DataFrame(
            columns=[
                "wave_from",
                "wave_to",
                "measure",
                "mean_members",
                "mean_non_members",
                "difference",
                "p_value",
                "n_members",
                "n_non_members",
            ]
        )
    )
    return NetworkChange(
        ties=pd.DataFrame(tie_rows),
        actors=pd.concat(actor_rows, ignore_index=True),
        stability=pd.DataFrame(stab_rows),
        members=members,
    )
