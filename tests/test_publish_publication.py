"""Disclosure control of a whole publication (issue 12): the planted situations of the issue.

Each test plants one awkward cell in tables shaped like the notebooks' results (actors and
firm names from the demo generator) and checks what an intruder can compute from the
published numbers. The intruder's arithmetic is written out here independently of the
package (subtraction, or scipy's linprog over the published equations).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from clusterlab import results
from clusterlab.compare import group_trends
from clusterlab.datasets import load_demo
from clusterlab.errors import DataValidationError, DisclosureError
from clusterlab.publish.contracts import Measure, TableContract, Total, register, unregister
from clusterlab.publish.identifiers import name_variants, scan_artifacts, scan_text, scrub_frame
from clusterlab.publish.publication import Rule, protect_publication
from clusterlab.publish.views import prepare


def _portfolio(start_estab=1, start_emp=152.0):
    rows = []
    for i, c in enumerate(["food_processing", "logistics", "packaging", "metal_work"]):
        rows.append(
            {
                "region": "D07",
                "cluster": c,
                "cluster_name": c.title(),
                "cluster_type": "traded",
                "year": 2021,
                "establishments": 12 + i,
                "employment": 900.0 + 50 * i,
                "lq": 1.1,
                "start_year": 2015,
                "establishments_start": start_estab if i == 0 else 10 + i,
                "employment_start": start_emp if i == 0 else 800.0 + 10 * i,
                "employment_change": (900.0 - start_emp) if i == 0 else 100.0 + 40 * i,
                "growth": 0.05,
            }
        )
    return pd.DataFrame(rows)


def test_start_year_cell_from_one_establishment_is_not_published():
    pub = protect_publication({"cluster_portfolio": _portfolio()})
    t = pub.tables["cluster_portfolio"].table
    row = t[t["cluster"] == "food_processing"].iloc[0]
    # the start-year figures and everything computed from them are hidden ...
    for col in ("employment_start", "employment_change", "growth", "establishments_start"):
        assert pd.isna(row[col]), col
    # ... and no other start-year figure of the region lets them be recomputed by subtraction
    assert t["employment_start"].isna().sum() >= 2
    # the end-year figures of the same row (12 establishments) are published
    assert row["employment"] == 900.0


def _network():
    every = load_demo("nodes")
    nodes = every[every["initiative"] == "valley_foodtech"]
    firms = nodes[nodes["kind"] == "firm"].head(64)
    providers = every[every["kind"] == "service_provider"].head(6)  # planted: 6 providers
    uni = nodes[nodes["kind"] == "university"].head(1)
    assert (len(firms), len(providers), len(uni)) == (64, 6, 1)
    cen = pd.concat([firms, providers, uni])[["node", "node_name", "kind"]].reset_index(drop=True)
    # in-degrees: firms average 2.4375, providers 10, the university 8 (issue 12, item 2)
    firm_in = np.array([3] * 28 + [2] * 36)  # mean 2.4375
    cen["in_degree"] = np.concatenate([firm_in, [10] * 6, [8]])
    cen["out_degree"] = cen["in_degree"][::-1].to_numpy()
    cen["degree"] = cen["in_degree"] + cen["out_degree"]
    n_ties = int(cen["in_degree"].sum())
    assert n_ties == 224
    coh = pd.DataFrame(
        {
            "relation": ["knowledge", "trade"],
            "directed": True,
            "n_nodes": [71, 71],
            "n_firms": [64, 64],
            "n_ties": [n_ties, 150],
            "avg_degree": [n_ties / 71, 150 / 71],
            "density": [n_ties / 71 / 70, 150 / 71 / 70],
        }
    )
    return cen, coh


def test_network_differencing_across_tables():
    cen, coh = _network()
    pub = protect_publication({"network_centrality": cen, "network_cohesion": coh})
    by_kind = pub.tables["network_centrality"].table.set_index("kind")
    assert pd.isna(by_kind.loc["university", "in_degree"])  # 1 actor: primary
    coh_pub = pub.tables["network_cohesion"].table.set_index("relation")
    # the intruder's subtractions (issue 12, item 2), from every relation's row (the node set
    # is shared): a total minus the published kinds leaves the hidden kinds' sum; it reveals
    # the university only when the university is the one hidden kind
    hidden_counts = by_kind["n_units"].isna()
    hidden_means = by_kind["in_degree"].isna()
    for rel, c in coh_pub.iterrows():
        if pd.notna(c["n_nodes"]):
            assert hidden_counts.sum() >= 2, rel
        sums = [
            c["n_ties"],
            c["avg_degree"] * c["n_nodes"],
            c["density"] * c["n_nodes"] * (c["n_nodes"] - 1),
        ]
        if rel == "knowledge" and any(pd.notna(v) for v in sums):
            assert (hidden_means | hidden_counts).sum() >= 2
    # the withheld part is as small as possible: the network's size stays published
    assert coh_pub.loc["trade", "n_ties"] == 150
    assert pub.audit.set_index("table").loc["network_centrality", "secondary"] > 0
    # no identifier column survives
    assert not {"node", "node_name"} & set(pub.tables["network_centrality"].table.columns)


def test_isolated_role_count_not_derivable():
    cen, coh = _network()
    roles = cen[cen["kind"] == "firm"][["node", "node_name", "kind"]].copy()
    roles["role"] = ["absorber"] * 30 + ["source"] * 20 + ["mutual_exchanger"] * 13 + ["isolated"]
    coh = coh.assign(n_isolates=[1, 4])
    pub = protect_publication(
        {"network_roles": roles, "network_cohesion": coh, "network_centrality": cen}
    )
    r = pub.tables["network_roles"].table.set_index("role")
    assert pd.isna(r.loc["isolated", "n_units"])
    c = pub.tables["network_cohesion"].table.set_index("relation").loc["knowledge"]
    # isolates count and firm total minus the published roles would give 1
    assert pd.isna(c["n_isolates"])
    assert pd.isna(c["n_firms"]) or c["n_firms"] - r["n_units"].dropna().sum() != 1


def test_dominant_member_mean_and_sd_withheld():
    panel = load_demo("firm_panel")
    panel = panel[panel["initiative"] == "valley_foodtech"].copy()
    last = panel["period"].max()
    members = panel[(panel["period"] == last) & (panel["member"] == 1)]["firm"].unique()
    # plant: one member holds 93.5 % of the members' employment (issue 12, item 3)
    big = members[0]
    others = panel[(panel["period"] == last) & (panel["member"] == 1) & (panel["firm"] != big)][
        "employment"
    ].sum()
    mask = (panel["period"] == last) & (panel["firm"] == big)
    panel.loc[mask, "employment"] = others * 0.935 / 0.065
    trends = group_trends(
        panel, outcome="employment", group="member", period="period", unit="firm"
    ).assign(outcome="employment")
    share = trends.set_index(["period", "member"]).loc[(last, 1), "top1_share"]
    assert share == pytest.approx(0.935, abs=1e-9)
    pub = protect_publication({"member_trends": trends})
    t = pub.tables["member_trends"].table.set_index(["period", "member"])
    for col in ("mean", "sd", "se", "ci_low", "ci_high"):
        assert pd.isna(t.loc[(last, 1), col]), col
    assert t.loc[(last, 0), "mean"] == pytest.approx(
        trends.set_index(["period", "member"]).loc[(last, 0), "mean"]
    )


def test_overlapping_user_table_cannot_undo_suppression():
    register(
        TableContract(
            "traded_totals_test",
            "establishment",
            keys=("region", "year", "cluster_type"),
            measures=(
                Measure(("establishments",), "establishments", "count"),
                Measure(("employment",), "establishments", "magnitude", no_dominance="test"),
            ),
            totals=(
                Total(
                    ("employment",),
                    over="cluster_portfolio",
                    parts=("employment",),
                    on=("region", "year"),
                    where=(("cluster_type", "traded"),),
                ),
            ),
        ),
        replace=True,
    )
    try:
        port = _portfolio(start_estab=20, start_emp=800.0)
        port.loc[0, "establishments"] = 2  # a 2-establishment cell
        # the single-table rule pairs the 2-establishment cell with the next smallest cell
        # (row 1); that one is "local", so the traded total covers rows 0, 2 and 3 only
        port.loc[1, "cluster_type"] = "local"
        traded = port["cluster_type"] == "traded"
        other = pd.DataFrame(
            {
                "region": ["D07"],
                "year": [2021],
                "cluster_type": ["traded"],
                "establishments": [int(port.loc[traded, "establishments"].sum())],
                "employment": [float(port.loc[traded, "employment"].sum())],
            }
        )
        alone = protect_publication({"cluster_portfolio": port}).tables["cluster_portfolio"]
        assert alone.table["employment"].isna().tolist() == [True, True, False, False]
        pub = protect_publication({"cluster_portfolio": port, "traded_totals_test": other})
        t = pub.tables["cluster_portfolio"].table
        o = pub.tables["traded_totals_test"].table
        assert pd.isna(t.loc[0, "employment"])
        # intruder: traded total minus the published traded cells (rows 2 and 3)
        known = t.loc[[2, 3], "employment"]
        recovered = o.loc[0, "employment"] - known.sum()
        assert pd.isna(recovered) or abs(recovered - 900.0) > 0.1 * 900.0
    finally:
        unregister("traded_totals_test")


def test_rater_order_statistics_withheld_below_five():
    rows = []
    for i, n in enumerate([3, 4, 5, 8]):
        rows.append(
            {
                "initiative": "valley_foodtech",
                "round": 1,
                "level": "question",
                "item": f"1.{i}",
                "score": 3.0,
                "mean": 3.0,
                "median": 3.0,
                "min": 1.0,
                "max": 5.0,
                "sd": 1.2,
                "n_raters": n,
                "ci_low": 2.0,
                "ci_high": 4.0,
            }
        )
    pub = protect_publication({"cimbt_questions": pd.DataFrame(rows)})
    t = pub.tables["cimbt_questions"].table
    for col in ("median", "min", "max", "sd", "ci_low", "ci_high"):
        assert t[col].isna().tolist() == [True, True, False, False], col
    assert t["mean"].notna().all()  # means stay under the count rule (3 raters)


def test_rule_parameters():
    rows = pd.DataFrame(
        {
            "initiative": "x",
            "round": 1,
            "item": ["a", "b"],
            "mean": 3.0,
            "sd": 1.0,
            "n_raters": [5, 9],
        }
    )
    pub = protect_publication({"cimbt_questions": rows}, rule=Rule(min_dispersion=6))
    assert pub.tables["cimbt_questions"].table["sd"].isna().tolist() == [True, False]
    with pytest.raises(Exception, match="dominance"):
        Rule(dominance=(0, 0.85))


def test_identifier_variants_are_found_and_scrubbed(tmp_path):
    firms = load_demo("firms")
    name = next(n for n in firms["firm_name"] if len(n.split()) >= 3)
    short = " ".join(name.split()[:2])
    assert scan_text(f"partner {name.upper()}", [name]) == [name]
    assert scan_text(f"as {short.lower()} said", [name]) == [name]
    assert short.casefold() in name_variants(name)
    df = pd.DataFrame({"note": [f"led by {name.upper()}", "nothing"]})
    assert scrub_frame(df, [name])["note"].tolist() == ["[withheld]", "nothing"]
    (tmp_path / "page.html").write_text(f"<td>{short.upper()}</td>")
    (tmp_path / "ok.csv").write_text("a,b\n1,2\n")
    hits = scan_artifacts([tmp_path], [name])
    assert hits["file"].str.endswith("page.html").tolist() == [True]


def test_identifier_columns_outside_any_list_are_not_published():
    cen, coh = _network()
    cen = cen.rename(columns={"node_name": "entity"})
    pub = protect_publication({"network_centrality": cen})
    assert "entity" not in pub.tables["network_centrality"].table.columns


def test_unregistered_tables_save_but_never_publish(tmp_path):
    df = pd.DataFrame({"firm_id": ["007"], "n_firms": [50], "value": [1.0]})
    results.save(df, "my_new_table", output_dir=tmp_path)
    with pytest.raises(DisclosureError, match="no results contract"):
        prepare("my_new_table", df)
    pub = protect_publication({"my_new_table": df})
    assert "my_new_table" in pub.withheld and not pub.tables


def test_save_checks_the_contract(tmp_path):
    bad = pd.DataFrame({"period": [1], "member": [1], "outcome": ["e"], "mean": [2.0]})
    with pytest.raises(DataValidationError) as err:
        results.save(bad, "member_trends", output_dir=tmp_path)
    assert "n_firms" in set(err.value.problems["column"])
    assert list(err.value.problems.columns) == ["file", "row", "column", "expected", "found"]


def test_contract_problems_table_rows_and_columns():
    bad = pd.DataFrame(
        {
            "period": [1, 2],
            "member": [1, 1],
            "outcome": ["e", "e"],
            "mean": [2.0, 3.0],
            "n_firms": [5, -1],
        }
    )
    from clusterlab.publish.contracts import check_table, get_contract

    with pytest.raises(DataValidationError) as err:
        check_table(bad, get_contract("member_trends"))
    problems = err.value.problems
    assert list(problems.columns) == ["file", "row", "column", "expected", "found"]
    row = problems[problems["column"] == "n_firms"].iloc[0]
    assert row["row"] == 1 and row["expected"] == "a count >= 0"


def _attacker_interval(a_eq, b_eq, j, n):
    """Independent LP attacker: min and max of variable j, x >= 0."""
    if len(a_eq) == 0:
        return 0.0, np.inf
    c = np.zeros(n)
    c[j] = 1
    lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * n).fun
    hi = -linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * n).fun
    return lo, hi


@pytest.mark.parametrize("seed", range(6))
def test_random_publications_resist_an_lp_attacker(seed):
    """A portfolio (4 clusters x 3 regions) and a table of regional totals published together:
    the attacker knows every published cell and every regional total; no primary cell may be
    pinned within 10 %."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in ("D1", "D2", "D3"):
        for c in ("a", "b", "c", "d"):
            n = int(rng.choice([1, 2, 5, 9, 20]))
            rows.append(
                {
                    "region": r,
                    "cluster": c,
                    "year": 2021,
                    "establishments": n,
                    "employment": float(n * rng.integers(10, 80)),
                    "establishments_start": 30,
                    "employment_start": 900.0,
                }
            )
    port = pd.DataFrame(rows)
    pub = protect_publication({"cluster_portfolio": port})
    t = pub.tables["cluster_portfolio"].table
    primary = port["establishments"].between(1, 2).to_numpy()
    hidden = t["employment"].isna().to_numpy()
    assert hidden[primary].all()
    idx = np.flatnonzero(hidden)
    n = len(idx)
    a, b = [], []
    # regional totals (lines over clusters) and national totals per cluster
    for _, grp in [*port.groupby("region"), *port.groupby("cluster")]:
        row = np.zeros(n)
        known = 0.0
        for i in grp.index:
            if hidden[i]:
                row[list(idx).index(i)] = 1
            else:
                known += t.loc[i, "employment"]
        a.append(row)
        b.append(grp["employment"].sum() - known)
    # a line whose cells are all hidden is declared unpublishable (rule["withheld_totals"]):
    # the attacker does not get it
    full = [grp.index for _, grp in port.groupby("region")] + [
        grp.index for _, grp in port.groupby("cluster")
    ]
    for pos, i in enumerate(idx):
        if not primary[i]:
            continue
        keep = [k for k, row in enumerate(a) if row.any() and not hidden[full[k]].all()]
        lo, hi = _attacker_interval(
            np.array([a[k] for k in keep]), np.array([b[k] for k in keep]), pos, n
        )
        v = port.loc[i, "employment"]
        assert lo <= 0.9 * v + 1e-6 and hi >= 1.1 * v - 1e-6, (i, v, lo, hi)


