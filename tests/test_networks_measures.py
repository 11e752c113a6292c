# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""clusterlab.networks: measures against hand calculations and independent implementations
(statsmodels OLS, brute-force enumeration), readers on small hand-written files."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from clusterlab import networks as nw

# ----------------------------------------------------------------------------- readers


def test_read_dl_edgelist_nodelist_embedded_and_several_matrices(tmp_path):
    p = tmp_path / "a.dl"
    p.write_text(
        "dl n=4 nm=2\nformat = edgelist1\nlabels embedded\n"
        "matrix labels:\nknow, trade\ndata:\nA B 2\nB C\n!\nC A\n"
    )
    rels = nw.read_dl(p, directed=True)
    assert list(rels) == ["know", "trade"]
    assert sorted(rels["know"].edges(data="weight")) == [("A", "B", 2.0), ("B", "C", 1.0)]
    assert list(rels["trade"].edges()) == [("C", "A")]
    q = tmp_path / "b.dl"
    q.write_text("DL N=3\nFORMAT=NODELIST1\nLABELS:\nx,y,z\nDATA:\n1 2 3\n3 1\n")
    (G,) = nw.read_dl(q, directed=True).values()
    assert sorted(G.edges()) == [("x", "y"), ("x", "z"), ("z", "x")]
    r = tmp_path / "c.dl"
    r.write_text("dl n=3 format=fullmatrix diagonal absent\nlabels:\na b c\ndata:\n1 0\n0 1\n1 1\n")
    (H,) = nw.read_dl(r).values()
    # rows without the diagonal: a->b; b->c; c->a, c->b
    assert sorted(H.edges()) == [("a", "b"), ("b", "c"), ("c", "a"), ("c", "b")]


def test_read_dl_fullmatrix_labels_embedded_keep_leading_zeros(tmp_path):
    # UCINET "LABELS EMBEDDED": the first data line holds the column labels, each row starts
    # with its label; industry-style ids such as 007 stay text (never 7)
    p = tmp_path / "emb.dl"
    p.write_text(
        "DL N=3\nFORMAT = FULLMATRIX\nLABELS EMBEDDED\nDATA:\n007 010 100\n"
        "007 0 1 0\n010 0 0 1\n100 1 0 0\n"
    )
    rels = nw.read_dl(p)
    assert list(rels) == ["emb"]  # one matrix: named after the file
    G = rels["emb"]
    assert G.is_directed()  # asymmetric -> directed
    assert list(G.nodes) == ["007", "010", "100"]
    assert sorted(G.edges()) == [("007", "010"), ("010", "100"), ("100", "007")]


def test_read_dl_fullmatrix_several_matrices_labels_and_inline_data(tmp_path):
    # NM=2 matrices one after the other (a "!" line between is allowed), labels over several
    # lines and quoted, matrix labels naming the relations; a symmetric matrix is undirected
    p = tmp_path / "two.dl"
    p.write_text(
        'DL N=3 NM=2\nFORMAT=FULLMATRIX\nROW LABELS:\n"007", 8\n9\n'
        "MATRIX LABELS:\nadvice\ncoop\nDATA:\n"
        "0 2 0\n0 0 0\n0 0 0\n!\n0 1 1\n1 0 0\n1 0 0\n"
    )
    rels = nw.read_dl(p)
    assert list(rels) == ["advice", "coop"]
    assert rels["advice"].is_directed() and not rels["coop"].is_directed()
    assert list(rels["advice"].edges(data="weight")) == [("007", "8", 2.0)]
    assert sorted(map(sorted, rels["coop"].edges())) == [["007", "8"], ["007", "9"]]
    # no matrix labels: relation1, relation2; data on the DATA: line itself; no labels: 1..n
    q = tmp_path / "plain.dl"
    q.write_text("dl n=2 nm=2\ndata: 0 1 0 0\n0 0 1 0\n")
    rels = nw.read_dl(q, directed=True)
    assert list(rels) == ["relation1", "relation2"]
    assert list(rels["relation1"].edges()) == [("1", "2")]
    assert list(rels["relation2"].edges()) == [("2", "1")]


def test_read_dl_diagonal_and_direction_overrides(tmp_path):
    p = tmp_path / "d.dl"
    p.write_text("dl n=2\nlabels: a b\ndata:\n1 1\n1 0\n")
    (G,) = nw.read_dl(p).values()
    assert not G.is_directed() and list(G.edges()) == [("a", "b")]  # diagonal dropped
    (H,) = nw.read_dl(p, directed=True, diagonal=True).values()
    assert H.is_directed() and sorted(H.edges()) == [("a", "a"), ("a", "b"), ("b", "a")]


