# ruff: noqa: N803, N806  (networkx convention: G for a graph, A for its adjacency matrix)
"""clusterlab.networks: bad input gives clear errors (naming file/row/column) or documented
warnings — never a bare traceback or a silently wrong number."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from clusterlab import networks as nw
from clusterlab.errors import ClusterlabFutureWarning, DataValidationError, ParameterError


def _problems(excinfo):
    return excinfo.value.problems


def test_edges_naming_unknown_actors():
    nodes = pd.DataFrame({"node": ["a", "b"]})
    edges = pd.DataFrame({"source": ["a", "a", "z"], "target": ["b", "y", "a"]})
    with pytest.raises(DataValidationError, match="missing from the nodes table") as e:
        nw.from_edges(edges, nodes)
    p = _problems(e)
    assert (
        p.loc[0, "file"] == "edges"
        and p.loc[0, "row"] == 3
        and p.loc[0, "column"] == "source"
        and p.loc[0, "found"] == "z"
    )
    with pytest.warns(nw.NetworkWarning, match="added 2"):
        G = nw.from_edges(edges, nodes, unknown="add")
    assert set(G.nodes) == {"a", "b", "y", "z"}


def test_self_loops_dropped_with_warning_or_error():
    e = pd.DataFrame({"source": ["a", "b"], "target": ["a", "a"]})
    with pytest.warns(nw.NetworkWarning, match="self-loop"):
        G = nw.from_edges(e)
    assert G.number_of_edges() == 1 and not nx.number_of_selfloops(G)
    with pytest.raises(DataValidationError) as err:
        nw.from_edges(e, self_loops="raise")
    assert _problems(err).loc[0, "row"] == 1


@pytest.mark.parametrize("argument", ["self_loops", "duplicates", "unknown"])
def test_old_choice_spelling_error_still_raises_with_a_future_warning(argument):
    """Issue #19: ``"error"`` is now ``"raise"``; the old spelling works for one release."""
    e = pd.DataFrame(
        {"source": ["a", "a", "a", "z"], "target": ["a", "b", "b", "b"], "weight": [1, 1, 2, 1]}
    )
    nodes = pd.DataFrame({"node": ["a", "b", "z"]})
    keep = {"self_loops": "drop", "duplicates": "sum", "unknown": "add"}
    if argument == "unknown":
        nodes = nodes[nodes["node"] != "z"]
    for spelling in ("raise", "error"):
        kw = {**keep, argument: spelling}
        with pytest.raises(DataValidationError) as err:
            if spelling == "error":
                with (
                    pytest.warns(ClusterlabFutureWarning, match=f"{argument}='raise'"),
                    warnings.catch_warnings(),
                ):
                    warnings.simplefilter("ignore", nw.NetworkWarning)  # the planted self-loop
                    nw.from_edges(e, nodes, **kw)
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", nw.NetworkWarning)
                    warnings.simplefilter("error", ClusterlabFutureWarning)
                    nw.from_edges(e, nodes, **kw)
        assert _problems(err).loc[0, "file"] == "edges"
    # the wrappers pass the new spelling on, warning once and pointing at the caller
    e2 = e.assign(wave=1, tie_type="k")
    for call in (
        lambda: nw.relations(e2, nodes, **{**keep, argument: "error"}),
        lambda: nw.waves(e2, nodes, **{**keep, argument: "error"}),
    ):
        with (
            pytest.raises(DataValidationError),
            pytest.warns(ClusterlabFutureWarning) as record,
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore", nw.NetworkWarning)  # the planted self-loop
            call()
        future = [w for w in record if issubclass(w.category, ClusterlabFutureWarning)]
        assert len(future) == 1 and future[0].filename == __file__


def test_duplicate_edges_with_conflicting_weights():
    e = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "b", "c"], "weight": [1, 5, 2]})
    with pytest.raises(DataValidationError, match="different weights") as err:
        nw.from_edges(e)
    assert set(_problems(err)["row"]) == {1, 2}
    # in an undirected relation a-b and b-a are the same pair
    u = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "weight": [1, 2]})
    with pytest.raises(DataValidationError):
        nw.from_edges(u, directed=False)


