"""Every module imports on its own, first, in a fresh interpreter (no import cycles that only
work in one order: ``import clusterlab.newcluster`` used to fail)."""

import pkgutil
import subprocess
import sys

import clusterlab

MODULES = sorted(m.name for m in pkgutil.walk_packages(clusterlab.__path__, "clusterlab."))

SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "clusterlab" or m.startswith("clusterlab.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:  # report every module, not only the first
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_every_module_imports_first():
    assert len(MODULES) > 50
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *MODULES], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