def test_read_dl_edgelist_and_nodelist_with_text_ids(tmp_path):
    # edgelist1 with a LABELS: section reads numbers as positions; embedded labels are text
    p = tmp_path / "e.dl"
    p.write_text("DL N=3\nFORMAT=EDGELIST1\nLABELS:\nfirm, lab, agency\nDATA:\n1 2 0.5\n\n3 1\n")
    (G,) = nw.read_dl(p, directed=True).values()
    assert sorted(G.edges(data="weight")) == [("agency", "firm", 1.0), ("firm", "lab", 0.5)]
    q = tmp_path / "n.dl"
    q.write_text("DL N=4 NM=2\nFORMAT=NODELIST1\nLABELS EMBEDDED\nDATA:\n007 08 9\n!\n9 007\n")
    rels = nw.read_dl(q, directed=True)
    assert list(rels) == ["relation1", "relation2"]
    assert sorted(rels["relation1"].edges()) == [("007", "08"), ("007", "9")]
    assert list(rels["relation2"].edges()) == [("9", "007")]
    # N=4 but only three labels seen: the fourth actor is an isolate named "4"
    assert list(rels["relation1"].nodes) == ["007", "08", "9", "4"]


def test_read_pajek_arcs_edges_lists(tmp_path):
    p = tmp_path / "x.net"
    p.write_text(
        '*Vertices 3\n1 "Firm A" 0.1 0.2\n2 "Univ"\n3 "C"\n'
        '*Arcs :1 "knowledge"\n1 2 3\n2 3\n*Edges :2 "coop"\n1 3\n'
        '*Arcslist :3 "advice"\n1 2 3\n'
    )
    rels = nw.read_pajek(p)
    assert set(rels) == {"knowledge", "coop", "advice"}
    assert rels["knowledge"].is_directed() and rels["knowledge"]["Firm A"]["Univ"]["weight"] == 3
    assert not rels["coop"].is_directed() and rels["coop"].has_edge("C", "Firm A")
    assert sorted(rels["advice"].edges()) == [("Firm A", "C"), ("Firm A", "Univ")]
    assert all(g.number_of_nodes() == 3 for g in rels.values())


def test_from_edges_attributes_isolates_relations_and_round_trip():
    edges = pd.DataFrame(
        {
            "source": ["a", "b", "a", "c"],
            "target": ["b", "c", "c", "a"],
            "tie_type": ["k", "k", "t", "t"],
            "weight": [1, 2, 3, 3],
            "directed": [True, True, False, False],
        }
    )
    nodes = pd.DataFrame({"node": ["a", "b", "c", "d"], "kind": ["firm", "firm", "agency", "firm"]})
    with pytest.warns(nw.NetworkWarning, match="repeated"):
        rels = nw.relations(edges, nodes, duplicates="raise")
    assert rels["k"].is_directed() and not rels["t"].is_directed()
    assert rels["t"].number_of_edges() == 1  # a-c and c-a are one undirected pair
    assert all(set(g.nodes) == {"a", "b", "c", "d"} for g in rels.values())
    back = nw.to_edges(rels["k"])
    assert back[["source", "target", "weight"]].values.tolist() == [
        ["a", "b", 1.0],
        ["b", "c", 2.0],
    ]
    assert edges["weight"].tolist() == [1, 2, 3, 3]  # caller's frame untouched


def test_duplicates_rules():
    e = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "weight": [1.0, 3.0]})
    assert nw.from_edges(e, duplicates="sum")["a"]["b"]["weight"] == 4.0
    assert nw.from_edges(e, duplicates="max")["a"]["b"]["weight"] == 3.0
    assert nw.from_edges(e, duplicates="mean")["a"]["b"]["weight"] == 2.0
    assert nw.from_edges(e, duplicates="first")["a"]["b"]["weight"] == 1.0


# ----------------------------------------------------------------------------- transforms


def test_symmetrise_dichotomise_transpose_subgraph():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 3), ("b", "a", 1), ("b", "c", 2)])
    assert {frozenset(e[:2]): e[2] for e in nw.symmetrise(G, "max").edges(data="weight")} == {
        frozenset("ab"): 3.0,
        frozenset("bc"): 2.0,
    }
    assert {frozenset(e[:2]): e[2] for e in nw.symmetrise(G, "sum").edges(data="weight")} == {
        frozenset("ab"): 4.0,
        frozenset("bc"): 2.0,
    }
    assert {frozenset(e[:2]): e[2] for e in nw.symmetrise(G, "mean").edges(data="weight")} == {
        frozenset("ab"): 2.0,
        frozenset("bc"): 1.0,
    }
    assert sorted(nw.dichotomise(G, 2, strict=True).edges()) == [("a", "b")]
    assert sorted(nw.transpose(G).edges()) == [("a", "b"), ("b", "a"), ("c", "b")]
    nx.set_node_attributes(G, {"a": "firm", "b": "firm", "c": "university"}, "kind")
    assert sorted(nw.subgraph(G, "university", exclude=True).edges()) == [("a", "b"), ("b", "a")]
    assert G.number_of_edges() == 3


