# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Reading tie networks: edge tables (+ actor attribute tables), UCINET DL, Pajek, matrices.

**Direction convention.** Throughout :mod:`clusterlab.networks` a tie ``source → target`` (row
*i*, column *j* of a matrix) means *i turns to j*: *i* names *j* in the survey — asks *j* for
advice or knowledge, buys from *j*, cooperates with *j*. Under this convention knowledge flows
*against* the arrow, so in-degree is "being sought" (knowledge given) and out-degree is
"seeking" (knowledge received). Data coded the other way round ("i gives to j") is turned with
:func:`clusterlab.networks.transpose` or the ``convention`` argument of the functions that care.

Every reader returns plain networkx graphs (``DiGraph`` for directed relations, ``Graph`` for
undirected ones) with ties weighted by the ``weight`` edge attribute and the actor attributes
copied onto the nodes. Several relations over one actor set come back as a ``dict``
``{relation: graph}`` whose graphs all hold the same nodes.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.networks import from_edges
>>> edges = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "c"]})
>>> nodes = pd.DataFrame({"node": ["a", "b", "c", "d"], "kind": ["firm"] * 3 + ["agency"]})
>>> G = from_edges(edges, nodes)
>>> G.is_directed(), G.number_of_nodes(), G.number_of_edges(), G.nodes["d"]["kind"]
(True, 4, 3, 'agency')
"""

from __future__ import annotations

import os
import re
import shlex
import warnings
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from clusterlab._deprecate import renamed_choice
from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError
from clusterlab.networks._common import NetworkWarning

__all__ = [
    "DIRECTION",
    "from_edges",
    "relations",
    "to_edges",
    "with_attributes",
    "read_edges",
    "read_pajek",
    "read_dl",
    "read_matrix",
]

#: The direction convention of every function in this package.
DIRECTION = "source -> target (row i -> column j) means: i turns to j (i names j)"


# --------------------------------------------------------------------------- edge tables
def from_edges(
    edges: pd.DataFrame,
    nodes: pd.DataFrame | None = None,
    *,
    source: str = "source",
    target: str = "target",
    weight: str | None = "weight",
    node: str = "node",
    relation: str | None = None,
    relation_col: str = "tie_type",
    directed: bool | None = None,
    self_loops: str = "drop",
    duplicates: str = "raise",
    unknown: str = "raise",
    name: str = "edges",
) -> nx.Graph:
    """Build one relation's graph from an edge table and an optional actor table.

    Parameters
    ----------
    edges : pandas.DataFrame
        One row per tie, ``source`` turns to ``target`` (see :data:`DIRECTION`); optional
        ``weight`` (missing column → every tie weighs 1), ``directed`` and ``tie_type``.
    nodes : pandas.DataFrame, optional
        One row per actor (``node`` column, unique) with attributes (``kind``, ``member``,
        ``external`` …) copied onto the graph's nodes. Actors without ties stay in the graph
        as isolates — the actor table, not the edge table, defines who is in the network.
    source, target : str, default "source", "target"
        Columns of ``edges`` holding the actor who turns to another and that other actor;
        ids are compared as text (``007`` and ``"007"`` are one actor).
    weight : str or None, default "weight"
        Column of tie values (numbers >= 0); ``None`` or a missing column: every tie weighs 1.
    node : str, default "node"
        Column of ``nodes`` holding the actor id.
    relation : str, optional
        Keep only rows with ``relation_col == relation`` (e.g. ``"knowledge"``).
    relation_col : str, default "tie_type"
        Column of ``edges`` naming the relation of each row.
    directed : bool, optional
        ``None`` reads the ``directed`` column (all rows must agree) and defaults to directed.
    self_loops : {"drop", "raise", "keep"}
        Ties of an actor to itself are dropped with a :class:`NetworkWarning` by default
        (UCINET ignores the diagonal). The old spelling ``"error"`` for ``"raise"`` still works
        with a :class:`~clusterlab.errors.ClusterlabFutureWarning`.
    duplicates : {"raise", "sum", "max", "mean", "first"}
        Several rows for one pair (for undirected graphs ``a-b`` and ``b-a`` are one pair).
        ``"raise"`` collapses identical repeats with a warning but raises on conflicting weights
        (old spelling ``"error"``).
    unknown : {"raise", "add"}
        Edges naming actors missing from ``nodes``: raise (listing the rows) or add them with a
        warning (old spelling ``"error"`` for ``"raise"``).
    name : str, default "edges"
        Name of the edge table in messages and in the problems table (``file`` column).

    Returns
    -------
    networkx.DiGraph or networkx.Graph
        ``G.graph`` holds ``relation`` and ``direction``.

    Raises
    ------
    DataValidationError
        Missing columns or actor ids, non-numeric or negative weights, unknown actors,
        conflicting duplicates, mixed directedness — naming the table, row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "weight": [2, 3],
    ...                   "directed": [False, False]})
    >>> G = from_edges(e, duplicates="sum")
    >>> G.is_directed(), G["a"]["b"]["weight"]
    (False, 5.0)
    """
    self_loops, duplicates, unknown = _new_spellings(
        {"self_loops": self_loops, "duplicates": duplicates, "unknown": unknown}
    ).values()
    check_choice(self_loops, ["drop", "raise", "keep"], argument="self_loops")
    check_choice(duplicates, ["raise", "sum", "max", "mean", "first"], argument="duplicates")
    check_choice(unknown, ["raise", "add"], argument="unknown")
    check_frame(edges, required=[source, target], no_missing=[source, target], name=name)
    e = edges.copy()
    e["_row"] = np.arange(1, len(e) + 1)
    if relation is not None:
        check_frame(e, required=[relation_col], name=name)
        e = e[e[relation_col].astype(str) == str(relation)]
    has_w = weight is not None and weight in e.columns
    if has_w:
        w = pd.to_numeric(e[weight], errors="coerce")
        bad = e[w.isna() | (w < 0)]
        if len(bad):
            raise DataValidationError(
                f"{name}: {len(bad)} tie weight(s) are missing, not numbers or negative",
                problem_frame(
                    [
                        {
                            "file": name,
                            "row": int(r),
                            "column": weight,
                            "expected": "a number >= 0",
                            "found": str(x),
                        }
                        for r, x in zip(bad["_row"][:50], bad[weight][:50], strict=True)
                    ]
                ),
            )
        e["_w"] = w.astype(float)
    else:
        e["_w"] = 1.0
    directed = _directedness(e, directed, name)
    e["_s"], e["_t"] = e[source].astype(str), e[target].astype(str)
    # self-loops
    loops = e["_s"] == e["_t"]
    if loops.any():
        if self_loops == "raise":
            raise DataValidationError(
                f"{name}: {int(loops.sum())} tie(s) of an actor to itself",
                problem_frame(
                    [
                        {
                            "file": name,
                            "row": int(r),
                            "column": f"{source},{target}",
                            "expected": "source != target",
                            "found": s,
                        }
                        for r, s in zip(e["_row"][loops][:50], e["_s"][loops][:50], strict=True)
                    ]
                ),
            )
        if self_loops == "drop":
            warnings.warn(
                f"{name}: dropped {int(loops.sum())} self-loop(s) (rows "
                + ", ".join(map(str, e["_row"][loops][:10]))
                + ")",
                NetworkWarning,
                stacklevel=2,
            )
            e = e[~loops]
    # actors
    G = nx.DiGraph() if directed else nx.Graph()
    known = None
    if nodes is not None:
        check_frame(nodes, required=[node], no_missing=[node], unique=[node], name="nodes")
        for rec in nodes.to_dict("records"):
            nid = str(rec.pop(node))
            G.add_node(nid, **{k: _plain(v) for k, v in rec.items()})
        known = set(G.nodes)
        for col in (source, target):
            bad = e[~e["_s" if col == source else "_t"].isin(known)]
            if len(bad) and unknown == "raise":
                raise DataValidationError(
                    f"{name}: {len(bad)} tie(s) name actors missing from the nodes table",
                    problem_frame(
                        [
                            {
                                "file": name,
                                "row": int(r),
                                "column": col,
                                "expected": "an actor listed in nodes",
                                "found": v,
                            }
                            for r, v in zip(
                                bad["_row"][:50], bad[col].astype(str)[:50], strict=True
                            )
                        ]
                    ),
                )
        extra = sorted((set(e["_s"]) | set(e["_t"])) - known)
        if extra:
            warnings.warn(
                f"{name}: added {len(extra)} actor(s) missing from the nodes table: "
                + ", ".join(extra[:10]),
                NetworkWarning,
                stacklevel=2,
            )
    # duplicates
    key_s, key_t = e["_s"], e["_t"]
    if not directed:
        key_s, key_t = np.minimum(e["_s"], e["_t"]), np.maximum(e["_s"], e["_t"])
    e = e.assign(_a=key_s, _b=key_t)
    dup = e.duplicated(["_a", "_b"], keep=False)
    if dup.any():
        groups = e[dup].groupby(["_a", "_b"])["_w"]
        conflicting = groups.nunique() > 1
        if duplicates == "raise" and conflicting.any():
            rows = e[dup].set_index(["_a", "_b"]).loc[conflicting[conflicting].index]
            raise DataValidationError(
                f"{name}: {int(conflicting.sum())} pair(s) appear more than once with different "
                "weights; choose duplicates='sum'|'max'|'mean'|'first' or filter the table "
                "(e.g. by wave or tie_type)",
                problem_frame(
                    [
                        {
                            "file": name,
                            "row": int(r),
                            "column": weight or "weight",
                            "expected": "one weight per pair",
                            "found": str(x),
                        }
                        for r, x in zip(rows["_row"][:50], rows["_w"][:50], strict=True)
                    ]
                ),
            )
        if duplicates == "raise":
            warnings.warn(
                f"{name}: {int(dup.sum() - groups.ngroups)} repeated tie(s) with equal "
                "weights were collapsed",
                NetworkWarning,
                stacklevel=2,
            )
    how = {"raise": "first", "sum": "sum", "max": "max", "mean": "mean", "first": "first"}
    agg = e.groupby(["_a", "_b"], sort=False, as_index=False)["_w"].agg(how[duplicates])
    G.add_weighted_edges_from(zip(agg["_a"], agg["_b"], agg["_w"].astype(float), strict=True))
    G.graph.update(relation=relation if relation is not None else name, direction=DIRECTION)
    return G


#: Choice arguments of :func:`from_edges` whose old spelling ``"error"`` is now ``"raise"``.
_RENAMED_CHOICES = ("self_loops", "duplicates", "unknown")


def _new_spellings(kwargs: dict, *, stacklevel: int = 4) -> dict:
    """``kwargs`` with the old choice spelling ``"error"`` replaced by ``"raise"`` (warning once,
    pointing ``stacklevel`` frames up: 4 = the caller of the public function calling this)."""
    for key in _RENAMED_CHOICES:
        if key in kwargs:
            kwargs[key] = renamed_choice(
                kwargs[key], {"error": "raise"}, argument=key, stacklevel=stacklevel
            )
    return kwargs


def _directedness(e: pd.DataFrame, directed, name):
    if directed is not None:
        return bool(directed)
    if "directed" not in e.columns or e.empty:
        return True
    d = e["directed"]
    vals = set(d.dropna().map(lambda v: str(v).strip().lower() in ("true", "1", "yes")))
    if len(vals) > 1:
        raise DataValidationError(
            f"{name}: one relation mixes directed and undirected ties; "
            "split it by tie_type or pass directed=True/False",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": "directed",
                        "expected": "one value per relation",
                        "found": ", ".join(map(str, sorted(vals))),
                    }
                ]
            ),
        )
    return vals.pop() if vals else True


def _plain(v):
    if v is pd.NA or (not isinstance(v, str) and not isinstance(v, (list, tuple)) and pd.isna(v)):
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


def relations(
    edges: pd.DataFrame,
    nodes: pd.DataFrame | None = None,
    *,
    relation_col: str = "tie_type",
    **kwargs,
) -> dict[str, nx.Graph]:
    """One graph per relation (``tie_type`` value), all over the same actor set.

    Without a ``nodes`` table the actor set is every actor named in any relation, so that
    densities of different relations share one denominator.

    Parameters
    ----------
    edges : pandas.DataFrame
        Edge table as for :func:`from_edges`, with a ``relation_col`` column.
    nodes : pandas.DataFrame, optional
        Actor table (``node`` column); every relation's graph holds all its actors.
    relation_col : str, default "tie_type"
        Column naming the relation; without it the whole table is one relation ``"ties"``.
    **kwargs
        Passed to :func:`from_edges` (``directed``, ``duplicates``, ``self_loops``, …).

    Returns
    -------
    dict of str to networkx.Graph or networkx.DiGraph
        ``{relation: graph}`` in the order the relations first appear.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                   "tie_type": ["knowledge", "knowledge", "trade"]})
    >>> nets = relations(e)
    >>> sorted(nets), nets["trade"].number_of_nodes()
    (['knowledge', 'trade'], 3)
    """
    kwargs = _new_spellings(dict(kwargs))
    name = kwargs.get("name", "edges")
    if relation_col not in edges.columns:
        return {"ties": from_edges(edges, nodes, **kwargs)}
    check_frame(edges, required=[relation_col], no_missing=[relation_col], name=name)
    if nodes is None:
        s, t = kwargs.get("source", "source"), kwargs.get("target", "target")
        actors = pd.unique(pd.concat([edges[s], edges[t]]).dropna().astype(str))
        nodes = pd.DataFrame({kwargs.get("node", "node"): actors})
    out = {}
    for rel in pd.unique(edges[relation_col].astype(str)):
        out[rel] = from_edges(edges, nodes, relation=rel, relation_col=relation_col, **kwargs)
    return out


def to_edges(G: nx.Graph, *, weight: str = "weight") -> pd.DataFrame:
    """The ties of a graph as an edge table.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    weight : str, default "weight"
        Edge attribute written as the tie value (ties without it weigh 1).

    Returns
    -------
    pandas.DataFrame
        ``source, target, weight, directed``: one row per tie (one per pair if undirected).

    Examples
    --------
    >>> import networkx as nx
    >>> to_edges(nx.DiGraph([("a", "b")])).to_dict("records")
    [{'source': 'a', 'target': 'b', 'weight': 1.0, 'directed': True}]
    """
    rows = [
        {"source": u, "target": v, "weight": float(d.get(weight, 1.0)), "directed": G.is_directed()}
        for u, v, d in G.edges(data=True)
    ]
    return pd.DataFrame(rows, columns=["source", "target", "weight", "directed"])


def with_attributes(
    table: pd.DataFrame,
    G: nx.Graph,
    attributes=("node_name", "kind", "member", "external"),
    *,
    node: str = "node",
) -> pd.DataFrame:
    """A node-level result table with actor attributes copied from the graph.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per actor with a ``node`` column (e.g. :func:`centrality` output).
    G : networkx.Graph or networkx.DiGraph
        The network whose node attributes are copied.
    attributes : sequence of str, default ("node_name", "kind", "member", "external")
        Node attributes to copy; attributes no actor has, or that ``table`` already has, are
        skipped.
    node : str, default "node"
        Column of ``table`` holding the actor id.

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` with the attributes inserted after the ``node`` column.

    Examples
    --------
    >>> import networkx as nx, pandas as pd
    >>> G = nx.Graph([("a", "b")]); nx.set_node_attributes(G, {"a": "firm", "b": "agency"}, "kind")
    >>> with_attributes(pd.DataFrame({"node": ["a", "b"], "x": [1, 2]}), G).columns.tolist()
    ['node', 'kind', 'x']
    """
    check_frame(table, required=[node], name="table")
    out = table.copy()
    pos = list(out.columns).index(node) + 1
    for a in attributes:
        vals = {v: G.nodes[v].get(a) for v in G.nodes}
        if a in out.columns or all(x is None for x in vals.values()):
            continue
        out.insert(pos, a, out[node].map(vals))
        pos += 1
    return out


def read_edges(
    path: str | os.PathLike, nodes: str | os.PathLike | pd.DataFrame | None = None, **kwargs
) -> dict[str, nx.Graph]:
    """Read an edge file and an optional actor file into one graph per relation.

    Parameters
    ----------
    path : str or os.PathLike
        Edge file (CSV/Parquet/Excel, schema ``edges``), read with :func:`clusterlab.io.read`.
    nodes : str, os.PathLike or pandas.DataFrame, optional
        Actor file (schema ``nodes``) or an actor table already read.
    **kwargs
        Passed to :func:`relations` and :func:`from_edges`; ``name`` defaults to the file name.

    Returns
    -------
    dict of str to networkx.Graph or networkx.DiGraph
        ``{relation: graph}`` as :func:`relations`.

    Raises
    ------
    DataValidationError
        The file is missing or breaks the ``edges`` / ``nodes`` schema, naming file, line and
        column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "edges.csv").write_text("source,target,tie_type\\n007,lab,knowledge\\n")
    >>> nets = read_edges(folder / "edges.csv")
    >>> list(nets), sorted(nets["knowledge"].edges())
    (['knowledge'], [('007', 'lab')])
    """
    from clusterlab import io

    kwargs = _new_spellings(dict(kwargs))
    edges = io.read(path, "edges")
    if nodes is not None and not isinstance(nodes, pd.DataFrame):
        nodes = io.read(nodes, "nodes")
    kwargs.setdefault("name", Path(path).name)
    return relations(edges, nodes, **kwargs)


# --------------------------------------------------------------------------- matrices
def _matrix_graph(
    labels: list[str],
    M: np.ndarray,
    directed: bool | None,
    *,
    name: str,
    relation: str,
    diagonal: bool = False,
) -> nx.Graph:
    M = np.asarray(M, dtype=float)
    if not diagonal:
        M = M.copy()
        np.fill_diagonal(M, 0.0)
    if np.any(M < 0) or np.any(~np.isfinite(M)):
        i, j = np.argwhere((M < 0) | ~np.isfinite(M))[0]
        raise DataValidationError(
            f"{name}: relation {relation!r} has a negative or missing value",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": int(i) + 1,
                        "column": int(j) + 1,
                        "expected": "a number >= 0",
                        "found": str(M[i, j]),
                    }
                ]
            ),
        )
    if directed is None:
        directed = not np.array_equal(M, M.T)
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(labels)
    idx = np.argwhere(M != 0)
    if not directed:
        idx = idx[idx[:, 0] <= idx[:, 1]]
    G.add_weighted_edges_from((labels[i], labels[j], float(M[i, j])) for i, j in idx)
    G.graph.update(relation=relation, direction=DIRECTION, source_file=name)
    return G


def _check_labels(labels, name):
    seen, dups = set(), []
    for lab in labels:
        if lab in seen:
            dups.append(lab)
        seen.add(lab)
    if dups:
        raise DataValidationError(
            f"{name}: actor labels are not unique: " + ", ".join(dups[:10]),
            problem_frame(
                [
                    {"file": name, "column": "label", "expected": "unique labels", "found": d}
                    for d in dups[:50]
                ]
            ),
        )


def read_matrix(
    path: str | os.PathLike,
    *,
    labels: list | None = None,
    directed: bool | None = None,
    relation: str | None = None,
    sep: str | None = None,
) -> nx.Graph:
    """Read a square adjacency matrix without labels (e.g. the Lazega ``ELadv.dat``).

    Row *i*, column *j* = *i* turns to *j*; the diagonal is dropped.

    Parameters
    ----------
    path : str or os.PathLike
        Text file with one row of numbers per line (blank lines skipped).
    labels : list, optional
        Actor names in row order (converted to text); default ``"1"`` … ``"n"``.
    directed : bool, optional
        ``None`` (default) makes a symmetric matrix undirected and any other directed.
    relation : str, optional
        Relation name stored in ``G.graph["relation"]``; default the file's stem.
    sep : str, optional
        Value separator; default any whitespace.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        The network, tie values in the ``weight`` edge attribute.

    Raises
    ------
    DataValidationError
        A row that is not numbers, a matrix that is not square, negative values, the wrong
        number of labels or duplicate labels.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "adv.dat"
    >>> _ = path.write_text("0 1 0\\n0 0 1\\n0 0 0\\n")
    >>> G = read_matrix(path, labels=["007", "b", "c"])
    >>> G.is_directed(), sorted(G.edges())
    (True, [('007', 'b'), ('b', 'c')])
    """
    path = Path(path)
    name = path.name
    rows = []
    for k, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(sep) if sep else line.split()
        try:
            rows.append([float(x) for x in parts])
        except ValueError as exc:
            raise DataValidationError(
                f"{name}: line {k} is not a row of numbers",
                problem_frame(
                    [{"file": name, "row": k, "expected": "numbers", "found": line.strip()[:60]}]
                ),
            ) from exc
    n = len(rows)
    bad = [k for k, r in enumerate(rows, start=1) if len(r) != n]
    if bad:
        raise DataValidationError(
            f"{name}: not a square matrix ({n} rows)",
            problem_frame(
                [
                    {
                        "file": name,
                        "row": k,
                        "expected": f"{n} values",
                        "found": str(len(rows[k - 1])),
                    }
                    for k in bad[:50]
                ]
            ),
        )
    labels = [str(x) for x in (labels if labels is not None else range(1, n + 1))]
    if len(labels) != n:
        raise DataValidationError(
            f"{name}: {len(labels)} labels for {n} rows",
            problem_frame([{"file": name, "expected": f"{n} labels", "found": str(len(labels))}]),
        )
    _check_labels(labels, name)
    return _matrix_graph(
        labels, np.array(rows), directed, name=name, relation=relation or path.stem
    )


def _read_text(path: Path) -> str:
    if not path.exists():
        raise DataValidationError(
            f"{path}: file not found",
            problem_frame(
                [{"file": str(path), "expected": "an existing file", "found": "no such file"}]
            ),
        )
    return path.read_text(encoding="utf-8", errors="replace")


# --------------------------------------------------------------------------- Pajek
_PAJ_SECTION = re.compile(r"^\*(\w+)\s*(.*)$")


def read_pajek(
    path: str | os.PathLike, *, directed: bool | None = None, diagonal: bool = False
) -> dict[str, nx.Graph]:
    """Read a Pajek network or project file (``.net``, ``.paj``, ``.pajek``).

    Supports ``*Vertices`` (labels in quotes), ``*Arcs``/``*Edges`` (optionally valued, with
    ``:k "name"`` relation labels), ``*Arcslist``/``*Edgeslist`` and ``*Matrix`` blocks; every
    relation becomes a graph over the same vertices. ``*Arcs`` give directed graphs and
    ``*Edges`` undirected ones; a ``*Matrix`` is undirected when symmetric unless ``directed``
    says otherwise. Labels are stripped of surrounding blanks; the diagonal is dropped unless
    ``diagonal=True``. Partitions, vectors and clusters are ignored.

    Parameters
    ----------
    path : str or os.PathLike
        The Pajek file.
    directed : bool, optional
        ``None`` (default): ``*Arcs`` directed, ``*Edges`` undirected, a ``*Matrix`` directed
        unless symmetric; ``True`` / ``False`` force the type of every relation.
    diagonal : bool, default False
        Keep ties of an actor to itself.

    Returns
    -------
    dict of str to networkx.Graph or networkx.DiGraph
        ``{relation label: graph}``, every graph over all vertices (labels as text); unnamed
        relations are ``relation<k>``. Tie values are the ``weight`` edge attribute.

    Raises
    ------
    DataValidationError
        Missing file or ``*Vertices`` section, a vertex id out of range, a value that is not a
        number >= 0, a matrix of the wrong size — naming the file and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.net"
    >>> _ = path.write_text('*Vertices 3\\n1 "007"\\n2 "lab"\\n3 "agency"\\n'
    ...                     '*Arcs :1 "advice"\\n1 2 2\\n3 1\\n')
    >>> sorted(read_pajek(path)["advice"].edges(data="weight"))
    [('007', 'lab', 2.0), ('agency', '007', 1.0)]
    """
    path = Path(path)
    name = path.name
    labels: list[str] = []
    blocks: list[dict] = []
    section = None
    for k, raw in enumerate(_read_text(path).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        m = _PAJ_SECTION.match(line)
        if m:
            kind, rest = m.group(1).lower(), m.group(2)
            if kind == "vertices":
                n = int(rest.split()[0])
                labels = [str(i) for i in range(1, n + 1)]
                section = "vertices"
            elif kind in ("arcs", "edges", "arcslist", "edgeslist", "matrix"):
                label = re.search(r'"([^"]*)"', rest) or re.search(r":\d+\s+(\S.*)$", rest)
                num = re.search(r":(\d+)", rest)
                blocks.append(
                    {
                        "kind": kind,
                        "name": (label.group(1).strip() if label else None),
                        "num": num.group(1) if num else None,
                        "rows": [],
                        "line": k,
                    }
                )
                section = "block"
            elif kind == "network":
                section = None
            else:  # partitions, vectors ... not used
                section = "skip"
            continue
        if section == "vertices":
            try:
                parts = shlex.split(line, posix=True)
                i = int(parts[0])
            except (ValueError, IndexError) as exc:
                raise DataValidationError(
                    f"{name}: line {k} is not a vertex line",
                    problem_frame(
                        [{"file": name, "row": k, "expected": 'id "label" ...', "found": line[:60]}]
                    ),
                ) from exc
            if not 1 <= i <= len(labels):
                raise DataValidationError(
                    f"{name}: vertex id {i} out of range",
                    problem_frame(
                        [{"file": name, "row": k, "expected": f"1..{len(labels)}", "found": str(i)}]
                    ),
                )
            if len(parts) > 1:
                labels[i - 1] = parts[1].strip()
        elif section == "block":
            blocks[-1]["rows"].append((k, line))
    if not labels:
        raise DataValidationError(
            f"{name}: no *Vertices section",
            problem_frame([{"file": name, "expected": "*Vertices n", "found": "missing"}]),
        )
    _check_labels(labels, name)
    n = len(labels)
    out: dict[str, nx.Graph] = {}
    # per relation: the summed matrix and whether it is directed (None: directed unless the
    # matrix is symmetric, as for a *Matrix block without directed=)
    merged: dict[str, tuple[np.ndarray, bool | None]] = {}
    for b_no, b in enumerate(blocks, start=1):
        rel = b["name"] or (f"relation{b['num']}" if b["num"] else f"relation{b_no}")
        M, is_dir = merged.get(rel, (np.zeros((n, n)), False))
        if b["kind"] == "matrix":
            vals = [[_num(x, name, k) for x in line.split()] for k, line in b["rows"]]
            if len(vals) != n or any(len(r) != n for r in vals):
                raise DataValidationError(
                    f"{name}: *Matrix {rel!r} (line {b['line']}) is not {n} x {n}",
                    problem_frame(
                        [
                            {
                                "file": name,
                                "row": b["line"],
                                "expected": f"{n}x{n}",
                                "found": f"{len(vals)} rows",
                            }
                        ]
                    ),
                )
            M = M + np.array(vals)
            is_dir = None if directed is None else directed
        else:
            arcs = b["kind"].startswith("arcs")
            for k, line in b["rows"]:
                parts = line.split()
                if b["kind"].endswith("list"):
                    ids = [_vid(x, n, name, k) for x in parts]
                    pairs = [(ids[0], j, 1.0) for j in ids[1:]]
                else:
                    if len(parts) < 2:
                        raise DataValidationError(
                            f"{name}: line {k} is not a tie",
                            problem_frame(
                                [
                                    {
                                        "file": name,
                                        "row": k,
                                        "expected": "from to [value]",
                                        "found": line[:60],
                                    }
                                ]
                            ),
                        )
                    # "from to [value] [drawing attributes such as c Blue]": only the first
                    # two fields are vertex ids (a value above n is a value, not a vertex)
                    w = _num(parts[2], name, k) if len(parts) > 2 else 1.0
                    if w < 0 or not np.isfinite(w):
                        raise DataValidationError(
                            f"{name}: line {k}: tie value {parts[2]!r} is not a number >= 0",
                            problem_frame(
                                [
                                    {
                                        "file": name,
                                        "row": k,
                                        "column": "value",
                                        "expected": "a number >= 0",
                                        "found": parts[2],
                                    }
                                ]
                            ),
                        )
                    pairs = [(_vid(parts[0], n, name, k), _vid(parts[1], n, name, k), w)]
                for i, j, w in pairs:
                    M[i, j] = w
                    if not arcs:
                        M[j, i] = w
            is_dir = True if arcs or is_dir else (directed or False)
        merged[rel] = (M, is_dir)
    for rel, (M, is_dir) in merged.items():
        out[rel] = _matrix_graph(
            labels,
            M,
            directed if directed is not None else is_dir,
            name=name,
            relation=rel,
            diagonal=diagonal,
        )
    if not out:
        G = nx.Graph()
        G.add_nodes_from(labels)
        out["relation1"] = G
    return out


def _num(x, name, k):
    try:
        return float(x)
    except ValueError as exc:
        raise DataValidationError(
            f"{name}: line {k}: {x!r} is not a number",
            problem_frame([{"file": name, "row": k, "expected": "a number", "found": x}]),
        ) from exc


def _vid(x, n, name, k):
    try:
        i = int(float(x))
    except ValueError:
        i = -1
    if not 1 <= i <= n:
        raise DataValidationError(
            f"{name}: line {k}: vertex {x!r} is not one of 1..{n}",
            problem_frame(
                [{"file": name, "row": k, "expected": f"a vertex id 1..{n}", "found": x}]
            ),
        )
    return i - 1


# --------------------------------------------------------------------------- UCINET DL
_DL_KEYS = {"n", "nm", "nr", "nc", "format"}
_LABEL_RE = re.compile(
    r"^(row\s+labels|column\s+labels|col\s+labels|labels|matrix\s+labels)"
    r"\s*:\s*(.*)$",
    re.I,
)


def _split_labels(text: str) -> list[str]:
    """Labels separated by commas or line breaks (or blanks on a single line), quotes removed."""
    text = text.strip()
    if not text:
        return []
    pieces = re.split(r"[,\n]", text) if "," in text or "\n" in text else shlex.split(text)
    return [p.strip().strip('"').strip("'").strip() for p in pieces if p.strip()]


@dataclass(frozen=True)
class _DLHeader:
    """What the header of a one-mode DL file says, and its data lines."""

    n: int
    nm: int
    fmt: str
    labels: list[str] | None
    matrix_labels: list[str] | None
    embedded: bool
    diag_absent: bool
    data: list[tuple[int, str]]  # (line number in the file, header = 1; stripped text)


def read_dl(
    path: str | os.PathLike, *, directed: bool | None = None, diagonal: bool = False
) -> dict[str, nx.Graph]:
    """Read a one-mode UCINET DL file into one graph per matrix.

    Supports ``FORMAT = FULLMATRIX`` (default, also ``DIAGONAL ABSENT``), ``EDGELIST1`` and
    ``NODELIST1``; labels from ``LABELS:`` / ``ROW LABELS:`` sections or ``LABELS EMBEDDED``
    in the data; several matrices (``NM=k``, named by ``MATRIX LABELS:``; in edge and node
    lists separated by ``!`` lines). Labels are kept as text (``007`` stays ``"007"``).

    Parameters
    ----------
    path : str or os.PathLike
        The ``.dl`` file.
    directed : bool, optional
        ``None`` (default) gives an undirected graph for a symmetric matrix and a directed one
        otherwise; ``True`` / ``False`` force the type.
    diagonal : bool, default False
        Keep ties of an actor to itself (the diagonal); UCINET ignores it by default.

    Returns
    -------
    dict of str to networkx.Graph or networkx.DiGraph
        ``{matrix label: graph}``; a single matrix is named after the file's stem, several
        matrices without ``MATRIX LABELS`` are ``relation1``, ``relation2``, … Row *i*,
        column *j* = *i* turns to *j* (see :data:`DIRECTION`); tie values are the ``weight``
        edge attribute. Actors without labels are named ``"1"`` … ``"n"``.

    Raises
    ------
    DataValidationError
        The file is missing, not a one-mode DL file (two-mode ``NR``/``NC`` files are not
        read), uses an unsupported format, has too few or too many values, a value that is
        not a number >= 0, an id outside ``1..N`` or duplicate labels — the problems table
        names the file, the line and what was expected.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "advice.dl"
    >>> _ = path.write_text("DL N=3\\nFORMAT = EDGELIST1\\nLABELS EMBEDDED\\nDATA:\\n"
    ...                     "007 lab 2\\nlab agency\\n")
    >>> (G,) = read_dl(path, directed=True).values()
    >>> sorted(G.edges(data="weight"))
    [('007', 'lab', 2.0), ('lab', 'agency', 1.0)]
    """
    path = Path(path)
    name = path.name
    head = _dl_header(_read_text(path).splitlines(), name)
    for prefix, reader in _DL_READERS.items():
        if head.fmt.startswith(prefix):
            mats, labels = reader(head, name)
            break
    else:
        raise DataValidationError(
            f"{name}: DL format {head.fmt!r} is not supported",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": "FORMAT",
                        "expected": "fullmatrix, edgelist1 or nodelist1",
                        "found": head.fmt,
                    }
                ]
            ),
        )
    labels = _dl_actor_labels(labels, head.n, name)
    return {
        rel: _matrix_graph(labels, M, directed, name=name, relation=rel, diagonal=diagonal)
        for rel, M in zip(_dl_matrix_names(head, path.stem), mats, strict=True)
    }


def _dl_header(lines: list[str], name: str) -> _DLHeader:
    """Parse the header (everything before ``DATA:``) of a DL file."""
    keys: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    flags: set[str] = set()
    section = None
    data = None
    for k, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if re.match(r"^data\s*:", line, re.I):
            rest = line.split(":", 1)[1].strip()
            data = ([(k, rest)] if rest else []) + [
                (j, ln.strip()) for j, ln in enumerate(lines[k:], start=k + 1) if ln.strip()
            ]
            break
        section = _dl_header_line(line, k, name, keys, sections, flags, section)
    if data is None or "n" not in keys:
        raise DataValidationError(
            f"{name}: not a one-mode UCINET DL file (needs 'DL N=…' and 'DATA:')",
            problem_frame(
                [
                    {
                        "file": name,
                        "expected": "DL N=<n> … DATA:",
                        "found": "two-mode (NR/NC)" if "nr" in keys else "missing",
                    }
                ]
            ),
        )
    labels = next(
        (
            _split_labels("\n".join(sections[key]))
            for key in ("labels", "row", "col", "column")
            if key in sections
        ),
        None,
    )
    matrix_labels = _split_labels("\n".join(sections["matrix"])) if "matrix" in sections else None
    return _DLHeader(
        n=int(keys["n"]),
        nm=int(keys.get("nm", 1)),
        fmt=keys.get("format", "fullmatrix").lower(),
        labels=labels,
        matrix_labels=matrix_labels,
        embedded="embedded" in flags,
        diag_absent="diagonal absent" in flags,
        data=data,
    )


def _dl_header_line(
    line: str, k: int, name: str, keys: dict, sections: dict, flags: set, section: str | None
) -> str | None:
    """Take one header line into ``keys`` / ``sections`` / ``flags``; return the label section
    that continues on the next line (or ``None``)."""
    low = line.lower()
    if "labels embedded" in low:
        flags.add("embedded")
    if "diagonal absent" in low:
        flags.add("diagonal absent")
    m = _LABEL_RE.match(line)
    kv = {a.lower(): b for a, b in re.findall(r"(\w+)\s*=\s*([^\s,]+)", line)}
    if m and "embedded" not in low:
        section = m.group(1).lower().split()[0]
        sections.setdefault(section, []).append(m.group(2))
        return section
    if kv and set(kv) & _DL_KEYS or low.startswith("dl"):
        keys.update(kv)
        return None
    if section is not None:
        sections[section].append(line)
        return section
    if "embedded" in low or "diagonal" in low:
        return None
    raise DataValidationError(
        f"{name}: line {k} is not a DL header line",
        problem_frame(
            [
                {
                    "file": name,
                    "row": k,
                    "expected": "DL header (N=, FORMAT=, LABELS:, DATA:)",
                    "found": line[:60],
                }
            ]
        ),
    )


def _dl_fullmatrix(head: _DLHeader, name: str) -> tuple[list[np.ndarray], list | None]:
    """``FORMAT = FULLMATRIX``: NM matrices of N x N values (N x (N-1) without diagonal)."""
    n, nm = head.n, head.nm
    data = [(k, ln) for k, ln in head.data if not ln.startswith("!")]
    labels = head.labels
    tokens: list[tuple[int, str]] = []
    if head.embedded:
        # the first line holds the column labels, every row starts with its own label
        labels = data[0][1].replace(",", " ").split() if data else []
        for k, ln in data[1:]:
            tokens.extend((k, t) for t in ln.replace(",", " ").split()[1:])
    else:
        for k, ln in data:
            tokens.extend((k, t) for t in ln.replace(",", " ").split())
    per = n * (n - 1) if head.diag_absent else n * n
    if len(tokens) != per * nm:
        raise DataValidationError(
            f"{name}: expected {per * nm} matrix values ({nm} matrix/ces of {n} x {n}), "
            f"found {len(tokens)}",
            problem_frame(
                [{"file": name, "expected": f"{per * nm} values", "found": str(len(tokens))}]
            ),
        )
    vals = np.array([_num(t, name, k) for k, t in tokens])
    mats = []
    for m in range(nm):
        chunk = vals[m * per : (m + 1) * per]
        if head.diag_absent:
            M = np.zeros((n, n))
            M[~np.eye(n, dtype=bool)] = chunk
        else:
            M = chunk.reshape(n, n)
        mats.append(M)
    return mats, labels


def _dl_list_rows(head: _DLHeader):
    """``(matrix number, line number, fields)`` of an edge or node list; ``!`` lines separate
    the NM matrices."""
    m = 0
    for k, ln in head.data:
        if ln.startswith("!"):
            m += 1
            if m >= head.nm:
                return
            continue
        yield m, k, ln.replace(",", " ").split()


class _DLIds:
    """Actor positions of the ids in an edge or node list: numbers ``1..N``, or with
    ``LABELS EMBEDDED`` the labels themselves (new labels take the next position)."""

    def __init__(self, head: _DLHeader, name: str):
        self.n, self.name, self.embedded = head.n, name, head.embedded
        self.labels = (
            list(head.labels) if head.labels is not None else ([] if head.embedded else None)
        )
        self.index = {lab: i for i, lab in enumerate(self.labels or [])}

    def __call__(self, items: list[str], k: int) -> list[int]:
        if not self.embedded:
            return [_vid(p, self.n, self.name, k) for p in items]
        labels = self.labels
        assert labels is not None  # embedded labels: a list from __init__, never None
        ids = []
        for p in items:
            if p not in self.index:
                self.index[p] = len(labels)
                labels.append(p)
            if self.index[p] >= self.n:
                raise DataValidationError(
                    f"{self.name}: more than N={self.n} distinct labels",
                    problem_frame(
                        [{"file": self.name, "row": k, "expected": f"{self.n} actors", "found": p}]
                    ),
                )
            ids.append(self.index[p])
        return ids


def _dl_edgelist(head: _DLHeader, name: str) -> tuple[list[np.ndarray], list | None]:
    """``FORMAT = EDGELIST1``: one tie per line, ``from to [value]``."""
    mats = [np.zeros((head.n, head.n)) for _ in range(head.nm)]
    ids = _DLIds(head, name)
    for m, k, parts in _dl_list_rows(head):
        i_j = ids(parts[:2], k)
        if len(i_j) < 2:
            raise DataValidationError(
                f"{name}: line {k} is not a tie",
                problem_frame(
                    [
                        {
                            "file": name,
                            "row": k,
                            "expected": "from to [value]",
                            "found": " ".join(parts)[:60],
                        }
                    ]
                ),
            )
        mats[m][i_j[0], i_j[1]] = _num(parts[2], name, k) if len(parts) > 2 else 1.0
    return mats, ids.labels


def _dl_nodelist(head: _DLHeader, name: str) -> tuple[list[np.ndarray], list | None]:
    """``FORMAT = NODELIST1``: an actor followed by every actor it turns to."""
    mats = [np.zeros((head.n, head.n)) for _ in range(head.nm)]
    ids = _DLIds(head, name)
    for m, k, parts in _dl_list_rows(head):
        row = ids(parts, k)
        for j in row[1:]:
            mats[m][row[0], j] = 1.0
    return mats, ids.labels


#: DL format (prefix of the FORMAT value) -> reader returning (matrices, labels).
_DL_READERS = {"fullmatrix": _dl_fullmatrix, "edgelist": _dl_edgelist, "nodelist": _dl_nodelist}


def _dl_actor_labels(labels: list | None, n: int, name: str) -> list[str]:
    """Exactly ``n`` unique text labels: missing ones are numbered, extra ones dropped."""
    labels = [str(x) for x in (labels or range(1, n + 1))]
    if len(labels) < n:
        labels += [str(i) for i in range(len(labels) + 1, n + 1)]
    labels = labels[:n]
    _check_labels(labels, name)
    return labels


def _dl_matrix_names(head: _DLHeader, stem: str) -> list[str]:
    """The relation names: MATRIX LABELS when there is one per matrix, else the file's stem
    (one matrix) or ``relation1`` … (several)."""
    if head.matrix_labels and len(head.matrix_labels) == head.nm:
        return head.matrix_labels
    return [stem] if head.nm == 1 else [f"relation{m + 1}" for m in range(head.nm)]
