"""What clusterlab's internal fits warn reaches the user (issue #19).

No library code silences every warning with ``warnings.simplefilter("ignore")``: a warning
raised inside a pre-trend fit, a placebo fit or a propensity-score logit says that a number the
user reads is unreliable. Each test plants such a warning inside the block that used to be
silenced and checks that the user sees it (each fails with the old blanket filter).
"""

from __future__ import annotations

import importlib
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from clusterlab.compare import _drdid, did, event, event_study, synth, synthetic_control
from clusterlab.errors import EstimationWarning

did_module = importlib.import_module("clusterlab.compare.did")  # the name ``did`` is the function


def _warn_inside(func_name: str, original, message: str):
    """``original``, warning a RuntimeWarning ``message`` when called from ``func_name``."""

    def wrapper(*args, **kwargs):
        if sys._getframe(1).f_code.co_name == func_name:
            warnings.warn(message, RuntimeWarning, stacklevel=2)
        return original(*args, **kwargs)

    return wrapper


def _firm_panel(n_firms: int = 40, seed: int = 0) -> pd.DataFrame:
    """Firms observed 2013-2019; every other firm joins in 2016 (effect 2)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_firms):
        join = 2016.0 if i % 2 else np.nan
        level = rng.normal()
        for year in range(2013, 2020):
            treated = float(year >= join)
            y = level + 0.1 * (year - 2013) + 2.0 * treated + rng.normal(scale=0.5)
            rows.append(
                {"firm": f"f{i}", "year": year, "join_year": join, "treated": treated, "y": y}
            )
    return pd.DataFrame(rows)


def test_did_pretrend_fit_warning_reaches_the_user(monkeypatch):
    planted = _warn_inside("_pretrend", did_module.fit_ols, "planted: pre-trend fit")
    monkeypatch.setattr(did_module, "fit_ols", planted)
    with pytest.warns(RuntimeWarning, match="planted: pre-trend fit"):
        r = did(_firm_panel(), outcome="y", treated="treated", unit="firm", period="year")
    assert not r.pretrend.empty  # the pre-trend test ran (and warned) inside did()


def test_event_study_permutation_fit_warning_reaches_the_user(monkeypatch):
    monkeypatch.setattr(
        event, "fit_ols", _warn_inside("_permute", event.fit_ols, "planted: placebo fit")
    )
    with pytest.warns(RuntimeWarning, match="planted: placebo fit"):
        r = event_study(
            _firm_panel(),
            outcome="y",
            unit="firm",
            period="year",
            first_treated="join_year",
            inference="permutation",
            draws=99,
            seed=1,
        )
    assert not r.permutation.empty


def _region_panel() -> pd.DataFrame:
    """Nine regions 2008-2020, region T treated from 2017 (effect 3)."""
    rng = np.random.default_rng(3)
    rows = []
    for j, region in enumerate(["T", *[f"d{k}" for k in range(8)]]):
        base = 120.0 if region == "T" else 100 + 5 * j  # T amid its donors
        for year in range(2008, 2021):
            emp = base + 1.5 * (year - 2008) + rng.normal(scale=0.8)
            emp += 3.0 if region == "T" and year >= 2017 else 0.0
            rows.append({"region": region, "year": year, "emp": emp})
    return pd.DataFrame(rows)


def test_synth_placebo_fit_warning_reaches_the_user(monkeypatch):
    sc = synthetic_control(
        _region_panel(),
        outcome="emp",
        unit="region",
        period="year",
        treated_unit="T",
        treatment_period=2017,
    )
    monkeypatch.setattr(synth, "_fit", _warn_inside("placebo", synth._fit, "planted: donor fit"))
    with pytest.warns(RuntimeWarning, match="planted: donor fit"):
        pl = sc.placebo()
    assert len(pl.table) == 9


def test_drdid_logit_other_warnings_reach_the_user(monkeypatch):
    fit = sm.GLM.fit

    def warning_fit(self, *args, **kwargs):
        warnings.warn("planted: logit", RuntimeWarning, stacklevel=2)
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(sm.GLM, "fit", warning_fit)
    rng = np.random.default_rng(0)
    x = rng.normal(size=40)
    d = (x + rng.normal(size=40) > 0).astype(float)
    design = np.column_stack([np.ones(40), x])
    with pytest.warns(RuntimeWarning, match="planted: logit"):
        att, psi = _drdid.att_2x2(rng.normal(size=40), d, design, "dr")
    assert np.isfinite(att) and len(psi) == 40


def test_drdid_separating_covariate_is_an_estimation_warning():
    """A covariate that tells treated from comparison units apart: statsmodels' perfect
    separation warning becomes our EstimationWarning, in words the user can act on."""
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    d = (x > 4).astype(float)
    design = np.column_stack([np.ones(8), x])
    with pytest.warns(EstimationWarning, match="separate treated and comparison units"):
        _drdid._logit(d, design)


def _waves() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": ["a", "a", "b", "d", "a", "c", "d"],
            "target": ["b", "c", "c", "a", "b", "a", "a"],
            "wave": [1, 1, 1, 1, 2, 2, 2],
        }
    )


def test_network_change_rank_correlation_warning_reaches_the_user(monkeypatch):
    change = importlib.import_module("clusterlab.networks.change")

    spearmanr = change.spearmanr

    def planted(x, y):
        warnings.warn("planted: spearman", RuntimeWarning, stacklevel=2)
        return spearmanr(x, y)

    monkeypatch.setattr(change, "spearmanr", planted)
    with pytest.warns(RuntimeWarning, match="planted: spearman"):
        change.network_change(_waves(), member=None)


def test_network_change_constant_measure_is_still_quiet():
    """The one note that block filters by name: a measure constant across actors (wave 2 is a
    cycle, every actor has the same degree) gives a NaN correlation, without a warning."""
    from clusterlab.networks import network_change

    cycle = pd.DataFrame(
        {
            "source": ["a", "a", "b", "d", "a", "b", "c", "d"],
            "target": ["b", "c", "c", "a", "b", "c", "d", "a"],
            "wave": [1, 1, 1, 1, 2, 2, 2, 2],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ch = network_change(cycle, member=None)
    assert ch.stability["spearman"].isna().any()