def test_missing_respondents_methods_and_observed_density():
    # 4 actors, d did not answer: ties a->b, a->d, b->c, c->a, d unobserved
    G = nx.DiGraph([("a", "b"), ("a", "d"), ("b", "c"), ("c", "a")])
    G.add_node("d")
    with pytest.warns(nw.MissingRespondentWarning, match="75%"):
        H = nw.missing_respondents(G, ["a", "b", "c"], method="reconstruct")
    assert H.has_edge("d", "a") and H["d"]["a"]["imputed"]
    with pytest.warns(nw.MissingRespondentWarning):
        R = nw.missing_respondents(G, ["a", "b", "c"], method="remove")
    assert set(R.nodes) == {"a", "b", "c"}
    with pytest.warns(nw.MissingRespondentWarning):
        K = nw.missing_respondents(G, ["a", "b", "c"], method="keep")
    with pytest.warns(nw.DisconnectedWarning, match="3 of 12 ordered pairs"):  # d sends none
        row = nw.cohesion(K).iloc[0]
    # density over all 12 ordered pairs 4/12; over the 9 observed pairs (rows a, b, c) 4/9
    assert row["density"] == pytest.approx(4 / 12)
    assert row["density_observed"] == pytest.approx(4 / 9)
    rr = nw.response_rate(G, ["a", "b", "c"], by=None)
    assert rr.loc[0, "response_rate"] == pytest.approx(0.75)


# ----------------------------------------------------------------------------- cohesion


def test_cohesion_by_hand_directed():
    # a<->b, b->c, c->d ; n = 4, 4 arcs
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "d")])
    for u, v in G.edges:
        G[u][v]["weight"] = 2.0
    with pytest.warns(nw.DisconnectedWarning):
        r = nw.cohesion(G).iloc[0]
    assert r["density"] == pytest.approx(4 / 12)
    assert r["density_valued"] == pytest.approx(8 / 12)
    assert r["avg_degree"] == pytest.approx(1.0)
    assert (r["dyads_mutual"], r["dyads_asymmetric"], r["dyads_null"]) == (1, 2, 3)
    assert r["reciprocity"] == pytest.approx(2 / 4)
    # reachable ordered pairs: a->b,c,d (1,2,3); b->a,c,d (1,1,2); c->d (1) -> 7 of 12
    assert r["fragmentation"] == pytest.approx(5 / 12)
    assert r["avg_distance"] == pytest.approx((1 + 2 + 3 + 1 + 1 + 2 + 1) / 7)
    assert r["diameter"] == 3
    assert r["compactness"] == pytest.approx((1 + 1 / 2 + 1 / 3 + 1 + 1 + 1 / 2 + 1) / 12)
    assert r["n_components"] == 1 and r["n_strong_components"] == 3
    # two-paths a->b->a(excluded, i=k), a->b->c, b->a->b (excl.), b->c->d: closed none
    assert r["transitivity"] == 0.0


def test_cohesion_undirected_transitivity_matches_networkx():
    G = nx.karate_club_graph()
    r = nw.cohesion(G, weight=None).iloc[0]
    assert r["transitivity"] == pytest.approx(nx.transitivity(G))
    assert r["density"] == pytest.approx(nx.density(G))
    assert r["avg_distance"] == pytest.approx(nx.average_shortest_path_length(G))
    assert r["dyads_mutual"] == G.number_of_edges() and r["dyads_asymmetric"] == 0


def test_group_densities_and_ei_by_hand():
    # directed; groups x = {a, b}, y = {c}; arcs a->b, b->c, c->a, c->b
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "b")])
    nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "g")
    gd = nw.group_densities(G, "g")
    assert gd.matrix.loc["x", "x"] == pytest.approx(1 / 2)  # 1 arc of 2 possible
    assert gd.matrix.loc["x", "y"] == pytest.approx(1 / 2)  # b->c of a->c, b->c
    assert gd.matrix.loc["y", "x"] == pytest.approx(2 / 2)
    assert np.isnan(gd.matrix.loc["y", "y"])  # a single actor: no pairs
    ei = gd.ei.set_index("group")
    # whole network: internal 1, external 3 -> (3 - 1) / 4; expected (4 - 2) / 6
    assert ei.loc["(all)", "ei_index"] == pytest.approx(0.5)
    assert ei.loc["(all)", "ei_expected"] == pytest.approx(4 / 6 - 2 / 6)
    assert ei.loc["x", "ei_index"] == pytest.approx((3 - 1) / 4)


