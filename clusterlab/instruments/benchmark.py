"""Benchmarking initiatives against each other and over time, with bootstrap uncertainty.

Examples
--------
>>> from clusterlab.datasets import load_demo
>>> from clusterlab.instruments import benchmark, score
>>> bench = benchmark(score(load_demo("ratings"), "cimbt", n_boot=100), level="area")
>>> list(bench.table.columns[:6])
['initiative', 'round', 'area', 'name', 'score', 'ci_low']
>>> sorted(bench.table["rank"].unique().tolist())
[1, 2, 3]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from clusterlab._deprecate import renamed_arguments
from clusterlab._validation import check_choice
from clusterlab.errors import EstimationWarning, ParameterError

from .scoring import ID_COLUMNS, LEVELS, Scores

__all__ = [
    "Benchmark",
    "benchmark",
    "change",
    "weakest_components",
    "insight_execution_correlation",
]


def _ci_to_alpha(ci):
    """Old ``ci=0.95`` → ``alpha=0.05`` (``None`` stays ``None``: the level used in ``score``)."""
    return None if ci is None else round(1 - ci, 12)


def _alpha(res: Scores, alpha: float | None) -> float:
    if alpha is None:
        settings = res.settings
        alpha = settings.get("alpha", 1 - settings.get("ci", 0.95))
    if not 0 < alpha < 1:
        raise ParameterError(
            f"alpha={alpha!r}: expected a level between 0 and 1 (0.05 for a 95 % interval)"
        )
    return alpha


def _scores(obj) -> Scores:
    if not isinstance(obj, Scores):
        raise ParameterError("expected the result of clusterlab.instruments.score(...)")
    return obj


def _select_round(table: pd.DataFrame, round) -> pd.DataFrame:
    if round == "latest":
        latest = table.groupby("initiative")["round"].transform("max")
        return table[table["round"] == latest].assign(_group="latest")
    if round == "all":
        return table.assign(_group=table["round"].astype(str))
    if isinstance(round, (int, np.integer)):
        sub = table[table["round"] == round]
        if sub.empty:
            raise ParameterError(
                f"round={round}: no scores for this round; rounds present: "
                + ", ".join(map(str, sorted(table["round"].unique())))
            )
        return sub.assign(_group=str(round))
    raise ParameterError(f"round={round!r}: expected 'latest', 'all' or a round number")


def _replicates(res: Scores, level: str, sub: pd.DataFrame, idcol: str) -> np.ndarray:
    """Replicates of ``score`` aligned with ``sub`` rows; point score where none exist."""
    reps = res.replicates.get(level)
    b = res.settings.get("n_boot", 0) or 0
    point = sub["score"].to_numpy(float)
    if reps is None or reps.empty or b == 0:
        return point[:, None]
    keys = list(zip(sub["initiative"], sub["round"], sub[idcol], strict=True))
    out = np.repeat(point[:, None], b, axis=1)
    present = reps.index.isin(keys)
    lookup = reps[present]
    pos = {k: i for i, k in enumerate(lookup.index)}
    arr = lookup.to_numpy(float)
    for row, key in enumerate(keys):
        if key in pos and not np.isnan(point[row]):
            out[row] = arr[pos[key]]
    return out


@dataclass(frozen=True)
class Benchmark:
    """Result of :func:`benchmark`: ranks with intervals, and strengths and weaknesses.

    Every parameter is also an attribute of the same name.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per initiative × unit: ``initiative, round, <id>, name, score, ci_low, ci_high,
        rank, rank_low, rank_high, n_compared, best, best_initiative, gap_to_best, peer_median,
        diff_to_peers``.
    strengths_weaknesses : pandas.DataFrame
        ``initiative, round, kind, <id>, name, score, rank, gap_to_best, diff_to_peers`` — the
        ``n`` highest and lowest units per initiative, input for recommendations.
    level : {"question", "component", "area", "overall"}
        The level compared.

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> from clusterlab.instruments import score
    >>> b = benchmark(score(load_demo("ratings"), "cimbt", n_boot=0), level="area")
    >>> b.summary().shape
    (3, 3)
    """

    table: pd.DataFrame
    strengths_weaknesses: pd.DataFrame
    level: str

    def summary(self) -> pd.DataFrame:
        """Scores as an initiative × unit matrix (the benchmark heat map).

        Returns
        -------
        pandas.DataFrame
            Index ``initiative``, one column per unit of the level, values ``score``.
        """
        idcol = ID_COLUMNS[self.level]
        return self.table.pivot_table(
            index="initiative", columns=idcol, values="score", dropna=False
        )


@renamed_arguments(ci=("alpha", _ci_to_alpha))
def benchmark(
    scores: Scores,
    *,
    level: str = "component",
    round="latest",
    n: int = 2,
    alpha: float | None = None,
) -> Benchmark:
    r"""Compare initiatives: ranks with bootstrap rank intervals, gaps to the best performer,
    strengths and weaknesses.

    Parameters
    ----------
    scores : Scores
        Result of :func:`~clusterlab.instruments.score` for several initiatives.
    level : {"question", "component", "area", "overall"}
    round : "latest", "all" or int
        ``"latest"`` compares each initiative's most recent round; ``"all"`` ranks within each
        round; a number selects that round.
    n : int
        Number of strengths and of weaknesses listed per initiative.
    alpha : float, optional
        Significance level of the rank intervals (0.05 → 95 %; default: the ``alpha`` used in
        ``score``). Replaces ``ci=`` (still accepted for one release, with a warning).

    Returns
    -------
    Benchmark

    Notes
    -----
    Rank 1 is the best score (ties share the lower rank). Rank intervals: in each bootstrap
    replicate the initiatives are ranked on their replicate scores (raters resampled
    independently per initiative), and the interval is the percentile range of those ranks.
    An initiative scored without an interval (too few raters) enters every replicate with its
    point score. ``gap_to_best`` = best score − own score (0 for the best);
    ``diff_to_peers`` = own score − median of the other initiatives.

    References
    ----------
    Goldstein H., Spiegelhalter D.J. (1996) League tables and their limitations. JRSS A 159(3):
    385-443 (rank intervals instead of bare league tables).

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> from clusterlab.instruments import score
    >>> b = benchmark(score(load_demo("ratings"), "cimbt", n_boot=100), level="overall")
    >>> t = b.table
    >>> bool(((t["rank_low"] <= t["rank"]) & (t["rank"] <= t["rank_high"])).all())
    True
    """
    res = _scores(scores)
    check_choice(level, LEVELS, argument="level")
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ParameterError(f"n={n!r}: expected a whole number >= 0")
    alpha = _alpha(res, alpha)
    idcol = ID_COLUMNS[level]
    table = _select_round(res.level(level), round)
    a = alpha / 2
    parts = []
    for _, sub in table.groupby(["_group", idcol], sort=False):
        sub = sub.copy()
        s = sub["score"].to_numpy(float)
        sub["rank"] = pd.Series(-s, index=sub.index).rank(method="min").astype("Int64")
        draws = _replicates(res, level, sub, idcol)
        ranks = pd.DataFrame(-draws).rank(axis=0, method="min").to_numpy(copy=True)
        ranks[np.isnan(s)] = np.nan
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            sub["rank_low"] = np.floor(np.nanquantile(ranks, a, axis=1))
            sub["rank_high"] = np.ceil(np.nanquantile(ranks, 1 - a, axis=1))
        sub["rank_low"] = np.minimum(sub["rank_low"], sub["rank"].astype(float))
        sub["rank_high"] = np.maximum(sub["rank_high"], sub["rank"].astype(float))
        scored = ~np.isnan(s)
        sub["n_compared"] = int(scored.sum())
        best = np.nanmax(s) if scored.any() else np.nan
        sub["best"] = best
        sub["best_initiative"] = ", ".join(sub.loc[scored & (s == best), "initiative"])
        sub["gap_to_best"] = best - s
        peers = []
        for i in range(len(s)):
            others = np.delete(s, i)
            others = others[~np.isnan(others)]
            peers.append(np.median(others) if len(others) else np.nan)
        sub["peer_median"] = peers
        sub["diff_to_peers"] = s - np.array(peers)
        parts.append(sub)
    out = pd.concat(parts, ignore_index=True)
    for col in ("rank_low", "rank_high"):
        out[col] = pd.array(np.where(np.isnan(out[col]), np.nan, out[col]), dtype="Float64").astype(
            "Int64"
        )
    name = ["name"] if "name" in out.columns else (["text"] if "text" in out.columns else [])
    cols = [
        "initiative",
        "round",
        idcol,
        *name,
        "score",
        "ci_low",
        "ci_high",
        "rank",
        "rank_low",
        "rank_high",
        "n_compared",
        "best",
        "best_initiative",
        "gap_to_best",
        "peer_median",
        "diff_to_peers",
    ]
    out = (
        out[cols]
        .rename(columns={"text": "name"})
        .sort_values(["round", idcol, "rank"], kind="stable")
        .reset_index(drop=True)
    )
    sw = []
    for (ini, rnd), g in out.dropna(subset=["score"]).groupby(["initiative", "round"]):
        g = g.sort_values(["score", "gap_to_best"], ascending=[False, True])
        for kind, part in (("strength", g.head(n)), ("weakness", g.tail(n).iloc[::-1])):
            for _, r in part.iterrows():
                sw.append(
                    {
                        "initiative": ini,
                        "round": rnd,
                        "kind": kind,
                        idcol: r[idcol],
                        "name": r.get("name", r[idcol]),
                        "score": r["score"],
                        "rank": r["rank"],
                        "gap_to_best": r["gap_to_best"],
                        "diff_to_peers": r["diff_to_peers"],
                    }
                )
    sw_cols = [
        "initiative",
        "round",
        "kind",
        idcol,
        "name",
        "score",
        "rank",
        "gap_to_best",
        "diff_to_peers",
    ]
    return Benchmark(table=out, strengths_weaknesses=pd.DataFrame(sw, columns=sw_cols), level=level)


@renamed_arguments(ci=("alpha", _ci_to_alpha))
def change(scores: Scores, *, level: str = "component", alpha: float | None = None) -> pd.DataFrame:
    r"""Change between consecutive rounds per initiative and unit, with a bootstrap interval.

    Parameters
    ----------
    scores : Scores
    level : {"question", "component", "area", "overall"}
    alpha : float, optional
        Significance level of the intervals (0.05 → 95 %; default: the ``alpha`` used in
        ``score``). Replaces ``ci=`` (still accepted for one release, with a warning).

    Returns
    -------
    pandas.DataFrame
        ``initiative, <id>, round_from, round_to, score_from, score_to, change, ci_low,
        ci_high, direction`` where ``direction`` is ``up``/``down`` when the interval excludes
        0, ``no clear change`` otherwise, and ``up (no interval)``/``down (no interval)``/
        ``unchanged`` when no interval could be computed.

    Notes
    -----
    :math:`\Delta = \hat\theta_{t} - \hat\theta_{t-1}`; its interval uses the percentiles of
    :math:`\theta^*_{t,b} - \theta^*_{t-1,b}` from rounds resampled independently. If the
    same raters rate both rounds and their ratings are positively correlated, this interval is
    conservative (too wide).

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> from clusterlab.instruments import score
    >>> ch = change(score(load_demo("ratings"), "cimbt", n_boot=100), level="overall")
    >>> ch[["round_from", "round_to"]].drop_duplicates().values.tolist()
    [[1, 2]]
    """
    res = _scores(scores)
    check_choice(level, LEVELS, argument="level")
    alpha = _alpha(res, alpha)
    a = alpha / 2
    idcol = ID_COLUMNS[level]
    table = res.level(level).sort_values(["initiative", idcol, "round"])
    draws = _replicates(res, level, table, idcol)
    has_reps = draws.shape[1] > 1
    rows = []
    positions = {
        k: i
        for i, k in enumerate(zip(table["initiative"], table[idcol], table["round"], strict=True))
    }
    for (ini, unit), g in table.groupby(["initiative", idcol], sort=False):
        rounds = g["round"].tolist()
        for r0, r1 in zip(rounds[:-1], rounds[1:], strict=True):
            i0, i1 = positions[(ini, unit, r0)], positions[(ini, unit, r1)]
            s0, s1 = table["score"].iloc[i0], table["score"].iloc[i1]
            delta = s1 - s0
            lo = hi = np.nan
            if has_reps and not np.isnan(delta):
                d = draws[i1] - draws[i0]
                if not np.allclose(d, d[0]):
                    lo, hi = np.nanquantile(d, a), np.nanquantile(d, 1 - a)
            if np.isnan(delta):
                direction = "not scored"
            elif np.isnan(lo):
                direction = (
                    "unchanged"
                    if delta == 0
                    else ("up" if delta > 0 else "down") + " (no interval)"
                )
            elif lo > 0:
                direction = "up"
            elif hi < 0:
                direction = "down"
            else:
                direction = "no clear change"
            rows.append(
                {
                    "initiative": ini,
                    idcol: unit,
                    "round_from": int(r0),
                    "round_to": int(r1),
                    "score_from": s0,
                    "score_to": s1,
                    "change": delta,
                    "ci_low": lo,
                    "ci_high": hi,
                    "direction": direction,
                }
            )
    cols = [
        "initiative",
        idcol,
        "round_from",
        "round_to",
        "score_from",
        "score_to",
        "change",
        "ci_low",
        "ci_high",
        "direction",
    ]
    return pd.DataFrame(rows, columns=cols)


def weakest_components(scores: Scores, *, n: int = 3, round="latest") -> pd.DataFrame:
    """The ``n`` weakest components (factors) per initiative with the questions behind them.

    Parameters
    ----------
    scores : Scores
    n : int
        Components per initiative.
    round : "latest", "all" or int

    Returns
    -------
    pandas.DataFrame
        ``initiative, round, component, name, component_score, number, question`` (+ ``item``
        and ``question_score`` for rubric instruments, whose questions are rated; for stage
        instruments the factor's guiding questions and the stage descriptor of the next stage).

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> from clusterlab.instruments import score
    >>> w = weakest_components(score(load_demo("ratings"), "cimbt", n_boot=0), n=1)
    >>> int(w.groupby("initiative")["component"].nunique().max())
    1
    """
    res = _scores(scores)
    inst = res.instrument
    comps = _select_round(res.components, round).dropna(subset=["score"])
    if inst.kind == "stages":  # factors already at the platform stage are not weaknesses
        comps = comps[comps["score"] < inst.config["platform_rule"]["stage"]]
    rows = []
    for (ini, rnd), g in comps.groupby(["initiative", "round"]):
        weakest = g.sort_values(["score", "component"]).head(n)
        for _, c in weakest.iterrows():
            base = {
                "initiative": ini,
                "round": rnd,
                "component": c["component"],
                "name": c["name"],
                "component_score": c["score"],
            }
            if inst.kind == "rubric":
                qs = res.questions[
                    (res.questions["initiative"] == ini)
                    & (res.questions["round"] == rnd)
                    & (res.questions["component"] == c["component"])
                ]
                for i, q in enumerate(qs.itertuples(index=False), start=1):
                    rows.append(
                        {
                            **base,
                            "number": i,
                            "item": q.item,
                            "question": q.text,
                            "question_score": q.score,
                        }
                    )
            else:
                gq = inst.guiding_questions[inst.guiding_questions["component"] == c["component"]]
                nxt = inst.anchors[
                    (inst.anchors["item"] == c["component"])
                    & (inst.anchors["level"] == int(c["stage"]) + 1)
                ]
                next_stage = nxt["label"].iloc[0] if len(nxt) else ""
                for q in gq.itertuples(index=False):
                    rows.append(
                        {**base, "number": q.number, "question": q.text, "next_stage": next_stage}
                    )
    columns = ["initiative", "round", "component", "name", "component_score", "number"] + (
        ["item", "question", "question_score"]
        if inst.kind == "rubric"
        else ["question", "next_stage"]
    )
    return pd.DataFrame(rows, columns=columns)  # the same columns when nothing is weak


@renamed_arguments(ci=("alpha", _ci_to_alpha))
def insight_execution_correlation(
    scores: Scores, *, round="latest", alpha: float | None = None
) -> pd.DataFrame:
    r"""Spearman correlation between the two chart axes across initiatives, with a bootstrap
    interval.

    Parameters
    ----------
    scores : Scores
        CIMBT (or any instrument with ``chart_axes``) scores of several initiatives.
    round : "latest" or int, default "latest"
        ``"latest"`` uses each initiative's most recent round; a number selects that round.
    alpha : float, optional
        Significance level of the interval (0.05 → 95 %; default: the ``alpha`` used in
        ``score``). Replaces ``ci=`` (still accepted for one release, with a warning).

    Returns
    -------
    pandas.DataFrame
        One row: ``rho, ci_low, ci_high, n_initiatives, note``. With fewer than 10 initiatives
        an :class:`~clusterlab.errors.EstimationWarning` says the correlation is fragile.

    Notes
    -----
    :math:`\rho_S` is computed on the initiatives' insight and execution scores; the interval
    takes the percentiles of :math:`\rho_S` recomputed on each bootstrap replicate of the area
    scores (raters resampled within initiatives, initiatives held fixed).

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> from clusterlab.instruments import score
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     out = insight_execution_correlation(score(load_demo("ratings"), "cimbt", n_boot=50))
    >>> int(out.loc[0, "n_initiatives"])
    3
    """
    res = _scores(scores)
    if res.insight_execution is None:
        raise ParameterError(f"instrument {res.instrument.name!r} has no chart_axes")
    alpha = _alpha(res, alpha)
    a = alpha / 2
    tab = _select_round(res.insight_execution.assign(score=0.0), round).dropna(
        subset=["insight", "execution"]
    )
    n = len(tab)
    note = ""
    if n < 10:
        note = f"only {n} initiatives: any correlation is fragile"
        warnings.warn(f"insight_execution_correlation: {note}", EstimationWarning, stacklevel=2)
    if n < 3:
        return pd.DataFrame(
            [
                {
                    "rho": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "n_initiatives": n,
                    "note": note or "fewer than 3 initiatives",
                }
            ]
        )
    constant = [c for c in ("insight", "execution") if tab[c].nunique() < 2]
    if constant:  # a rank correlation is undefined (scipy warns and returns NaN)
        why = f"{' and '.join(constant)} is the same for every initiative: rho is undefined"
        warnings.warn(f"insight_execution_correlation: {why}", EstimationWarning, stacklevel=2)
        note = f"{note}; {why}" if note else why
        rho = np.nan
    else:
        rho = stats.spearmanr(tab["insight"], tab["execution"]).statistic
    axes = res.instrument.config["chart_axes"]
    draws = {}
    areas = res.areas
    for col, axis in (("insight", "x"), ("execution", "y")):
        per_area = []
        for area in axes[axis]["areas"]:
            sub = (
                areas[areas["area"] == area]
                .set_index(["initiative", "round"])
                .loc[list(zip(tab["initiative"], tab["round"], strict=True))]
                .reset_index()
            )
            sub = sub.rename(columns={"area": "id"})
            per_area.append(_replicates(res, "area", sub.rename(columns={"id": "area"}), "area"))
        draws[col] = np.mean(per_area, axis=0)
    lo = hi = np.nan
    if draws["insight"].shape[1] > 1:
        with warnings.catch_warnings():
            # a bootstrap draw in which every initiative has the same insight (or execution)
            # score: its correlation is undefined (NaN) and left out by nanquantile below
            warnings.filterwarnings(
                "ignore", message="An input array is constant", category=stats.ConstantInputWarning
            )
            rhos = np.array(
                [
                    stats.spearmanr(draws["insight"][:, b], draws["execution"][:, b]).statistic
                    for b in range(draws["insight"].shape[1])
                ]
            )
        lo, hi = np.nanquantile(rhos, a), np.nanquantile(rhos, 1 - a)
    return pd.DataFrame(
        [{"rho": float(rho), "ci_low": lo, "ci_high": hi, "n_initiatives": n, "note": note}]
    )
