"""Benchmarking, change over time, weakest components, the insight/execution correlation, forms."""

import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlab.datasets import load_demo
from clusterlab.errors import ClusterlabFutureWarning, EstimationWarning, ParameterError
from clusterlab.instruments import (
    benchmark,
    change,
    insight_execution_correlation,
    load_instrument,
    rating_form,
    rating_form_paths,
    score,
    weakest_components,
)

ITEMS = list(load_instrument("cimbt").questions["item"])


def ratings(levels: dict, n_raters=1, rnd=1, noise=None, seed=0):
    """Each initiative rates every question at its level (plus optional rater noise)."""
    rng = np.random.default_rng(seed)
    rows = []
    for ini, level in levels.items():
        for k in range(n_raters):
            for it in ITEMS:
                v = (
                    level
                    if noise is None
                    else int(np.clip(level + rng.integers(-noise, noise + 1), 1, 5))
                )
                rows.append(
                    {"initiative": ini, "round": rnd, "rater": f"{ini}-{k}", "item": it, "score": v}
                )
    return pd.DataFrame(rows)


def test_ranks_gaps_and_peers_by_hand():
    res = score(ratings({"a": 4, "b": 2, "c": 3}), "cimbt", n_boot=0)
    b = benchmark(res, level="overall")
    t = b.table.set_index("initiative")
    assert t["rank"].to_dict() == {"a": 1, "c": 2, "b": 3}
    assert (t["rank_low"] == t["rank"]).all() and (t["rank_high"] == t["rank"]).all()
    assert t["gap_to_best"].to_dict() == {"a": 0, "c": 1, "b": 2}
    assert t.loc["a", "peer_median"] == 2.5 and t.loc["a", "diff_to_peers"] == 1.5
    assert (t["best_initiative"] == "a").all() and (t["n_compared"] == 3).all()
    with pytest.raises(ParameterError):
        benchmark(res, level="section")


def test_ties_share_the_better_rank():
    res = score(ratings({"a": 3, "b": 3, "c": 1}), "cimbt", n_boot=0)
    t = benchmark(res, level="overall").table.set_index("initiative")
    assert t["rank"].to_dict() == {"a": 1, "b": 1, "c": 3}


def test_rank_intervals_reflect_uncertainty():
    """Far apart with many raters: intervals collapse to the rank; close with noise: they widen."""
    far = score(ratings({"a": 5, "b": 3, "c": 1}, n_raters=6, noise=0), "cimbt", n_boot=200)
    t = benchmark(far, level="overall").table
    assert (t["rank_low"] == t["rank"]).all() and (t["rank_high"] == t["rank"]).all()
    close = score(
        ratings({"a": 3, "b": 3, "c": 3}, n_raters=4, noise=2, seed=3), "cimbt", n_boot=300
    )
    t = benchmark(close, level="overall").table
    assert (t["rank_low"] <= t["rank"]).all() and (t["rank"] <= t["rank_high"]).all()
    assert (t["rank_high"] - t["rank_low"]).max() >= 1


def test_alpha_of_rank_and_change_intervals_and_the_old_ci_name():
    close = score(
        ratings({"a": 3, "b": 3, "c": 3}, n_raters=4, noise=2, seed=3),
        "cimbt",
        n_boot=300,
        alpha=0.5,
    )
    # default: the alpha used in score (a 50 % interval) ...
    default = benchmark(close, level="overall").table
    pd.testing.assert_frame_equal(default, benchmark(close, level="overall", alpha=0.5).table)
    # ... which is never wider than a 95 % one
    wide = benchmark(close, level="overall", alpha=0.05).table
    assert (
        (wide["rank_high"] - wide["rank_low"]) >= (default["rank_high"] - default["rank_low"])
    ).all()
    with pytest.warns(ClusterlabFutureWarning, match="use alpha="):
        old = benchmark(close, level="overall", ci=0.95).table
    pd.testing.assert_frame_equal(old, wide)
    with pytest.warns(ClusterlabFutureWarning, match="use alpha="):
        old = change(close, level="overall", ci=0.95)
    pd.testing.assert_frame_equal(old, change(close, level="overall", alpha=0.05))
    with pytest.warns(ClusterlabFutureWarning, match="use alpha="), warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)  # 3 initiatives: fragile
        old = insight_execution_correlation(close, ci=0.95)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        new = insight_execution_correlation(close, alpha=0.05)
    pd.testing.assert_frame_equal(old, new)
    with pytest.raises(ParameterError, match="alpha=2"):
        benchmark(close, alpha=2)


def test_strengths_and_weaknesses():
    r = ratings({"a": 3, "b": 3})
    r.loc[(r["initiative"] == "a") & r["item"].str.startswith("Q3.5"), "score"] = 1
    r.loc[(r["initiative"] == "a") & r["item"].str.startswith("Q1.1"), "score"] = 5
    sw = benchmark(score(r, "cimbt", n_boot=0), n=1).strengths_weaknesses
    a = sw[sw["initiative"] == "a"].set_index("kind")
    assert a.loc["strength", "component"] == "1.1" and a.loc["weakness", "component"] == "3.5"
    assert a.loc["weakness", "gap_to_best"] == 2 and a.loc["weakness", "diff_to_peers"] == -2


