"""Reading results through the manifests (issue #14): only successful executions reach
``results.collect``/``connect``, the dashboards and the static site; a cluster whose latest run
failed or was killed shows its last successful results with a note naming both runs and dates.

The run folders are built with the runner's own :class:`~clusterlab.runner.manifest.Manifest`
and :func:`clusterlab.results.save`, so each case (failed, killed, resumed) is exact and quick;
the last test checks the same with real ``clusterlab run`` batches.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from test_runner import by_id, make_project, run_project

from clusterlab import results
from clusterlab.publish import export_site
from clusterlab.publish.example import write_example_results
from clusterlab.publish.sources import load_results, run_notes
from clusterlab.runner.manifest import Manifest, cluster_tables


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def fake_run(root, run_id, created, clusters: dict[str, dict[str, str]], *, status=None, pid=None):
    """A run folder with a manifest: ``clusters = {cluster: {notebook: status}}``."""
    executions = [
        {
            "id": f"{c}/{nb}",
            "cluster": c,
            "notebook": nb,
            "status": st,
            "fingerprint": f"{c}-{nb}",
            "output_dir": f"{run_id}/{c}",
            "output_notebook": f"{run_id}/{c}/{nb}.ipynb",
            "reused_from": None,
        }
        for c, nbs in clusters.items()
        for nb, st in nbs.items()
    ]
    m = Manifest.create(
        root / run_id, run_id=run_id, executions=executions, meta={"output_root": str(root)}
    )
    m.data["created"] = created
    if pid is not None:
        m.data["pid"] = pid
    for c, nbs in clusters.items():
        if all(st in ("succeeded", "skipped") for st in nbs.values()):
            m.data["tables"][c] = cluster_tables(m.data, c, root)
    if status is not None:
        m.finish(status)
    m.write()
    return m


@pytest.fixture
def history(tmp_path):
    """north: ok in R1, failed in R2; south: ok in R1 and R2, killed in R3; west: only a
    failed run."""
    root = tmp_path / "outputs"

    def save(run_id, cluster, value):
        # a table without a results contract: saved as it is (the contracts are not the point)
        results.save(
            pd.DataFrame({"cluster": ["maritime"], "v": [value]}),
            "portfolio_v",
            output_dir=root / run_id / cluster,
        )

    save("R1", "north", 1)
    save("R1", "south", 10)
    fake_run(
        root,
        "R1",
        "2026-12-01T10:00:00.000000+00:00",
        {"north": {"01_map": "succeeded", "02_net": "succeeded"}, "south": {"01_map": "succeeded"}},
        status="succeeded",
    )
    save("R2", "north", 2)  # 01_map succeeded, but 02_net of the same cluster failed
    save("R2", "south", 20)
    fake_run(
        root,
        "R2",
        "2026-12-02T10:00:00.000000+00:00",
        {"north": {"01_map": "succeeded", "02_net": "failed"}, "south": {"01_map": "succeeded"}},
        status="failed",
    )
    save("R3", "south", 30)  # written by an execution that never finished
    fake_run(
        root,
        "R3",
        "2026-12-03T10:00:00.000000+00:00",
        {"south": {"01_map": "pending"}},
        pid=dead_pid(),
    )
    save("R4", "west", 99)
    fake_run(
        root,
        "R4",
        "2026-12-04T10:00:00.000000+00:00",
        {"west": {"01_map": "failed"}},
        status="failed",
    )
    return root


def test_collect_reads_only_successful_runs(history):
    got = results.collect("portfolio_v", history).sort_values("run_cluster")
    assert got[["run_id", "run_cluster", "v"]].values.tolist() == [
        ["R1", "north", 1],
        ["R2", "south", 20],
    ]
    every = results.collect("portfolio_v", history, latest=False)
    assert sorted(every["v"]) == [1, 10, 20]  # never 2 (failed), 30 (killed), 99 (failed)
    con = results.connect(history)
    assert sorted(v for (v,) in con.execute("select v from portfolio_v").fetchall()) == [1, 10, 20]
    diag = results.list_tables(history, all_runs=True)
    assert set(zip(diag["run_id"], diag["cluster"], diag["status"], strict=True)) == {
        ("R1", "north", "succeeded"),
        ("R1", "south", "succeeded"),
        ("R2", "north", "failed"),
        ("R2", "south", "succeeded"),
        ("R3", "south", "incomplete"),
        ("R4", "west", "failed"),
    }


def test_cluster_status_notes_name_runs_and_dates(history):
    status = results.cluster_status(history).set_index("cluster")
    north = status.loc["north"]
    assert (north["latest_run"], north["latest_status"], north["shown_run"]) == (
        "R2",
        "failed",
        "R1",
    )
    assert north["note"] == (
        "The latest run of this cluster, R2 of 2026-12-02 10:00 UTC, "
        "failed (02_net); showing the results of run R1 of "
        "2026-12-01 10:00 UTC."
    )
    south = status.loc["south"]
    assert south["latest_status"] == "incomplete" and south["shown_run"] == "R2"
    assert "did not finish" in south["note"] and "R2 of 2026-12-02" in south["note"]
    west = status.loc["west"]
    assert pd.isna(west["shown_run"]) and "no successful results" in west["note"]
    runs = results.run_status(history)
    assert runs["run_id"].tolist() == ["R1", "R1", "R2", "R2", "R3", "R4"]  # oldest first


def test_a_live_run_is_running_not_incomplete(tmp_path):
    root = tmp_path / "outputs"
    fake_run(
        root, "R9", "2026-12-05T10:00:00.000000+00:00", {"north": {"01_map": "pending"}}
    )  # pid: this (live) process
    assert results.run_status(root)["status"].tolist() == ["running"]
    assert "still running" in results.cluster_status(root).loc[0, "note"]


def test_unreadable_manifest_vouches_for_nothing(tmp_path):
    root = tmp_path / "outputs"
    results.save(pd.DataFrame({"v": [1]}), "t", output_dir=root / "R1" / "north")
    (root / "R1" / "manifest.json").write_text('{"format": "clusterlab-manifest/1", "run')
    assert results.collect("t", root).empty
    # without any manifest (tables saved by hand in the runner's layout) tables are read
    results.save(pd.DataFrame({"v": [2]}), "t", output_dir=root / "mine" / "north")
    assert results.collect("t", root)["v"].tolist() == [2]


def test_site_and_dashboard_sources_skip_failed_runs(tmp_path):
    root = tmp_path / "outputs"
    write_example_results(root, clusters=["valley_foodtech"], run_id="R1", seed=1)
    fake_run(
        root,
        "R1",
        "2026-12-01T10:00:00.000000+00:00",
        {"valley_foodtech": {"01_cluster_mapping": "succeeded"}},
        status="succeeded",
    )
    write_example_results(
        root, clusters=["valley_foodtech", "eastshire_medtech"], run_id="R2", seed=2
    )
    fake_run(
        root,
        "R2",
        "2026-12-02T10:00:00.000000+00:00",
        {
            "valley_foodtech": {"01_cluster_mapping": "failed"},
            "eastshire_medtech": {"01_cluster_mapping": "failed"},
        },
        status="failed",
    )
    tables = load_results(root)
    assert set(tables["cluster_portfolio"]["run_id"]) == {"R1"}
    assert set(tables["cluster_portfolio"]["run_cluster"]) == {"valley_foodtech"}
    expected = pd.read_parquet(
        root / "R1" / "valley_foodtech" / "tables" / "cluster_portfolio.parquet"
    )
    assert tables["cluster_portfolio"]["lq"].tolist() == expected["lq"].tolist()
    notes = run_notes(root)
    assert set(notes) == {"valley_foodtech", "eastshire_medtech"}
    site = tmp_path / "site"
    index = export_site(site, results_root=root)
    page = (site / "cluster-valley_foodtech.html").read_text()
    assert "R2 of 2026-12-02 10:00 UTC, failed" in page and "run R1 of 2026-12-01" in page
    listing = index.read_text()
    # the landing page names the initiative (its name from the results), with the note
    assert 'Eastshire MedTech Alliance <span class="cl-run-note">' in listing
    assert "no successful results of this cluster exist" in listing
    assert not (site / "cluster-eastshire_medtech.html").exists()


@pytest.mark.slow
def test_real_batches_failed_run_is_not_read(tmp_path):
    root = make_project(tmp_path / "proj", clusters={"north": "cluster: north\n"})
    good = run_project(root, notebooks=["01", "02"])
    assert good.ok
    (root / "parameters" / "north.yaml").write_text("cluster: north\nbeta_fail: true\nalpha_n: 2\n")
    bad = run_project(root, notebooks=["01", "02"])
    assert by_id(bad.manifest)["north/02_beta"]["status"] == "failed"
    assert (bad.run_dir / "north" / "tables" / "alpha_draws.parquet").is_file()
    draws = results.collect("alpha_draws", root / "outputs")
    assert set(draws["run_id"]) == {good.run_id} and len(draws) == 5  # not bad's 2 rows
    note = run_notes(root / "outputs")["north"]
    assert bad.run_id in note and good.run_id in note and "failed (02_beta)" in note
