"""Process helpers of the batch runner: a killed kernel's whole tree has ended when
``kill_tree`` returns (so that a new kernel never runs next to the last one)."""

import subprocess
import sys
import time

import psutil
import pytest

from clusterlab.runner._procs import kill_tree

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux processes")

TREE = """
import os, subprocess, sys, time
os.setsid()  # like a kernel: its own session and process group
children = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
            for _ in range(3)]
print(" ".join(str(c.pid) for c in children), flush=True)
time.sleep(120)
"""


def ended(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_kill_tree_returns_when_the_whole_tree_has_ended():
    proc = subprocess.Popen([sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True)
    try:
        children = [int(x) for x in proc.stdout.readline().split()]
        assert len(children) == 3 and not any(ended(c) for c in children)
        start = time.monotonic()
        kill_tree(proc.pid)
        assert time.monotonic() - start < 5
        # checked at once, without waiting: nothing of the tree may still run
        assert ended(proc.pid) and all(ended(c) for c in children)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def test_kill_tree_of_a_gone_process_is_quiet():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    kill_tree(proc.pid)  # no error, returns at once