# ----------------------------------------------------------------------------- centrality


def test_centrality_star_and_centralization_one():
    S = nx.star_graph(5)
    c = nw.centrality(S).set_index("node")
    assert c.loc[0, "degree_norm"] == 1.0 and c.loc[1, "degree_norm"] == pytest.approx(0.2)
    assert c.loc[0, "betweenness"] == 1.0 and c.loc[0, "betweenness_raw"] == 10.0
    assert c.loc[1, "closeness"] == pytest.approx(5 / 9)  # distances 1 + 4 x 2
    assert c.loc[1, "harmonic"] == pytest.approx((1 + 4 / 2) / 5)
    cz = nw.centralization(S).set_index("measure")["centralization"]
    assert cz.tolist() == pytest.approx([1.0, 1.0, 1.0])
    # a complete graph has zero centralization
    assert nw.centralization(nx.complete_graph(5))["centralization"].abs().max() < 1e-12


def test_directed_degree_strength_and_closeness_out():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 2), ("c", "b", 5), ("b", "d", 1)])
    with pytest.warns(nw.DisconnectedWarning):
        c = nw.centrality(G).set_index("node")
    assert c.loc["b", ["in_degree", "out_degree", "degree"]].tolist() == [2, 1, 3]
    assert c.loc["b", "in_strength"] == 7.0 and c.loc["b", "strength"] == 8.0
    assert c.loc["b", "degree_norm"] == pytest.approx(3 / 6)
    # closeness_out of a: reaches b (1), d (2): W-F corrected (2/3) * (2/3)
    assert c.loc["a", "closeness_out"] == pytest.approx((2 / 3) * (2 / 3))


def test_bonacich_power_against_series_and_negative_beta():
    # c = alpha * sum_k beta^k A^(k+1) 1, computed by summing the series
    G = nx.path_graph(5)
    A = nx.to_numpy_array(G)
    beta = 0.2
    series = sum(beta**k * np.linalg.matrix_power(A, k + 1) @ np.ones(5) for k in range(200))
    series *= np.sqrt(5 / (series @ series))
    got = nw.bonacich_power(G, beta)
    assert [got[i] for i in range(5)] == pytest.approx(series.tolist())
    # Bonacich (1987): with beta < 0 in a 3-star chain, being tied to weak actors is power:
    # the star's centre outranks its neighbours more than under beta > 0
    neg, pos = nw.bonacich_power(G, -0.3), nw.bonacich_power(G, 0.3)
    assert neg[1] > neg[2] and pos[2] > pos[1]


def test_betweenness_sampling_warns_and_is_seeded():
    G = nx.barabasi_albert_graph(300, 2, seed=1)
    with pytest.warns(nw.SampledEstimateWarning):
        a = nw.centrality(G, exact_limit=100, betweenness_k=50, seed=7)
    with pytest.warns(nw.SampledEstimateWarning):
        b = nw.centrality(G, exact_limit=100, betweenness_k=50, seed=7)
    assert a["betweenness"].equals(b["betweenness"])
    assert not a["betweenness_exact"].any()
    assert a["betweenness_method"].eq("source_sampling").all()  # k sampled sources
    assert a["betweenness_delta"].eq(0.1).all()  # the default failure probability
    exact = nw.centrality(G)
    assert exact["betweenness_exact"].all() and exact["betweenness_method"].eq("brandes").all()
    assert exact["betweenness_delta"].eq(0).all()
    assert a.attrs["betweenness_exact"] is False  # deprecated copy, one release
    assert exact.attrs["betweenness_exact"] is True
    top = set(exact.nlargest(5, "betweenness")["node"])
    assert len(top & set(a.nlargest(10, "betweenness")["node"])) >= 4


def test_eigenvector_on_symmetrised_network():
    # a directed chain a->b->c is not strongly connected: eigenvector uses the symmetrised path
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    with pytest.warns(nw.DisconnectedWarning):
        c = nw.centrality(G).set_index("node")
    # path of 3: leading eigenvector (1, sqrt 2, 1) / 2
    assert c["eigenvector"].tolist() == pytest.approx([0.5, np.sqrt(2) / 2, 0.5])


# ----------------------------------------------------------------------------- brokerage


