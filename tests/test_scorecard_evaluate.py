"""evaluate: status against targets, trend, perspective summary — hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.scorecard import LowCoverageWarning, classify_status, evaluate, load_catalogue


def row(sc, indicator, period):
    s = sc.status
    sel = s.loc[(s["indicator"] == indicator) & (s["period"] == str(period))]
    assert len(sel) == 1
    return sel.iloc[0]


@pytest.fixture
def agg():
    # member_retention: target 90 (higher), band 10 % of 90 = 9 -> at risk down to 81
    # vacancy_fill_time (balanced_scorecard): target 8 weeks (lower), band 0.8 -> at risk to 8.8
    return pd.DataFrame(
        {
            "indicator": ["member_retention"] * 4 + ["vacancy_fill_time"] * 3 + ["members"] * 2,
            "period": ["2018", "2019", "2020", "2021", "2019", "2020", "2021", "2020", "2021"],
            "value": [95.0, 85.0, 80.0, np.nan, 7.5, 8.5, 9.0, 20.0, 22.0],
            "n_reporting": pd.array([pd.NA] * 4 + [10, 9, 8] + [pd.NA] * 2, dtype="Int64"),
            "coverage": [1.0] * 4 + [0.8, 0.6, 0.4] + [1.0] * 2,
        }
    )


def _evaluate(agg, *args, **kw):
    """evaluate() on the ``agg`` fixture, whose 2021 vacancy_fill_time rests on 40 % of firms."""
    with pytest.warns(LowCoverageWarning, match="vacancy_fill_time 2021"):
        return evaluate(agg, *args, **kw)


def test_status_direction_aware_by_hand(agg):
    with pytest.warns(LowCoverageWarning, match="vacancy_fill_time 2021"):
        sc = evaluate(agg, "balanced_scorecard")
    assert [row(sc, "member_retention", p)["status"] for p in (2018, 2019, 2020, 2021)] == [
        "on_track",  # 95 >= 90
        "at_risk",  # 85 >= 90 - 9 = 81
        "off_track",  # 80 < 81
        "no_data",
    ]
    assert [row(sc, "vacancy_fill_time", p)["status"] for p in (2019, 2020, 2021)] == [
        "on_track",  # 7.5 <= 8 (lower is better)
        "at_risk",  # 8.5 <= 8 + 0.8
        "off_track",
    ]  # 9.0 > 8.8
    assert row(sc, "members", 2021)["status"] == "no_target"
    # gap is signed so that positive = better: lower-is-better 8 - 7.5 = 0.5
    assert row(sc, "vacancy_fill_time", 2019)["gap"] == pytest.approx(0.5)
    assert row(sc, "member_retention", 2019)["gap"] == pytest.approx(-5.0)
    # attainment: 95/90 (higher) and 8/7.5 (lower)
    assert row(sc, "member_retention", 2018)["attainment"] == pytest.approx(95 / 90)
    assert row(sc, "vacancy_fill_time", 2019)["attainment"] == pytest.approx(8 / 7.5)
    # coverage 0.4 < 0.5 is flagged for the company indicator only
    assert row(sc, "vacancy_fill_time", 2021)["low_coverage"]
    assert not row(sc, "member_retention", 2021)["low_coverage"]


def test_band_parameter_and_catalogue_tolerance(agg):
    sc = _evaluate(agg, "balanced_scorecard", at_risk_band=0.2)  # band 18: 80 >= 72
    assert row(sc, "member_retention", 2020)["status"] == "at_risk"
    sc = _evaluate(agg, "balanced_scorecard", at_risk_band=0.0)
    assert row(sc, "member_retention", 2019)["status"] == "off_track"
    # an absolute tolerance in the catalogue overrides the relative band
    cat = load_catalogue(
        pd.DataFrame(
            {
                "indicator": ["member_retention"],
                "perspective": "p",
                "source": "governance",
                "direction": "higher",
                "target": 90,
                "tolerance": 12,
            }
        )
    )
    sc = evaluate(agg.query("indicator == 'member_retention'"), cat)
    assert row(sc, "member_retention", 2020)["status"] == "at_risk"  # 80 >= 78


def test_change_and_trend(agg):
    sc = _evaluate(agg, "balanced_scorecard")
    mr = sc.status.loc[sc.status["indicator"] == "member_retention"]
    # changes 85 - 95 = -10, 80 - 85 = -5; 2021 has no value -> change NaN, trend n/a
    assert mr["change"].tolist()[1:3] == [-10.0, -5.0]
    assert mr["trend"].tolist() == ["n/a", "worsening", "worsening", "n/a"]
    vf = sc.status.loc[sc.status["indicator"] == "vacancy_fill_time"]
    assert vf["trend"].tolist() == ["n/a", "worsening", "worsening"]  # weeks going up
    # members 20 -> 22: +10 % > 2 % stable band -> improving
    assert row(sc, "members", 2021)["trend"] == "improving"
    assert (
        _evaluate(agg, "balanced_scorecard", stable_band=0.2).status.pipe(
            lambda s: s.loc[s["indicator"] == "members", "trend"].iloc[1]
        )
        == "stable"
    )
    tr = sc.trends.set_index("indicator")
    # least-squares slope of 95, 85, 80 on 2018..2020: (-15)/2 = -7.5 per year
    assert tr.loc["member_retention", "slope"] == pytest.approx(-7.5)
    assert tr.loc["member_retention", "trend"] == "worsening"
    assert tr.loc["vacancy_fill_time", "slope"] == pytest.approx(0.75)  # (9 - 7.5) / 2
    assert tr.loc["vacancy_fill_time", "trend"] == "worsening"
    assert tr.loc["vacancy_fill_time", "n_firms"] == 8  # min of 10, 9, 8
    assert pd.isna(tr.loc["member_retention", "n_firms"])


def test_perspective_table_by_hand(agg):
    sc = _evaluate(agg, "balanced_scorecard")
    p = sc.perspectives.set_index(["perspective", "period"])
    # cluster_process 2020: member_retention off track (0), members no target -> score 0
    r = p.loc[("cluster_process", "2020")]
    assert (r["n_indicators"], r["n_off_track"], r["n_no_target"], r["score"]) == (2, 1, 1, 0.0)
    # skills 2020: vacancy_fill_time at risk (0.5); n_reporting 9, coverage 0.6
    r = p.loc[("skills", "2020")]
    assert (r["score"], r["n_reporting"], r["mean_coverage"]) == (0.5, 9, 0.6)
    latest = sc.summary()
    assert set(latest["period"]) == {"2021"}
    # cluster_process 2021: retention no data, members no target: no score
    assert np.isnan(latest.set_index("perspective").loc["cluster_process", "score"])


def test_bad_input(agg):
    with pytest.raises(DataValidationError):
        evaluate(agg.assign(indicator="nope"), "balanced_scorecard")
    with pytest.raises(DataValidationError):
        evaluate(pd.concat([agg, agg.head(1)]), "balanced_scorecard")
    with pytest.raises(DataValidationError):
        evaluate(agg.drop(columns="value"), "balanced_scorecard")
    with pytest.raises(ParameterError):
        evaluate(agg, "balanced_scorecard", at_risk_band=-0.1)
    with pytest.raises(ParameterError):
        evaluate(agg, "balanced_scorecard", min_coverage=2)
    with pytest.raises(ParameterError):
        classify_status(1.0, 2.0, "up", band=0.1)


@settings(max_examples=80, deadline=None)
@given(
    st.floats(-1e3, 1e3),
    st.floats(-1e3, 1e3),
    st.floats(0, 100),
    st.sampled_from(["higher", "lower"]),
)
def test_property_status_flips_with_direction(x, t, band, direction):
    s = classify_status(x, t, direction, band=band)
    other = classify_status(x, t, "lower" if direction == "higher" else "higher", band=band)
    if x == t:
        assert s == other == "on_track"
    else:
        assert "on_track" in (s, other) and s != other
    # widening the band never makes a status worse
    order = {"off_track": 0, "at_risk": 1, "on_track": 2}
    assert order[classify_status(x, t, direction, band=band + 1)] >= order[s]


def test_infinite_aggregated_value_is_an_error(agg):
    bad = agg.copy()
    bad.loc[2, "value"] = -np.inf
    with pytest.raises(DataValidationError) as exc:
        evaluate(bad, "balanced_scorecard")
    assert exc.value.problems[["row", "column"]].values.tolist() == [[3, "value"]]


def test_figures_check_their_table(agg):
    import matplotlib.pyplot as plt

    from clusterlab.plots import scorecard as figures

    sc = evaluate(agg.query("indicator != 'vacancy_fill_time'"), "balanced_scorecard")
    plt.close(figures.status_grid(sc.status).figure)
    with pytest.raises(DataValidationError) as exc:
        figures.status_grid(agg)  # not a status table
    assert set(exc.value.problems["column"]) == {"perspective", "status"}
    # two initiatives in one grid would overwrite each other's cells: one group per figure
    two = pd.concat([sc.status.assign(initiative="a"), sc.status.assign(initiative="b")])
    with pytest.raises(DataValidationError):
        figures.status_grid(two)
    with pytest.raises(DataValidationError):
        figures.sparklines(two)
