"""Start-up of the runner's own worker processes (the local pool's forkserver preloads this).

``jsonschema`` (imported by ``nbformat``) optionally imports ``rfc3987_syntax``, which compiles a
grammar at import time: about 2 s per process, used only to check the ``iri`` string formats that
notebook validation never needs. Processes the runner owns skip that optional import; user
processes that merely import :mod:`clusterlab.runner` are left alone.
"""

from __future__ import annotations

import sys

__all__ = ["skip_slow_optional_imports"]


def skip_slow_optional_imports() -> None:
    """Make ``import rfc3987_syntax`` fail fast (jsonschema then skips its ``iri`` checkers),
    unless it was imported already."""
    if "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


skip_slow_optional_imports()

import nbconvert  # noqa: E402,F401  - imported once in the forkserver, shared by every worker
import papermill  # noqa: E402,F401

import clusterlab.runner.job  # noqa: E402,F401  - what the workers run
