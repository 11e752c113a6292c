# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""clusterlab.networks end to end on the synthetic demo tables, and the network figures
(no firm is ever labelled by default)."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import networkx as nx
import pytest

from clusterlab import networks as nw
from clusterlab.datasets import load_demo
from clusterlab.errors import ParameterError
from clusterlab.plots import networks as netplots

CLUSTER = "valley_foodtech"


@pytest.fixture(scope="module")
def demo():
    nodes = load_demo("nodes")
    edges = load_demo("edges")
    part = load_demo("participation")
    nodes = nodes[nodes["initiative"] == CLUSTER]
    edges = edges[(edges["initiative"] == CLUSTER) & (edges["wave"] == 2)]
    part = part[part["initiative"] == CLUSTER]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        rels = nw.relations(edges, nodes)
    return nodes, rels, part


def test_relations_share_the_actor_set_and_direction(demo):
    nodes, rels, _ = demo
    assert set(rels) == {"knowledge", "trade", "cooperation"}
    assert all(set(g.nodes) == set(nodes["node"]) for g in rels.values())
    assert rels["knowledge"].is_directed() and not rels["cooperation"].is_directed()


def test_demo_tables(demo):
    nodes, rels, _ = demo
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        coh = nw.cohesion(rels)
        K = rels["knowledge"]
        cen = nw.with_attributes(nw.centrality(K), K)
        br = nw.brokerage(K, "kind")
        roles = nw.knowledge_roles(K, focal=("kind", "firm"))
    assert coh["relation"].tolist() == list(rels)
    assert (coh["n_firms"] == (nodes["kind"] == "firm").sum()).all()
    assert list(cen.columns[:5]) == ["node", "node_name", "kind", "member", "external"]
    assert len(cen) == len(nodes) and cen["node"].is_unique
    # external partners were not surveyed in the demo: they send no knowledge ties
    ext = set(nodes.loc[nodes["external"].astype(bool), "node"])
    assert cen.loc[cen["node"].isin(ext), "out_degree"].eq(0).all()
    assert br[nw.ROLES].to_numpy().min() >= 0
    assert set(roles["role"]) <= set(nw.KNOWLEDGE_ROLES)
    assert len(roles) == ((nodes["kind"] == "firm") & ~nodes["external"].astype(bool)).sum()


def test_demo_members_and_two_mode(demo):
    _, rels, part = demo
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        mc = nw.member_comparison(
            rels["knowledge"], among=("kind", "firm"), permutations=99, seed=1, core_restarts=5
        )
    assert set(mc["measure"]) >= {"degree", "brokerage", "core"}
    assert mc["p_value"].between(0, 1).all()
    tm = nw.two_mode(part, actor="node", event="activity")
    c = tm.centrality()
    assert set(c["mode"]) == {"actor", "event"}
    assert c["degree"].between(0, 1).all()


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_figures_do_not_label_firms(demo):
    nodes, rels, part = demo
    K = rels["knowledge"]
    firm_names = set(nodes.loc[nodes["kind"] == "firm", "node_name"]) | set(
        nodes.loc[nodes["kind"] == "firm", "node"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        centrality = nw.centrality(K)
        cen = centrality.set_index("node")["betweenness"]
        cp = nw.core_periphery(K, restarts=5)
        roles = nw.knowledge_roles(K, focal=("kind", "firm"))
    figs = [
        netplots.network_drawing(K, size_by=cen, seed=1).figure,
        netplots.network_drawing(K, labels="organisations", color_by="member").figure,
        netplots.two_mode_drawing(nw.two_mode(part, actor="node", event="activity")).figure,
        netplots.core_periphery_image(K, cp).figure,
        netplots.knowledge_roles_map(roles).figure,
        netplots.centrality_by_group(nw.with_attributes(centrality, K)).figure,
    ]
    for fig in figs:
        assert not firm_names & set(_texts(fig))
        plt.close(fig)
    org = netplots.network_drawing(K, labels="organisations").figure
    assert set(_texts(org)) <= set(nodes.loc[nodes["kind"] != "firm", "node_name"])
    assert _texts(org)
    plt.close(org)
    with pytest.raises(ParameterError, match="labels='firms' is not recognised"):
        netplots.network_drawing(nx.path_graph(3), labels="firms")


def test_directed_drawing_shows_arrows_undirected_does_not():
    from matplotlib.patches import FancyArrowPatch

    def arrows(fig):
        return sum(isinstance(p, FancyArrowPatch) for ax in fig.axes for p in ax.patches)

    D = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    nx.set_node_attributes(D, "firm", "kind")
    fig = netplots.network_drawing(D).figure
    assert arrows(fig) == 3 and "i turns to j" in fig.axes[0].get_title()
    plt.close(fig)
    fig = netplots.network_drawing(D.to_undirected()).figure
    assert arrows(fig) == 0
    plt.close(fig)
