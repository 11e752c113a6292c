"""Issue 13, done-when: the README's "Add a cluster" and "Bring your own data" steps, followed
as a new user would — a new cluster over the demo data (every analysis skipped with its reason,
nothing fails) and a new cluster over the user's own files (the selected analysis runs)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from clusterlab import cli
from clusterlab.analyses import ANALYSES

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = str(ROOT / "notebooks")


@pytest.fixture(autouse=True)
def _pinned_source_hash(monkeypatch):
    monkeypatch.setenv("CLUSTERLAB_SOURCE_HASH", "sha256:pinned-for-tests")


def _main(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _manifest(project: Path) -> dict:
    (path,) = (project / "outputs").glob("*/manifest.json")
    return json.loads(path.read_text())


def test_new_cluster_over_the_demo_data_skips_with_reasons(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = _main(capsys, "new-cluster", "harbour_city")
    assert code == 0 and "initiative" in out
    template = (tmp_path / "parameters" / "harbour_city.yaml").read_text()
    assert "must appear in the 'initiative' column" in template
    code, out, _ = _main(
        capsys, "validate", "--notebook-dir", NOTEBOOKS, "parameters/harbour_city.yaml"
    )
    assert code == 0 and out.count(" skip — ") == len(ANALYSES)
    code, out, _ = _main(
        capsys, "run", "--notebook-dir", NOTEBOOKS, "--no-progress", "parameters/harbour_city.yaml"
    )
    assert code == 0, out
    entries = _manifest(tmp_path)["executions"]
    assert {e["status"] for e in entries} == {"skipped"}
    reasons = {e["notebook"]: e["skip_reason"] for e in entries}
    assert "initiatives: no row for cluster 'harbour_city'" in reasons["01_cluster_mapping"]
    assert "nodes: no rows for cluster 'harbour_city'" in reasons["02_network_analysis"]
    assert "firm_panel: no rows" in reasons["05_member_comparison"]
    index = next((tmp_path / "outputs").glob("*/index.html")).read_text()
    assert index.count("skipped — inputs absent") == len(ANALYSES)


def test_new_cluster_over_the_users_own_files_runs(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    # the user's own ratings of one initiative only (no other initiatives to compare with)
    ratings = pd.read_csv(ROOT / "datasets" / "ratings.csv", dtype=str)
    ratings = ratings[ratings["initiative"] == "northport_maritime"].assign(
        initiative="harbour_city"
    )
    ratings["rater"] = ratings["rater"].str.replace("NO-", "HC-")
    ratings.to_csv(data / "ratings.csv", index=False)
    pd.DataFrame(
        {"initiative": ["harbour_city"], "cluster": ["maritime"], "region": ["D01"]}
    ).to_excel(data / "initiatives.xlsx", index=False)

    code, out, _ = _main(capsys, "new-cluster", "harbour_city", "--from-data", "data")
    assert code == 0 and "ratings.csv" in out
    path = tmp_path / "parameters" / "harbour_city.yaml"
    text = path.read_text()
    assert "analyses: [cimbt, bigfive]" in text and 'ratings_file: "ratings.csv"' in text
    # keep the walkthrough short: one analysis, fewer bootstrap replicates
    path.write_text(
        text.replace("analyses: [cimbt, bigfive]", "analyses: [bigfive]")
        + "\ninstrument_n_boot: 49\n"
    )
    code, out, _ = _main(capsys, "validate", "--notebook-dir", NOTEBOOKS, str(path))
    assert code == 0 and "bigfive" in out and "ready" in out
    code, out, _ = _main(capsys, "run", "--notebook-dir", NOTEBOOKS, "--no-progress", str(path))
    entries = {e["notebook"]: e for e in _manifest(tmp_path)["executions"]}
    assert entries["04_big_five"]["status"] == "succeeded", out
    assert code == 0
    assert entries["03_cimbt"]["skip_reason"].startswith("not selected")
    factors = list((tmp_path / "outputs").glob("*/harbour_city/tables/bigfive_factors.parquet"))
    assert len(factors) == 1
    table = pd.read_parquet(factors[0])
    assert set(table["initiative"]) == {"harbour_city"} and len(table) > 0


@pytest.mark.parametrize("fmt", ["csv", "excel"])
def test_evaluator_fills_the_templates_and_validates(tmp_path, capsys, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    code, out, _ = _main(capsys, "templates", "mine", "--format", fmt)
    assert code == 0
    ext = "csv" if fmt == "csv" else "xlsx"
    read = pd.read_csv if fmt == "csv" else pd.read_excel
    header = read(tmp_path / "mine" / f"ratings.{ext}", dtype=str)
    assert header.empty and list(header.columns[:5]) == [
        "initiative",
        "item",
        "rater",
        "score",
        "instrument",
    ]
    # an unfilled template is not data: validation says so
    code, out, _ = _main(capsys, "validate", f"mine/ratings.{ext}")
    assert code == 1 and "no data rows" in out
    # fill in the ratings (codes with leading zeros stay text), drop the tables not collected
    demo = pd.read_csv(ROOT / "datasets" / "ratings.csv", dtype=str)
    filled = demo[demo["initiative"] == "valley_foodtech"].assign(initiative="harbour_city")
    filled = filled.reindex(columns=header.columns)
    for path in (tmp_path / "mine").iterdir():
        if path.stem != "ratings":
            path.unlink()
    if fmt == "csv":
        filled.to_csv(tmp_path / "mine" / "ratings.csv", index=False)
    else:
        filled.to_excel(tmp_path / "mine" / "ratings.xlsx", index=False)
    code, out, _ = _main(capsys, "new-cluster", "harbour_city", "--from-data", "mine")
    assert code == 0
    code, out, _ = _main(
        capsys, "validate", "--notebook-dir", NOTEBOOKS, "parameters/harbour_city.yaml"
    )
    assert code == 0, out
    assert "cimbt      03_cimbt               ready" in out


def test_from_data_lists_the_read_notes_next_to_their_file(tmp_path, capsys, monkeypatch):
    """io.read's DataWarnings about a user's file (codes stored as numbers lose their
    leading zeros) appear in the scan's note for that file, not as a Python warning that
    points inside the package."""
    import warnings

    from clusterlab.datasets import load_demo
    from clusterlab.newcluster import scan_data_folder

    data = tmp_path / "mine"
    data.mkdir()
    emp = load_demo("employment").head(20)
    emp.assign(industry=emp["industry"].astype(int)).to_parquet(data / "employment.parquet")
    load_demo("ratings").to_csv(data / "ratings.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing escapes as a warning
        found = scan_data_folder(data, "harbour_city").set_index("file")
    assert "column 'industry' holds numbers" in found.at["employment.parquet", "note"]
    assert "leading zeros cannot be recovered" in found.at["employment.parquet", "note"]
    assert found.at["ratings.csv", "note"].startswith("no rows with initiative = 'harbour_city'")
    monkeypatch.chdir(tmp_path)
    code, out, err = _main(capsys, "new-cluster", "harbour_city", "--from-data", "mine")
    assert code == 0
    assert "leading zeros cannot be recovered" in out and "DataWarning" not in err