def test_brokerage_roles_by_hand_and_partial_credit():
    # a(x) -> b(y) -> c(x): itinerant; a -> d(y) -> c as well: two brokers of one pair
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "d"), ("d", "c")])
    nx.set_node_attributes(G, {"a": "x", "b": "y", "c": "x", "d": "y"}, "g")
    full = nw.brokerage(G, "g").set_index("node")
    assert full.loc["b", "itinerant"] == 1 and full.loc["d", "itinerant"] == 1
    part = nw.brokerage(G, "g", credit="partial").set_index("node")
    assert part.loc["b", "itinerant"] == pytest.approx(0.5)
    # an undirected tie counts both directions: x - y - x gives 2 itinerant paths to the centre
    U = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(U, {"a": "x", "b": "y", "c": "x"}, "g")
    assert nw.brokerage(U, "g").set_index("node").loc["b", "itinerant"] == 2


def test_burt_measures_by_hand():
    # ego e with three unconnected contacts: effective size 3, efficiency 1, constraint 3 x 1/9
    G = nx.Graph([("e", "a"), ("e", "b"), ("e", "c")])
    nx.set_node_attributes(G, "g", "g")
    r = nw.brokerage(G, "g").set_index("node")
    assert r.loc["e", "effective_size"] == pytest.approx(3.0)
    assert r.loc["e", "efficiency"] == pytest.approx(1.0)
    assert r.loc["e", "constraint"] == pytest.approx(3 * (1 / 3) ** 2)


# ----------------------------------------------------------------------------- roles


def test_knowledge_roles_convention_and_thresholds():
    G = nx.DiGraph([("a", "b"), ("c", "b"), ("d", "b"), ("b", "x"), ("b", "a")])
    nx.set_node_attributes(G, {v: v == "x" for v in G}, "external")
    r = nw.knowledge_roles(G).set_index("node")
    assert r.loc["b", ["given", "received", "external_ties"]].tolist() == [3, 1, 1]
    assert r.loc["b", "openness"] == pytest.approx(0.5)
    assert r.loc["b", "role"] == "technological_gatekeeper"
    assert r.loc["c", "role"] == "absorber"
    # the same data coded "i gives to j": roles mirror
    g = nw.knowledge_roles(nw.transpose(G), convention="gives").set_index("node")
    pd.testing.assert_frame_equal(g[["given", "received"]], r[["given", "received"]])
    # with a high openness threshold nobody is a gatekeeper
    strict = nw.knowledge_roles(G, openness_threshold=0.9).set_index("node")
    assert strict.loc["b", "role"] == "mutual_exchanger"
    assert set(r["role"]) <= set(nw.KNOWLEDGE_ROLES)
    assert strict["openness_threshold"].eq(0.9).all()


def test_knowledge_roles_thresholds_are_columns_that_survive_a_merge(tmp_path):
    # the same network: given a, b, c, d = 1, 3, 0, 0 (mean 1); received = 1, 1, 1, 1 (mean 1);
    # openness: b 1/(1+1) = 0.5, the others 0 (mean 0.125); "median": 0.5, 1 and 0
    G = nx.DiGraph([("a", "b"), ("c", "b"), ("d", "b"), ("b", "x"), ("b", "a")])
    nx.set_node_attributes(G, {v: v == "x" for v in G}, "external")
    nx.set_node_attributes(G, "firm", "kind")
    r = nw.knowledge_roles(G)
    expected = {"in_threshold": 1.0, "out_threshold": 1.0, "openness_threshold": 0.125}
    for col, value in expected.items():
        assert r[col].tolist() == [pytest.approx(value)] * 4, col
    # they stay with the rows through a merge with the actor attributes and a parquet file
    r.pipe(nw.with_attributes, G).to_parquet(tmp_path / "roles.parquet")
    back = pd.read_parquet(tmp_path / "roles.parquet")
    assert back[list(expected)].iloc[0].tolist() == pytest.approx(list(expected.values()))
    median = nw.knowledge_roles(
        G, in_threshold="median", out_threshold="median", openness_threshold="median"
    )
    assert median[list(expected)].iloc[0].tolist() == [0.5, 1.0, 0.0]
    # the old access still works for one release
    assert r.attrs["in_threshold"] == 1.0 and r.attrs["convention"] == "asks"


# ----------------------------------------------------------------------------- CP, groups


