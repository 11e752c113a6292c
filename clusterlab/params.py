"""Parameter files: one YAML per cluster in ``parameters/``, merged over
``parameters/defaults.yaml``.

The valid keys, their types, ranges and help texts are declared in
``clusterlab/paramspec/*.yaml`` (one file per topic). Every key of a parameter file is checked
*before* any notebook runs: an unknown or misspelt key is an error that suggests the closest valid
key, and a wrong type or out-of-range value is an error naming the file, the key and what was
expected. (papermill itself only warns on unknown parameters.)

Examples
--------
>>> import tempfile, pathlib
>>> from clusterlab.params import load_parameters, ParameterError
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "north.yaml").write_text("cluster: north\\nseeed: 3\\n")
>>> try:
...     load_parameters(folder / "north.yaml")
... except ParameterError as err:
...     print(err.problems.loc[0, "found"])
unknown key 'seeed' (did you mean 'seed'?)
"""

from __future__ import annotations

import contextlib
import difflib
import math
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from clusterlab._validation import problem_frame
from clusterlab._yaml import read_yaml
from clusterlab.errors import ClusterlabFutureWarning, ParameterError

__all__ = [
    "ParameterError",
    "load_spec",
    "load_parameters",
    "validate_parameters",
    "validate_parameter_file",
    "check_parameter_file",
    "ParameterCheck",
    "is_parameter_file",
    "data_file_keys",
    "resolve_path",
    "key_lines",
    "DEFAULTS_NAME",
    "RENAMED_KEYS",
    "rename_keys",
]

DEFAULTS_NAME = "defaults.yaml"
_TYPES = {"str", "int", "float", "bool", "list", "dict", "path"}


def _level_to_alpha(level):
    """``0.95`` (a confidence level) → ``0.05`` (alpha); anything else is left for validation."""
    if isinstance(level, int | float) and not isinstance(level, bool):
        return round(1 - level, 12)
    return level


#: Renamed parameter keys, accepted for one release: ``old: (new, convert)``. ``convert`` maps
#: the old value to the new key's value (``None``: unchanged). The house style
#: (docs/contributing.md §1) renamed these; a file with the old key loads with a
#: :class:`~clusterlab.errors.ClusterlabFutureWarning` naming the new key and value.
RENAMED_KEYS: dict[str, tuple[str, Callable[[object], object] | None]] = {
    "instrument_ci_level": ("instrument_alpha", _level_to_alpha),
}


def rename_keys(
    values: dict, *, file: str = "parameters", warn: bool = True, since: str = "0.2"
) -> tuple[dict, dict[str, str]]:
    """Replace the old keys of :data:`RENAMED_KEYS` in a parameter mapping by the new ones.

    Parameters
    ----------
    values : dict
        Parsed YAML of one file (rename each file before merging it with others).
    file : str, default "parameters"
        Name shown in the warning.
    warn : bool, default True
        Emit a :class:`~clusterlab.errors.ClusterlabFutureWarning` per old key found.
    since : str, default "0.2"
        Release after which the old keys go.

    Returns
    -------
    (dict, dict)
        The mapping with new keys (old values converted) and ``{new key: old key}`` for the
        keys that were renamed. When a file sets both the old and the new key the old one is
        kept as it is, so that validation reports it.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     rename_keys({"cluster": "north", "instrument_ci_level": 0.9})
    ({'cluster': 'north', 'instrument_alpha': 0.1}, {'instrument_alpha': 'instrument_ci_level'})
    """
    if not isinstance(values, dict) or not set(values) & set(RENAMED_KEYS):
        return values, {}
    out: dict = {}
    renamed: dict[str, str] = {}
    for key, value in values.items():
        if key not in RENAMED_KEYS or RENAMED_KEYS[key][0] in values:
            out[key] = value
            continue
        new, convert = RENAMED_KEYS[key]
        converted = convert(value) if convert is not None else value
        if warn:
            how = f" ({key}: {value!r} is {new}: {converted!r})" if convert is not None else ""
            warnings.warn(
                f"{file}: parameter {key!r} is renamed: use {new!r}{how}; the old "
                f"key goes after {since}",
                ClusterlabFutureWarning,
                stacklevel=3,
            )
        out[new] = converted
        renamed[new] = key
    return out, renamed


