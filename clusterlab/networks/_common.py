# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Shared helpers of :mod:`clusterlab.networks`: graph checks, adjacency matrices, node
attributes and the package's warning classes (internal module)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.errors import DataValidationError, DataWarning, EstimationWarning, ParameterError

__all__ = [
    "NetworkWarning",
    "DisconnectedWarning",
    "MissingRespondentWarning",
    "DominantEventWarning",
    "SampledEstimateWarning",
    "check_graph",
    "adjacency",
    "node_values",
    "rng_from",
    "isolates_sorted",
]


class NetworkWarning(DataWarning):
    """Network data is usable but something was dropped, merged or assumed.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from clusterlab.networks import from_edges
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     G = from_edges(pd.DataFrame({"source": ["a", "b"], "target": ["a", "a"]}))
    >>> caught[0].category.__name__, str(caught[0].message)
    ('NetworkWarning', 'edges: dropped 1 self-loop(s) (rows 1)')
    """


class DisconnectedWarning(NetworkWarning):
    """The network is not (strongly) connected: distance-based measures use reachable pairs.

    Examples
    --------
    >>> import warnings
    >>> import networkx as nx
    >>> from clusterlab.networks import cohesion
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DisconnectedWarning)   # filter by class
    ...     row = cohesion(nx.Graph([("a", "b"), ("c", "d")])).iloc[0]
    >>> int(row["n_components"])
    2
    """


class MissingRespondentWarning(NetworkWarning):
    """Some actors did not answer the survey: their outgoing ties are unobserved.

    Examples
    --------
    >>> import warnings
    >>> import networkx as nx
    >>> from clusterlab.networks import missing_respondents
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     H = missing_respondents(nx.DiGraph([("a", "b")]), ["a"])
    >>> str(caught[0].message)
    "1 of 2 actors did not answer (response rate 50%); method='reconstruct'"
    """


class DominantEventWarning(NetworkWarning):
    """In a two-mode projection, one event with many participants creates most of the ties.

    Examples
    --------
    >>> issubclass(DominantEventWarning, NetworkWarning)   # filterable with all data warnings
    True
    """


class SampledEstimateWarning(EstimationWarning):
    """A measure was estimated from a sample (e.g. k-sampled betweenness), not computed exactly.

    Examples
    --------
    >>> from clusterlab.errors import EstimationWarning
    >>> issubclass(SampledEstimateWarning, EstimationWarning)
    True
    """


#: Private helpers accept the pre-issue-19 spelling ``"error"`` for ``"raise"`` silently.
_RAISE = {"error": "raise"}


