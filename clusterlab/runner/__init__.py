"""Batch runner: execute the analysis notebooks for every cluster with papermill.

``clusterlab run`` (see :mod:`clusterlab.cli`) is a thin wrapper around :func:`run`:

1. :func:`~clusterlab.runner.plan.plan` validates every parameter file (unknown keys fail with
   a "did you mean" hint before anything starts) and lists parameter file × notebook
   executions, each with a fingerprint over parameters, input file hashes and package versions;
2. with ``resume=True`` executions whose fingerprint already succeeded in an earlier run are
   skipped;
3. the rest run in this process, a local process pool or on Dask
   (:mod:`~clusterlab.runner.executors`), each through
   :func:`~clusterlab.runner.job.execute` (papermill, HTML report, one retry on kernel
   start-up clashes);
4. ``outputs/<run-id>/manifest.json`` is rewritten atomically after every execution.

See ``docs/running.md``.
"""

from clusterlab.runner.batch import DEFAULT_TIMEOUT, BatchResult, new_run_id, run
from clusterlab.runner.executors import default_jobs, make_executor
from clusterlab.runner.job import execute, export_html
from clusterlab.runner.manifest import load_manifest, previous_successes
from clusterlab.runner.plan import (
    Execution,
    discover_notebooks,
    discover_parameter_files,
    notebook_keys,
    plan,
)
from clusterlab.runner.provenance import fingerprint, package_versions

__all__ = ["run", "BatchResult", "new_run_id", "DEFAULT_TIMEOUT", "execute", "export_html",
           "make_executor", "default_jobs", "load_manifest", "previous_successes", "Execution",
           "plan", "discover_notebooks", "discover_parameter_files", "notebook_keys",
           "fingerprint", "package_versions"]
