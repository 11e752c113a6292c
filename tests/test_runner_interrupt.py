"""An interrupted batch (kill -9 mid-run) resumes with ``--resume``, re-running only what did not
finish; nothing an unfinished execution left behind is taken as complete."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from test_runner import by_id, make_project, run_project

from clusterlab.runner.manifest import list_run_tables, previous_successes

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True, scope="module")
def _pinned_source_hash():
    """Other people edit clusterlab while these tests run; a changed source hash would
    (rightly) make --resume re-run everything. Pin it for the duration of the module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLUSTERLAB_SOURCE_HASH", "sha256:pinned-for-tests")
        yield


def _wait_for(predicate, timeout=90.0):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the batch")


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_kill_9_mid_run_then_resume(tmp_path):
    block = tmp_path / "block"
    block.write_text("hold 02_beta until the runner is killed")
    root = make_project(
        tmp_path / "proj", clusters={"north": f"cluster: north\nbeta_block_file: {block}\n"}
    )
    out = root / "outputs"
    cmd = [
        sys.executable,
        "-m",
        "clusterlab.cli",
        "run",
        "--jobs",
        "1",
        "--no-progress",
        "--notebook-dir",
        str(root / "notebooks"),
        "--parameter-dir",
        str(root / "parameters"),
        "--output",
        str(out),
    ]
    proc = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        manifest_path = _wait_for(lambda: next(out.glob("*/manifest.json"), None))

        def blocked():
            m = json.loads(manifest_path.read_text())
            beta = out / by_id(m)["north/02_beta"]["output_notebook"]
            return by_id(m)["north/01_alpha"]["status"] == "succeeded" and beta.is_file()

        _wait_for(blocked)
        time.sleep(0.5)  # 02_beta is inside its waiting cell
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    killed = json.loads(manifest_path.read_text())  # still complete, valid JSON
    assert killed["status"] == "running" and killed["finished"] is None
    assert by_id(killed)["north/02_beta"]["status"] == "pending"
    run_dir = manifest_path.parent
    # a half-written table (temporary file of an atomic write) is never listed as a table
    (run_dir / "north" / "tables" / ".beta_status.abc.tmp").write_bytes(b"PAR1 half")
    assert [t["name"] for t in list_run_tables(run_dir / "north", out)] == [
        "alpha_draws",
        "alpha_info",
    ]
    # only the finished execution counts as done
    done = previous_successes(out)
    assert {e["id"] for e in done.values()} == {"north/01_alpha"}

    block.unlink()
    resumed = run_project(root, resume=True)
    status = {k: (v["status"], v["reused_from"]) for k, v in by_id(resumed.manifest).items()}
    assert status == {
        "north/01_alpha": ("skipped", killed["run_id"]),
        "north/02_beta": ("succeeded", None),
    }
    assert (resumed.run_dir / "north" / "tables" / "beta_status.parquet").is_file()
    assert resumed.ok
