"""mapping.ellison_glaeser and plant_herfindahl: hand-computed cases, EG's (1997) unbiasedness
result checked by simulation of their dartboard model, invariants and bad input.

No published table with complete EG inputs (plant sizes, regional shares) was found in the
reference corpus; EG (1997, JPE 105(5), eq. 5 and Proposition 1) state E[G] = (1 - sum x^2)
[gamma + (1 - gamma) H] under their model, which the simulation below checks: plants co-locate
pairwise with probability gamma (each follows a common draw with probability sqrt(gamma)).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.mapping import ellison_glaeser, plant_herfindahl

X = np.array([0.4, 0.3, 0.2, 0.1])  # regions' shares of all employment
REGIONS = ["r1", "r2", "r3", "r4"]


def _table(industry_emp: np.ndarray) -> pd.DataFrame:
    """The industry plus a huge rest of the economy spread exactly by X (so x_r = X)."""
    other = X * 1e12
    return pd.DataFrame(
        {
            "region": REGIONS * 2,
            "cluster": ["i"] * 4 + ["rest"] * 4,
            "employment": np.concatenate([industry_emp, other]),
        }
    )


def test_hand_computed_two_plants():
    """Two plants of 60 and 40 in r1: s = (1, 0, 0, 0), G = 0.36 + 0.09 + 0.04 + 0.01 = 0.5,
    sum x^2 = 0.3, H = 0.36 + 0.16 = 0.52, gamma = (0.5 - 0.7*0.52)/(0.7*0.48) = 0.4047619."""
    t = _table(np.array([100.0, 0, 0, 0]))
    plants = pd.DataFrame({"cluster": ["i", "i", "rest"], "employment": [60.0, 40.0, 1.0]})
    out = ellison_glaeser(t, by=(), plants=plants).set_index("cluster").loc["i"]
    assert out["G"] == pytest.approx(0.5, rel=1e-9)
    assert out["H"] == pytest.approx(0.52)
    assert out["gamma"] == pytest.approx((0.5 - 0.7 * 0.52) / (0.7 * 0.48), rel=1e-9)
    assert out["h_method"] == "plants" and out["n_regions"] == 1


def test_dartboard_model_is_unbiased():
    """EG Proposition 1 by simulation: mean gamma-hat over 2,000 draws of 12 unequal plants
    equals the true gamma (0.09 and 0) within 4 Monte-Carlo standard errors. Each draw is one
    category of a single table (the rest of the economy fixes x_r = X)."""
    rng = np.random.default_rng(20261205)
    sizes = np.array([40, 25, 20, 10, 10, 8, 5, 5, 3, 2, 1, 1], dtype=float)
    n = 2000
    for gamma in (0.09, 0.0):
        common = rng.choice(4, p=X, size=(n, 1))
        follow = rng.random((n, len(sizes))) < np.sqrt(gamma)
        own = rng.choice(4, p=X, size=(n, len(sizes)))
        loc = np.where(follow, common, own)
        emp = np.stack([np.bincount(row, weights=sizes, minlength=4) for row in loc])
        cats = [f"d{d:04d}" for d in range(n)]
        table = pd.concat(
            [
                pd.DataFrame(
                    {
                        "region": np.tile(REGIONS, n),
                        "cluster": np.repeat(cats, 4),
                        "employment": emp.ravel(),
                    }
                ),
                pd.DataFrame({"region": REGIONS, "cluster": "rest", "employment": X * 1e15}),
            ]
        )
        plants = pd.DataFrame(
            {"cluster": np.repeat([*cats, "rest"], len(sizes)), "employment": np.tile(sizes, n + 1)}
        )
        out = ellison_glaeser(table, by=(), plants=plants)
        est = out.loc[out["cluster"] != "rest", "gamma"].to_numpy()
        se = est.std(ddof=1) / np.sqrt(len(est))
        assert abs(est.mean() - gamma) < 4 * se, (gamma, est.mean(), se)


def test_herfindahl_methods():
    """Equal plants: establishments give the exact H = 1/N; size classes with midpoints."""
    t = pd.DataFrame(
        {
            "region": ["a", "b", "a", "b"],
            "cluster": ["x", "x", "y", "y"],
            "employment": [30.0, 20.0, 50.0, 50.0],
            "establishments": [3, 2, 1, 1],
        }
    )
    est = ellison_glaeser(t, by=()).set_index("cluster")
    assert est.loc["x", "H"] == pytest.approx(1 / 5)  # five plants of 10
    assert est.loc["y", "H"] == pytest.approx(0.5)
    sc = pd.DataFrame(
        {
            "cluster": ["x", "x", "y"],
            "lower": [5, 10, 20],
            "upper": [9, 19, None],
            "establishments": [2, 3, 2],
        }
    )
    via = ellison_glaeser(t, by=(), size_classes=sc).set_index("cluster")
    # x: 2 plants of 7 and 3 of 14.5 -> (2*49 + 3*210.25) / (14 + 43.5)^2
    assert via.loc["x", "H"] == pytest.approx((2 * 49 + 3 * 210.25) / 57.5**2)
    # y: open class sized to the employment 100 / 2 plants = 50 each -> H = 1/2
    assert via.loc["y", "H"] == pytest.approx(0.5)
    assert via.loc["x", "h_method"] == "size_classes"


def test_single_plant_gives_no_gamma():
    t = pd.DataFrame(
        {
            "region": ["a", "b", "a", "b"],
            "cluster": ["x", "x", "y", "y"],
            "employment": [30.0, 0.0, 50.0, 50.0],
            "establishments": [1, 0, 4, 4],
        }
    )
    out = ellison_glaeser(t, by=()).set_index("cluster")
    assert out.loc["x", "H"] == pytest.approx(1.0) and np.isnan(out.loc["x", "gamma"])


def test_by_groups_and_leading_zero_codes():
    t = pd.DataFrame(
        {
            "region": ["001", "002"] * 4,
            "cluster": ["007", "007", "8", "8"] * 2,
            "year": [2020] * 4 + [2021] * 4,
            "employment": [9.0, 1, 1, 9, 5, 5, 5, 5],
            "establishments": [3, 1, 1, 3, 2, 2, 2, 2],
        }
    )
    out = ellison_glaeser(t)
    assert out["cluster"].tolist() == ["007", "8", "007", "8"]
    g21 = out[out["year"] == 2021]
    assert np.allclose(g21["G"], 0.0)  # the industry is spread exactly like all jobs
    assert (g21["gamma"] < 0).all()  # less concentrated than darts would be


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(1, 500), min_size=4, max_size=4),
    st.lists(st.integers(1, 500), min_size=4, max_size=4),
    st.floats(0.1, 100),
)
def test_gamma_is_scale_free(a, b, factor):
    t = pd.DataFrame(
        {
            "region": REGIONS * 2,
            "cluster": ["x"] * 4 + ["y"] * 4,
            "employment": np.array(a + b, dtype=float),
            "establishments": 2,
        }
    )
    one = ellison_glaeser(t, by=())
    two = ellison_glaeser(t.assign(employment=t["employment"] * factor), by=())
    np.testing.assert_allclose(one["gamma"], two["gamma"], rtol=1e-9)
    assert (one["G"] >= 0).all()


def test_bad_input():
    t = pd.DataFrame(
        {"region": ["a", "b"], "cluster": "x", "employment": [1.0, 2.0], "establishments": [1, 1]}
    )
    with pytest.raises(ParameterError):
        ellison_glaeser(t.drop(columns="establishments"), by=())
    with pytest.raises(DataValidationError):
        ellison_glaeser(t.assign(employment=[-1.0, 2.0]), by=())
    with pytest.raises(DataValidationError):
        ellison_glaeser(t.assign(establishments=[0, 1]), by=())
    with pytest.raises(DataValidationError):
        ellison_glaeser(pd.concat([t, t]), by=())
    with pytest.raises(DataValidationError):
        ellison_glaeser(t)  # by=("year",) by default: no year column
    with pytest.raises(DataValidationError):
        ellison_glaeser(t, by=(), plants=pd.DataFrame({"cluster": ["z"], "employment": [1.0]}))
    with pytest.raises(DataValidationError):
        plant_herfindahl(
            pd.DataFrame({"cluster": ["x"], "lower": [10], "upper": [5], "establishments": [1]})
        )
    with pytest.raises(DataValidationError):
        plant_herfindahl(
            pd.DataFrame(
                {
                    "cluster": ["x", "x"],
                    "lower": [10, 20],
                    "upper": [np.nan, np.nan],
                    "establishments": [1, 1],
                }
            )
        )
