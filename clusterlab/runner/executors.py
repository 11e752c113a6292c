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

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator

from clusterlab.errors import RunError
from clusterlab.runner.job import execute
from clusterlab.runner.provenance import utcnow

__all__ = ["make_executor", "SerialExecutor", "PoolExecutor", "DaskExecutor", "default_jobs"]


def default_jobs() -> int:
    """Give the default number of parallel executions.

    Returns
    -------
    int
        The number of cores, at most 4 (at least 1).

    Examples
    --------
    >>> from clusterlab.runner import default_jobs
    >>> 1 <= default_jobs() <= 4
    True
    """
    return max(1, min(4, os.cpu_count() or 1))


def _lost(
    spec: dict,
    exc: BaseException | str,
    *,
    attempts: int = 1,
    retried_for: dict | None = None,
    cause: str | None = None,
) -> dict:
    now = utcnow()
    if isinstance(exc, BaseException):
        kind, text = type(exc).__name__, f"{exc}"
    else:
        kind, text = "WorkerLost", exc
    message = "the worker process running this notebook was lost"
    message += f": {cause}" if cause else f" ({text})" if text else ""
    return {
        "id": spec["id"],
        "status": "failed",
        "start": spec.get("_started"),
        "end": now,
        "duration_s": None,
        "attempts": attempts,
        "retried_for": retried_for,
        "report_error": None,
        "kernel_log": None,
        "host": None,
        "pid": None,
        "versions_digest": None,
        "error": {
            "type": kind,
            "message": message,
            "cell": None,
            "cell_index": None,
            "traceback": "",
        },
    }


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


def _ignore_signal(signum, frame) -> None:  # pragma: no cover - runs in the worker
    pass


def _worker_main(conn) -> None:  # pragma: no cover - runs in the worker
    """A pool worker: run the specs it receives until told to stop (``None``) or its pipe
    closes. It dies with the runner (watching the runner's sentinel) and with its own parent
    process (the forkserver); its kernels die with it."""
    from clusterlab.runner._procs import die_with_parent, exit_with

    die_with_parent()
    # Ctrl-C reaches the whole foreground process group: the runner alone decides (it stops
    # the workers), so that a worker does not die with a traceback of its own. A handler, not
    # SIG_IGN: handlers are reset by exec, so kernels still receive interrupts (timeouts).
    signal.signal(signal.SIGINT, _ignore_signal)
    runner = multiprocessing.parent_process()
    if runner is not None and runner.sentinel is not None:
        exit_with(runner.sentinel)
    while True:
        try:
            spec = conn.recv()
        except (EOFError, OSError):
            return
        if spec is None:
            return
        result = execute(spec)
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


class _Worker:
    """One worker process with the pipe it reads specs from and answers on."""

    def __init__(self, ctx):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main, args=(child,), daemon=True, name="clusterlab-worker"
        )
        self.process.start()
        child.close()
        self.spec: dict | None = None

    def stop(self, timeout: float = 5.0) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send(None)
        self.process.join(timeout)
        if self.process.is_alive():
            self.kill()

    def kill(self) -> None:
        from clusterlab.runner._procs import kill_tree

        if self.process.pid and self.process.is_alive():
            kill_tree(self.process.pid)
        self.process.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()


class PoolExecutor:
    """A local pool of ``jobs`` worker processes (``--jobs N``); processes, not threads,
    because papermill's ``cwd`` is process-global.

    Each worker runs one execution at a time. A worker that dies (``kill -9``, the
    out-of-memory killer) costs only the execution it was running: that execution is recorded
    as ``failed`` with the cause (signal or exit code), or re-run up to ``retries`` times, and a
    fresh worker takes the dead one's place. Workers fork from a forkserver that preloaded the
    runner, and ask Linux to kill them when their parent ends, so that ``kill -9`` of the
    runner leaves no worker (and, as kernels do the same, no kernel) behind.

    :meth:`start` launches the workers without waiting, so that they boot while the batch is
    being planned.
    """

    def __init__(self, jobs: int, *, retries: int = 0):
        self.jobs = int(jobs)
        self.retries = int(retries)
        self.workers: list[_Worker] = []
        self._ctx: multiprocessing.context.BaseContext | None = None

    def describe(self) -> dict:
        return {"kind": "pool", "workers": self.jobs}

    def _context(self):
        if self._ctx is None:
            # forkserver: workers fork from a clean server process that imported the runner
            # once (no threads of this process are inherited, as with "fork"; cheaper than
            # "spawn")
            ctx: multiprocessing.context.BaseContext
            if "forkserver" in multiprocessing.get_all_start_methods():
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(["clusterlab.runner._boot"])
            else:  # pragma: no cover - Windows
                ctx = multiprocessing.get_context("spawn")
            self._ctx = ctx
        return self._ctx

    def start(self) -> None:
        ctx = self._context()
        while len(self.workers) < self.jobs:
            self.workers.append(_Worker(ctx))

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self.workers[self.workers.index(worker)] = _Worker(self._context())

    def run(self, specs: list[dict]) -> Iterator[dict]:
        from multiprocessing.connection import wait

        from clusterlab.runner._procs import death_cause

        self.start()
        queue = deque(dict(s) for s in specs)
        lost: dict[str, list] = {}  # id -> [attempts, first error]
        finished = False
        try:
            while queue or any(w.spec is not None for w in self.workers):
                for worker in self.workers:
                    if worker.spec is None and queue:
                        spec = queue.popleft()
                        spec.setdefault("_started", utcnow())
                        try:
                            worker.conn.send(spec)
                        except (BrokenPipeError, OSError):
                            queue.appendleft(spec)  # it died while idle: replaced below
                            continue
                        worker.spec = spec
                busy = [w for w in self.workers if w.spec is not None]
                waitables = {}
                for w in self.workers:
                    waitables[w.conn] = w
                    waitables[w.process.sentinel] = w
                ready = wait(list(waitables), timeout=None if busy else 0.5)
                handled = set()
                for obj in ready:
                    worker = waitables[obj]
                    if id(worker) in handled:
                        continue
                    handled.add(id(worker))
                    result = None
                    if worker.conn.poll(0):
                        try:
                            result = worker.conn.recv()
                        except (EOFError, OSError):
                            result = None
                    if result is not None:
                        worker.spec = None
                        prior = lost.pop(result["id"], None)
                        if prior is not None:
                            result["attempts"] = result.get("attempts", 1) + prior[0]
                            result["retried_for"] = result.get("retried_for") or prior[1]
                        yield result
                        continue
                    if worker.process.is_alive():
                        continue
                    # the worker died: without an answer, its execution is lost
                    worker.process.join(1)
                    lost_spec, worker.spec = worker.spec, None
                    cause = death_cause(worker.process.exitcode)
                    self._replace(worker)
                    if lost_spec is None:
                        continue
                    tries = lost.setdefault(lost_spec["id"], [0, None])
                    tries[0] += 1
                    record = _lost(
                        lost_spec, "", attempts=tries[0], cause=cause, retried_for=tries[1]
                    )
                    if tries[0] <= self.retries:
                        tries[1] = tries[1] or record["error"]
                        queue.appendleft(lost_spec)
                        continue
                    lost.pop(lost_spec["id"], None)
                    yield record
            finished = True
        finally:
            if not finished:  # Ctrl-C or an error: stop the running notebooks at once
                for worker in self.workers:
                    worker.kill()
                self.workers = []

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []


