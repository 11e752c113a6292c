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

import difflib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from clusterlab._validation import problem_frame
from clusterlab.errors import ParameterError

__all__ = [
    "ParameterError",
    "load_spec",
    "load_parameters",
    "validate_parameters",
    "validate_parameter_file",
    "is_parameter_file",
    "write_template",
    "data_file_keys",
    "DEFAULTS_NAME",
]

DEFAULTS_NAME = "defaults.yaml"
_TYPES = {"str", "int", "float", "bool", "list", "dict", "path"}


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
    """All declared parameter keys: ``{key: {type, default, help, ...,"topic"}}``.

    Raises
    ------
    ParameterError
        When two topic files declare the same key differently or a declaration is malformed.
    """
    spec: dict[str, dict] = {}
    for key, entry, topic in _spec_cached():
        entry = dict(entry)
        if entry.get("type") not in _TYPES:
            raise ParameterError(f"paramspec/{topic}: key {key!r} has type {entry.get('type')!r};"
                                 f" expected one of {sorted(_TYPES)}")
        entry["topic"] = topic.removesuffix(".yaml")
        if key in spec:
            old = {k: v for k, v in spec[key].items() if k not in ("topic", "help")}
            new = {k: v for k, v in entry.items() if k not in ("topic", "help")}
            if old != new:
                raise ParameterError(f"parameter {key!r} is declared differently in "
                                     f"paramspec/{spec[key]['topic']}.yaml and paramspec/{topic}")
            continue
        spec[key] = entry
    return spec


def data_file_keys() -> list[str]:
    """Keys that point at data files (``<schema>_file``)."""
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
    text = {"str": "text", "path": "a file path", "int": "a whole number", "float": "a number",
            "bool": "true or false", "dict": "a mapping"}.get(kind, kind)
    if entry.get("nullable"):
        text += " or null"
    return text


def validate_parameters(values: dict, *, file: str = "parameters",
                        extra_keys: tuple[str, ...] = ()) -> pd.DataFrame:
    """Problems of a parameter mapping as a table (``file, row, column, expected, found``;
    ``column`` holds the key). Empty when valid.

    Parameters
    ----------
    values : dict
        Parsed YAML.
    file : str
        Name shown in the problems.
    extra_keys : tuple of str
        Further accepted keys (e.g. ones declared only in a notebook's parameters cell).
    """
    spec = load_spec()
    problems = []
    if not isinstance(values, dict):
        return problem_frame([{"file": file, "expected": "a YAML mapping of key: value",
                               "found": type(values).__name__}])
    valid = sorted(set(spec) | set(extra_keys))
    for key, value in values.items():
        if key not in spec:
            if key in extra_keys:
                continue
            close = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append({"file": file, "column": key, "expected": "a known parameter key",
                             "found": f"unknown key {key!r}{hint}"})
            continue
        entry = spec[key]
        if not _type_ok(value, entry):
            problems.append({"file": file, "column": key, "expected": _describe(entry),
                             "found": f"{value!r} ({type(value).__name__})"})
            continue
        if value is None:
            continue
        if "choices" in entry and value not in entry["choices"]:
            problems.append({"file": file, "column": key,
                             "expected": "one of " + ", ".join(map(str, entry["choices"])),
                             "found": repr(value)})
        nums = value if isinstance(value, list) else [value]
        for v in nums:
            if isinstance(v, int | float) and not isinstance(v, bool):
                if "min" in entry and v < entry["min"]:
                    problems.append({"file": file, "column": key,
                                     "expected": f">= {entry['min']}", "found": repr(v)})
                if "max" in entry and v > entry["max"]:
                    problems.append({"file": file, "column": key,
                                     "expected": f"<= {entry['max']}", "found": repr(v)})
    for key, entry in spec.items():
        if entry.get("required") and key not in values:
            problems.append({"file": file, "column": key, "expected": "this key to be set",
                             "found": "missing"})
    return problem_frame(problems)


def _read_yaml(path: Path) -> dict:
    try:
        content = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ParameterError(f"{path}: parameter file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ParameterError(f"{path}: not valid YAML{where}: "
                             f"{getattr(exc, 'problem', exc)}") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ParameterError(f"{path}: expected a mapping of key: value, "
                             f"found {type(content).__name__}")
    return content


def _raise(problems: pd.DataFrame, path: Path) -> None:
    lines = [f"  {r.file}: {r.column}: expected {r.expected}, found {r.found}"
             for r in problems.itertuples()]
    err = ParameterError(f"{path}: {len(problems)} problem(s) in the parameter file\n"
                         + "\n".join(lines))
    err.problems = problems
    raise err


