"""Batch faults with real processes (issue #14): a pool worker or a Dask worker killed with
``kill -9`` costs one execution, not the batch; ``kill -9`` of the runner leaves no process
behind and writes nothing afterwards, and ``--resume`` completes exactly what did not finish;
kernels are shut down after each execution (never more than ``--jobs`` alive); ``--max-memory``
stops a notebook and says so; Ctrl-C stops the pool without worker tracebacks; ``clusterlab run |
head`` ends without a traceback. Processes are counted by process tree (psutil).

The notebook used here is written by :func:`make_fault_project`: it records the pids of its
kernel and of the process that started the kernel (the pool or Dask worker) in a file, waits
while a "hold" file exists, can allocate memory, and saves one table at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from test_runner import by_id, run_project, write_notebook

from clusterlab.errors import RunError
from clusterlab.runner import load_manifest
from clusterlab.runner._procs import death_cause, parse_memory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="process-tree checks need Linux"
    ),
]

WORK_PARAMS = (
    'cluster = "a"\nhold_file = ""\npid_file = ""\nalloc_mb = 0\nsleep_s = 0.0\noutput_dir = ""'
)
WORK_BODY = [
    "import os\nimport time\n\nimport pandas as pd\n\nfrom clusterlab import results",
    "if pid_file:\n"
    "    with open(pid_file + '.tmp', 'w') as fh:\n"
    "        fh.write(f'{os.getpid()} {os.getppid()}')\n"
    "    os.replace(pid_file + '.tmp', pid_file)\n"
    "deadline = time.time() + 120\n"
    "while hold_file and os.path.exists(hold_file) and time.time() < deadline:\n"
    "    time.sleep(0.1)\n"
    "time.sleep(sleep_s)",
    "blob = b'x' * (alloc_mb * 2**20)\ntime.sleep(2 if alloc_mb else 0)",
    "results.save(pd.DataFrame({'cluster': [cluster], 'done': [True]}), 'work_done', "
    "output_dir=output_dir)",
]


@pytest.fixture(autouse=True, scope="module")
def _pinned_source_hash():
    """Other people edit clusterlab while these tests run: pin its source hash (see
    test_runner.py), so that --resume sees the same fingerprints."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLUSTERLAB_SOURCE_HASH", "sha256:pinned-for-tests")
        yield


def make_fault_project(root: Path, clusters: dict[str, str]) -> Path:
    (root / "notebooks").mkdir(parents=True)
    (root / "parameters").mkdir()
    write_notebook(root / "notebooks" / "01_work.ipynb", WORK_PARAMS, WORK_BODY)
    (root / "parameters" / "defaults.yaml").write_text("seed: 1\n")
    for name, extra in clusters.items():
        (root / "parameters" / f"{name}.yaml").write_text(f"cluster: {name}\n{extra}")
    return root


def holding(tmp_path: Path, name: str) -> tuple[Path, Path, str]:
    """A hold file (exists) and a pid file path for cluster ``name``, as YAML lines."""
    hold, pids = tmp_path / f"{name}.hold", tmp_path / f"{name}.pids"
    hold.write_text("hold")
    return hold, pids, f"hold_file: {hold}\npid_file: {pids}\n"


def wait_for(predicate, timeout=120.0, what="the batch"):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def read_pids(path: Path) -> tuple[int, int]:
    wait_for(path.is_file, what=str(path))
    kernel, worker = (int(x) for x in path.read_text().split())
    return kernel, worker


def kernels_below(pid: int) -> list[psutil.Process]:
    """Live ipykernel processes descending from ``pid``."""
    out = []
    try:
        procs = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return out
    for p in procs:
        try:
            if p.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(p.cmdline()):
                out.append(p)
        except psutil.Error:
            pass
    return out


def gone(pids, timeout=5.0) -> bool:
    """True once none of ``pids`` is a live (non-zombie) process, within ``timeout`` s."""

    def none_alive():
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    return False
            except psutil.NoSuchProcess:
                pass
        return True

    try:
        return wait_for(none_alive, timeout=timeout)
    except AssertionError:
        return False


