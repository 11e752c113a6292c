"""Reading YAML files (parameters, instruments, scorecard catalogues and action registers) with
one set of rules: safe loading, a key given twice is an error, UTF-8 text, and every failure is
an error of our own with a problems row (file, line, column, expected, found) — never a PyYAML,
decoding or OS traceback."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import yaml

from clusterlab._validation import problem_frame
from clusterlab.errors import ParameterError

__all__ = ["UniqueKeyLoader", "read_yaml"]


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping (PyYAML keeps the last
    silently)."""


def _construct_mapping(loader, node, deep=False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:  # unhashable key: PyYAML reports it itself
            duplicate = False
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} appears twice (first on line {seen[key]})",
                key_node.start_mark,
            )
        with contextlib.suppress(TypeError):
            seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def problem_error(
    path, message: str, *, error=ParameterError, row=None, column=None, expected: str, found: str
):
    """``error(f"{path}: {message}")`` carrying one problems row."""
    return error(
        f"{path}: {message}",
        problem_frame(
            [
                {
                    "file": str(path),
                    "row": row,
                    "column": column,
                    "expected": expected,
                    "found": found,
                }
            ]
        ),
    )


def read_yaml(
    path: str | os.PathLike,
    *,
    error=ParameterError,
    what: str = "YAML file",
    loader=UniqueKeyLoader,
    mapping: bool = True,
):
    """Parse a YAML file; every failure is ``error`` with a problems row.

    Parameters
    ----------
    path : str or path-like
    error : exception class, default ParameterError
        :class:`~clusterlab.errors.ParameterError` for parameter files,
        :class:`~clusterlab.errors.DataValidationError` for data (instruments, registers).
    what : str
        What the file is, for messages ("parameter file not found").
    loader : yaml loader class, default UniqueKeyLoader
        A subclass of :class:`UniqueKeyLoader` (e.g. one that records lines).
    mapping : bool, default True
        Require a mapping of key: value at the top (an empty file gives ``{}``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.yaml"
    >>> _ = p.write_text("a: 1\\na: 2\\n")
    >>> read_yaml(p)
    Traceback (most recent call last):
    ...
    clusterlab.errors.ParameterError: ...: not valid YAML (line 2, column 1): key 'a' appears ...
    """
    path = Path(path)
    kw = {"error": error}
    if path.is_dir():
        raise problem_error(
            path, f"is a folder, not a {what}", expected=f"a {what}", found="a folder", **kw
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise problem_error(
            path, f"{what} not found", expected="an existing file", found="no such file", **kw
        ) from None
    except OSError as exc:
        raise problem_error(
            path,
            f"cannot be read ({exc.strerror})",
            expected="a readable file",
            found=str(exc.strerror),
            **kw,
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise problem_error(
            path,
            f"not UTF-8 text (byte {raw[exc.start]:#04x} on line {line}); save the file as UTF-8",
            row=line,
            expected="UTF-8 text",
            found=f"byte {raw[exc.start]:#04x} (latin-1 or another encoding?)",
            **kw,
        ) from None
    try:
        content = yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        mark_line = mark.line + 1 if mark else None
        where = f" (line {mark_line}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise problem_error(
            path,
            f"not valid YAML{where}: {problem}",
            row=mark_line,
            expected="valid YAML",
            found=f"not valid YAML{where}: {problem}",
            **kw,
        ) from None
    if content is None:
        return {}
    if mapping and not isinstance(content, dict):
        raise problem_error(
            path,
            f"expected a mapping of key: value, found {type(content).__name__}",
            expected="a mapping of key: value",
            found=type(content).__name__,
            **kw,
        )
    return content
