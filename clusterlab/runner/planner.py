"""Planning a batch: which notebooks run for which parameter files, with which parameters.

Every parameter file is loaded and validated by :func:`clusterlab.params.load_parameters`
*before* anything runs. The keys a notebook accepts are the names assigned in its cell tagged
``parameters`` (read with :func:`papermill.inspect_notebook`, plus a plain ``ast`` pass that
catches declarations the papermill inspector silently drops, such as ``x: int | None = None``).
A key that no notebook declares and no ``clusterlab/paramspec/*.yaml`` knows is an error with a
"did you mean" hint; papermill on its own would only warn and run with the default.

Each notebook receives only the keys its parameters cell declares, plus ``output_dir``.

Before anything runs, the needs of each notebook's analysis (:mod:`clusterlab.analyses`) are
checked for the cluster: a notebook whose inputs are absent for this cluster (no rows for its
id, too few firms …) or that the parameter file's ``analyses`` list leaves out is planned as
*skipped* with its reason (``Execution.skip_reason``; the manifest and the run index show it);
a parameter naming a code the data lack (a region ``D99``, a relation ``foo``) is a
:class:`~clusterlab.errors.ParameterError` listing it with close matches.

Examples
--------
>>> select_notebooks(["01", "03_cimbt"], ["01_mapping.ipynb", "03_cimbt.ipynb", "04_x.ipynb"])
['01_mapping.ipynb', '03_cimbt.ipynb']
"""

from __future__ import annotations

import ast
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd

from clusterlab import params as _params
from clusterlab._validation import problem_frame
from clusterlab.errors import ParameterError, RunError
from clusterlab.runner.provenance import file_hash, fingerprint, package_versions, path_hash

__all__ = [
    "Execution",
    "plan",
    "discover_notebooks",
    "discover_parameter_files",
    "notebook_keys",
    "select_notebooks",
    "RESERVED_KEYS",
]

#: Keys the runner sets itself (a parameter file's value is replaced).
RESERVED_KEYS = ("output_dir",)
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass
class Execution:
    """One notebook run for one cluster (one row of the manifest).

    Parameters
    ----------
    id : str
        ``<cluster>/<notebook>``.
    cluster : str
        The cluster (the parameter file's ``cluster``).
    notebook : str
        The notebook's name without ``.ipynb``.
    notebook_path : str
        The notebook's path.
    parameter_file : str
        The parameter file's path.
    parameters : dict
        The merged parameters injected into the notebook.
    inputs : dict, optional
        Input data file → content hash. Default: empty.
    fingerprint : str, default ""
        Hash of parameters, inputs and package versions (``--resume`` matches on it).
    skip_reason : str, optional
        Why the execution is skipped (its inputs are absent). Default ``None``: it runs.

    Examples
    --------
    >>> from clusterlab.runner import Execution
    >>> e = Execution("north/01_cluster_mapping", "north", "01_cluster_mapping",
    ...               "notebooks/01_cluster_mapping.ipynb", "parameters/north.yaml",
    ...               {"cluster": "north"})
    >>> e.to_dict()["id"]
    'north/01_cluster_mapping'
    """

    id: str
    cluster: str
    notebook: str
    notebook_path: str
    parameter_file: str
    parameters: dict
    inputs: dict = field(default_factory=dict)
    fingerprint: str = ""
    skip_reason: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "cluster": self.cluster,
            "notebook": self.notebook,
            "notebook_path": self.notebook_path,
            "parameter_file": self.parameter_file,
            "parameters": dict(self.parameters),
            "inputs": dict(self.inputs),
            "fingerprint": self.fingerprint,
            "skip_reason": self.skip_reason,
        }


def discover_notebooks(folder: str | os.PathLike = "notebooks") -> list[Path]:
    """List the analysis notebooks ``NN_<topic>.ipynb`` of a folder, in order.

    Parameters
    ----------
    folder : str or path-like, default "notebooks"
        The folder.

    Returns
    -------
    list of pathlib.Path
        The notebooks, sorted by name.

    Examples
    --------
    >>> from clusterlab.runner import discover_notebooks
    >>> [p.name for p in discover_notebooks("notebooks")][:2]
    ['01_cluster_mapping.ipynb', '02_network_analysis.ipynb']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RunError(
            f"notebook folder {folder} not found (run from the project folder or "
            "pass --notebook-dir)"
        )
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def discover_parameter_files(folder: str | os.PathLike = "parameters") -> list[Path]:
    """List every cluster parameter file of a folder.

    Parameters
    ----------
    folder : str or path-like, default "parameters"
        The folder.

    Returns
    -------
    list of pathlib.Path
        ``*.yaml``/``*.yml`` files except ``defaults.yaml``, sorted by name.

    Examples
    --------
    >>> from clusterlab.runner import discover_parameter_files
    >>> [p.name for p in discover_parameter_files("parameters")]
    ['eastshire_medtech.yaml', 'northport_maritime.yaml', 'valley_foodtech.yaml']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RunError(
            f"parameter folder {folder} not found (run from the project folder or "
            "name the parameter files)"
        )
    files = sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml")))
    return [f for f in files if f.name not in (_params.DEFAULTS_NAME, "defaults.yml")]