def test_bad_weights_missing_columns_and_mixed_direction():
    with pytest.raises(DataValidationError) as err:
        nw.from_edges(pd.DataFrame({"source": ["a"], "target": ["b"], "weight": ["x"]}))
    assert _problems(err).loc[0, "column"] == "weight"
    with pytest.raises(DataValidationError, match="target"):
        nw.from_edges(pd.DataFrame({"source": ["a"]}))
    with pytest.raises(DataValidationError, match="missing"):
        nw.from_edges(pd.DataFrame({"source": ["a", None], "target": ["b", "c"]}))
    with pytest.raises(DataValidationError, match="mixes directed"):
        nw.from_edges(
            pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "directed": [True, False]})
        )
    with pytest.raises(DataValidationError, match="weight"):
        nw.from_edges(pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [-1]}))
    with pytest.raises(DataValidationError, match="DataFrame"):
        nw.from_edges([("a", "b")])
    with pytest.raises(ParameterError, match="duplicates"):
        nw.from_edges(pd.DataFrame({"source": ["a"], "target": ["b"]}), duplicates="avg")


def test_duplicate_actor_ids_in_nodes_table():
    nodes = pd.DataFrame({"node": ["a", "a"]})
    with (
        pytest.raises(DataValidationError, match="problem") as err,
        pytest.warns(nw.NetworkWarning, match="self-loop"),
    ):  # a -> a is dropped first
        nw.from_edges(pd.DataFrame({"source": ["a"], "target": ["a"]}), nodes)
    assert _problems(err).loc[0, "file"] == "nodes"


def test_disconnected_network_warns_and_reports_fragmentation():
    G = nx.Graph([("a", "b"), ("c", "d")])
    with pytest.warns(nw.DisconnectedWarning, match="reachable"):
        r = nw.cohesion(G).iloc[0]
    assert r["n_components"] == 2 and r["fragmentation"] == pytest.approx(8 / 12)
    assert r["avg_distance"] == 1.0  # over the 4 reachable ordered pairs
    with pytest.warns(nw.DisconnectedWarning, match="Wasserman-Faust"):
        c = nw.centrality(G).set_index("node")
    # W-F corrected closeness: (1/3) * (1/1)
    assert c.loc["a", "closeness"] == pytest.approx(1 / 3)


def test_attribute_missing_for_some_actors():
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": "x", "b": "y"}, "dept")
    for fn in (
        lambda: nw.brokerage(G, "dept"),
        lambda: nw.group_densities(G, "dept"),
        lambda: nw.dyadic_covariate(G, "dept"),
    ):
        with pytest.raises(DataValidationError, match="missing for 1 actor") as err:
            fn()
        assert _problems(err).loc[0, "row"] == "c"
    with pytest.raises(DataValidationError, match="member"):
        nw.member_comparison(G)


def test_two_mode_overlapping_names_and_unknown_ids():
    p = pd.DataFrame({"node": ["f1", "f2", "lab"], "activity": ["lab", "fair", "fair"]})
    with pytest.raises(DataValidationError, match="two-mode") as err:
        nw.two_mode(p, actor="node", event="activity")
    assert _problems(err).loc[0, ["row", "column", "found"]].tolist() == [3, "node", "lab"]
    with pytest.raises(DataValidationError) as err:
        nw.two_mode(pd.DataFrame({"source": ["a"], "target": ["e"]}), events=["x"])
    assert _problems(err).loc[0, "column"] == "target"
    with pytest.warns(nw.NetworkWarning, match="repeated"):
        nw.two_mode(pd.DataFrame({"source": ["a", "a"], "target": ["e", "e"]}))