@lru_cache(maxsize=1)
def _spec_cached() -> tuple[tuple[str, dict, str], ...]:
    entries = []
    folder = resources.files("clusterlab.paramspec")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        content = yaml.safe_load(item.read_text()) or {}
        for key, spec in content.items():
            entries.append((key, spec or {}, item.name))
    return tuple(entries)


def load_spec() -> dict[str, dict]:
    """Read all declared parameter keys (``clusterlab/paramspec/*.yaml``).

    Returns
    -------
    dict of str to dict
        ``{key: {type, default, help, ..., topic}}``: the declaration of each key (its type,
        default, help text, optional ``min``/``max``/``choices``) and the topic file declaring it.

    Raises
    ------
    ParameterError
        When two topic files declare the same key differently or a declaration is malformed.

    Examples
    --------
    >>> spec = load_spec()
    >>> spec["seed"]["type"], spec["seed"]["topic"]
    ('int', 'core')
    """
    spec: dict[str, dict] = {}
    for key, entry, topic in _spec_cached():
        entry = dict(entry)
        if entry.get("type") not in _TYPES:
            raise ParameterError(
                f"paramspec/{topic}: key {key!r} has type {entry.get('type')!r};"
                f" expected one of {sorted(_TYPES)}"
            )
        entry["topic"] = topic.removesuffix(".yaml")
        if key in spec:
            old = {k: v for k, v in spec[key].items() if k not in ("topic", "help")}
            new = {k: v for k, v in entry.items() if k not in ("topic", "help")}
            if old != new:
                raise ParameterError(
                    f"parameter {key!r} is declared differently in "
                    f"paramspec/{spec[key]['topic']}.yaml and paramspec/{topic}"
                )
            continue
        spec[key] = entry
    return spec


def data_file_keys() -> list[str]:
    """List the keys that point at data files (``<schema>_file``).

    Returns
    -------
    list of str
        The keys, in declaration order.

    Examples
    --------
    >>> data_file_keys()[:2]
    ['employment_file', 'definitions_file']
    """
    return [k for k, v in load_spec().items() if v["type"] == "path" and k.endswith("_file")]


def _type_ok(value, entry: dict) -> bool:
    kind = entry["type"]
    if value is None:
        return bool(entry.get("nullable", False))
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("str", "path"):
        return isinstance(value, str)
    if kind == "list":
        if not isinstance(value, list):
            return False
        items = entry.get("items")
        return items is None or all(_type_ok(v, {"type": items}) for v in value)
    if kind == "dict":
        return isinstance(value, dict)
    return False


def _describe(entry: dict) -> str:
    kind = entry["type"]
    if kind == "list" and entry.get("items"):
        kind = f"list of {entry['items']}"
    text = {
        "str": "text",
        "path": "a file path",
        "int": "a whole number",
        "float": "a number",
        "bool": "true or false",
        "dict": "a mapping",
    }.get(kind, kind)
    if entry.get("nullable"):
        text += " or null"
    return text


