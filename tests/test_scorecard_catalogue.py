"""Indicator catalogues: the shipped defaults and the validation of user catalogues."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.scorecard import builtin_catalogues, load_catalogue
from clusterlab.scorecard.periods import parse_period, sort_periods

TEN_FACTORS = [
    "R&D capacity",
    "Workforce skills",
    "Education and training",
    "Proximity to suppliers",
    "Capital availability",
    "Specialised services",
    "Machine builders and software designers",
    "Networks and alliances",
    "Social capital",
    "Entrepreneurial climate",
]


def test_builtin_catalogues_load():
    assert builtin_catalogues() == ["balanced_scorecard", "four_perspectives", "ten_factors"]
    four = load_catalogue("four_perspectives")
    assert four.perspectives["name"].tolist() == [
        "Economic and social results",
        "Firms' performance",
        "Collective efficiency",
        "Social capital",
    ]
    ten = load_catalogue("ten_factors")
    assert ten.perspectives["name"].tolist() == TEN_FACTORS
    assert set(ten.indicators["perspective"]) == set(ten.perspectives["perspective"])
    bsc = load_catalogue("balanced_scorecard")
    assert bsc.perspectives["perspective"].tolist() == [
        "economic_financial",
        "knowledge",
        "skills",
        "cluster_process",
    ]
    # every critical success factor is measured by 1-3 KPIs
    per_csf = bsc.indicators.groupby("group").size()
    assert per_csf.between(1, 3).all() and len(per_csf) >= 8
    for cat in (four, ten, bsc):
        assert set(cat.indicators["source"]) == {"company", "governance", "external"}


def test_shared_ids_mean_the_same_in_every_catalogue():
    cols = ["name", "source", "unit", "direction", "aggregation", "weight_by", "formula"]
    frames = [
        load_catalogue(n).indicators.set_index("indicator")[cols] for n in builtin_catalogues()
    ]
    for i, a in enumerate(frames):
        for b in frames[i + 1 :]:
            common = a.index.intersection(b.index)
            pd.testing.assert_frame_equal(a.loc[common], b.loc[common])


def test_summary_counts_sources():
    s = load_catalogue("four_perspectives").summary().set_index("perspective")
    # economic_social: 2 external growth rates + new firms (external) + export share (company)
    assert s.loc["economic_social", ["company", "governance", "external"]].tolist() == [1, 0, 3]
    assert s.loc["firm_performance", "with_target"] == 4


def flat(**over):
    row = {
        "indicator": "x1",
        "perspective": "p",
        "source": "company",
        "direction": "higher",
        "unit": "%",
        "weight_by": "employment",
        "target": 5,
    }
    row.update(over)
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    "over, column",
    [
        ({"source": "firm"}, "source"),
        ({"direction": "up"}, "direction"),
        ({"frequency": "weekly"}, "frequency"),
        ({"aggregation": "geomean"}, "aggregation"),
        ({"source": "governance", "aggregation": None}, "weight_by"),
        ({"indicator": "has space"}, "indicator"),
        ({"target": "ten"}, "target"),
        ({"tolerance": -1}, "tolerance"),
        ({"diamond": "chance"}, "diamond"),
        ({"perspective": None}, "perspective"),
    ],
)
def test_bad_catalogue_rows_are_reported(over, column):
    with pytest.raises(DataValidationError) as exc:
        load_catalogue(flat(**over))
    assert column in exc.value.problems["column"].tolist()


def test_duplicate_ids_and_unknown_columns():
    with pytest.raises(DataValidationError) as exc:
        load_catalogue(pd.concat([flat(), flat()]))
    assert "duplicate x1" in exc.value.problems["found"].tolist()
    with pytest.raises(DataValidationError) as exc:
        load_catalogue(flat().assign(colour="red"))
    assert exc.value.problems.loc[0, "column"] == "colour"


def test_target_with_the_wrong_direction():
    # higher is better but the target lies below the baseline
    with pytest.raises(DataValidationError, match="problem") as exc:
        load_catalogue(flat(baseline=8.0, target=5.0))
    assert "baseline" in exc.value.problems.loc[0, "expected"]
    # lower is better: a target above the baseline is wrong, below is fine
    with pytest.raises(DataValidationError):
        load_catalogue(flat(direction="lower", baseline=8.0, target=9.0))
    assert load_catalogue(flat(direction="lower", baseline=8.0, target=6.0)).ids == ["x1"]
    # period targets that fall over time for a higher-is-better indicator
    with pytest.raises(DataValidationError) as exc:
        load_catalogue(flat(targets="2019:6;2021:5;2020:7"))
    assert "falls back at 2021" in exc.value.problems["found"].iloc[0]
    # ... a target path of the wrong frequency
    with pytest.raises(DataValidationError):
        load_catalogue(flat(targets="2020-Q1:6"))
    with pytest.raises(ParameterError):
        load_catalogue("four_perspectives").with_targets({"nonexistent": 3})
    with pytest.raises(DataValidationError):
        load_catalogue("four_perspectives").with_targets({"member_retention": {2019: 90, 2020: 80}})


def test_period_targets_and_fallback():
    cat = load_catalogue(flat(targets="2020:6;2021:7"))
    assert cat.target_for("x1", "2021") == 7.0
    assert cat.target_for("x1", 2020) == 6.0
    assert cat.target_for("x1", 2019) == 5.0  # scalar target for unlisted periods


def test_yaml_and_csv_files(tmp_path):
    cat = load_catalogue("balanced_scorecard")
    path = tmp_path / "mine.csv"
    cat.to_frame().to_csv(path, index=False)
    again = load_catalogue(path)
    assert again.ids == cat.ids
    pd.testing.assert_series_equal(again.indicators["target"], cat.indicators["target"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("perspectives:\n  - id: p\n    indicators:\n      - id: x\n        source: [\n")
    with pytest.raises(DataValidationError) as exc:
        load_catalogue(bad)
    assert exc.value.problems.loc[0, "expected"] == "valid YAML"
    unknown_field = tmp_path / "u.yaml"
    unknown_field.write_text(
        "perspectives:\n  - id: p\n    indicators:\n      - id: x\n"
        "        source: external\n        direction: higher\n"
        "        polarity: up\n"
    )
    with pytest.raises(DataValidationError) as exc:
        load_catalogue(unknown_field)
    assert exc.value.problems.loc[0, "column"] == "polarity"
    with pytest.raises(ParameterError):
        load_catalogue("no_such_catalogue")
    with pytest.raises(DataValidationError):
        load_catalogue(tmp_path / "missing.yaml")


def test_periods_sort_by_calendar_not_text():
    assert sort_periods(["2020-Q1", "2019-Q4", "2020-Q2"]) == ["2019-Q4", "2020-Q1", "2020-Q2"]
    assert parse_period(2020.0).label == "2020"
    assert parse_period("2020-07").key == pytest.approx(2020.5)
    with pytest.raises(DataValidationError):
        parse_period("FY2020")


def test_combine_catalogues_first_definition_wins():
    from clusterlab.scorecard import combine_catalogues

    mine = load_catalogue("four_perspectives").with_targets({"trust_score": 4.0})
    both = combine_catalogues(mine, "ten_factors")
    four, ten = set(mine.ids), set(load_catalogue("ten_factors").ids)
    assert set(both.ids) == four | ten
    assert both.target_for("trust_score", 2021) == 4.0  # from the first catalogue
    assert both.target_for("finance_access", 2021) == 3.0  # only in ten_factors
    with pytest.raises(ParameterError):
        combine_catalogues()


@pytest.mark.parametrize(
    "targets",
    [
        {"vacancy_fill_time": "eight"},
        {"vacancy_fill_time": True},
        {"vacancy_fill_time": float("inf")},
        {"vacancy_fill_time": {2020: True}},
        {"vacancy_fill_time": {2020: "inf"}},
    ],
)
def test_with_targets_rejects_non_numbers_like_a_file(targets):
    # the same check as a catalogue file: an error table, not a pandas TypeError
    with pytest.raises(DataValidationError) as exc:
        load_catalogue("balanced_scorecard").with_targets(targets)
    assert exc.value.problems["column"].str.contains("target").all()


def test_infinite_target_in_a_file_is_reported():
    with pytest.raises(DataValidationError) as exc:
        load_catalogue(flat(target=float("inf")))
    assert exc.value.problems.loc[0, "column"] == "target"
    # numeric text is fine, as in a CSV
    assert (
        load_catalogue("balanced_scorecard")
        .with_targets({"vacancy_fill_time": "7"})
        .target_for("vacancy_fill_time", 2021)
        == 7.0
    )
