"""Array core of the scoring pipeline: raters -> questions -> components -> areas -> overall.

Every function works on a leading batch axis ``B`` so that the point estimate (``B = 1``) and all
bootstrap replicates (raters resampled with replacement) go through exactly the same code.
Private module; the public entry point is :func:`clusterlab.instruments.score`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

__all__: list[str] = []

_EPS = 1e-12
VALUE_KEYS = ("score", "mean", "median")


@dataclass(frozen=True)
class Structure:
    """Item -> component -> area -> overall membership and weights, in instrument order."""

    items: list
    components: list
    areas: list
    item_parent: np.ndarray  # component index of each item
    component_parent: np.ndarray  # area index of each component
    item_weight: np.ndarray
    component_weight: np.ndarray
    area_weight: np.ndarray
    rules: dict  # raters, question_to_component, component_to_area, ...
    thresholds: dict  # question, component, area, overall


def lower_median(x: np.ndarray, axis: int) -> np.ndarray:
    """Lower median along ``axis`` ignoring NaN: the ⌈n/2⌉-th smallest value (a real category).

    >>> lower_median(np.array([[1.0, 4.0, 2.0, np.nan]]), axis=1)
    array([1.])
    """
    srt = np.sort(x, axis=axis)  # NaN sort last
    n = np.sum(~np.isnan(x), axis=axis, keepdims=True)
    k = np.clip((n - 1) // 2, 0, None)
    out = np.take_along_axis(srt, k, axis=axis)
    out = np.where(n > 0, out, np.nan)
    return np.squeeze(out, axis=axis)


def questions(x: np.ndarray, applicable: np.ndarray, s: Structure) -> dict:
    """Question-level statistics for rating arrays ``x`` of shape (B, raters, items)."""
    answered = ~np.isnan(x)
    n_ans = answered.sum(axis=1)
    n_app = applicable.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nansum(x, axis=1) / n_ans
        median = np.nanmedian(x, axis=1)
        coverage = np.where(n_app > 0, n_ans / np.maximum(n_app, 1), np.nan)
    primary = mean if s.rules["raters"] == "mean" else lower_median(x, axis=1)
    app = n_app > 0
    ok = app & (n_ans >= 1) & (coverage >= s.thresholds["question"] - _EPS)
    vals = {"score": primary, "mean": mean, "median": median}
    return {
        "values": {k: np.where(ok, v, np.nan) for k, v in vals.items()},
        "ok": ok,
        "applicable": app,
        "coverage": coverage,
    }


def roll_up(
    child: dict, parent: np.ndarray, n_parent: int, weight: np.ndarray, rule: str, threshold: float
) -> dict:
    """Combine child units into parents with a rule (weighted mean, median or min).

    Coverage = share of the parent's applicable children that have a score; a parent below the
    threshold (or with no scored child) is insufficient and gets NaN.
    """
    batch = child["ok"].shape[0]
    out_vals = {k: np.full((batch, n_parent), np.nan) for k in child["values"]}
    ok = np.zeros((batch, n_parent), dtype=bool)
    app = np.zeros((batch, n_parent), dtype=bool)
    coverage = np.full((batch, n_parent), np.nan)
    for p in range(n_parent):
        members = parent == p
        m_app = child["applicable"][:, members]
        m_ok = child["ok"][:, members] & m_app
        n_app = m_app.sum(axis=1)
        n_ok = m_ok.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = np.where(n_app > 0, n_ok / np.maximum(n_app, 1), np.nan)
        p_ok = (n_ok >= 1) & (cov >= threshold - _EPS)
        coverage[:, p] = cov
        app[:, p] = n_app > 0
        ok[:, p] = p_ok
        w = weight[members]
        for key, values in child["values"].items():
            v = values[:, members]
            out_vals[key][:, p] = np.where(p_ok, _combine(v, m_ok, w, rule), np.nan)
    return {"values": out_vals, "ok": ok, "applicable": app, "coverage": coverage}


def _combine(v: np.ndarray, ok: np.ndarray, w: np.ndarray, rule: str) -> np.ndarray:
    masked = np.where(ok, v, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if rule == "mean":
            ww = np.where(ok, w, 0.0)
            return np.nansum(masked * ww, axis=1) / ww.sum(axis=1)
        if rule == "median":
            return np.nanmedian(masked, axis=1)
        return np.nanmin(masked, axis=1)


def pipeline(x: np.ndarray, applicable: np.ndarray, s: Structure) -> dict:
    """All four levels for rating arrays of shape (B, raters, items)."""
    q = questions(x, applicable, s)
    c = roll_up(
        q,
        s.item_parent,
        len(s.components),
        s.item_weight,
        s.rules["question_to_component"],
        s.thresholds["component"],
    )
    a = roll_up(
        c,
        s.component_parent,
        len(s.areas),
        s.component_weight,
        s.rules["component_to_area"],
        s.thresholds["area"],
    )
    o = roll_up(
        a,
        np.zeros(len(s.areas), dtype=int),
        1,
        s.area_weight,
        s.rules["area_to_overall"],
        s.thresholds["overall"],
    )
    return {"question": q, "component": c, "area": a, "overall": o}


def counts(x: np.ndarray, applicable: np.ndarray, members: np.ndarray) -> tuple[int, int, int]:
    """(n_raters with any answer, n_answered cells, n_expected cells) over item mask ``members``."""
    answered = ~np.isnan(x[:, members])
    return (int(answered.any(axis=1).sum()), int(answered.sum()), int(applicable[:, members].sum()))