@pytest.mark.parametrize(
    ("text", "match", "row", "expected"),
    [
        # a malformed matrix row: the file's line number (header = line 1), what was expected
        ("dl n=2\nlabels: a b\ndata:\n0 1\n1 x\n", "'x' is not a number", 5, "a number"),
        # an edge list line with one id only / an id outside 1..n / a tie value that is text;
        # the blank line still counts
        ("dl n=2 format=edgelist1\ndata:\n1 2\n\n2\n", "is not a tie", 5, "from to [value]"),
        ("dl n=2 format=edgelist1\ndata:\n1 3\n", "not one of 1..2", 3, "a vertex id 1..2"),
        ("dl n=2 format=edgelist1\ndata:\n1 2 high\n", "'high' is not a number", 3, "a number"),
        (
            "dl n=2 format=nodelist1\nlabels embedded\ndata:\na b c\n",
            "more than N=2",
            4,
            "2 actors",
        ),
        (
            "dl n=2\nthis is not a header\ndata:\n0 1 1 0\n",
            "not a DL header line",
            2,
            "DL header (N=, FORMAT=, LABELS:, DATA:)",
        ),
    ],
)
def test_read_dl_bad_rows_name_file_row_and_expectation(tmp_path, text, match, row, expected):
    p = tmp_path / "bad.dl"
    p.write_text(text)
    with pytest.raises(DataValidationError, match=match) as err:
        nw.read_dl(p)
    prob = _problems(err).iloc[0]
    assert (prob["file"], prob["row"], prob["expected"]) == ("bad.dl", row, expected)


def test_read_dl_bad_file_level_input(tmp_path):
    cases = {
        "fmt.dl": ("dl n=2 format=blockmatrix\ndata:\n0 1 1 0\n", "not supported", "blockmatrix"),
        "dup.dl": ("dl n=2\nlabels: a a\ndata:\n0 1 1 0\n", "not unique", "a"),
        "neg.dl": ("dl n=2\ndata:\n0 -1 1 0\n", "negative", "-1.0"),
        "nodata.dl": ("dl n=2\nlabels: a b\n", "needs 'DL N=", "missing"),
    }
    for fname, (text, match, found) in cases.items():
        p = tmp_path / fname
        p.write_text(text)
        with pytest.raises(DataValidationError, match=match) as err:
            nw.read_dl(p)
        assert _problems(err).loc[0, "file"] == fname
        assert _problems(err).loc[0, "found"] == found


def test_bad_files(tmp_path):
    with pytest.raises(DataValidationError, match="not found"):
        nw.read_pajek(tmp_path / "none.net")
    p = tmp_path / "bad.net"
    p.write_text("*Vertices 2\n1 a\n2 b\n*Arcs\n1 7\n")
    with pytest.raises(DataValidationError, match="vertex") as err:
        nw.read_pajek(p)
    assert _problems(err).loc[0, "row"] == 5
    q = tmp_path / "bad.dl"
    q.write_text("dl n=3\ndata:\n0 1 0\n1 0\n")
    with pytest.raises(DataValidationError, match="expected 9"):
        nw.read_dl(q)
    r = tmp_path / "two.dl"
    r.write_text("dl nr=2 nc=3\ndata:\n1 0 1\n0 1 1\n")
    with pytest.raises(DataValidationError, match="one-mode") as err:
        nw.read_dl(r)
    assert _problems(err).loc[0, "found"] == "two-mode (NR/NC)"
    m = tmp_path / "m.dat"
    m.write_text("0 1\n1 0 1\n")
    with pytest.raises(DataValidationError, match="square"):
        nw.read_matrix(m)
    d = tmp_path / "dup.net"
    d.write_text('*Vertices 2\n1 "A"\n2 "A"\n')
    with pytest.raises(DataValidationError, match="not unique"):
        nw.read_pajek(d)


def test_parameter_errors():
    G = nx.path_graph(5)
    with pytest.raises(ParameterError, match="rule"):
        nw.symmetrise(G, "avg")
    with pytest.raises(ParameterError, match="method"):
        nw.core_periphery(G, "fuzzy")
    with pytest.raises(ParameterError, match="4 actors"):
        nw.core_periphery(nx.path_graph(3))
    with pytest.raises(ParameterError, match="beta"):
        nw.bonacich_power(G, 5.0)
    with pytest.raises(ParameterError, match="method"):
        nw.communities(G, "infomap")
    with pytest.raises(ParameterError, match="directed"):
        nw.knowledge_roles(G, external=[])
    with pytest.raises(ParameterError, match="permutations"):
        nw.qap_correlation(G, G, permutations=0)
    with pytest.raises(DataValidationError, match="networkx"):
        nw.cohesion(pd.DataFrame())
    with pytest.raises(DataValidationError, match="multigraph"):
        nw.centrality(nx.MultiGraph([(0, 1)]))
    with pytest.raises(DataValidationError, match="constant"):
        nw.qap_correlation(nx.complete_graph(4), nx.complete_graph(4))
    with pytest.raises(DataValidationError, match="missing"):
        nw.qap_correlation(nx.path_graph(4), nx.path_graph(3))
    with pytest.raises(DataValidationError, match="collinear"):
        nw.mrqap(G, {"a": G, "b": G})
    with pytest.raises(DataValidationError, match="not actors"):
        nw.missing_respondents(G, [0, 99])


