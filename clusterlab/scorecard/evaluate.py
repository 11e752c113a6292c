"""Judging cluster values against targets: status (direction-aware, with an at-risk band),
change and trend over periods, and a summary per perspective.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.scorecard import evaluate
>>> agg = pd.DataFrame({"indicator": ["member_retention"] * 3,
...                     "period": ["2019", "2020", "2021"], "value": [95.0, 85.0, 80.0]})
>>> sc = evaluate(agg, "four_perspectives")            # target 90, band 10 % of 90 = 9
>>> sc.status["status"].tolist()
['on_track', 'at_risk', 'off_track']
>>> sc.status["trend"].tolist()
['n/a', 'worsening', 'worsening']
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.scorecard.catalogue import Catalogue, load_catalogue
from clusterlab.scorecard.periods import period_keys
from clusterlab.scorecard.values import LowCoverageWarning, as_by

__all__ = ["evaluate", "Scorecard", "classify_status", "STATUSES", "STATUS_POINTS"]

#: Possible values of ``status``.
STATUSES = ("on_track", "at_risk", "off_track", "no_target", "no_data")
#: Points used for perspective scores (statuses without points are left out).
STATUS_POINTS = {"on_track": 1.0, "at_risk": 0.5, "off_track": 0.0}


def classify_status(value: float, target: float, direction: str, *, band: float) -> str:
    r"""Status of one value against its target.

    Parameters
    ----------
    value : float
        The indicator's value.
    target : float
        Its target.
    direction : {"higher", "lower"}
        Whether higher or lower values are better.
    band : float
        Width of the at-risk band in the indicator's units (>= 0).

    Returns
    -------
    str
        ``on_track``, ``at_risk`` or ``off_track``.

    Notes
    -----
    With the signed gap :math:`g = s\,(x - T)`, :math:`s = +1` when higher is better and
    :math:`-1` when lower is better: ``on_track`` if :math:`g \ge 0`, ``at_risk`` if
    :math:`-b \le g < 0`, ``off_track`` if :math:`g < -b`.

    Examples
    --------
    >>> classify_status(7.5, 8.0, "lower", band=0.8), classify_status(8.5, 8.0, "lower", band=0.8)
    ('on_track', 'at_risk')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no_data"
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return "no_target"
    if direction not in ("higher", "lower"):
        raise ParameterError(f"direction must be 'higher' or 'lower', got {direction!r}")
    if band < 0:
        raise ParameterError(f"the at-risk band must be >= 0, got {band}")
    gap = (value - target) if direction == "higher" else (target - value)
    if gap >= 0:
        return "on_track"
    return "at_risk" if gap >= -band else "off_track"


@dataclass(frozen=True)
class Scorecard:
    """Result of :func:`evaluate`.

    Parameters
    ----------
    status : pandas.DataFrame
        One row per indicator and period (the ``scorecard_status`` results table).
    perspectives : pandas.DataFrame
        One row per perspective and period (``scorecard_perspectives``).
    trends : pandas.DataFrame
        One row per indicator: OLS slope over the periods, first/last value, trend label and
        ``n_firms`` (the smallest number of reporting companies over the periods).
    catalogue : str
        Catalogue name.
    parameters : dict
        The parameters of the status and trend rules.

    Examples
    --------
    >>> import pandas as pd
    >>> agg = pd.DataFrame({"indicator": "member_retention", "period": ["2020", "2021"],
    ...                     "value": [85.0, 93.0]})
    >>> sc = evaluate(agg, "four_perspectives")
    >>> sc.catalogue, sc.status["status"].tolist()
    ('four_perspectives', ['at_risk', 'on_track'])
    """

    status: pd.DataFrame
    perspectives: pd.DataFrame
    trends: pd.DataFrame
    catalogue: str = ""
    parameters: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """The perspective table for the latest period (of each group)."""
        p = self.perspectives
        if p.empty:
            return p.copy()
        by = [c for c in self.parameters.get("by", []) if c in p.columns]
        key = period_keys(p["period"], name="perspectives")["period_key"]
        last = key.groupby([p[b] for b in by]).transform("max") if by else key.max()
        return p.loc[(key == last).to_numpy()].reset_index(drop=True)


