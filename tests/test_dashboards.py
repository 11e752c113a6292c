"""Dashboards and static site without a browser: launcher settings, widgets, pages, notebooks.

The browser tests (tests/browser) drive the same pieces through Voila and Chromium.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from clusterlab import dashboards
from clusterlab.errors import ParameterError
from clusterlab.publish import export_site
from clusterlab.publish.example import write_example_results
from clusterlab.publish.sources import load_results
from clusterlab.publish.views import NOT_AVAILABLE, cluster_sections, prepare

OMIT = {"eastshire_medtech": ["member_effects", "network_centrality"]}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_example_results(tmp_path_factory.mktemp("res") / "outputs", omit=OMIT)


@pytest.fixture(scope="module")
def firm_names():
    from clusterlab.datasets import load_demo

    nodes = load_demo("nodes")
    firms = load_demo("firms")
    return sorted(set(firms["firm_name"]) | set(nodes.loc[nodes["kind"] == "firm", "node_name"]))


def leaked(text, names):
    return [n for n in names if n in text]


# ------------------------------------------------------------------------------ launcher
def test_voila_argv_is_locked_down():
    argv = dashboards.voila_argv(port=8899, open_browser=False)
    assert Path(argv[0]) == dashboards.dashboard_dir()
    for flag in (
        "--Voila.ip=127.0.0.1",
        "--show_tracebacks=False",
        "--preheat_kernel=True",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--no-browser",
        "--port=8899",
    ):
        assert flag in argv
    # the template is ours (lab without CDN links); nothing else about it can change
    assert [a for a in argv if "template=" in a] == ["--template=clusterlab"]
    assert not any("theme=" in a for a in argv)
    assert (
        dashboards.TEMPLATE_ROOT / "voila" / "templates" / "clusterlab" / "index.html.j2"
    ).is_file()
    assert "--no-browser" not in dashboards.voila_argv(port=8899, open_browser=True)
    for bad in (0, 70000, "8866", True):
        with pytest.raises(ParameterError):
            dashboards.voila_argv(port=bad)


def test_served_folder_holds_only_the_dashboards():
    files = sorted(
        p.name for p in dashboards.dashboard_dir().iterdir() if not p.name.startswith(".")
    )
    assert files == ["benchmark.ipynb", "cluster.ipynb", "index.ipynb"]


def test_serve_passes_mode_and_root_through_the_environment(monkeypatch, tmp_path):
    import voila.app

    seen = {}

    def fake_launch(argv=None, **kw):
        seen["argv"] = argv
        seen["env"] = {
            k: os.environ.get(k) for k in (dashboards.ENV_ANALYST, dashboards.ENV_RESULTS_ROOT)
        }

    monkeypatch.setattr(
        voila.app.Voila,
        "launch_instance",
        classmethod(lambda cls, argv=None, **kw: fake_launch(argv)),
    )
    monkeypatch.delenv(dashboards.ENV_ANALYST, raising=False)  # restored after the test
    monkeypatch.delenv(dashboards.ENV_RESULTS_ROOT, raising=False)
    monkeypatch.chdir(tmp_path)
    assert dashboards.serve(port=8901, open_browser=False, analyst=True, results_root="outs") == 0
    assert seen["env"] == {
        dashboards.ENV_ANALYST: "1",
        dashboards.ENV_RESULTS_ROOT: str((tmp_path / "outs").resolve()),
    }
    assert "--port=8901" in seen["argv"] and "--no-browser" in seen["argv"]
    assert dashboards.analyst_mode() is True
    assert dashboards.results_root() == (tmp_path / "outs").resolve()
    dashboards.serve(port=8901, open_browser=False)
    assert dashboards.analyst_mode() is False


# ------------------------------------------------------------------------------ widgets
def test_cluster_dashboard_public(root, firm_names):
    box = dashboards.cluster_dashboard(root, analyst=False, prerender=False)
    dd, page = box.dropdown, box.page
    assert [v for _, v in dd.options] == [
        "eastshire_medtech",
        "northport_maritime",
        "valley_foodtech",
    ]
    assert 'data-cluster="eastshire_medtech"' in page.value
    assert page.value.count(NOT_AVAILABLE) == 1  # member effects; network shows cohesion only
    dd.value = "northport_maritime"
    assert 'data-cluster="northport_maritime"' in page.value
    assert NOT_AVAILABLE not in page.value
    assert page.value.count("<svg") >= 5
    assert not leaked(page.value, firm_names)
    assert "ANALYST MODE" not in page.value
    header = box.children[0].value
    assert "Disclosure control" in header


def test_cluster_dashboard_analyst(root, firm_names, monkeypatch):
    monkeypatch.setenv(dashboards.ENV_ANALYST, "1")
    monkeypatch.setenv(dashboards.ENV_RESULTS_ROOT, str(root))
    box = dashboards.cluster_dashboard(prerender=False)  # mode and root from the environment
    box.dropdown.value = "valley_foodtech"
    assert "ANALYST MODE" in box.children[0].value
    assert leaked(box.page.value, firm_names)  # unprotected on purpose


def test_benchmark_dashboard(root, firm_names):
    box = dashboards.benchmark_dashboard(root, analyst=False)
    html = box.page.value
    for title in (
        "CIMBT components",
        "Insight vs execution",
        "Big-five platform status",
        "Member effects",
    ):
        assert title in html
    assert html.count("<svg") == 3 and not leaked(html, firm_names)


def test_no_results(tmp_path):
    box = dashboards.cluster_dashboard(tmp_path / "nothing", analyst=False)
    assert "No results found" in box.page.value and box.dropdown is None
    assert "No results found" in dashboards.benchmark_dashboard(tmp_path).page.value
    assert "No results found" in dashboards.landing_page(tmp_path).page.value


def test_cluster_page_headline_cards(root):
    box = dashboards.cluster_dashboard(root, analyst=False, prerender=False)
    box.dropdown.value = "northport_maritime"
    page = box.page.value
    # the example data put Maritime in Northport (D01) at LQ 3.1 with 40 establishments
    assert '<p class="cl-big">3.10</p>' in page
    assert "Maritime in Northport, 2021: strongly specialised" in page
    assert "Members&#x27; employment grew by" in page
    assert page.count('data-card="') == 5 and "D01" not in page.split("<svg")[0]


def test_landing_page_widget(root, firm_names):
    html = dashboards.landing_page(root, analyst=False).page.value
    for name in (
        "Eastshire MedTech Alliance",
        "Northport Maritime Cluster",
        "Valley Food Technology Network",
    ):
        assert f">{name}</a>" in html
    assert 'href="cluster.ipynb?cluster=valley_foodtech"' in html
    assert 'href="benchmark.ipynb"' in html and "Last successful run: 2026-11-2" in html
    assert not leaked(html, firm_names)


def test_cluster_page_opens_the_cluster_of_the_address(root, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "cluster=valley_foodtech")
    box = dashboards.cluster_dashboard(root, analyst=False, prerender=False)
    assert box.dropdown.value == "valley_foodtech"
    assert 'data-cluster="valley_foodtech"' in box.page.value
    monkeypatch.setenv("QUERY_STRING", "cluster=../../etc")  # unknown: the first cluster
    assert dashboards.cluster_dashboard(root, prerender=False).dropdown.value == "eastshire_medtech"


# ------------------------------------------------------------------------------ views
def test_public_node_tables_are_aggregated(root):
    tables = load_results(root)
    raw = tables["network_centrality"]
    p, _ = prepare("network_centrality", raw[raw["run_cluster"] == "valley_foodtech"])
    out = p.table.set_index("kind")
    assert "node_name" not in out.columns and "node" not in out.columns
    # 64 firms → published mean; one agency → suppressed (threshold); the group size of a
    # node-level table aggregated by kind is n_units (actors, not only firms)
    assert out.loc["firm", "n_units"] == 64 and not out.loc["firm", "suppressed"]
    assert out.loc["agency", "suppressed"] and pd.isna(out.loc["agency", "degree"])
    firms = raw[(raw["run_cluster"] == "valley_foodtech") & (raw["kind"] == "firm")]
    assert out.loc["firm", "degree"] == pytest.approx(firms["degree"].mean())


def test_top_clusters_follow_the_portfolio_pattern(root):
    tables = load_results(root)
    ctx = {k: v[v["run_cluster"] == "northport_maritime"] for k, v in tables.items()}
    port, _ = prepare("cluster_portfolio", ctx["cluster_portfolio"], context=ctx)
    top, _ = prepare("top_clusters", ctx["top_clusters"], context=ctx)
    keys = ["cluster", "year"]  # the top list has no region: hidden if hidden in any region
    hidden = port.table.loc[port.table["suppressed"], keys].drop_duplicates()
    merged = top.table.merge(hidden, on=keys, how="inner")
    assert len(merged) and merged["suppressed"].all()  # no hidden cell is undone by the list


def test_missing_count_column_is_withheld_in_public_mode():
    t = pd.DataFrame(
        {
            "run_id": "r",
            "run_cluster": "c",
            "region": ["a"],
            "cluster": ["x"],
            "year": [2021],
            "lq": [1.2],
        }
    )
    p, why = prepare("cluster_portfolio", t)
    assert p is None and "results contract" in why and "establishments" in why
    p, why = prepare("cluster_portfolio", t, analyst=True)
    assert p is not None and p.analyst


def test_cluster_sections_robust_to_missing_tables():
    sections = cluster_sections({}, "nowhere")
    assert [s.key for s in sections] == [
        "overview",
        "map",
        "mapping",
        "network",
        "cimbt",
        "bigfive",
        "members",
        "scorecard",
    ]
    # the overview always has its cards; each card then says what is missing
    assert [s.available for s in sections] == [True] + [False] * 7
    assert all(NOT_AVAILABLE in s.html for s in sections[1:])
    assert sections[0].html.count('class="cl-card cl-card-missing"') == 5


# ------------------------------------------------------------------------------ static site
def test_static_site_public(root, tmp_path, firm_names):
    index = export_site(tmp_path / "site", results_root=root)
    pages = sorted(index.parent.glob("*.html"))
    assert [p.name for p in pages] == [
        "benchmark.html",
        "cluster-eastshire_medtech.html",
        "cluster-northport_maritime.html",
        "cluster-valley_foodtech.html",
        "help.html",
        "index.html",
    ]
    for page in pages:
        text = page.read_text()
        assert "<script" not in text
        assert not re.search(r"""(src|href)=["']https?://""", text), page.name
        assert not leaked(text, firm_names), page.name
        assert "ANALYST MODE" not in text
    csv = pd.read_csv(index.parent / "data" / "northport_maritime" / "cimbt_components.csv")
    # a header row of labels; the 'funding' component had 2 raters in the example data:
    # suppressed in the download
    row = csv.set_index("Component").loc["funding"]
    assert row["Suppressed"] and pd.isna(row["Average score (1–5)"])
    book = pd.read_excel(
        index.parent / "data" / "northport_maritime" / "northport_maritime.xlsx", sheet_name=None
    )
    assert "README" in book and "member_effects" in book and "Notes" in book
    notes = book["Notes"].set_index(["sheet", "column"])
    assert notes.loc[("member_effects", "ci_low"), "label"] == "95 % interval from"
    assert "Difference members − non-members (outcome units)" in book["member_effects"].columns
    assert NOT_AVAILABLE in (index.parent / "cluster-eastshire_medtech.html").read_text()


