"""Batch runner: failure isolation, manifest, resume, parameter checks, reproducibility.

The notebooks are tiny ones written into a temporary project by :func:`make_project` (not the
analysis notebooks), so that each execution costs about one kernel start-up.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from clusterlab.errors import ParameterError, RunError
from clusterlab.runner import job, load_manifest, notebook_keys, plan, run
from clusterlab.runner.planner import select_notebooks
from clusterlab.runner.provenance import path_hash

ALPHA_PARAMS = 'cluster = "north"\nseed = 1\nalpha_n = 5\nemployment_file = None\noutput_dir = ""'
ALPHA_BODY = [
    "import os\n\nimport numpy as np\nimport pandas as pd\n\nfrom clusterlab import results",
    "rng = np.random.default_rng(seed)\n"
    "draws = pd.DataFrame({'cluster': cluster, 'i': range(alpha_n), "
    "'x': rng.normal(size=alpha_n)})\n"
    "results.save(draws, 'alpha_draws', output_dir=output_dir)",
    "total = None if employment_file is None else "
    "float(pd.read_csv(employment_file)['employment'].sum())\n"
    "results.save(pd.DataFrame({'cluster': [cluster], 'employment_total': [total],\n"
    "    'cwd': [os.path.basename(os.getcwd())],\n"
    "    'env_matches': [os.environ.get('CLUSTERLAB_OUTPUT_DIR') == output_dir],\n"
    "    'hashseed': [os.environ.get('PYTHONHASHSEED')]}), 'alpha_info', output_dir=output_dir)",
]
BETA_PARAMS = (
    'cluster = "north"\nbeta_fail = False\nbeta_sleep = 0.0\nbeta_block_file = ""\noutput_dir = ""'
)
BETA_BODY = [
    "import os\nimport time\n\nimport pandas as pd\n\nfrom clusterlab import results\n"
    "print('before the failure point')",
    "deadline = time.time() + 120\n"
    "while beta_block_file and os.path.exists(beta_block_file) and time.time() < deadline:\n"
    "    time.sleep(0.2)\ntime.sleep(beta_sleep)",
    "if beta_fail:\n    raise ValueError('deliberate failure for the runner tests')",
    "results.save(pd.DataFrame({'cluster': [cluster], 'ok': [True]}), 'beta_status', "
    "output_dir=output_dir)",
]


def write_notebook(path: Path, params: str, body: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# runner test notebook"),
        cell,
        *(nbformat.v4.new_code_cell(src) for src in body),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def make_project(
    root: Path, clusters: dict[str, str] | None = None, defaults: str = "seed: 7\n"
) -> Path:
    """A project folder with notebooks/01_alpha, notebooks/02_beta and parameters/*.yaml."""
    (root / "notebooks").mkdir(parents=True)
    (root / "parameters").mkdir()
    write_notebook(root / "notebooks" / "01_alpha.ipynb", ALPHA_PARAMS, ALPHA_BODY)
    write_notebook(root / "notebooks" / "02_beta.ipynb", BETA_PARAMS, BETA_BODY)
    (root / "parameters" / "defaults.yaml").write_text(defaults)
    if clusters is None:
        clusters = {"north": "cluster: north\n", "south": "cluster: south\nbeta_fail: true\n"}
    for name, text in clusters.items():
        (root / "parameters" / f"{name}.yaml").write_text(text)
    return root


def run_project(root: Path, **kw):
    kw.setdefault("jobs", 1)
    kw.setdefault("progress", False)
    return run(
        notebook_dir=root / "notebooks",
        parameter_dir=root / "parameters",
        output=root / "outputs",
        **kw,
    )


def by_id(manifest: dict) -> dict:
    return {e["id"]: e for e in manifest["executions"]}


@pytest.fixture(autouse=True, scope="module")
def _pinned_source_hash():
    """Other people edit clusterlab while these tests run; a changed source hash would
    (rightly) make --resume re-run everything. Pin it for the duration of the module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLUSTERLAB_SOURCE_HASH", "sha256:pinned-for-tests")
        yield


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One batch shared by the tests below: 2 clusters x 2 notebooks, south/02_beta fails."""
    root = make_project(tmp_path_factory.mktemp("proj"))
    return root, run_project(root)


# ------------------------------------------------------------------- failure isolation
def test_failing_notebook_does_not_stop_the_batch(batch):
    root, result = batch
    entries = by_id(result.manifest)
    assert {k: v["status"] for k, v in entries.items()} == {
        "north/01_alpha": "succeeded",
        "north/02_beta": "succeeded",
        "south/01_alpha": "succeeded",
        "south/02_beta": "failed",
    }
    assert not result.ok and [e["id"] for e in result.failed] == ["south/02_beta"]
    assert result.manifest["status"] == "failed"
    assert result.manifest["summary"] == {"succeeded": 3, "failed": 1}
    # the run after the failing one still produced its tables
    south = result.run_dir / "south" / "tables"
    assert (south / "alpha_draws.parquet").is_file()
    assert not (south / "beta_status.parquet").exists()


def test_manifest_records_the_error_and_keeps_partial_output(batch):
    root, result = batch
    on_disk = load_manifest(result.manifest_path)  # what was written, not the object in memory
    failed = by_id(on_disk)["south/02_beta"]
    assert failed["error"]["type"] == "ValueError"
    assert "deliberate failure" in failed["error"]["message"]
    assert "raise ValueError" in failed["error"]["traceback"]
    assert failed["start"] and failed["end"] and failed["duration_s"] > 0
    partial = nbformat.read(root / "outputs" / failed["output_notebook"], as_version=4)
    printed = [
        o.get("text", "")
        for c in partial.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    ]
    assert any("before the failure point" in t for t in printed)
    assert partial.metadata.papermill.exception is True
    html = (root / "outputs" / failed["report"]).read_text()
    assert "deliberate failure" in html
    # kernel log kept only for the failure
    assert failed["kernel_log"] and (root / "outputs" / failed["kernel_log"]).is_file()
    assert by_id(on_disk)["north/02_beta"]["kernel_log"] is None


def test_manifest_content(batch):
    root, result = batch
    m = load_manifest(result.manifest_path)
    assert m["format"] == "clusterlab-manifest/1" and m["run_id"] == result.run_id
    assert m["finished"] >= m["created"]
    assert m["versions"]["pandas"] == pd.__version__
    assert m["versions"]["clusterlab-source"] == "sha256:pinned-for-tests"
    e = by_id(m)["north/01_alpha"]
    # parameters: merged defaults (seed 7) + file, only keys the notebook declares + output_dir
    assert e["parameters"] == {
        "cluster": "north",
        "seed": 7,
        "output_dir": str(result.run_dir / "north"),
    }
    assert set(e["inputs"]) == {"notebook", "parameter_file", "defaults"}
    assert e["inputs"]["defaults"]["sha256"] == path_hash(root / "parameters" / "defaults.yaml")
    assert (root / "outputs" / e["output_notebook"]).is_file()
    assert (root / "outputs" / e["report"]).read_text().lstrip().lower().startswith("<!doctype")
    tables = {t["name"]: t for t in m["tables"]["north"]}
    assert set(tables) == {"alpha_draws", "alpha_info", "beta_status"}
    assert tables["alpha_draws"]["rows"] == 5
    assert tables["alpha_draws"]["sha256"] == path_hash(
        root / "outputs" / tables["alpha_draws"]["path"]
    )
    index = (result.run_dir / "index.html").read_text()
    assert 'href="south/02_beta.html"' in index and "deliberate failure" in index
    # beta_fail is declared by 02_beta only: 01_alpha never receives it
    south = by_id(m)
    assert "beta_fail" not in south["south/01_alpha"]["parameters"]
    assert south["south/02_beta"]["parameters"]["beta_fail"] is True


def test_kernel_runs_in_notebook_folder_with_output_env(batch):
    root, result = batch
    info = pd.read_parquet(result.run_dir / "north" / "tables" / "alpha_info.parquet")
    assert info.loc[0, "cwd"] == "notebooks"
    assert bool(info.loc[0, "env_matches"])
    assert info.loc[0, "hashseed"] == os.environ.get("CLUSTERLAB_HASHSEED", "0")
    executed = nbformat.read(result.run_dir / "north" / "01_alpha.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters["seed"] == 7


# ------------------------------------------------------------------------- resume
def test_resume_skips_succeeded_and_reruns_changed(tmp_path):
    root = make_project(
        tmp_path, clusters={"north": "cluster: north\n", "south": "cluster: south\n"}
    )
    first = run_project(root, notebooks=["01"])
    assert first.ok
    again = run_project(root, notebooks=["01"], resume=True)
    entries = by_id(again.manifest)
    assert {e["status"] for e in entries.values()} == {"skipped"}
    assert entries["north/01_alpha"]["reused_from"] == first.run_id
    assert entries["north/01_alpha"]["output_notebook"].startswith(first.run_id)
    assert not (again.run_dir / "north").exists()  # nothing executed
    index = (again.run_dir / "index.html").read_text()
    assert f'href="../{first.run_id}/north/01_alpha.html"' in index
    # change one cluster's parameters: only that cluster re-runs
    (root / "parameters" / "south.yaml").write_text("cluster: south\nalpha_n: 3\n")
    third = run_project(root, notebooks=["01"], resume=True)
    status = {k: v["status"] for k, v in by_id(third.manifest).items()}
    assert status == {"north/01_alpha": "skipped", "south/01_alpha": "succeeded"}
    assert len(pd.read_parquet(third.run_dir / "south" / "tables" / "alpha_draws.parquet")) == 3
    # without --resume everything runs again
    fourth = run_project(root, notebooks=["01"])
    assert {e["status"] for e in fourth.manifest["executions"]} == {"succeeded"}


def test_resume_reruns_when_a_data_file_changes(tmp_path):
    data = tmp_path / "emp.csv"
    data.write_text("region,industry,year,employment\nR1,I1,2020,10\nR2,I1,2020,5\n")
    root = make_project(
        tmp_path / "p", clusters={"north": f"cluster: north\nemployment_file: {data}\n"}
    )
    first = run_project(root, notebooks=["01"])
    entry = by_id(first.manifest)["north/01_alpha"]
    assert entry["inputs"]["employment_file"]["sha256"] == path_hash(data)
    info = pd.read_parquet(first.run_dir / "north" / "tables" / "alpha_info.parquet")
    assert info.loc[0, "employment_total"] == 15.0
    data.write_text("region,industry,year,employment\nR1,I1,2020,10\nR2,I1,2020,7\n")
    second = run_project(root, notebooks=["01"], resume=True)
    assert by_id(second.manifest)["north/01_alpha"]["status"] == "succeeded"
    info = pd.read_parquet(second.run_dir / "north" / "tables" / "alpha_info.parquet")
    assert info.loc[0, "employment_total"] == 17.0


def test_resume_reruns_failed_executions(batch, tmp_path):
    root, result = batch
    copy = tmp_path / "proj"
    shutil.copytree(root, copy)
    (copy / "parameters" / "south.yaml").write_text("cluster: south\n")  # the fix
    again = run_project(copy, resume=True)
    status = {k: v["status"] for k, v in by_id(again.manifest).items()}
    assert status["north/01_alpha"] == "skipped" and status["north/02_beta"] == "skipped"
    assert status["south/02_beta"] == "succeeded"  # failed before, so it runs again


# ---------------------------------------------------------------- parameter checks
def test_misspelt_key_fails_before_any_notebook_starts(tmp_path):
    root = make_project(
        tmp_path,
        clusters={"north": "cluster: north\n", "south": "cluster: south\nbeta_fial: true\n"},
    )
    with pytest.raises(ParameterError) as info:
        run_project(root)
    problems = info.value.problems
    assert problems["column"].tolist() == ["beta_fial"]
    assert "did you mean 'beta_fail'" in problems.loc[0, "found"]
    assert not (root / "outputs").exists() or not any((root / "outputs").iterdir())


def test_wrong_type_and_missing_data_file_are_reported_together(tmp_path):
    root = make_project(
        tmp_path,
        clusters={
            "north": "cluster: north\nseed: many\n",
            "south": "cluster: south\nemployment_file: nowhere.csv\n",
        },
    )
    with pytest.raises(ParameterError) as info:
        run_project(root)
    problems = info.value.problems.set_index("column")
    assert "whole number" in problems.loc["seed", "expected"]
    assert problems.loc["employment_file", "found"].startswith("not found")


def test_parameter_problems_table_has_the_problem_columns(tmp_path):
    # issue 19: the planner hands its problems table to ParameterError, not set by hand
    root = make_project(tmp_path, clusters={"north": "cluster: north\nseed: many\n"})
    with pytest.raises(ParameterError) as info:
        run_project(root)
    problems = info.value.problems
    assert list(problems.columns[:5]) == ["file", "row", "column", "expected", "found"]
    assert problems.index.tolist() == list(range(len(problems)))
    assert problems.loc[0, "column"] == "seed" and problems.loc[0, "file"].endswith("north.yaml")


def test_duplicate_cluster_is_an_error(tmp_path):
    root = make_project(tmp_path, clusters={"a": "cluster: same\n", "b": "cluster: same\n"})
    with pytest.raises(RunError, match="both describe cluster 'same'"):
        run_project(root)


def test_notebook_keys_include_what_papermill_drops(tmp_path):
    # papermill.inspect_notebook silently drops `x: int | None = None` (jupyter-notes §1.1)
    nb = write_notebook(
        tmp_path / "01_x.ipynb", 'a = 1\nb: int | None = None\noutput_dir = ""', ["print(a)"]
    )
    assert notebook_keys(nb) == ["a", "output_dir", "b"]


def test_select_notebooks_suggests_names():
    names = ["01_alpha.ipynb", "02_beta.ipynb"]
    assert select_notebooks(["02"], names) == ["02_beta.ipynb"]
    with pytest.raises(RunError, match="did you mean '02_beta'"):
        select_notebooks(["02_betta"], names)


def test_plan_fingerprint_depends_on_parameters_not_output_location(tmp_path):
    root = make_project(tmp_path / "a", clusters={"north": "cluster: north\n"})
    moved = shutil.copytree(root, tmp_path / "b")
    nbs = sorted((root / "notebooks").glob("*.ipynb"))
    one = plan([root / "parameters" / "north.yaml"], nbs)
    two = plan([moved / "parameters" / "north.yaml"], sorted((moved / "notebooks").glob("*")))
    assert [e.fingerprint for e in one] == [e.fingerprint for e in two]
    (moved / "parameters" / "north.yaml").write_text("cluster: north\nseed: 8\n")
    three = plan([moved / "parameters" / "north.yaml"], sorted((moved / "notebooks").glob("*")))
    assert one[0].fingerprint != three[0].fingerprint


def test_fingerprint_depends_on_package_versions(tmp_path, monkeypatch):
    root = make_project(tmp_path, clusters={"north": "cluster: north\n"})
    nbs = sorted((root / "notebooks").glob("*.ipynb"))
    one = plan([root / "parameters" / "north.yaml"], nbs)
    monkeypatch.setenv("CLUSTERLAB_SOURCE_HASH", "sha256:edited-code")
    two = plan([root / "parameters" / "north.yaml"], nbs)
    assert one[0].fingerprint != two[0].fingerprint


# ------------------------------------------------------------ reproducibility/timeout
def test_same_inputs_give_identical_tables(tmp_path):
    root = make_project(tmp_path, clusters={"north": "cluster: north\n"})
    a = run_project(root, notebooks=["01"])
    b = run_project(root, notebooks=["01"])
    for name in ("alpha_draws", "alpha_info"):
        ta = pd.read_parquet(a.run_dir / "north" / "tables" / f"{name}.parquet")
        tb = pd.read_parquet(b.run_dir / "north" / "tables" / f"{name}.parquet")
        pd.testing.assert_frame_equal(
            ta.sort_values(list(ta.columns)).reset_index(drop=True),
            tb.sort_values(list(tb.columns)).reset_index(drop=True),
        )
    # recorded in the manifests: byte-identical Parquet files
    hashes = [{t["name"]: t["sha256"] for t in r.manifest["tables"]["north"]} for r in (a, b)]
    assert hashes[0] == hashes[1]
    assert (
        by_id(a.manifest)["north/01_alpha"]["fingerprint"]
        == by_id(b.manifest)["north/01_alpha"]["fingerprint"]
    )


def test_cell_timeout_is_a_recorded_failure(tmp_path):
    root = make_project(tmp_path, clusters={"north": "cluster: north\nbeta_sleep: 30\n"})
    result = run_project(root, notebooks=["02"], timeout=2)
    entry = by_id(result.manifest)["north/02_beta"]
    assert entry["status"] == "failed"
    assert "timed out" in entry["error"]["message"].lower()
    assert entry["duration_s"] < 25
    assert (root / "outputs" / entry["output_notebook"]).is_file()


# ------------------------------------------------------------------- start-up retry
def test_port_clash_is_retried_once(tmp_path, monkeypatch):
    root = make_project(tmp_path, clusters={"north": "cluster: north\n"})
    calls = []
    real = job._run_papermill

    def flaky(spec, log_handle):
        calls.append(1)
        if len(calls) == 1:
            import zmq

            raise zmq.error.ZMQError(98, "Address already in use")
        return real(spec, log_handle)

    monkeypatch.setattr(job, "_run_papermill", flaky)
    monkeypatch.setattr(job.time, "sleep", lambda s: None)
    result = run_project(root, notebooks=["02"])
    entry = by_id(result.manifest)["north/02_beta"]
    assert entry["status"] == "succeeded" and entry["attempts"] == 2
    assert entry["retried_for"]["type"] == "ZMQError"


def test_clash_after_first_cell_is_not_retried(tmp_path):
    # a notebook that already ran cells is not re-run behind the user's back
    out = tmp_path / "out.ipynb"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["papermill"] = {"status": "completed"}
    nb.cells = [cell]
    nbformat.write(nb, out)
    err = RuntimeError("Kernel died before replying to kernel_info")
    assert job.is_startup_clash(err, tmp_path / "missing.ipynb")
    assert not job.is_startup_clash(err, out)


def test_manifest_is_valid_json_on_disk_throughout(batch):
    root, result = batch
    text = result.manifest_path.read_text()
    assert json.loads(text)["run_id"] == result.run_id
    leftovers = list(result.run_dir.glob(".manifest.json.*"))
    assert leftovers == []