def test_publish_audit_is_written_next_to_the_site(tmp_path, capsys):
    from clusterlab.cli import main
    from clusterlab.publish.example import write_example_results

    root = write_example_results(tmp_path / "outputs", clusters=["valley_foodtech"])
    site = tmp_path / "site"
    assert main(["publish", "--output", str(site), "--results", str(root), "--audit"]) == 0
    audit = tmp_path / "site-disclosure-audit.csv"
    assert audit.is_file() and (site / "index.html").is_file()
    assert audit.read_text().startswith("# INTERNAL")
    table = pd.read_csv(audit, comment="#")
    row = table.set_index("table").loc["network_centrality"]
    assert row["threshold"] > 0 and row["published"] > 0
    assert "withheld" in table.columns
    # nothing of the audit inside the site
    for f in site.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".csv"):
            assert "min_protection" not in f.read_text(errors="replace")
    from clusterlab.errors import ParameterError
    from clusterlab.publish import export_site

    with pytest.raises(ParameterError, match="inside the site"):
        export_site(site, results_root=root, audit=site / "audit.csv")


def test_site_fails_closed_when_a_page_names_a_contributor(tmp_path):
    from clusterlab.publish import export_site
    from clusterlab.publish.example import write_example_results

    root = write_example_results(
        tmp_path / "outputs", clusters=["valley_foodtech", "northport_maritime"]
    )
    nodes = load_demo("nodes")
    firm = nodes[(nodes["initiative"] == "valley_foodtech") & (nodes["kind"] == "firm")]
    name = firm["node_name"].iloc[0]
    # another cluster's scorecard label names it, upper-cased (its own publication cannot
    # know the name: only the final scan of the whole site can)
    card = results.load("scorecard_status", output_dir=root / "example" / "northport_maritime")
    card["indicator_name"] = f"Orders from {name.upper()}"
    results.save(card, "scorecard_status", output_dir=root / "example" / "northport_maritime")
    site = tmp_path / "site"
    with pytest.raises(DisclosureError, match="non-consenting"):
        export_site(site, results_root=root)
    assert not site.exists() or not any(site.iterdir())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # no temp left