def check_graph(
    G, *, name: str = "G", min_nodes: int = 0, loops: str = "raise", weight: str | None = None
) -> nx.Graph:
    """Raise :class:`DataValidationError` unless ``G`` is a simple networkx graph.

    ``loops="raise"`` (measures) rejects ties of an actor to itself, which the measures would
    otherwise count inconsistently (networkx degree counts them, matrices drop the diagonal);
    ``loops="allow"`` (transformations) passes them through. With ``weight``, every tie value
    under that key must be a finite number >= 0 (a tie without the key counts as 1).
    """
    # the old internal spelling "error" still means "raise" (code written before issue #19)
    loops = _RAISE.get(loops, loops)
    check_choice(loops, ["raise", "allow"], argument="loops")
    if not isinstance(G, (nx.Graph, nx.DiGraph)):
        raise DataValidationError(
            f"{name}: expected a networkx Graph or DiGraph, got {type(G).__name__}",
            problem_frame(
                [
                    {
                        "file": name,
                        "expected": "networkx.Graph or networkx.DiGraph "
                        "(see clusterlab.networks.from_edges)",
                        "found": type(G).__name__,
                    }
                ]
            ),
        )
    if G.is_multigraph():
        raise DataValidationError(
            f"{name}: multigraphs are not supported; merge parallel ties first",
            problem_frame(
                [
                    {
                        "file": name,
                        "expected": "a simple graph (one tie per pair)",
                        "found": type(G).__name__,
                    }
                ]
            ),
        )
    if G.number_of_nodes() < min_nodes:
        raise DataValidationError(
            f"{name}: needs at least {min_nodes} actors, has {G.number_of_nodes()}",
            problem_frame(
                [
                    {
                        "file": name,
                        "expected": f">= {min_nodes} nodes",
                        "found": str(G.number_of_nodes()),
                    }
                ]
            ),
        )
    if loops == "raise" and nx.number_of_selfloops(G):
        looped = isolates_sorted(nx.nodes_with_selfloops(G))
        raise DataValidationError(
            f"{name}: {len(looped)} actor(s) have a tie to themselves ("
            + ", ".join(map(str, looped[:10]))
            + (" ..." if len(looped) > 10 else "")
            + "); drop them (from_edges(self_loops='drop'), read_dl/read_pajek without "
            "diagonal=True, or G.remove_edges_from(nx.selfloop_edges(G)))",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": str(v),
                        "column": "target",
                        "expected": "a tie to another actor",
                        "found": str(v),
                    }
                    for v in looped[:50]
                ]
            ),
        )
    if weight is not None:
        bad = [
            (u, v, x) for u, v, x in G.edges(data=weight) if x is not None and not _valid_weight(x)
        ]
        if bad:
            raise DataValidationError(
                f"{name}: {len(bad)} tie value(s) under {weight!r} are not numbers >= 0",
                problem_frame(
                    [
                        {
                            "file": name,
                            "row": f"{u} -> {v}",
                            "column": weight,
                            "expected": "a finite number >= 0",
                            "found": repr(x),
                        }
                        for u, v, x in bad[:50]
                    ]
                ),
            )
    return G


def _valid_weight(x) -> bool:
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        return False
    return bool(np.isfinite(x) and x >= 0)


def adjacency(
    G, *, weight: str | None = None, nodelist: list | None = None
) -> tuple[list, np.ndarray]:
    """Node list and dense adjacency matrix (row i, column j = tie i → j; diagonal zeroed).

    Undirected graphs give a symmetric matrix. ``weight=None`` gives a 0/1 matrix.
    """
    nodes = list(G.nodes) if nodelist is None else list(nodelist)
    A = (
        nx.to_numpy_array(G, nodelist=nodes, weight=weight, dtype=float)
        if nodes
        else np.zeros((0, 0))
    )
    if weight is None:
        A = (A != 0).astype(float)
    np.fill_diagonal(A, 0.0)
    return nodes, A


def node_values(G, attribute: str, *, name: str = "G", missing: str = "raise") -> dict:
    """``{node: value}`` of a node attribute; missing values raise a DataValidationError that
    lists the actors concerned (``missing="raise"``) or are returned as ``None`` (``"keep"``)."""
    missing = _RAISE.get(missing, missing)
    check_choice(missing, ["raise", "keep"], argument="missing")
    values = {v: G.nodes[v].get(attribute) for v in G.nodes}
    absent = [v for v, x in values.items() if x is None or (not isinstance(x, str) and pd.isna(x))]
    if absent and missing == "raise":
        raise DataValidationError(
            f"{name}: attribute {attribute!r} is missing for {len(absent)} actor(s): "
            + ", ".join(map(str, absent[:10]))
            + (" ..." if len(absent) > 10 else ""),
            problem_frame(
                [
                    {
                        "file": name,
                        "row": str(v),
                        "column": attribute,
                        "expected": "a value for every actor",
                        "found": "missing",
                    }
                    for v in absent[:50]
                ]
            ),
        )
    if missing == "keep":
        for v in absent:
            values[v] = None
    return values


def rng_from(seed) -> np.random.Generator:
    """A numpy Generator from an int seed (or an existing Generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ParameterError(f"seed={seed!r}: expected a non-negative integer")
    return np.random.default_rng(seed)


def isolates_sorted(nodes: Iterable[Hashable]) -> list:
    """Nodes in a stable, type-robust order."""
    return sorted(nodes, key=lambda v: (type(v).__name__, str(v)))
