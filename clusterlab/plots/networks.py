# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Network figures: tie network coloured by actor kind or membership and sized by centrality,
two-mode participation drawing, core-periphery density image, knowledge-role map and
centrality by group. Each returns its Figure.

Disclosure: by default **no actor is labelled** (``labels="none"``); ``labels="organisations"``
labels non-firm actors only (universities, agencies …), ``labels="all"`` is for analysts'
eyes only — never publish a figure that names firms.

Examples
--------
>>> import networkx as nx
>>> from clusterlab.plots.networks import network_drawing
>>> G = nx.DiGraph([("a", "b"), ("b", "c")])
>>> nx.set_node_attributes(G, {"a": "firm", "b": "university", "c": "firm"}, "kind")
>>> fig = network_drawing(G, seed=1)
>>> len(fig.axes) >= 1
True
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from clusterlab._validation import check_choice

__all__ = ["KIND_COLOURS", "network_drawing", "two_mode_drawing", "core_periphery_image",
           "knowledge_roles_map", "centrality_by_group"]

KIND_COLOURS = {"firm": "#1f77b4", "university": "#d62728", "research_institute": "#9467bd",
                "agency": "#2ca02c", "service_provider": "#ff7f0e", "association": "#8c564b",
                True: "#1f77b4", False: "#b0bec5", "core": "#c62828", "periphery": "#90a4ae"}
_FALLBACK = plt.get_cmap("tab10").colors


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


def network_drawing(G: nx.Graph, *, color_by: str = "kind", size_by=None,
                    labels: str = "none", label_attr: str = "node_name",
                    kind_attr: str = "kind", seed: int = 0, ax=None, title: str = ""):
    """Spring-layout drawing, nodes coloured by an attribute and sized by a score.

    Parameters
    ----------
    color_by : str
        Node attribute for colours (``kind``, ``member``, …).
    size_by : mapping or pandas.Series, optional
        Score per actor (e.g. ``centrality(G).set_index("node")["betweenness"]``).
    labels : {"none", "organisations", "all"}
        Which actors get a label (see the module note on disclosure).
    seed : int
        Layout seed (the drawing is reproducible).
    """
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(8, 6.5))
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
    nx.draw_networkx_edges(G, pos, ax=ax, alpha=0.35, width=0.7, node_size=sizes.to_numpy(),
                           edge_color="#607d8b", **arrow_kw)
    nx.draw_networkx_nodes(G, pos, ax=ax, nodelist=nodes, node_color=cols,
                           node_size=sizes.to_numpy(), linewidths=0.5, edgecolors="white")
    lab = _labels(G, labels, label_attr, kind_attr)
    if lab:
        nx.draw_networkx_labels(G, pos, labels=lab, ax=ax, font_size=7)
    handles = [Line2D([], [], marker="o", ls="", color=c, label=str(k)) for k, c in cmap.items()]
    ax.legend(handles=handles, title=color_by, loc="best", fontsize=8, frameon=False)
    ax.set_title(title or (G.graph.get("relation") or "network")
                 + (" (arrow: i turns to j)" if G.is_directed() else ""))
    ax.set_axis_off()
    return fig


def two_mode_drawing(tm, *, labels: str = "events", seed: int = 0, ax=None, title: str = ""):
    """Two-mode drawing: actors (circles) and events (squares); by default only events are
    labelled (``labels="events"``; ``"none"`` or ``"all"``)."""
    check_choice(labels, ["none", "events", "all"], argument="labels")
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(8, 6.5))
    G = tm.graph
    pos = nx.spring_layout(G, seed=seed)
    nx.draw_networkx_edges(G, pos, ax=ax, alpha=0.3, width=0.6, edge_color="#607d8b")
    deg = dict(G.degree())
    nx.draw_networkx_nodes(G, pos, nodelist=tm.actors, node_shape="o", ax=ax,
                           node_color="#1f77b4", node_size=[30 + 15 * deg[v] for v in tm.actors])
    nx.draw_networkx_nodes(G, pos, nodelist=tm.events, node_shape="s", ax=ax,
                           node_color="#ff7f0e", node_size=[60 + 8 * deg[v] for v in tm.events])
    show = tm.events if labels == "events" else (tm.actors + tm.events if labels == "all" else [])
    if show:
        nx.draw_networkx_labels(G, pos, labels={v: str(v) for v in show}, ax=ax, font_size=7)
    ax.legend(handles=[Line2D([], [], marker="o", ls="", color="#1f77b4", label="actor"),
                       Line2D([], [], marker="s", ls="", color="#ff7f0e", label="event")],
              loc="best", fontsize=8, frameon=False)
    ax.set_title(title or "two-mode network (size: degree)")
    ax.set_axis_off()
    return fig