def test_static_site_analyst_mode_is_marked_everywhere(root, tmp_path):
    index = export_site(tmp_path / "site", results_root=root, analyst=True)
    for page in index.parent.glob("*.html"):
        assert "ANALYST MODE" in page.read_text(), page.name


# ------------------------------------------------------------------------------ notebooks
@pytest.mark.parametrize("name", ["cluster.ipynb", "benchmark.ipynb", "index.ipynb"])
def test_dashboard_notebooks_are_clean(name):
    nb = nbformat.read(dashboards.dashboard_dir() / name, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert all("clusterlab.dashboards" in c.source for c in code)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cluster.ipynb", "index.ipynb"])
def test_dashboard_notebook_executes(root, monkeypatch, firm_names, name):
    from nbclient import NotebookClient

    monkeypatch.setenv(dashboards.ENV_RESULTS_ROOT, str(root))
    monkeypatch.setenv(dashboards.ENV_ANALYST, "0")
    nb = nbformat.read(dashboards.dashboard_dir() / name, as_version=4)
    NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(dashboards.dashboard_dir())}},
    ).execute()
    out = json.dumps(nb.cells[-1].outputs)
    assert "application/vnd.jupyter.widget-view+json" in out
    state = json.dumps(nb.metadata.get("widgets", {}))
    assert "eastshire_medtech" in state and not leaked(state, firm_names)


