"""Executing one notebook: papermill, the HTML report, and one retry on kernel start-up clashes.

:func:`execute` is the unit of work that the local process pool and Dask workers run. It takes
and returns plain dictionaries (picklable, JSON-ready) and never raises: every failure is
returned as ``status="failed"`` with an ``error`` record, and the partial output notebook that
papermill saves after each cell is kept and rendered to HTML like a finished one.

The kernel (``kernel_name="python3"``, i.e. the interpreter running this code) starts in the
notebook's folder, with ``CLUSTERLAB_OUTPUT_DIR`` pointing at the run's cluster folder and
``PYTHONHASHSEED=0`` (or ``$CLUSTERLAB_HASHSEED``) so that the iteration order of sets of
strings is the same on every run and every executor. The
kernel's own stdout/stderr go to ``<notebook>.kernel.log`` beside the output notebook, kept
only when the execution failed.

Examples
--------
>>> is_startup_clash(RuntimeError("Kernel died before replying to kernel_info"), None)
True
>>> is_startup_clash(ValueError("bad value"), None)
False
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import re
import socket
import threading
import time
import uuid
from pathlib import Path

import nbformat

from clusterlab.runner.provenance import utcnow, versions_digest

__all__ = [
    "execute",
    "export_html",
    "is_startup_clash",
    "notebook_started",
    "canonical_streams",
    "KERNEL_SETUP",
    "MemoryLimitError",
]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CLASH_TEXT = (
    "address already in use",
    "kernel died before replying",
    "kernel didn't respond",
    "kernel died before",
)


#: Run in the kernel at start-up (``IPKernelApp.exec_lines``), without importing clusterlab:
#: the global random generators (``random``, ``numpy.random``) are seeded when the first cell
#: runs — the kernel's own start-up draws a varying number of values from ``random`` — so that a
#: figure drawn with unseeded randomness (jitter, a layout) is the same on every run; and the
#: file names given to cells (shown in warnings and tracebacks) no longer contain the kernel's
#: process id.
KERNEL_SETUP = """
def _clusterlab_setup(seed=0):
    import importlib.util
    import random

    ip = get_ipython()

    def seed_once(*args, **kwargs):
        random.seed(seed)
        if importlib.util.find_spec("numpy") is not None:
            import numpy
            numpy.random.seed(seed)
        ip.events.unregister("pre_run_cell", seed_once)

    ip.events.register("pre_run_cell", seed_once)
    try:
        import ipykernel.compiler as compiler
        import os
        import tempfile
        compiler.get_tmp_directory = lambda: os.path.join(tempfile.gettempdir(), "ipykernel")
    except Exception:
        pass


_clusterlab_setup()
del _clusterlab_setup
"""


def _kernel_manager(env: dict, log_handle):
    """An AsyncKernelManager that starts the kernel with extra environment variables, its output
    sent to a log file, the global random generators seeded, and (Linux) a parent-death signal
    — without touching this process's ``os.environ``, which Dask worker threads share.

    The manager remembers its kernel clients: papermill leaves a kernel manager it did not
    create running (nbclient shuts down only kernels it owns), so :func:`_shutdown` stops them.
    """
    from jupyter_client.manager import AsyncKernelManager

    from clusterlab.runner._procs import kernel_preexec

    class _Manager(AsyncKernelManager):
        clients: list = []

        # jupyter_client types start_kernel through KernelManager's synchronous wrapper;
        # AsyncKernelManager's is a coroutine, as here
        async def start_kernel(self, **kw):  # type: ignore[override]
            base = dict(kw.pop("env", None) or os.environ)
            base.update(env)
            if log_handle is not None:
                kw.setdefault("stdout", log_handle)
                kw.setdefault("stderr", log_handle)
            preexec = kernel_preexec()
            if preexec is not None:
                kw.setdefault("preexec_fn", preexec)
            extra = list(kw.pop("extra_arguments", None) or [])
            setup = f"exec(compile({KERNEL_SETUP!r}, '<clusterlab-setup>', 'exec'))"
            extra += [f"--IPKernelApp.exec_lines={[setup]!r}"]
            return await super().start_kernel(env=base, extra_arguments=extra, **kw)

        def client(self, **kw):
            kc = super().client(**kw)
            self.clients.append(kc)
            return kc

    km = _Manager(kernel_name="python3")
    km.clients = []
    return km


def _shutdown(km) -> None:
    """Stop the kernel of ``km`` and whatever it started; close its clients' channels."""
    from jupyter_core.utils import run_sync

    from clusterlab.runner._procs import kill_tree

    pid = getattr(getattr(km, "provisioner", None), "pid", None)
    for kc in getattr(km, "clients", []):
        with contextlib.suppress(Exception):
            kc.stop_channels()
    if km.has_kernel:
        with contextlib.suppress(Exception):
            run_sync(km.shutdown_kernel)(now=True)
    if pid:
        kill_tree(pid)  # processes the notebook started itself, in the kernel's session


