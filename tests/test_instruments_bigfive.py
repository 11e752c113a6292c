"""Big five: lower-median stages, the non-compensatory platform rule, change between rounds."""

import pandas as pd
import pytest

from clusterlab.datasets import load_demo
from clusterlab.errors import ParameterError
from clusterlab.instruments import load_instrument, platform_status, score
from clusterlab.instruments.bigfive import factor_stages

FACTORS = list(load_instrument("bigfive").questions["item"])


def stages(per_rater: dict, initiative="x", rnd=1):
    """per_rater: {rater: [stage per factor]}."""
    return pd.DataFrame(
        [
            {
                "initiative": initiative,
                "round": rnd,
                "rater": r,
                "item": f,
                "score": s,
                "instrument": "bigfive",
            }
            for r, row in per_rater.items()
            for f, s in zip(FACTORS, row, strict=True)
        ]
    )


def test_stage_is_the_lower_median_of_raters():
    """Two raters 2 and 3 -> lower median 2 (a real stage, never 2.5); three raters 1, 4, 4 -> 4."""
    res = score(stages({"a": [2, 1, 1, 4, 4], "b": [3, 4, 1, 4, 4]}), "bigfive", n_boot=0)
    s = res.components.set_index("component")
    assert s.loc["idea", "stage"] == 2 and s.loc["idea", "median"] == 2.5
    assert s.loc["idea", "stage_label"] == "emerging"
    assert s.loc["driving_forces_commitment", "stage"] == 1
    res = score(stages({"a": [1] * 5, "b": [4] * 5, "c": [4] * 5}), "bigfive", n_boot=0)
    assert (res.components["stage"] == 4).all()


def test_platform_reached_only_when_every_factor_is_established():
    """No compensation: stages 4,4,4,4,1 average 3.4 but the platform is not reached."""
    out = platform_status(score(stages({"a": [4, 4, 4, 4, 1]}), "bigfive", n_boot=0)).iloc[0]
    assert out["platform_status"] == "not_reached" and not out["platform_reached"]
    assert out["gap"] == 3 and out["weakest_factors"] == "organization"
    assert not out["near_platform"]
    out = platform_status(score(stages({"a": [4] * 5}), "bigfive", n_boot=0)).iloc[0]
    assert out["platform_status"] == "reached" and out["platform_reached"] and out["gap"] == 0


def test_near_platform():
    """All >= 3 and at least three factors at 4."""
    out = platform_status(score(stages({"a": [4, 4, 4, 3, 3]}), "bigfive", n_boot=0)).iloc[0]
    assert out["near_platform"] and out["gap"] == 2
    out = platform_status(score(stages({"a": [4, 4, 3, 3, 3]}), "bigfive", n_boot=0)).iloc[0]
    assert not out["near_platform"]


def test_unknown_factor_makes_status_undetermined_not_reached():
    r = stages({"a": [4, 4, 4, 4, 4]}).astype({"score": object})
    r.loc[r["item"] == "critical_mass", "score"] = "unknown"
    out = platform_status(score(r, "bigfive", n_boot=0)).iloc[0]
    assert out["platform_status"] == "undetermined" and pd.isna(out["platform_reached"])
    assert out["unknown_factors"] == "critical_mass"
    # but a known factor below the stage settles it: not reached
    r.loc[r["item"] == "idea", "score"] = 2
    out = platform_status(score(r, "bigfive", n_boot=0)).iloc[0]
    assert out["platform_status"] == "not_reached"


def test_change_since_previous_round_and_disagreement():
    r = pd.concat(
        [
            stages({"a": [2, 3, 3, 3, 3], "b": [4, 3, 3, 3, 3]}, rnd=1),
            stages({"a": [3, 4, 2, 3, 3], "b": [3, 4, 2, 3, 3]}, rnd=2),
        ],
        ignore_index=True,
    )
    res = score(r, "bigfive", n_boot=0)
    out = platform_status(res).set_index("round")
    assert pd.isna(out.loc[1, "previous_round"]) and out.loc[2, "previous_round"] == 1
    # round 1 stages 2,3,3,3,3 (gap 6); round 2 3,4,2,3,3 (gap 5)
    assert out.loc[2, "gap_change"] == -1
    assert out.loc[2, "improved_factors"] == "idea, driving_forces_commitment"
    assert out.loc[2, "declined_factors"] == "activities"
    assert out.loc[1, "disagreement_factors"] == "idea"  # raters 2 and 4: two stages apart
    tab = factor_stages(res).set_index(["round", "factor"])
    assert tab.loc[(2, "idea"), "stage_change"] == 1 and tab.loc[(1, "idea"), "disagreement"]


def test_stage_outside_scale_and_wrong_instrument():
    from clusterlab.errors import DataValidationError

    with pytest.raises(DataValidationError, match="bigfive"):
        score(stages({"a": [5, 4, 4, 4, 4]}), "bigfive")
    with pytest.raises(ParameterError, match="stage instrument"):
        platform_status(score(load_demo("ratings"), "cimbt", n_boot=0))
    with pytest.raises(ParameterError):
        platform_status(pd.DataFrame())


def test_demo_platform_table():
    res = score(load_demo("ratings"), "bigfive", n_boot=50)
    out = platform_status(res)
    assert len(out) == 6 and list(out.columns[2:7]) == FACTORS
    assert set(out["platform_status"]) <= {"reached", "not_reached", "undetermined"}
    for _, row in out.iterrows():
        known = [row[f] for f in FACTORS if not pd.isna(row[f])]
        assert row["gap"] == sum(max(0, 4 - s) for s in known)
        if row["platform_status"] == "reached":
            assert min(known) == 4 and len(known) == 5
