# ruff: noqa: N802, N803, N806  (networkx convention: G for a graph, A for a matrix)
"""The batched searches behind the exact centrality table at scale (batched Brandes
betweenness with the distances from the same searches, batched breadth-first searches for
closeness and harmonic centrality), sources in several chunks on two threads, against networkx
(the reference implementation) on connected, disconnected and directed networks."""

from __future__ import annotations

import importlib
import warnings

import networkx as nx
import numpy as np
import pytest

from clusterlab import networks as nw

cm = importlib.import_module("clusterlab.networks.centrality")


def _graphs():
    yield "kite", nx.krackhardt_kite_graph()
    yield "karate", nx.karate_club_graph()
    H = nx.disjoint_union(nx.path_graph(4), nx.star_graph(3))
    H.add_nodes_from([100, 101])  # isolates
    yield "disconnected", H
    D = nx.gnp_random_graph(70, 0.03, seed=5, directed=True)  # not strongly connected
    D.add_nodes_from(["isolate"])
    yield "disconnected_digraph", D
    yield "digraph_cycle_and_tail", nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3), (4, 3)])


def _reference_summaries(G, nodes):
    reach, total, inv, longest = [], [], [], []
    for v in nodes:
        d = nx.single_source_shortest_path_length(G, v)
        reach.append(len(d))
        total.append(sum(d.values()))
        inv.append(sum(1 / x for x in d.values() if x > 0))
        longest.append(max(d.values()))
    return [np.array(x, dtype=float) for x in (reach, total, inv, longest)]


@pytest.mark.parametrize("chunk", [1, 3, None])
@pytest.mark.parametrize("name,G", list(_graphs()))
def test_batched_brandes_and_distances_equal_networkx(name, G, chunk):
    nodes, A = cm._sparse_adjacency(G, nodelist=list(G.nodes))
    raw, reach, total, inv = cm._brandes_batched(A, chunk=chunk)
    ref = nx.betweenness_centrality(G, normalized=False)
    got = raw if G.is_directed() else raw / 2
    np.testing.assert_allclose(got, [ref[v] for v in nodes], atol=1e-9, err_msg=name)
    exp = _reference_summaries(G, nodes)
    for a, b in zip((reach, total, inv), exp[:3], strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12, err_msg=name)
    got4 = cm._distance_summaries(A, chunk=chunk, with_max=True)
    for a, b in zip(got4, exp, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("name,G", list(_graphs()))
def test_centrality_in_many_chunks_equals_networkx(name, G, monkeypatch):
    # a handful of sources per batch: several batches, run on two threads
    monkeypatch.setattr(cm, "_BRANDES_CELLS", 4 * G.number_of_nodes())
    monkeypatch.setattr(cm, "_CHUNK_CELLS", 3 * G.number_of_nodes())
    n = G.number_of_nodes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        c = nw.centrality(G, backend="fast").set_index("node")
    assert c["betweenness_exact"].all() and c["closeness_exact"].all()
    close_in = nx.closeness_centrality(G)  # networkx: distances to the actor, WF-corrected
    harm_in = nx.harmonic_centrality(G)  # networkx: distances to the actor
    bet = nx.betweenness_centrality(G)
    for v in G:
        assert c.loc[v, "closeness"] == pytest.approx(close_in[v], abs=1e-12), (name, v)
        assert c.loc[v, "harmonic"] == pytest.approx(harm_in[v] / (n - 1), abs=1e-12), (name, v)
        assert c.loc[v, "betweenness"] == pytest.approx(bet[v], abs=1e-12), (name, v)
    if G.is_directed():
        close_out = nx.closeness_centrality(G.reverse())
        harm_out = nx.harmonic_centrality(G.reverse())
        for v in G:
            assert c.loc[v, "closeness_out"] == pytest.approx(close_out[v], abs=1e-12)
            assert c.loc[v, "harmonic_out"] == pytest.approx(harm_out[v] / (n - 1), abs=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        ref = nw.centrality(G, backend="networkx").set_index("node")
    assert c["betweenness_method"].equals(ref["betweenness_method"])  # brandes, both
    c, ref = c.drop(columns="betweenness_method"), ref.drop(columns="betweenness_method")
    np.testing.assert_allclose(c.to_numpy(float), ref.to_numpy(float), atol=1e-9)


def test_sampled_summaries_do_not_depend_on_the_chunks():
    G = nx.gnp_random_graph(200, 0.02, seed=3, directed=True)
    _, A = cm._sparse_adjacency(G, nodelist=list(G.nodes))
    one = cm._distance_summaries_sampled(A, 40, 1)
    many = cm._distance_summaries_sampled(A, 40, 1, chunk=3)
    for a, b in zip(one, many, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_empty_and_edgeless_networks():
    for G in (nx.Graph(), nx.empty_graph(4), nx.DiGraph([(0, 1)])):
        _, A = cm._sparse_adjacency(G, nodelist=list(G.nodes))
        raw, reach, total, inv = cm._brandes_batched(A)
        n = G.number_of_nodes()
        assert raw.shape == reach.shape == (n,) and not raw.any()
        assert cm._distance_summaries(A)[0].shape == (n,)