def core_periphery_image(G: nx.Graph, cp, *, ax=None, title: str = ""):
    """Adjacency matrix with the core first and lines between the blocks, block densities
    annotated; no actor labels."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 6))
    order = [v for v in cp.nodes if v in cp.core] + [v for v in cp.nodes if v not in cp.core]
    A = nx.to_numpy_array(G, nodelist=order, weight=None)
    ax.imshow(A != 0, cmap="Greys", interpolation="nearest")
    k = len(cp.core) - 0.5
    ax.axhline(k, color="#c62828", lw=1.2)
    ax.axvline(k, color="#c62828", lw=1.2)
    d = cp.density
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(f"core → core {d.loc['core', 'core']:.2f}, core → periphery "
                  f"{d.loc['core', 'periphery']:.2f}\nperiphery → core "
                  f"{d.loc['periphery', 'core']:.2f}, periphery → periphery "
                  f"{d.loc['periphery', 'periphery']:.2f}", fontsize=8)
    ax.set_title(title or f"core-periphery ({len(cp.core)} core actors, fit {cp.fit:.2f})")
    return fig


def knowledge_roles_map(roles: pd.DataFrame, *, ax=None, title: str = ""):
    """Giuliani & Bell's map: knowledge received (x) vs given (y), coloured by role, with the
    thresholds as dashed lines; points are not labelled."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6.5, 5))
    palette = {"technological_gatekeeper": "#c62828", "mutual_exchanger": "#1565c0",
               "source": "#2e7d32", "absorber": "#ef6c00", "isolated": "#9e9e9e"}
    rng = np.random.default_rng(0)
    jitter = rng.uniform(-0.15, 0.15, (len(roles), 2))
    for role, col in palette.items():
        sub = roles["role"] == role
        if sub.any():
            ax.scatter(roles.loc[sub, "received"] + jitter[sub.to_numpy(), 0],
                       roles.loc[sub, "given"] + jitter[sub.to_numpy(), 1], s=30, color=col,
                       label=f"{role.replace('_', ' ')} ({int(sub.sum())})", alpha=0.8)
    if "out_threshold" in roles.attrs:
        ax.axvline(roles.attrs["out_threshold"], ls="--", color="#777", lw=0.8)
        ax.axhline(roles.attrs["in_threshold"], ls="--", color="#777", lw=0.8)
    ax.set_xlabel("knowledge received (cluster sources)")
    ax.set_ylabel("knowledge given (asked by cluster actors)")
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(title or "cognitive roles (Giuliani & Bell 2005)")
    return fig


def centrality_by_group(centrality: pd.DataFrame, *, measure: str = "degree_norm",
                        group: str = "kind", ax=None, title: str = ""):
    """Box plot of a centrality measure by group (kind of actor, membership)."""
    import seaborn as sns  # noqa: PLC0415

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(7, 4))
    data = centrality.assign(**{group: centrality[group].astype(str)})
    sns.boxplot(data=data, x=group, y=measure, ax=ax, color="#bbdefb", fliersize=0)
    sns.stripplot(data=data, x=group, y=measure, ax=ax, color="#1565c0", size=3, alpha=0.6)
    ax.set_title(title or f"{measure} by {group}")
    ax.tick_params(axis="x", rotation=20)
    return fig
