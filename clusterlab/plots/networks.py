# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Network figures: tie network coloured by actor kind or membership and sized by centrality,
two-mode participation drawing, core-periphery density image, knowledge-role map and
centrality by group.

Every function follows the house convention ``f(data, *, ax=None, ...) -> Axes``: it draws on
``ax`` when given (else on a new figure), checks its input, sets a title that says what the
figure shows and returns the Axes. Until 0.2 these functions returned the Figure; use
``ax.figure`` where the Figure is needed.

Disclosure: by default **no actor is labelled** (``labels="none"``); ``labels="organisations"``
labels non-firm actors only (universities, agencies …), ``labels="all"`` is for analysts'
eyes only — never publish a figure that names firms.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> import networkx as nx
>>> from clusterlab.plots.networks import network_drawing
>>> G = nx.DiGraph([("a", "b"), ("b", "c")])
>>> nx.set_node_attributes(G, {"a": "firm", "b": "university", "c": "firm"}, "kind")
>>> ax = network_drawing(G, seed=1)
>>> ax.get_title()
'network (arrow: i turns to j)'
>>> plt.close(ax.figure)
"""

from __future__ import annotations

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from clusterlab._validation import check_choice, check_frame
from clusterlab.errors import ParameterError
from clusterlab.plots._axes import axes_or_new

__all__ = [
    "KIND_COLOURS",
    "network_drawing",
    "two_mode_drawing",
    "core_periphery_image",
    "knowledge_roles_map",
    "centrality_by_group",
]

KIND_COLOURS = {
    "firm": "#1f77b4",
    "university": "#d62728",
    "research_institute": "#9467bd",
    "agency": "#2ca02c",
    "service_provider": "#ff7f0e",
    "association": "#8c564b",
    True: "#1f77b4",
    False: "#b0bec5",
    "core": "#c62828",
    "periphery": "#90a4ae",
}
_FALLBACK = matplotlib.color_sequences["tab10"]


def _check_graph(G, name: str = "G") -> None:
    if not isinstance(G, nx.Graph):
        raise ParameterError(f"{name} must be a networkx graph, got {type(G).__name__}")


def _colours(values):
    cats = list(dict.fromkeys(values))
    extra = iter(c for c in _FALLBACK if c not in KIND_COLOURS.values())
    cmap = {c: KIND_COLOURS.get(c) or next(extra, "#777777") for c in cats}
    return [cmap[v] for v in values], cmap


def _labels(G, mode, label_attr, kind_attr):
    check_choice(mode, ["none", "organisations", "all"], argument="labels")
    if mode == "none":
        return {}
    out = {}
    for v, d in G.nodes(data=True):
        if mode == "organisations" and d.get(kind_attr, "firm") == "firm":
            continue
        out[v] = d.get(label_attr) or str(v)
    return out


def network_drawing(
    G: nx.Graph,
    *,
    color_by: str = "kind",
    size_by=None,
    labels: str = "none",
    label_attr: str = "node_name",
    kind_attr: str = "kind",
    seed: int = 0,
    ax=None,
    title: str = "",
):
    """Spring-layout drawing, nodes coloured by an attribute and sized by a score.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The tie network (directed graphs are drawn with arrows, undirected ones without).
    color_by : str, default "kind"
        Node attribute for colours (``kind``, ``member``, …).
    size_by : mapping or pandas.Series, optional
        Score per actor (e.g. ``centrality(G).set_index("node")["betweenness"]``).
    labels : {"none", "organisations", "all"}, default "none"
        Which actors get a label (see the module note on disclosure).
    label_attr : str, default "node_name"
        Node attribute holding the label text (the node id when absent).
    kind_attr : str, default "kind"
        Node attribute telling firms from other organisations.
    seed : int, default 0
        Layout seed (the drawing is reproducible).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default the graph's ``relation`` (or "network").

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = network_drawing(nx.path_graph(3), title="three actors in a row")
    >>> ax.get_title()
    'three actors in a row'
    >>> plt.close(ax.figure)
    """
    _check_graph(G)
    ax = axes_or_new(ax, figsize=(8, 6.5))
    nodes = list(G.nodes)
    vals = [G.nodes[v].get(color_by, "(missing)") for v in nodes]
    cols, cmap = _colours(vals)
    if size_by is not None:
        s = pd.Series(dict(size_by)).reindex(nodes).fillna(0).astype(float)
        rng = s.max() - s.min()
        sizes = 40 + 460 * ((s - s.min()) / rng if rng > 0 else 0 * s)
    else:
        sizes = pd.Series(120.0, index=nodes)
    pos = nx.spring_layout(G, seed=seed, k=1.5 / np.sqrt(max(len(nodes), 1)))
    # arrow styles only for directed graphs: networkx warns (and draws a LineCollection
    # anyway) when arrowstyle/arrowsize are given for an undirected graph
    arrow_kw = {"arrows": True, "arrowstyle": "-|>", "arrowsize": 8} if G.is_directed() else {}
    nx.draw_networkx_edges(
        G,
        pos,
        ax=ax,
        alpha=0.35,
        width=0.7,
        node_size=sizes.to_numpy(),
        edge_color="#607d8b",
        **arrow_kw,
    )
    nx.draw_networkx_nodes(
        G,
        pos,
        ax=ax,
        nodelist=nodes,
        node_color=cols,
        node_size=sizes.to_numpy(),
        linewidths=0.5,
        edgecolors="white",
    )
    lab = _labels(G, labels, label_attr, kind_attr)
    if lab:
        nx.draw_networkx_labels(G, pos, labels=lab, ax=ax, font_size=7)
    handles = [Line2D([], [], marker="o", ls="", color=c, label=str(k)) for k, c in cmap.items()]
    ax.legend(handles=handles, title=color_by, loc="best", fontsize=8, frameon=False)
    ax.set_title(
        title
        or (G.graph.get("relation") or "network")
        + (" (arrow: i turns to j)" if G.is_directed() else "")
    )
    ax.set_axis_off()
    return ax


def two_mode_drawing(tm, *, labels: str = "events", seed: int = 0, ax=None, title: str = ""):
    """Two-mode drawing: actors (circles) and events (squares), sized by degree.

    Parameters
    ----------
    tm : clusterlab.networks.TwoModeNetwork
        The result of :func:`clusterlab.networks.two_mode` (``graph``, ``actors``,
        ``events``).
    labels : {"events", "none", "all"}, default "events"
        Which nodes get a label; by default only events (actors stay anonymous).
    seed : int, default 0
        Layout seed.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "two-mode network (size: degree)".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from clusterlab import networks as nw
    >>> part = pd.DataFrame({"node": ["a", "b", "b"], "activity": ["fair", "fair", "course"]})
    >>> ax = two_mode_drawing(nw.two_mode(part, actor="node", event="activity"))
    >>> ax.get_title()
    'two-mode network (size: degree)'
    >>> plt.close(ax.figure)
    """
    check_choice(labels, ["none", "events", "all"], argument="labels")
    if not all(hasattr(tm, a) for a in ("graph", "actors", "events")):
        raise ParameterError(
            "tm must be a two-mode network from clusterlab.networks.two_mode, "
            f"got {type(tm).__name__}"
        )
    _check_graph(tm.graph, "tm.graph")
    ax = axes_or_new(ax, figsize=(8, 6.5))
    G = tm.graph
    pos = nx.spring_layout(G, seed=seed)
    nx.draw_networkx_edges(G, pos, ax=ax, alpha=0.3, width=0.6, edge_color="#607d8b")
    deg = dict(G.degree())
    nx.draw_networkx_nodes(
        G,
        pos,
        nodelist=tm.actors,
        node_shape="o",
        ax=ax,
        node_color="#1f77b4",
        node_size=[30 + 15 * deg[v] for v in tm.actors],
    )
    nx.draw_networkx_nodes(
        G,
        pos,
        nodelist=tm.events,
        node_shape="s",
        ax=ax,
        node_color="#ff7f0e",
        node_size=[60 + 8 * deg[v] for v in tm.events],
    )
    show = tm.events if labels == "events" else (tm.actors + tm.events if labels == "all" else [])
    if show:
        nx.draw_networkx_labels(G, pos, labels={v: str(v) for v in show}, ax=ax, font_size=7)
    ax.legend(
        handles=[
            Line2D([], [], marker="o", ls="", color="#1f77b4", label="actor"),
            Line2D([], [], marker="s", ls="", color="#ff7f0e", label="event"),
        ],
        loc="best",
        fontsize=8,
        frameon=False,
    )
    ax.set_title(title or "two-mode network (size: degree)")
    ax.set_axis_off()
    return ax


def core_periphery_image(G: nx.Graph, cp, *, ax=None, title: str = ""):
    """Adjacency matrix with the core first and lines between the blocks, block densities
    annotated; no actor labels.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The tie network.
    cp : clusterlab.networks.CorePeriphery
        The result of :func:`clusterlab.networks.core_periphery` for ``G`` (``nodes``,
        ``core``, ``density``, ``fit``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default the number of core actors and the fit.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from clusterlab import networks as nw
    >>> G = nx.complete_graph(4)
    >>> G.add_edges_from([(0, 4), (1, 5)])
    >>> ax = core_periphery_image(G, nw.core_periphery(G, restarts=2))
    >>> ax.get_title().startswith("core-periphery (")
    True
    >>> plt.close(ax.figure)
    """
    _check_graph(G)
    if not all(hasattr(cp, a) for a in ("nodes", "core", "density", "fit")):
        raise ParameterError(
            "cp must be a core-periphery result from "
            f"clusterlab.networks.core_periphery, got {type(cp).__name__}"
        )
    ax = axes_or_new(ax, figsize=(6, 6))
    order = [v for v in cp.nodes if v in cp.core] + [v for v in cp.nodes if v not in cp.core]
    A = nx.to_numpy_array(G, nodelist=order, weight=None)
    ax.imshow(A != 0, cmap="Greys", interpolation="nearest")
    k = len(cp.core) - 0.5
    ax.axhline(k, color="#c62828", lw=1.2)
    ax.axvline(k, color="#c62828", lw=1.2)
    d = cp.density
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(
        f"core → core {d.loc['core', 'core']:.2f}, core → periphery "
        f"{d.loc['core', 'periphery']:.2f}\nperiphery → core "
        f"{d.loc['periphery', 'core']:.2f}, periphery → periphery "
        f"{d.loc['periphery', 'periphery']:.2f}",
        fontsize=8,
    )
    ax.set_title(title or f"core-periphery ({len(cp.core)} core actors, fit {cp.fit:.2f})")
    return ax


def knowledge_roles_map(roles: pd.DataFrame, *, ax=None, title: str = ""):
    """Giuliani & Bell's map: knowledge received (x) vs given (y), coloured by role, with the
    thresholds as dashed lines; points are not labelled.

    Parameters
    ----------
    roles : pandas.DataFrame
        ``role, received, given`` per actor, e.g. from
        :func:`clusterlab.networks.knowledge_roles` (its ``out_threshold`` and
        ``in_threshold`` columns are drawn when present).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "cognitive roles (Giuliani & Bell 2005)".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing or non-numeric column.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> roles = pd.DataFrame({"role": ["source", "absorber"], "received": [1, 4],
    ...                       "given": [5, 0]})
    >>> ax = knowledge_roles_map(roles)
    >>> ax.get_title()
    'cognitive roles (Giuliani & Bell 2005)'
    >>> plt.close(ax.figure)
    """
    check_frame(
        roles, required=["role", "received", "given"], numeric=["received", "given"], name="roles"
    )
    ax = axes_or_new(ax, figsize=(6.5, 5))
    palette = {
        "technological_gatekeeper": "#c62828",
        "mutual_exchanger": "#1565c0",
        "source": "#2e7d32",
        "absorber": "#ef6c00",
        "isolated": "#9e9e9e",
    }
    rng = np.random.default_rng(0)
    jitter = rng.uniform(-0.15, 0.15, (len(roles), 2))
    for role, col in palette.items():
        sub = roles["role"] == role
        if sub.any():
            ax.scatter(
                roles.loc[sub, "received"] + jitter[sub.to_numpy(), 0],
                roles.loc[sub, "given"] + jitter[sub.to_numpy(), 1],
                s=30,
                color=col,
                label=f"{role.replace('_', ' ')} ({int(sub.sum())})",
                alpha=0.8,
            )
    if {"out_threshold", "in_threshold"} <= set(roles.columns) and len(roles):
        ax.axvline(roles["out_threshold"].iat[0], ls="--", color="#777", lw=0.8)
        ax.axhline(roles["in_threshold"].iat[0], ls="--", color="#777", lw=0.8)
    ax.set_xlabel("knowledge received (cluster sources)")
    ax.set_ylabel("knowledge given (asked by cluster actors)")
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(title or "cognitive roles (Giuliani & Bell 2005)")
    return ax


def centrality_by_group(
    centrality: pd.DataFrame,
    *,
    measure: str = "degree_norm",
    group: str = "kind",
    ax=None,
    title: str = "",
):
    """Box plot of a centrality measure by group (kind of actor, membership).

    Parameters
    ----------
    centrality : pandas.DataFrame
        One row per actor with the ``measure`` and ``group`` columns, e.g.
        ``with_attributes(centrality(G), G)`` from :mod:`clusterlab.networks`.
    measure : str, default "degree_norm"
        Numeric column to plot.
    group : str, default "kind"
        Column of the groups on the x axis.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.
    title : str, default ""
        Title; default "<measure> by <group>".

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (until 0.2: the Figure).

    Raises
    ------
    DataValidationError
        A missing column or a non-numeric measure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> c = pd.DataFrame({"degree_norm": [0.1, 0.5, 0.3], "kind": ["firm", "firm", "agency"]})
    >>> ax = centrality_by_group(c)
    >>> ax.get_title()
    'degree_norm by kind'
    >>> plt.close(ax.figure)
    """
    check_frame(centrality, required=[measure, group], numeric=[measure], name="centrality")
    ax = axes_or_new(ax, figsize=(7, 4))
    # matplotlib directly: seaborn's boxplot passes matplotlib a deprecated argument (vert=)
    # and its warning leaked into every notebook that drew this figure
    labels = centrality[group].astype(str)
    values = centrality[measure].astype(float)
    groups = list(dict.fromkeys(labels))
    series = [values[(labels == g).to_numpy()].dropna().to_numpy() for g in groups]
    positions = np.arange(len(groups))
    ax.boxplot(
        series,
        positions=positions,
        widths=0.6,
        showfliers=False,
        patch_artist=True,
        boxprops={"facecolor": "#bbdefb", "edgecolor": "#455a64"},
        medianprops={"color": "#455a64"},
        whiskerprops={"color": "#455a64"},
        capprops={"color": "#455a64"},
    )
    rng = np.random.default_rng(0)  # seeded jitter: the figure is reproducible
    for x, ys in zip(positions, series, strict=True):
        ax.scatter(
            x + rng.uniform(-0.15, 0.15, len(ys)), ys, s=9, color="#1565c0", alpha=0.6, zorder=3
        )
    ax.set_xticks(positions, groups)
    ax.set_xlabel(group)
    ax.set_ylabel(measure)
    ax.set_title(title or f"{measure} by {group}")
    ax.tick_params(axis="x", rotation=20)
    return ax