class KernelCounter(threading.Thread):
    """Samples the number of live kernels below this process every 50 ms."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[int] = []
        self.halt = threading.Event()
        self.at_max: list[tuple] = []  # (pid, parent pid, status) of the kernels at the maximum

    def run(self):
        while not self.halt.is_set():
            found = kernels_below(os.getpid())
            if len(found) > max(self.samples, default=0):
                self.at_max = []
                for p in found:
                    with contextlib.suppress(psutil.Error):
                        self.at_max.append((p.pid, p.ppid(), p.status()))
            self.samples.append(len(found))
            time.sleep(0.05)

    def stop(self) -> int:
        self.halt.set()
        self.join()
        return max(self.samples, default=0)


def run_in_thread(**kw):
    box = {}

    def target():
        try:
            box["result"] = run_project(**kw)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


def finish(thread, box, timeout=240):
    thread.join(timeout)
    assert not thread.is_alive(), "the batch did not finish"
    if "error" in box:
        raise box["error"]
    return box["result"]


# --------------------------------------------------------------------- pool worker
def test_killed_pool_worker_costs_one_execution(tmp_path):
    hold, pids, lines = holding(tmp_path, "b")
    root = make_fault_project(
        tmp_path / "proj",
        {"a": "sleep_s: 0.3\n", "b": lines, "c": "sleep_s: 0.3\n", "d": "", "e": ""},
    )
    counter = KernelCounter()
    counter.start()
    thread, box = run_in_thread(root=root, jobs=2)
    kernel, worker = read_pids(pids)
    assert psutil.Process(worker).ppid() != os.getpid()  # a pool worker, not this process
    os.kill(worker, signal.SIGKILL)
    result = finish(thread, box)
    most = counter.stop()

    entries = by_id(result.manifest)
    status = {k: v["status"] for k, v in entries.items()}
    # one execution lost, every other one (started before or after the kill) succeeded
    assert status == {
        "a/01_work": "succeeded",
        "b/01_work": "failed",
        "c/01_work": "succeeded",
        "d/01_work": "succeeded",
        "e/01_work": "succeeded",
    }
    err = entries["b/01_work"]["error"]
    assert err["type"] == "WorkerLost"
    assert "SIGKILL" in err["message"] and "possibly out of memory" in err["message"]
    # the same cause on disk, and the run is marked failed (exit code 1 for the CLI)
    assert by_id(load_manifest(result.manifest_path))["b/01_work"]["error"] == err
    assert result.manifest["status"] == "failed" and not result.ok
    # the dead worker's kernel died with it; nothing of b was written after the kill
    assert gone([kernel, worker])
    hold.unlink()
    time.sleep(1.0)
    assert not (result.run_dir / "b" / "tables" / "work_done.parquet").exists()
    # kernels are shut down after each execution: never more alive than --jobs, none left
    assert 1 <= most <= 2
    assert kernels_below(os.getpid()) == []


def test_retries_rerun_an_execution_whose_worker_died(tmp_path):
    hold, pids, lines = holding(tmp_path, "b")
    root = make_fault_project(tmp_path / "proj", {"a": "", "b": lines})
    thread, box = run_in_thread(root=root, jobs=2, retries=1)
    kernel, worker = read_pids(pids)
    hold.unlink()  # the second attempt does not wait
    os.kill(worker, signal.SIGKILL)
    result = finish(thread, box)
    entry = by_id(result.manifest)["b/01_work"]
    assert result.ok and entry["status"] == "succeeded"
    assert entry["attempts"] == 2
    assert "SIGKILL" in entry["retried_for"]["message"]
    assert entry["pid"] != worker  # it ran in the replacement worker
    assert (result.run_dir / "b" / "tables" / "work_done.parquet").is_file()
    assert result.manifest["retries"] == 1


def test_max_memory_stops_the_notebook_and_says_so(tmp_path):
    # a kernel with pandas and clusterlab imported uses ~100-200 MB; 600 MB more is far above
    root = make_fault_project(tmp_path / "proj", {"a": "alloc_mb: 600\n", "b": ""})
    result = run_project(root, jobs=1, max_memory="400MB")
    entries = by_id(result.manifest)
    assert entries["b/01_work"]["status"] == "succeeded"
    failed = entries["a/01_work"]
    assert failed["status"] == "failed"
    assert failed["error"]["type"] == "MemoryLimitError"
    assert "--max-memory" in failed["error"]["message"]
    assert "400.00 MB" in failed["error"]["message"]
    assert failed["attempts"] == 1  # a memory limit is not retried
    assert result.manifest["max_memory"] == 400_000_000
    assert kernels_below(os.getpid()) == []


def test_bad_limits_are_clear_errors(tmp_path):
    root = make_fault_project(tmp_path / "proj", {"a": ""})
    with pytest.raises(RunError, match="--max-memory: not an amount of memory"):
        run_project(root, max_memory="lots")
    with pytest.raises(RunError, match="--retries must be 0 or more"):
        run_project(root, retries=-1)
    with pytest.raises(ValueError, match="positive"):
        parse_memory("0MB")
    assert parse_memory("1GiB") == 2**30 and parse_memory(1024) == 1024


def test_death_cause_names_the_signal():
    assert "SIGKILL" in death_cause(-signal.SIGKILL)
    assert "out of memory" in death_cause(-signal.SIGKILL)
    assert death_cause(-signal.SIGSEGV) == "killed by signal SIGSEGV"
    assert death_cause(1) == "exited with code 1"


# ------------------------------------------------------------------------- runner
def _snapshot(folder: Path) -> dict:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_killed_runner_on_dask_leaves_nothing_behind(tmp_path):
    hold, pids, lines = holding(tmp_path, "b")
    root = make_fault_project(tmp_path / "proj", {"b": lines, "c": ""})
    out = root / "outputs"
    cmd = [
        sys.executable,
        "-m",
        "clusterlab.cli",
        "run",
        "--jobs",
        "2",
        "--no-progress",
        "--scheduler",
        "local",
        "--notebook-dir",
        str(root / "notebooks"),
        "--parameter-dir",
        str(root / "parameters"),
        "--output",
        str(out),
    ]
    runner = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kernel, worker = read_pids(pids)
        tree = [p.pid for p in psutil.Process(runner.pid).children(recursive=True)]
    finally:
        runner.send_signal(signal.SIGKILL)
        runner.wait(timeout=30)
    assert {kernel, worker} <= set(tree)  # the Dask worker and its kernel
    assert gone(tree, timeout=10.0), [
        psutil.Process(p).cmdline() for p in tree if psutil.pid_exists(p)
    ]
    run_dir = next(out.glob("*/manifest.json")).parent
    before = _snapshot(run_dir)
    hold.unlink()
    time.sleep(2.0)
    assert _snapshot(run_dir) == before
    assert by_id(load_manifest(run_dir))["b/01_work"]["status"] == "pending"


def test_killed_runner_leaves_nothing_behind_and_resume_completes(tmp_path):
    hold_b, pids_b, lines_b = holding(tmp_path, "b")
    hold_c, pids_c, lines_c = holding(tmp_path, "c")
    root = make_fault_project(tmp_path / "proj", {"a": "", "b": lines_b, "c": lines_c, "d": ""})
    out = root / "outputs"
    cmd = [
        sys.executable,
        "-m",
        "clusterlab.cli",
        "run",
        "--jobs",
        "2",
        "--no-progress",
        "--notebook-dir",
        str(root / "notebooks"),
        "--parameter-dir",
        str(root / "parameters"),
        "--output",
        str(out),
    ]
    runner = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kernel_b, worker_b = read_pids(pids_b)
        kernel_c, worker_c = read_pids(pids_c)
        tree = [p.pid for p in psutil.Process(runner.pid).children(recursive=True)]
    finally:
        runner.send_signal(signal.SIGKILL)  # the runner only: not its process group
        runner.wait(timeout=30)
    assert {kernel_b, worker_b, kernel_c, worker_c} <= set(tree)
    # every process the runner had started is gone within a few seconds
    assert gone(tree, timeout=5.0), [
        psutil.Process(p).cmdline() for p in tree if psutil.pid_exists(p)
    ]
    manifest_path = next(out.glob("*/manifest.json"))
    run_dir = manifest_path.parent
    before = _snapshot(run_dir)
    hold_b.unlink()
    hold_c.unlink()  # a surviving kernel would now go on and write its table
    time.sleep(2.0)
    assert _snapshot(run_dir) == before  # nothing written after the kill
    killed = load_manifest(manifest_path)
    assert killed["status"] == "running"
    status = {k: v["status"] for k, v in by_id(killed).items()}
    assert status == {
        "a/01_work": "succeeded",
        "b/01_work": "pending",
        "c/01_work": "pending",
        "d/01_work": "pending",
    }
    assert (run_dir / "index.html").is_file()  # written at the start, kept current

    resumed = run_project(root, jobs=2, resume=True)
    entries = by_id(resumed.manifest)
    assert {k: (v["status"], v["reused_from"]) for k, v in entries.items()} == {
        "a/01_work": ("skipped", killed["run_id"]),
        "b/01_work": ("succeeded", None),
        "c/01_work": ("succeeded", None),
        "d/01_work": ("succeeded", None),
    }
    assert resumed.ok and (resumed.run_dir / "index.html").is_file()
    # the resumed manifest lists every cluster's tables, the reused one's included
    tables = resumed.manifest["tables"]
    assert set(tables) == {"a", "b", "c", "d"}
    assert tables["a"][0]["path"] == f"{killed['run_id']}/a/tables/work_done.parquet"
    assert tables["b"][0]["path"] == f"{resumed.run_id}/b/tables/work_done.parquet"


def test_ctrl_c_stops_the_pool_quietly(tmp_path):
    hold, pids, lines = holding(tmp_path, "b")
    root = make_fault_project(
        tmp_path / "proj", {"b": lines, "c": lines.replace("b.pids", "c.pids")}
    )
    out = root / "outputs"
    cmd = [
        sys.executable,
        "-m",
        "clusterlab.cli",
        "run",
        "--jobs",
        "2",
        "--no-progress",
        "--notebook-dir",
        str(root / "notebooks"),
        "--parameter-dir",
        str(root / "parameters"),
        "--output",
        str(out),
    ]
    # a terminal's Ctrl-C goes to the whole foreground process group
    runner = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        kernel, worker = read_pids(pids)
        tree = [p.pid for p in psutil.Process(runner.pid).children(recursive=True)]
        os.killpg(runner.pid, signal.SIGINT)
        _, stderr = runner.communicate(timeout=60)
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
    assert runner.returncode == 130
    text = stderr.decode()
    assert "interrupted" in text and "Traceback" not in text, text
    assert gone(tree, timeout=5.0)
    manifest = load_manifest(next(out.glob("*/manifest.json")))
    assert manifest["status"] == "interrupted"
    assert by_id(manifest)["b/01_work"]["status"] == "pending"


# ------------------------------------------------------------------------------ dask
@pytest.mark.parametrize("retries", [0, 1])
def test_killed_dask_worker(tmp_path, retries):
    hold, pids, lines = holding(tmp_path, "b")
    root = make_fault_project(tmp_path / "proj", {"a": "sleep_s: 0.5\n", "b": lines, "c": ""})
    counter = KernelCounter()
    counter.start()
    thread, box = run_in_thread(root=root, jobs=2, scheduler="local", retries=retries)
    kernel, worker = read_pids(pids)
    if retries:
        hold.unlink()
    os.kill(worker, signal.SIGKILL)
    result = finish(thread, box)
    # kernels below the LocalCluster's worker processes
    assert 1 <= counter.stop() <= 2, (counter.at_max, {"killed": (kernel, worker)})
    entries = by_id(result.manifest)
    others = {k: v["status"] for k, v in entries.items() if k != "b/01_work"}
    assert set(others.values()) == {"succeeded"}
    assert gone([kernel, worker])
    if retries:  # rescheduled on another worker
        assert entries["b/01_work"]["status"] == "succeeded"
        assert entries["b/01_work"]["pid"] != worker
    else:
        err = entries["b/01_work"]["error"]
        assert entries["b/01_work"]["status"] == "failed"
        assert err["type"] == "KilledWorker" and "possibly out of memory" in err["message"]
        hold.unlink()
        time.sleep(1.0)
        assert not (result.run_dir / "b" / "tables" / "work_done.parquet").exists()
    assert kernels_below(os.getpid()) == []


# ---------------------------------------------------------------------- CLI output
def test_run_into_a_closed_pipe_exits_cleanly(tmp_path):
    root = make_fault_project(tmp_path / "proj", {"a": ""})
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
        str(root / "outputs"),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # as `| head` does once it has read enough
    _, stderr = proc.communicate(timeout=180)
    text = stderr.decode()
    assert "Traceback" not in text and "BrokenPipeError" not in text, text
    assert proc.returncode == 0
    manifest = json.loads(next((root / "outputs").glob("*/manifest.json")).read_text())
    assert manifest["status"] == "succeeded"  # the run itself was complete