def notebook_started(path) -> bool:
    """True if papermill began executing any cell of the (partial) output notebook."""
    if path is None or not Path(path).is_file():
        return False
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return False
    for cell in nb.cells:
        status = cell.get("metadata", {}).get("papermill", {}).get("status")
        if status in ("running", "completed", "failed"):
            return True
    return False


def is_startup_clash(exc: BaseException, output_notebook) -> bool:
    """Whether a failure is a kernel start-up problem worth one retry: a ZMQ port clash
    ("Address already in use") or a kernel that died before running its first cell."""
    text = f"{type(exc).__name__}: {exc}".lower()
    clash = type(exc).__name__ in ("ZMQError", "DeadKernelError") or any(
        t in text for t in _CLASH_TEXT
    )
    return clash and not notebook_started(output_notebook)


def _error_record(exc: BaseException) -> dict:
    if hasattr(exc, "ename") and hasattr(exc, "evalue"):  # PapermillExecutionError
        tb = _ANSI.sub("", "\n".join(getattr(exc, "traceback", []) or []))
        return {
            "type": exc.ename,
            "message": _ANSI.sub("", str(exc.evalue)),
            "cell": getattr(exc, "exec_count", None),
            "cell_index": getattr(exc, "cell_index", None),
            "traceback": tb[-4000:],
        }
    return {
        "type": type(exc).__name__,
        "message": _ANSI.sub("", str(exc))[:4000],
        "cell": None,
        "cell_index": None,
        "traceback": "",
    }