def test_reports_under_outputs_say_internal_on_their_first_line(tmp_path):
    import nbformat

    from clusterlab.runner.job import export_html

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A report")]
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    export_html(path, tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text()
    body = text[text.index("<body") :]
    first = body[body.index(">") + 1 :].lstrip()
    assert first.startswith('<p class="cl-internal"') and "not disclosure-controlled" in first[:300]


def test_unmodified_demo_network_publication(tmp_path):
    """The demo network as notebook 02 computes it (latest wave; with the second wave of the
    demo world, northport_maritime is the cluster with one isolated firm, as valley_foodtech
    was in the one-wave demo of the issue): the isolated role (1 firm) is derivable
    neither from the isolate count nor from the firm total minus the published roles, and no
    kind hidden by the threshold is pinned by the network's totals."""
    import warnings

    from clusterlab import networks as nw

    nodes = load_demo("nodes")
    edges = load_demo("edges")
    nodes = nodes[nodes["initiative"] == "northport_maritime"]
    edges = edges[edges["initiative"] == "northport_maritime"]
    if "wave" in edges and edges["wave"].notna().any():
        edges = edges[edges["wave"] == edges["wave"].max()]
    rels = nw.relations(edges, nodes)
    respondents = nw.respondent_set(rels["knowledge"], "auto")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nw.MissingRespondentWarning)  # as notebook 02 reports
        rels = {r: nw.missing_respondents(g, respondents, method="keep") for r, g in rels.items()}
    g = rels["knowledge"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cohesion = nw.cohesion(rels)
        centrality = nw.with_attributes(nw.centrality(g), g)
        roles = nw.with_attributes(
            nw.knowledge_roles(
                g,
                focal=("kind", "firm"),
                in_threshold="mean",
                out_threshold="mean",
                openness_threshold="mean",
            ),
            g,
        )
    assert (roles["role"] == "isolated").sum() == 1  # the situation of the issue
    pub = protect_publication(
        {
            "network_cohesion": cohesion,
            "network_centrality": centrality.assign(relation="knowledge"),
            "network_roles": roles.assign(relation="knowledge"),
        }
    )
    r = pub.tables["network_roles"].table.set_index("role")
    c = pub.tables["network_cohesion"].table.set_index("relation").loc["knowledge"]
    assert pd.isna(r.loc["isolated", "n_units"])
    # the isolate count bounds the isolated firms from above (isolates >= isolated firms)
    assert pd.isna(c["n_isolates"]) or c["n_isolates"] >= 2
    published_roles = r["n_units"].dropna().sum()
    assert (
        pd.isna(c["n_firms"])
        or c["n_firms"] - published_roles >= 2
        or r["n_units"].isna().sum() >= 2
    )
    # every kind hidden by the threshold: its count and its in-degree total stay uncertain
    by_kind = pub.tables["network_centrality"].table.set_index("kind")
    true = centrality.groupby("kind").agg(n=("node", "size"), deg=("in_degree", "sum"))
    hidden = by_kind.index[by_kind["n_units"].isna()]
    if pd.notna(c["n_nodes"]):
        rest = c["n_nodes"] - by_kind["n_units"].sum()
        assert len(hidden) >= 2 and rest == true.loc[hidden, "n"].sum()
    if pd.notna(c["n_ties"]):
        published = (by_kind["n_units"] * by_kind["in_degree"]).sum()
        for k in hidden:
            if true.loc[k, "n"] < 3 and true.loc[k, "deg"] > 0:
                # the intruder's best bound: everything not published, at most
                assert c["n_ties"] - published >= 1.1 * true.loc[k, "deg"]


def test_user_contracts_load_in_every_process(tmp_path, monkeypatch):
    import subprocess
    import sys

    path = tmp_path / "my_contracts.py"
    path.write_text(
        "from clusterlab.publish.contracts import Measure, TableContract, register\n"
        "register(TableContract('training_days', 'firm', keys=('period',), measures=(\n"
        "    Measure(('n_firms',), 'n_firms', 'count'),\n"
        "    Measure(('mean_days',), 'n_firms', 'mean', dominance='top1_share'))),\n"
        "    replace=True)\n"
    )
    code = (
        "import pandas as pd\n"
        "from clusterlab.publish.views import prepare\n"
        "t = pd.DataFrame({'period': [1, 2], 'n_firms': [2, 9], 'mean_days': [3.0, 4.0],\n"
        "                  'top1_share': [0.5, 0.9], 'firm_list': ['a, b', 'c']})\n"
        "p, _ = prepare('training_days', t)\n"
        "print(p.table.to_dict('list'))\n"
    )
    env = {**__import__("os").environ, "CLUSTERLAB_CONTRACTS": str(path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    # 2 firms: hidden (threshold); 9 firms but 90 % one firm: mean hidden (dominance);
    # the undeclared column is not published
    assert "'mean_days': [nan, nan]" in out and "firm_list" not in out
    env["CLUSTERLAB_CONTRACTS"] = str(tmp_path / "missing.py")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode != 0 and "cannot load contracts" in done.stderr


def test_public_kernel_manager_caps_kernels():
    import asyncio
    import concurrent.futures

    from tornado.web import HTTPError

    from clusterlab import dashboards

    km = dashboards.PublicKernelManager(max_kernels=2)
    km.list_kernels = lambda: [{}, {}]
    # in a thread of its own: an earlier test may leave an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool, pytest.raises(HTTPError) as err:
        pool.submit(asyncio.run, km.start_kernel()).result()
    assert err.value.status_code == 503
    argv = dashboards.voila_argv(port=8899, open_browser=False, max_kernels=5)
    assert "--PublicKernelManager.max_kernels=5" in argv
    assert "--MappingKernelManager.cull_connected=True" in argv
    assert f"--MappingKernelManager.cull_idle_timeout={dashboards.CULL_IDLE_TIMEOUT}" in argv
    # the issue: "today every page view keeps a ~340 MB kernel for 10 minutes"
    assert dashboards.CULL_IDLE_TIMEOUT <= 120
    with pytest.raises(Exception, match="max_kernels"):
        dashboards.voila_argv(port=8899, max_kernels=1)


def test_public_cull_starts_a_kernels_idle_time_when_it_leaves_the_pool():
    """A preheated kernel prerendered long ago is not culled the moment a visitor gets it;
    after that it is culled like any idle kernel (also with the tab open)."""
    import asyncio
    import concurrent.futures
    from datetime import timedelta
    from types import SimpleNamespace

    from jupyter_server._tz import utcnow

    from clusterlab import dashboards

    km = dashboards.PublicKernelManager()
    km.cull_idle_timeout = dashboards.CULL_IDLE_TIMEOUT
    km.cull_connected = True
    long_ago = utcnow() - timedelta(seconds=10 * dashboards.CULL_IDLE_TIMEOUT)
    kernel = SimpleNamespace(
        execution_state="idle",
        kernel_name="python3",
        kernel_spec=SimpleNamespace(metadata={}),
        last_activity=long_ago,
    )
    km._kernels["k1"] = kernel
    culled = []

    async def shutdown(kernel_id, *args, **kwargs):
        culled.append(kernel_id)

    km.shutdown_kernel = shutdown

    def check():
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, km.cull_kernel_if_idle("k1")).result()

    check()  # first time outside the pool: just handed to a visitor
    assert culled == [] and kernel.last_activity > long_ago
    check()  # the visitor is active: not idle yet
    assert culled == []
    kernel.last_activity = long_ago  # the visitor went away
    check()
    assert culled == ["k1"]
