"""aggregate_company_indicators: weighted company means, coverage, pass-through, bad input.

Expected values are hand calculations written out next to each assertion.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.scorecard import (
    aggregate_company_indicators,
    load_catalogue,
    member_population,
    select_values,
)
from clusterlab.scorecard.values import (
    DuplicateSubmissionWarning,
    MissingWeightWarning,
    OutsidePopulationWarning,
    UnknownIndicatorWarning,
)

CAT = "four_perspectives"


def one(out, indicator, period=None, **by):
    sel = out.loc[out["indicator"] == indicator]
    if period is not None:
        sel = sel.loc[sel["period"] == str(period)]
    for k, v in by.items():
        sel = sel.loc[sel[k] == v]
    assert len(sel) == 1
    return sel.iloc[0]


@pytest.fixture
def values():
    return pd.DataFrame(
        {
            "indicator": ["rd_intensity"] * 3 + ["trust_score"] * 3 + ["members"],
            "entity": ["f1", "f2", "f3", "f1", "f2", "f3", "ci"],
            "period": ["2020"] * 7,
            "value": [1.0, 4.0, np.nan, 2.0, 5.0, 4.0, 25.0],
            "employment": [30.0, 10.0, 50.0, 30.0, 10.0, 50.0, np.nan],
        }
    )


def test_weighted_mean_and_coverage_by_hand(values):
    before = values.copy()
    out = aggregate_company_indicators(values, CAT)
    pd.testing.assert_frame_equal(values, before)  # caller's frame untouched
    rd = one(out, "rd_intensity")
    # weighted by employment: (30*1 + 10*4) / (30 + 10) = 70/40 = 1.75; f3 left it blank
    assert rd["value"] == pytest.approx(1.75)
    assert (rd["n_reporting"], rd["n_expected"]) == (2, 3)
    assert rd["coverage"] == pytest.approx(2 / 3)
    # trust_score has no weight_by: plain mean (2 + 5 + 4) / 3 = 11/3
    assert one(out, "trust_score")["value"] == pytest.approx(11 / 3)
    m = one(out, "members")
    assert m["value"] == 25.0 and pd.isna(m["n_reporting"]) and m["coverage"] == 1.0
    # every catalogue indicator appears; those without data have value NaN and coverage 0
    assert set(out["indicator"]) == set(load_catalogue(CAT).ids)
    ex = one(out, "export_share")
    assert np.isnan(ex["value"]) and ex["n_reporting"] == 0 and ex["coverage"] == 0.0


def test_labour_productivity_equals_total_turnover_over_total_employment():
    # firm a: turnover 300 with 3 employees -> 100 per employee; firm b: 200 with 1 -> 200.
    # Employment-weighted mean (3*100 + 1*200) / 4 = 125 = (300 + 200) / (3 + 1).
    v = pd.DataFrame(
        {
            "indicator": "labour_productivity",
            "entity": ["a", "b"],
            "period": 2021,
            "value": [100.0, 200.0],
            "employment": [3.0, 1.0],
        }
    )
    assert one(aggregate_company_indicators(v, CAT), "labour_productivity")["value"] == 125.0


def test_median_and_sum_aggregations():
    cat = pd.DataFrame(
        {
            "indicator": ["m", "s"],
            "perspective": "p",
            "source": "company",
            "direction": "higher",
            "aggregation": ["median", "sum"],
        }
    )
    v = pd.DataFrame(
        {
            "indicator": ["m"] * 4 + ["s"] * 2,
            "entity": list("abcdab"),
            "period": "2020",
            "value": [1.0, 9.0, 3.0, 4.0, 2.5, 1.5],
        }
    )
    out = aggregate_company_indicators(v, cat)
    assert one(out, "m")["value"] == 3.5  # median of 1, 3, 4, 9
    assert one(out, "s")["value"] == 4.0  # 2.5 + 1.5
    # 'd' reported m but not s: expected companies are those with any row in the period
    assert one(out, "s")["coverage"] == 0.5


def test_by_group_and_pass_through_conflicts(values):
    two = pd.concat(
        [
            values.assign(initiative="A"),
            values.assign(initiative="B", entity=values["entity"] + "b", value=values["value"] * 2),
        ]
    )
    with pytest.raises(DataValidationError, match="by="):
        aggregate_company_indicators(two, CAT)
    out = aggregate_company_indicators(two, CAT, by="initiative")
    assert one(out, "members", initiative="B")["value"] == 50.0
    # weighted mean is invariant... doubling values doubles the mean: 2 * 1.75
    assert one(out, "rd_intensity", initiative="B")["value"] == pytest.approx(3.5)


def test_population_and_member_population():
    firms = pd.DataFrame(
        {
            "firm": ["f1", "f2", "f3", "f4"],
            "member": [True, True, True, False],
            "join_year": [2018, 2018, 2021, None],
        }
    )
    pop = member_population(firms, ["2020", "2021"])
    assert pop.groupby("period").size().to_dict() == {"2020": 2, "2021": 3}
    v = pd.DataFrame(
        {
            "indicator": "trust_score",
            "entity": ["f1", "f1", "f3", "f4"],
            "period": ["2020", "2021", "2021", "2021"],
            "value": [3.0, 4.0, 2.0, 5.0],
        }
    )
    with pytest.warns(OutsidePopulationWarning, match="f4"):
        out = aggregate_company_indicators(v, CAT, population=pop)
    r20, r21 = one(out, "trust_score", 2020), one(out, "trust_score", 2021)
    assert (r20["n_reporting"], r20["n_expected"], r20["coverage"]) == (1, 2, 0.5)
    # 2021: f1 (4) and f3 (2) reported out of f1, f2, f3; f4 is not a member: mean 3
    assert (r21["value"], r21["n_reporting"], r21["n_expected"]) == (3.0, 2, 3)


def test_duplicate_submissions_keep_the_latest_and_report_the_replaced():
    v = pd.DataFrame(
        {
            "indicator": "trust_score",
            "entity": ["a", "a", "b"],
            "period": ["2020", "2020", "2020"],
            "value": [5.0, 1.0, 3.0],
            "submitted": ["2021-03-02", "2021-01-15", "2021-02-01"],
        }
    )
    with pytest.warns(DuplicateSubmissionWarning, match="replaced"):
        out, replaced = aggregate_company_indicators(
            v, CAT, submitted="submitted", return_replaced=True
        )
    # a's latest submission (2021-03-02) is 5: mean (5 + 3) / 2 = 4
    assert one(out, "trust_score")["value"] == 4.0
    assert replaced[["entity", "value", "row"]].values.tolist() == [["a", 1.0, 2]]
    with pytest.warns(DuplicateSubmissionWarning):  # no table in attrs (breaks pd.concat)
        alone = aggregate_company_indicators(v, CAT, submitted="submitted")
    assert "replaced" not in alone.attrs
    assert len(pd.concat([alone, alone])) == 2 * len(alone)
    assert len(alone.merge(alone, on=["indicator", "period"])) == len(alone)
    # without a submission time the row further down wins: (1 + 3) / 2 = 2
    with pytest.warns(DuplicateSubmissionWarning):
        out = aggregate_company_indicators(v.drop(columns="submitted"), CAT)
    assert one(out, "trust_score")["value"] == 2.0
    with pytest.raises(DataValidationError):
        aggregate_company_indicators(
            v.assign(submitted=["x", "2021", "2021"]), CAT, submitted="submitted"
        )


def test_unknown_indicators(values):
    bad = pd.concat([values, values.head(1).assign(indicator="happiness")])
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(bad, CAT)
    assert exc.value.problems[["row", "found"]].values.tolist() == [[8, "happiness"]]
    with pytest.warns(UnknownIndicatorWarning, match="happiness"):
        out = aggregate_company_indicators(bad, CAT, unknown="drop")
    assert "happiness" not in set(out["indicator"])
    with pytest.raises(ParameterError):
        aggregate_company_indicators(values, CAT, unknown="ignore")


def test_periods_bad_labels_wrong_frequency_and_row_order(values):
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(values.assign(period=["2020"] * 6 + ["FY20"]), CAT)
    assert exc.value.problems.loc[0, "found"] == "FY20"
    with pytest.raises(DataValidationError, match="frequency"):
        aggregate_company_indicators(values.assign(period="2020-Q1"), CAT)
    # periods given out of order come back in calendar order, same numbers
    v = pd.concat(
        [values.assign(period="2021"), values.assign(period="2019"), values.assign(period="2020")]
    )
    out = aggregate_company_indicators(v, CAT)
    assert one(out, "rd_intensity", 2019)["value"] == pytest.approx(1.75)
    assert out.loc[out["indicator"] == "rd_intensity", "period"].tolist() == [
        "2019",
        "2020",
        "2021",
    ]


def test_weights_missing_negative_or_absent(values):
    v = values.copy()
    v.loc[1, "employment"] = np.nan  # f2's rd_intensity has no weight
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(v, CAT)
    assert "f2" in exc.value.problems.loc[0, "expected"]
    with pytest.warns(MissingWeightWarning, match="f2"):
        out = aggregate_company_indicators(v, CAT, missing_weight="drop")
    rd = one(out, "rd_intensity")
    assert (rd["value"], rd["n_reporting"]) == (1.0, 1)  # only f1 is left
    # trust_score is unweighted: the missing weight does not matter there
    assert one(out, "trust_score")["n_reporting"] == 3
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(values.drop(columns="employment"), CAT)
    assert exc.value.problems.loc[0, "column"] == "employment"
    with pytest.raises(DataValidationError):
        aggregate_company_indicators(values.assign(employment=-values["employment"]), CAT)
    with pytest.raises(DataValidationError):
        aggregate_company_indicators(values.assign(value="high"), CAT)
    with pytest.raises(DataValidationError):
        aggregate_company_indicators(values.drop(columns="entity"), CAT)
    with pytest.raises(DataValidationError):
        aggregate_company_indicators([1, 2, 3], CAT)


def test_custom_column_names(values):
    renamed = values.rename(
        columns={"indicator": "kpi", "entity": "firm", "period": "year", "value": "x"}
    )
    out = aggregate_company_indicators(
        renamed, CAT, indicator="kpi", entity="firm", period="year", value="x"
    )
    assert one(out, "rd_intensity")["value"] == pytest.approx(1.75)


company_values = st.lists(
    st.tuples(st.floats(-1e6, 1e6, allow_nan=False), st.floats(0.01, 1e4)), min_size=1, max_size=12
)


@settings(max_examples=30, deadline=None)
@given(company_values, st.integers(0, 5), st.floats(0.1, 100))
def test_property_weighted_mean_between_min_and_max(pairs, n_silent, scale):
    x = [p[0] for p in pairs]
    w = [p[1] for p in pairs]
    n = len(x)
    v = pd.DataFrame(
        {
            "indicator": "rd_intensity",
            "entity": [f"f{i}" for i in range(n + n_silent)],
            "period": "2020",
            "value": x + [np.nan] * n_silent,
            "employment": w + [1.0] * n_silent,
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = aggregate_company_indicators(v, CAT)
    r = one(out, "rd_intensity")
    tol = 1e-9 * max(1.0, max(abs(a) for a in x))
    assert min(x) - tol <= r["value"] <= max(x) + tol
    assert 0.0 <= r["coverage"] <= 1.0
    assert r["coverage"] == pytest.approx(n / (n + n_silent))
    # scaling every weight by the same factor leaves the weighted mean unchanged
    scaled = aggregate_company_indicators(v.assign(employment=v["employment"] * scale), CAT)
    assert one(scaled, "rd_intensity")["value"] == pytest.approx(r["value"], rel=1e-9, abs=1e-9)
    # row order does not matter
    shuffled = aggregate_company_indicators(v.iloc[::-1], CAT)
    assert one(shuffled, "rd_intensity")["value"] == pytest.approx(r["value"], rel=1e-9, abs=1e-9)


def test_infinite_values_and_weights_and_all_zero_weights_are_errors(values):
    # no silent inf or NaN: an infinite value or weight is named by its 1-based row
    v = values.copy()
    v.loc[1, "value"] = np.inf
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(v, CAT)
    assert exc.value.problems[["row", "column"]].values.tolist() == [[2, "value"]]
    v = values.copy()
    v.loc[0, "employment"] = np.inf
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(v, CAT)
    assert exc.value.problems[["row", "column"]].values.tolist() == [[1, "employment"]]
    # rd_intensity reporters f1 and f2 both weigh 0: (0*1 + 0*4) / 0 is undefined
    v = values.copy()
    v.loc[[0, 1], "employment"] = 0.0
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(v, CAT)
    assert "rd_intensity in 2020" in exc.value.problems.loc[0, "expected"]
    assert exc.value.problems.loc[0, "found"] == "0 for f1, f2"
    # one zero weight among positive ones is a legitimate weighted mean: 4 * 10 / 10 = 4
    v = values.copy()
    v.loc[0, "employment"] = 0.0
    assert one(aggregate_company_indicators(v, CAT), "rd_intensity")["value"] == 4.0


# --- awkward cases planted before aggregate_company_indicators was split up (issue #19) ---


def test_one_company_is_its_own_cluster_value():
    v = pd.DataFrame(
        {
            "indicator": "rd_intensity",
            "entity": ["only"],
            "period": "2020",
            "value": [2.5],
            "employment": [7.0],
        }
    )
    rd = one(aggregate_company_indicators(v, CAT), "rd_intensity")
    # one reporter: 7 * 2.5 / 7 = 2.5, 1 of 1 expected
    assert (rd["value"], rd["n_reporting"], rd["n_expected"], rd["coverage"]) == (2.5, 1, 1, 1.0)


def test_a_dominant_company_carries_the_weighted_mean():
    # big: 9900 employees at 10; two small firms (50 each) at 0: 9900*10 / 10000 = 9.9
    v = pd.DataFrame(
        {
            "indicator": "rd_intensity",
            "entity": ["big", "s1", "s2"],
            "period": "2020",
            "value": [10.0, 0.0, 0.0],
            "employment": [9900.0, 50.0, 50.0],
        }
    )
    rd = one(aggregate_company_indicators(v, CAT), "rd_intensity")
    assert rd["value"] == pytest.approx(9.9) and rd["coverage"] == 1.0


def test_a_missing_period_gives_an_empty_value_and_zero_coverage():
    # rd_intensity is reported in 2020 only, trust_score and members in 2020 and 2021
    v = pd.DataFrame(
        {
            "indicator": ["rd_intensity", "trust_score", "trust_score", "members", "members"],
            "entity": ["f1", "f1", "f1", "ci", "ci"],
            "period": ["2020", "2020", "2021", "2020", "2021"],
            "value": [1.0, 3.0, 4.0, 10.0, np.nan],
            "employment": 5.0,
        }
    )
    out = aggregate_company_indicators(v, CAT)
    rd21 = one(out, "rd_intensity", 2021)
    # f1 is expected in 2021 (it reported trust_score) but sent no rd_intensity: 0 of 1
    assert np.isnan(rd21["value"]) and (rd21["n_reporting"], rd21["n_expected"]) == (0, 1)
    assert rd21["coverage"] == 0.0
    m21 = one(out, "members", 2021)  # pass-through without a value
    assert np.isnan(m21["value"]) and m21["coverage"] == 0.0 and m21["source"] != "company"
    assert out.columns.tolist() == [
        "indicator",
        "period",
        "value",
        "n_reporting",
        "n_expected",
        "coverage",
        "source",
        "catalogue",
    ]


def test_bad_values_and_weights_name_file_row_column_and_expected(values):
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(values.assign(value=["1", "x", "2", "3", "4", "5", "6"]), CAT)
    p = exc.value.problems
    assert {"file", "row", "column", "expected", "found"} <= set(p.columns)
    assert p.loc[0, "file"] == "values" and p.loc[0, "column"] == "value"
    # a missing weight is named by its 1-based row in the caller's table (f2 is row 2)
    v = values.copy()
    v.loc[1, "employment"] = np.nan
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(v, CAT)
    p = exc.value.problems
    assert p[["file", "row", "column"]].values.tolist() == [["values", 2, "employment"]]
    assert "weight of f2 for rd_intensity in 2020" in p.loc[0, "expected"]
    # a weight column the catalogue names but the table lacks
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(values.drop(columns="employment"), CAT)
    p = exc.value.problems
    assert p.loc[0, "file"] == "values" and "rd_intensity" in p.loc[0, "expected"]
    # a governance value reported twice for one period (no by=): both entities are named
    two = pd.concat([values, values.tail(1).assign(entity="ci2", value=3.0)])
    with pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(two, CAT)
    p = exc.value.problems
    assert p.loc[0, "column"] == "entity" and p.loc[0, "found"] == "ci, ci2"
    assert p.loc[0, "expected"] == "one value for members in 2020"


def test_missing_weight_choice_is_checked(values):
    with pytest.raises(ParameterError):
        aggregate_company_indicators(values, CAT, missing_weight="ignore")


def test_population_as_a_list_and_by_groups_without_population_columns(values):
    # a plain list of entities is expected in every period and every group
    out = aggregate_company_indicators(values, CAT, population=["f1", "f2", "f3", "f4"])
    rd = one(out, "rd_intensity")
    assert (rd["n_reporting"], rd["n_expected"]) == (2, 4)
    two = pd.concat([values.assign(initiative="A"), values.assign(initiative="B")])
    with pytest.warns(OutsidePopulationWarning, match="f3"):  # f3 reports but is not listed
        out = aggregate_company_indicators(
            two, CAT, by="initiative", population=pd.DataFrame({"entity": ["f1", "f2"]})
        )
    with_b = one(out, "rd_intensity", initiative="B")
    assert out.columns[0] == "initiative"
    assert (with_b["n_reporting"], with_b["n_expected"]) == (2, 2)


def test_warnings_point_at_the_callers_line(values):
    v = values.copy()
    v.loc[1, "employment"] = np.nan
    with pytest.warns(MissingWeightWarning) as rec:
        aggregate_company_indicators(v, CAT, missing_weight="drop")
    assert rec[0].filename == __file__
    with pytest.warns(OutsidePopulationWarning) as rec:
        aggregate_company_indicators(values, CAT, population=["f1"])
    assert rec[0].filename == __file__


def test_replaced_submissions_are_returned_with_their_row_in_the_input():
    # issue #19: the replaced rows were only in attrs["replaced"], which pandas drops on copies;
    # return_replaced=True returns them. Row 1 holds an indicator the catalogue lacks (dropped
    # with unknown="drop"), so the replaced submission a/2020 = 1.0 is row 2 of the input
    v = pd.DataFrame(
        {
            "indicator": ["happiness", "trust_score", "trust_score", "trust_score"],
            "entity": ["a", "a", "b", "a"],
            "period": "2020",
            "value": [9.0, 1.0, 3.0, 5.0],
            "submitted": ["2021-01-15", "2021-01-15", "2021-02-01", "2021-03-02"],
        }
    )
    with pytest.warns(UnknownIndicatorWarning), pytest.warns(DuplicateSubmissionWarning):
        out, replaced = aggregate_company_indicators(
            v, CAT, submitted="submitted", unknown="drop", return_replaced=True
        )
    assert replaced[["indicator", "entity", "period", "value", "row"]].values.tolist() == [
        ["trust_score", "a", "2020", 1.0, 2]
    ]
    assert one(out, "trust_score")["value"] == 4.0  # (5 + 3) / 2
    # without duplicates: an empty table with the same columns, and the table alone by default
    alone = aggregate_company_indicators(v.iloc[[1, 2]], CAT)
    assert isinstance(alone, pd.DataFrame)
    _, none = aggregate_company_indicators(v.iloc[[1, 2]], CAT, return_replaced=True)
    assert none.empty and {"indicator", "entity", "period", "value", "row"} <= set(none.columns)


def test_the_catalogue_name_is_a_column_that_survives_concatenation(values):
    # issue #19: the catalogue's name was only in attrs["catalogue"], lost on concatenation
    # (and a replaced-rows table in attrs made pd.concat raise: return_replaced=True leaves it
    # out of attrs)
    mine = dataclasses.replace(load_catalogue(CAT), name="mine")
    out, _ = aggregate_company_indicators(values, CAT, return_replaced=True)
    assert out["catalogue"].unique().tolist() == [CAT]
    other, _ = aggregate_company_indicators(values, mine, return_replaced=True)
    both = pd.concat([out, other], ignore_index=True)
    assert both["catalogue"].value_counts().to_dict() == {CAT: len(out), "mine": len(out)}
    assert out.attrs["catalogue"] == CAT  # deprecated copy, kept for one release
    assert "replaced" not in out.attrs
    assert "replaced" not in aggregate_company_indicators(values, CAT).attrs


def test_select_values_returns_the_rows_left_out_per_reason():
    # issue #19: the counts were only in attrs["dropped"]. Counted by hand: research_staff is
    # not in four_perspectives (1 row; also of initiative b, counted under the first reason),
    # members and trust_score of initiative b are other initiatives' rows (2)
    v = pd.DataFrame(
        {
            "indicator": ["members", "research_staff", "members", "trust_score", "members"],
            "initiative": ["a", "b", "b", "b", "a"],
            "period": ["2020", "2020", "2020", "2020", "2021"],
        }
    )
    kept, dropped = select_values(v, CAT, initiative="a", return_dropped=True)
    assert kept["period"].tolist() == ["2020", "2021"] and kept.index.tolist() == [0, 1]
    assert dropped.columns.tolist() == ["reason", "n_rows"]
    assert dropped.values.tolist() == [["not in catalogue", 1], ["other initiatives", 2]]
    # without an initiative only the catalogue selects; by default the table alone
    _, dropped = select_values(v, CAT, return_dropped=True)
    assert dropped.values.tolist() == [["not in catalogue", 1]]
    alone = select_values(v, CAT, initiative="a")
    assert isinstance(alone, pd.DataFrame)
    assert alone.attrs["dropped"] == {"not in catalogue": 1, "other initiatives": 2}  # old


def test_period_errors_name_the_row_in_the_input_after_dropped_rows():
    # rows 1 and 2 hold an indicator the catalogue lacks (dropped with unknown="drop"): the
    # unreadable period is on row 4 of the input and the wrong-frequency one on row 5, in the
    # user's own column name
    v = pd.DataFrame(
        {
            "indicator": ["happiness", "happiness", "trust_score", "trust_score", "trust_score"],
            "entity": ["a", "b", "a", "b", "c"],
            "when": ["2020", "2020", "2020", "FY20", "2020"],
            "value": [9.0, 8.0, 1.0, 3.0, 5.0],
        }
    )
    with pytest.warns(UnknownIndicatorWarning), pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(v, CAT, period="when", unknown="drop")
    assert exc.value.problems[["row", "column", "found"]].values.tolist() == [[4, "when", "FY20"]]
    v.loc[3, "when"] = "2020"
    v.loc[4, "when"] = "2020-Q3"
    with pytest.warns(UnknownIndicatorWarning), pytest.raises(DataValidationError) as exc:
        aggregate_company_indicators(v, CAT, period="when", unknown="drop")
    assert exc.value.problems[["row", "column", "found"]].values.tolist() == [
        [5, "when", "2020-Q3"]
    ]
