"""Where notebook executions run: in this process, a local process pool, or a Dask cluster.

All executors run the same function, :func:`clusterlab.runner.job.execute`, on the same
plain-dict specs, and yield the same result records in completion order — so outputs and the
manifest do not depend on the executor. A worker that dies (out of memory, killed) produces a
``failed`` record for its execution instead of stopping the batch.

Examples
--------
>>> make_executor(jobs=1).describe()
{'kind': 'serial', 'workers': 1}
>>> make_executor(jobs=2).describe()
{'kind': 'pool', 'workers': 2}
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from clusterlab.errors import RunError
from clusterlab.runner.job import execute
from clusterlab.runner.provenance import utcnow

__all__ = ["make_executor", "SerialExecutor", "PoolExecutor", "DaskExecutor", "default_jobs"]


def default_jobs() -> int:
    """Default number of parallel executions: the number of cores, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def _lost(spec: dict, exc: BaseException) -> dict:
    now = utcnow()
    return {"id": spec["id"], "status": "failed", "start": None, "end": now, "duration_s": None,
            "attempts": 1, "retried_for": None, "report_error": None, "kernel_log": None,
            "host": None, "pid": None,
            "versions_digest": None,
            "error": {"type": type(exc).__name__, "message": f"the worker running this "
                      f"notebook was lost: {exc}", "cell": None, "cell_index": None,
                      "traceback": ""}}


class SerialExecutor:
    """One execution after the other in this process (``--jobs 1``)."""

    def describe(self) -> dict:
        return {"kind": "serial", "workers": 1}

    def start(self) -> None:
        pass

    def run(self, specs: list[dict]) -> Iterator[dict]:
        for spec in specs:
            yield execute(spec)

    def close(self) -> None:
        pass


class PoolExecutor:
    """A local pool of ``jobs`` worker processes (``--jobs N``); processes, not threads,
    because papermill's ``cwd`` is process-global.

    :meth:`start` launches the workers without waiting, so that they boot while the batch is
    being planned.
    """

    def __init__(self, jobs: int):
        self.jobs = int(jobs)
        self.pool = None

    def describe(self) -> dict:
        return {"kind": "pool", "workers": self.jobs}

    def start(self) -> None:
        if self.pool is not None:
            return
        # forkserver: workers fork from a clean server process that imported the runner once
        # (no threads of this process are inherited, as with "fork"; cheaper than "spawn")
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["clusterlab.runner._boot"])
        else:  # pragma: no cover - Windows
            ctx = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx)
        for _ in range(self.jobs):
            self.pool.submit(os.getpid)  # launches the worker processes in the background

    def run(self, specs: list[dict]) -> Iterator[dict]:
        self.start()
        futures = {self.pool.submit(execute, spec): spec for spec in specs}
        finished = False
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - BrokenProcessPool etc.
                    yield _lost(futures[future], exc)
            finished = True
        finally:
            if not finished:  # Ctrl-C or an error: do not wait for the queued notebooks
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class DaskExecutor:
    """Executions submitted to Dask with ``client.submit``.

    ``address="local"`` starts a :class:`distributed.LocalCluster` with ``jobs`` single-threaded
    worker processes; ``tcp://HOST:PORT`` connects to an existing scheduler, whose workers must
    have clusterlab installed and see the same file system paths (notebooks, parameter and data
    files, the output folder).
    """

    def __init__(self, address: str, jobs: int = 2, *, connect_timeout: float = 30):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - distributed is a dependency
            raise RunError("Dask scheduling needs the 'distributed' package") from exc
        self.address = address
        self.cluster = None
        try:
            if address == "local":
                # worker processes (not threads): Ctrl-C or an error ends running notebooks
                # at once, and a crash stays inside its worker
                self.cluster = LocalCluster(n_workers=int(jobs), threads_per_worker=1,
                                            processes=True, dashboard_address=None)
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout=connect_timeout)
        except OSError as exc:
            if self.cluster is not None:
                self.cluster.close()
            raise RunError(f"cannot reach the Dask scheduler {address}: {exc}") from None

    def describe(self) -> dict:
        workers = self.client.scheduler_info().get("workers", {})
        return {"kind": "dask", "scheduler": self.address if self.address != "local"
                else f"local ({self.client.scheduler.address})",
                "workers": len(workers),
                "threads": sum(w.get("nthreads", 1) for w in workers.values())}

    def run(self, specs: list[dict]) -> Iterator[dict]:
        from distributed import as_completed as dask_completed

        futures = {}
        for spec in specs:
            key = f"clusterlab-{spec.get('run_id', '')}-{spec['id']}".replace("/", "-")
            futures[self.client.submit(execute, spec, key=key, pure=False)] = spec
        try:
            for future in dask_completed(list(futures)):
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker, lost connection
                    yield _lost(futures[future], exc)
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(*, jobs: int | None = None, scheduler: str | None = None):
    """The executor for ``--jobs``/``--scheduler``.

    Parameters
    ----------
    jobs : int, optional
        Parallel executions (local pool size, or LocalCluster workers); default
        :func:`default_jobs`. ``1`` runs in this process.
    scheduler : str, optional
        ``None`` (local processes), ``"local"`` (a Dask LocalCluster) or ``"tcp://HOST:PORT"``.
    """
    jobs = default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise RunError(f"--jobs must be at least 1, got {jobs}")
    if scheduler is None or scheduler == "":
        return SerialExecutor() if jobs == 1 else PoolExecutor(jobs)
    if scheduler != "local" and "://" not in scheduler:
        raise RunError(f"--scheduler must be 'local' or an address like tcp://HOST:8786, "
                       f"got {scheduler!r}")
    return DaskExecutor(scheduler, jobs)
