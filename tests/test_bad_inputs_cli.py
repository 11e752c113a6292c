"""Issue 13: every input a new user tried gives a clear error (or a correct result) through the
``clusterlab`` command — exit code, a message naming file / row / column, never a traceback.

The data and parameter files below are validated by one ``clusterlab validate`` process each
(starting the command costs seconds); every case then checks its own lines of that output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from clusterlab.analyses import ANALYSES

ROOT = Path(__file__).resolve().parents[1]
EMP_HEAD = "region,industry,year,employment\n"

# name -> (file content (str, bytes or a DataFrame for Parquet), lines expected in the output)
DATA_CASES = {
    "no_year.csv": (
        "region,industry,employment\nR1,0101,5\n",
        ["year", "column present", "missing; columns are region, industry"],
    ),
    "naics_named.csv": (
        "region,naics,year,employment\nR1,0101,2020,5\n",
        ["industry", "column present"],
    ),
    "plus_inf.csv": (
        EMP_HEAD + "R1,0101,2020,+inf\nR1,0102,2020,1e309\n",
        ["a finite number", "+inf", "1e309"],
    ),
    "header_only.csv": (EMP_HEAD, ["at least one data row", "header only"]),
    "dup_header.csv": (
        "region,industry,year,employment,employment\nR1,0101,2020,5,6\n",
        ["employment", "each column once"],
    ),
    "blank_lines.csv": (
        EMP_HEAD + "R1,0101,2020,5\n\n\nR1,0102,2020,-3\n",
        [" 5 ", ">= 0", "-3"],
    ),  # line 5 of the file (blank lines counted)
    "latin1.csv": (
        "region,industry,year,employment\nR\xe9,0101,2020,5\n".encode("latin-1"),
        ["UTF-8", "0xe9"],
    ),
    "float_period.csv": (
        "firm,period,member\nF1,2020.5,1\nF1,2021,1\n",
        ["period", "a whole number", "2020.5"],
    ),
    "bad_parent.csv": (
        "region,region_type,parent\nD1,district,P9\nP1,province,\n",
        ["parent", "a region of this table", "P9"],
    ),
    "signed.csv": (
        "source,target,weight\nA,B,1\nA,A,2\nB,C,-1\n",
        ["no self-loops", ">= 0 (a tie strength"],
    ),
    "frac_code.parquet": (
        pd.DataFrame(
            {
                "region": ["A", "A"],
                "industry": [101.0, 101.5],
                "year": [2020, 2021],
                "employment": [5, 6],
            }
        ),
        ["industry", "a code (text or a whole number)", "101.5"],
    ),
}
SCHEMA_OF = {"float_period.csv": "firm_panel", "bad_parent.csv": "regions", "signed.csv": "edges"}
# accepted, with a note saying what was done
OK_CASES = {
    "int_codes.parquet": (
        pd.DataFrame(
            {"region": ["A", "B"], "industry": [7, 101], "year": [2020, 2020], "employment": [5, 6]}
        ),
        "converted to text as they stand",
    ),
    "spaces.csv": (EMP_HEAD + " R1 ,0101,2020,5\n", "surrounding spaces, stripped"),
}


def _write(path: Path, content) -> None:
    if isinstance(content, pd.DataFrame):
        content.to_parquet(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)


def _clusterlab(*args, cwd, timeout=300, stdin=None) -> subprocess.CompletedProcess:
    exe = shutil.which("clusterlab", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "clusterlab.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.fixture(scope="module")
def data_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    outputs = {}
    groups: dict[str, list[str]] = {}
    for name, (content, _) in {
        **DATA_CASES,
        **{k: (v[0], None) for k, v in OK_CASES.items()},
    }.items():
        _write(folder / name, content)
        groups.setdefault(SCHEMA_OF.get(name, "employment"), []).append(name)
    for schema, names in groups.items():
        done = _clusterlab("validate", "--schema", schema, *names, cwd=folder)
        outputs[schema] = done
    return folder, outputs


@pytest.mark.parametrize("name", sorted(DATA_CASES))
def test_bad_data_file_is_a_clear_error(data_run, name):
    folder, outputs = data_run
    done = outputs[SCHEMA_OF.get(name, "employment")]
    text = done.stdout + done.stderr
    assert "Traceback" not in text
    assert done.returncode == 1
    assert f"PROBLEMS {name}" in done.stdout
    lines = [
        line
        for line in done.stdout.splitlines()
        if line.strip().startswith(name) or line.startswith(f"PROBLEMS {name}")
    ]
    mine = "\n".join(lines)
    for expected in DATA_CASES[name][1]:
        assert expected in mine, f"{expected!r} not in the lines of {name}:\n{mine}"


@pytest.mark.parametrize("name", sorted(OK_CASES))
def test_fixable_data_is_accepted_with_a_note(data_run, name):
    _, outputs = data_run
    done = outputs["employment"]
    assert f"ok       {name}" in done.stdout
    assert OK_CASES[name][1] in done.stdout  # printed as a note, not as raw stderr
    assert "Traceback" not in done.stdout + done.stderr


# ------------------------------------------------------------------ parameter files
PARAM_CASES = {
    "dup_keys.yaml": (
        "cluster: northport_maritime\nseed: 1\nseed: 2\n",
        ["seed", "appears twice", "line 2"],
    ),
    "nan.yaml": (
        "cluster: northport_maritime\ncompare_caliper: .nan\n",
        ["compare_caliper", "a finite number"],
    ),
    "evil.yaml": ("cluster: ../../evil\n", ["cluster", "'../../evil'", "names the output"]),
    "relation.yaml": (
        "cluster: northport_maritime\nnetwork_relation: foo\n",
        ["network_relation", "'foo'", "known: cooperation, knowledge, trade"],
    ),
    "region.yaml": (
        "cluster: northport_maritime\nmapping_region: D99\n",
        ["mapping_region", "'D99'", "did you mean"],
    ),
    "cluster_code.yaml": (
        "cluster: northport_maritime\nmapping_cluster: logistic\n",
        ["mapping_cluster", "'logistic'", "logistics"],
    ),
    "missing_file.yaml": (
        "cluster: northport_maritime\nemployment_file: nope/emp.csv\n",
        ["employment_file", "not found; tried", "nope/emp.csv"],
    ),
    "latin1.yaml": (
        "cluster: northport_maritime\ncluster_name: Cl\xe9\n".encode("latin-1"),
        ["UTF-8 text", "0xe9"],
    ),
    "chosen.yaml": (
        "cluster: harbour_city\nanalyses: [networks]\n",
        ["networks: nodes: no rows for cluster 'harbour_city'"],
    ),
}


@pytest.fixture(scope="module")
def param_run(tmp_path_factory):
    project = tmp_path_factory.mktemp("project")
    (project / "parameters").mkdir()
    (project / "datasets").mkdir()
    shutil.copy(ROOT / "datasets" / "employment.csv", project / "datasets" / "employment.csv")
    (project / "data").mkdir()
    shutil.copy(ROOT / "datasets" / "regions.csv", project / "data" / "regions.csv")
    for name, (content, _) in PARAM_CASES.items():
        _write(project / "parameters" / name, content)
    # valid: a path relative to the project root, the docs' data_dir example, a new cluster
    _write(
        project / "parameters" / "relative.yaml",
        "cluster: northport_maritime\nemployment_file: datasets/employment.csv\n",
    )
    _write(
        project / "parameters" / "datadir.yaml",
        "cluster: northport_maritime\ndata_dir: data\nregions_file: regions.csv\n",
    )
    _write(project / "parameters" / "harbour_city.yaml", "cluster: harbour_city\n")
    (project / "parameters" / "folder.yaml").mkdir()
    names = [*PARAM_CASES, "relative.yaml", "datadir.yaml", "harbour_city.yaml", "folder.yaml"]
    done = _clusterlab(
        "validate",
        "--notebook-dir",
        str(ROOT / "notebooks"),
        *[f"parameters/{n}" for n in names],
        cwd=project,
        timeout=600,
    )
    return project, done


@pytest.mark.parametrize("name", sorted(PARAM_CASES))
def test_bad_parameter_file_is_a_clear_error(param_run, name):
    _, done = param_run
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 1
    assert f"PROBLEMS parameters/{name}" in done.stdout
    mine = "\n".join(line for line in done.stdout.splitlines() if name in line)
    for expected in PARAM_CASES[name][1]:
        assert expected in mine, f"{expected!r} not in the lines of {name}:\n{mine}"


def test_folder_as_parameter_file(param_run):
    _, done = param_run
    assert "PROBLEMS parameters/folder.yaml" in done.stdout
    assert "a folder" in done.stdout


def test_relative_paths_resolve_against_project_root_and_data_dir(param_run):
    project, done = param_run
    assert "ok       parameters/relative.yaml" in done.stdout
    assert f"-> {project / 'datasets' / 'employment.csv'} (found)" in done.stdout
    assert "ok       parameters/datadir.yaml" in done.stdout
    assert f"-> {project / 'data' / 'regions.csv'} (found)" in done.stdout


def test_new_cluster_without_data_is_ok_and_says_every_analysis_is_skipped(param_run):
    _, done = param_run
    assert "ok       parameters/harbour_city.yaml" in done.stdout
    block = done.stdout.split("parameters/harbour_city.yaml", 1)[1].split("parameters/", 1)[0]
    assert block.count(" skip — ") == len(ANALYSES)  # every notebook
    assert "no analysis has its inputs for this cluster" in block


# ------------------------------------------------------------------------ commands
def test_run_output_naming_a_file(tmp_path):
    (tmp_path / "taken").write_text("x")
    done = _clusterlab("run", "--output", "taken", cwd=tmp_path)
    assert done.returncode == 2 and "is a file" in done.stderr
    assert "Traceback" not in done.stderr


def test_corrupt_results_in_publish_is_a_message(tmp_path):
    run = tmp_path / "outputs" / "r1"
    (run / "north" / "tables").mkdir(parents=True)
    # a successful run (only those are published), one of whose tables is corrupt
    (run / "manifest.json").write_text(
        '{"format": "clusterlab-manifest/1", "run_id": "r1", "status": "succeeded", '
        '"start": "2026-12-01T10:00:00+00:00", "executions": [{"id": "north/01_cluster_mapping", '
        '"cluster": "north", "notebook": "01_cluster_mapping", "status": "succeeded"}]}'
    )
    (run / "north" / "tables" / "top_clusters.parquet").write_bytes(b"not parquet")
    done = _clusterlab("publish", "--output", "site", "--results", "outputs", cwd=tmp_path)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode in (2, 3)  # a message naming the file, whatever layer finds it
    assert "top_clusters.parquet" in done.stderr


def test_closed_pipe_is_quiet(tmp_path):
    path = tmp_path / "employment.csv"
    path.write_text(EMP_HEAD + "".join(f"R{i},0101,2020,-1\n" for i in range(3000)))
    exe = shutil.which("clusterlab", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the clusterlab entry point is not installed in this environment")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        f"'{exe}' validate '{path}' | head -n 1",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.stdout.startswith("PROBLEMS")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
