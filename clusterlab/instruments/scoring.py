"""Scoring ratings with an instrument: per question, component, area and overall, with coverage
rules and bootstrap confidence intervals that resample raters.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.instruments import load_instrument, score
>>> ratings = pd.DataFrame({
...     "initiative": "demo", "rater": ["r1"] * 3 + ["r2"] * 3,
...     "item": ["Q1.1.a", "Q1.1.b", "Q1.1.c"] * 2, "score": [4, 3, 2, 5, 3, "dk"]})
>>> res = score(ratings, load_instrument("cimbt"), n_boot=0)
>>> res.questions[["item", "mean", "n_raters", "coverage"]].head(3).values.tolist()
[['Q1.1.a', 4.5, 2, 1.0], ['Q1.1.b', 3.0, 2, 1.0], ['Q1.1.c', 2.0, 1, 0.5]]
>>> res.components.loc[res.components["component"] == "1.1", "mean"].item()
3.1666666666666665
>>> res.components.loc[res.components["component"] == "1.2", "status"].item()
'insufficient'
"""

from __future__ import annotations

import warnings
import zlib
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from clusterlab._deprecate import renamed_arguments
from clusterlab._validation import check_choice
from clusterlab.errors import ParameterError

from . import engine
from .definition import Instrument, load_instrument
from .ratings import check_ratings

__all__ = ["Scores", "score", "LEVELS", "ID_COLUMNS"]

LEVELS = ("question", "component", "area", "overall")
#: id column of each level's table
ID_COLUMNS = {"question": "item", "component": "component", "area": "area", "overall": "overall"}
_TABLES = {
    "question": "questions",
    "component": "components",
    "area": "areas",
    "overall": "overall",
}


@dataclass(frozen=True)
class Scores:
    """Result of :func:`score`: one table per level, intervals and the settings used.

    Every parameter is also an attribute of the same name.

    Parameters
    ----------
    instrument : Instrument
        The instrument the ratings were scored with.
    questions, components, areas, overall : pandas.DataFrame
        One row per initiative × round × unit with ``initiative, round, instrument, level``,
        the level's id column (``item``/``component``/``area``/``overall``), ``score`` (the
        instrument's primary statistic: the mean for rubrics, the lower-median stage for stage
        instruments), ``mean``, ``median``, ``n_raters``, ``n_answered``, ``n_expected``,
        ``coverage``, ``status`` (``scored``/``insufficient``/``not_applicable``), ``ci_low``,
        ``ci_high`` and level-specific extras (names, bands, stages, rater spread …).
    insight_execution : pandas.DataFrame or None, default None
        Per initiative × round, the instrument's chart axes (CIMBT: Insight & Strategy against
        the combined buy-in + execution score) with intervals, or ``None``.
    replicates : dict of pandas.DataFrame, default {}
        Per level, bootstrap replicates of ``score`` (rows = initiative × round × unit,
        columns = replicates); empty when no interval could be computed.
    settings : dict, default {}
        Arguments used (n_boot, alpha, seed, evidence, weights, coverage thresholds).

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> res = score(load_demo("ratings"), "cimbt", n_boot=0)
    >>> list(res.summary().columns[:5])
    ['initiative', 'round', 'score', 'ci_low', 'ci_high']
    >>> res.level("area").equals(res.areas)
    True
    >>> sorted(res.axis_labels)
    ['x', 'y']
    """

    instrument: Instrument
    questions: pd.DataFrame
    components: pd.DataFrame
    areas: pd.DataFrame
    overall: pd.DataFrame
    insight_execution: pd.DataFrame | None = None
    replicates: dict = field(default_factory=dict, repr=False)
    settings: dict = field(default_factory=dict)

    @property
    def axis_labels(self) -> dict[str, str] | None:
        """Labels of the ``insight`` (x) and ``execution`` (y) axes of ``insight_execution``.

        ``{"x": ..., "y": ...}`` from the instrument's ``chart_axes``, or ``None`` when it has
        none; pass them to :func:`clusterlab.plots.instruments.insight_execution_scatter`
        (``axis_labels=``). (``insight_execution.attrs`` still holds ``x_label`` and
        ``y_label`` for one release, deprecated: pandas drops ``attrs`` on copies.)

        Returns
        -------
        dict or None
            ``{"x": label, "y": label}``.
        """
        axes = self.instrument.config.get("chart_axes")
        if not axes:
            return None
        return {k: axes[k].get("label", k) for k in ("x", "y")}

    def level(self, name: str) -> pd.DataFrame:
        """The table of one level (``question``, ``component``, ``area`` or ``overall``).

        Parameters
        ----------
        name : {"question", "component", "area", "overall"}
            The level.

        Returns
        -------
        pandas.DataFrame
            The level's table (see the class parameters).
        """
        check_choice(name, LEVELS, argument="level")
        return getattr(self, _TABLES[name])

    def summary(self) -> pd.DataFrame:
        """Overall and area scores side by side, one row per initiative × round.

        Returns
        -------
        pandas.DataFrame
            ``initiative, round, score, ci_low, ci_high, coverage, status`` of the overall
            score and ``score_<area>`` per area.
        """
        wide = self.areas.pivot_table(
            index=["initiative", "round"], columns="area", values="score", dropna=False
        )
        wide.columns = [f"score_{c}" for c in wide.columns]
        out = self.overall[
            ["initiative", "round", "score", "ci_low", "ci_high", "coverage", "status"]
        ].set_index(["initiative", "round"])
        return out.join(wide).reset_index()


