# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Two-mode (affiliation) networks: actors × events/activities — density, Borgatti-Everett
normalised centralities and one-mode projections.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.networks import two_mode
>>> p = pd.DataFrame({"source": ["f1", "f1", "f2", "f3"], "target": ["fair", "lab", "fair", "lab"]})
>>> tm = two_mode(p)
>>> tm.density, tm.n_actors, tm.n_events
(0.6666666666666666, 3, 2)
>>> tm.project("actor").to_dict("records")
[{'source': 'f1', 'target': 'f2', 'weight': 1.0}, {'source': 'f1', 'target': 'f3', 'weight': 1.0}]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from networkx.algorithms import bipartite

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError
from clusterlab.networks._common import DisconnectedWarning, DominantEventWarning, NetworkWarning

__all__ = ["TwoModeNetwork", "two_mode"]


@dataclass
class TwoModeNetwork:
    """An affiliation network; build it with :func:`two_mode`.

    Attributes
    ----------
    graph : networkx.Graph
        Bipartite graph; node attribute ``mode`` is ``"actor"`` or ``"event"``.
    actors, events : list
        The two node sets.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.networks import two_mode
    >>> tm = two_mode(pd.DataFrame({"source": ["f1", "f2", "f2", "f3", "f1", "f3"],
    ...                             "target": ["fair", "fair", "lab", "lab", "expo", "expo"]}))
    >>> tm.actors, tm.events
    (['f1', 'f2', 'f3'], ['fair', 'lab', 'expo'])
    >>> tm.project()   # each pair met at one event
      source target  weight
    0     f1     f2     1.0
    1     f1     f3     1.0
    2     f2     f3     1.0
    """

    graph: nx.Graph
    actors: list
    events: list
    dominance: float = 0.5

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_events(self) -> int:
        return len(self.events)

    @property
    def density(self) -> float:
        """Ties / (actors × events) — UCINET's two-mode density."""
        cells = self.n_actors * self.n_events
        return self.graph.number_of_edges() / cells if cells else float("nan")

    def incidence(self) -> pd.DataFrame:
        """Actor × event 0/1 (or valued) incidence matrix."""
        M = bipartite.biadjacency_matrix(
            self.graph, row_order=self.actors, column_order=self.events, weight="weight"
        ).toarray()
        return pd.DataFrame(M, index=self.actors, columns=self.events)

    def summary(self) -> pd.DataFrame:
        """One row: ``n_actors, n_events, n_ties, density, events_per_actor,
        actors_per_event``."""
        m = self.graph.number_of_edges()
        return pd.DataFrame(
            [
                {
                    "n_actors": self.n_actors,
                    "n_events": self.n_events,
                    "n_ties": m,
                    "density": self.density,
                    "events_per_actor": m / self.n_actors if self.n_actors else np.nan,
                    "actors_per_event": m / self.n_events if self.n_events else np.nan,
                }
            ]
        )

    def centrality(self) -> pd.DataFrame:
        """Degree, closeness and betweenness of actors and events with Borgatti & Everett's
        (1997) two-mode normalisation: ``node, mode, degree_raw, degree, closeness,
        betweenness``.

        Notes
        -----
        Each score is divided by its maximum possible value given the sizes of the two modes
        (:math:`n_{own}` and :math:`n_{other}`): degree by :math:`n_{other}`, closeness by
        :math:`(n_{other} + 2(n_{own}-1))`/sum of distances, betweenness by the two-mode maximum
        (as in UCINET and ``networkx.bipartite``; for :math:`n_{own} > n_{other}` this maximum
        is :math:`\\tfrac12[n_{other}^2(s+1)^2 + n_{other}(s+1)(2t-s-1) - t(2s-t+3)]` with
        :math:`s, t = \\mathrm{divmod}(n_{own}-1, n_{other})`, which corrects the expression printed
        in Borgatti & Everett 1997, p. 256). Closeness is only defined within a connected
        network; otherwise (a :class:`DisconnectedWarning` is raised) each node's score is
        taken over the nodes it reaches, :math:`(m_r + 2(n_r-1))/\\sum d`, times the share
        :math:`r/(N-1)` of the other nodes it reaches (the Wasserman-Faust correction), so
        scores stay in [0, 1] — ``networkx.bipartite.closeness_centrality`` keeps the full
        :math:`n, m` in the numerator and can exceed 1 there. A mode whose betweenness maximum
        is 0 (the actors when there is a single event) scores 0.

        References
        ----------
        Borgatti, S. P. & Everett, M. G. (1997). Network analysis of 2-mode data.
        *Social Networks* 19, 243-269. Borgatti, S. P. & Halgin, D. S. (2011). Analyzing
        affiliation networks. In *The SAGE Handbook of Social Network Analysis*, 417-433.
        """
        G = self.graph
        if G.number_of_nodes() and not nx.is_connected(G):
            warnings.warn(
                "two-mode network is not connected: closeness uses reachable actors only",
                DisconnectedWarning,
                stacklevel=2,
            )
        if not self.n_actors or not self.n_events:
            raise DataValidationError(
                "two-mode centrality needs at least one actor and one event",
                problem_frame(
                    [
                        {
                            "file": "participation",
                            "expected": ">= 1 actor and >= 1 event",
                            "found": f"{self.n_actors} actors, {self.n_events} events",
                        }
                    ]
                ),
            )
        deg = bipartite.degree_centrality(G, self.actors)
        clo = _closeness(G, set(self.actors))
        bet = _betweenness(G, self.n_actors, self.n_events, set(self.actors))
        nodes = self.actors + self.events
        return pd.DataFrame(
            {
                "node": nodes,
                "mode": ["actor"] * self.n_actors + ["event"] * self.n_events,
                "degree_raw": [G.degree(v) for v in nodes],
                "degree": [deg[v] for v in nodes],
                "closeness": [clo[v] for v in nodes],
                "betweenness": [bet[v] for v in nodes],
            }
        )

    def _check_dominance(self, mode, nodes):
        other = self.events if mode == "actor" else self.actors
        pairs = {e: self.graph.degree(e) * (self.graph.degree(e) - 1) / 2 for e in other}
        total = sum(pairs.values())
        if total <= 0:
            return
        top, val = max(pairs.items(), key=lambda kv: kv[1])
        share = val / total
        if share > self.dominance and len(other) > 1:
            warnings.warn(
                f"{'event' if mode == 'actor' else 'actor'} {top!r} with "
                f"{self.graph.degree(top)} participants creates {share:.0%} of the co-"
                "participation pairs of the projection: a clique that dominates density and "
                "centrality — consider method='newman' or analyse the two-mode network",
                DominantEventWarning,
                stacklevel=3,
            )

    def project(self, mode: str = "actor", method: str = "count") -> pd.DataFrame:
        """One-mode projection as an edge table ``source, target, weight``.

        Parameters
        ----------
        mode : {"actor", "event"}
            Actors linked by shared events, or events linked by shared participants.
        method : {"count", "jaccard", "newman"}
            ``count``: number of shared events (UCINET's co-membership matrix);
            ``jaccard``: shared / events of either, :math:`|N_i\\cap N_j|/|N_i\\cup N_j|`;
            ``newman``: :math:`\\sum_e 1/(k_e-1)` over shared events of size :math:`k_e`
            (Newman 2001), which discounts big events.

        Warns
        -----
        DominantEventWarning
            When one event contributes more than ``dominance`` (default half) of the
            co-participation pairs.
        """
        check_choice(mode, ["actor", "event"], argument="mode")
        check_choice(method, ["count", "jaccard", "newman"], argument="method")
        nodes = self.actors if mode == "actor" else self.events
        self._check_dominance(mode, nodes)
        G = self.graph
        if method == "count":
            P = bipartite.weighted_projected_graph(G, nodes)
        elif method == "jaccard":
            P = bipartite.overlap_weighted_projected_graph(G, nodes, jaccard=True)
        else:
            P = bipartite.collaboration_weighted_projected_graph(G, nodes)
        order = {v: i for i, v in enumerate(nodes)}
        rows = []
        for u, v, d in P.edges(data=True):
            a, b = (u, v) if order[u] < order[v] else (v, u)
            rows.append({"source": a, "target": b, "weight": float(d.get("weight", 1.0))})
        df = pd.DataFrame(rows, columns=["source", "target", "weight"])
        df = df.assign(_a=df["source"].map(order), _b=df["target"].map(order))
        return df.sort_values(["_a", "_b"]).drop(columns=["_a", "_b"]).reset_index(drop=True)

    def projected_graph(self, mode: str = "actor", method: str = "count") -> nx.Graph:
        """:meth:`project` as an undirected weighted graph that keeps isolated nodes."""
        nodes = self.actors if mode == "actor" else self.events
        edges = self.project(mode, method)
        P = nx.Graph()
        P.add_nodes_from((v, dict(self.graph.nodes[v])) for v in nodes)
        P.add_weighted_edges_from(edges.itertuples(index=False, name=None))
        P.graph["relation"] = f"{mode} projection ({method})"
        return P


