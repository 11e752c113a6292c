# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""clusterlab.networks against published values on the classic data sets.

Sources are cited at each test. Data sets from ../shared/datasets/networks (skipped when absent);
networkx ships the Florentine marriage and Davis Southern Women data.
"""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from clusterlab import networks as nw

# ----------------------------------------------------------------------------- fixtures


@pytest.fixture
def netdata(shared_datasets):
    path = shared_datasets / "networks"
    if not path.is_dir():
        pytest.skip("../shared/datasets/networks not available")
    return path


@pytest.fixture
def krackhardt(netdata):
    rels = nw.read_pajek(netdata / "krackhardt_hightech" / "Krackhardt_High-tech_managers.paj")
    att = pd.read_csv(netdata / "krackhardt_hightech" / "Krack-High-Tec-Attributes.csv")
    for G in rels.values():
        nx.set_node_attributes(
            G, {f"v{i}": int(d) for i, d in zip(att["ID"], att["DEPT"], strict=True)}, "dept"
        )
    return rels


# ----------------------------------------------------------------------------- Florentine

# Wasserman & Faust (1994), ch. 5, Freeman normalised betweenness C'_B and closeness C'_C of the
# Padgett marriage network without Pucci (n = 15); also networkx's own reference test values.
WF_BETWEENNESS = {
    "Acciaiuoli": 0.000,
    "Albizzi": 0.212,
    "Barbadori": 0.093,
    "Bischeri": 0.104,
    "Castellani": 0.055,
    "Ginori": 0.000,
    "Guadagni": 0.255,
    "Lamberteschi": 0.000,
    "Medici": 0.522,
    "Pazzi": 0.000,
    "Peruzzi": 0.022,
    "Ridolfi": 0.114,
    "Salviati": 0.143,
    "Strozzi": 0.103,
    "Tornabuoni": 0.092,
}
WF_CLOSENESS = {
    "Acciaiuoli": 0.368,
    "Albizzi": 0.483,
    "Barbadori": 0.4375,
    "Bischeri": 0.400,
    "Castellani": 0.389,
    "Ginori": 0.333,
    "Guadagni": 0.467,
    "Lamberteschi": 0.326,
    "Medici": 0.560,
    "Pazzi": 0.286,
    "Peruzzi": 0.368,
    "Ridolfi": 0.500,
    "Salviati": 0.389,
    "Strozzi": 0.4375,
    "Tornabuoni": 0.483,
}


def test_florentine_freeman_betweenness_and_closeness_wasserman_faust():
    c = nw.centrality(nx.florentine_families_graph()).set_index("node")
    for fam, val in WF_BETWEENNESS.items():
        assert c.loc[fam, "betweenness"] == pytest.approx(val, abs=1e-3), fam
    for fam, val in WF_CLOSENESS.items():
        assert c.loc[fam, "closeness"] == pytest.approx(val, abs=1e-3), fam
    # raw Freeman betweenness of the Medici: .522 x (14 x 13 / 2) = 47.5
    assert c.loc["Medici", "betweenness_raw"] == pytest.approx(47.5)


def test_florentine_betweenness_centralization_regression():
    # Freeman (1979) betweenness centralization = sum(max - c_i) / (n - 1) on normalised
    # scores; by hand from the W&F scores above: (15 x .522 - 1.715) / 14 = .4368.
    # (../shared/docs/networks.md lists .4374 as an unpublished regression value; the textbook
    # formula on the W&F scores gives .4368, as does the exact raw form
    # (15 x 47.5 - 156.1) / (14^2 x 13 / 2).)
    by_hand = (15 * max(WF_BETWEENNESS.values()) - sum(WF_BETWEENNESS.values())) / 14
    assert by_hand == pytest.approx(0.4368, abs=1e-4)
    cz = nw.centralization(nx.florentine_families_graph()).set_index("measure")
    assert cz.loc["betweenness", "centralization"] == pytest.approx(by_hand, abs=5e-4)


def test_florentine_pajek_file_marriage_and_business(netdata):
    # Breiger & Pattison (1986); W&F Appendix B: 20 marriage and 15 business ties;
    # business isolates Acciaiuoli, Albizzi, Pucci, Ridolfi, Strozzi
    rels = nw.read_pajek(netdata / "padgett_florentine" / "Padgett_Florentine_Families.paj")
    assert set(rels) == {"Marital", "Business"}
    mar, bus = rels["Marital"], rels["Business"]
    assert not mar.is_directed() and mar.number_of_edges() == 20
    assert bus.number_of_edges() == 15
    assert set(nx.isolates(bus)) == {"Acciaiuoli", "Albizzi", "Pucci", "Ridolfi", "Strozzi"}
    # equal to networkx's copy once Pucci (a marriage isolate) is dropped
    ref = nx.florentine_families_graph()
    assert {frozenset(e) for e in mar.edges()} == {frozenset(e) for e in ref.edges()}
    # same actor set for both relations: densities share the denominator 16 x 15 / 2
    with pytest.warns(nw.DisconnectedWarning, match="130 of 240"):  # five business isolates
        assert nw.cohesion(bus).loc[0, "density"] == pytest.approx(15 / 120)


def test_florentine_core_periphery_regression():
    # regression values of ../shared/docs/networks.md §2 (independent prototype):
    # categorical core {Medici, Ridolfi, Tornabuoni}, r = .423; continuous coreness Medici .883
    F = nx.florentine_families_graph()
    cp = nw.core_periphery(F, seed=3)
    assert cp.core == {"Medici", "Ridolfi", "Tornabuoni"}
    assert cp.fit == pytest.approx(0.423, abs=1e-3)
    cc = nw.core_periphery(F, "continuous")
    assert cc.coreness["Medici"] == pytest.approx(0.883, abs=1e-3)
    assert cc.coreness.idxmax() == "Medici"


# ----------------------------------------------------------------------------- Davis

# Borgatti & Halgin (2011), "Analyzing affiliation networks", table of two-mode centralities
# (Borgatti & Everett 1997 normalisation), two decimals: degree / closeness / betweenness
BH_DAVIS = {
    "E8": (0.78, 0.85, 0.24),
    "Evelyn Jefferson": (0.57, 0.80, 0.10),
    "Nora Fayette": (0.57, 0.80, 0.11),
    "E7": (0.56, 0.73, 0.13),
    "Theresa Anderson": (0.57, 0.80, 0.09),
    "E1": (0.17, 0.52, 0.00),
}


def _davis():
    D = nx.davis_southern_women_graph()
    women = D.graph["top"]
    rows = [(a, b) if a in women else (b, a) for a, b in D.edges()]
    return two_mode_from(rows, women, D.graph["bottom"])


def two_mode_from(rows, actors, events):
    return nw.two_mode(
        pd.DataFrame(rows, columns=["source", "target"]), actors=actors, events=events
    )


def test_davis_two_mode_centralities_borgatti_halgin():
    c = _davis().centrality().set_index("node")
    for v, (deg, clo, bet) in BH_DAVIS.items():
        assert c.loc[v, "degree"] == pytest.approx(deg, abs=0.005), v
        assert c.loc[v, "closeness"] == pytest.approx(clo, abs=0.005), v
        assert c.loc[v, "betweenness"] == pytest.approx(bet, abs=0.005), v
    assert set(c["mode"]) == {"actor", "event"} and len(c) == 32


def test_davis_two_mode_density_ucinet():
    # UCINET 6 two-mode density 0.353 = 89 / (18 x 14)
    tm = _davis()
    assert tm.density == pytest.approx(89 / 252) and round(tm.density, 3) == 0.353
    assert tm.summary().loc[0, "n_ties"] == 89


def test_two_mode_betweenness_maximum_ucinet():
    # UCINET getmax: the maximal two-mode betweenness for n_own=18, n_other=14 is 445 (and 16
    # for 7 x 2), not Borgatti & Everett's (1997) printed 442 / 12: a star-like graph attaining
    # the maximum must score exactly 1 after normalisation. Construct one for 7 actors x 2
    # events: event e0 joins actors 0..3, e1 joins 3..6 -> actor 3 brokers everything.
    rows = [(f"a{i}", "e0") for i in range(4)] + [(f"a{i}", "e1") for i in range(3, 7)]
    tm = two_mode_from(rows, [f"a{i}" for i in range(7)], ["e0", "e1"])
    c = tm.centrality().set_index("node")
    raw = nx.betweenness_centrality(tm.graph, normalized=False)["a3"]
    assert raw == pytest.approx(16.0)  # = UCINET's maximum for (7, 2)
    assert c.loc["a3", "betweenness"] == pytest.approx(1.0)


# ----------------------------------------------------------------------------- Krackhardt


def test_krackhardt_arcs_densities(krackhardt):
    # W&F Appendix B / UCINET KRACKHT: arcs 190 / 102 / 20, densities .452 / .243 / .048
    expect = {
        "gives_advice_to": (190, 0.452),
        "is_friend_of": (102, 0.243),
        "reports_to": (20, 0.048),
    }
    # friendship and reporting ties leave some ordered pairs unreachable: said, not hidden
    unreachable = {"gives_advice_to": None, "is_friend_of": "40 of 420", "reports_to": "384 of 420"}
    for rel, (arcs, dens) in expect.items():
        if unreachable[rel] is None:
            row = nw.cohesion(krackhardt[rel]).iloc[0]
        else:
            with pytest.warns(nw.DisconnectedWarning, match=unreachable[rel]):
                row = nw.cohesion(krackhardt[rel]).iloc[0]
        assert krackhardt[rel].is_directed()
        assert row["n_ties"] == arcs
        assert row["density"] == pytest.approx(dens, abs=5e-4)
        assert row["avg_degree"] == pytest.approx(arcs / 21)


def test_krackhardt_dyad_census_wasserman_faust(krackhardt):
    # W&F ch. 13 dyad census M/A/N: advice 45/100/65, friendship 23/56/131
    adv = nw.dyad_census(krackhardt["gives_advice_to"])
    fr = nw.dyad_census(krackhardt["is_friend_of"])
    assert (adv["dyads_mutual"], adv["dyads_asymmetric"], adv["dyads_null"]) == (45, 100, 65)
    assert (fr["dyads_mutual"], fr["dyads_asymmetric"], fr["dyads_null"]) == (23, 56, 131)
    row = nw.cohesion(krackhardt["gives_advice_to"]).iloc[0]
    assert row["reciprocity"] == pytest.approx(90 / 190)  # 2M / (2M + A)
    assert row["reciprocity_dyads"] == pytest.approx(45 / 145)  # M / (M + A)


def test_krackhardt_edge_lists_equal_pajek(netdata, krackhardt):
    # the Stanford edge lists and the Pajek matrices are the same data cell for cell
    raw = pd.read_csv(
        netdata / "krackhardt_hightech" / "Krack-High-Tec-edgelist-Advice.txt",
        sep=r"\s+",
        header=None,
        names=["source", "target", "tie"],
    )
    e = raw[raw["tie"] == 1].assign(
        source=lambda d: "v" + d["source"].astype(str),
        target=lambda d: "v" + d["target"].astype(str),
    )
    G = nw.from_edges(e, weight=None)
    assert set(G.edges()) == set(krackhardt["gives_advice_to"].edges())


def test_krackhardt_gould_fernandez_equals_sna(krackhardt):
    # independent implementation: R sna::brokerage 2.7-1 on the advice network with DEPT as
    # groups (../shared/docs/networks.md §2 check 9 and §3): totals 28/69/95/62/246 (500 open
    # two-paths); manager 18 = 0/32/4/11/74; manager 21 = 11/7/20/15/19; z.nli of managers
    # 18 and 21 (w_I, w_O, b_IO, b_OI, b_O, total)
    b = nw.brokerage(krackhardt["gives_advice_to"], "dept").set_index("node")
    roles = nw.ROLES
    assert b[roles].sum().tolist() == [28, 69, 95, 62, 246]
    assert b["total"].sum() == 500
    assert b.loc["v18", roles].tolist() == [0, 32, 4, 11, 74]
    assert b.loc["v21", roles].tolist() == [11, 7, 20, 15, 19]
    z = ["z_" + r for r in roles] + ["z_total"]
    np.testing.assert_allclose(
        b.loc["v18", z].astype(float), [-0.50, 4.77, -0.01, 1.90, 5.01, 5.00], atol=0.006
    )
    np.testing.assert_allclose(
        b.loc["v21", z].astype(float), [6.96, -0.30, 2.62, 1.60, 0.05, 1.88], atol=0.006
    )
    tot = nw.brokerage_totals(krackhardt["gives_advice_to"], "dept").set_index("role")
    assert tot.loc["total", "observed"] == 500


def test_krackhardt_open_two_paths_counted_directly(krackhardt):
    # the brokerage total equals the number of open two-paths a->b->c (a != c, no a->c),
    # counted here without the package: 500 for the advice network
    G = krackhardt["gives_advice_to"]
    count = sum(
        1
        for b in G
        for a in G.predecessors(b)
        for c in G.successors(b)
        if a != c and not G.has_edge(a, c)
    )
    assert count == 500


# ----------------------------------------------------------------------------- others


def test_lazega_sizes_snijders(netdata):
    # Lazega (2001): advice 892 arcs; Snijders, Pattison, Robins & Handcock (2006): the 36
    # partners' reciprocated cowork network has 115 edges
    d = netdata / "lazega_lawyers"
    adv = nw.read_matrix(d / "ELadv.dat")
    assert adv.number_of_nodes() == 71 and adv.number_of_edges() == 892
    work = nw.read_matrix(d / "ELwork.dat")
    attr = pd.read_csv(
        d / "ELattr.dat",
        sep=r"\s+",
        header=None,
        names=["id", "status", "gender", "office", "years", "age", "practice", "school"],
    )
    nx.set_node_attributes(
        work,
        {str(int(i)): int(s) for i, s in zip(attr["id"], attr["status"], strict=True)},
        "status",
    )
    partners = nw.subgraph(work, [1], attribute="status")
    assert partners.number_of_nodes() == 36
    assert nw.symmetrise(partners, "min").number_of_edges() == 115


def test_knoke_information_network(netdata):
    # Knoke & Kuklinski (1982) / UCINET KNOKI: 49 arcs (density .544); out-/in-degrees and the
    # mayor's top betweenness are regression values of ../shared/docs/networks.md §2
    rels = nw.read_pajek(netdata / "knoke_bureaucracies" / "Knoke_Bureaucracies_Network.pajek")
    info = rels["Information exchange"]
    assert "WRO" in info  # the label's trailing blank is stripped
    assert info.number_of_edges() == 49
    assert nw.cohesion(info).loc[0, "density"] == pytest.approx(49 / 90)
    c = nw.centrality(info).set_index("node")
    order = ["COUN", "COMM", "EDUC", "INDU", "MAYR", "WRO", "NEWS", "UWAY", "WELF", "WEST"]
    assert c.loc[order, "out_degree"].tolist() == [4, 7, 6, 4, 8, 3, 3, 6, 3, 5]
    assert c.loc[order, "in_degree"].tolist() == [5, 8, 4, 5, 8, 1, 9, 2, 5, 2]
    assert c["betweenness_raw"].idxmax() == "MAYR"
    assert c.loc["MAYR", "betweenness_raw"] == pytest.approx(17.83, abs=0.01)


def test_stokman_ziegler_dl_valued(netdata):
    # SocNetV copies of UCINET SZCID / SZCIG: 60 edges (83 interlocks), 67 edges (116)
    d = netdata / "stokman_ziegler_interlocks"
    for fname, n, m, total in (("Netherlands", 16, 60, 83), ("West_Germany", 15, 67, 116)):
        (G,) = nw.read_dl(d / f"Stokman_Ziegler_Corporate_Interlocks_{fname}.dl").values()
        assert not G.is_directed()
        assert (G.number_of_nodes(), G.number_of_edges()) == (n, m)
        assert sum(w for *_, w in G.edges(data="weight")) == total
    assert "ABN" in G or "VAG" in G


def test_galaskiewicz_two_mode(netdata):
    # Galaskiewicz (1985), W&F Appendix B: 26 CEOs x 15 clubs, 98 memberships; club 3 has 22
    # of the 26 CEOs (two-mode betweenness .488 is a regression value, networks.md §2)
    M = np.loadtxt(
        netdata
        / "galaskiewicz_ceos_clubs"
        / "Galaskiewicz_CEOs_and_clubs_affiliation_network_data.2sm"
    )
    assert M.shape == (26, 15)
    rows = [(f"ceo{i + 1}", f"club{j + 1}") for i, j in zip(*np.nonzero(M), strict=True)]
    tm = two_mode_from(
        rows, [f"ceo{i + 1}" for i in range(26)], [f"club{j + 1}" for j in range(15)]
    )
    assert tm.graph.number_of_edges() == 98
    c = tm.centrality().set_index("node")
    assert c.loc["club3", "degree_raw"] == 22
    assert c.loc["club3", "betweenness"] == pytest.approx(0.488, abs=5e-4)
    with pytest.warns(nw.DominantEventWarning, match="club3"):
        tm.project("actor")
    with warnings.catch_warnings():
        warnings.simplefilter("error", nw.DominantEventWarning)
        tm.project("event")  # no single CEO dominates the club projection