def test_scorecard_target_is_not_an_identifier():
    t = pd.DataFrame(
        {
            "run_id": "r",
            "run_cluster": "c",
            "indicator": ["export_share"],
            "perspective": ["business"],
            "period": [2021],
            "value": [40.0],
            "target": [50.0],
            "source": ["company"],
            "status": ["at_risk"],
            "n_reporting": [12],
        }
    )
    p, _ = prepare("scorecard_status", t)
    assert p.table.loc[0, "target"] == 50.0 and p.table.loc[0, "source"] == "company"


def test_insight_execution_from_area_names_when_no_dedicated_table():
    from clusterlab.publish.views import benchmark_sections

    rows = []
    for init, (ins, exe) in {"a_init": (3.9, 3.1), "b_init": (3.2, 2.6)}.items():
        for area, name, mean in (
            ("A1", "Insight & Strategy", ins),
            ("A3", "Ability to Execute & Achieve Impact", exe),
        ):
            rows.append(
                {
                    "run_id": "r",
                    "run_cluster": init,
                    "initiative": init,
                    "round": 1,
                    "area": area,
                    "name": name,
                    "mean": mean,
                    "n_raters": 6,
                }
            )
    sections = {s.key: s for s in benchmark_sections({"cimbt_areas": pd.DataFrame(rows)})}
    assert sections["scatter"].available and "<svg" in sections["scatter"].html
    # initiatives by name, never by their id (no slug on a page): "a_init" -> "A Init"
    assert "A Init" in sections["scatter"].html and "a_init" not in sections["scatter"].html


