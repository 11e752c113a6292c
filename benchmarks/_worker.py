"""Shared by the benchmarks: run one measured path in a fresh Python process.

Each path runs in its own process so that its peak memory (``ru_maxrss``) is its own; the child
prints one ``RESULT {json}`` line.
"""

from __future__ import annotations

import json
import subprocess
import sys


def measure(script: str, name: str, glob: str, defs: str, threads: int) -> dict:
    """Run ``script --worker name`` and return its RESULT dict (or ``{"error": ...}``)."""
    cmd = [
        sys.executable,
        script,
        "--worker",
        name,
        "--glob",
        glob,
        "--defs",
        defs,
        "--threads",
        str(threads),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail) or f"exit {done.returncode}"}
    return json.loads(line.removeprefix("RESULT "))
