# ruff: noqa: N802, N803, N806  (networkx convention: G for a graph, A for a matrix)
"""The fast betweenness backend (exact: batched Brandes searches; estimates: networkit KADABRA /
source sampling) against networkx, the reference implementation, and the stated error bounds of
the estimates."""

from __future__ import annotations

import warnings

# networkit is in the test extra: a missing one is an error, not a skip
import networkit  # noqa: E402, F401
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from clusterlab import networks as nw
from clusterlab.errors import ParameterError
from clusterlab.networks import _fast


def _reference_graphs():
    G = nx.florentine_families_graph()
    yield "florentine", G
    yield "kite", nx.krackhardt_kite_graph()
    yield "karate", nx.karate_club_graph()
    yield (
        "davis_projection",
        nx.bipartite.weighted_projected_graph(
            nx.davis_southern_women_graph(),
            [v for v, d in nx.davis_southern_women_graph().nodes(data=True) if d["bipartite"] == 0],
        ),
    )
    H = nx.disjoint_union(nx.path_graph(4), nx.star_graph(3))
    H.add_nodes_from([100, 101])  # isolates
    yield "disconnected", H
    yield "digraph", nx.gnp_random_graph(60, 0.06, seed=4, directed=True)
    yield (
        "string_ids",
        nx.relabel_nodes(nx.path_graph(5), {0: "007", 1: "a", 2: "b", 3: "c", 4: "d"}),
    )


@pytest.mark.parametrize("name,G", list(_reference_graphs()))
def test_fast_exact_betweenness_equals_networkx(name, G):
    ref = nw.betweenness_table(G, backend="networkx")
    got = nw.betweenness_table(G, backend="fast")
    assert got.exact and got.method == "brandes" and got.error_bound == 0
    assert got.raw == pytest.approx(ref.raw, abs=1e-9), name
    assert got.normalised == pytest.approx(ref.normalised, abs=1e-12), name
    # and networkx's own normalisation (the reference tests' values)
    assert got.normalised == pytest.approx(nx.betweenness_centrality(G), abs=1e-12)


def test_fast_centrality_table_equals_networkx_table():
    G = nx.gnp_random_graph(120, 0.04, seed=7, directed=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        a = nw.centrality(G, backend="networkx")
        b = nw.centrality(G, backend="fast")
    pd.testing.assert_frame_equal(a, b, check_exact=False, atol=1e-9)


def test_kadabra_estimate_is_within_its_stated_bound():
    # 1 500 actors; exact values from networkx (the reference), estimate with epsilon = .02:
    # with probability .9 every actor within .02 * n / (n - 2) — checked for three seeds
    G = nx.barabasi_albert_graph(1500, 2, seed=5)
    exact = np.array(list(nx.betweenness_centrality(G).values()))
    for seed in (0, 1, 2):
        with pytest.warns(nw.SampledEstimateWarning, match="within 0.0200"):
            r = nw.betweenness_table(G, exact_limit=100, epsilon=0.02, delta=0.1, seed=seed)
        assert r.method == "kadabra" and not r.exact
        assert r.error_bound == pytest.approx(0.02 * 1500 / 1498)
        est = np.array([r.normalised[v] for v in G])
        assert np.abs(est - exact).max() <= r.error_bound
        # the estimate is informative: the top actor is found
        assert int(np.argmax(est)) == int(np.argmax(exact))
    with pytest.warns(nw.SampledEstimateWarning):
        again = nw.betweenness_table(G, exact_limit=100, epsilon=0.02, seed=2)
    assert again.normalised == r.normalised  # reproducible for a seed


def test_source_sampling_of_a_directed_network_is_within_the_hoeffding_bound():
    G = nx.gnp_random_graph(400, 0.01, seed=2, directed=True)
    exact = nx.betweenness_centrality(G)
    with pytest.warns(nw.SampledEstimateWarning):
        r = nw.betweenness_table(G, exact_limit=100, seed=3)
    assert r.method == "source_sampling"
    bound = _fast.hoeffding_bound(400, 400, 0.1)  # k = min(500, n) = n sources
    assert r.error_bound == pytest.approx(bound)
    err = max(abs(r.normalised[v] - exact[v]) for v in G)
    assert err <= bound
    # the estimator is unbiased: with k = 200 the total stays close to the exact total
    # (the estimate's sum is an average over sources: within 15 % here)
    with pytest.warns(nw.SampledEstimateWarning):
        r2 = nw.betweenness_table(G, k=200, seed=3)
    assert sum(r2.raw.values()) == pytest.approx(
        sum(nx.betweenness_centrality(G, normalized=False).values()), rel=0.15
    )


def test_hoeffding_bound_formula():
    # t = n/(n-1) * sqrt(ln(2n/delta) / (2k)); n = 100, k = 50, delta = .1: by hand
    assert _fast.hoeffding_bound(100, 50, 0.1) == pytest.approx(
        100 / 99 * np.sqrt(np.log(2000) / 100)
    )
    assert _fast.hoeffding_bound(2, 10, 0.1) == 0.0


def test_centrality_reports_the_bound_column():
    G = nx.barabasi_albert_graph(300, 2, seed=1)
    with pytest.warns(nw.SampledEstimateWarning):
        c = nw.centrality(G, exact_limit=50)
    assert c["betweenness_error"].unique().tolist() == [pytest.approx(0.01 * 300 / 298)]
    assert c["betweenness_method"].eq("kadabra").all() and not c["betweenness_exact"].any()
    assert c.attrs["betweenness_method"] == "kadabra"  # deprecated copy, one release
    assert (nw.centrality(nx.path_graph(5))["betweenness_error"] == 0).all()


def test_bad_backend_arguments():
    G = nx.path_graph(4)
    with pytest.raises(ParameterError):
        nw.betweenness_table(G, backend="igraph")
    with pytest.raises(ParameterError, match="epsilon"):
        nw.betweenness_table(G, epsilon=0)
    with pytest.raises(ParameterError, match="delta"):
        nw.betweenness_table(G, delta=1.5)
    with pytest.raises(ParameterError, match="k"):
        nw.betweenness_table(G, k=0)


@pytest.mark.parametrize("backend", ["fast", "networkx"])
def test_tiny_networks(backend):
    # no actors, one actor, actors without ties: zeros, never a traceback
    assert nw.centrality(nx.Graph(), backend=backend).empty
    for G in (nx.empty_graph(1), nx.empty_graph(5), nx.DiGraph([(0, 1)])):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", nw.NetworkWarning)
            c = nw.centrality(G, backend=backend)
        assert len(c) == G.number_of_nodes() and (c["betweenness"] == 0).all()
        assert (c["betweenness_error"] == 0).all()