def validate_parameters(
    values: dict, *, file: str = "parameters", extra_keys: tuple[str, ...] = ()
) -> pd.DataFrame:
    """List the problems of a parameter mapping as a table, without raising.

    Parameters
    ----------
    values : dict
        Parsed YAML.
    file : str, default "parameters"
        Name shown in the problems.
    extra_keys : tuple of str, default ()
        Further accepted keys (e.g. ones declared only in a notebook's parameters cell).

    Returns
    -------
    pandas.DataFrame
        ``file, row, column, expected, found`` (``column`` holds the key; ``row`` empty, as
        the mapping has no lines); empty when valid.

    Examples
    --------
    >>> problems = validate_parameters({"cluster": "north", "seed": "many", "sede": 1})
    >>> problems[["column", "expected"]].values.tolist()
    [['seed', 'a whole number'], ['sede', 'a known parameter key']]
    """
    spec = load_spec()
    problems = []
    if not isinstance(values, dict):
        return problem_frame(
            [
                {
                    "file": file,
                    "expected": "a YAML mapping of key: value",
                    "found": type(values).__name__,
                }
            ]
        )
    values, renamed = rename_keys(values, file=file, warn=False)
    for old, (new, _) in RENAMED_KEYS.items():
        if old in values and new in values:
            problems.append(
                {
                    "file": file,
                    "column": old,
                    "expected": f"only {new!r} (the new name of {old!r})",
                    "found": f"both {old!r} and {new!r}",
                }
            )
    valid = sorted(set(spec) | set(extra_keys))
    for key, value in values.items():
        if key not in spec:
            if key in extra_keys or key in RENAMED_KEYS:
                continue
            close = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                {
                    "file": file,
                    "column": key,
                    "expected": "a known parameter key",
                    "found": f"unknown key {key!r}{hint}",
                }
            )
            continue
        entry = spec[key]
        if not _type_ok(value, entry):
            problems.append(
                {
                    "file": file,
                    "column": key,
                    "expected": _describe(entry),
                    "found": f"{value!r} ({type(value).__name__})",
                }
            )
            continue
        if value is None:
            continue
        nonfinite = [
            v
            for v in (value if isinstance(value, list) else [value])
            if isinstance(v, float) and not math.isfinite(v)
        ]
        if nonfinite:
            problems.append(
                {
                    "file": file,
                    "column": key,
                    "expected": "a finite number",
                    "found": repr(nonfinite[0]),
                }
            )
            continue
        if (
            "pattern" in entry
            and isinstance(value, str)
            and not re.fullmatch(entry["pattern"], value)
        ):
            problems.append(
                {
                    "file": file,
                    "column": key,
                    "expected": entry.get("pattern_help", f"text matching {entry['pattern']}"),
                    "found": repr(value),
                }
            )
            continue
        if "choices" in entry:
            items = value if isinstance(value, list) else [value]
            for item in [v for v in items if v not in entry["choices"]]:
                close = difflib.get_close_matches(
                    str(item), list(map(str, entry["choices"])), n=1, cutoff=0.6
                )
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(
                    {
                        "file": file,
                        "column": key,
                        "expected": "one of " + ", ".join(map(str, entry["choices"])),
                        "found": repr(item) + hint,
                    }
                )
        nums = value if isinstance(value, list) else [value]
        for v in nums:
            if isinstance(v, int | float) and not isinstance(v, bool):
                if "min" in entry and v < entry["min"]:
                    problems.append(
                        {
                            "file": file,
                            "column": key,
                            "expected": f">= {entry['min']}",
                            "found": repr(v),
                        }
                    )
                if "max" in entry and v > entry["max"]:
                    problems.append(
                        {
                            "file": file,
                            "column": key,
                            "expected": f"<= {entry['max']}",
                            "found": repr(v),
                        }
                    )
    for key, entry in spec.items():
        if entry.get("required") and key not in values:
            problems.append(
                {"file": file, "column": key, "expected": "this key to be set", "found": "missing"}
            )
    return _report_old_keys(problem_frame(problems), renamed)


def _report_old_keys(problems: pd.DataFrame, renamed: dict[str, str]) -> pd.DataFrame:
    """Problems of a renamed key are reported under the key written in the file."""
    hit = problems["column"].isin(list(renamed)).to_numpy(dtype=bool)
    if not hit.any():
        return problems
    problems = problems.copy()
    new = problems.loc[hit, "column"]
    problems.loc[hit, "expected"] = [
        f"{e} (as {n!r}, its new name)"
        for e, n in zip(problems.loc[hit, "expected"], new, strict=True)
    ]
    problems.loc[hit, "column"] = new.map(renamed)
    return problems


