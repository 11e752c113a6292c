"""Every public object has a numpydoc docstring that passes the house checks (issue #19).

Public objects (docs/contributing.md §4): the functions and classes exported by ``__all__`` of
clusterlab's subpackages (``clusterlab.mapping``, ``clusterlab.networks``, ...) and top-level
modules (``clusterlab.io``, ``clusterlab.results``, ...), and the public functions of the
``clusterlab/plots/*`` modules. Each is validated with :func:`numpydoc.validate.validate`;
one test per object, so a failure names the object and the numpydoc messages.

Checked codes -- functions: GL08 (no docstring), SS01 (no summary), PR01 (a parameter is not
documented), PR02 (an unknown parameter is documented), RT01 (no Returns section although the
function returns something), EX01 (no Examples section); classes: GL08, SS01, EX01.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpydoc.validate
import pytest

import clusterlab
import clusterlab.plots

FUNCTION_CHECKS = ("GL08", "SS01", "PR01", "PR02", "RT01", "EX01")
CLASS_CHECKS = ("GL08", "SS01", "EX01")


def _public_modules() -> list[str]:
    """Subpackages and top-level modules of clusterlab that export an ``__all__``."""
    names = []
    for info in pkgutil.iter_modules(clusterlab.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"clusterlab.{info.name}")
        if getattr(module, "__all__", None) is not None:
            names.append(module.__name__)
    return names


def _plots_modules() -> list[str]:
    return [
        f"clusterlab.plots.{info.name}"
        for info in pkgutil.iter_modules(clusterlab.plots.__path__)
        if not info.name.startswith("_")
    ]


def public_objects() -> list[tuple[str, str]]:
    """``(import path, "function" | "class")`` of every public object, each object once (under
    the first name it is exported by)."""
    found: list[tuple[str, str]] = []
    seen: set[int] = set()

    def add(path: str, obj: object) -> None:
        if id(obj) in seen:
            return
        if inspect.isclass(obj):
            kind = "class"
        elif inspect.isfunction(obj) or inspect.ismethod(obj) or callable(obj):
            kind = "function"
        else:  # constants, version strings, mappings: not checked here
            return
        seen.add(id(obj))
        found.append((path, kind))

    for modname in _public_modules():
        module = importlib.import_module(modname)
        for name in module.__all__:
            add(f"{modname}.{name}", getattr(module, name))
    for modname in _plots_modules():
        module = importlib.import_module(modname)
        for name, obj in vars(module).items():
            if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == modname:
                add(f"{modname}.{name}", obj)
    return found


OBJECTS = public_objects()


def test_the_public_objects_are_found():
    kinds = {kind for _, kind in OBJECTS}
    assert len(OBJECTS) > 200 and kinds == {"function", "class"}
    assert ("clusterlab.mapping.location_quotients", "function") in OBJECTS
    assert any(path.startswith("clusterlab.plots.") for path, _ in OBJECTS)


@pytest.mark.parametrize(("path", "kind"), OBJECTS, ids=[path for path, _ in OBJECTS])
def test_numpydoc_docstring(path, kind):
    checks = FUNCTION_CHECKS if kind == "function" else CLASS_CHECKS
    result = numpydoc.validate.validate(path)
    errors = [f"{code}: {message}" for code, message in result["errors"] if code in checks]
    assert not errors, f"{path} ({kind}):\n  " + "\n  ".join(errors)
