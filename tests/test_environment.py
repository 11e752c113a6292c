"""Project hygiene: environment.yml in step with pyproject, notebooks runnable by papermill."""

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    for d in env["dependencies"]:
        if isinstance(d, dict):  # the pip: section (packages not on conda-forge)
            listed |= {_name(r) for r in d.get("pip", []) if not r.startswith("-e")}
    assert listed == wanted


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def _notebooks():
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_notebooks_are_parameterised_and_clean():
    nbs = _notebooks()
    names = {p.stem for p in nbs}
    assert {
        "01_cluster_mapping",
        "02_network_analysis",
        "03_cimbt",
        "04_big_five",
        "05_member_comparison",
        "06_scorecard",
    } <= names
    for path in nbs + sorted((ROOT / "notebooks" / "dashboards").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        assert nb["metadata"]["kernelspec"]["name"] == "python3", path
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        for cell in code:
            assert not cell.get("outputs"), f"{path}: commit notebooks without outputs"
        if "dashboards" in path.parts:
            continue
        first = code[0]
        assert "parameters" in first.get("metadata", {}).get("tags", []), path
        source = "".join(first["source"])
        assert "| None" not in source, f"{path}: papermill drops 'X | None' annotations"
        assert "output_dir" in source, f"{path}: output_dir must be a parameter"
        body = "".join("".join(c["source"]) for c in code)
        assert "results.save(" in body, f"{path}: saves no result table"


def test_notebook_parameters_are_declared_in_the_paramspec():
    """Every key of a parameters cell is validated by clusterlab.params (typos caught early)."""
    import papermill

    from clusterlab.params import load_spec

    spec = load_spec()
    for path in _notebooks():
        declared = papermill.inspect_notebook(str(path))
        missing = sorted(set(declared) - set(spec))
        assert not missing, f"{path.name}: parameters not in clusterlab/paramspec: {missing}"
