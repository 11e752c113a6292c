"""The label dictionary: labels, units, names for codes, formatting, the notes table."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab import labels as lab
from clusterlab.labels import Names


def test_every_label_is_plain_language():
    for column, entry in lab.LABELS.items():
        assert entry.label and not lab.looks_like_code(entry.label), column
        assert entry.kind in (
            "number",
            "count",
            "share",
            "percent",
            "score",
            "p",
            "text",
            "flag",
        ), column
    for column, words in lab.VALUES.items():
        assert all(not lab.looks_like_code(w) for w in words.values()), column


def test_headers_with_units_and_no_repetition():
    assert lab.header("employment") == "Employment (jobs)"
    assert lab.header("n_firms") == "Firms"  # not "Firms (firms)"
    assert lab.header("region") == "Region"
    assert lab.header("growth", formatted=False) == "Employment growth (share; 0.05 = 5 %)"
    assert lab.header("growth") == "Employment growth (% a year)"
    assert lab.header("export_share_change") == "Export share change"  # unknown: humanised


@pytest.mark.parametrize(
    "value,column,text",
    [
        (12345.0, "employment", "12,345"),
        (2021, "year", "2021"),
        (2021.0, "period", "2021"),
        (0.0523, "growth", "5.2 %"),
        (-0.1, "growth", "-10.0 %"),
        (3.456, "mean", "3.46"),
        (0.0004, "p_value", "<0.001"),
        (0.0312, "p_value", "0.031"),
        (True, "strong", "yes"),
        (False, "platform_reached", "no"),
        (float("nan"), "lq", ""),
        (None, "lq", ""),
        (pd.NA, "lq", ""),
        (1.534, "lq", "1.53"),
        ("D02", "region", "D02"),
    ],
)
def test_format_value_by_hand(value, column, text):
    assert lab.format_value(value, column) == text


def test_names_replace_codes_and_never_show_slugs():
    names = Names(
        initiatives={"northport_maritime": "Northport Maritime Cluster"},
        regions={"D01": "Northport", "007": "Seven Oaks"},
        clusters={"maritime": "Maritime and Port Industries"},
    )
    assert names.initiative("northport_maritime") == "Northport Maritime Cluster"
    assert names.initiative("valley_foodtech") == "Valley Foodtech"  # unknown: humanised
    assert names.region("007") == "Seven Oaks" and names.region("D99") == "D99"
    t = pd.DataFrame(
        {
            "region": ["D01", "007"],
            "cluster": ["maritime", "new_cluster"],
            "method": ["did", "matching"],
            "status": ["on_track", "off_track"],
            "area": ["insight_strategy", "buy_in"],
            "lq": [1.2, 0.8],
        }
    )
    out = lab.named(t, names=names)
    assert out["region"].tolist() == ["Northport", "Seven Oaks"]
    assert out["cluster"].tolist() == ["Maritime and Port Industries", "New cluster"]
    assert out["method"].tolist() == ["Difference-in-differences", "Matching"]
    assert out["status"].tolist() == ["On track", "Off track"]
    assert out["area"].tolist() == ["Insight strategy", "Buy in"]
    assert t["region"].tolist() == ["D01", "007"]  # the caller's frame is untouched


def test_names_from_tables_and_merge():
    regions = pd.DataFrame({"region": ["007", "008"], "region_name": ["Seven", ""]})
    inits = pd.DataFrame(
        {"initiative": ["a"], "initiative_name": ["Alpha"], "region": ["007"], "cluster": ["x"]}
    )
    n = Names.from_tables(regions=regions, initiatives=inits)
    assert n.regions == {"007": "Seven"}  # empty names are not names
    assert n.home == {"a": "007"} and n.focus == {"a": "x"}
    merged = Names(regions={"007": "Mine"}).merged(n)
    assert merged.regions["007"] == "Mine" and merged.initiatives["a"] == "Alpha"


def test_relabel_shown_keeps_meaningful_columns():
    t = pd.DataFrame(
        {
            "outcome": ["employment"],
            "method": ["did"],
            "term": ["treated"],
            "estimate": [2.5],
            "std_error": [0.4],
            "statistic": [6.2],
            "p_value": [0.0001],
            "ci_low": [1.7],
            "ci_high": [3.3],
            "n": [180],
            "n_firms": [180],
            "caveats": [""],
        }
    )
    shown = lab.relabel(t, shown=True, formatted=True)
    assert list(shown.columns) == [
        "Outcome",
        "Method",
        "Difference members − non-members (outcome units)",
        "p-value",
        "95 % interval from",
        "95 % interval to",
        "Firms",
    ]
    # three significant digits for estimates, a p-value below 0.001 as such
    assert shown.iloc[0].tolist() == [
        "Employment",
        "Difference-in-differences",
        "2.5",
        "<0.001",
        "1.7",
        "3.3",
        "180",
    ]
    full = lab.relabel(t)
    assert len(full.columns) == len(t.columns)  # the download keeps every column
    assert not any(lab.looks_like_code(c) for c in full.columns)


def test_describe_is_the_notes_table():
    d = lab.describe(["lq", "unknown_col"])
    assert list(d.columns) == ["column", "label", "unit", "explanation"]
    assert d.loc[0, "label"] == "Location quotient" and "above 1" in d.loc[0, "explanation"]
    assert d.loc[1, "label"] == "Unknown col" and d.loc[1, "explanation"] == ""


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.from_regex(r"[a-z][a-z0-9]{0,6}(_[a-z0-9]{1,6}){0,3}", fullmatch=True))
def test_no_column_name_reaches_a_header(name):
    # whatever a notebook calls a column, the page header is never snake_case
    assert not lab.looks_like_code(lab.header(name))
    assert not lab.looks_like_code(lab.header(name, formatted=False))
