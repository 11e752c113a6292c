"""Big five: stages per factor and the non-compensatory business-platform rule.

Examples
--------
>>> from clusterlab.datasets import load_demo
>>> from clusterlab.instruments import platform_status, score
>>> res = score(load_demo("ratings"), "bigfive", n_boot=0)
>>> status = platform_status(res)
>>> list(status.columns[:4])
['initiative', 'round', 'idea', 'driving_forces_commitment']
>>> set(status["platform_status"]) <= {"reached", "not_reached", "undetermined"}
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab.errors import ParameterError

from .scoring import Scores

__all__ = ["platform_status", "factor_stages"]


def _check(scores) -> None:
    if not isinstance(scores, Scores):
        raise ParameterError("expected the result of clusterlab.instruments.score(...)")
    if scores.instrument.kind != "stages":
        raise ParameterError(
            f"platform_status needs a stage instrument such as 'bigfive'; got "
            f"{scores.instrument.name!r} ({scores.instrument.kind})"
        )


def factor_stages(scores: Scores) -> pd.DataFrame:
    """One row per initiative × round × factor: stage, label, rater spread and change.

    Parameters
    ----------
    scores : Scores
        Result of ``score(ratings, "bigfive")``.

    Returns
    -------
    pandas.DataFrame
        ``initiative, round, factor, name, stage, stage_label, median, mean, n_raters, coverage,
        status, ci_low, ci_high, spread, disagreement, previous_stage, stage_change``.
        ``stage`` is the lower median of the raters' stages (ordinal: no means are used for the
        stage); ``disagreement`` flags raters differing by at least ``platform_rule.disagreement``
        stages (default 2).

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> from clusterlab.instruments import score
    >>> tab = factor_stages(score(load_demo("ratings"), "bigfive", n_boot=0))
    >>> tab["factor"].nunique()
    5
    """
    _check(scores)
    rule = scores.instrument.config["platform_rule"]
    q = scores.questions[["initiative", "round", "item", "spread"]].rename(
        columns={"item": "factor"}
    )
    out = scores.components.rename(columns={"component": "factor"})
    out = out.merge(q, on=["initiative", "round", "factor"], how="left")
    out["disagreement"] = (out["spread"] >= rule.get("disagreement", 2)).fillna(False)
    out = out.sort_values(["initiative", "factor", "round"])
    out["previous_stage"] = out.groupby(["initiative", "factor"])["stage"].shift(1)
    out["stage_change"] = (out["stage"] - out["previous_stage"]).astype("Int64")
    cols = [
        "initiative",
        "round",
        "factor",
        "name",
        "stage",
        "stage_label",
        "median",
        "mean",
        "n_raters",
        "coverage",
        "status",
        "ci_low",
        "ci_high",
        "spread",
        "disagreement",
        "previous_stage",
        "stage_change",
    ]
    order = {f: i for i, f in enumerate(scores.instrument.components["component"])}
    out = out.assign(_o=out["factor"].map(order)).sort_values(["initiative", "round", "_o"])
    return out[cols].reset_index(drop=True)


def platform_status(scores: Scores) -> pd.DataFrame:
    r"""Platform status per initiative × round from big-five stages (non-compensatory).

    Parameters
    ----------
    scores : Scores
        Result of ``score(ratings, load_instrument("bigfive"))`` (any stage instrument).

    Returns
    -------
    pandas.DataFrame
        One row per initiative × round: one column per factor id with its stage, then
        ``platform_reached`` (nullable boolean: NA when undetermined), ``platform_status``
        (``reached``/``not_reached``/``undetermined``), ``weakest_factors`` (comma-separated
        factors at the lowest stage below the platform stage; empty when none is below),
        ``gap``, ``near_platform``, ``unknown_factors``,
        ``disagreement_factors``, ``previous_round``, ``previous_status``, ``gap_change``,
        ``improved_factors``, ``declined_factors``.

    Notes
    -----
    With the required stage :math:`s^*` (``platform_rule.stage``; the top stage, "established"):

    .. math::

        \text{reached} \iff \min_f s_f \ge s^*, \qquad
        \text{gap} = \sum_f \max(0, s^* - s_f)

    No compensation between factors: a strong activity portfolio cannot make up for a missing
    organisation. When some factors are unknown (no rater could judge them) and every known
    factor is at :math:`s^*`, the status is ``undetermined``, never ``reached``; if a known
    factor is below :math:`s^*` it is ``not_reached`` regardless. ``near_platform``: all known
    factors ≥ ``near.all_at_least`` and at least ``near.min_at_stage`` at :math:`s^*` (not yet
    reached).

    References
    ----------
    Klofsten M., Bienkowska D., Laur I., Sölvell I. (2015) Success factors in cluster initiative
    management: mapping out the 'big five'. Industry and Higher Education 29(1): 65-77.
    Davidsson P., Klofsten M. (2003) The business platform. J. Small Business Management 41(1).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.instruments import score
    >>> factors = ["idea", "driving_forces_commitment", "activities", "critical_mass",
    ...            "organization"]
    >>> r = pd.DataFrame({"initiative": "x", "rater": "r1", "item": factors,
    ...                   "score": [4, 4, 4, 4, 3]})
    >>> row = platform_status(score(r, "bigfive")).iloc[0]
    >>> row["platform_status"], row["weakest_factors"], int(row["gap"])
    ('not_reached', 'organization', 1)
    """
    _check(scores)
    inst = scores.instrument
    rule = inst.config["platform_rule"]
    target = int(rule["stage"])
    near = rule.get("near") or {}
    near_all = near.get("all_at_least", target - 1)
    near_n = near.get("min_at_stage", len(inst.components) - 2)
    factors = list(inst.components["component"])
    tab = factor_stages(scores)
    rows = []
    for (ini, rnd), g in tab.groupby(["initiative", "round"], sort=True):
        g = g.set_index("factor").reindex(factors)
        stages = g["stage"]
        known = stages.dropna().astype(int)
        unknown = [f for f in factors if pd.isna(stages.get(f))]
        below = known[known < target]
        if len(below):
            status, reached = "not_reached", False
        elif unknown:
            status, reached = "undetermined", pd.NA
        else:
            status, reached = "reached", True
        weakest = list(below[below == below.min()].index) if len(below) else []
        row = {"initiative": ini, "round": int(rnd)}
        row.update({f: stages.get(f) for f in factors})
        row.update(
            {
                "platform_reached": reached,
                "platform_status": status,
                "weakest_factors": ", ".join(weakest),
                "gap": int(np.maximum(0, target - known).sum()),
                "near_platform": bool(
                    status != "reached"
                    and not unknown
                    and len(known)
                    and (known >= near_all).all()
                    and (known >= target).sum() >= near_n
                ),
                "unknown_factors": ", ".join(unknown),
                "disagreement_factors": ", ".join(
                    g.index[g["disagreement"].fillna(False).astype(bool)]
                ),
                "_stages": stages,
            }
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    out = out.sort_values(["initiative", "round"]).reset_index(drop=True)
    prev_round, prev_status, gap_change, improved, declined = [], [], [], [], []
    for i, row in out.iterrows():
        prev = (
            out.iloc[i - 1] if i > 0 and out.at[i - 1, "initiative"] == row["initiative"] else None
        )
        if prev is None:
            prev_round.append(pd.NA)
            prev_status.append(pd.NA)
            gap_change.append(pd.NA)
            improved.append("")
            declined.append("")
            continue
        diff = row["_stages"] - prev["_stages"]
        prev_round.append(int(prev["round"]))
        prev_status.append(prev["platform_status"])
        gap_change.append(int(row["gap"] - prev["gap"]))
        improved.append(", ".join(diff.index[(diff > 0).fillna(False).astype(bool)]))
        declined.append(", ".join(diff.index[(diff < 0).fillna(False).astype(bool)]))
    out["previous_round"] = pd.array(prev_round, dtype="Int64")
    out["previous_status"] = pd.array(prev_status, dtype="string")
    out["gap_change"] = pd.array(gap_change, dtype="Int64")
    out["improved_factors"] = improved
    out["declined_factors"] = declined
    out["platform_reached"] = pd.array(out["platform_reached"].tolist(), dtype="boolean")
    for f in factors:
        out[f] = pd.array(out[f].tolist(), dtype="Int64")
    return out.drop(columns="_stages")