def load_parameters(path: str | os.PathLike, *, extra_keys: tuple[str, ...] = ()) -> dict:
    """Load a cluster's parameter file merged over ``defaults.yaml`` of the same folder.

    Relative paths of ``path``-typed keys are resolved against ``data_dir`` (when set) and then
    against the parameter file's folder, and returned as absolute paths. ``cluster`` defaults to
    the file's stem.

    Parameters
    ----------
    path : path-like
        The cluster's YAML file.
    extra_keys : tuple of str
        Further accepted keys.

    Returns
    -------
    dict
        The validated parameters (only keys set in the files; notebook defaults apply to the rest).

    Raises
    ------
    ParameterError
        Listing every problem, each naming the file and the key; ``err.problems`` is the table.
    """
    path = Path(path)
    merged: dict = {}
    defaults = path.parent / DEFAULTS_NAME
    if defaults.exists() and defaults.resolve() != path.resolve():
        base = _read_yaml(defaults)
        problems = validate_parameters(base, file=str(defaults), extra_keys=extra_keys)
        problems = problems[problems["found"] != "missing"]  # defaults need not name a cluster
        if not problems.empty:
            _raise(problems, defaults)
        merged.update(base)
    own = _read_yaml(path)
    merged.update(own)
    merged.setdefault("cluster", path.stem)
    problems = validate_parameters(merged, file=str(path), extra_keys=extra_keys)
    if not problems.empty:
        _raise(problems, path)
    spec = load_spec()
    data_dir = merged.get("data_dir")
    if data_dir and not Path(data_dir).is_absolute():
        data_dir = str((path.parent / data_dir).resolve())
        merged["data_dir"] = data_dir
    for key, value in merged.items():
        if key in spec and spec[key]["type"] == "path" and value and key != "data_dir":
            p = Path(os.path.expanduser(value))
            if not p.is_absolute():
                candidates = ([Path(data_dir) / p] if data_dir else []) + [path.parent / p]
                p = next((c for c in candidates if c.exists()), candidates[0])
            merged[key] = str(p.resolve())
    return merged


def validate_parameter_file(path: str | os.PathLike) -> pd.DataFrame:
    """Every problem of a parameter file *and of the data files it points to*, as one table."""
    from clusterlab import io

    path = Path(path)
    try:
        params = load_parameters(path)
    except ParameterError as exc:
        problems = getattr(exc, "problems", None)
        if problems is None:
            problems = problem_frame([{"file": str(path), "expected": "a valid parameter file",
                                       "found": str(exc)}])
        return problems
    frames = []
    tables: dict[str, pd.DataFrame] = {}
    keys = sorted(data_file_keys(),
                  key=lambda k: (k not in ("regions_file", "definitions_file"), k))
    for key in keys:
        target = params.get(key)
        if not target:
            continue
        if key == "regions_geometry_file":  # boundaries for the maps, not a table
            from clusterlab.maps import read_boundaries

            try:
                read_boundaries(target)
            except io.DataValidationError as exc:
                frames.append(exc.problems)
            except ParameterError as exc:
                frames.append(problem_frame([{"file": target, "expected": "a boundaries file",
                                              "found": str(exc)}]))
            continue
        kind = key.removesuffix("_file")
        refs = {}
        if kind == "employment":
            if "regions" in tables:
                refs["region"] = tables["regions"]["region"]
            if "definitions" in tables:
                refs["industry"] = tables["definitions"]["industry"]
        try:
            tables[kind] = io.read(target, kind if kind in io.SCHEMAS else None,
                                   references=refs)
        except io.DataValidationError as exc:
            frames.append(exc.problems)
        except ParameterError as exc:
            frames.append(problem_frame([{"file": target, "expected": "a known schema",
                                          "found": str(exc)}]))
    if not frames:
        return problem_frame([])
    return pd.concat(frames, ignore_index=True)


def is_parameter_file(path: str | os.PathLike) -> bool:
    """True for YAML files (``.yaml``/``.yml``): those are treated as parameter files."""
    return Path(path).suffix.lower() in (".yaml", ".yml")


def write_template(name: str, directory: str | os.PathLike = "parameters") -> Path:
    """Write a commented parameter file ``<directory>/<name>.yaml`` for a new cluster.

    Every declared key is listed with its help text and type; the ones a new cluster must
    change are left active, the rest are commented out at their defaults.

    Raises
    ------
    ParameterError
        If the name is not a valid identifier or the file exists already.
    """
    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise ParameterError(f"cluster name {name!r}: use letters, digits, '_' or '-'")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name}.yaml"
    if target.exists():
        raise ParameterError(f"{target} exists already; choose another name or edit it")
    spec = load_spec()
    lines = [f"# Parameters for cluster '{name}' (clusterlab). Values not set here come from",
             f"# {DEFAULTS_NAME} in this folder and then from each notebook's defaults.",
             "# Check with: clusterlab validate " + str(target), ""]
    by_topic: dict[str, list[str]] = {}
    for key, entry in spec.items():
        by_topic.setdefault(entry["topic"], []).append(key)
    for topic, keys in by_topic.items():
        lines.append(f"# --- {topic} " + "-" * max(0, 70 - len(topic)))
        for key in keys:
            entry = spec[key]
            lines.append(f"# {entry.get('help', '').strip()} [{_describe(entry)}]")
            if key == "cluster":
                lines.append(f"cluster: {name}")
            elif key == "cluster_name":
                lines.append(f"cluster_name: {name.replace('_', ' ').title()}")
            else:
                default = yaml.safe_dump({key: entry.get("default")},
                                         default_flow_style=True).strip().strip("{}")
                lines.append(f"# {default}")
        lines.append("")
    target.write_text("\n".join(lines))
    return target
