"""Bad input to clusterlab.compare gives clear errors of our own classes or documented
warnings, never a bare traceback or a silently shrunken sample."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlab.compare import (
    MissingRowsWarning,
    balance_table,
    did,
    difference_in_means,
    event_study,
    match,
    rank_test,
    regression_adjustment,
    weight,
)
from clusterlab.errors import (
    ClusterlabWarning,
    DataValidationError,
    DataWarning,
    EstimationWarning,
    FewTreatedWarning,
    ParameterError,
)


@pytest.fixture
def firms():
    rng = np.random.default_rng(0)
    n = 60
    return pd.DataFrame(
        {
            "firm": [f"F{i}" for i in range(n)],
            "member": np.tile([0, 1], n // 2),
            "age": rng.normal(20, 5, n),
            "sales": rng.normal(100, 10, n),
            "sector": rng.choice(["a", "b"], n),
        }
    )


@pytest.fixture
def panel():
    rows = []
    for f in range(10):
        for t in (2018, 2019, 2020):
            member = int(f < 5)
            rows.append(
                {
                    "firm": f,
                    "year": t,
                    "member": member,
                    "join": 2019 if member else np.nan,
                    "treated": int(member and t >= 2019),
                    "y": f + t / 1000 + member * t,
                }
            )
    return pd.DataFrame(rows)


def test_treatment_without_variation(firms, panel):
    with pytest.raises(DataValidationError, match="no variation") as err:
        difference_in_means(firms.assign(member=1), outcome="sales", group="member")
    assert err.value.problems.loc[0, "column"] == "member"
    with pytest.raises(DataValidationError, match="no variation"):
        did(panel.assign(treated=0), outcome="y", treated="treated", unit="firm", period="year")
    with pytest.raises(DataValidationError, match="no variation"):
        balance_table(firms.assign(member=0), group="member", covariates=["age"])


def test_group_with_fewer_than_two_firms(firms, panel):
    one = firms.assign(member=[1] + [0] * (len(firms) - 1))
    with pytest.raises(DataValidationError, match="fewer than 2"):
        difference_in_means(one, outcome="sales", group="member")
    with pytest.raises(DataValidationError, match="fewer than 2"):
        rank_test(one, outcome="sales", group="member")
    # one treated firm: estimated, with a warning that points to randomization inference
    single = panel.assign(treated=((panel.firm == 0) & (panel.year >= 2019)).astype(int))
    with pytest.warns(FewTreatedWarning, match="permutation"):
        r = did(single, outcome="y", treated="treated", unit="firm", period="year", cov="nonrobust")
    assert np.isfinite(r.summary().loc[0, "estimate"])
    # no treated firm at all is still an error
    with pytest.raises(DataValidationError, match="no variation"):
        did(panel.assign(treated=0), outcome="y", treated="treated", unit="firm", period="year")
    # two rows of one firm are still one firm
    dup = pd.concat([one, one.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataValidationError, match="fewer than 2 firms"):
        difference_in_means(dup, outcome="sales", group="member", unit="firm")


def test_no_pre_period_for_any_treated_unit(panel):
    always = panel.assign(treated=panel["member"])
    with pytest.raises(DataValidationError, match="no pre-period") as err:
        did(always, outcome="y", treated="treated", unit="firm", period="year")
    assert "treated" in err.value.problems.loc[0, "column"]
    early = panel.assign(join=np.where(panel.member == 1, 2018, np.nan))
    with pytest.raises(DataValidationError, match="no pre-period"):
        event_study(
            early, outcome="y", unit="firm", period="year", first_treated="join", window=(-1, 1)
        )


def test_non_numeric_outcome(firms, panel):
    with pytest.raises(DataValidationError) as err:
        difference_in_means(firms, outcome="sector", group="member")
    assert err.value.problems.loc[0, "expected"] == "numeric"
    with pytest.raises(DataValidationError):
        did(
            panel.assign(y=panel.y.astype(str)),
            outcome="y",
            treated="treated",
            unit="firm",
            period="year",
        )
    m = match(firms, group="member", covariates=["age"])
    with pytest.raises(DataValidationError, match="numeric"):
        m.att("sector")


def test_non_binary_group(firms):
    with pytest.raises(DataValidationError, match="0/1") as err:
        difference_in_means(firms.assign(member=firms.member * 2), outcome="sales", group="member")
    assert err.value.problems.loc[0, "found"].startswith("2")


def test_missing_column_is_named(firms):
    with pytest.raises(DataValidationError) as err:
        regression_adjustment(firms, outcome="sales", group="member", covariates=["size"])
    assert err.value.problems.loc[0, "column"] == "size"
    assert "available" in err.value.problems.loc[0, "found"]


def test_perfect_separation(firms):
    sep = firms.assign(age=np.where(firms.member == 1, 50.0, 20.0) + np.arange(len(firms)) / 100)
    with pytest.raises(DataValidationError, match="perfect separation") as err:
        match(sep, group="member", covariates=["age", "sector"])
    assert "age" in err.value.problems["column"].tolist()
    with pytest.raises(DataValidationError, match="perfect separation"):
        weight(sep, group="member", covariates=["age"])


def test_missing_covariates_reported_per_variable(firms):
    bad = firms.copy()
    bad.loc[:4, "age"] = np.nan
    bad.loc[3:9, "sales"] = np.nan
    with pytest.warns(
        MissingRowsWarning,
        match=r"10 of 60 rows .*sales: 7.*age: 5|"
        r"10 of 60 rows .*age: 5.*sales: 7",
    ):
        r = regression_adjustment(bad, outcome="sales", group="member", covariates=["age"])
    d = r.dropped.set_index("column")["n_missing"]
    assert d["age"] == 5 and d["sales"] == 7 and d["<any>"] == 10
    assert r.summary().loc[0, "n"] == 50


def test_losing_more_than_half_is_shouted(firms):
    bad = firms.copy()
    bad.loc[:40, "age"] = np.nan
    with pytest.warns(MissingRowsWarning, match="MORE THAN HALF"):
        balance_table(bad, group="member", covariates=["age"])


def test_bad_parameters(firms, panel):
    with pytest.raises(ParameterError, match="estimand"):
        balance_table(firms, group="member", covariates=["age"], estimand="ATX")
    with pytest.raises(ParameterError, match="binary"):
        balance_table(firms, group="member", covariates=["age"], binary="z")
    with pytest.raises(ParameterError, match="cov"):
        did(panel, outcome="y", treated="treated", unit="firm", period="year", cov="HC3x")
    with pytest.raises(ParameterError, match="cluster"):
        did(
            panel,
            outcome="y",
            treated="treated",
            unit="firm",
            period="year",
            cluster=("a", "b", "c"),
        )
    with pytest.raises(ParameterError, match="reference"):
        event_study(
            panel,
            outcome="y",
            unit="firm",
            period="year",
            first_treated="join",
            window=(-1, 1),
            reference=-3,
        )
    with pytest.raises(ParameterError, match="window"):
        event_study(
            panel, outcome="y", unit="firm", period="year", first_treated="join", window=(2, 1)
        )
    with pytest.raises(ParameterError, match="ratio"):
        match(firms, group="member", covariates=["age"], ratio=0)
    with pytest.raises(ParameterError, match="alpha"):
        difference_in_means(firms, outcome="sales", group="member", alpha=5)
    with pytest.raises(ParameterError, match="weights"):
        balance_table(firms, group="member", covariates=["age"], weights=[1.0, 2.0])
    with pytest.raises(DataValidationError, match="not a pandas DataFrame|expected a pandas"):
        difference_in_means([1, 2], outcome="sales", group="member")


def test_first_treated_must_be_constant_within_firm(panel):
    bad = panel.copy()
    bad.loc[0, "join"] = 2020
    with pytest.raises(DataValidationError, match="differs within firm"):
        event_study(
            bad, outcome="y", unit="firm", period="year", first_treated="join", window=(-1, 1)
        )


def test_treatment_absorbed_by_fixed_effects(panel):
    # everyone treated in 2020 only: the treatment is a period effect, absorbed
    by_year = panel.assign(treated=(panel["year"] == 2020).astype(int))
    with pytest.raises(DataValidationError, match="no variation left") as err:
        did(by_year, outcome="y", treated="treated", unit="firm", period="year")
    assert err.value.problems.loc[0, "column"] == "treated"


def test_few_clusters_warns(panel):
    from clusterlab.compare import FewClustersWarning

    with pytest.warns(FewClustersWarning, match="only 10 clusters"):
        did(panel, outcome="y", treated="treated", unit="firm", period="year")


def test_input_never_mutated(firms, panel):
    before_f, before_p = firms.copy(), panel.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusterlabWarning)  # ours: not the subject here
        difference_in_means(firms, outcome="sales", group="member")
        balance_table(firms, group="member", covariates=["age", "sector"])
        match(firms, group="member", covariates=["age"])
        weight(firms, group="member", covariates=["age"])
        did(panel, outcome="y", treated="treated", unit="firm", period="year")
        event_study(
            panel, outcome="y", unit="firm", period="year", first_treated="join", window=(-1, 1)
        )
    pd.testing.assert_frame_equal(firms, before_f)
    pd.testing.assert_frame_equal(panel, before_p)


def test_repeated_index_labels_work_by_position(firms, panel):
    # e.g. after pd.concat of two survey waves without ignore_index
    dup_f = firms.set_axis([0] * len(firms))
    dup_p = panel.set_axis([7] * len(panel))
    assert (
        difference_in_means(dup_f, outcome="sales", group="member")
        .summary()
        .equals(difference_in_means(firms, outcome="sales", group="member").summary())
    )
    assert (
        did(dup_p, outcome="y", treated="treated", unit="firm", period="year", cov="HC1")
        .summary()
        .equals(
            did(
                panel, outcome="y", treated="treated", unit="firm", period="year", cov="HC1"
            ).summary()
        )
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusterlabWarning)  # ours: not the subject here
        m_dup = match(dup_f, group="member", covariates=["age", "sector"])
        m = match(firms, group="member", covariates=["age", "sector"])
        w_dup = weight(dup_f, group="member", covariates=["age", "sector"])
        w = weight(firms, group="member", covariates=["age", "sector"])
        assert m_dup.weights.index.equals(dup_f.index)
        assert np.allclose(m_dup.weights.to_numpy(), m.weights.to_numpy())
        assert m_dup.att("sales").summary()["estimate"].iloc[0] == pytest.approx(
            m.att("sales").summary()["estimate"].iloc[0]
        )
        assert w_dup.weights.index.equals(dup_f.index)
        assert w_dup.effect("sales").summary()["estimate"].iloc[0] == pytest.approx(
            w.effect("sales").summary()["estimate"].iloc[0]
        )
        bt = balance_table(dup_f, group="member", covariates=["age"], weights=w_dup.weights)
        assert bt["smd_adj"].iloc[0] == pytest.approx(
            w.balance.set_index("covariate").loc["age", "smd_adj"]
        )


@pytest.mark.parametrize(
    "convert",
    [
        lambda s: "w" + s.astype(str),  # survey waves named "w2018" ...
        lambda s: s.astype(str).astype("category"),  # unordered categorical
        lambda s: pd.to_datetime(s.astype(str)),  # dates
    ],
)
def test_did_accepts_text_categorical_and_date_periods(convert):
    rng = np.random.default_rng(4)
    base = pd.DataFrame(
        [
            {
                "firm": f,
                "year": t,
                "treated": int(f < 5 and t >= 2020),
                "y": f + 0.3 * t + (f < 5) * (t >= 2020) + rng.normal(),
            }
            for f in range(10)
            for t in (2017, 2018, 2019, 2020, 2021)
        ]
    )
    ref = did(base, outcome="y", treated="treated", unit="firm", period="year", cov="HC1")
    r = did(
        base.assign(year=convert(base["year"])),
        outcome="y",
        treated="treated",
        unit="firm",
        period="year",
        cov="HC1",
    )
    assert r.summary().equals(ref.summary())
    assert r.pretrend["estimate"].iloc[0] == pytest.approx(ref.pretrend["estimate"].iloc[0])


def test_event_study_never_treated_codes(panel):
    ref = event_study(
        panel,
        outcome="y",
        unit="firm",
        period="year",
        first_treated="join",
        window=(-1, 1),
        cov="HC1",
    )
    # fixest's sunab convention: never treated = Inf
    inf = event_study(
        panel.assign(join=panel["join"].fillna(np.inf)),
        outcome="y",
        unit="firm",
        period="year",
        first_treated="join",
        window=(-1, 1),
        cov="HC1",
    )
    assert inf.path.equals(ref.path)
    # R's did package codes never treated as 0: not guessed, but warned about
    with (
        pytest.warns(DataWarning, match="never treated"),
        pytest.warns(EstimationWarning, match="0 never-treated firms"),
    ):
        event_study(
            panel.assign(join=panel["join"].fillna(0)),
            outcome="y",
            unit="firm",
            period="year",
            first_treated="join",
            window=(-1, 1),
            cov="HC1",
        )


def test_infinite_values_are_named_not_propagated(firms, panel):
    # an export share computed as exports / turnover with turnover 0 gives inf: the estimators
    # would otherwise return inf / NaN without a word
    f = firms.copy()
    f.loc[3, "sales"] = np.inf
    with pytest.raises(DataValidationError, match="infinite") as err:
        difference_in_means(f, outcome="sales", group="member")
    prob = err.value.problems.iloc[0]
    assert prob["row"] == 4 and prob["column"] == "sales"
    g = firms.copy()
    g.loc[5, "age"] = -np.inf
    with pytest.raises(DataValidationError, match="infinite"):
        match(g, group="member", covariates=["age"])
    with pytest.raises(DataValidationError, match="infinite"):
        balance_table(g, group="member", covariates=["age"])
    p = panel.copy()
    p.loc[0, "y"] = np.inf
    with pytest.raises(DataValidationError, match="infinite"):
        did(p, outcome="y", treated="treated", unit="firm", period="year")


def test_a_firm_panel_appended_twice_is_not_silently_read_as_cross_sections(panel):
    """Duplicated firm-year rows (a join gone wrong) change the estimate: say so."""
    rng = np.random.default_rng(3)
    noisy = panel.assign(y=panel["y"] + rng.normal(0, 1, len(panel)))
    kw = {
        "outcome": "y",
        "treated": "treated",
        "unit": "firm",
        "period": "year",
        "fixed_effects": ("unit", "period"),
        "cov": "HC1",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        clean = did(noisy, **kw)
    doubled = pd.concat([noisy, noisy[noisy["firm"] == 0]], ignore_index=True)
    with pytest.warns(DataWarning, match=r"3 row\(s\) repeat an earlier row.*index 30, 31, 32"):
        dup = did(doubled, **kw)

    def est(r):
        return float(r.coefficients.set_index("term").loc["treated", "estimate"])

    assert est(dup) != pytest.approx(est(clean))  # the copies did count again
    with pytest.warns(DataWarning, match="repeat an earlier row"):
        event_study(
            doubled,
            outcome="y",
            unit="firm",
            period="year",
            first_treated="join",
            window=(-1, 1),
            cov="HC1",
        )