def test_both_voila_tree_pages_lead_to_the_landing_page():
    """Voila renders tree-lab.html (default) or tree.html (classic_tree): both are our page,
    which leads to the landing page and loads nothing from anywhere."""
    import jinja2

    from clusterlab.dashboards import __file__ as here

    folder = Path(here).parent / "share" / "jupyter" / "voila" / "templates" / "clusterlab"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)))
    pages = [
        env.get_template(name).render(page_config={"base_url": "/base/"})
        for name in ("tree-lab.html", "tree.html")
    ]
    assert pages[0] == pages[1]
    assert 'url=/base/voila/render/index.ipynb"' in pages[0]
    assert "<script" not in pages[0] and not re.search(r"(https?:)?//", pages[0])


# ------------------------------------------------------- request info of preheated kernels
class _Conn:
    """A stand-in for a kernel's ``/voila/query`` connection."""

    def __init__(self, *, closed=False):
        self.closed, self.sent = closed, []

    def write_message(self, payload):
        if self.closed:
            raise OSError("connection closed")  # tornado raises WebSocketClosedError
        self.sent.append(payload)


def test_request_info_survives_a_dropped_connection(monkeypatch):
    """A request written to a connection that is already closing reaches the kernel when it
    reconnects (Voila alone loses it: the page then shows the first cluster, not the link's)."""
    from voila.request_info_handler import RequestInfoSocketHandler as Handler

    dashboards._deliver_request_info_reliably()
    dashboards._deliver_request_info_reliably()  # twice is harmless
    monkeypatch.setattr(Handler, "_waiters", {})
    monkeypatch.setattr(Handler, "_cache", {})
    stale = _Conn(closed=True)
    Handler._waiters["k1"] = stale
    Handler.send_updates({"kernel_id": "k1", "payload": {"QUERY_STRING": "cluster=b"}})
    assert stale.sent == []
    # the kernel reconnects: Voila's open() sends what is kept for it
    fresh = _Conn()
    handler = Handler.__new__(Handler)
    handler.write_message = fresh.write_message
    Handler.open(handler, "k1")
    assert fresh.sent == [{"QUERY_STRING": "cluster=b"}]
    # the old connection closes after the kernel reconnected: only it is removed
    Handler._waiters["k2"] = other = _Conn()
    Handler.on_close(stale)
    assert Handler._waiters == {"k1": handler, "k2": other}
    Handler.on_close(handler)
    assert Handler._waiters == {"k2": other}


