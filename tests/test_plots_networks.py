# ruff: noqa: N806  (networkx convention: G for a graph)
"""clusterlab.plots.networks follows the plot convention of issue #19:
``f(data, *, ax=None, ...) -> Axes``, draws on a given ``ax``, checks its input, sets a title,
and leaks no warning (networkx warned about arrow styles given for undirected graphs)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from clusterlab import networks as nw  # noqa: E402
from clusterlab.errors import DataValidationError, ParameterError  # noqa: E402
from clusterlab.plots import networks as netplots  # noqa: E402


def _calls():
    G = nx.complete_graph(4)
    G.add_edges_from([(0, 4), (1, 5)])
    nx.set_node_attributes(G, {v: "firm" if v % 2 else "university" for v in G}, "kind")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cp = nw.core_periphery(G, restarts=2)
    part = pd.DataFrame({"node": ["a", "b", "b"], "activity": ["fair", "fair", "course"]})
    roles = pd.DataFrame(
        {"role": ["source", "absorber", "isolated"], "received": [1, 4, 0], "given": [5, 0, 0]}
    )
    cen = pd.DataFrame({"degree_norm": [0.1, 0.5, 0.3], "kind": ["firm", "firm", "agency"]})
    return {
        "network_drawing": (netplots.network_drawing, (G,)),
        "two_mode_drawing": (
            netplots.two_mode_drawing,
            (nw.two_mode(part, actor="node", event="activity"),),
        ),
        "core_periphery_image": (netplots.core_periphery_image, (G, cp)),
        "knowledge_roles_map": (netplots.knowledge_roles_map, (roles,)),
        "centrality_by_group": (netplots.centrality_by_group, (cen,)),
    }


@pytest.mark.parametrize("name", sorted(_calls()))
def test_draws_on_the_given_axes_and_returns_it_with_a_title(name):
    func, args = _calls()[name]
    fig, given = plt.subplots(1, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = func(*args, ax=given[1])
        assert ax is given[1] and ax.get_title()
        new = func(*args, title="what it shows")
    assert isinstance(new, Axes) and new.figure is not fig
    assert new.get_title() == "what it shows"
    plt.close(fig)
    plt.close(new.figure)


def test_undirected_graphs_get_no_arrow_styles_and_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # networkx warns when arrow styles reach a Graph
        ax = netplots.network_drawing(nx.cycle_graph(3))
    assert not any(isinstance(p, FancyArrowPatch) for p in ax.patches)
    assert "arrow" not in ax.get_title()
    plt.close(ax.figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = netplots.network_drawing(nx.DiGraph([(0, 1), (1, 2), (2, 0)]))
    assert sum(isinstance(p, FancyArrowPatch) for p in ax.patches) == 3
    assert ax.get_title() == "network (arrow: i turns to j)"
    plt.close(ax.figure)


def test_bad_input_is_our_error():
    with pytest.raises(DataValidationError) as exc:
        netplots.knowledge_roles_map(pd.DataFrame({"role": ["source"], "received": [1]}))
    assert "given" in exc.value.problems["column"].tolist()
    with pytest.raises(DataValidationError):
        netplots.centrality_by_group(pd.DataFrame({"kind": ["firm"], "degree_norm": ["x"]}))
    with pytest.raises(ParameterError, match="networkx graph"):
        netplots.network_drawing(pd.DataFrame({"a": [1]}))
    with pytest.raises(ParameterError, match="two_mode"):
        netplots.two_mode_drawing(nx.path_graph(3))
    with pytest.raises(ParameterError, match="core_periphery"):
        netplots.core_periphery_image(nx.path_graph(3), None)
    plt.close("all")


def test_knowledge_roles_map_draws_the_threshold_columns_after_a_concat():
    # the thresholds travel as columns: the roles of two relations in one table (pandas drops
    # attrs that differ between the concatenated frames) still draw their own thresholds
    G = nx.DiGraph([("a", "b"), ("c", "b"), ("d", "b"), ("b", "x"), ("b", "a")])
    nx.set_node_attributes(G, {v: v == "x" for v in G}, "external")
    both = pd.concat(
        [
            nw.knowledge_roles(G, in_threshold=2, out_threshold=0.5).assign(relation="advice"),
            nw.knowledge_roles(G).assign(relation="knowledge"),
        ]
    )
    roles = both[both["relation"] == "advice"]
    assert "in_threshold" not in roles.attrs
    ax = netplots.knowledge_roles_map(roles)
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    xs = {float(x) for line in dashed for x in line.get_xdata()}
    ys = {float(y) for line in dashed for y in line.get_ydata()}
    assert len(dashed) == 2 and 0.5 in xs and 2.0 in ys  # received on x, given on y
    plt.close(ax.figure)
    # without the columns (a table of the user's own) no threshold lines
    ax = netplots.knowledge_roles_map(roles.drop(columns=["in_threshold", "out_threshold"]))
    assert not [line for line in ax.lines if line.get_linestyle() == "--"]
    plt.close(ax.figure)