def _weights(inst: Instrument, weights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q = inst.questions.set_index("item")["weight"].astype(float).copy()
    c = inst.components.set_index("component")["weight"].astype(float).copy()
    a = inst.areas.set_index("area")["weight"].astype(float).copy()
    if weights is not None:
        if isinstance(weights, pd.DataFrame):
            if not {"id", "weight"} <= set(weights.columns):
                raise ParameterError("weights table needs columns 'id' and 'weight'")
            weights = dict(zip(weights["id"].astype(str), weights["weight"], strict=True))
        if not isinstance(weights, dict):
            raise ParameterError("weights must be a dict {id: weight} or a DataFrame (id, weight)")
        for key, w in weights.items():
            if not isinstance(w, (int, float, np.number)) or isinstance(w, bool) or not w > 0:
                raise ParameterError(f"weights[{key!r}]={w!r}: expected a positive number")
            key = str(key)
            for table in (q, c, a):
                if key in table.index:
                    table[key] = float(w)
                    break
            else:
                raise ParameterError(
                    f"weights: {key!r} is not an item, component or area of "
                    f"instrument {inst.name!r}"
                )
    return q.to_numpy(), c.to_numpy(), a.to_numpy()


def _thresholds(inst: Instrument, min_coverage) -> dict:
    thr = dict(inst.aggregation["min_coverage"])
    if min_coverage is None:
        return thr
    if isinstance(min_coverage, dict):
        for k, v in min_coverage.items():
            check_choice(k, LEVELS, argument="min_coverage key")
            thr[k] = v
    else:
        thr["component"] = min_coverage
    for k, v in thr.items():
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 1:
            raise ParameterError(f"min_coverage[{k!r}]={v!r}: expected a share between 0 and 1")
    return {k: float(v) for k, v in thr.items()}


def _structure(inst: Instrument, weights, min_coverage) -> engine.Structure:
    qw, cw, aw = _weights(inst, weights)
    comps = list(inst.components["component"])
    areas = list(inst.areas["area"])
    rules = {
        k: inst.aggregation[k]
        for k in ("raters", "question_to_component", "component_to_area", "area_to_overall")
    }
    return engine.Structure(
        items=list(inst.questions["item"]),
        components=comps,
        areas=areas,
        item_parent=np.array([comps.index(c) for c in inst.questions["component"]]),
        component_parent=np.array([areas.index(a) for a in inst.components["area"]]),
        item_weight=qw,
        component_weight=cw,
        area_weight=aw,
        rules=rules,
        thresholds=_thresholds(inst, min_coverage),
    )


def _group_seed(seed: int, initiative: str, rnd: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), zlib.crc32(str(initiative).encode()), int(rnd)])


