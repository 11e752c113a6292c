"""Running a batch: plan, skip what is done (``resume``), execute, keep the manifest current.

Examples
--------
>>> new_run_id()[:2]
'20'
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from clusterlab.errors import RunError
from clusterlab.runner._procs import parse_memory
from clusterlab.runner.executors import make_executor
from clusterlab.runner.index_page import write_index
from clusterlab.runner.manifest import Manifest, cluster_tables, previous_successes
from clusterlab.runner.planner import (
    discover_notebooks,
    discover_parameter_files,
    plan,
    select_notebooks,
)
from clusterlab.runner.provenance import package_versions, versions_digest

__all__ = ["run", "BatchResult", "new_run_id", "DEFAULT_TIMEOUT"]

#: Default per-cell execution time limit in seconds.
DEFAULT_TIMEOUT = 3600


def new_run_id() -> str:
    """Make a sortable, unique run id: UTC time plus a random suffix.

    Returns
    -------
    str
        ``YYYYMMDDTHHMMSSZ-xxxx`` (e.g. ``20261124T071000Z-3fa2``); ids sort by start time.

    Examples
    --------
    >>> from clusterlab.runner import new_run_id
    >>> run_id = new_run_id()
    >>> len(run_id), run_id[8], run_id[15:17]
    (21, 'T', 'Z-')
    """
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(2)


@dataclass
class BatchResult:
    """What a batch did, as returned by :func:`run`.

    Parameters
    ----------
    run_id : str
        The run's id (its folder name below the output root).
    run_dir : pathlib.Path
        The run folder ``<output>/<run_id>``.
    manifest_path : pathlib.Path
        Its ``manifest.json``.
    manifest : dict
        The final manifest (``status``, ``output_root``, ``executions`` …).

    Attributes
    ----------
    failed : list of dict
        The failed executions of the manifest.
    ok : bool
        True when no execution failed and the run succeeded.

    Examples
    --------
    >>> from pathlib import Path
    >>> from clusterlab.runner import BatchResult
    >>> manifest = {"status": "succeeded", "output_root": "outputs", "executions": [
    ...     {"cluster": "north", "notebook": "01_cluster_mapping", "status": "succeeded",
    ...      "duration_s": 12.5, "report": None}]}
    >>> result = BatchResult("run1", Path("outputs/run1"), Path("outputs/run1/manifest.json"),
    ...                      manifest)
    >>> result.ok
    True
    >>> result.summary()[["cluster", "notebook", "status", "duration_s"]]
      cluster            notebook     status  duration_s
    0   north  01_cluster_mapping  succeeded        12.5
    """

    run_id: str
    run_dir: Path
    manifest_path: Path
    manifest: dict

    @property
    def failed(self) -> list[dict]:
        return [e for e in self.manifest["executions"] if e["status"] == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and self.manifest["status"] == "succeeded"

    def summary(self) -> pd.DataFrame:
        """One row per execution: cluster, notebook, status, duration_s, report, error."""
        root = Path(self.manifest["output_root"])
        rows = []
        for e in self.manifest["executions"]:
            err = e.get("error") or {}
            rows.append(
                {
                    "cluster": e["cluster"],
                    "notebook": e["notebook"],
                    "status": e["status"],
                    "duration_s": e.get("duration_s"),
                    "report": str(root / e["report"]) if e.get("report") else None,
                    "error": (
                        f"{err.get('type')}: {err.get('message')}"
                        if err
                        else e.get("skip_reason") or ""
                    ),
                }
            )
        return pd.DataFrame(
            rows, columns=["cluster", "notebook", "status", "duration_s", "report", "error"]
        )


def _resolve_notebooks(notebooks, notebook_dir) -> list[Path]:
    if notebooks is None:
        found = discover_notebooks(notebook_dir)
        if not found:
            raise RunError(f"no notebooks NN_*.ipynb in {notebook_dir}")
        return found
    paths: list[str | os.PathLike] = []  # notebook files
    names: list[str | os.PathLike] = []  # names to look up in notebook_dir
    for item in notebooks:
        p = Path(str(item))
        (paths if p.suffix == ".ipynb" and p.is_file() else names).append(item)
    if names:
        paths += select_notebooks(names, discover_notebooks(notebook_dir))
    return [Path(p) for p in paths]


def _progress(total: int, run_id: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        desc=f"run {run_id}",
        unit="notebook",
        disable=not enabled,
        file=sys.stderr,
        dynamic_ncols=True,
    )


def run(
    parameter_files=None,
    *,
    notebooks=None,
    notebook_dir="notebooks",
    parameter_dir="parameters",
    output="outputs",
    jobs: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    retries: int = 0,
    startup_retries: int = 1,
    max_memory: int | str | None = None,
    progress: bool = True,
    run_id: str | None = None,
    command: list[str] | None = None,
) -> BatchResult:
    """Execute notebooks × parameter files with papermill and write a manifest.

    Parameters
    ----------
    parameter_files : list of str or path-like, optional
        Cluster parameter files. Default ``None``: every ``parameter_dir/*.yaml`` except
        ``defaults.yaml``.
    notebooks : list of str or path-like, optional
        Notebook paths or names (``"01"``, ``"01_cluster_mapping"``). Default ``None``: every
        ``notebook_dir/NN_*.ipynb``.
    notebook_dir : str or path-like, default "notebooks"
        Where notebooks named by name are found.
    parameter_dir : str or path-like, default "parameters"
        Where the parameter files are found when ``parameter_files`` is ``None``.
    output : str or path-like, default "outputs"
        Output root; the run writes ``<output>/<run-id>/``.
    jobs : int, optional
        Parallel executions (local processes or LocalCluster workers). Default ``None``:
        :func:`default_jobs`.
    scheduler : str, optional
        ``"local"`` (Dask LocalCluster) or ``"tcp://HOST:PORT"`` (existing Dask cluster).
        Default ``None``: local processes.
    resume : bool, default False
        Skip executions that succeeded in an earlier run below ``output`` with the same
        fingerprint (parameters, input hashes, package versions).
    timeout : float or None, default DEFAULT_TIMEOUT
        Per-cell execution limit in seconds (``None`` or 0: no limit).
    retries : int, default 0
        Re-runs of an execution whose worker process or kernel died (killed, out of memory);
        with 0 such an execution is recorded as failed with the cause and the batch goes
        on. On a LocalCluster, Dask reschedules the task of a lost worker up to ``retries``
        times.
    startup_retries : int, default 1
        Retries of an execution whose kernel failed to start (port clash).
    max_memory : int or str, optional
        Memory limit per execution (bytes, or text such as ``"2GB"``): a kernel whose process
        tree uses more is stopped and the execution fails with ``MemoryLimitError``.
        Default ``None``: no limit.
    progress : bool, default True
        Show a tqdm progress bar on stderr.
    run_id : str, optional
        The run's id. Default ``None``: :func:`new_run_id`.
    command : list of str, optional
        The command line recorded in the manifest. Default ``None``: ``sys.argv``.

    Returns
    -------
    BatchResult
        The run's id, folder, manifest path and final manifest; ``.summary()`` gives one row
        per execution.

    Raises
    ------
    ParameterError
        A parameter file is invalid (nothing runs).
    RunError
        Nothing to run, bad executor settings, an unreachable scheduler.

    Examples
    --------
    A run starts one Jupyter kernel per execution; check what it would do with :func:`plan`
    first (it validates every parameter file, as ``run`` does before starting anything):

    >>> from clusterlab.runner import plan, run
    >>> executions = plan(["parameters/northport_maritime.yaml"],
    ...                   ["notebooks/01_cluster_mapping.ipynb"])
    >>> [e.id for e in executions]
    ['northport_maritime/01_cluster_mapping']
    >>> # starts kernels and takes minutes, hence skipped here:
    >>> result = run(["parameters/northport_maritime.yaml"], notebooks=["01"],
    ...              output="outputs")  # doctest: +SKIP
    >>> result.summary()  # doctest: +SKIP
    """
    if parameter_files is None or len(parameter_files) == 0:
        parameter_files = discover_parameter_files(parameter_dir)
        if not parameter_files:
            raise RunError(f"no parameter files in {parameter_dir}")
    nb_paths = _resolve_notebooks(notebooks, notebook_dir)
    try:
        max_memory = parse_memory(max_memory)
    except ValueError as exc:
        raise RunError(f"--max-memory: {exc}") from None
    if int(retries) < 0 or int(startup_retries) < 0:
        raise RunError(f"--retries must be 0 or more, got {min(retries, startup_retries)}")
    # a local pool boots its workers while the batch is planned; a Dask cluster is only
    # started (or contacted) once the parameter files have passed
    executor = (
        make_executor(jobs=jobs, scheduler=None, retries=retries) if scheduler is None else None
    )
    if executor is not None:
        executor.start()
    try:
        return _run_planned(
            parameter_files,
            nb_paths,
            executor,
            output=output,
            jobs=jobs,
            scheduler=scheduler,
            resume=resume,
            timeout=timeout,
            retries=retries,
            startup_retries=startup_retries,
            max_memory=max_memory,
            progress=progress,
            run_id=run_id,
            command=command,
        )
    finally:
        if executor is not None:
            executor.close()


def _run_planned(
    parameter_files,
    nb_paths,
    executor,
    *,
    output,
    jobs,
    scheduler,
    resume,
    timeout,
    retries,
    startup_retries,
    max_memory,
    progress,
    run_id,
    command,
) -> BatchResult:
    executions = plan(parameter_files, nb_paths)

    root = Path(output).resolve()
    root.mkdir(parents=True, exist_ok=True)
    run_id = run_id or new_run_id()
    run_dir = root / run_id
    if (run_dir / "manifest.json").exists():
        raise RunError(f"run {run_id} exists already in {root}")
    previous = previous_successes(root, exclude=run_id) if resume else {}

    entries, specs = [], []
    for ex in executions:
        cluster_dir = run_dir / ex.cluster
        out_nb = cluster_dir / f"{ex.notebook}.ipynb"
        entry = {
            **ex.to_dict(),
            "status": "pending",
            "start": None,
            "end": None,
            "duration_s": None,
            "attempts": 0,
            "error": None,
            "reused_from": None,
            "output_dir": str(cluster_dir.relative_to(root)),
            "output_notebook": str(out_nb.relative_to(root)),
            "report": str(out_nb.with_suffix(".html").relative_to(root)),
            "kernel_log": None,
        }
        entry["parameters"]["output_dir"] = str(cluster_dir)
        if ex.skip_reason:  # planned as skipped: its inputs are absent (clusterlab.analyses)
            entry.update(status="skipped", output_notebook=None, report=None)
            entries.append(entry)
            continue
        done = previous.get(ex.fingerprint)
        if done is not None:
            entry.update(
                status="skipped",
                reused_from=done["origin_run"],
                start=done.get("start"),
                end=done.get("end"),
                duration_s=done.get("duration_s"),
                attempts=0,
                output_dir=done["output_dir"],
                output_notebook=done["output_notebook"],
                report=done.get("report"),
                kernel_log=done.get("kernel_log"),
            )
            entry["parameters"]["output_dir"] = str(root / done["output_dir"])
        else:
            specs.append(
                {
                    "id": ex.id,
                    "run_id": run_id,
                    "notebook_path": ex.notebook_path,
                    "parameters": dict(ex.parameters),
                    "output_dir": str(cluster_dir),
                    "output_notebook": str(out_nb),
                    "report": str(out_nb.with_suffix(".html")),
                    "timeout": timeout or None,
                    "retries": int(retries),
                    "startup_retries": int(startup_retries),
                    "max_memory": max_memory,
                }
            )
        entries.append(entry)

    own_executor = executor is None
    if own_executor:  # no Dask cluster is started when everything was done already
        executor = make_executor(
            jobs=jobs if specs else 1, scheduler=scheduler if specs else None, retries=retries
        )
    try:
        versions = package_versions()
        meta = {
            "output_root": str(root),
            "command": command or [],
            "executor": executor.describe(),
            "timeout_s": timeout or None,
            "retries": int(retries),
            "max_memory": max_memory,
            "resume": bool(resume),
            "python": sys.executable,
            "versions": versions,
            "versions_digest": versions_digest(versions),
        }
        manifest = Manifest.create(run_dir, run_id=run_id, executions=entries, meta=meta)
        remaining = {e["cluster"]: 0 for e in entries}
        for spec in specs:
            remaining[manifest.entry(spec["id"])["cluster"]] += 1
        for cluster, n in remaining.items():
            if n == 0:  # every execution of the cluster was reused
                manifest.set_tables(cluster, cluster_tables(manifest.data, cluster, root))
        write_index(manifest.data, run_dir)  # a killed run has an index page too
        bar = _progress(len(specs), run_id, progress)
        n_failed = 0
        status = "interrupted"
        try:
            for result in executor.run(specs):
                entry = manifest.entry(result["id"])
                fields = {
                    k: result.get(k)
                    for k in (
                        "status",
                        "start",
                        "end",
                        "duration_s",
                        "attempts",
                        "error",
                        "retried_for",
                        "report_error",
                        "report_s",
                        "host",
                        "pid",
                    )
                }
                log = result.get("kernel_log")
                if log and Path(log).is_relative_to(root):
                    log = str(Path(log).relative_to(root))
                fields["kernel_log"] = log
                if result.get("versions_digest") not in (None, meta["versions_digest"]):
                    fields["worker_versions_digest"] = result["versions_digest"]
                manifest.update(result["id"], **fields)
                cluster = entry["cluster"]
                remaining[cluster] -= 1
                if remaining[cluster] == 0:
                    manifest.set_tables(cluster, cluster_tables(manifest.data, cluster, root))
                if result["status"] == "failed":
                    n_failed += 1
                    err = result.get("error") or {}
                    first = (str(err.get("message") or "").splitlines() or [""])[0][:200]
                    bar.write(f"FAILED {result['id']}: {err.get('type')}: {first}", file=sys.stderr)
                bar.set_postfix(failed=n_failed, refresh=False)
                bar.update(1)
                write_index(manifest.data, run_dir)
            status = "failed" if n_failed else "succeeded"
        finally:
            bar.close()
            manifest.finish(status)
            write_index(manifest.data, run_dir)
    finally:
        if own_executor:
            executor.close()
    return BatchResult(
        run_id=run_id, run_dir=run_dir, manifest_path=manifest.path, manifest=manifest.data
    )