def test_core_periphery_ideal_structures_fit_one_and_smaller_core():
    # Borgatti & Everett (2000) ideal pattern: 4 + 6 (core clique, periphery tied only to core)
    G = nx.complete_graph(4)
    G.add_edges_from([(0, 4), (1, 5), (2, 6), (3, 7), (0, 8), (1, 9), (2, 9)])
    for seed in (0, 1, 2):
        cp = nw.core_periphery(G, seed=seed)
        assert cp.core == {0, 1, 2, 3} and cp.fit == pytest.approx(1.0)
    assert cp.density.loc["core", "core"] == 1.0 and cp.density.loc["periphery", "periphery"] == 0.0
    # a periphery actor tied to all core actors also fits perfectly: the smaller core wins
    H = nx.complete_graph(4)
    H.add_edges_from([(4, i) for i in range(4)] + [(5, 0), (6, 1)])
    assert nw.core_periphery(H).core == {0, 1, 2, 3}
    s = nw.core_periphery(H).summary()
    assert s["core"].sum() == 4


def test_core_periphery_cp_density_and_continuous():
    G = nx.complete_graph(5)
    G.add_edges_from([(i, 5 + i) for i in range(5)])
    cp = nw.core_periphery(G, cp_density=0.2)
    assert cp.core == set(range(5))
    cc = nw.core_periphery(G, "continuous")
    assert set(cc.coreness.nlargest(5).index) == set(range(5))
    assert (cc.coreness**2).sum() == pytest.approx(1.0)


def test_communities_cliques_kcores():
    G = nx.barbell_graph(5, 0)
    for method in ("louvain", "greedy_modularity", "label_propagation", "girvan_newman"):
        com = nw.communities(G, method, seed=2)
        assert sorted(com.groupby("community")["node"].apply(sorted).tolist()) == [
            [0, 1, 2, 3, 4],
            [5, 6, 7, 8, 9],
        ], method
        q = nx.community.modularity(G, [set(range(5)), set(range(5, 10))])
        assert com["modularity"].tolist() == pytest.approx([q] * 10)
        assert com.attrs["modularity"] == pytest.approx(q)  # deprecated copy, one release
    cl = nw.cliques(G)
    assert cl.groupby("clique")["size"].first().tolist() == [5, 5]
    assert nw.kcores(G)["core_number"].tolist() == [4] * 10


def test_leiden_finds_the_two_cliques():
    # Leiden comes from networkx >= 3.7 or from networkit (test extra; MIT) — no GPL package
    G = nx.barbell_graph(4, 0)
    com = nw.communities(G, "leiden", seed=1)
    assert sorted(com.groupby("community")["node"].apply(sorted).tolist()) == [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
    ]
    again = nw.communities(G, "leiden", seed=1)
    assert com.equals(again)


# ----------------------------------------------------------------------------- two-mode


def test_two_mode_projections_by_hand():
    p = pd.DataFrame(
        {"node": ["a", "a", "b", "b", "c"], "activity": ["e1", "e2", "e1", "e2", "e2"]}
    )
    tm = nw.two_mode(p, actor="node", event="activity")
    assert tm.density == pytest.approx(5 / 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.DominantEventWarning)
        cnt = tm.project("actor").set_index(["source", "target"])["weight"]
        jac = tm.project("actor", "jaccard").set_index(["source", "target"])["weight"]
        new = tm.project("actor", "newman").set_index(["source", "target"])["weight"]
    assert cnt[("a", "b")] == 2 and cnt[("a", "c")] == 1
    assert jac[("a", "b")] == 1.0 and jac[("a", "c")] == pytest.approx(1 / 2)
    # Newman: e1 (2 participants) adds 1/(2-1), e2 (3) adds 1/(3-1)
    assert new[("a", "b")] == pytest.approx(1 + 1 / 2) and new[("a", "c")] == pytest.approx(0.5)
    ev = tm.project("event").set_index(["source", "target"])["weight"]
    assert ev[("e1", "e2")] == 2
    assert tm.incidence().to_numpy().sum() == 5


# ----------------------------------------------------------------------------- QAP