def export_html(notebook_path, html_path) -> None:
    """Render an (executed or partial) notebook to a self-contained HTML report, atomically.

    Tables, figures and formulas are embedded (formulas rendered when the report is built,
    warnings gathered into a caveats box, an "internal, not disclosure-controlled" first line:
    :mod:`clusterlab.runner.report`); only require.js is linked from a CDN.

    Parameters
    ----------
    notebook_path : str or path-like
        The notebook (``.ipynb``).
    html_path : str or path-like
        The report to write (replaced only once it is complete).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import nbformat
    >>> from clusterlab.runner import export_html
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Demo report")])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nbformat.write(nb, Path(tmp) / "demo.ipynb")
    ...     export_html(Path(tmp) / "demo.ipynb", Path(tmp) / "demo.html")
    ...     print("Demo report" in (Path(tmp) / "demo.html").read_text(encoding="utf-8"))
    True
    """
    from nbconvert import HTMLExporter

    from clusterlab.runner import report

    nb = nbformat.read(notebook_path, as_version=4)
    nb, caveats = report.prepare(nb)
    exporter = HTMLExporter(embed_images=True)
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": Path(notebook_path).stem}}
    )
    body = report.finish(body, caveats)
    html_path = Path(html_path)
    # a unique temporary name (not mkstemp, whose files are private 0600: reports are shared)
    tmp = html_path.with_name(f".{html_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(tmp, html_path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


class MemoryLimitError(RuntimeError):
    """The kernel's process tree used more memory than ``--max-memory`` and was stopped."""


class _MemoryGuard(threading.Thread):
    """Polls the resident memory of a kernel and its children; above ``limit`` bytes it kills
    them (nbclient then reports a dead kernel, which :func:`_run_papermill` replaces by
    :class:`MemoryLimitError`)."""

    def __init__(self, km, limit: int, interval: float = 0.1):
        super().__init__(name="clusterlab-memory-guard", daemon=True)
        self.km, self.limit, self.interval = km, int(limit), interval
        self.peak = 0
        self.hit: int | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        from clusterlab.runner._procs import kill_tree, tree_rss

        while not self._stop_event.wait(self.interval):
            pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
            if not pid:
                continue
            rss = tree_rss(pid)
            self.peak = max(self.peak, rss)
            if rss > self.limit:
                self.hit = rss
                kill_tree(pid)
                return

    def stop(self) -> None:
        self._stop_event.set()


def _run_papermill(spec: dict, log_handle) -> None:
    import papermill

    from clusterlab.runner._procs import format_bytes

    nb_dir = str(Path(spec["notebook_path"]).parent)
    env = {
        "CLUSTERLAB_OUTPUT_DIR": spec["output_dir"],
        "CLUSTERLAB_RUN_ID": spec.get("run_id", ""),
        # fixed on every executor (Dask's nanny sets its own random value for its workers)
        "PYTHONHASHSEED": os.environ.get("CLUSTERLAB_HASHSEED", "0"),
        # dates written into figure files (PDF/SVG metadata) are fixed, as in reproducible
        # builds; the figures of two runs are then the same bytes
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0"),
    }
    parameters = dict(spec["parameters"])
    parameters["output_dir"] = spec["output_dir"]
    # papermill's cwd= does os.chdir, which is process-global: only safe in a process's main
    # thread. The kernel's own working directory is set through nbclient's resources in any case.
    in_main = threading.current_thread() is threading.main_thread()
    km = _kernel_manager(env, log_handle)
    guard = None
    if spec.get("max_memory"):
        guard = _MemoryGuard(km, spec["max_memory"])
        guard.start()
    try:
        papermill.execute_notebook(
            spec["notebook_path"],
            spec["output_notebook"],
            parameters=parameters,
            kernel_name="python3",
            cwd=nb_dir if in_main else None,
            resources={"metadata": {"path": nb_dir}},
            km=km,
            execution_timeout=spec.get("timeout"),
            start_timeout=spec.get("start_timeout", 60),
            progress_bar=False,
            log_output=False,
            report_mode=False,
        )
    except BaseException:
        if guard is not None and guard.hit is not None:
            raise MemoryLimitError(
                f"the notebook's kernel used {format_bytes(guard.hit)} of memory, above the "
                f"limit of {format_bytes(int(spec['max_memory']))} (--max-memory); it was "
                "stopped"
            ) from None
        raise
    finally:
        if guard is not None:
            guard.stop()
        _shutdown(km)


def canonical_streams(path) -> None:
    """Rewrite an output notebook so that its printed output does not depend on timing.

    The kernel sends stdout and stderr as separate messages, flushed on timers, so text printed
    to both can arrive in a different order and in differently cut pieces on every run. Within a
    cell, each run of consecutive stream outputs becomes one ``stdout`` output followed by one
    ``stderr`` output (each the concatenation of its pieces, in order). The cell papermill
    injects gets the fixed id ``injected-parameters`` instead of a random one.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        # papermill gives the cell it injects a random id: make it a fixed one
        if (
            "injected-parameters" in cell.get("metadata", {}).get("tags", [])
            and cell.get("id") != "injected-parameters"
        ):
            cell["id"] = "injected-parameters"
            changed = True
        outputs = cell.get("outputs") if cell.cell_type == "code" else None
        if not outputs:
            continue
        new: list[dict] = []  # nbformat output nodes (dicts)
        run: list[dict] = []

        def close_run(run=run, new=new):
            for name in ("stdout", "stderr"):
                text = "".join(o.get("text", "") for o in run if o.get("name") == name)
                if text:
                    new.append(nbformat.v4.new_output("stream", name=name, text=text))
            run.clear()

        for out in outputs:
            if out.get("output_type") == "stream":
                run.append(out)
            else:
                close_run()
                new.append(out)
        close_run()
        if [dict(o) for o in new] != [dict(o) for o in outputs]:
            cell.outputs = new
            changed = True
    if changed:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            nbformat.write(nb, tmp)
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()


def _is_dead_kernel(exc: BaseException) -> bool:
    return type(exc).__name__ == "DeadKernelError" or "kernel died" in str(exc).lower()


def execute(spec: dict) -> dict:
    """Run one notebook execution described by ``spec``; never raises.

    Parameters
    ----------
    spec : dict
        ``id, notebook_path, output_notebook, report, output_dir, parameters`` (injected besides
        ``output_dir``), optional ``timeout`` (seconds per cell, ``None`` = no limit),
        ``start_timeout``, ``startup_retries`` (retries of a kernel that failed to start,
        default 1), ``retries`` (re-runs of an execution whose kernel died, e.g. killed by the
        out-of-memory killer, default 0), ``max_memory`` (bytes the kernel and its children may
        use; the kernel is stopped above it) and ``run_id``.

    Returns
    -------
    dict
        ``id, status ("succeeded"|"failed"), start, end, duration_s, attempts, error,
        report_error, report_s, kernel_log, host, pid, versions_digest`` (``duration_s`` is the
        notebook execution, ``report_s`` the HTML export after it).

    Examples
    --------
    :func:`run` builds the specs from the :func:`plan`; one looks like this:

    >>> from clusterlab.runner import execute
    >>> spec = {"id": "northport_maritime/01_cluster_mapping",
    ...         "notebook_path": "notebooks/01_cluster_mapping.ipynb",
    ...         "output_notebook": "outputs/run1/northport_maritime/01_cluster_mapping.ipynb",
    ...         "report": "outputs/run1/northport_maritime/01_cluster_mapping.html",
    ...         "output_dir": "outputs/run1/northport_maritime",
    ...         "parameters": {"cluster": "northport_maritime"}, "timeout": 600,
    ...         "run_id": "run1"}
    >>> # starts a Jupyter kernel and runs the notebook, hence skipped here:
    >>> execute(spec)["status"]  # doctest: +SKIP
    'succeeded'
    """
    logging.getLogger("papermill").setLevel(logging.ERROR)
    out_nb = Path(spec["output_notebook"])
    out_nb.parent.mkdir(parents=True, exist_ok=True)
    Path(spec["output_dir"]).mkdir(parents=True, exist_ok=True)
    log_path = out_nb.with_suffix(".kernel.log")
    startup_retries = int(spec.get("startup_retries", 1))
    death_retries = int(spec.get("retries", 0))
    start = utcnow()
    t0 = time.perf_counter()
    attempts, error, retried_for = 0, None, None
    n_startup = n_death = 0
    while True:
        attempts += 1
        try:
            with open(log_path, "a", encoding="utf-8") as log_handle:
                _run_papermill(spec, log_handle)
            error = None
            break
        except BaseException as exc:  # noqa: BLE001 - isolation: every failure is recorded
            if isinstance(exc, KeyboardInterrupt):
                raise
            error = _error_record(exc)
            if isinstance(exc, MemoryLimitError):
                break  # it would use the same memory again
            if n_startup < startup_retries and is_startup_clash(exc, out_nb):
                n_startup += 1
                retried_for = error
                time.sleep(0.5 + random.random())
                continue
            if _is_dead_kernel(exc):
                error["message"] += (
                    " (the kernel process ended during the notebook: "
                    "possibly out of memory, or killed)"
                )
                if n_death < death_retries:
                    n_death += 1
                    retried_for = error
                    continue
            break
    end = utcnow()
    result = {
        "id": spec["id"],
        "status": "failed" if error else "succeeded",
        "start": start,
        "end": end,
        "duration_s": round(time.perf_counter() - t0, 3),
        "attempts": attempts,
        "error": error,
        "retried_for": retried_for,
        "report_error": None,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "versions_digest": versions_digest(),
    }
    t_report = time.perf_counter()
    if out_nb.is_file():
        try:
            canonical_streams(out_nb)
            export_html(out_nb, spec["report"])
        except Exception as exc:  # noqa: BLE001 - a report problem must not hide the result
            result["report_error"] = f"{type(exc).__name__}: {exc}"
    else:
        result["report_error"] = "no output notebook was written"
    result["report_s"] = round(time.perf_counter() - t_report, 3)
    # the kernel's own log only matters when something went wrong
    result["kernel_log"] = str(log_path) if error and log_path.is_file() else None
    if not error:
        with contextlib.suppress(OSError):
            log_path.unlink(missing_ok=True)
    return result
