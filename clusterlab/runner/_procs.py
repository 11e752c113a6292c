"""Process bookkeeping of the runner: children that die with their parent, process trees, causes
of death.

* :func:`die_with_parent` asks Linux to send ``SIGKILL`` to the calling process when its parent
  dies (``prctl(PR_SET_PDEATHSIG)``); the runner's pool workers and every kernel call it, so that
  ``kill -9`` of the runner takes the whole tree with it (runner → forkserver → worker → kernel).
  Elsewhere it is a no-op and the watchdogs (the forkserver's pipe, ipykernel's parent poller)
  remain.
* :func:`tree_rss` and :func:`kill_tree` measure and stop a kernel with its own children.
* :func:`death_cause` turns an exit code into words for the manifest.

Examples
--------
>>> death_cause(-9)
'killed by signal SIGKILL (possibly out of memory: the kernel out-of-memory killer sends SIGKILL)'
>>> death_cause(-15)
'killed by signal SIGTERM'
>>> death_cause(3)
'exited with code 3'
>>> parse_memory("1.5GB"), parse_memory("512M"), parse_memory(None)
(1500000000, 512000000, None)
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import sys
import time

__all__ = [
    "die_with_parent",
    "exit_with",
    "tree_rss",
    "kill_tree",
    "death_cause",
    "parse_memory",
    "format_bytes",
]

_PR_SET_PDEATHSIG = 1
_UNITS = {
    "": 1,
    "b": 1,
    "k": 10**3,
    "kb": 10**3,
    "m": 10**6,
    "mb": 10**6,
    "g": 10**9,
    "gb": 10**9,
    "t": 10**12,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}


def die_with_parent() -> bool:
    """Have the kernel send SIGKILL to this process when its parent ends (Linux only).

    If the parent is already gone when the request takes effect (the process was re-parented in
    between), the process exits at once.

    Returns
    -------
    bool
        Whether the request was registered.
    """
    if not sys.platform.startswith("linux"):
        return False
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        ok = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover - no prctl
        return False
    if os.getppid() != parent:  # pragma: no cover - the parent died in between
        os._exit(1)
    return ok


def exit_with(sentinel) -> None:
    """Exit this process (``os._exit``) as soon as ``sentinel`` (a process sentinel or a pipe
    end) becomes ready — i.e. when the process it stands for has ended. Runs in a daemon
    thread."""
    import threading
    from multiprocessing.connection import wait

    def watch():
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="clusterlab-parent-watch", daemon=True).start()


def _kernel_preexec() -> None:  # pragma: no cover - runs in the forked kernel child
    die_with_parent()


def kernel_preexec():
    """A ``preexec_fn`` for kernel processes (``None`` where it would do nothing)."""
    return _kernel_preexec if sys.platform.startswith("linux") else None


def _tree(pid: int):
    import psutil

    try:
        proc = psutil.Process(pid)
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return []


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants; 0 when it is gone."""
    import psutil

    total = 0
    for proc in _tree(pid):
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total


def kill_tree(pid: int, *, timeout: float = 5.0) -> None:
    """SIGKILL a process, its process group (kernels lead their own session) and descendants,
    and wait up to ``timeout`` seconds until each of them has ended.

    A killed process takes a moment to end (longer under load); without the wait, the next
    execution's kernel could start while the last one is still there, and more kernels than
    ``--jobs`` would be alive for a moment.
    """
    import psutil

    procs = _tree(pid)
    try:
        leader = os.getpgid(pid) == pid
    except OSError:  # gone; a group of that id can only be its own leftovers
        leader = True
    if leader:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    _wait_ended(procs, timeout)


def _wait_ended(procs, timeout: float) -> None:
    """Wait until every process in ``procs`` is gone or a zombie (ended, not yet reaped)."""
    import psutil

    end = time.monotonic() + timeout
    alive = list(procs)
    while alive:
        still = []
        for proc in alive:
            with contextlib.suppress(psutil.Error):
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    still.append(proc)
        alive = still
        if not alive or time.monotonic() > end:
            return
        time.sleep(0.01)


def death_cause(exitcode: int | None) -> str:
    """Words for how a process ended (``Process.exitcode``: negative = signal number)."""
    if exitcode is None:
        return "ended without an exit code"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        text = f"killed by signal {name}"
        if -exitcode == signal.SIGKILL:
            text += " (possibly out of memory: the kernel out-of-memory killer sends SIGKILL)"
        return text
    return f"exited with code {exitcode}"


def parse_memory(value) -> int | None:
    """Bytes from ``"2GB"``, ``"500MiB"``, ``"1.5g"`` or a number of bytes; ``None`` stays.

    Raises
    ------
    ValueError
        For text that is not a positive amount of memory.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number, unit = float(value), ""
    else:
        m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([A-Za-z]*)\s*", str(value))
        if not m or m.group(2).lower() not in _UNITS:
            raise ValueError(f"not an amount of memory: {value!r} (e.g. 2GB, 500MB, 1.5GiB)")
        number, unit = float(m.group(1)), m.group(2).lower()
    result = int(number * _UNITS[unit])
    if result <= 0:
        raise ValueError(f"the memory limit must be positive, got {value!r}")
    return result


def format_bytes(n: int) -> str:
    """``1234567890`` → ``'1.23 GB'`` (decimal units, as ``--max-memory`` reads them)."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.2f} {unit}"
    return f"{n} B"