def _closeness(G, actors: set) -> dict:
    r"""Borgatti-Everett two-mode closeness; within a component
    :math:`(m_r + 2(n_r-1))/\sum_j d_{ij}` (:math:`n_r` nodes of the node's own mode reached,
    itself included, :math:`m_r` of the other mode), times :math:`r/(N-1)`. Equals
    ``networkx.bipartite.closeness_centrality(normalized=True)`` on a connected network."""
    N = G.number_of_nodes()
    out = {}
    for v in G:
        sp = nx.single_source_shortest_path_length(G, v)
        tot = sum(sp.values())
        if tot <= 0 or N < 2:
            out[v] = 0.0
            continue
        own = sum(1 for u in sp if (u in actors) == (v in actors))
        other = len(sp) - own
        out[v] = (other + 2 * (own - 1)) / tot * (len(sp) - 1) / (N - 1)
    return out


def _betweenness_max(n_own: int, n_other: int) -> float:
    """Largest possible two-mode betweenness of a node whose mode has ``n_own`` nodes
    (UCINET ``getmax``; the formula of ``networkx.bipartite.betweenness_centrality``)."""
    s, t = divmod(n_own - 1, n_other)
    return (
        n_other**2 * (s + 1) ** 2 + n_other * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)
    ) / 2.0


