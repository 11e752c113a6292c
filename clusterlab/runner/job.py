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

__all__ = ["execute", "export_html", "is_startup_clash", "notebook_started"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CLASH_TEXT = ("address already in use", "kernel died before replying",
               "kernel didn't respond", "kernel died before")


def _kernel_manager(env: dict, log_handle):
    """An AsyncKernelManager that starts the kernel with extra environment variables and its
    output sent to a log file — without touching this process's ``os.environ``, which Dask
    worker threads share."""
    from jupyter_client.manager import AsyncKernelManager

    class _Manager(AsyncKernelManager):
        async def start_kernel(self, **kw):
            base = dict(kw.pop("env", None) or os.environ)
            base.update(env)
            if log_handle is not None:
                kw.setdefault("stdout", log_handle)
                kw.setdefault("stderr", log_handle)
            return await super().start_kernel(env=base, **kw)

    return _Manager(kernel_name="python3")


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
    clash = type(exc).__name__ in ("ZMQError", "DeadKernelError") or \
        any(t in text for t in _CLASH_TEXT)
    return clash and not notebook_started(output_notebook)


def _error_record(exc: BaseException) -> dict:
    if hasattr(exc, "ename") and hasattr(exc, "evalue"):  # PapermillExecutionError
        tb = _ANSI.sub("", "\n".join(getattr(exc, "traceback", []) or []))
        return {"type": exc.ename, "message": _ANSI.sub("", str(exc.evalue)),
                "cell": getattr(exc, "exec_count", None),
                "cell_index": getattr(exc, "cell_index", None),
                "traceback": tb[-4000:]}
    return {"type": type(exc).__name__, "message": _ANSI.sub("", str(exc))[:4000],
            "cell": None, "cell_index": None, "traceback": ""}


#: First visible line of every HTML report under outputs/.
INTERNAL_BANNER = ('<div class="cl-internal" style="background:#c62828;color:#fff;'
                   'padding:0.5rem 1rem;font-weight:600">INTERNAL REPORT — not '
                   "disclosure-protected, it may identify firms. Do not publish it; publish "
                   "with clusterlab publish.</div>")


def export_html(notebook_path, html_path) -> None:
    """Render an (executed or partial) notebook to a self-contained HTML report, atomically.

    Tables and figures are embedded; only MathJax and require.js are linked from a CDN, so
    offline the report shows everything except typeset formulas (shown as TeX source).
    """
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook_path, as_version=4)
    exporter = HTMLExporter(embed_images=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": Path(
        notebook_path).stem}})
    # reports are internal: they say so on their first visible line (docs/publishing.md)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + INTERNAL_BANNER, body, count=1)
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


def _run_papermill(spec: dict, log_handle) -> None:
    import papermill

    nb_dir = str(Path(spec["notebook_path"]).parent)
    env = {"CLUSTERLAB_OUTPUT_DIR": spec["output_dir"],
           "CLUSTERLAB_RUN_ID": spec.get("run_id", ""),
           # fixed on every executor (Dask's nanny sets its own random value for its workers)
           "PYTHONHASHSEED": os.environ.get("CLUSTERLAB_HASHSEED", "0")}
    parameters = dict(spec["parameters"])
    parameters["output_dir"] = spec["output_dir"]
    # papermill's cwd= does os.chdir, which is process-global: only safe in a process's main
    # thread. The kernel's own working directory is set through nbclient's resources in any case.
    in_main = threading.current_thread() is threading.main_thread()
    papermill.execute_notebook(
        spec["notebook_path"], spec["output_notebook"], parameters=parameters,
        kernel_name="python3", cwd=nb_dir if in_main else None,
        resources={"metadata": {"path": nb_dir}},
        km=_kernel_manager(env, log_handle),
        execution_timeout=spec.get("timeout"), start_timeout=spec.get("start_timeout", 60),
        progress_bar=False, log_output=False, report_mode=False)


def execute(spec: dict) -> dict:
    """Run one notebook execution described by ``spec``; never raises.

    Parameters
    ----------
    spec : dict
        ``id, notebook_path, output_notebook, report, output_dir, parameters`` (injected besides
        ``output_dir``), optional ``timeout`` (seconds per cell, ``None`` = no limit),
        ``start_timeout``, ``retries`` (default 1) and ``run_id``.

    Returns
    -------
    dict
        ``id, status ("succeeded"|"failed"), start, end, duration_s, attempts, error,
        report_error, report_s, kernel_log, host, pid, versions_digest`` (``duration_s`` is the
        notebook execution, ``report_s`` the HTML export after it).
    """
    logging.getLogger("papermill").setLevel(logging.ERROR)
    out_nb = Path(spec["output_notebook"])
    out_nb.parent.mkdir(parents=True, exist_ok=True)
    Path(spec["output_dir"]).mkdir(parents=True, exist_ok=True)
    log_path = out_nb.with_suffix(".kernel.log")
    retries = int(spec.get("retries", 1))
    start = utcnow()
    t0 = time.perf_counter()
    attempts, error, retried_for = 0, None, None
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
            if attempts <= retries and is_startup_clash(exc, out_nb):
                retried_for = error
                time.sleep(0.5 + random.random())
                continue
            break
    end = utcnow()
    result = {"id": spec["id"], "status": "failed" if error else "succeeded", "start": start,
              "end": end, "duration_s": round(time.perf_counter() - t0, 3),
              "attempts": attempts, "error": error, "retried_for": retried_for,
              "report_error": None, "host": socket.gethostname(), "pid": os.getpid(),
              "versions_digest": versions_digest()}
    t_report = time.perf_counter()
    if out_nb.is_file():
        try:
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
