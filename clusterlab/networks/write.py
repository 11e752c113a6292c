# ruff: noqa: N803, N806  (networkx convention: G for a graph)
"""Writing tie networks for other tools: UCINET DL and Pajek, one matrix per wave or relation,
so that panel data move to RSiena, statnet/tergm, UCINET and Pajek users.

Both writers take one graph or a ``{label: graph}`` dict (e.g. :func:`waves`: the same actors
in every wave, as RSiena requires) and write the actors in the order of the first graph. Files
are written atomically (temporary file, then rename). :func:`~clusterlab.networks.read_dl`
and :func:`~clusterlab.networks.read_pajek` read them back (tested round trips); actor ids come
back as text (``"007"`` stays ``"007"``).

Examples
--------
>>> import tempfile, pathlib
>>> import networkx as nx
>>> from clusterlab.networks import read_pajek, write_pajek
>>> G = nx.DiGraph([("007", "a"), ("a", "b")])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "ties.net"
>>> _ = write_pajek({"wave 1": G}, path)
>>> H = read_pajek(path)["wave 1"]
>>> sorted(H.edges())
[('007', 'a'), ('a', 'b')]
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import pandas as pd

from clusterlab._validation import check_choice, problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.networks._common import check_graph
from clusterlab.networks.read import _new_spellings, from_edges

__all__ = ["waves", "write_dl", "write_pajek"]


def waves(
    edges: pd.DataFrame,
    nodes: pd.DataFrame | None = None,
    *,
    wave: str = "wave",
    relation: str | None = None,
    relation_col: str = "tie_type",
    **from_edges_kw,
) -> dict:
    """One graph per wave over the same actor set: ``{wave value: graph}``.

    Actors are those of ``nodes`` (or every actor named in any wave), so an actor without ties
    in a wave is an isolate there, not missing — the form RSiena and tergm expect.

    Parameters
    ----------
    edges : pandas.DataFrame
        Edge table as for :func:`~clusterlab.networks.from_edges` with a ``wave`` column.
    nodes : pandas.DataFrame, optional
        Actor table (``node`` column); default every actor named in any wave.
    wave : str, default "wave"
        Column numbering the waves.
    relation : str, optional
        Keep one relation (``relation_col`` value); required when the table holds several.
    relation_col : str, default "tie_type"
        Column naming the relation.
    **from_edges_kw
        Passed to :func:`~clusterlab.networks.from_edges` (``directed``, ``duplicates``, …).

    Returns
    -------
    dict
        ``{wave value: graph}`` in wave order, every graph over the same actors, with
        ``G.graph["wave"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "wave": [1, 2]})
    >>> {w: sorted(G.edges()) for w, G in waves(e).items()}
    {1: [('a', 'b')], 2: [('a', 'c')]}
    """
    from_edges_kw = _new_spellings(dict(from_edges_kw))
    if wave not in edges.columns:
        raise DataValidationError(
            f"edges: no column {wave!r}",
            problem_frame(
                [
                    {
                        "file": "edges",
                        "column": wave,
                        "expected": "a wave column",
                        "found": ", ".join(map(str, edges.columns)),
                    }
                ]
            ),
        )
    if relation is None and relation_col in edges.columns and edges[relation_col].nunique() > 1:
        raise ParameterError(
            f"edges hold several relations ({relation_col}: "
            f"{sorted(map(str, edges[relation_col].unique()))}); "
            "pass relation="
        )
    if nodes is None:
        ids = pd.unique(pd.concat([edges["source"], edges["target"]], ignore_index=True))
        nodes = pd.DataFrame({"node": ids})
    out = {}
    for w in sorted(edges[wave].dropna().unique().tolist()):
        sub = edges[edges[wave] == w].drop(columns=[wave])
        G = from_edges(sub, nodes, relation=relation, relation_col=relation_col, **from_edges_kw)
        G.graph["wave"] = w
        out[w] = G
    return out


def _as_dict(graphs) -> dict:
    if isinstance(graphs, (nx.Graph, nx.DiGraph)):
        return {graphs.graph.get("relation") or "relation1": graphs}
    if not isinstance(graphs, Mapping) or not graphs:
        raise ParameterError("graphs: expected a networkx graph or a non-empty {label: graph} dict")
    return {str(k): G for k, G in graphs.items()}


def _check(graphs: dict, forbidden: str, fmt: str) -> list:
    first = next(iter(graphs.values()))
    actors = list(first.nodes)
    problems = []
    for label, G in graphs.items():
        check_graph(G, name=f"graph {label!r}")
        if set(G.nodes) != set(actors):
            problems.append(
                {
                    "file": str(label),
                    "column": "node",
                    "expected": "the same actors in every graph (isolates included)",
                    "found": f"{len(set(G.nodes) ^ set(actors))} actor(s) differ",
                }
            )
    for v in actors:
        s = str(v)
        if not s.strip() or any(c in s for c in forbidden) or s != s.strip():
            problems.append(
                {
                    "file": fmt,
                    "row": s,
                    "column": "node",
                    "expected": "a label without "
                    + " ".join(map(repr, forbidden))
                    + " or surrounding blanks",
                    "found": s,
                }
            )
    if len({str(v) for v in actors}) != len(actors):
        problems.append(
            {
                "file": fmt,
                "column": "node",
                "expected": "unique labels as text",
                "found": "two actors with the same text label",
            }
        )
    if problems:
        raise DataValidationError(
            f"cannot write {fmt}: {len(problems)} problem(s)", problem_frame(problems[:50])
        )
    return actors


def _value(x) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else repr(x)


def _atomic_write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_dl(
    graphs, path: str | os.PathLike, *, weight: str | None = "weight", format: str = "edgelist1"
) -> Path:  # noqa: A002 - UCINET's own keyword
    """Write one or several networks over the same actors as a UCINET DL file.

    Parameters
    ----------
    graphs : networkx graph or dict of label to graph
        E.g. :func:`waves` output; each becomes one matrix (``NM=``), its label in
        ``MATRIX LABELS:``.
    path : str or os.PathLike
        File to write (parent folders are created; written atomically).
    weight : str or None
        Edge attribute written as the tie value (``None``: 1 for every tie).
    format : {"edgelist1", "fullmatrix"}
        ``edgelist1`` (compact; one line per tie, matrices separated by ``!``) or
        ``fullmatrix`` (n × n values per matrix, as RSiena's ``as.matrix`` expects after import).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    DataValidationError
        Graphs over different actors, or labels with commas, quotes, ``!`` or surrounding
        blanks (which DL cannot hold).

    Notes
    -----
    Row *i*, column *j* = *i* turns to *j* (:data:`~clusterlab.networks.DIRECTION`).
    Undirected ties are written in both directions (a symmetric matrix); ``read_dl`` reads a
    symmetric matrix back as undirected unless ``directed=True``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> from clusterlab.networks import read_dl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "waves.dl"
    >>> G1, G2 = nx.DiGraph([("a", "b")]), nx.DiGraph([("b", "a")])
    >>> _ = write_dl({"wave 1": G1, "wave 2": G2}, path)
    >>> {k: sorted(G.edges()) for k, G in read_dl(path, directed=True).items()}
    {'wave 1': [('a', 'b')], 'wave 2': [('b', 'a')]}
    """
    check_choice(format, ["edgelist1", "fullmatrix"], argument="format")
    graphs = _as_dict(graphs)
    actors = _check(graphs, ",\"'\n\r!", "UCINET DL")
    idx = {v: i for i, v in enumerate(actors)}
    n = len(actors)
    lines = [f"DL N={n} NM={len(graphs)} FORMAT={format.upper()}", "LABELS:"]
    lines += [str(v) for v in actors]
    lines += ["MATRIX LABELS:"] + list(graphs)
    lines.append("DATA:")
    for m, G in enumerate(graphs.values()):
        if m and format == "edgelist1":
            lines.append("!")
        ties = {}
        for u, v, d in G.edges(data=True):
            x = d.get(weight, 1) if weight else 1
            ties[(idx[u], idx[v])] = x
            if not G.is_directed():
                ties[(idx[v], idx[u])] = x
        if format == "edgelist1":
            lines += [f"{i + 1} {j + 1} {_value(x)}" for (i, j), x in sorted(ties.items())]
        else:
            for i in range(n):
                lines.append(" ".join(_value(ties.get((i, j), 0)) for j in range(n)))
    return _atomic_write(Path(path), "\n".join(lines) + "\n")


def write_pajek(graphs, path: str | os.PathLike, *, weight: str | None = "weight") -> Path:
    """Write one or several networks over the same actors as a Pajek file.

    One ``*Vertices`` section, then per graph an ``*Arcs :k "label"`` block (directed) or
    ``*Edges :k "label"`` block (undirected) with ``from to value`` lines — Pajek's multiple
    relations format, read by Pajek, statnet's ``read.paj`` and
    :func:`~clusterlab.networks.read_pajek`.

    Parameters
    ----------
    graphs : networkx graph or dict of label to graph
        One network or ``{relation label: graph}`` over the same actors.
    path : str or os.PathLike
        File to write (parent folders are created; written atomically).
    weight : str or None, default "weight"
        Edge attribute written as the tie value (``None``: 1 for every tie).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.net"
    >>> _ = write_pajek(nx.Graph([("x", "y")]), path)
    >>> print(path.read_text())
    *Vertices 2
    1 "x"
    2 "y"
    *Edges :1 "relation1"
    1 2 1
    <BLANKLINE>
    """
    graphs = _as_dict(graphs)
    actors = _check(graphs, '"\n\r', "Pajek")
    idx = {v: i + 1 for i, v in enumerate(actors)}
    lines = [f"*Vertices {len(actors)}"] + [f'{idx[v]} "{v}"' for v in actors]
    for k, (label, G) in enumerate(graphs.items(), start=1):
        if '"' in label:
            raise ParameterError(f"relation label {label!r}: no double quotes in Pajek labels")
        lines.append(f'*{"Arcs" if G.is_directed() else "Edges"} :{k} "{label}"')
        rows = []
        for u, v, d in G.edges(data=True):
            a, b = idx[u], idx[v]
            if not G.is_directed() and a > b:
                a, b = b, a
            rows.append((a, b, d.get(weight, 1) if weight else 1))
        lines += [f"{a} {b} {_value(x)}" for a, b, x in sorted(rows)]
    return _atomic_write(Path(path), "\n".join(lines) + "\n")