def test_request_info_cache_is_bounded(monkeypatch):
    from voila.request_info_handler import RequestInfoSocketHandler as Handler

    dashboards._deliver_request_info_reliably()
    monkeypatch.setattr(Handler, "_waiters", {})
    monkeypatch.setattr(Handler, "_cache", {})
    monkeypatch.setattr(dashboards, "_REQUEST_CACHE_SIZE", 3)
    for i in range(5):
        Handler.send_updates({"kernel_id": f"k{i}", "payload": {"i": i}})
    assert list(Handler._cache) == ["k2", "k3", "k4"]


def test_request_info_reconnects_after_a_silent_connection(monkeypatch):
    """The kernel's side gives up on a connection that stays silent and reconnects: the
    first connection is accepted and never answered, the second gets the request."""
    import asyncio
    import threading

    import websockets.asyncio.server

    connections = []
    ready = threading.Event()
    state = {}

    async def handle(ws):
        connections.append(ws.request.path)
        if len(connections) == 1:
            await asyncio.sleep(30)  # silent, never closes by itself within the test
        else:
            await ws.send(json.dumps({"QUERY_STRING": "cluster=valley_foodtech"}))

    async def main():
        async with websockets.asyncio.server.serve(handle, "127.0.0.1", 0) as server:
            state["port"] = server.sockets[0].getsockname()[1]
            state["stop"] = asyncio.get_running_loop().create_future()
            state["loop"] = asyncio.get_running_loop()
            ready.set()
            await state["stop"]

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(10)
    monkeypatch.setenv("VOILA_APP_PORT", str(state["port"]))
    monkeypatch.setenv("VOILA_KERNEL_ID", "abc")
    for key in ("VOILA_WS_BASE_URL", "VOILA_SERVER_URL", "VOILA_WS_PROTOCOL", "VOILA_APP_IP"):
        monkeypatch.delenv(key, raising=False)
    result = {}
    worker = threading.Thread(
        target=lambda: result.update(dashboards._request_info(retry=0.05, quiet=0.5)),
        daemon=True,
    )
    worker.start()
    worker.join(15)
    state["loop"].call_soon_threadsafe(state["stop"].set_result, None)
    assert not worker.is_alive(), "the kernel kept waiting on a silent connection"
    assert result == {"QUERY_STRING": "cluster=valley_foodtech"}
    assert connections == ["/voila/query/abc", "/voila/query/abc"]


def test_sections_without_a_plottable_column_say_so_instead_of_failing():
    """mean/score are optional in the cimbt_components contract and an analyst-mode table is
    not checked against its contract: a table without the columns a chart needs gives a
    section saying so (it raised DataValidationError from the chart before)."""
    from clusterlab.publish.views import benchmark_sections

    rows = [
        {
            "run_id": "r",
            "run_cluster": init,
            "initiative": init,
            "round": 1,
            "component": comp,
            "n_raters": 6,
        }
        for init in ("a_init", "b_init")
        for comp in ("C1", "C2")
    ]
    components = pd.DataFrame(rows)
    for analyst in (False, True):
        page = {
            s.key: s
            for s in cluster_sections({"cimbt_components": components}, "a_init", analyst=analyst)
        }
        assert not page["cimbt"].available and "no component or score" in page["cimbt"].html
        bench = {
            s.key: s for s in benchmark_sections({"cimbt_components": components}, analyst=analyst)
        }
        assert not bench["heatmap"].available and "no component or score" in bench["heatmap"].html
    effects = pd.DataFrame(
        {
            "run_id": "r",
            "run_cluster": "a_init",
            "outcome": ["growth"],
            "estimate": [0.1],
            "n_firms": [40],
        }
    )
    page = {s.key: s for s in cluster_sections({"member_effects": effects}, "a_init", analyst=True)}
    assert not page["members"].available and "no method or term" in page["members"].html