def _betweenness(G, n_actors: int, n_events: int, actors: set) -> dict:
    """Freeman betweenness divided by the two-mode maximum of each node's mode. A mode whose
    maximum is 0 (e.g. the actors when there is a single event: nobody can broker) scores 0
    — ``networkx.bipartite.betweenness_centrality`` divides by zero there."""
    raw = nx.betweenness_centrality(G, normalized=False)
    top, bottom = _betweenness_max(n_actors, n_events), _betweenness_max(n_events, n_actors)
    out = {}
    for v, b in raw.items():
        mx = top if v in actors else bottom
        out[v] = b / mx if mx > 0 else 0.0
    return out


def two_mode(
    edges: pd.DataFrame,
    *,
    actor: str = "source",
    event: str = "target",
    weight: str | None = None,
    actors=None,
    events=None,
    dominance: float = 0.5,
    name: str = "participation",
) -> TwoModeNetwork:
    """Build a two-mode network from an actor–event edge table.

    Parameters
    ----------
    edges : pandas.DataFrame
        One row per participation: ``actor`` column (e.g. ``source`` or ``node``) and
        ``event`` column (e.g. ``target`` or ``activity``).
    actor : str, default "source"
        Column of the actor ids (first mode).
    event : str, default "target"
        Column of the event ids (second mode: events, projects, associations).
    weight : str, optional
        Valued participation (else 0/1).
    actors, events : iterable, optional
        Complete node sets (actors who attended nothing stay as isolates); ids in the edge table
        outside these sets raise.
    dominance : float
        Share of projected pairs above which one event triggers a
        :class:`DominantEventWarning` in :meth:`TwoModeNetwork.project`.
    name : str, default "participation"
        Name of the table in messages and problems tables.

    Returns
    -------
    TwoModeNetwork
        The bipartite ``graph`` with the ``actors`` and ``events``; ``.project()`` gives the
        one-mode networks.

    Raises
    ------
    DataValidationError
        Missing columns/ids, unknown actors or events, or an id used in both modes (the
        rows are listed; rename one mode, e.g. prefix the events).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"node": ["a", "b"], "activity": ["a", "x"]})
    >>> try:
    ...     two_mode(p, actor="node", event="activity")
    ... except DataValidationError as e:
    ...     print(e.problems.loc[0, "found"])
    a
    """
    check_frame(edges, required=[actor, event], no_missing=[actor, event], name=name)
    e = edges.assign(_row=np.arange(1, len(edges) + 1))
    e["_a"], e["_e"] = e[actor].astype(str), e[event].astype(str)
    A = (
        list(dict.fromkeys(map(str, actors)))
        if actors is not None
        else list(dict.fromkeys(e["_a"]))
    )
    E = (
        list(dict.fromkeys(map(str, events)))
        if events is not None
        else list(dict.fromkeys(e["_e"]))
    )
    problems = []
    both = set(A) & set(E)
    for r, a in zip(e["_row"], e["_a"], strict=True):
        if a in both:
            problems.append(
                {
                    "file": name,
                    "row": int(r),
                    "column": actor,
                    "expected": "an id not used as an event",
                    "found": a,
                }
            )
    for col, key, allowed in ((actor, "_a", set(A)), (event, "_e", set(E))):
        bad = e[~e[key].isin(allowed)]
        problems += [
            {"file": name, "row": int(r), "column": col, "expected": "a listed id", "found": v}
            for r, v in zip(bad["_row"], bad[key], strict=True)
        ]
    if problems:
        raise DataValidationError(
            f"{name}: {len(problems)} problem(s) with the two-mode ids",
            problem_frame(problems[:50]),
        )
    if weight is not None:
        check_frame(
            e,
            required=[weight],
            numeric=[weight],
            nonnegative=[weight],
            no_missing=[weight],
            name=name,
        )
        w = e[weight].astype(float)
    else:
        w = pd.Series(1.0, index=e.index)
    dup = e.duplicated(["_a", "_e"])
    if dup.any():
        warnings.warn(
            f"{name}: {int(dup.sum())} repeated actor-event row(s) collapsed "
            "(e.g. several waves); values summed"
            if weight
            else f"{name}: {int(dup.sum())} repeated actor-event row(s) collapsed",
            NetworkWarning,
            stacklevel=2,
        )
    agg = (
        pd.DataFrame({"a": e["_a"], "e": e["_e"], "w": w})
        .groupby(["a", "e"], sort=False)["w"]
        .sum()
    )
    if weight is None:
        agg[:] = 1.0
    G = nx.Graph()
    G.add_nodes_from(A, mode="actor", bipartite=0)
    G.add_nodes_from(E, mode="event", bipartite=1)
    G.add_weighted_edges_from((a, ev, float(x)) for (a, ev), x in agg.items())
    return TwoModeNetwork(G, A, E, dominance)
