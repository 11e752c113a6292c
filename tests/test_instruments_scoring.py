"""Scoring: hand-computed aggregation, coverage rules, bootstrap intervals, bad input,
invariants."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab.datasets import load_demo
from clusterlab.errors import ClusterlabFutureWarning, DataValidationError, ParameterError
from clusterlab.instruments import check_ratings, load_instrument, score

CIMBT = load_instrument("cimbt")
ITEMS = list(CIMBT.questions["item"])
COMP = CIMBT.questions.set_index("item")["component"].to_dict()


def frame(rows, initiative="x", rnd=1):
    """rows: list of (rater, item, score) with score a number, a code or None."""
    return pd.DataFrame(
        [
            {"initiative": initiative, "round": rnd, "rater": r, "item": i, "score": s}
            for r, i, s in rows
        ]
    )


def one_rater(values: dict, default=3, rater="r1", initiative="x"):
    return frame([(rater, it, values.get(it, default)) for it in ITEMS], initiative=initiative)


# ---------------------------------------------------------------- hand-computed aggregation


def test_small_case_by_hand():
    """Two raters on component 1.1: question means 4.5, 3, 2 (dk is not a zero)."""
    r = frame(
        [
            ("r1", "Q1.1.a", 4),
            ("r1", "Q1.1.b", 3),
            ("r1", "Q1.1.c", 2),
            ("r2", "Q1.1.a", 5),
            ("r2", "Q1.1.b", 3),
            ("r2", "Q1.1.c", "dk"),
        ]
    )
    res = score(r, "cimbt", n_boot=0)
    q = res.questions.set_index("item")
    assert q.loc["Q1.1.a", "mean"] == 4.5 and q.loc["Q1.1.a", "median"] == 4.5
    assert q.loc["Q1.1.c", "mean"] == 2 and q.loc["Q1.1.c", "coverage"] == 0.5
    assert q.loc["Q1.1.c", "n_raters"] == 1 and q.loc["Q1.1.c", "n_expected"] == 2
    c = res.components.set_index("component")
    assert c.loc["1.1", "score"] == pytest.approx((4.5 + 3 + 2) / 3)
    assert c.loc["1.1", "median"] == pytest.approx((4.5 + 3 + 2) / 3)  # medians of 2 = means
    # unrated questions: coverage 0, component 1.2 insufficient, area A1 has 1 of 2 components
    assert c.loc["1.2", "status"] == "insufficient" and np.isnan(c.loc["1.2", "score"])
    a = res.areas.set_index("area")
    assert a.loc["A1", "coverage"] == 0.5 and a.loc["A1", "status"] == "insufficient"
    assert res.overall["status"].item() == "insufficient"


def test_area_is_mean_of_components_not_of_questions():
    """A3: components 3.1-3.3, 3.5 all 1s, 3.4 (two questions) all 5s -> (4*1 + 5)/5 = 1.8,
    not the question mean (13*1 + 2*5)/15 = 1.533."""
    values = {it: (5 if COMP[it] == "3.4" else 1) for it in ITEMS if it.startswith("Q3")}
    res = score(one_rater(values), "cimbt", n_boot=0)
    a = res.areas.set_index("area")["score"]
    assert a["A3"] == pytest.approx(1.8)
    assert res.overall["score"].item() == pytest.approx((3 + 3 + 1.8) / 3)


def test_not_applicable_leaves_the_denominator_dk_and_missing_do_not():
    base = {"Q1.1.a": 4, "Q1.1.b": 2}
    na = score(one_rater({**base, "Q1.1.c": "na"}), "cimbt", n_boot=0)
    dk = score(one_rater({**base, "Q1.1.c": "dk"}), "cimbt", n_boot=0)
    gone = score(one_rater(base).query("item != 'Q1.1.c'"), "cimbt", n_boot=0)
    for res, cov, status in (
        (na, 1.0, "not_applicable"),
        (dk, 2 / 3, "insufficient"),
        (gone, 2 / 3, "insufficient"),
    ):
        c = res.components.set_index("component").loc["1.1"]
        assert c["score"] == 3.0  # (4 + 2) / 2, never (4 + 2 + 0) / 3
        assert c["coverage"] == pytest.approx(cov)
        assert res.questions.set_index("item").loc["Q1.1.c", "status"] == status


def test_coverage_threshold_makes_component_insufficient():
    r = one_rater({"Q3.4.a": "dk"})  # 3.4 has two questions: coverage 0.5
    assert (
        score(r, "cimbt", n_boot=0).components.set_index("component").loc["3.4", "status"]
        == "scored"
    )
    res = score(r, "cimbt", n_boot=0, min_coverage=0.6)
    c = res.components.set_index("component").loc["3.4"]
    assert c["status"] == "insufficient" and np.isnan(c["score"]) and c["coverage"] == 0.5
    # A3 then has 4 of 5 components (0.8 >= 0.67): still scored, from the other four
    assert res.areas.set_index("area").loc["A3", "score"] == 3.0
    with pytest.raises(ParameterError):
        score(r, "cimbt", min_coverage=1.5)
    with pytest.raises(ParameterError):
        score(r, "cimbt", min_coverage={"section": 0.5})


def test_question_threshold_needs_half_the_raters():
    r = frame([(f"r{k}", "Q1.1.a", 4 if k == 0 else "dk") for k in range(3)])
    q = score(r, "cimbt", n_boot=0).questions.set_index("item").loc["Q1.1.a"]
    assert q["coverage"] == pytest.approx(1 / 3) and q["status"] == "insufficient"
    q = (
        score(r, "cimbt", n_boot=0, min_coverage={"question": 0.3})
        .questions.set_index("item")
        .loc["Q1.1.a"]
    )
    assert q["status"] == "scored" and q["score"] == 4


def test_weights_override():
    """Weight 3 on component 1.1 (score 5) vs 1.2 (score 1): A1 = (3*5 + 1)/4 = 4."""
    values = {it: 5 if COMP[it] == "1.1" else 1 for it in ITEMS if it.startswith("Q1")}
    res = score(one_rater(values), "cimbt", n_boot=0, weights={"1.1": 3})
    assert res.areas.set_index("area").loc["A1", "score"] == pytest.approx(4.0)
    table = pd.DataFrame({"id": ["1.1"], "weight": [3]})
    assert score(one_rater(values), "cimbt", n_boot=0, weights=table).areas.equals(res.areas)
    with pytest.raises(ParameterError, match="not an item"):
        score(one_rater(values), "cimbt", weights={"9.9": 2})
    with pytest.raises(ParameterError, match="positive"):
        score(one_rater(values), "cimbt", weights={"1.1": -1})


def test_evidence_rule_flags_and_caps():
    r = one_rater({"Q1.1.a": 5, "Q1.1.b": 4})
    r["evidence"] = np.where(r["item"] == "Q1.1.b", "board minutes 2020", "")
    flagged = score(r, "cimbt", n_boot=0)
    q = flagged.questions.set_index("item")
    assert q.loc["Q1.1.a", "n_unsupported"] == 1 and q.loc["Q1.1.b", "n_unsupported"] == 0
    assert q.loc["Q1.1.a", "score"] == 5
    capped = score(r, "cimbt", n_boot=0, evidence="cap").questions.set_index("item")
    assert capped.loc["Q1.1.a", "score"] == 3 and capped.loc["Q1.1.b", "score"] == 4


def test_insight_against_buy_in_and_execution():
    res = score(load_demo("ratings"), "cimbt", n_boot=50)
    ie = res.insight_execution.set_index(["initiative", "round"])
    areas = res.areas.pivot_table(index=["initiative", "round"], columns="area", values="score")
    assert np.allclose(ie["insight"], areas["A1"])
    assert np.allclose(ie["execution"], (areas["A2"] + areas["A3"]) / 2)
    assert (ie["insight_ci_low"] <= ie["insight"]).all()
    assert (ie["insight"] <= ie["insight_ci_high"]).all()
    # the axis labels of cimbt.yaml's chart_axes, also on a copy of the table (not only attrs)
    assert res.axis_labels == {"x": "Insight & Strategy", "y": "Buy-in & execution"}
    assert score(load_demo("ratings"), "bigfive", n_boot=0).axis_labels is None
    # the old access still works for one release
    assert (res.insight_execution.attrs["x_label"], res.insight_execution.attrs["y_label"]) == (
        "Insight & Strategy",
        "Buy-in & execution",
    )


def test_roles_filter():
    demo = load_demo("ratings")
    res = score(demo, "cimbt", n_boot=0, roles=["external_evaluator"])
    assert (res.overall["n_raters"] == 1).all()
    with pytest.raises(ParameterError):
        score(demo, "cimbt", roles=["astrologer"])


# ---------------------------------------------------------------- contract on the demo data


def test_demo_tables_have_the_contract_columns():
    res = score(load_demo("ratings"), "cimbt", n_boot=100)
    for table, idcol in (
        (res.questions, "item"),
        (res.components, "component"),
        (res.areas, "area"),
        (res.overall, "overall"),
    ):
        assert {
            "initiative",
            "round",
            idcol,
            "mean",
            "median",
            "n_raters",
            "n_answered",
            "coverage",
            "ci_low",
            "ci_high",
        } <= set(table.columns)
        scored = table[table["status"] == "scored"]
        assert (
            (scored["ci_low"] <= scored["score"] + 1e-9)
            & (scored["score"] <= scored["ci_high"] + 1e-9)
        ).all()
        assert table["score"].dropna().between(1, 5).all()
    assert len(res.questions) == 3 * 2 * 25 and len(res.overall) == 6


# ---------------------------------------------------------------- bootstrap


def test_no_interval_with_fewer_than_three_raters():
    r = frame([(f"r{k}", it, 3 + k) for k in range(2) for it in ITEMS])
    res = score(r, "cimbt", n_boot=200)
    assert res.overall[["ci_low", "ci_high"]].isna().all().all()
    assert res.replicates["overall"].empty


def test_interval_of_a_single_question_mean_matches_the_normal_approximation():
    """Independent check: 40 raters, scores 1..5 evenly. Resampling raters, the bootstrap SE of
    the mean is sd_pop / sqrt(n) (Efron & Tibshirani 1993, eq. 6.9): sd_pop = sqrt(2),
    n = 40 -> SE = 0.2236; 95% percentile interval ≈ 3 ± 1.96 * 0.2236 = [2.562, 3.438]."""
    r = frame([(f"r{k:02d}", "Q1.1.a", 1 + k % 5) for k in range(40)])
    res = score(r, "cimbt", n_boot=4000, seed=1)
    q = res.questions.set_index("item").loc["Q1.1.a"]
    assert q["score"] == 3.0
    assert q["ci_low"] == pytest.approx(3 - 1.96 * np.sqrt(2 / 40), abs=0.05)
    assert q["ci_high"] == pytest.approx(3 + 1.96 * np.sqrt(2 / 40), abs=0.05)


def test_identical_raters_give_a_degenerate_interval_and_seed_reproduces():
    r = frame([(f"r{k}", it, 4) for k in range(5) for it in ITEMS])
    res = score(r, "cimbt", n_boot=100)
    assert (res.components["ci_low"] == 4).all() and (res.components["ci_high"] == 4).all()
    demo = load_demo("ratings")
    a = score(demo, "cimbt", n_boot=50, seed=7).components
    b = score(demo, "cimbt", n_boot=50, seed=7).components
    pd.testing.assert_frame_equal(a, b)


def test_each_initiative_is_scored_independently_of_the_others():
    demo = load_demo("ratings")
    full = score(demo, "cimbt", n_boot=50).components
    one = score(demo[demo["initiative"] == "valley_foodtech"], "cimbt", n_boot=50).components
    pd.testing.assert_frame_equal(
        full[full["initiative"] == "valley_foodtech"].reset_index(drop=True), one
    )


# ---------------------------------------------------------------- bad input


def _problems(ratings, **kw):
    with pytest.raises(DataValidationError) as err:
        check_ratings(ratings, "cimbt", **kw)
    return err.value.problems


def test_scores_outside_the_scale_are_listed_by_row():
    r = one_rater({"Q1.1.b": 7, "Q2.1.a": 0, "Q3.1.a": 2.5})
    p = _problems(r)
    rows = {int(x) for x in p["row"]}
    assert rows == {ITEMS.index("Q1.1.b") + 1, ITEMS.index("Q2.1.a") + 1, ITEMS.index("Q3.1.a") + 1}
    assert (p["column"] == "score").all()
    assert "1..5" in p.loc[0, "expected"]


def test_unknown_items_with_suggestion():
    r = frame([("r1", "Q1.1.a", 3), ("r1", "Q1.1a", 3), ("r1", "Q9.9.z", 2)])
    p = _problems(r)
    assert list(p["row"]) == [2, 3]
    assert "did you mean 'Q1.1.a'" in p.loc[0, "expected"]


def test_duplicate_rating_in_one_round():
    r = frame([("r1", "Q1.1.a", 3), ("r1", "Q1.1.b", 3), ("r1", "Q1.1.a", 4)])
    p = _problems(r)
    assert list(p["row"]) == [1, 3] and "more than once" in p.loc[0, "found"]
    r.loc[2, "round"] = 2  # same rater and item in another round is fine
    assert len(check_ratings(r, "cimbt")) == 3


def test_initiative_without_ratings():
    r = pd.concat(
        [
            frame([("r1", "Q1.1.a", 3)]),
            frame([("r1", "Q1.1.a", "dk"), ("r1", "Q1.1.b", None)], initiative="y"),
        ],
        ignore_index=True,
    )
    p = _problems(r)
    assert len(p) == 1 and p.loc[0, "row"] == 2 and "'y'" in p.loc[0, "found"]
    p = _problems(frame([("r1", "Q1.1.a", 3)]), initiatives=["x", "z"])
    assert "'z'" in p.loc[0, "expected"]


def test_text_in_numeric_column_and_contradictions():
    r = frame([("r1", "Q1.1.a", "four"), ("r1", "Q1.1.b", 3), ("r1", "Q1.1.c", 2)])
    r["non_rating"] = [None, "dk", "maybe"]
    p = _problems(r)
    found = set(zip(p["row"], p["column"], strict=True))
    assert found == {
        (1, "score"),
        (2, "score,non_rating"),
        (3, "non_rating"),
        (3, "score,non_rating"),
    }


def test_empty_table_and_booleans_are_errors_not_tracebacks():
    p = _problems(frame([("r1", "Q1.1.a", 3)]).iloc[0:0])
    assert p.loc[0, "found"] == "0 rows"
    r = frame([("r1", "Q1.1.a", 3), ("r1", "Q1.1.b", True)])  # True would silently become 1
    p = _problems(r)
    assert list(p["row"]) == [2] and p.loc[0, "column"] == "score"


def test_missing_columns_and_ids_and_bad_round():
    with pytest.raises(DataValidationError) as err:
        check_ratings(pd.DataFrame({"initiative": ["x"], "item": ["Q1.1.a"]}), "cimbt")
    assert set(err.value.problems["column"]) == {"rater", "score"}
    r = frame([("r1", "Q1.1.a", 3), (None, "Q1.1.b", 3)])
    r["round"] = [1, 1.5]
    p = _problems(r)
    assert set(zip(p["row"], p["column"], strict=True)) == {(2, "rater"), (2, "round")}


def test_instrument_column_selects_rows():
    demo = load_demo("ratings")
    tidy = check_ratings(demo, "cimbt")
    assert len(tidy) == (demo["instrument"] == "cimbt").sum()
    with pytest.raises(DataValidationError, match="no rows for instrument"):
        check_ratings(demo.assign(instrument="other"), "cimbt")


def test_file_rows_are_spreadsheet_rows(tmp_path):
    from clusterlab import io

    path = tmp_path / "ratings.csv"
    frame([("r1", "Q1.1.a", 3), ("r1", "Q1.1.x", 3)]).to_csv(path, index=False)
    table = io.read(path, "ratings")
    with pytest.raises(DataValidationError) as err:
        score(table, "cimbt")
    p = err.value.problems
    assert p.loc[0, "file"] == str(path) and p.loc[0, "row"] == 3  # header is row 1


def test_bad_options():
    r = one_rater({})
    with pytest.raises(ParameterError):
        score(r, "cimbt", evidence="ignore")
    with pytest.raises(ParameterError):
        score(r, "cimbt", n_boot=-1)
    with pytest.raises(ParameterError, match="alpha=95"):
        score(r, "cimbt", alpha=95)
    with pytest.raises(ParameterError, match="both ci= .* and alpha="):
        score(r, "cimbt", alpha=0.1, ci=0.9)


def test_alpha_sets_the_interval_and_old_ci_still_works():
    """alpha=0.10 is a 90 % interval: inside the 95 % one; ci=0.90 (old name) is the same."""
    r = frame([(f"r{k:02d}", "Q1.1.a", 1 + k % 5) for k in range(20)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        narrow = score(r, "cimbt", n_boot=500, seed=1, alpha=0.10)
        wide = score(r, "cimbt", n_boot=500, seed=1)
    assert narrow.settings["alpha"] == 0.10 and wide.settings["alpha"] == 0.05
    qn = narrow.questions.set_index("item").loc["Q1.1.a"]
    qw = wide.questions.set_index("item").loc["Q1.1.a"]
    assert qw["ci_low"] <= qn["ci_low"] <= qn["ci_high"] <= qw["ci_high"]
    assert qn["ci_high"] - qn["ci_low"] < qw["ci_high"] - qw["ci_low"]
    with pytest.warns(ClusterlabFutureWarning, match=r"ci=0\.9 is alpha=0\.1"):
        old = score(r, "cimbt", n_boot=500, seed=1, ci=0.90)
    pd.testing.assert_frame_equal(old.questions, narrow.questions)


def test_caller_frame_is_not_modified():
    demo = load_demo("ratings")
    before = demo.copy()
    score(demo, "cimbt", n_boot=10, evidence="cap")
    pd.testing.assert_frame_equal(demo, before)


# ---------------------------------------------------------------- properties

scores_st = st.lists(st.one_of(st.integers(1, 5), st.just("dk")), min_size=9, max_size=9)


@settings(max_examples=25, deadline=None)
@given(st.lists(scores_st, min_size=2, max_size=4), st.randoms(use_true_random=False))
def test_permuting_raters_leaves_scores_unchanged(matrix, rnd):
    items = ITEMS[:9]  # components 1.1, 1.2 and 2.1
    rows = [
        (f"r{k}", it, s) for k, row in enumerate(matrix) for it, s in zip(items, row, strict=True)
    ]
    if all(s == "dk" for _, _, s in rows):
        return
    base = score(frame(rows), "cimbt", n_boot=0)
    names = [f"r{k}" for k in range(len(matrix))]
    renamed = dict(zip(names, rnd.sample(names, len(names)), strict=True))
    shuffled = [(renamed[r], i, s) for r, i, s in rows]
    rnd.shuffle(shuffled)
    other = score(frame(shuffled), "cimbt", n_boot=0)
    for lvl in ("questions", "components", "areas", "overall"):
        a, b = getattr(base, lvl), getattr(other, lvl)
        pd.testing.assert_frame_equal(
            a[["score", "median", "coverage", "n_raters"]],
            b[["score", "median", "coverage", "n_raters"]],
        )


WIDE = """\
schema: clusterlab-instrument/1
instrument: wide
version: "1"
kind: rubric
scale: {min: 1, max: 20, non_ratings: [dk], not_applicable: []}
areas:
  - id: A1
    components:
      - id: "1.1"
        questions: [{id: Q1.1.a, text: a}, {id: Q1.1.b, text: b}, {id: Q1.1.c, text: c}]
      - id: "1.2"
        questions: [{id: Q1.2.a, text: d}, {id: Q1.2.b, text: e}, {id: Q1.2.c, text: f}]