class DaskExecutor:
    """Executions submitted to Dask with ``client.submit``.

    ``address="local"`` starts a :class:`distributed.LocalCluster` with ``jobs`` single-threaded
    worker processes; ``tcp://HOST:PORT`` connects to an existing scheduler, whose workers must
    have clusterlab installed and see the same file system paths (notebooks, parameter and data
    files, the output folder).
    """

    def __init__(
        self, address: str, jobs: int = 2, *, connect_timeout: float = 30, retries: int = 0
    ):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - distributed is a dependency
            raise RunError("Dask scheduling needs the 'distributed' package") from exc
        self.address = address
        self.cluster = None
        try:
            if address == "local":
                import dask

                # worker processes (not threads): Ctrl-C or an error ends running notebooks
                # at once, and a crash stays inside its worker. A task whose worker dies is
                # rescheduled by Dask up to `retries` times, then fails with KilledWorker.
                # Each worker gets one task at a time (worker-saturation 1.0; the rest wait on
                # the scheduler), so that a worker's death costs only the notebook it ran.
                with dask.config.set(
                    {
                        "distributed.scheduler.allowed-failures": int(retries),
                        "distributed.scheduler.worker-saturation": 1.0,
                    }
                ):
                    # ":0": any free port. None does not stop the scheduler's HTTP server; it
                    # takes 8787 and warns when another cluster (a second run) holds it
                    self.cluster = LocalCluster(
                        n_workers=int(jobs),
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",
                    )
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout=connect_timeout)
        except OSError as exc:
            if self.cluster is not None:
                self.cluster.close()
            raise RunError(f"cannot reach the Dask scheduler {address}: {exc}") from None

    def describe(self) -> dict:
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        return {
            "kind": "dask",
            "scheduler": self.address
            if self.address != "local"
            else f"local ({info.get('address', 'address unknown')})",
            "workers": len(workers),
            "threads": sum(w.get("nthreads", 1) for w in workers.values()),
        }

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
                    cause = None
                    if type(exc).__name__ == "KilledWorker":
                        cause = (
                            f"{exc} — the Dask worker process died while running it "
                            "(possibly out of memory, or killed)"
                        )
                    yield _lost(futures[future], exc, cause=cause)
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(*, jobs: int | None = None, scheduler: str | None = None, retries: int = 0):
    """Make the executor for ``--jobs``/``--scheduler``.

    Parameters
    ----------
    jobs : int, optional
        Parallel executions (local pool size, or LocalCluster workers). Default ``None``:
        :func:`default_jobs`. ``1`` runs in this process.
    scheduler : str, optional
        ``None`` (local processes, default), ``"local"`` (a Dask LocalCluster) or
        ``"tcp://HOST:PORT"``.
    retries : int, default 0
        Re-runs of an execution whose worker process died (the pool; a LocalCluster's
        ``allowed-failures``; an existing scheduler keeps its own setting).

    Returns
    -------
    SerialExecutor, PoolExecutor or DaskExecutor
        An executor that runs :func:`execute` on each spec (``jobs=1``: serially in this
        process; otherwise a pool of processes, or Dask with ``scheduler``).

    Raises
    ------
    RunError
        For bad settings (e.g. ``jobs < 1`` or a malformed scheduler address).

    Examples
    --------
    >>> from clusterlab.runner import make_executor
    >>> type(make_executor(jobs=1)).__name__
    'SerialExecutor'
    """
    jobs = default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise RunError(f"--jobs must be at least 1, got {jobs}")
    if int(retries) < 0:
        raise RunError(f"--retries must be 0 or more, got {retries}")
    if scheduler is None or scheduler == "":
        return SerialExecutor() if jobs == 1 else PoolExecutor(jobs, retries=retries)
    if scheduler != "local" and "://" not in scheduler:
        raise RunError(
            f"--scheduler must be 'local' or an address like tcp://HOST:8786, got {scheduler!r}"
        )
    return DaskExecutor(scheduler, jobs, retries=retries)