def test_mrqap_estimates_equal_ols_and_p_values():
    rng = np.random.default_rng(5)
    n = 15
    X1 = (rng.random((n, n)) < 0.3).astype(float)
    X2 = rng.random((n, n))
    Y = 0.5 * X1 + 0.2 * X2 + 0.3 * rng.random((n, n))
    nodes = list(range(n))
    f = lambda M: pd.DataFrame(M, index=nodes, columns=nodes)  # noqa: E731
    res = nw.mrqap(f(Y), {"x1": f(X1), "x2": f(X2)}, permutations=199, seed=1)
    off = ~np.eye(n, dtype=bool)
    ols = sm.OLS(Y[off], sm.add_constant(np.column_stack([X1[off], X2[off]]))).fit()
    assert res["estimate"].tolist() == pytest.approx(ols.params.tolist())
    assert res["std_error"].tolist() == pytest.approx(ols.bse.tolist())
    assert res["r_squared"].tolist() == pytest.approx([ols.rsquared] * 3)
    assert res.attrs["r_squared"] == pytest.approx(ols.rsquared)  # deprecated copy
    assert res.loc[1, "p_value"] == pytest.approx(1 / 200)  # strongest possible evidence
    # a pure-noise predictor is not significant under either permutation scheme
    noise = f(rng.random((n, n)))
    for method in ("dsp", "y"):
        r = nw.mrqap(f(Y), {"x1": f(X1), "noise": noise}, permutations=199, seed=2, method=method)
        assert r.loc[2, "p_value"] > 0.05
    again = nw.mrqap(f(Y), {"x1": f(X1), "x2": f(X2)}, permutations=199, seed=1)
    pd.testing.assert_frame_equal(res, again)


def test_qap_correlation_value_and_null():
    G1 = nx.gnp_random_graph(20, 0.25, seed=1, directed=True)
    G2 = nx.gnp_random_graph(20, 0.25, seed=2, directed=True)
    r = nw.qap_correlation(G1, G2, permutations=300, seed=4)
    off = ~np.eye(20, dtype=bool)
    a, b = nx.to_numpy_array(G1)[off], nx.to_numpy_array(G2)[off]
    assert r.statistic == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert r.p_value > 0.05 and 0 < r.p_value <= 1


def test_dyadic_covariates_by_hand():
    G = nx.Graph()
    G.add_nodes_from(
        [("a", {"size": 1, "k": "f"}), ("b", {"size": 4, "k": "f"}), ("c", {"size": 2, "k": "u"})]
    )
    same = nw.dyadic_covariate(G, "k")
    assert same.loc["a", "b"] == 1 and same.loc["a", "c"] == 0 and same.loc["a", "a"] == 0
    assert nw.dyadic_covariate(G, "size", "absdiff").loc["b", "c"] == 2
    assert nw.dyadic_covariate(G, "size", "sender").loc["b", "c"] == 4
    assert nw.dyadic_covariate(G, "size", "receiver").loc["b", "c"] == 2
    assert nw.dyadic_covariate(G, "size", "product").loc["b", "c"] == 8


def test_member_comparison_star():
    G = nx.star_graph(6)
    nx.set_node_attributes(G, {v: v in (0, 1) for v in G}, "member")
    r = nw.member_comparison(G, permutations=500, seed=3).set_index("measure")
    assert r.loc["degree", "mean_members"] == pytest.approx((1 + 1 / 6) / 2)
    assert r.loc["degree", "mean_non_members"] == pytest.approx(1 / 6)
    assert r.loc["degree", "n_members"] == 2 and r.loc["degree", "n_non_members"] == 5
    # exact null: the centre is a member in 2 of 7 labellings -> p about 2/7
    assert r.loc["degree", "p_value"] == pytest.approx(2 / 7, abs=0.06)


# ----------------------------------------------------------------------------- large networks