def _check_band(value, name):
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ParameterError(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


def evaluate(
    aggregated: pd.DataFrame,
    catalogue="four_perspectives",
    *,
    by: str | Sequence[str] | None = None,
    at_risk_band: float = 0.10,
    stable_band: float = 0.02,
    min_coverage: float = 0.5,
) -> Scorecard:
    r"""Status against targets, change and trend, and a perspective summary.

    Parameters
    ----------
    aggregated : pandas.DataFrame
        Cluster values: ``indicator, period, value`` (+ ``n_reporting, coverage`` and ``by``
        columns), as returned by :func:`aggregate_company_indicators`.
    catalogue : str, path, DataFrame or Catalogue
        Supplies perspective, direction, targets and tolerances.
    by : str or list of str, optional
        Grouping columns (e.g. ``initiative``).
    at_risk_band : float
        Width of the at-risk band as a share of the target's absolute value (default 0.10:
        a value up to 10 % worse than the target is ``at_risk``). An indicator's
        ``tolerance`` in the catalogue (absolute units) overrides it.
    stable_band : float
        A change of at most this share of the previous value counts as ``stable``
        (default 0.02).
    min_coverage : float
        Company indicator values resting on a reporting coverage below this are flagged
        ``low_coverage`` and reported in one :class:`LowCoverageWarning` (default 0.5). The
        status is still given.

    Returns
    -------
    Scorecard
        ``status`` columns: ``[by…], indicator, indicator_name, perspective,
        perspective_name, group, source, unit, direction, period, value, target, status,
        gap, attainment, change, trend, n_reporting, n_expected, n_firms, coverage,
        low_coverage`` (``n_firms`` = ``n_reporting``, the count that disclosure control
        uses; empty for governance and external indicators).

    Raises
    ------
    DataValidationError
        Missing columns, non-numeric values, indicators not in the catalogue, or two rows
        for one indicator and period.
    ParameterError
        Negative bands or a coverage threshold outside [0, 1].

    Notes
    -----
    Signed gap :math:`g = s(x - T)` with :math:`s = +1` for higher-is-better and
    :math:`-1` for lower-is-better; band :math:`b = \beta |T|` (or the catalogue
    tolerance). Status: on track if :math:`g \ge 0`, at risk if :math:`-b \le g < 0`,
    off track otherwise (:func:`classify_status`). Attainment :math:`x/T` (higher) or
    :math:`T/x` (lower) when both are positive. Change :math:`\Delta_t = x_t - x_{t'}` with
    :math:`t'` the latest earlier period with a value; trend *improving* if
    :math:`s\Delta_t > \gamma |x_{t'}|`, *worsening* if :math:`s\Delta_t < -\gamma|x_{t'}|`,
    else *stable*. The perspective score is the mean of status points (on track 1, at risk
    0.5, off track 0) over indicators with a target and a value. The trends table's slope is
    the least-squares slope of the values on the period (in years).

    References
    ----------
    .. [1] Kaplan, R.S. & Norton, D.P. (1996). *The Balanced Scorecard*. Harvard Business
       School Press (targets per measure, traffic-light reporting).

    Examples
    --------
    >>> import pandas as pd
    >>> agg = pd.DataFrame({"indicator": "member_retention", "period": ["2020", "2021"],
    ...                     "value": [85.0, 93.0]})
    >>> evaluate(agg, "four_perspectives").status["status"].tolist()
    ['at_risk', 'on_track']
    """
    at_risk_band = _check_band(at_risk_band, "at_risk_band")
    stable_band = _check_band(stable_band, "stable_band")
    if (
        isinstance(min_coverage, bool)
        or not isinstance(min_coverage, int | float)
        or not 0 <= min_coverage <= 1
    ):
        raise ParameterError(f"min_coverage must be within [0, 1], got {min_coverage!r}")
    by = as_by(by)
    cat: Catalogue = load_catalogue(catalogue)
    check_frame(
        aggregated,
        required=["indicator", "period", "value"] + by,
        numeric=["value"],
        no_missing=["indicator", "period"] + by,
        name="aggregated",
    )
    data = aggregated.copy().reset_index(drop=True)
    data["indicator"] = data["indicator"].astype(str)
    bad = ~data["indicator"].isin(cat.ids)
    if bad.any():
        raise DataValidationError(
            f"aggregated: indicator(s) not in catalogue {cat.name!r}",
            problem_frame(
                [
                    {
                        "file": "aggregated",
                        "row": int(i) + 1,
                        "column": "indicator",
                        "expected": f"an indicator of catalogue {cat.name!r}",
                        "found": data.at[i, "indicator"],
                    }
                    for i in data.index[bad][:200]
                ]
            ),
        )
    infinite = np.isinf(pd.to_numeric(data["value"]).to_numpy(float))
    if infinite.any():
        raise DataValidationError(
            "aggregated: infinite value(s)",
            problem_frame(
                [
                    {
                        "file": "aggregated",
                        "row": int(i) + 1,
                        "column": "value",
                        "expected": "a finite number (or empty)",
                        "found": "inf",
                    }
                    for i in np.flatnonzero(infinite)[:200]
                ]
            ),
        )
    keys = period_keys(data["period"], name="aggregated")
    data["period"] = keys["period"].to_numpy()
    data["period_key"] = keys["period_key"].to_numpy()
    check_frame(data, unique=by + ["indicator", "period"], name="aggregated")
    for col in ("n_reporting", "n_expected"):
        if col not in data.columns:
            data[col] = pd.NA
    if "coverage" not in data.columns:
        data["coverage"] = np.where(data["value"].notna(), 1.0, 0.0)
    info = cat.indicators.set_index("indicator")
    pname = dict(zip(cat.perspectives["perspective"], cat.perspectives["name"], strict=True))
    porder = dict(zip(cat.perspectives["perspective"], cat.perspectives["order"], strict=True))
    data = data.sort_values(by + ["indicator", "period_key"], kind="stable")
    rows = []
    for _, g in data.groupby(by + ["indicator"], sort=False):
        iid = g["indicator"].iloc[0]
        meta = info.loc[iid]
        sign = 1.0 if meta["direction"] == "higher" else -1.0
        prev = float("nan")
        for r in g.itertuples(index=False):
            r = r._asdict()
            x = float(r["value"]) if pd.notna(r["value"]) else float("nan")
            target = cat.target_for(iid, r["period"])
            band = (
                float(meta["tolerance"])
                if pd.notna(meta["tolerance"])
                else at_risk_band * abs(target)
                if not math.isnan(target)
                else float("nan")
            )
            status = (
                classify_status(x, target, meta["direction"], band=band)
                if not math.isnan(x) and not math.isnan(target)
                else ("no_data" if math.isnan(x) else "no_target")
            )
            gap = sign * (x - target)
            attain = float("nan")
            if x > 0 and target > 0:
                attain = x / target if sign > 0 else target / x
            change = x - prev
            if math.isnan(change):
                trend = "n/a"
            elif sign * change > stable_band * abs(prev):
                trend = "improving"
            elif sign * change < -stable_band * abs(prev):
                trend = "worsening"
            else:
                trend = "stable"
            cov = r["coverage"]
            low = bool(
                meta["source"] == "company"
                and not math.isnan(x)
                and (pd.isna(cov) or cov < min_coverage)
            )
            rows.append(
                {
                    **{b: r[b] for b in by},
                    "indicator": iid,
                    "indicator_name": meta["name"],
                    "perspective": meta["perspective"],
                    "perspective_name": pname.get(meta["perspective"], meta["perspective"]),
                    "group": meta["group"],
                    "source": meta["source"],
                    "unit": meta["unit"],
                    "direction": meta["direction"],
                    "period": r["period"],
                    "period_key": r["period_key"],
                    "value": x,
                    "target": target,
                    "status": status,
                    "gap": gap,
                    "attainment": attain,
                    "change": change,
                    "trend": trend,
                    "n_reporting": r["n_reporting"],
                    "n_expected": r["n_expected"],
                    "n_firms": r["n_reporting"],
                    "coverage": cov,
                    "low_coverage": low,
                }
            )
            if not math.isnan(x):
                prev = x
    status = pd.DataFrame(rows)
    if status.empty:
        raise DataValidationError(
            "aggregated: no rows to evaluate",
            problem_frame(
                [
                    {
                        "file": "aggregated",
                        "expected": "at least one indicator value",
                        "found": "0 rows",
                    }
                ]
            ),
        )
    order = {k: i for i, k in enumerate(cat.ids)}
    status["_o"] = status["indicator"].map(order)
    status = status.sort_values(by + ["_o", "period_key"], kind="stable").drop(columns="_o")
    for col in ("n_reporting", "n_expected", "n_firms"):
        status[col] = pd.to_numeric(status[col], errors="coerce").astype("Int64")
    status["coverage"] = pd.to_numeric(status["coverage"], errors="coerce").astype(float)
    status = status.reset_index(drop=True)
    low = status.loc[status["low_coverage"]]
    if len(low):
        warnings.warn(
            f"{len(low)} company indicator value(s) rest on less than "
            f"{min_coverage:.0%} of the expected companies (flagged low_coverage), "
            "e.g. " + ", ".join(f"{r.indicator} {r.period}" for r in low.head(5).itertuples()),
            LowCoverageWarning,
            stacklevel=2,
        )
    persp = _perspectives(status, by, porder, pname)
    trends = _trends(status, by, stable_band)
    params = {
        "at_risk_band": at_risk_band,
        "stable_band": stable_band,
        "min_coverage": float(min_coverage),
        "by": by,
    }
    return Scorecard(status.drop(columns="period_key"), persp, trends, cat.name, params)


def _perspectives(status, by, porder, pname) -> pd.DataFrame:
    rows = []
    for key, g in status.groupby(by + ["perspective", "period"], sort=False):
        key = key if isinstance(key, tuple) else (key,)
        counts = g["status"].value_counts()
        pts = g["status"].map(STATUS_POINTS).dropna()
        comp = g.loc[(g["source"] == "company") & g["value"].notna()]
        n_rep = comp["n_reporting"].dropna()
        rows.append(
            {
                **dict(zip(by + ["perspective", "period"], key, strict=True)),
                "perspective_name": pname.get(key[-2], key[-2]),
                "order": porder.get(key[-2], 0),
                "period_key": g["period_key"].iloc[0],
                "n_indicators": len(g),
                "n_with_data": int(g["value"].notna().sum()),
                "n_on_track": int(counts.get("on_track", 0)),
                "n_at_risk": int(counts.get("at_risk", 0)),
                "n_off_track": int(counts.get("off_track", 0)),
                "n_no_target": int(counts.get("no_target", 0)),
                "score": float(pts.mean()) if len(pts) else float("nan"),
                "mean_coverage": float(comp["coverage"].mean()) if len(comp) else float("nan"),
                "n_reporting": int(n_rep.min()) if len(n_rep) else pd.NA,
            }
        )
    out = pd.DataFrame(rows)
    out["n_reporting"] = out["n_reporting"].astype("Int64")
    out["n_firms"] = out["n_reporting"]
    out = out.sort_values(by + ["order", "period_key"], kind="stable")
    return out.drop(columns="period_key").reset_index(drop=True)


def _trends(status, by, stable_band) -> pd.DataFrame:
    rows = []
    for _, g in status.groupby(by + ["indicator"], sort=False):
        sign = 1.0 if g["direction"].iloc[0] == "higher" else -1.0
        ok = g.dropna(subset=["value"])
        slope = float("nan")
        if len(ok) >= 2 and ok["period_key"].nunique() >= 2:
            slope = float(
                stats.linregress(
                    ok["period_key"].to_numpy(float), ok["value"].to_numpy(float)
                ).slope
            )
        if math.isnan(slope):
            label = "n/a"
        else:
            scale = stable_band * abs(ok["value"].mean())
            label = (
                "improving"
                if sign * slope > scale
                else "worsening"
                if sign * slope < -scale
                else "stable"
            )
        last = g.iloc[-1]
        rows.append(
            {
                **{b: g[b].iloc[0] for b in by},
                "indicator": g["indicator"].iloc[0],
                "indicator_name": g["indicator_name"].iloc[0],
                "perspective": g["perspective"].iloc[0],
                "direction": g["direction"].iloc[0],
                "n_periods": len(ok),
                "first_period": ok["period"].iloc[0] if len(ok) else pd.NA,
                "last_period": ok["period"].iloc[-1] if len(ok) else pd.NA,
                "first_value": float(ok["value"].iloc[0]) if len(ok) else float("nan"),
                "last_value": float(ok["value"].iloc[-1]) if len(ok) else float("nan"),
                "slope": slope,
                "trend": label,
                "latest_status": last["status"],
                "n_firms": ok["n_reporting"].min() if ok["n_reporting"].notna().any() else pd.NA,
            }
        )
    out = pd.DataFrame(rows)
    out["n_firms"] = pd.to_numeric(out["n_firms"], errors="coerce").astype("Int64")
    return out