def test_two_mode_disconnected_warns():
    p = pd.DataFrame({"source": ["a", "b", "c"], "target": ["e1", "e1", "e2"]})
    tm = nw.two_mode(p)
    with pytest.warns(nw.DisconnectedWarning, match="not connected"):
        c = tm.centrality().set_index("node")
    assert c.loc["e1", "degree"] == pytest.approx(2 / 3)


def test_measures_reject_self_loops_and_bad_tie_values():
    # a graph built outside from_edges (or read with diagonal=True) can carry ties of an actor
    # to itself: networkx's degree counts them while the matrices drop the diagonal, so the
    # measures would disagree (in_degree_norm 1.0 and out_degree_norm 2.0 for 'a' below)
    G = nx.DiGraph([("a", "a"), ("a", "b")])
    for measure in (nw.centrality, nw.cohesion, nw.centralization, nw.communities):
        with pytest.raises(DataValidationError, match="tie to themselves") as err:
            measure(G)
        assert _problems(err).loc[0, "row"] == "a"
    # transformations accept them (transpose keeps, symmetrise drops them); k-cores drop them
    assert nx.number_of_selfloops(nw.transpose(G)) == 1
    assert nx.number_of_selfloops(nw.symmetrise(G)) == 0
    assert set(nw.kcores(G)["node"]) == {"a", "b"}
    # tie values that are not numbers >= 0 stop the measures that use them
    W = nx.DiGraph()
    W.add_edge("a", "b", weight="x")
    W.add_edge("b", "c", weight=-2.0)
    W.add_edge("c", "a", weight=float("nan"))
    with pytest.raises(DataValidationError, match="not numbers >= 0") as err:
        nw.cohesion(W)
    assert len(_problems(err)) == 3 and set(_problems(err)["column"]) == {"weight"}
    with pytest.raises(DataValidationError, match="not numbers >= 0"):
        nw.centrality(W)
    nw.cohesion(W, weight=None)  # binary measures do not read the values
    # an empty graph is an error, not a networkx traceback
    with pytest.raises(DataValidationError, match="at least 1"):
        nw.cohesion(nx.DiGraph())


def test_subgraph_with_the_attribute_missing():
    G = nx.DiGraph([("f1", "f2"), ("f2", "u"), ("x", "f1")])
    with pytest.raises(DataValidationError, match="no actor has the attribute 'kind'"):
        nw.subgraph(G, "firm")
    nx.set_node_attributes(G, {"f1": "firm", "f2": "firm", "u": "university"}, "kind")
    with pytest.warns(nw.NetworkWarning, match="1 actor.*no 'kind' and are dropped: x"):
        H = nw.subgraph(G, "firm")
    assert sorted(H.edges()) == [("f1", "f2")]
    with pytest.warns(nw.NetworkWarning, match="are kept"):
        H = nw.subgraph(G, "university", exclude=True)
    assert set(H) == {"f1", "f2", "x"}


def test_two_mode_single_event_and_non_participants():
    # one event: no actor can broker (two-mode maximum 0) -> 0, not a ZeroDivisionError;
    # actor c is listed but attended nothing -> disconnected, scores by hand:
    # a reaches e1 (1) and b (2): (m_r + 2(n_r - 1)) / sum d = (1 + 2) / 3 = 1, times r/(N-1)
    # = 2/3; e1 reaches a, b: (2 + 0) / 2 x 2/3 = 2/3; e1 betweenness 1 (a-b) / max 3
    tm = nw.two_mode(
        pd.DataFrame({"source": ["a", "b"], "target": ["e1", "e1"]}), actors=["a", "b", "c"]
    )
    with pytest.warns(nw.DisconnectedWarning):
        c = tm.centrality().set_index("node")
    assert c["closeness"].tolist() == pytest.approx([2 / 3, 2 / 3, 0, 2 / 3])
    assert c["betweenness"].tolist() == pytest.approx([0, 0, 0, 1 / 3])
    with pytest.raises(DataValidationError, match="at least one actor and one event"):
        nw.two_mode(
            pd.DataFrame({"source": pd.Series([], dtype=str), "target": pd.Series([], dtype=str)}),
            actors=["a"],
        ).centrality()