def test_sampled_closeness_with_every_source_is_exact():
    # Eppstein-Wang estimation from k = n sources is the exact value (scale (n-1)/(n-1)), which
    # pins the direction of the sampled searches for in- and out-closeness
    G = nx.gnp_random_graph(80, 0.04, seed=3, directed=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        exact = nw.centrality(G)
        with pytest.warns(nw.SampledEstimateWarning):
            sampled = nw.centrality(G, exact_limit=10, betweenness_k=80)
    assert not sampled["closeness_exact"].any() and exact["closeness_exact"].all()
    assert sampled.attrs["closeness_exact"] is False  # deprecated copy, one release
    for col in ("closeness", "closeness_out", "harmonic", "harmonic_out", "betweenness"):
        np.testing.assert_allclose(sampled[col], exact[col], atol=1e-12, err_msg=col)
    # and the exact values equal networkx's own closeness / harmonic centrality
    nxc = pd.Series(nx.closeness_centrality(G))
    np.testing.assert_allclose(exact.set_index("node")["closeness"], nxc.loc[list(G)])
    nxh = pd.Series(nx.harmonic_centrality(G.reverse())) / 79
    np.testing.assert_allclose(exact.set_index("node")["harmonic_out"], nxh.loc[list(G)])


def test_sparse_linear_algebra_equals_dense(monkeypatch):
    import sys

    mod = sys.modules["clusterlab.networks.centrality"]
    G = nx.barabasi_albert_graph(200, 2, seed=5)
    dense = nw.centrality(G)
    monkeypatch.setattr(mod, "_DENSE_LIMIT", 10)
    sparse = nw.centrality(G)
    np.testing.assert_allclose(sparse["eigenvector"], dense["eigenvector"], atol=1e-8)
    np.testing.assert_allclose(sparse["bonacich"], dense["bonacich"], rtol=1e-7)
    assert sparse["bonacich_beta"].iat[0] == pytest.approx(dense["bonacich_beta"].iat[0])
    # default beta: half of 1 / the largest eigenvalue of the adjacency matrix
    lam = max(abs(np.linalg.eigvals(nx.to_numpy_array(G))))
    assert dense["bonacich_beta"].eq(dense["bonacich_beta"].iat[0]).all()
    assert dense["bonacich_beta"].iat[0] == pytest.approx(0.5 / lam)
    assert dense.attrs["bonacich_beta"] == dense["bonacich_beta"].iat[0]  # deprecated copy


def test_read_edges_and_nodes_files(tmp_path):
    e = tmp_path / "edges.csv"
    e.write_text(
        "source,target,tie_type,weight,directed\nF1,F2,knowledge,3,true\n"
        "F2,U1,knowledge,1,true\nF1,F2,cooperation,2,false\n"
    )
    n = tmp_path / "nodes.csv"
    n.write_text(
        "node,kind,member\nF1,firm,true\nF2,firm,false\nU1,university,true\nF3,firm,false\n"
    )
    rels = nw.read_edges(e, n)
    assert set(rels) == {"knowledge", "cooperation"}
    K = rels["knowledge"]
    assert K.is_directed() and K["F1"]["F2"]["weight"] == 3.0 and "F3" in K
    assert K.nodes["U1"]["kind"] == "university" and bool(K.nodes["F1"]["member"])
    assert not rels["cooperation"].is_directed()
    bad = tmp_path / "bad_edges.csv"
    bad.write_text("source,target,weight\nF1,F9,1\n")
    from clusterlab.errors import DataValidationError

    with pytest.raises(DataValidationError) as err:
        nw.read_edges(bad, n)
    assert err.value.problems.loc[0, "file"] == "bad_edges.csv"
    assert err.value.problems.loc[0, "found"] == "F9"


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_burt_sparse_equals_networkx_definition(directed, weighted):
    # independent implementation: networkx's node-by-node effective_size / constraint (its
    # all-nodes shortcut builds a dense n x n matrix and, for directed or weighted graphs,
    # disagrees with its own node-by-node definition; we follow the definition)
    G = nx.gnp_random_graph(40, 0.12, seed=7, directed=directed)
    G.add_node(99)  # an isolate: NaN
    if weighted:
        for k, (u, v) in enumerate(G.edges):
            G[u][v]["weight"] = 1.0 + k % 4
    w = "weight" if weighted else None
    es, eff, con = nw.burt(G, weight=w)
    nodes = list(G)
    ref_es = nx.effective_size(G, nodes=nodes, weight=w)
    ref_con = nx.constraint(G, nodes=nodes, weight=w)
    np.testing.assert_allclose(es, [ref_es[v] for v in nodes], atol=1e-12)
    np.testing.assert_allclose(con, [ref_con[v] for v in nodes], atol=1e-12)
    deg = np.array([len(set(nx.all_neighbors(G, v))) for v in nodes], dtype=float)
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(eff, es / deg)


def test_qap_p_value_equals_full_enumeration():
    # with 5 actors all 120 simultaneous row/column permutations can be enumerated: the exact
    # two-sided QAP p-value is the share with |r_perm| >= |r| (Krackhardt 1987); the seeded
    # Monte-Carlo p-value must agree within sampling error (sd <= .009 at P = 3000)
    import itertools

    G1 = nx.DiGraph([(0, 1), (1, 2), (2, 0), (3, 4), (0, 3), (4, 1)])
    G2 = nx.DiGraph([(0, 1), (1, 2), (3, 4), (2, 3), (4, 0), (1, 0)])
    nodes = list(range(5))
    off = ~np.eye(5, dtype=bool)
    A = nx.to_numpy_array(G1, nodelist=nodes)[off]
    B = nx.to_numpy_array(G2, nodelist=nodes)
    r = np.corrcoef(A, B[off])[0, 1]
    rs = [np.corrcoef(A, B[np.ix_(p, p)][off])[0, 1] for p in itertools.permutations(nodes)]
    exact = np.mean(np.abs(rs) >= abs(r) - 1e-12)
    res = nw.qap_correlation(G1, G2, permutations=3000, seed=11)
    assert res.statistic == pytest.approx(r)
    assert res.p_value == pytest.approx(exact, abs=0.03)