@renamed_arguments(ci=("alpha", lambda ci: round(1 - ci, 12)))
def score(
    ratings: pd.DataFrame,
    instrument,
    *,
    weights=None,
    min_coverage=None,
    n_boot: int = 999,
    alpha: float = 0.05,
    seed: int = 20261124,
    evidence: str = "flag",
    roles=None,
    initiatives=None,
    **columns,
) -> Scores:
    r"""Score ratings with an instrument per initiative × round.

    Parameters
    ----------
    ratings : pandas.DataFrame
        Long format ``initiative, item, rater, score`` (+ ``round``, ``date``, ``evidence``,
        ``non_rating``, ``rater_role``, ``instrument``); see :func:`check_ratings`.
    instrument : str, path or Instrument
        ``"cimbt"``, ``"bigfive"`` or a user instrument file.
    weights : dict or DataFrame, optional
        ``{id: weight}`` for any item, component or area (overrides the file's ``weight:``).
        Weights act in the ``mean`` rule only; they are renormalised over the units present.
    min_coverage : float or dict, optional
        Share of a component's applicable questions that must be scored (float), or
        ``{level: share}`` for ``question``/``component``/``area``/``overall``. Defaults come
        from the instrument file (CIMBT: question 0.5, component 0.5, area 0.67, overall 0.67).
    n_boot : int
        Bootstrap replicates (raters resampled with replacement within initiative × round);
        0 switches intervals off.
    alpha : float, default 0.05
        Significance level: the percentile intervals cover ``1 - alpha`` (0.05 → 95 %).
        Replaces ``ci=0.95`` (still accepted for one release, with a
        :class:`~clusterlab.errors.ClusterlabFutureWarning`).
    seed : int
        Seed; each initiative × round gets its own stream, so results do not depend on which
        other initiatives are scored.
    evidence : {"flag", "cap"}
        Evidence rule for ratings at or above ``evidence_rule.min_score`` without an evidence
        note: ``"flag"`` counts them in ``n_unsupported``; ``"cap"`` also caps them at
        ``evidence_rule.cap`` before scoring.
    roles : list of str, optional
        Keep only raters with these ``rater_role`` values (e.g. leave out self-ratings).
    initiatives : list of str, optional
        Initiatives that must be present (error otherwise).
    **columns
        Column names passed to :func:`check_ratings` (``initiative=``, ``item=``, ``rater=``,
        ``score=``, ``round=`` …).

    Returns
    -------
    Scores

    Raises
    ------
    DataValidationError
        Bad ratings (see :func:`check_ratings`).
    ParameterError
        Bad weights, thresholds or options.

    Notes
    -----
    With raters :math:`r` and their ratings :math:`x_{rq}` of question :math:`q`:

    .. math::

        \bar x_q = \frac{1}{n_q}\sum_{r} x_{rq},\qquad
        \text{cov}_q = \frac{n_q}{m_q}

    where :math:`n_q` counts numeric ratings and :math:`m_q` the raters for whom the question
    applies (everyone in the round minus ``na`` answers; ``dk``/``missing`` stay in
    :math:`m_q`, so they lower coverage and are never scored as zero). A question is scored when
    :math:`\text{cov}_q` reaches the question threshold. A component is the weighted mean of its
    scored questions, :math:`\bar x_c = \sum_q w_q \bar x_q / \sum_q w_q`, when the share of
    its applicable questions that are scored reaches ``min_coverage``; otherwise it is
    ``insufficient`` and NaN. Areas combine components and the overall score combines areas the
    same way, so a component with three questions does not outweigh one with two. Stage
    instruments use the lower median of the raters' stages and the minimum across factors
    (non-compensatory). ``median`` applies the same roll-up to the per-question rater medians.

    Intervals: the raters of an initiative × round are resampled with replacement (all their
    answers together) ``n_boot`` times and the whole pipeline is recomputed; ``ci_low/ci_high``
    are percentiles. With fewer raters than ``aggregation.min_raters_ci`` (default 3) no interval
    is given (NaN): a bootstrap over one or two raters is meaningless.

    References
    ----------
    Efron B., Tibshirani R. (1993) An Introduction to the Bootstrap, ch. 13 (percentile
    intervals); Field C.A., Welsh A.H. (2007) Bootstrapping clustered data, JRSS B 69(3).

    Examples
    --------
    >>> from clusterlab.datasets import load_demo
    >>> res = score(load_demo("ratings"), "cimbt", n_boot=50)
    >>> sorted(res.overall.columns[:6])
    ['initiative', 'instrument', 'level', 'overall', 'round', 'score']
    >>> len(res.components) == 3 * 2 * 9
    True
    """
    inst = load_instrument(instrument)
    check_choice(evidence, ["flag", "cap"], argument="evidence")
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ParameterError(f"n_boot={n_boot!r}: expected a whole number >= 0")
    if not 0 < alpha < 1:
        raise ParameterError(
            f"alpha={alpha!r}: expected a level between 0 and 1 (0.05 for a 95 % interval)"
        )
    structure = _structure(inst, weights, min_coverage)
    tidy = check_ratings(ratings, inst, initiatives=initiatives, **columns)
    if roles is not None:
        tidy = tidy[tidy["rater_role"].isin(list(roles)).fillna(False).to_numpy(dtype=bool)]
        if tidy.empty:
            raise ParameterError(f"roles={roles!r}: no ratings by raters with these roles")
    rule = inst.config.get("evidence_rule") or {}
    tidy = tidy.copy()
    unsupported = np.zeros(len(tidy), dtype=bool)
    if rule:
        unsupported = ((tidy["value"] >= rule["min_score"]) & tidy["evidence"].isna()).to_numpy(
            dtype=bool
        )
        if evidence == "cap":
            tidy.loc[unsupported, "value"] = float(rule["cap"])
    tidy["unsupported"] = unsupported
    na_codes = set(inst.not_applicable)

    tables: dict[str, list[pd.DataFrame]] = {lvl: [] for lvl in LEVELS}
    reps: dict[str, list[pd.DataFrame]] = {lvl: [] for lvl in LEVELS}
    half = alpha / 2
    min_raters = inst.aggregation["min_raters_ci"]
    items = structure.items
    item_index = {it: i for i, it in enumerate(items)}
    for (ini, rnd), grp in tidy.groupby(["initiative", "round"], sort=True):
        raters = sorted(grp["rater"].unique())
        r_index = {r: i for i, r in enumerate(raters)}
        x = np.full((len(raters), len(items)), np.nan)
        app = np.ones_like(x, dtype=bool)
        flag = np.zeros_like(x, dtype=bool)
        ri = grp["rater"].map(r_index).to_numpy()
        ii = grp["item"].map(item_index).to_numpy()
        x[ri, ii] = grp["value"].to_numpy(dtype=float)
        app[ri, ii] = ~grp["code"].isin(na_codes).fillna(False).to_numpy(dtype=bool)
        flag[ri, ii] = grp["unsupported"].to_numpy(dtype=bool)
        point = engine.pipeline(x[None], app[None], structure)
        boot = None
        if n_boot > 0 and len(raters) >= min_raters:
            rng = _group_seed(seed, ini, rnd)
            idx = rng.integers(0, len(raters), size=(n_boot, len(raters)))
            boot = engine.pipeline(x[idx], app[idx], structure)
        for lvl in LEVELS:
            frame = _level_frame(lvl, point[lvl], boot, structure, x, app, flag, half)
            frame.insert(0, "initiative", ini)
            frame.insert(1, "round", int(rnd))
            tables[lvl].append(frame)
            if boot is not None:
                rep = pd.DataFrame(boot[lvl]["values"]["score"].T)
                rep.index = pd.MultiIndex.from_arrays(
                    [[ini] * len(frame), [int(rnd)] * len(frame), frame[ID_COLUMNS[lvl]]],
                    names=["initiative", "round", "id"],
                )
                reps[lvl].append(rep)
    out = {lvl: _decorate(pd.concat(tables[lvl], ignore_index=True), lvl, inst) for lvl in LEVELS}
    replicates = {lvl: (pd.concat(reps[lvl]) if reps[lvl] else pd.DataFrame()) for lvl in LEVELS}
    result = Scores(
        instrument=inst,
        questions=out["question"],
        components=out["component"],
        areas=out["area"],
        overall=out["overall"],
        replicates=replicates,
        settings={
            "n_boot": int(n_boot),
            "alpha": alpha,
            "seed": seed,
            "evidence": evidence,
            "weights": weights,
            "min_coverage": structure.thresholds,
            "roles": roles,
        },
    )
    return replace(result, insight_execution=_insight_execution(result, half))


