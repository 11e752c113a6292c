"""A Porter-diamond profile from scorecard indicators tagged with a diamond corner.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.scorecard import evaluate
>>> from clusterlab.scorecard.diagnostics import diamond_profile
>>> agg = pd.DataFrame({"indicator": ["rd_intensity", "graduate_share", "trust_score"],
...                     "period": "2021", "value": [3.0, 20.0, 3.0]})
>>> sc = evaluate(agg, "ten_factors")
>>> d = diamond_profile(sc.status, "ten_factors")
>>> row = d.set_index("corner").loc["factor_conditions"]   # on track (3 >= 2.5) + off track
>>> int(row["n_assessed"]), float(row["score"])             # (20 < 25 - 2.5): (1 + 0) / 2
(2, 0.5)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from clusterlab._validation import check_frame
from clusterlab.errors import ParameterError
from clusterlab.scorecard.catalogue import DIAMOND_CORNERS, load_catalogue
from clusterlab.scorecard.evaluate import STATUS_POINTS
from clusterlab.scorecard.periods import period_keys
from clusterlab.scorecard.values import as_by

__all__ = ["diamond_profile", "CORNER_NAMES"]

CORNER_NAMES = {
    "factor_conditions": "Factor conditions",
    "demand_conditions": "Demand conditions",
    "related_supporting": "Related and supporting industries",
    "strategy_rivalry": "Firm strategy, structure and rivalry",
}


def diamond_profile(
    status: pd.DataFrame,
    catalogue="ten_factors",
    *,
    period=None,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    r"""Score each corner of Porter's diamond from the status of its indicators.

    Parameters
    ----------
    status : pandas.DataFrame
        The ``status`` table of :func:`clusterlab.scorecard.evaluate`.
    catalogue : optional
        The catalogue whose ``diamond`` tags map indicators to corners.
    period : str, optional
        Period to profile; default the latest period of each group.
    by : str or list of str, optional
        Grouping columns.

    Returns
    -------
    pandas.DataFrame
        ``[by…], corner, corner_name, period, n_indicators, n_assessed, score,
        mean_attainment, assessable, evidence``: ``score`` is the mean of status points
        (on track 1, at risk 0.5, off track 0) of the corner's indicators with a target and a
        value; ``evidence`` lists each indicator with its value, target and status.

    Notes
    -----
    :math:`S_c = \frac{1}{|A_c|}\sum_{k \in A_c} p(\text{status}_k)` over the assessed
    indicators :math:`A_c` of corner :math:`c`. A corner without tagged or assessed indicators
    is reported as not assessable rather than scored. The corners are Porter's (1990) [1]_.

    References
    ----------
    .. [1] Porter, M.E. (1990). *The Competitive Advantage of Nations*. Free Press.

    Examples
    --------
    >>> from clusterlab.scorecard import evaluate
    >>> agg = pd.DataFrame({"indicator": ["rd_intensity", "graduate_share"],
    ...                     "period": "2021", "value": [3.0, 20.0]})
    >>> d = diamond_profile(evaluate(agg, "ten_factors").status, "ten_factors")
    >>> float(d.set_index("corner").loc["factor_conditions", "score"])  # (1 + 0) / 2
    0.5
    """
    by = as_by(by)
    cat = load_catalogue(catalogue)
    check_frame(
        status, required=["indicator", "period", "value", "target", "status"] + by, name="status"
    )
    tags = cat.indicators.dropna(subset=["diamond"]).set_index("indicator")["diamond"]
    data = status.loc[status["indicator"].isin(tags.index)].copy()
    data["corner"] = data["indicator"].map(tags)
    data["period_key"] = (
        period_keys(data["period"], name="status")["period_key"].to_numpy() if len(data) else []
    )
    if period is not None:
        label = period_keys(pd.Series([period]), name="period")["period"].iloc[0]
        known = (
            set(period_keys(status["period"], name="status")["period"]) if len(status) else set()
        )
        if label not in known:
            raise ParameterError(
                f"period {label} is not in the status table; it has " + ", ".join(sorted(known))
            )
        data = data.loc[data["period"] == label]
    elif len(data):
        last = data.groupby(by)["period_key"].transform("max") if by else data["period_key"].max()
        data = data.loc[data["period_key"] == last]
    groups = data.groupby(by) if by else [((), data)]
    rows = []
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        for corner in DIAMOND_CORNERS:
            c = g.loc[g["corner"] == corner]
            pts = c["status"].map(STATUS_POINTS).dropna()
            att = c["attainment"].dropna() if "attainment" in c.columns else pd.Series(dtype=float)
            n_tagged = int((tags == corner).sum())
            evidence = "; ".join(
                f"{r.indicator}: {r.status} ({r.value:.3g} vs target {r.target:.3g})"
                if pd.notna(r.target) and pd.notna(r.value)
                else f"{r.indicator}: {r.status}"
                for r in c.itertuples()
            )
            if n_tagged == 0:
                evidence = "no indicator of this catalogue measures this corner"
            elif c.empty:
                evidence = "no value in the status table for its indicator(s) " + ", ".join(
                    tags.index[tags == corner]
                )
            rows.append(
                {
                    **dict(zip(by, key, strict=True)),
                    "corner": corner,
                    "corner_name": CORNER_NAMES[corner],
                    "period": c["period"].iloc[0]
                    if len(c)
                    else (g["period"].iloc[0] if len(g) else pd.NA),
                    "n_indicators": n_tagged,
                    "n_assessed": int(len(pts)),
                    "score": float(pts.mean()) if len(pts) else np.nan,
                    "mean_attainment": float(att.mean()) if len(att) else np.nan,
                    "assessable": bool(len(pts)),
                    "evidence": evidence,
                }
            )
    return pd.DataFrame(rows)