def test_knowledge_roles_external_ids_and_none():
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "x")])
    with pytest.raises(DataValidationError, match="not actors of the network") as err:
        nw.knowledge_roles(G, external=["x", "zz"])
    assert _problems(err).loc[0, "row"] == "zz"
    r = nw.knowledge_roles(G, external=["x"]).set_index("node")
    assert r.loc["b", "external_ties"] == 1 and "x" not in r.index
    with pytest.warns(nw.NetworkWarning, match="no actor is outside"):
        r = nw.knowledge_roles(G, external=None)
    assert (r["openness"] == 0).all() and "technological_gatekeeper" not in set(r["role"])


def test_core_periphery_constant_network_and_member_values():
    # the correlation with the ideal pattern is undefined when the observed ties do not vary
    # (was fit = -inf with an arbitrary two-actor core)
    for G in (nx.complete_graph(5), nx.empty_graph(5)):
        for method in ("categorical", "continuous"):
            with pytest.raises(DataValidationError, match="fit is undefined"):
                nw.core_periphery(G, method)
    # membership must be yes/no: a third category is not silently read as "member"
    G = nx.path_graph(6)
    nx.set_node_attributes(G, dict(enumerate([0, 1, 2, 0, 1, 1])), "member")
    with pytest.raises(DataValidationError, match="not yes/no") as err:
        nw.member_comparison(G, permutations=99)
    assert _problems(err)["row"].tolist() == ["2"]
    nx.set_node_attributes(
        G, dict(enumerate(["no", "yes", "Member", "non-member", "1", "0"])), "member"
    )
    mc = nw.member_comparison(G, permutations=99, measures=["degree"])
    assert (mc.loc[0, "n_members"], mc.loc[0, "n_non_members"]) == (3, 3)


def test_continuous_core_periphery_breaks_symmetric_start():
    # two equal cliques: from the degree start every actor has the same coreness (a saddle of
    # the least-squares fit, correlation undefined); the best fit puts one clique in the core:
    # c = .5 on one K4 (c_i c_j = .25 ... scaled to unit length) and 0 on the other
    G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(4))
    cp = nw.core_periphery(G, "continuous", seed=1)
    assert np.isfinite(cp.fit)
    top = cp.coreness.sort_values(ascending=False)
    assert set(top.index[:4]) in ({0, 1, 2, 3}, {4, 5, 6, 7})
    np.testing.assert_allclose(top.to_numpy(), [0.5] * 4 + [0] * 4, atol=1e-6)


def test_pajek_tie_values_are_not_vertex_ids(tmp_path):
    # "from to value [drawing attributes]": a value above the number of vertices (5 > 3) was
    # checked as a vertex id and rejected; a negative value was reported as a bad vertex
    f = tmp_path / "valued.net"
    f.write_text('*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Edges\n1 2 5\n2 3 1 c Blue\n')
    (G,) = nw.read_pajek(f).values()
    assert sorted(G.edges(data="weight")) == [("a", "b", 5.0), ("b", "c", 1.0)]
    f.write_text('*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Arcs\n1 2 -2.5\n')
    with pytest.raises(DataValidationError, match="tie value '-2.5'") as err:
        nw.read_pajek(f)
    assert _problems(err).loc[0, "row"] == 6


def test_private_checks_accept_the_old_spelling_and_reject_unknown_choices():
    # check_graph/node_values are internal: "error" (pre-issue-19 code) still means "raise"
    from clusterlab.networks._common import check_graph, node_values

    G = nx.Graph([("a", "a"), ("a", "b")])
    for spelling in ("raise", "error"):
        with pytest.raises(DataValidationError, match="tie to themselves"):
            check_graph(G, loops=spelling)
        with pytest.raises(DataValidationError, match="missing for 2 actor"):
            node_values(G, "kind", missing=spelling)
    assert check_graph(G, loops="allow") is G
    with pytest.raises(ParameterError):
        check_graph(G, loops="ignore")
    with pytest.raises(ParameterError):
        node_values(G, "kind", missing="drop")