def _problem_error(
    path, message: str, *, row=None, column=None, expected: str, found: str
) -> ParameterError:
    return ParameterError(
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


def key_lines(path: str | os.PathLike) -> dict[str, int]:
    r"""Give the line number of every top-level key of a YAML file.

    Parameters
    ----------
    path : str or path-like
        The YAML file.

    Returns
    -------
    dict of str to int
        Key → line (the first line is 1); ``{}`` when the file cannot be read or parsed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = Path(tmp.name) / "north.yaml"
    >>> _ = path.write_text("cluster: northport_maritime\nseed: 3\n")
    >>> key_lines(path)
    {'cluster': 1, 'seed': 2}
    >>> tmp.cleanup()
    """
    try:
        node = yaml.compose(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _read_yaml(path: Path) -> dict:
    """Parse a parameter file (:func:`clusterlab._yaml.read_yaml`: every failure is a
    :class:`ParameterError` with a problems row, never a decoding or OS traceback)."""
    return read_yaml(path, error=ParameterError, what="parameter file")


def _raise(problems: pd.DataFrame, path: Path) -> None:
    lines = key_lines(path)
    problems = problems.copy()
    if lines:
        rows = problems["column"].map(lambda k: lines.get(str(k)))
        problems["row"] = problems["row"].where(problems["row"].notna(), rows)
    text = [
        f"  {r.file}: {r.column}: expected {r.expected}, found {r.found}"
        for r in problems.itertuples()
    ]
    raise ParameterError(
        f"{path}: {len(problems)} problem(s) in the parameter file\n" + "\n".join(text), problems
    )


def resolve_path(
    value: str | os.PathLike,
    *,
    data_dir: str | os.PathLike | None = None,
    parameter_file: str | os.PathLike | None = None,
    root: str | os.PathLike | None = None,
) -> tuple[Path, list[Path]]:
    """Find where a relative data-file name of a parameter file points.

    Tried in this order: ``data_dir`` (when set), the project root (``root``, default the
    working directory) and the parameter file's folder; the first existing candidate wins. An
    absolute path (``~`` expanded) is taken as it is.

    Parameters
    ----------
    value : str or path-like
        The file name as written in the parameter file.
    data_dir : str or path-like, optional
        The parameter file's ``data_dir``. Default ``None``.
    parameter_file : str or path-like, optional
        The parameter file (its folder is the last candidate). Default ``None``.
    root : str or path-like, optional
        The project root. Default ``None``: the working directory.

    Returns
    -------
    (pathlib.Path, list of pathlib.Path)
        The resolved absolute path (the first candidate when none exists) and every candidate
        tried, for the message of a missing file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "emp.csv").write_text("x")
    >>> path, tried = resolve_path("emp.csv", parameter_file=folder / "p.yaml",
    ...                            root=folder / "elsewhere")
    >>> path == (folder / "emp.csv").resolve(), len(tried)
    (True, 2)
    """
    p = Path(os.path.expanduser(str(value)))
    if p.is_absolute():
        return p.resolve(), [p]
    candidates = []
    if data_dir:
        candidates.append(Path(data_dir) / p)
    candidates.append(Path(root if root is not None else os.getcwd()) / p)
    if parameter_file is not None:
        candidates.append(Path(parameter_file).resolve().parent / p)
    unique = list(dict.fromkeys(c.resolve() for c in candidates))
    found = next((c for c in unique if c.exists()), unique[0])
    return found, unique


def load_parameters(path: str | os.PathLike, *, extra_keys: tuple[str, ...] = ()) -> dict:
    r"""Load a cluster's parameter file merged over ``defaults.yaml`` of the same folder.

    Relative paths of ``path``-typed keys are resolved by :func:`resolve_path`: against
    ``data_dir`` (when set), then the project root (the working directory), then the parameter
    file's folder; they are returned as absolute paths. A relative ``data_dir`` is looked up in
    the project root, then beside the parameter file. ``cluster`` defaults to the file's stem.

    Parameters
    ----------
    path : str or path-like
        The cluster's YAML file.
    extra_keys : tuple of str, default ()
        Further accepted keys.

    Returns
    -------
    dict
        The validated parameters (only keys set in the files; notebook defaults apply to the rest).

    Raises
    ------
    ParameterError
        Listing every problem, each naming the file and the key; ``err.problems`` is the table.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = Path(tmp.name) / "north.yaml"
    >>> _ = path.write_text("cluster: northport_maritime\nseed: 3\n")
    >>> load_parameters(path)
    {'cluster': 'northport_maritime', 'seed': 3}
    >>> tmp.cleanup()
    """
    path = Path(path)
    merged: dict = {}
    defaults = path.parent / DEFAULTS_NAME
    if defaults.exists() and defaults.resolve() != path.resolve():
        base, renamed = rename_keys(_read_yaml(defaults), file=str(defaults))
        problems = _report_old_keys(
            validate_parameters(base, file=str(defaults), extra_keys=extra_keys), renamed
        )
        problems = problems[problems["found"] != "missing"]  # defaults need not name a cluster
        if not problems.empty:
            _raise(problems, defaults)
        merged.update(base)
    own, renamed = rename_keys(_read_yaml(path), file=str(path))
    merged.update(own)
    merged.setdefault("cluster", path.stem)
    problems = _report_old_keys(
        validate_parameters(merged, file=str(path), extra_keys=extra_keys), renamed
    )
    if not problems.empty:
        _raise(problems, path)
    spec = load_spec()
    data_dir = merged.get("data_dir")
    if data_dir:
        data_dir = str(resolve_path(data_dir, parameter_file=path)[0])
        merged["data_dir"] = data_dir
    for key, value in merged.items():
        if key in spec and spec[key]["type"] == "path" and value and key != "data_dir":
            merged[key] = str(resolve_path(value, data_dir=data_dir, parameter_file=path)[0])
    return merged


@dataclass(frozen=True)
class ParameterCheck:
    r"""What ``clusterlab validate PARAMS`` found (made by :func:`check_parameter_file`).

    Parameters
    ----------
    problems : pandas.DataFrame
        Every problem (``file, row, column, expected, found``) of the parameter file, of the
        data files it points to and of the analyses it selects.
    files : pandas.DataFrame
        One row per data-file key set: ``parameter, value, path`` (the resolved path),
        ``exists`` and ``tried`` (every candidate, in order).
    analyses : pandas.DataFrame
        ``analysis, notebook, status (ready|skip|invalid), reason`` for this cluster (empty when
        the parameter file itself is invalid).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = Path(tmp.name) / "north.yaml"
    >>> _ = path.write_text("cluster: northport_maritime\nseed: 3\n")
    >>> check = check_parameter_file(path, analyses=False)
    >>> check.problems.empty, check.files.empty
    (True, True)
    >>> tmp.cleanup()
    """

    problems: pd.DataFrame
    files: pd.DataFrame
    analyses: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        return self.analyses.copy()


def _raw_values(path: Path) -> dict:
    merged: dict = {}
    defaults = path.parent / DEFAULTS_NAME
    for source in (
        [defaults] if defaults.exists() and defaults.resolve() != path.resolve() else []
    ) + [path]:
        with contextlib.suppress(ParameterError):
            merged.update(_read_yaml(source))
    return merged


def check_parameter_file(
    path: str | os.PathLike, *, extra_keys: tuple[str, ...] = (), analyses: bool = True
) -> ParameterCheck:
    r"""Check a parameter file, its data files and the needs of the analyses it selects.

    The needs are checked for its cluster (:mod:`clusterlab.analyses`). An analysis the file
    selects explicitly (``analyses: [...]``) whose inputs are absent is a problem; with
    ``analyses`` unset such an analysis is only reported as ``skip`` (the runner skips it with
    the reason). A parameter naming a code the data lack is always a problem.

    Parameters
    ----------
    path : str or path-like
        The parameter file.
    extra_keys : tuple of str, default ()
        Further accepted keys (e.g. declared only in a notebook's parameters cell).
    analyses : bool, default True
        Also check the analyses' needs (reads the data; False checks the file and its paths).

    Returns
    -------
    ParameterCheck
        ``.problems``, ``.files`` and ``.analyses`` (see :class:`ParameterCheck`).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = Path(tmp.name) / "north.yaml"
    >>> _ = path.write_text("cluster: northport_maritime\nseed: 3\n")
    >>> check = check_parameter_file(path)
    >>> check.problems.empty
    True
    >>> check.analyses[["analysis", "status"]].head(2)
       analysis status
    0   mapping  ready
    1  networks  ready
    >>> tmp.cleanup()
    """
    from clusterlab import io
    from clusterlab.analyses import assess

    path = Path(path)
    empty = pd.DataFrame(columns=["analysis", "notebook", "status", "reason"])
    file_rows: list[dict[str, object]] = []
    raw = _raw_values(path) if path.is_file() else {}
    try:
        params = load_parameters(path, extra_keys=extra_keys)
    except ParameterError as exc:
        problems = exc.problems
        if problems is None or problems.empty:
            problems = problem_frame(
                [{"file": str(path), "expected": "a valid parameter file", "found": str(exc)}]
            )
        return ParameterCheck(problems, pd.DataFrame(file_rows), empty)
    lines = key_lines(path)
    frames = []
    tables: dict[str, pd.DataFrame] = {}
    data_dir = params.get("data_dir")
    keys = sorted(
        data_file_keys(), key=lambda k: (k not in ("regions_file", "definitions_file"), k)
    )
    widths = params.get("code_widths") or {}
    for key in keys:
        target = params.get(key)
        if not target:
            continue
        _, tried = resolve_path(raw.get(key, target), data_dir=data_dir, parameter_file=path)
        exists = Path(target).exists()
        file_rows.append(
            {
                "parameter": key,
                "value": raw.get(key, target),
                "path": target,
                "exists": exists,
                "tried": "; ".join(map(str, tried)),
            }
        )
        if not exists:
            frames.append(
                problem_frame(
                    [
                        {
                            "file": str(path),
                            "row": lines.get(key),
                            "column": key,
                            "expected": "an existing data file",
                            "found": "not found; tried " + ", ".join(map(str, tried)),
                        }
                    ]
                )
            )
            continue
        if key == "regions_geometry_file":  # boundaries for the maps, not a table
            from clusterlab.maps import read_boundaries

            try:
                read_boundaries(target)
            except io.DataValidationError as exc:
                frames.append(exc.problems)
            except ParameterError as exc:
                frames.append(
                    problem_frame(
                        [{"file": target, "expected": "a boundaries file", "found": str(exc)}]
                    )
                )
            continue
        kind = key.removesuffix("_file")
        refs = {}
        if kind == "employment":
            if "regions" in tables:
                refs["region"] = tables["regions"]["region"]
            if "definitions" in tables:
                refs["industry"] = tables["definitions"]["industry"]
        try:
            tables[kind] = io.read(
                target, kind if kind in io.SCHEMAS else None, references=refs, code_widths=widths
            )
        except (io.DataValidationError, ParameterError) as exc:
            frames.append(exc.problems)
    readiness = empty
    if analyses and not frames:
        report = assess(params, tables=tables)
        readiness = report.table
        chosen = params.get("analyses") is not None
        bad = report.problems[
            (report.problems["status"] == "invalid")
            | ((report.problems["status"] == "skip") & chosen)
        ]
        if not bad.empty:
            bad = bad.copy()
            bad["found"] = [f"{a}: {f}" for a, f in zip(bad["analysis"], bad["found"], strict=True)]
            is_key = bad["column"].isin(list(params))  # a parameter naming what is not there
            bad.loc[is_key, "expected"] = [
                f"{e} ({f})"
                for e, f in zip(bad.loc[is_key, "expected"], bad.loc[is_key, "file"], strict=True)
            ]
            bad.loc[is_key, "file"] = str(path)
            bad.loc[is_key, "row"] = bad.loc[is_key, "column"].map(lines)
            skipped = (bad["status"] == "skip").to_numpy()  # chosen, but its inputs are absent
            bad.loc[skipped, "file"] = str(path)
            bad.loc[skipped, "column"] = "analyses"
            bad.loc[skipped, "row"] = lines.get("analyses")
            frames.append(bad[list(problem_frame([]).columns)])
    problems = pd.concat(frames, ignore_index=True) if frames else problem_frame([])
    return ParameterCheck(problems, pd.DataFrame(file_rows), readiness)


def validate_parameter_file(
    path: str | os.PathLike, *, extra_keys: tuple[str, ...] = ()
) -> pd.DataFrame:
    r"""List every problem of a parameter file, its data files and its analyses as one table.

    See :func:`check_parameter_file` (this is its ``.problems``).

    Parameters
    ----------
    path : str or path-like
        The parameter file.
    extra_keys : tuple of str, default ()
        Further accepted keys.

    Returns
    -------
    pandas.DataFrame
        ``file, row, column, expected, found``; empty when everything is valid.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "north.yaml"
    ...     _ = path.write_text("cluster: north\nemployment_file: nowhere.csv\n")
    ...     problems = validate_parameter_file(path)
    >>> problems[["row", "column", "expected"]].values.tolist()
    [[2, 'employment_file', 'an existing data file']]
    """
    return check_parameter_file(path, extra_keys=extra_keys).problems


def is_parameter_file(path: str | os.PathLike) -> bool:
    """Tell whether a path is treated as a parameter file.

    Parameters
    ----------
    path : str or path-like
        A file name.

    Returns
    -------
    bool
        True for YAML files (``.yaml``/``.yml``).

    Examples
    --------
    >>> is_parameter_file("parameters/north.yml"), is_parameter_file("data/employment.csv")
    (True, False)
    """
    return Path(path).suffix.lower() in (".yaml", ".yml")


# writing a template for a new cluster lives in its own module (one job per module); the names
# stay importable from here, loaded on first use (newcluster imports this module: importing it at
# the top of either one made ``import clusterlab.newcluster`` fail on a fresh interpreter)
def __getattr__(name: str):
    if name in ("scan_data_folder", "write_template"):
        from clusterlab import newcluster

        return getattr(newcluster, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
