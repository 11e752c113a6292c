"""Headline cards, run information, successful runs only, labelled exports, publish --clusters.

The expected sentences and counts are worked out by hand from the small tables in each test.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from clusterlab import results
from clusterlab.errors import ParameterError
from clusterlab.labels import Names
from clusterlab.publish import export_site, protect, to_csv, to_excel
from clusterlab.publish.cards import (
    maturity_card,
    member_card,
    network_card,
    scorecard_card,
    strength_card,
)
from clusterlab.publish.example import write_example_results
from clusterlab.publish.runs import page_names, run_info, successful_runs
from clusterlab.publish.sources import load_results


# ------------------------------------------------------------------------------ cards
def _effects(**rows):
    return pd.DataFrame(
        [
            {
                "outcome": "employment",
                "method": m,
                "estimate": e,
                "ci_low": lo,
                "ci_high": hi,
                "n_firms": 180,
            }
            for m, (e, lo, hi) in rows.items()
        ]
    )


def test_member_card_prefers_the_most_credible_design():
    t = _effects(raw_gap=(9.0, 5.0, 13.0), matching=(1.0, -2.0, 4.0), did=(2.5, 0.5, 4.5))
    card = member_card(t)
    assert card.value == "+2.5"
    assert card.text == (
        "Members' employment grew by 2.5 (95 % interval 0.5 to 4.5) more than "
        "comparable non-members'; design: difference-in-differences, "
        "180 firms."
    )
    # a staggered design (issue 16) wins when it is there; the card does not need it
    t2 = pd.concat([t, _effects(staggered_did=(1.5, 0.2, 2.8))], ignore_index=True)
    assert "staggered difference-in-differences" in member_card(t2).text


def test_member_card_interval_through_zero_and_withheld():
    card = member_card(_effects(did=(-0.5, -1.5, 0.5)))
    assert card.text.startswith(
        "Members' employment grew by 0.5 (95 % interval -1.5 to 0.5) "
        "less than comparable non-members'; the interval includes zero"
    )
    withheld = member_card(_effects(did=(np.nan, np.nan, np.nan)))  # suppressed: no number
    assert not withheld.available and "withheld" in withheld.text
    assert not member_card(None).available
    other = member_card(
        pd.DataFrame({"outcome": ["turnover"], "method": ["did"], "estimate": [3.0]})
    )
    assert "Members' turnover grew by 3" in other.text  # main outcome: the first one


def test_strength_card_by_hand():
    peers = pd.DataFrame(
        {
            "region": ["D02", "D02", "D05"],
            "cluster": "medtech",
            "year": [2016, 2021, 2021],
            "lq": [1.8, 2.4, 0.7],
            "employment": [1200.0, 1530.0, 80.0],
            "focus": [True, True, False],
            "strong": [True, True, False],
            "rank_lq": [2, 1, 9],
            "n_regions": [40, 40, 40],
        }
    )
    names = Names(regions={"D02": "Eastshire"}, clusters={"medtech": "Medical Devices"})
    card = strength_card(peers, names=names, initiative="eastshire_medtech")
    assert card.value == "2.40"
    assert card.text == (
        "Medical Devices in Eastshire, 2021: strongly specialised (more than "
        "twice the national share). A strong cluster. Ranks 1st of 40 regions "
        "by LQ. Employment 1,530 jobs. LQ up from 1.80 in 2016."
    )
    # the focus row withheld by disclosure control: the card says so, no number
    hidden = peers.assign(lq=[np.nan, np.nan, 0.7], focus=[pd.NA, pd.NA, False])
    names2 = Names(home={"eastshire_medtech": "D02"})
    card = strength_card(hidden, names=names2, initiative="eastshire_medtech")
    assert not card.available and "withheld" in card.text


def test_network_and_scorecard_and_maturity_cards_by_hand():
    coh = pd.DataFrame(
        {
            "relation": ["knowledge"],
            "n_nodes": [78],
            "n_firms": [70],
            "n_ties": [1500],
            "density": [0.25],
        }
    )
    cen = pd.DataFrame(
        {"kind": ["firm", "university", "agency"], "betweenness": [0.01, 0.09, np.nan]}
    )
    card = network_card(coh, cen)
    assert (card.value, card.unit) == ("1,500", "ties between actors")
    assert card.text == (
        "78 actors, 70 of them firms (knowledge ties). 25.0 % of all possible "
        "ties exist. Universities broker most (highest average betweenness)."
    )
    status = pd.DataFrame(
        {
            "indicator": list("abcdef"),
            "period": [2020] + [2021] * 5,
            "status": ["off_track", "on_track", "on_track", "at_risk", "off_track", None],
        }
    )
    card = scorecard_card(status)
    assert card.value == "2 of 4"
    assert (
        card.text == "2 on track, 1 at risk, 1 off track (2021). 1 withheld by disclosure control."
    )
    areas = pd.DataFrame(
        {
            "area": ["insight_strategy", "execution"],
            "mean": [3.61, 2.4],
            "ci_low": [3.1, 1.9],
            "ci_high": [4.2, 2.9],
        }
    )
    plat = pd.DataFrame({"platform_reached": [False], "weakest_factors": ["critical_mass"]})
    card = maturity_card(areas, platform=plat)
    assert card.value == "2.4–3.6"
    assert card.text == (
        "CIMBT areas (1–5, 95 % interval): Insight strategy 3.6 (3.1–4.2); "
        "Execution 2.4 (1.9–2.9). Big five: platform not yet reached. "
        "Weakest: Critical mass."
    )


# ------------------------------------------------------------------------------ runs
def _manifest(root, run_id, statuses, *, name="North Cluster", end="2026-11-20T10:00:00+00:00"):
    executions = [
        {
            "id": f"north/{nb}",
            "cluster": "north",
            "notebook": nb,
            "status": st,
            "end": end,
            "parameters": {
                "cluster": "north",
                "cluster_name": name,
                "regions_file": None,
                "output_dir": "x",
            },
        }
        for nb, st in statuses.items()
    ]
    (root / run_id).mkdir(parents=True, exist_ok=True)
    (root / run_id / "manifest.json").write_text(
        json.dumps(
            {
                "format": "clusterlab-manifest/1",
                "run_id": run_id,
                "executions": executions,
                "versions": {"clusterlab": "9.9"},
            }
        )
    )


def _table(root, run_id, value):
    results.save(
        pd.DataFrame(
            {
                "outcome": ["employment"],
                "method": ["did"],
                "term": ["member"],
                "estimate": [value],
                "n_firms": [50],
            }
        ),
        "member_effects",
        output_dir=root / run_id / "north",
    )


def test_only_successful_runs_are_published(tmp_path):
    root = tmp_path / "outputs"
    _table(root, "r1", 1.0)
    _manifest(root, "r1", {"01": "succeeded", "05": "succeeded"})
    _table(root, "r2", 2.0)  # newer, but its run failed
    _manifest(root, "r2", {"01": "succeeded", "05": "failed"}, end="2026-11-21T10:00:00+00:00")
    _table(root, "r3", 3.0)  # newest, killed while running
    _manifest(root, "r3", {"01": "succeeded", "05": "pending"}, end="2026-11-22T10:00:00+00:00")
    info = run_info(root).set_index("run_id")
    assert info["status"].to_dict() == {"r1": "succeeded", "r2": "failed", "r3": "incomplete"}
    assert info.loc["r1", "version"] == "9.9" and len(info.loc["r1", "parameter_hash"]) == 12
    # the parameter hash ignores output_dir (where a run wrote is not what it computed)
    assert info.loc["r1", "parameter_hash"] == info.loc["r2", "parameter_hash"]
    assert successful_runs(root) == {("r1", "north")}
    picked = load_results(root, runs=successful_runs(root))["member_effects"]
    assert picked["estimate"].tolist() == [1.0] and picked["run_id"].tolist() == ["r1"]
    assert load_results(root)["member_effects"]["estimate"].tolist() == [1.0]  # the default
    unfiltered = load_results(root, successful_only=False)["member_effects"]
    assert unfiltered["estimate"].tolist() == [3.0]
    assert page_names(run_info(root)).initiative("north") == "North Cluster"


def test_run_folders_without_manifest_count_as_unknown(tmp_path):
    root = tmp_path / "outputs"
    _table(root, "by_hand", 1.0)
    info = run_info(root)
    assert info[["run_id", "cluster", "status"]].values.tolist() == [
        ["by_hand", "north", "unknown"]
    ]
    assert successful_runs(root) == {("by_hand", "north")}


def test_export_site_clusters_and_failed_runs(tmp_path):
    root = write_example_results(
        tmp_path / "outputs",
        clusters=["northport_maritime", "valley_foodtech"],
        failed=["valley_foodtech"],
    )
    index = export_site(tmp_path / "site", results_root=root)
    pages = sorted(p.name for p in index.parent.glob("cluster-*.html"))
    assert pages == ["cluster-northport_maritime.html"]  # valley's only run failed
    with pytest.raises(ParameterError, match="valley_foodtech.*available: northport_maritime"):
        export_site(tmp_path / "site2", results_root=root, clusters=["valley_foodtech"])
    index = export_site(
        tmp_path / "site3", results_root=root, clusters=["valley_foodtech"], successful_only=False
    )
    assert sorted(p.name for p in index.parent.glob("cluster-*.html")) == [
        "cluster-valley_foodtech.html"
    ]


def test_cli_publish_clusters(tmp_path, capsys):
    from clusterlab.cli import main

    root = write_example_results(
        tmp_path / "outputs", clusters=["northport_maritime", "valley_foodtech"]
    )
    assert (
        main(
            [
                "publish",
                "-o",
                str(tmp_path / "site"),
                "--results",
                str(root),
                "--clusters",
                "valley_foodtech",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in (tmp_path / "site").glob("cluster-*.html")) == [
        "cluster-valley_foodtech.html"
    ]
    assert (
        main(
            ["publish", "-o", str(tmp_path / "s2"), "--results", str(root), "--clusters", "nowhere"]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err


# ------------------------------------------------------------------------------ exports
def test_labelled_exports_and_notes_sheet(tmp_path):
    t = pd.DataFrame(
        {
            "kind": ["firm", "agency"],
            "n_firms": [12, 1],
            "degree": [3.5, 9.0],
            "growth": [0.05, 0.1],
        }
    )
    p = protect(t, count_col="n_firms", dims=["kind"], margins=False)
    path = to_csv(p, tmp_path / "t.csv", labels=True)
    # units in brackets unless the label says it already ("Firms", not "Firms (firms)")
    assert path.read_text().splitlines()[0] == (
        "Kind of actor,Firms,Ties per actor,Employment growth (share; 0.05 = 5 %),Suppressed"
    )
    assert path.read_text().splitlines()[2] == "agency,,,,True"  # still protected
    book = to_excel({"centrality": p}, tmp_path / "t.xlsx", labels=True)
    sheets = pd.read_excel(book, sheet_name=None)
    assert list(sheets) == ["README", "centrality", "Notes"]
    notes = sheets["Notes"]
    assert notes.columns.tolist() == ["sheet", "column", "label", "unit", "explanation"]
    assert notes["column"].tolist() == ["kind", "n_firms", "degree", "growth", "suppressed"]
    assert notes["label"].tolist() == list(sheets["centrality"].columns)
    plain = pd.read_csv(to_csv(p, tmp_path / "plain.csv"))  # default: column names
    assert list(plain.columns) == ["kind", "n_firms", "degree", "growth", "suppressed"]