def select_notebooks(names, available) -> list:
    """Pick notebooks by file name, stem or unique prefix (``"01"``, ``"01_cluster_mapping"``).

    Raises
    ------
    RunError
        For a name that matches no notebook (with the closest name) or several.
    """
    available = list(available)
    stems = {Path(str(a)).stem: a for a in available}
    chosen = []
    for name in names:
        name = Path(str(name)).name.removesuffix(".ipynb")
        hits = [a for s, a in stems.items() if s == name] or [
            a for s, a in stems.items() if s.startswith(name)
        ]
        if len(hits) != 1:
            if hits:
                raise RunError(
                    f"notebook name {name!r} is ambiguous: "
                    + ", ".join(Path(str(h)).stem for h in hits)
                )
            close = difflib.get_close_matches(name, list(stems), n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise RunError(f"no notebook {name!r}{hint}; available: " + ", ".join(stems))
        if hits[0] not in chosen:
            chosen.append(hits[0])
    return chosen


def _ast_names(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        for target in targets:
            if isinstance(target, ast.Name):
                names.append(target.id)
    return names


def notebook_keys(path: str | os.PathLike) -> list[str]:
    """List the names declared in a notebook's ``parameters`` cell.

    Parameters
    ----------
    path : str or path-like
        The notebook.

    Returns
    -------
    list of str
        The names, in order; empty when it has no ``parameters`` cell.

    Examples
    --------
    >>> from clusterlab.runner import notebook_keys
    >>> notebook_keys("notebooks/01_cluster_mapping.ipynb")[:3]
    ['cluster', 'cluster_name', 'seed']
    """
    import papermill

    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
        inspected = list(papermill.inspect_notebook(str(path)))
    except Exception as exc:  # unreadable notebook: a clear error, not a traceback
        raise RunError(f"{path}: cannot read the notebook ({type(exc).__name__}: {exc})") from None
    names = list(inspected)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            names += [n for n in _ast_names(cell.source) if n not in names]
            break
    return names


def _path_keys() -> set[str]:
    return {k for k, v in _params.load_spec().items() if v["type"] == "path"}


def plan(parameter_files, notebooks, *, known_notebooks=None) -> list[Execution]:
    """Validate every parameter file and list the executions (parameter file × notebook).

    Parameters
    ----------
    parameter_files : list of str or path-like
        Cluster parameter files (each merged over ``defaults.yaml`` of its folder).
    notebooks : list of str or path-like
        Notebooks to execute.
    known_notebooks : list of str or path-like, optional
        Notebooks whose declared keys count as known (default ``None``: ``notebooks`` plus
        every ``NN_*.ipynb`` beside them), so that a key meant for a notebook not selected in
        this run is not an error.

    Returns
    -------
    list of Execution
        One per parameter file and notebook; an execution whose inputs are absent carries its
        ``skip_reason``.

    Raises
    ------
    ParameterError
        Listing every problem of every parameter file (``err.problems``: ``file, row, column,
        expected, found``) before anything runs.
    RunError
        When nothing would run or two files name the same cluster.

    Examples
    --------
    >>> from clusterlab.runner import plan
    >>> executions = plan(["parameters/northport_maritime.yaml"],
    ...                   ["notebooks/01_cluster_mapping.ipynb"])
    >>> [(e.cluster, e.notebook, e.skip_reason) for e in executions]
    [('northport_maritime', '01_cluster_mapping', None)]
    """
    notebooks = [Path(n).resolve() for n in notebooks]
    parameter_files = [Path(p).resolve() for p in parameter_files]
    if not notebooks:
        raise RunError("no notebooks to run")
    if not parameter_files:
        raise RunError("no parameter files to run")
    for nb in notebooks:
        if not nb.is_file():
            raise RunError(f"notebook {nb} not found")
    if known_notebooks is None:
        known_notebooks = set(notebooks)
        for folder in {n.parent for n in notebooks}:
            known_notebooks |= {p.resolve() for p in folder.glob("[0-9][0-9]_*.ipynb")}
    declared = {nb: notebook_keys(nb) for nb in notebooks}
    extra = set()
    for nb in sorted(known_notebooks):
        extra |= set(declared[nb] if nb in declared else notebook_keys(nb))
    extra |= set(RESERVED_KEYS)

    loaded, problems = {}, []
    skips: dict[tuple[Path, Path], str] = {}
    path_keys = _path_keys()
    for pf in parameter_files:
        try:
            values = _params.load_parameters(pf, extra_keys=tuple(sorted(extra)))
        except ParameterError as exc:
            found = getattr(exc, "problems", None)
            problems.append(
                found
                if found is not None
                else problem_frame(
                    [{"file": str(pf), "expected": "a valid parameter file", "found": str(exc)}]
                )
            )
            continue
        missing_file = False
        for key in sorted(path_keys & set(values)):
            if key != "data_dir" and values[key] and path_hash(values[key]) is None:
                missing_file = True
                problems.append(
                    problem_frame(
                        [
                            {
                                "file": str(pf),
                                "column": key,
                                "expected": "an existing data file",
                                "found": f"not found: {values[key]}",
                            }
                        ]
                    )
                )
        loaded[pf] = values
        if not missing_file:
            found = _check_needs(pf, values, notebooks, skips)
            if found is not None:
                problems.append(found)
    if problems:
        # a problem of a shared defaults.yaml is reported once, not once per cluster file
        table = pd.concat(problems, ignore_index=True).astype(object)
        table = table.drop_duplicates(ignore_index=True)
        lines = [
            f"  {r.file}: {r.column}: expected {r.expected}, found {r.found}"
            for r in table.itertuples()
        ]
        raise ParameterError(
            f"{len(table)} problem(s) in the parameter files; nothing was run\n" + "\n".join(lines),
            table,
        )

    owners: dict[str, Path] = {}
    for pf, values in loaded.items():
        cluster = str(values["cluster"])
        if not _SAFE.match(cluster):
            raise ParameterError(
                f"{pf}: cluster {cluster!r} cannot name an output folder "
                "(use letters, digits, '_', '-', '.')"
            )
        if cluster in owners:
            raise RunError(f"{owners[cluster]} and {pf} both describe cluster {cluster!r}")
        owners[cluster] = pf

    versions = package_versions()
    executions = []
    for pf, values in loaded.items():
        # sha256 None: nothing exists at a data path (path_hash)
        inputs: dict[str, dict[str, str | None]] = {
            "parameter_file": {"path": str(pf), "sha256": file_hash(pf)}
        }
        defaults = pf.parent / _params.DEFAULTS_NAME
        if defaults.is_file() and defaults != pf:
            inputs["defaults"] = {"path": str(defaults), "sha256": file_hash(defaults)}
        for key in sorted(path_keys & set(values)):
            if key != "data_dir" and values[key]:
                inputs[key] = {"path": str(values[key]), "sha256": path_hash(values[key])}
        for nb in notebooks:
            keys = declared[nb]
            injected = {k: v for k, v in values.items() if k in keys and k not in RESERVED_KEYS}
            nb_inputs: dict[str, dict[str, str | None]] = {
                "notebook": {"path": str(nb), "sha256": file_hash(nb)},
                **inputs,
            }
            stable = {k: ("<file>" if k in path_keys and v else v) for k, v in injected.items()}
            fp = fingerprint(
                {
                    "notebook": nb.stem,
                    "parameters": stable,
                    "inputs": {k: v["sha256"] for k, v in nb_inputs.items()},
                    "versions": versions,
                }
            )
            cluster = str(values["cluster"])
            executions.append(
                Execution(
                    id=f"{cluster}/{nb.stem}",
                    cluster=cluster,
                    notebook=nb.stem,
                    notebook_path=str(nb),
                    parameter_file=str(pf),
                    parameters=injected,
                    inputs=nb_inputs,
                    fingerprint=fp,
                    skip_reason=skips.get((pf, nb)),
                )
            )
    return executions


def _check_needs(pf: Path, values: dict, notebooks, skips: dict) -> pd.DataFrame | None:
    """Read the analysis needs (:mod:`clusterlab.analyses`) of every selected notebook for this
    cluster: record the reason of those to skip in ``skips``; return the problems of those
    whose parameters name something the data lack (``invalid``), or None."""
    from clusterlab import analyses as _analyses

    chosen = values.get("analyses")
    wanted = {}
    for nb in notebooks:
        analysis = _analyses.analysis_for_notebook(nb)
        if analysis is None:
            continue  # a notebook that declares no needs runs unchecked
        if chosen is not None and analysis.name not in chosen:
            skips[(pf, nb)] = (
                f"not selected: the parameter file's analyses are {', '.join(chosen) or 'none'}"
            )
            continue
        wanted[analysis.name] = nb
    if not wanted:
        return None
    report = _analyses.assess(values, analyses=list(wanted))
    for row in report.table.itertuples():
        if row.status == "skip":
            skips[(pf, wanted[row.analysis])] = f"inputs absent: {row.reason}"
    invalid = report.problems[report.problems["status"] == "invalid"]
    if invalid.empty:
        return None
    table = invalid.drop(columns=["status"]).copy()
    table["found"] = [f"{a}: {f}" for a, f in zip(table["analysis"], table["found"], strict=True)]
    is_key = table["column"].isin(list(values))  # a parameter naming what is not there
    table.loc[is_key, "file"] = str(pf)
    table["file"] = table["file"].where(table["file"].notna(), str(pf))
    return table.drop(columns=["analysis"])
