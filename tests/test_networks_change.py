# ruff: noqa: N802, N803, N806  (networkx convention: G for a graph, A for a matrix)
"""network_change, waves, write_dl / write_pajek and the tieless member_comparison."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterlab import networks as nw
from clusterlab.errors import ClusterlabWarning, DataValidationError, ParameterError


def _edges(pairs, wave, **extra):
    return pd.DataFrame(
        {"source": [a for a, _ in pairs], "target": [b for _, b in pairs], "wave": wave, **extra}
    )


def _two_waves():
    # members m1, m2, m3; non-members n1, n2, n3. Wave 2: the members tie up with each other.
    w1 = [("m1", "n1"), ("n1", "n2"), ("n2", "n3"), ("m2", "n2")]
    w2 = [("m1", "n1"), ("n1", "n2"), ("m1", "m2"), ("m2", "m3"), ("m3", "m1"), ("n3", "m3")]
    nodes = pd.DataFrame(
        {
            "node": ["m1", "m2", "m3", "n1", "n2", "n3"],
            "member": [True] * 3 + [False] * 3,
            "kind": "firm",
        }
    )
    return pd.concat([_edges(w1, 1), _edges(w2, 2)], ignore_index=True), nodes


def test_tie_counts_and_jaccard_by_hand():
    # kept {m1-n1, n1-n2} = 2; dropped {n2-n3, m2-n2} = 2; formed {m1-m2, m2-m3, m3-m1, n3-m3}
    # = 4 -> Jaccard N11 / (N01 + N10 + N11) = 2 / 8 (Snijders, van de Bunt & Steglich 2010)
    edges, nodes = _two_waves()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        ch = nw.network_change(edges, nodes, permutations=199, seed=1)
    t = ch.ties.iloc[0]
    assert (t.formed, t.dropped, t.kept, t.ties_from, t.ties_to, t.hamming) == (4, 2, 2, 4, 6, 6)
    assert t.jaccard == pytest.approx(0.25)
    a = ch.actors.set_index("node")
    # m3 formed m2-m3, m3-m1, n3-m3; n3 formed n3-m3 and lost n2-n3
    assert a.loc["m3", "ties_formed"] == 3 and a.loc["m3", "ties_dropped"] == 0
    assert a.loc["n3", "ties_formed"] == 1 and a.loc["n3", "ties_dropped"] == 1
    assert a.loc["m1", "degree_change"] == 2  # in + out degree: 1 -> 3
    mem = ch.members.set_index("measure")
    # members formed 2 + 2 + 3 = 7 tie ends, non-members 0 + 0 + 1
    assert mem.loc["ties_formed", "mean_members"] == pytest.approx(7 / 3)
    assert mem.loc["ties_formed", "mean_non_members"] == pytest.approx(1 / 3)
    assert mem.loc["ties_formed", "n_members"] == 3 and mem.loc["ties_formed", "n_firms"] == 6
    text = ch.text()
    assert "4 ties were formed, 2 dropped and 2 kept" in text and "Members formed" in text
    assert set(ch.summary().columns) >= {"jaccard", "spearman_degree", "spearman_betweenness"}


def test_identical_waves_are_perfectly_stable():
    e = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("a", "c")]
    edges = pd.concat([_edges(e, 1), _edges(e, 2)])
    ch = nw.network_change(edges, member=None, top_n=2)
    assert ch.ties.loc[0, "jaccard"] == 1.0 and ch.ties.loc[0, "hamming"] == 0
    assert (ch.actors[["ties_formed", "ties_dropped", "degree_change"]] == 0).all().all()
    deg = ch.stability.set_index("measure").loc["degree"]
    assert deg["spearman"] == pytest.approx(1.0) and deg["top_overlap"] == 1.0
    assert ch.members.empty


def test_undirected_ties_are_one_pair():
    e1 = _edges([("a", "b")], 1, directed=False)
    e2 = _edges([("b", "a"), ("b", "c")], 2, directed=False)
    with pytest.warns(nw.NetworkWarning, match="no core-periphery structure"):  # 3 actors
        ch = nw.network_change(pd.concat([e1, e2]), member=None)
    assert ch.ties.loc[0, ["formed", "dropped", "kept"]].tolist() == [1, 0, 1]


def test_three_waves_give_two_consecutive_pairs_and_keep_wave_labels():
    e = pd.concat(
        [
            _edges([("a", "b")], "2019"),
            _edges([("a", "c")], "2021"),
            _edges([("a", "c"), ("c", "b")], "2023"),
        ]
    )
    with pytest.warns(nw.NetworkWarning, match="no core-periphery structure"):  # 3 actors
        ch = nw.network_change(e, member=None)
    assert ch.ties[["wave_from", "wave_to"]].values.tolist() == [["2019", "2021"], ["2021", "2023"]]
    assert ch.ties["kept"].tolist() == [0, 1]


def test_tieless_waves_do_not_fail():
    nodes = pd.DataFrame({"node": list("abcde"), "member": [1, 1, 0, 0, 0]})
    e = pd.DataFrame(
        {
            "source": pd.Series([], dtype=str),
            "target": pd.Series([], dtype=str),
            "wave": pd.Series([], dtype=int),
        }
    )
    e = pd.concat([e, _edges([("a", "b")], 2)])
    e = pd.concat([e, pd.DataFrame({"source": ["c"], "target": ["c"], "wave": [1]})])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        ch = nw.network_change(e, nodes, permutations=99)
    assert ch.ties.loc[0, ["ties_from", "formed"]].tolist() == [0, 1]
    assert ch.ties.loc[0, "jaccard"] == 0.0  # 0 kept of 1
    assert ch.actors["core_from"].isna().all()  # no core in a tieless wave


def test_bad_input():
    edges, nodes = _two_waves()
    with pytest.raises(DataValidationError, match="two waves"):
        nw.network_change(edges[edges["wave"] == 1], nodes)
    with pytest.raises(DataValidationError, match="wave"):
        nw.network_change(edges.drop(columns="wave"), nodes)
    two = edges.assign(tie_type=np.where(np.arange(len(edges)) % 2, "trade", "knowledge"))
    with pytest.raises(ParameterError, match="relation="):
        nw.network_change(two, nodes)
    with pytest.raises(DataValidationError, match="yes/no"):
        nw.network_change(edges, nodes.assign(member=[2, 1, 0, 0, 1, 0]))
    with pytest.raises(ParameterError, match="top_n"):
        nw.network_change(edges, nodes, top_n=0)


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=25),
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=25),
)
def test_counts_match_the_adjacency_matrices(r0, r1):
    # independent computation: N11 = sum(A0 * A1), N01 = sum((1 - A0) * A1), ...
    # (rows as drawn, self-ties included: from_edges drops those with a warning)
    t0 = [(a, b) for a, b in dict.fromkeys(r0) if a != b]
    t1 = [(a, b) for a, b in dict.fromkeys(r1) if a != b]
    nodes = pd.DataFrame({"node": list(range(7))})
    edges = pd.concat(
        [_edges(list(dict.fromkeys(r0)), 1), _edges(list(dict.fromkeys(r1)), 2)], ignore_index=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusterlabWarning)  # ours: not the subject here
        ch = nw.network_change(edges, nodes, member=None, core_restarts=2)
    A0, A1 = np.zeros((7, 7)), np.zeros((7, 7))
    for a, b in t0:
        A0[a, b] = 1
    for a, b in t1:
        A1[a, b] = 1
    t = ch.ties.iloc[0]
    assert t.kept == (A0 * A1).sum() and t.formed == ((1 - A0) * A1).sum()
    assert t.dropped == (A0 * (1 - A1)).sum()
    assert ch.actors["ties_formed"].sum() == 2 * t.formed
    assert ch.actors["ties_dropped"].sum() == 2 * t.dropped
    if t.formed + t.dropped + t.kept:
        assert 0 <= t.jaccard <= 1


# ----------------------------------------------------------------------------- writers


def _graphs(directed):
    cls = nx.DiGraph if directed else nx.Graph
    G1 = cls()
    G1.add_nodes_from(["007", "a b", "x", "lonely"])
    G1.add_weighted_edges_from([("007", "a b", 2.0), ("a b", "x", 1.0), ("x", "007", 3.5)])
    G2 = cls()
    G2.add_nodes_from(G1.nodes)
    G2.add_weighted_edges_from([("007", "x", 1.0)])
    return {"wave 1": G1, "wave 2": G2}


def _same(G, H):
    assert set(G.nodes) == set(H.nodes) and G.is_directed() == H.is_directed()
    assert {(u, v, d["weight"]) for u, v, d in G.edges(data=True)} == {
        (u, v, d["weight"])
        for u, v, d in (H.edges(data=True) if H.is_directed() else _oriented(H, G))
    }


def _oriented(H, G):
    for u, v, d in H.edges(data=True):
        yield (u, v, d) if G.has_edge(u, v) and (u, v) in G.edges else (v, u, d)


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("fmt", ["edgelist1", "fullmatrix"])
def test_dl_round_trip(tmp_path, directed, fmt):
    graphs = _graphs(directed)
    path = nw.write_dl(graphs, tmp_path / "w.dl", format=fmt)
    back = nw.read_dl(path, directed=directed)
    assert list(back) == ["wave 1", "wave 2"]
    for k in graphs:
        _same(graphs[k], back[k])


@pytest.mark.parametrize("directed", [True, False])
def test_pajek_round_trip(tmp_path, directed):
    graphs = _graphs(directed)
    back = nw.read_pajek(nw.write_pajek(graphs, tmp_path / "w.net"))
    assert list(back) == ["wave 1", "wave 2"]
    for k in graphs:
        _same(graphs[k], back[k])


def test_round_trip_of_a_reference_network(tmp_path):
    G = nx.florentine_families_graph()
    nx.set_edge_attributes(G, 1, "weight")
    for writer, reader in ((nw.write_dl, nw.read_dl), (nw.write_pajek, nw.read_pajek)):
        H = next(iter(reader(writer(G, tmp_path / f"f.{writer.__name__}")).values()))
        assert nx.utils.graphs_equal(nx.Graph(H.edges()), nx.Graph(G.edges()))
        assert H.number_of_edges() == 20


def test_demo_waves_round_trip(tmp_path):
    from clusterlab.datasets import load_demo

    edges, nodes = load_demo("edges"), load_demo("nodes")
    e = edges[edges["initiative"] == "valley_foodtech"]
    n = nodes[nodes["initiative"] == "valley_foodtech"]
    graphs = nw.waves(e, n, relation="knowledge")
    assert len(graphs) == 2
    back = nw.read_dl(nw.write_dl(graphs, tmp_path / "k.dl"), directed=True)
    for w, G in graphs.items():
        H = back[str(w)]
        assert H.number_of_nodes() == G.number_of_nodes() == len(n)
        assert set(H.edges()) == {(str(u), str(v)) for u, v in G.edges()}


def test_writers_reject_what_the_format_cannot_hold(tmp_path):
    G = nx.DiGraph([("a,b", "c")])
    with pytest.raises(DataValidationError, match="UCINET DL"):
        nw.write_dl(G, tmp_path / "x.dl")
    with pytest.raises(DataValidationError, match="Pajek"):
        nw.write_pajek(nx.DiGraph([('say "hi"', "c")]), tmp_path / "x.net")
    g = _graphs(True)
    g["wave 2"].add_node("newcomer")
    with pytest.raises(DataValidationError, match="same actors"):
        nw.write_pajek(g, tmp_path / "y.net")
    with pytest.raises(ParameterError):
        nw.write_dl({}, tmp_path / "z.dl")
    assert not list(tmp_path.iterdir())  # nothing half-written


# ----------------------------------------------------------------------------- tieless


def test_member_comparison_on_a_tieless_network_skips_tie_measures():
    G = nx.empty_graph(6)
    nx.set_node_attributes(G, {v: v < 3 for v in G}, "member")
    with pytest.warns(nw.NetworkWarning, match="no ties"):
        r = nw.member_comparison(G, permutations=99)
    assert r["measure"].tolist() == ["degree"]
    assert r.loc[0, "difference"] == 0.0


def test_network_drawing_passes_arrow_styles_only_to_directed_graphs():
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    from clusterlab.plots.networks import network_drawing

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # networkx warns when arrow styles reach a Graph
        plt.close(network_drawing(nx.path_graph(4)).figure)
    ax = network_drawing(nx.DiGraph([(0, 1), (1, 2)]))
    assert sum(isinstance(p, FancyArrowPatch) for p in ax.patches) == 2
    plt.close(ax.figure)


@pytest.mark.parametrize(
    "initiative", ["valley_foodtech", "eastshire_medtech", "northport_maritime"]
)
def test_demo_panel_shows_the_planted_member_effect(initiative):
    # the generator makes member firms form new ties 1.5-2.5 times as often in wave 2
    # (clusterlab/datasets/_build_networks.py): network_change must find members ahead
    from clusterlab.datasets import load_demo

    edges, nodes = load_demo("edges"), load_demo("nodes")
    e = edges[edges["initiative"] == initiative]
    n = nodes[nodes["initiative"] == initiative]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.NetworkWarning)
        ch = nw.network_change(
            e, n, relation="knowledge", among=("kind", "firm"), permutations=499, seed=1
        )
    mem = ch.members.set_index("measure")
    assert mem.loc["ties_formed", "difference"] > 0
    assert mem.loc["ties_formed", "p_value"] < 0.05
    assert mem.loc["brokerage_change", "difference"] > 0
    t = ch.ties.iloc[0]
    assert 0.2 < t.jaccard < 0.7  # a panel, neither frozen nor redrawn
    assert t.kept > 0 and t.formed > 0 and t.dropped > 0