"""


def _wide_instrument(tmp_path_factory):
    """CIMBT-like structure on a 1..20 scale, so constants can be added within the scale."""
    path = tmp_path_factory.mktemp("inst") / "wide.yaml"
    path.write_text(WIDE)
    return load_instrument(path)


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    return _wide_instrument(tmp_path_factory)


@settings(max_examples=20, deadline=None)
@given(
    matrix=st.lists(st.lists(st.integers(1, 10), min_size=6, max_size=6), min_size=3, max_size=4),
    shift=st.integers(1, 10),
)
def test_adding_a_constant_shifts_means_and_keeps_interval_alpha(wide, matrix, shift):
    from clusterlab.instruments import krippendorff_alpha

    items = ITEMS[:6]
    rows = [
        (f"r{k}", it, s) for k, row in enumerate(matrix) for it, s in zip(items, row, strict=True)
    ]
    a, b = frame(rows), frame([(r, i, s + shift) for r, i, s in rows])
    sa, sb = score(a, wide, n_boot=0), score(b, wide, n_boot=0)
    for lvl in ("questions", "components"):
        x, y = getattr(sa, lvl), getattr(sb, lvl)
        assert np.allclose((y["mean"] - x["mean"]).dropna(), shift)
        assert np.allclose((y["median"] - x["median"]).dropna(), shift)
    if len({s for *_, s in rows}) > 1:
        assert krippendorff_alpha(a, level="interval") == pytest.approx(
            krippendorff_alpha(b, level="interval")
        )


@settings(max_examples=25, deadline=None)
@given(st.lists(scores_st, min_size=1, max_size=4))
def test_component_score_lies_between_its_question_scores(matrix):
    items = ITEMS[:9]
    rows = [
        (f"r{k}", it, s) for k, row in enumerate(matrix) for it, s in zip(items, row, strict=True)
    ]
    if all(s == "dk" for _, _, s in rows):
        return
    res = score(frame(rows), "cimbt", n_boot=0, min_coverage={"question": 0.0})
    q = res.questions.dropna(subset=["score"]).groupby("component")["score"].agg(["min", "max"])
    c = res.components.set_index("component")["score"].dropna()
    for comp, value in c.items():
        assert q.loc[comp, "min"] - 1e-9 <= value <= q.loc[comp, "max"] + 1e-9