def _ci(values: np.ndarray, half: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo = np.nanquantile(values, half, axis=0)
        hi = np.nanquantile(values, 1 - half, axis=0)
    return lo, hi


def _level_frame(lvl, res, boot, s: engine.Structure, x, app, flag, half) -> pd.DataFrame:
    ids = {"question": s.items, "component": s.components, "area": s.areas, "overall": ["overall"]}[
        lvl
    ]
    n = len(ids)
    item_parent = s.item_parent
    comp_area = s.component_parent[item_parent]
    members = {
        "question": [np.arange(len(s.items)) == i for i in range(n)],
        "component": [item_parent == c for c in range(n)],
        "area": [comp_area == a for a in range(n)],
        "overall": [np.ones(len(s.items), dtype=bool)],
    }[lvl]
    cnt = np.array([engine.counts(x, app, m) for m in members]).reshape(n, 3)
    status = np.where(
        res["ok"][0], "scored", np.where(res["applicable"][0], "insufficient", "not_applicable")
    )
    frame = pd.DataFrame(
        {
            ID_COLUMNS[lvl]: ids,
            "score": res["values"]["score"][0],
            "mean": res["values"]["mean"][0],
            "median": res["values"]["median"][0],
            "n_raters": cnt[:, 0],
            "n_answered": cnt[:, 1],
            "n_expected": cnt[:, 2],
            "coverage": res["coverage"][0],
            "status": status,
        }
    )
    if boot is not None:
        lo, hi = _ci(boot[lvl]["values"]["score"], half)
        frame["ci_low"] = np.where(frame["status"] == "scored", lo, np.nan)
        frame["ci_high"] = np.where(frame["status"] == "scored", hi, np.nan)
    else:
        frame["ci_low"] = np.nan
        frame["ci_high"] = np.nan
    if lvl == "question":
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame["sd"] = np.nanstd(x, axis=0, ddof=1)
            frame["min"] = np.nanmin(x, axis=0)
            frame["max"] = np.nanmax(x, axis=0)
        frame["n_na"] = (~app).sum(axis=0)
        frame["n_unsupported"] = flag.sum(axis=0)
    return frame


def _decorate(frame: pd.DataFrame, lvl: str, inst: Instrument) -> pd.DataFrame:
    frame.insert(2, "instrument", inst.name)
    frame.insert(3, "level", lvl)
    if lvl == "question":
        meta = inst.questions[["item", "component", "area", "text"]]
        frame = frame.merge(meta, on="item", how="left")
        frame["spread"] = frame["max"] - frame["min"]
        frame["disagreement"] = (frame["spread"] >= 2).fillna(False)
    elif lvl == "component":
        frame = frame.merge(
            inst.components[["component", "area", "name"]], on="component", how="left"
        )
    elif lvl == "area":
        frame = frame.merge(inst.areas[["area", "name"]], on="area", how="left")
    if inst.kind == "stages":
        labels = inst.stage_labels
        stage = np.floor(frame["score"] + 1e-9)
        frame["stage"] = pd.array(stage, dtype="Int64")
        frame["stage_label"] = frame["stage"].map(labels, na_action="ignore").astype("string")
        if lvl == "question":
            frame["factor"] = frame["item"]
    elif inst.config.get("bands"):
        frame["band"] = pd.array([inst.band(v) for v in frame["score"]], dtype="string")
    for col in ("n_raters", "n_answered", "n_expected"):
        frame[col] = frame[col].astype(int)
    return frame


def _insight_execution(res: Scores, half: float) -> pd.DataFrame | None:
    axes = res.instrument.config.get("chart_axes")
    if not axes:
        return None
    areas = res.areas.set_index(["initiative", "round", "area"])["score"]
    reps = res.replicates.get("area")
    rows = []
    keys = res.overall[["initiative", "round"]].itertuples(index=False)
    for ini, rnd in keys:
        row = {"initiative": ini, "round": rnd}
        draws: dict[str, np.ndarray | None] = {}
        for axis, col in (("x", "insight"), ("y", "execution")):
            ids = axes[axis]["areas"]
            vals = [areas.get((ini, rnd, a), np.nan) for a in ids]
            row[col] = float(np.mean(vals)) if not np.isnan(vals).any() else np.nan
            draws[col] = None
            if (
                reps is not None
                and not reps.empty
                and all((ini, rnd, a) in reps.index for a in ids)
            ):
                mean_draws = np.mean([reps.loc[(ini, rnd, a)].to_numpy() for a in ids], axis=0)
                draws[col] = mean_draws
                lo, hi = _ci(mean_draws[:, None], half)
                row[f"{col}_ci_low"], row[f"{col}_ci_high"] = (
                    (lo[0], hi[0]) if not np.isnan(row[col]) else (np.nan, np.nan)
                )
            else:
                row[f"{col}_ci_low"] = row[f"{col}_ci_high"] = np.nan
        row["gap"] = row["insight"] - row["execution"]
        d_insight, d_execution = draws["insight"], draws["execution"]
        if d_insight is not None and d_execution is not None and not np.isnan(row["gap"]):
            lo, hi = _ci((d_insight - d_execution)[:, None], half)
            row["gap_ci_low"], row["gap_ci_high"] = lo[0], hi[0]
        else:
            row["gap_ci_low"] = row["gap_ci_high"] = np.nan
        rows.append(row)
    out = pd.DataFrame(rows)
    # deprecated: attrs kept for one release for code that read them; use Scores.axis_labels
    out.attrs["x_label"] = axes["x"].get("label", "x")
    out.attrs["y_label"] = axes["y"].get("label", "y")
    return out
