# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""Invariants of clusterlab.networks as hypothesis property tests: relabelling actors permutes
results, reversing all arcs swaps in/out measures, block densities average to the density,
brokerage roles partition the open two-paths, planted core-periphery structures fit exactly."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterlab import networks as nw

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def digraphs(draw, min_n=3, max_n=9):
    n = draw(st.integers(min_n, max_n))
    cells = draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n))
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from((i, j) for i in range(n) for j in range(n) if i != j and cells[i * n + j])
    groups = draw(st.lists(st.sampled_from("xyz"), min_size=n, max_size=n))
    nx.set_node_attributes(G, dict(enumerate(groups)), "g")
    return G


def _quiet():
    warnings.simplefilter("ignore", nw.NetworkWarning)


@SETTINGS
@given(digraphs(), st.randoms(use_true_random=False))
def test_relabelling_permutes_centrality_and_brokerage(G, rnd):
    with warnings.catch_warnings():
        _quiet()
        perm = list(G.nodes)
        rnd.shuffle(perm)
        mapping = {v: f"n{p}" for v, p in zip(G.nodes, perm, strict=True)}
        H = nx.relabel_nodes(G, mapping)
        H = nx.DiGraph(H.subgraph(sorted(H.nodes, key=lambda v: rnd.random())))
        cols = [
            "in_degree",
            "out_degree",
            "closeness",
            "closeness_out",
            "harmonic",
            "betweenness",
            "eigenvector",
        ]
        a = nw.centrality(G).set_index("node")[cols]
        b = nw.centrality(H).set_index("node")[cols]
        b = b.loc[[mapping[v] for v in a.index]]
        np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), atol=1e-9)
        ra = nw.brokerage(G, "g").set_index("node")[nw.ROLES + ["z_total"]]
        rb = nw.brokerage(H, "g").set_index("node")[nw.ROLES + ["z_total"]]
        rb = rb.loc[[mapping[v] for v in ra.index]]
        np.testing.assert_allclose(ra.to_numpy(float), rb.to_numpy(float), atol=1e-9)
        ca, cb = nw.cohesion(G).iloc[0], nw.cohesion(H).iloc[0]
        for col in ("density", "reciprocity", "transitivity", "fragmentation", "dyads_mutual"):
            assert ca[col] == pytest.approx(cb[col], nan_ok=True)


@SETTINGS
@given(digraphs())
def test_reversing_arcs_swaps_in_and_out(G):
    with warnings.catch_warnings():
        _quiet()
        a = nw.centrality(G).set_index("node")
        b = nw.centrality(nw.transpose(G)).set_index("node")
    pd.testing.assert_series_equal(a["in_degree"], b["out_degree"], check_names=False)
    pd.testing.assert_series_equal(a["in_strength"], b["out_strength"], check_names=False)
    np.testing.assert_allclose(a["closeness"], b["closeness_out"])
    np.testing.assert_allclose(a["harmonic"], b["harmonic_out"])
    # betweenness and the symmetrised eigenvector do not depend on direction
    np.testing.assert_allclose(a["betweenness"], b["betweenness"], atol=1e-12)
    np.testing.assert_allclose(a["eigenvector"], b["eigenvector"], atol=1e-9)
    # reversing swaps the representative and gatekeeper roles
    ba = nw.brokerage(G, "g").set_index("node")
    bb = nw.brokerage(nw.transpose(G), "g").set_index("node")
    pd.testing.assert_series_equal(ba["gatekeeper"], bb["representative"], check_names=False)


@SETTINGS
@given(digraphs())
def test_density_bounds_and_block_average(G):
    with warnings.catch_warnings():
        _quiet()
        r = nw.cohesion(G).iloc[0]
        gd = nw.group_densities(G, "g")
    assert 0 <= r["density"] <= 1
    assert (
        r["dyads_mutual"] + r["dyads_asymmetric"] + r["dyads_null"]
        == G.number_of_nodes() * (G.number_of_nodes() - 1) / 2
    )
    blocks = gd.blocks
    # ties and possible pairs of the blocks add up to the whole network
    assert blocks["ties"].sum() == pytest.approx(G.number_of_edges())
    assert blocks["possible"].sum() == G.number_of_nodes() * (G.number_of_nodes() - 1)
    ei = gd.ei.set_index("group").loc["(all)", "ei_index"]
    assert np.isnan(ei) or -1 <= ei <= 1


@SETTINGS
@given(digraphs())
def test_brokerage_roles_partition_open_two_paths(G):
    b = nw.brokerage(G, "g")
    open_paths = sum(
        1
        for m in G
        for a in G.predecessors(m)
        for c in G.successors(m)
        if a != c and not G.has_edge(a, c)
    )
    assert b[nw.ROLES].to_numpy().sum() == open_paths
    assert (b["total"] == b[nw.ROLES].sum(axis=1)).all()
    part = nw.brokerage(G, "g", credit="partial")
    # partial credit shares each broken pair among its brokers: the sum is the number of
    # pairs (a, c) with at least one open two-path
    pairs = {
        (a, c)
        for m in G
        for a in G.predecessors(m)
        for c in G.successors(m)
        if a != c and not G.has_edge(a, c)
    }
    assert part["total"].sum() == pytest.approx(len(pairs))


