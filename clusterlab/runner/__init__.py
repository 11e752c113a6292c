"""Batch runner: execute the analysis notebooks for every cluster with papermill.

``clusterlab run`` (see :mod:`clusterlab.cli`) is a thin wrapper around :func:`run`:

1. :func:`~clusterlab.runner.planner.plan` validates every parameter file (unknown keys fail with
   a "did you mean" hint before anything starts) and lists parameter file × notebook
   executions, each with a fingerprint over parameters, input file hashes and package versions;
2. with ``resume=True`` executions whose fingerprint already succeeded in an earlier run are
   skipped;
3. the rest run in this process, a local process pool or on Dask
   (:mod:`~clusterlab.runner.executors`), each through
   :func:`~clusterlab.runner.job.execute` (papermill, HTML report, one retry on kernel
   start-up clashes, the kernel shut down at the end, an optional memory limit); a worker
   that dies costs only its own execution (re-run with ``retries``), and every worker and
   kernel dies with the runner;
4. ``outputs/<run-id>/manifest.json`` and ``index.html`` are rewritten atomically after every
   execution.

See ``docs/running.md``.
"""

from __future__ import annotations

import importlib

# Imported lazily (PEP 562): ``import clusterlab.runner`` stays cheap, and the worker start-up
# module ``clusterlab.runner._boot`` runs before nbformat/papermill are imported.
_EXPORTS = {
    "run": "batch",
    "BatchResult": "batch",
    "new_run_id": "batch",
    "DEFAULT_TIMEOUT": "batch",
    "execute": "job",
    "export_html": "job",
    "make_executor": "executors",
    "default_jobs": "executors",
    "load_manifest": "manifest",
    "previous_successes": "manifest",
    "Execution": "planner",
    "plan": "planner",
    "discover_notebooks": "planner",
    "discover_parameter_files": "planner",
    "notebook_keys": "planner",
    "fingerprint": "provenance",
    "package_versions": "provenance",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f"clusterlab.runner.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'clusterlab.runner' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
