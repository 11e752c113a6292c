"""The ``clusterlab`` command: run, validate, new-cluster, serve/publish; clear messages and exit
codes, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_runner import make_project

from clusterlab import cli

EMPLOYMENT_OK = "region,industry,year,employment\nR1,0101,2020,10\nR1,0102,2020,5\nR2,0101,2020,7\n"
# row 3 (file row, header = row 1) has negative employment, row 4 repeats row 2's key
EMPLOYMENT_BAD = (
    "region,industry,year,employment\nR1,0101,2020,10\nR1,0102,2020,-5\nR1,0101,2020,7\n"
)


def _main(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# ------------------------------------------------------------------------ validate
def test_validate_good_file(tmp_path, capsys):
    path = tmp_path / "employment.csv"
    path.write_text(EMPLOYMENT_OK)
    code, out, _ = _main(capsys, "validate", str(path))
    assert code == 0
    assert "ok" in out and "schema 'employment'" in out


def test_validate_prints_every_problem_as_a_table(tmp_path, capsys):
    path = tmp_path / "jobs.csv"
    path.write_text(EMPLOYMENT_BAD)
    code, out, _ = _main(capsys, "validate", "--schema", "employment", str(path))
    assert code == 1
    header = next(line for line in out.splitlines() if "expected" in line)
    assert header.split() == ["file", "row", "column", "expected", "found"]
    lines = [line for line in out.splitlines() if str(path) in line and "PROBLEMS" not in line]
    negative = [line for line in lines if ">= 0" in line]
    assert len(negative) == 1 and " 3 " in negative[0] and "-5" in negative[0]
    assert sum("unique" in line for line in lines) == 2  # rows 2 and 4 share a key
    assert "3 problem(s) in 1 of 1 file(s)" in out


def test_validate_unknown_schema_is_a_message(tmp_path, capsys):
    code, _, err = _main(capsys, "validate", "--schema", "employmnt", str(tmp_path / "x.csv"))
    assert code == 2
    assert "unknown schema 'employmnt' (did you mean 'employment'?)" in err


def test_validate_parameter_file_and_the_data_it_points_to(tmp_path, capsys):
    (tmp_path / "emp.csv").write_text(EMPLOYMENT_BAD)
    (tmp_path / "north.yaml").write_text("cluster: north\nemployment_file: emp.csv\n")
    (tmp_path / "west.yaml").write_text("cluster: west\nseeed: 3\n")
    (tmp_path / "employment.csv").write_text(EMPLOYMENT_OK)
    code, out, _ = _main(
        capsys,
        "validate",
        str(tmp_path / "north.yaml"),
        str(tmp_path / "west.yaml"),
        str(tmp_path / "employment.csv"),
        "--notebook-dir",
        str(tmp_path / "none"),
    )
    assert code == 1
    assert "(did you mean 'seed'?)" in out
    assert ">= 0" in out and "emp.csv" in out  # problem inside the pointed-to data file
    assert f"ok       {tmp_path / 'employment.csv'}" in out
    assert "problem(s) in 2 of 3 file(s)" in out


def test_validate_knows_notebook_keys(tmp_path, capsys):
    root = make_project(tmp_path)
    code, out, _ = _main(
        capsys,
        "validate",
        str(root / "parameters" / "south.yaml"),
        "--notebook-dir",
        str(root / "notebooks"),
    )
    assert code == 0, out  # beta_fail is declared by notebook 02_beta


def test_validate_missing_file(tmp_path, capsys):
    code, out, _ = _main(capsys, "validate", str(tmp_path / "employment.csv"))
    assert code == 1 and "no such file" in out


# --------------------------------------------------------------------- new-cluster
def test_new_cluster_writes_a_valid_template_once(tmp_path, capsys):
    folder = tmp_path / "parameters"
    code, out, _ = _main(capsys, "new-cluster", "harbour_logistics", "--dir", str(folder))
    assert code == 0
    path = folder / "harbour_logistics.yaml"
    assert path.is_file() and str(path) in out
    assert "cluster: harbour_logistics" in path.read_text()
    code, out, _ = _main(capsys, "validate", str(path), "--notebook-dir", str(tmp_path))
    assert code == 0, out
    code, _, err = _main(capsys, "new-cluster", "harbour_logistics", "--dir", str(folder))
    assert code == 2 and "exists already" in err


def test_new_cluster_bad_name(tmp_path, capsys):
    code, _, err = _main(capsys, "new-cluster", "bad name!", "--dir", str(tmp_path))
    assert code == 2 and "cluster name" in err


# ----------------------------------------------------------------------------- run
def _run_args(root, *extra):
    return (
        "run",
        "--jobs",
        "1",
        "--no-progress",
        "--notebook-dir",
        str(root / "notebooks"),
        "--parameter-dir",
        str(root / "parameters"),
        "--output",
        str(root / "outputs"),
        *extra,
    )


def test_run_reports_failures_and_where_the_reports_are(tmp_path, capsys):
    root = make_project(tmp_path)
    code, out, _ = _main(capsys, *_run_args(root, "--notebooks", "02"))
    assert code == 1
    assert "FAILED south/02_beta: ValueError: deliberate failure" in out
    assert "1 failed, 1 succeeded" in out
    run_dir = next((root / "outputs").iterdir())
    assert f"manifest: {run_dir / 'manifest.json'}" in out
    assert str(run_dir / "north") in out and str(run_dir / "south") in out
    # one parameter file named on the command line: only that cluster runs, exit 0
    code, out, _ = _main(
        capsys, *_run_args(root, str(root / "parameters" / "north.yaml"), "--notebooks", "02_beta")
    )
    assert code == 0 and "south" not in out


def test_run_misspelt_key_exit_2_before_running(tmp_path, capsys):
    root = make_project(tmp_path, clusters={"north": "cluster: north\nsed: 4\n"})
    code, _, err = _main(capsys, *_run_args(root))
    assert code == 2
    assert "nothing was run" in err and "unknown key 'sed' (did you mean 'seed'?)" in err
    assert not (root / "outputs").exists() or not list((root / "outputs").glob("*/"))


def test_run_bad_yaml_and_unknown_notebook(tmp_path, capsys):
    root = make_project(tmp_path, clusters={"north": "cluster: [north\n"})
    code, _, err = _main(capsys, *_run_args(root))
    assert code == 2 and "not valid YAML" in err
    (root / "parameters" / "north.yaml").write_text("cluster: north\n")
    code, _, err = _main(capsys, *_run_args(root, "--notebooks", "03_gamma"))
    assert code == 2 and "no notebook '03_gamma'" in err
    code, _, err = _main(capsys, *_run_args(root, "--scheduler", "nowhere"))
    assert code == 2 and "--scheduler must be" in err


# ---------------------------------------------------------------- serve / publish
def test_serve_and_publish_say_when_dashboards_are_missing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "clusterlab.dashboards", None)
    code, _, err = _main(capsys, "serve", "--no-browser")
    assert code == 1 and "dashboards not available yet" in err
    monkeypatch.setitem(sys.modules, "clusterlab.publish", None)
    code, _, err = _main(capsys, "publish", "--output", "site")
    assert code == 1 and "dashboards not available yet" in err


def test_serve_passes_its_options(monkeypatch, capsys):
    import clusterlab.dashboards as dashboards

    seen = {}
    monkeypatch.setattr(dashboards, "serve", lambda **kw: seen.update(kw) or 0)
    code, _, _ = _main(capsys, "serve", "--port", "8899", "--no-browser", "--analyst")
    assert code == 0
    assert seen == {"port": 8899, "open_browser": False, "analyst": True}


def test_publish_with_a_mistyped_results_folder_is_an_error(tmp_path, capsys):
    # issue 13: `publish --results <typo>` used to exit 0 with an empty site
    (tmp_path / "outputs").mkdir()
    code, _, err = _main(
        capsys,
        "publish",
        "--output",
        str(tmp_path / "site"),
        "--results",
        str(tmp_path / "outptus"),
    )
    assert code == 2 and "no such folder" in err and "did you mean" in err
    assert not (tmp_path / "site").exists()
    code, _, err = _main(
        capsys,
        "publish",
        "--output",
        str(tmp_path / "site"),
        "--results",
        str(tmp_path / "outputs"),
    )
    assert code == 2 and "no runs there" in err


def test_help_of_the_installed_command():
    exe = shutil.which("clusterlab", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("clusterlab entry point not installed in this environment")
    done = subprocess.run([exe, "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "dashboards not available yet" in " ".join(done.stdout.split())
    done = subprocess.run([exe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "run" in done.stdout