@SETTINGS
@given(st.integers(2, 6), st.integers(2, 8), st.data())
def test_planted_core_periphery_is_recovered_with_fit_one(c, p, data):
    G = nx.complete_graph(c)
    for j in range(c, c + p):
        ties = data.draw(st.lists(st.integers(0, c - 1), min_size=1, max_size=c - 1, unique=True))
        G.add_edges_from((j, i) for i in ties)
    cp = nw.core_periphery(G, seed=data.draw(st.integers(0, 5)), restarts=10)
    assert cp.fit == pytest.approx(1.0)
    # a perfect partition: the core is a clique, the periphery has no ties among itself, and
    # the tie-break toward the smaller core never returns more than the planted core
    core, per = list(cp.core), [v for v in G if v not in cp.core]
    assert G.subgraph(core).number_of_edges() == len(core) * (len(core) - 1) // 2
    assert G.subgraph(per).number_of_edges() == 0
    assert len(core) <= c
    # unique optimum when no peripheral actor could join the core (<= c-2 core ties) and no
    # core actor could leave it (each has a peripheral contact): then the planted core is found
    if (
        c >= 3
        and all(len(G[j]) <= c - 2 for j in range(c, c + p))
        and all(any(j >= c for j in G[i]) for i in range(c))
    ):
        assert cp.core == set(range(c))


@SETTINGS
@given(digraphs(min_n=4), st.integers(0, 1000))
def test_core_periphery_is_deterministic_for_a_seed(G, seed):
    if G.number_of_edges() == 0:
        return
    a = nw.core_periphery(G, seed=seed, restarts=5)
    b = nw.core_periphery(G, seed=seed, restarts=5)
    assert a.core == b.core and a.fit == b.fit


def test_directed_closeness_centralization_in_star_is_one():
    # everyone turns to actor 0, nobody reaches the others: in-closeness 1 and 0 (n = 6), so
    # sum(c* - c_i) = n - 1 = 5, the largest possible for scores in [0, 1]; the undirected
    # star maximum (n-1)(n-2)/(2n-3) = 20/9 would have given 5 / (20/9) = 2.25.
    with warnings.catch_warnings():
        _quiet()
        cz = nw.centralization(nx.DiGraph([(i, 0) for i in range(1, 6)]))
        out = nw.centralization(nx.DiGraph([(0, i) for i in range(1, 6)]))
    assert cz.set_index("measure").loc["closeness", "centralization"] == pytest.approx(1.0)
    # out-star: leaves reached by actor 0 only, W-F in-closeness (1/5)(1/1) = .2; actor 0 has
    # 0 -> sum(c* - c_i) = .2 over n - 1 = 5 -> .04
    assert out.set_index("measure").loc["closeness", "centralization"] == pytest.approx(0.04)


@SETTINGS
@given(digraphs(), st.booleans())
def test_centralization_between_zero_and_one(G, directed):
    H = G if directed else nw.symmetrise(G)
    with warnings.catch_warnings():
        _quiet()
        cz = nw.centralization(H)["centralization"]
    assert ((cz >= -1e-12) & (cz <= 1 + 1e-12)).all(), cz.tolist()


@SETTINGS
@given(st.integers(2, 7), st.integers(2, 5), st.data())
def test_two_mode_scores_in_unit_interval_and_networkx_when_connected(n, m, data):
    from networkx.algorithms import bipartite

    cells = data.draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))
    rows = [(f"a{i}", f"e{j}") for i in range(n) for j in range(m) if cells[i * m + j]]
    edges = pd.DataFrame(rows, columns=["source", "target"], dtype=object)
    tm = nw.two_mode(edges, actors=[f"a{i}" for i in range(n)], events=[f"e{j}" for j in range(m)])
    with warnings.catch_warnings():
        _quiet()
        c = tm.centrality().set_index("node")
    for col in ("degree", "closeness", "betweenness"):
        assert c[col].between(-1e-12, 1 + 1e-12).all(), (col, c[col].tolist())
    if rows and nx.is_connected(tm.graph):  # Borgatti-Everett as networkx.bipartite
        ref_c = bipartite.closeness_centrality(tm.graph, tm.actors, normalized=True)
        ref_b = bipartite.betweenness_centrality(tm.graph, tm.actors)
        np.testing.assert_allclose(c["closeness"], [ref_c[v] for v in c.index], atol=1e-12)
        np.testing.assert_allclose(c["betweenness"], [ref_b[v] for v in c.index], atol=1e-12)
