"""Batch runner on Dask: a real LocalCluster with 2 workers gives the same manifest and tables as
the local process pool; an existing scheduler is reached by its tcp:// address."""

from __future__ import annotations

import distributed  # noqa: E402
import pandas as pd
import pytest
from test_runner import by_id, make_project, run_project

from clusterlab.errors import RunError
from clusterlab.runner.executors import DaskExecutor

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True, scope="module")
def _pinned_source_hash():
    """Other people edit clusterlab while these tests run: pin its source hash (see
    test_runner.py)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLUSTERLAB_SOURCE_HASH", "sha256:pinned-for-tests")
        yield


def _comparable(manifest: dict) -> dict:
    out = {}
    for e in manifest["executions"]:
        params = {k: v for k, v in e["parameters"].items() if k != "output_dir"}
        out[e["id"]] = (
            e["status"],
            e["fingerprint"],
            params,
            (e["error"] or {}).get("type"),
            (e["error"] or {}).get("message"),
        )
    return out


def test_local_cluster_gives_the_same_manifest_and_tables_as_the_pool(tmp_path):
    # one cluster whose second notebook fails: 2 executions per run, run side by side
    root = make_project(tmp_path, clusters={"south": "cluster: south\nbeta_fail: true\n"})
    pool = run_project(root, jobs=2)
    dask = run_project(root, jobs=2, scheduler="local")
    assert pool.manifest["executor"] == {"kind": "pool", "workers": 2}
    assert dask.manifest["executor"]["kind"] == "dask"
    assert dask.manifest["executor"]["workers"] == 2
    assert _comparable(pool.manifest) == _comparable(dask.manifest)
    assert by_id(dask.manifest)["south/02_beta"]["status"] == "failed"  # isolation on Dask too
    assert by_id(dask.manifest)["south/01_alpha"]["status"] == "succeeded"
    for cluster in ("south",):
        tables_pool = {t["name"]: t["sha256"] for t in pool.manifest["tables"][cluster]}
        tables_dask = {t["name"]: t["sha256"] for t in dask.manifest["tables"][cluster]}
        assert tables_pool == tables_dask and tables_pool
        for name in tables_pool:
            a = pd.read_parquet(pool.run_dir / cluster / "tables" / f"{name}.parquet")
            b = pd.read_parquet(dask.run_dir / cluster / "tables" / f"{name}.parquet")
            pd.testing.assert_frame_equal(a, b)


def test_existing_scheduler_with_threaded_workers(tmp_path):
    # threads share the process's working directory: the kernel must still start in the
    # notebook folder, with its own CLUSTERLAB_OUTPUT_DIR
    root = make_project(
        tmp_path, clusters={"north": "cluster: north\n", "south": "cluster: south\n"}
    )
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0"
    ) as cluster:
        result = run_project(root, notebooks=["01"], scheduler=cluster.scheduler_address)
    assert result.ok
    assert result.manifest["executor"]["scheduler"] == cluster.scheduler_address
    for name in ("north", "south"):
        info = pd.read_parquet(result.run_dir / name / "tables" / "alpha_info.parquet")
        assert info.loc[0, "cwd"] == "notebooks" and bool(info.loc[0, "env_matches"])
        assert info.loc[0, "cluster"] == name


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(RunError, match="cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:9", connect_timeout=2)


def test_local_cluster_does_not_need_port_8787(tmp_path):
    # a second run (or a user's own Dask cluster) holds the dashboard port: the run must not
    # take it or warn about it (the scheduler used to warn "Port 8787 is already in use")
    import socket
    import warnings

    root = make_project(tmp_path, clusters={"north": "cluster: north\n"})
    holder = socket.socket()
    try:
        holder.bind(("", 8787))
        holder.listen()
    except OSError:  # already held by someone else: the situation under test
        pass
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = run_project(root, notebooks=["01"], jobs=1, scheduler="local")
    finally:
        holder.close()
    assert result.ok
    assert not [w for w in caught if "8787" in str(w.message)], [str(w.message) for w in caught]