def test_round_selection():
    r = pd.concat([ratings({"a": 2, "b": 3}, rnd=1), ratings({"a": 4}, rnd=2)])
    res = score(r, "cimbt", n_boot=0)
    latest = benchmark(res, level="overall").table.set_index("initiative")
    assert latest.loc["a", "round"] == 2 and latest.loc["a", "rank"] == 1
    r1 = benchmark(res, level="overall", round=1).table.set_index("initiative")
    assert r1.loc["b", "rank"] == 1
    assert len(benchmark(res, level="overall", round="all").table) == 3
    with pytest.raises(ParameterError, match="rounds present"):
        benchmark(res, round=5)


def test_change_between_rounds():
    r = pd.concat(
        [
            ratings({"a": 2}, n_raters=5, rnd=1, noise=1, seed=1),
            ratings({"a": 4}, n_raters=5, rnd=2, noise=1, seed=2),
        ]
    )
    ch = change(score(r, "cimbt", n_boot=200), level="overall").iloc[0]
    assert ch["round_from"] == 1 and ch["round_to"] == 2
    assert ch["change"] == pytest.approx(ch["score_to"] - ch["score_from"])
    assert ch["direction"] == "up" and ch["ci_low"] > 0
    flat = pd.concat([ratings({"a": 3}, rnd=1), ratings({"a": 3}, rnd=2)])
    assert change(score(flat, "cimbt", n_boot=0))["direction"].eq("unchanged").all()


def test_weakest_components_carry_their_questions():
    r = ratings({"a": 4})
    r.loc[r["item"].str.startswith("Q3.4"), "score"] = 1
    w = weakest_components(score(r, "cimbt", n_boot=0), n=1)
    assert set(w["component"]) == {"3.4"} and list(w["item"]) == ["Q3.4.a", "Q3.4.b"]
    assert w["question"].str.len().gt(20).all()
    bf = weakest_components(score(load_demo("ratings"), "bigfive", n_boot=0), n=1)
    assert {"question", "next_stage"} <= set(bf.columns)


def test_insight_execution_correlation():
    levels = {f"i{k}": k for k in range(1, 5)}
    r = ratings(levels)
    with pytest.warns(EstimationWarning, match="fragile"):
        out = insight_execution_correlation(score(r, "cimbt", n_boot=0))
    assert out.loc[0, "rho"] == pytest.approx(1.0) and out.loc[0, "n_initiatives"] == 4
    # every initiative at the same level: no ranking, rho undefined (NaN), said so
    same = ratings({"a": 3, "b": 3, "c": 3})
    with (
        pytest.warns(EstimationWarning, match="undefined"),
        pytest.warns(EstimationWarning, match="fragile"),
    ):
        out = insight_execution_correlation(score(same, "cimbt", n_boot=0))
    assert np.isnan(out.loc[0, "rho"]) and "undefined" in out.loc[0, "note"]


def test_rating_form_round_trip(tmp_path):
    """A filled form goes through the lead's file reader and into score()."""
    from clusterlab import io

    form = rating_form(
        "cimbt",
        "northport_maritime",
        raters=["R1", "R2"],
        rater_roles=["manager", "external_evaluator"],
        round=2,
        output_dir=tmp_path,
    )
    csv, xlsx = rating_form_paths("cimbt", "northport_maritime", round=2, output_dir=tmp_path)
    assert csv == tmp_path / "northport_maritime_cimbt_round2.csv" and xlsx.suffix == ".xlsx"
    assert csv.is_file() and xlsx.is_file()
    assert form.attrs["paths"] == [str(csv), str(xlsx)]  # the old access, one release
    assert rating_form_paths("cimbt", "northport_maritime", output_dir=tmp_path, excel=False) == [
        tmp_path / "northport_maritime_cimbt_round1.csv"
    ]
    with pd.ExcelFile(xlsx) as book:  # closed: no ResourceWarning
        assert set(book.sheet_names) == {"ratings", "instructions", "anchors"}
    filled = pd.read_csv(csv)
    filled["score"] = [4 if k % 2 else 3 for k in range(len(filled))]
    filled.loc[0, "score"] = np.nan
    filled["non_rating"] = filled["non_rating"].astype(object)
    filled.loc[0, "non_rating"] = "dk"
    filled.to_csv(csv, index=False)
    table = io.read(csv, "ratings")
    res = score(table, "cimbt", n_boot=0)
    assert res.overall["round"].item() == 2 and res.overall["status"].item() == "scored"
    assert res.questions.set_index("item").loc["Q1.1.a", "n_raters"] == 1
    with pytest.raises(ParameterError):
        rating_form("cimbt", "x", raters=["a", "a"])
    with pytest.raises(ParameterError, match="initiative"):
        rating_form_paths("cimbt", " ", output_dir=tmp_path)
