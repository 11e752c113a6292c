"""Indicator catalogues: which indicators a scorecard has, where their values come from, how
company values combine into a cluster value, and the targets they are judged against.

A catalogue is a YAML file (schema ``clusterlab-catalogue/1``: perspectives → optional groups →
indicators) or a flat CSV/Excel table with one row per indicator. Both are validated and
normalised into three tables held by a :class:`Catalogue`:

``indicators``
    ``indicator, name, perspective, group, source, unit, direction, frequency, aggregation,
    weight_by, formula, target, baseline, baseline_period, tolerance, diamond``
``targets``
    ``indicator, period, target`` — period-specific targets (``period`` missing = every period)
``perspectives``
    ``perspective, name, order, description``

Three default catalogues ship with clusterlab (our own wording; see ``docs/scorecard.md``):
``four_perspectives``, ``balanced_scorecard`` and ``ten_factors``.

Examples
--------
>>> from clusterlab.scorecard import load_catalogue, builtin_catalogues
>>> builtin_catalogues()
['balanced_scorecard', 'four_perspectives', 'ten_factors']
>>> cat = load_catalogue("four_perspectives")
>>> cat.perspectives["perspective"].tolist()
['economic_social', 'firm_performance', 'collective_efficiency', 'social_capital']
>>> ind = cat.indicators.set_index("indicator")
>>> ind.loc["labour_productivity", ["source", "weight_by"]].tolist()
['company', 'employment']
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from clusterlab._validation import problem_frame
from clusterlab._yaml import read_yaml
from clusterlab.errors import DataValidationError, ParameterError
from clusterlab.scorecard.periods import FREQUENCIES, parse_period

__all__ = [
    "Catalogue",
    "load_catalogue",
    "builtin_catalogues",
    "catalogue_problems",
    "combine_catalogues",
    "SOURCES",
    "DIRECTIONS",
    "COMPANY_AGGREGATIONS",
    "DIAMOND_CORNERS",
    "SCHEMA_ID",
    "INDICATOR_COLUMNS",
]

SCHEMA_ID = "clusterlab-catalogue/1"
#: Where an indicator's values come from.
SOURCES = ("company", "governance", "external")
#: Which way is better.
DIRECTIONS = ("higher", "lower")
#: How the values of several companies combine into one cluster value.
COMPANY_AGGREGATIONS = ("mean", "median", "sum")
#: Corners of Porter's diamond an indicator may be tagged with (for the diamond profile).
DIAMOND_CORNERS = (
    "factor_conditions",
    "demand_conditions",
    "related_supporting",
    "strategy_rivalry",
)
#: Columns of :attr:`Catalogue.indicators`, in order.
INDICATOR_COLUMNS = [
    "indicator",
    "name",
    "perspective",
    "group",
    "source",
    "unit",
    "direction",
    "frequency",
    "aggregation",
    "weight_by",
    "formula",
    "target",
    "baseline",
    "baseline_period",
    "tolerance",
    "diamond",
]
_TEXT_COLUMNS = [
    "indicator",
    "name",
    "perspective",
    "group",
    "source",
    "unit",
    "direction",
    "frequency",
    "aggregation",
    "weight_by",
    "formula",
    "baseline_period",
    "diamond",
]
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")
_DATA = "data"


@cache
def _builtin_doc(name: str) -> dict:
    res = resources.files("clusterlab.scorecard") / _DATA / f"{name}.yaml"
    return yaml.safe_load(res.read_text())


def builtin_catalogues() -> list[str]:
    """Names of the catalogues shipped with clusterlab.

    Returns
    -------
    list of str
        Catalogue names that :func:`load_catalogue` accepts.

    Examples
    --------
    >>> {"four_perspectives", "ten_factors"} <= set(builtin_catalogues())
    True
    """
    folder = resources.files("clusterlab.scorecard") / _DATA
    return sorted(
        p.name.removesuffix(".yaml")
        for p in folder.iterdir()
        if p.name.endswith(".yaml") and not p.name.startswith("demo_")
    )


@dataclass(frozen=True)
class Catalogue:
    """A validated indicator catalogue.

    Parameters
    ----------
    name : str
        Catalogue id (``four_perspectives`` …).
    title : str
        Human-readable title.
    version : str
        Version of the catalogue.
    provenance : str
        Where the indicators and their wording come from.
    indicators : pandas.DataFrame
        One row per indicator (columns :data:`INDICATOR_COLUMNS`).
    targets : pandas.DataFrame
        ``indicator, period, target``: period-specific targets; the scalar ``target`` of
        ``indicators`` applies to periods not listed here.
    perspectives : pandas.DataFrame
        ``perspective, name, order, description``.

    Examples
    --------
    >>> cat = load_catalogue("four_perspectives")
    >>> cat.name, "rd_intensity" in cat.ids
    ('four_perspectives', True)
    """

    name: str
    title: str
    version: str
    provenance: str
    indicators: pd.DataFrame
    targets: pd.DataFrame
    perspectives: pd.DataFrame

    @property
    def ids(self) -> list[str]:
        """Indicator ids in catalogue order."""
        return self.indicators["indicator"].tolist()

    def info(self, indicator: str) -> pd.Series:
        """The catalogue row of one indicator (a :class:`ParameterError` if unknown)."""
        rows = self.indicators.loc[self.indicators["indicator"] == indicator]
        if rows.empty:
            raise ParameterError(f"indicator {indicator!r} is not in catalogue {self.name!r}")
        return rows.iloc[0]

    def summary(self) -> pd.DataFrame:
        """Indicators per perspective and data source (``perspective, name, company,
        governance, external, with_target``)."""
        ind = self.indicators
        counts = pd.crosstab(ind["perspective"], ind["source"]).reindex(
            columns=list(SOURCES), fill_value=0
        )
        has_target = (
            ind.assign(t=ind["target"].notna() | ind["indicator"].isin(self.targets["indicator"]))
            .groupby("perspective")["t"]
            .sum()
        )
        out = self.perspectives[["perspective", "name"]].merge(
            counts.reset_index(), on="perspective", how="left"
        )
        out["with_target"] = out["perspective"].map(has_target).fillna(0).astype(int)
        for col in SOURCES:
            out[col] = out[col].fillna(0).astype(int)
        return out

    def with_targets(self, targets: Mapping[str, float | Mapping]) -> Catalogue:
        """A copy with targets replaced: ``{indicator: value}`` or ``{indicator: {period:
        value}}`` (checked like the file: known indicator, numeric, direction-consistent).

        Examples
        --------
        >>> cat = load_catalogue("four_perspectives").with_targets({"members": 40})
        >>> float(cat.info("members")["target"])
        40.0
        """
        if not isinstance(targets, Mapping):
            raise ParameterError("targets must be a mapping {indicator: value or {period: value}}")
        ind = self.indicators.copy()
        ind["target"] = ind["target"].astype(object)  # validated below, like a file
        tg = self.targets.copy()
        unknown = [k for k in targets if k not in set(ind["indicator"])]
        if unknown:
            raise ParameterError(
                f"targets for unknown indicator(s) {unknown}; catalogue "
                f"{self.name!r} has: {', '.join(self.ids)}"
            )
        new_rows = []
        for key, value in targets.items():
            if isinstance(value, Mapping):
                tg = tg.loc[tg["indicator"] != key]
                new_rows += [
                    {"indicator": key, "period": str(p), "target": v} for p, v in value.items()
                ]
            else:
                ind.loc[ind["indicator"] == key, "target"] = value
        if new_rows:
            tg = pd.concat(
                [tg.astype({"target": object}), pd.DataFrame(new_rows).astype({"target": object})],
                ignore_index=True,
            )
        ind, tg = _normalise(ind, tg, file=f"targets for {self.name}")
        return replace(self, indicators=ind, targets=tg)

    def target_for(self, indicator: str, period) -> float:
        """The target that applies to ``indicator`` in ``period`` (NaN when none)."""
        label = parse_period(period).label
        rows = self.targets.loc[
            (self.targets["indicator"] == indicator) & (self.targets["period"] == label), "target"
        ]
        if not rows.empty:
            return float(rows.iloc[0])
        return float(self.info(indicator)["target"])

    def to_frame(self) -> pd.DataFrame:
        """The flat one-row-per-indicator form (as in a catalogue CSV; ``targets`` column
        as ``period:value;…``)."""
        out = self.indicators.copy()
        per: dict[str, list[str]] = {}
        for r in self.targets.dropna(subset=["period"]).itertuples():
            per.setdefault(r.indicator, []).append(f"{r.period}:{_fmt(r.target)}")
        per_text = {k: ";".join(v) for k, v in per.items()}
        out["targets"] = [per_text.get(i, "") for i in out["indicator"]]
        return out


def _fmt(x) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _blank(v) -> bool:
    return (
        v is None
        or (isinstance(v, float) and math.isnan(v))
        or (isinstance(v, str) and v.strip() == "")
        or v is pd.NA
    )


def _from_yaml_dict(doc: dict, file: str) -> tuple[dict, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    problems: list[dict] = []
    if not isinstance(doc, dict):
        raise DataValidationError(
            f"{file}: not a catalogue mapping",
            problem_frame(
                [
                    {
                        "file": file,
                        "expected": "a YAML mapping with 'perspectives'",
                        "found": type(doc).__name__,
                    }
                ]
            ),
        )
    schema = doc.get("schema", SCHEMA_ID)
    if schema != SCHEMA_ID:
        problems.append(
            {"file": file, "column": "schema", "expected": SCHEMA_ID, "found": str(schema)}
        )
    persps = doc.get("perspectives")
    if not isinstance(persps, list) or not persps:
        problems.append(
            {
                "file": file,
                "column": "perspectives",
                "expected": "a non-empty list of perspectives",
                "found": str(persps),
            }
        )
        raise DataValidationError(f"{file}: catalogue has no perspectives", problem_frame(problems))
    prow: list[dict[str, object]] = []
    irow: list[dict[str, object]] = []
    trow: list[dict[str, object]] = []
    for order, p in enumerate(persps, start=1):
        if not isinstance(p, dict) or _blank(p.get("id")):
            problems.append(
                {
                    "file": file,
                    "row": order,
                    "column": "perspectives.id",
                    "expected": "a perspective with an id",
                    "found": str(p)[:60],
                }
            )
            continue
        prow.append(
            {
                "perspective": str(p["id"]),
                "name": str(p.get("name", p["id"])),
                "order": order,
                "description": str(p.get("description", "")).strip(),
            }
        )
        groups = p.get("groups") or [{"id": None, "indicators": p.get("indicators") or []}]
        for g in groups:
            for item in g.get("indicators") or []:
                if not isinstance(item, dict):
                    problems.append(
                        {
                            "file": file,
                            "column": "indicators",
                            "expected": "a mapping per indicator",
                            "found": str(item),
                        }
                    )
                    continue
                row = {k: item.get(k) for k in INDICATOR_COLUMNS if k != "indicator"}
                row["indicator"] = item.get("id", item.get("indicator"))
                row["perspective"] = str(p["id"])
                row["group"] = g.get("name") or g.get("id") if g.get("id") else item.get("group")
                extra = set(item) - set(INDICATOR_COLUMNS) - {"id", "targets"}
                for key in sorted(extra):
                    problems.append(
                        {
                            "file": file,
                            "row": len(irow) + 1,
                            "column": key,
                            "expected": "a known indicator field ("
                            + ", ".join(INDICATOR_COLUMNS[1:])
                            + ", targets)",
                            "found": "unknown field",
                        }
                    )
                irow.append(row)
                for period, value in (item.get("targets") or {}).items():
                    trow.append({"indicator": row["indicator"], "period": period, "target": value})
    if problems:
        raise DataValidationError(
            f"{file}: {len(problems)} problem(s) in the catalogue", problem_frame(problems)
        )
    meta = {
        "name": str(doc.get("catalogue", Path(file).stem)),
        "title": str(doc.get("title", "")),
        "version": str(doc.get("version", "")),
        "provenance": str(doc.get("provenance", "")).strip(),
    }
    return (
        meta,
        pd.DataFrame(irow),
        pd.DataFrame(trow, columns=["indicator", "period", "target"]),
        pd.DataFrame(prow),
    )


def _from_flat(frame: pd.DataFrame, file: str):
    if "indicator" not in frame.columns and "id" in frame.columns:
        frame = frame.rename(columns={"id": "indicator"})
    unknown = [c for c in frame.columns if c not in INDICATOR_COLUMNS + ["targets"]]
    if unknown:
        raise DataValidationError(
            f"{file}: unknown catalogue column(s) {unknown}",
            problem_frame(
                [
                    {
                        "file": file,
                        "column": c,
                        "expected": "one of " + ", ".join(INDICATOR_COLUMNS) + ", targets",
                        "found": "unknown column",
                    }
                    for c in unknown
                ]
            ),
        )
    trow, problems = [], []
    if "targets" in frame.columns:
        for pos, (ind, spec) in enumerate(
            zip(frame.get("indicator", pd.Series(dtype=object)), frame["targets"], strict=False)
        ):
            if _blank(spec):
                continue
            for part in str(spec).split(";"):
                if not part.strip():
                    continue
                if ":" not in part:
                    problems.append(
                        {
                            "file": file,
                            "row": pos + 1,
                            "column": "targets",
                            "expected": "period:value;period:value",
                            "found": part,
                        }
                    )
                    continue
                period, value = part.split(":", 1)
                trow.append({"indicator": ind, "period": period.strip(), "target": value.strip()})
        frame = frame.drop(columns="targets")
    if problems:
        raise DataValidationError(f"{file}: unreadable targets", problem_frame(problems))
    order = (
        list(dict.fromkeys(frame["perspective"].dropna().astype(str)))
        if "perspective" in frame.columns
        else []
    )
    persp = pd.DataFrame(
        {"perspective": order, "name": order, "order": range(1, len(order) + 1), "description": ""}
    )
    meta = {"name": Path(file).stem, "title": "", "version": "", "provenance": ""}
    return meta, frame.copy(), pd.DataFrame(trow, columns=["indicator", "period", "target"]), persp


def catalogue_problems(
    indicators: pd.DataFrame, targets: pd.DataFrame, *, file: str = "catalogue"
) -> pd.DataFrame:
    """Every problem of a catalogue's indicator and target tables (empty when valid).

    Checks: ids present, well-formed and unique; perspective present; ``source``,
    ``direction``, ``frequency``, ``aggregation`` and ``diamond`` from their lists;
    ``weight_by`` only on company indicators aggregated by ``mean``; targets, baselines and
    tolerances numeric (tolerance >= 0); target periods readable and of the indicator's
    frequency; and targets that point the *wrong way* — for a higher-is-better indicator a
    target below its baseline or period targets that fall over time (the reverse for
    lower-is-better).
    """
    problems: list[dict] = []
    ind = indicators.reset_index(drop=True)

    def add(pos, col, expected, found):
        problems.append(
            {
                "file": file,
                "row": None if pos is None else pos + 1,
                "column": col,
                "expected": expected,
                "found": str(found),
            }
        )

    seen: set[str] = set()
    for pos, r in ind.iterrows():
        iid = r.get("indicator")
        if _blank(iid) or not _ID.match(str(iid)):
            add(pos, "indicator", "an id (letters, digits, _ . -)", iid)
        elif str(iid) in seen:
            add(pos, "indicator", "a unique id", f"duplicate {iid}")
        seen.add(str(iid))
        if _blank(r.get("perspective")):
            add(pos, "perspective", "a perspective", "missing")
        src = r.get("source")
        if src not in SOURCES:
            add(pos, "source", " | ".join(SOURCES), src)
        if r.get("direction") not in DIRECTIONS:
            add(pos, "direction", " | ".join(DIRECTIONS), r.get("direction"))
        if r.get("frequency") not in FREQUENCIES:
            add(pos, "frequency", " | ".join(FREQUENCIES), r.get("frequency"))
        agg = r.get("aggregation")
        if src == "company" and agg not in COMPANY_AGGREGATIONS:
            add(
                pos,
                "aggregation",
                "for company indicators: " + " | ".join(COMPANY_AGGREGATIONS),
                agg,
            )
        if src in ("governance", "external") and agg != "value":
            add(pos, "aggregation", "'value' (governance/external values pass through)", agg)
        wb = r.get("weight_by")
        if not _blank(wb):
            if src != "company" or agg != "mean":
                add(pos, "weight_by", "empty unless a company indicator aggregated by 'mean'", wb)
            elif not _ID.match(str(wb)):
                add(pos, "weight_by", "a column name", wb)
        if not _blank(r.get("diamond")) and r.get("diamond") not in DIAMOND_CORNERS:
            add(pos, "diamond", " | ".join(DIAMOND_CORNERS) + " or empty", r.get("diamond"))
        for col in ("target", "baseline", "tolerance"):
            v = r.get(col)
            if not _blank(v) and not _is_number(v):
                add(pos, col, "a number or empty", v)
        if _is_number(r.get("tolerance")) and float(r.get("tolerance")) < 0:
            add(pos, "tolerance", ">= 0", r.get("tolerance"))
        if not _blank(r.get("baseline_period")):
            try:
                parse_period(r.get("baseline_period"))
            except DataValidationError:
                add(pos, "baseline_period", "a period label", r.get("baseline_period"))
        sign = 1 if r.get("direction") == "higher" else -1
        if (
            _is_number(r.get("target"))
            and _is_number(r.get("baseline"))
            and r.get("direction") in DIRECTIONS
            and sign * (float(r["target"]) - float(r["baseline"])) < 0
        ):
            add(
                pos,
                "target",
                f"a target {'at or above' if sign > 0 else 'at or below'} the "
                f"baseline {r['baseline']} ({r['direction']} is better)",
                f"{r['target']} for {iid}",
            )
    freq = dict(zip(ind.get("indicator", []), ind.get("frequency", []), strict=False))
    direction = dict(zip(ind.get("indicator", []), ind.get("direction", []), strict=False))
    baseline = dict(zip(ind.get("indicator", []), ind.get("baseline", []), strict=False))
    tg = targets.reset_index(drop=True)
    parsed = []
    for pos, r in tg.iterrows():
        iid = r["indicator"]
        if iid not in freq:
            add(pos, "targets.indicator", "an indicator of this catalogue", iid)
            continue
        if not _is_number(r["target"]):
            add(pos, "targets.target", "a number", f"{r['target']} for {iid}")
            continue
        try:
            p = parse_period(r["period"])
        except DataValidationError:
            add(pos, "targets.period", "a period label", f"{r['period']} for {iid}")
            continue
        if freq[iid] in FREQUENCIES and p.frequency != freq[iid]:
            add(pos, "targets.period", f"a {freq[iid]} period", f"{p.label} for {iid}")
            continue
        parsed.append((iid, p.key, p.label, float(r["target"])))
    for iid, rows in pd.DataFrame(parsed, columns=["i", "k", "p", "t"]).groupby("i"):
        if direction.get(iid) not in DIRECTIONS:
            continue
        sign = 1 if direction[iid] == "higher" else -1
        rows = rows.sort_values("k")
        steps = sign * rows["t"].diff().dropna()
        if (steps < 0).any():
            bad = rows["p"].iloc[1:][(steps < 0).to_numpy()].tolist()
            add(
                None,
                "targets",
                f"period targets moving the {direction[iid]}-is-better way over time",
                f"{iid}: target falls back at {', '.join(bad)}"
                if sign > 0
                else f"{iid}: target rises at {', '.join(bad)}",
            )
        b = baseline.get(iid)
        if b is not None and _is_number(b) and (sign * (rows["t"] - float(b)) < 0).any():
            add(
                None,
                "targets",
                f"period targets on the better side of the baseline {b}",
                f"{iid}: {rows['t'].tolist()}",
            )
    return problem_frame(problems)


def _is_number(v) -> bool:
    """A finite number (or numeric text); booleans, blanks and infinities are not."""
    if _blank(v) or isinstance(v, bool | np.bool_):
        return False
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _normalise(ind: pd.DataFrame, tg: pd.DataFrame, *, file: str):
    ind = ind.copy()
    for col in INDICATOR_COLUMNS:
        if col not in ind.columns:
            ind[col] = None
    # defaults
    ind["frequency"] = ind["frequency"].where(~ind["frequency"].map(_blank), "annual")
    default_agg = ind["source"].map(lambda s: "mean" if s == "company" else "value")
    ind["aggregation"] = ind["aggregation"].where(~ind["aggregation"].map(_blank), default_agg)
    ind["name"] = ind["name"].where(~ind["name"].map(_blank), ind["indicator"])
    problems = catalogue_problems(ind, tg, file=file)
    if not problems.empty:
        raise DataValidationError(f"{file}: {len(problems)} problem(s) in the catalogue", problems)
    for col in _TEXT_COLUMNS:
        ind[col] = ind[col].map(lambda v: pd.NA if _blank(v) else str(v)).astype("string")
    for col in ("target", "baseline", "tolerance"):
        ind[col] = pd.to_numeric(
            ind[col].map(lambda v: None if _blank(v) else v), errors="coerce"
        ).astype(float)
    ind["baseline_period"] = (
        ind["baseline_period"]
        .map(lambda v: pd.NA if pd.isna(v) else parse_period(v).label)
        .astype("string")
    )
    tg = tg.copy()
    if not tg.empty:
        tg["period"] = tg["period"].map(lambda v: parse_period(v).label)
        tg["target"] = tg["target"].astype(float)
    tg = tg.astype({"indicator": "string", "period": "string"})
    tg["target"] = tg["target"].astype(float)
    if tg.duplicated(["indicator", "period"]).any():
        dup = tg.loc[tg.duplicated(["indicator", "period"], keep=False)]
        raise DataValidationError(
            f"{file}: a period has two targets",
            problem_frame(
                [
                    {
                        "file": file,
                        "column": "targets",
                        "expected": "one target per period",
                        "found": f"{r.indicator} {r.period}",
                    }
                    for r in dup.itertuples()
                ]
            ),
        )
    return ind[INDICATOR_COLUMNS].reset_index(drop=True), tg.reset_index(drop=True)


def load_catalogue(source="four_perspectives") -> Catalogue:
    """Load and validate an indicator catalogue.

    Parameters
    ----------
    source : str, path-like, pandas.DataFrame, dict or Catalogue
        A built-in name (:func:`builtin_catalogues`), a YAML/CSV/Excel file, a flat table
        with one row per indicator (columns :data:`INDICATOR_COLUMNS`, optional
        ``targets`` as ``period:value;…``), a parsed YAML mapping, or a Catalogue (returned
        as is).

    Returns
    -------
    Catalogue

    Raises
    ------
    DataValidationError
        With a problems table (file, row, column, expected, found) listing every problem.
    ParameterError
        For an unknown built-in name or file type.

    Examples
    --------
    >>> import pandas as pd
    >>> flat = pd.DataFrame({"indicator": ["members"], "perspective": ["process"],
    ...                      "source": ["governance"], "direction": ["higher"],
    ...                      "targets": ["2020:30;2021:35"]})
    >>> cat = load_catalogue(flat)
    >>> cat.target_for("members", 2021)
    35.0
    """
    if isinstance(source, Catalogue):
        return source
    if isinstance(source, pd.DataFrame):
        meta, ind, tg, persp = _from_flat(source, "catalogue")
        file = "catalogue"
    elif isinstance(source, Mapping):
        file = "catalogue"
        meta, ind, tg, persp = _from_yaml_dict(dict(source), file)
    elif isinstance(source, str | os.PathLike):
        text = str(source)
        path = Path(text)
        if text in builtin_catalogues():
            file = f"clusterlab/scorecard/data/{text}.yaml"
            meta, ind, tg, persp = _from_yaml_dict(_builtin_doc(text), file)
        elif path.suffix.lower() in (".yaml", ".yml", ".csv", ".xlsx"):
            if not path.exists():
                raise DataValidationError(
                    f"{path}: file not found",
                    problem_frame(
                        [
                            {
                                "file": str(path),
                                "expected": "an existing file",
                                "found": "no such file",
                            }
                        ]
                    ),
                )
            file = str(path)
            if path.suffix.lower() in (".yaml", ".yml"):
                doc = read_yaml(
                    path, error=DataValidationError, what="indicator catalogue", mapping=False
                )
                meta, ind, tg, persp = _from_yaml_dict(doc, file)
            else:
                frame = (
                    pd.read_csv(path, dtype=str, keep_default_na=False)
                    if path.suffix.lower() == ".csv"
                    else pd.read_excel(path, dtype=str)
                )
                meta, ind, tg, persp = _from_flat(frame, file)
        else:
            raise ParameterError(
                f"catalogue {text!r} is neither a built-in catalogue ("
                + ", ".join(builtin_catalogues())
                + ") nor a .yaml/.csv/.xlsx file"
            )
    else:
        raise ParameterError(f"cannot read a catalogue from {type(source).__name__}")
    ind, tg = _normalise(ind, tg, file=file)
    missing = sorted(set(ind["perspective"]) - set(persp["perspective"]))
    if missing:
        extra = pd.DataFrame(
            {
                "perspective": missing,
                "name": missing,
                "description": "",
                "order": range(len(persp) + 1, len(persp) + 1 + len(missing)),
            }
        )
        persp = pd.concat([persp, extra], ignore_index=True)
    persp = persp[["perspective", "name", "order", "description"]].reset_index(drop=True)
    return Catalogue(
        meta["name"], meta["title"], meta["version"], meta["provenance"], ind, tg, persp
    )


def combine_catalogues(*catalogues, name: str = "combined") -> Catalogue:
    """One catalogue holding the indicators of several (the first definition of an id wins).

    Useful to look up every indicator an actions register links to, whatever catalogue the
    scorecard itself uses.

    Parameters
    ----------
    *catalogues : str, path, DataFrame or Catalogue
        Catalogues as :func:`load_catalogue` reads them.
    name : str, default "combined"
        Name of the combined catalogue.

    Returns
    -------
    Catalogue
        Indicators, targets and perspectives of all of them.

    Examples
    --------
    >>> both = combine_catalogues("four_perspectives", "ten_factors")
    >>> len(both.ids), both.info("trust_score")["perspective"]
    (29, 'social_capital')
    """
    cats = [load_catalogue(c) for c in catalogues]
    if not cats:
        raise ParameterError("combine_catalogues needs at least one catalogue")
    ind = pd.concat([c.indicators for c in cats], ignore_index=True)
    ind = ind.drop_duplicates("indicator", keep="first").reset_index(drop=True)
    first: dict[str, str] = {}
    for c in cats:
        for i in c.ids:
            first.setdefault(i, c.name)
    tg = pd.concat([c.targets.assign(_src=c.name) for c in cats], ignore_index=True)
    tg = tg.loc[tg["_src"] == tg["indicator"].map(first)].drop(columns="_src")
    persp = pd.concat([c.perspectives for c in cats], ignore_index=True)
    persp = persp.drop_duplicates("perspective", keep="first").reset_index(drop=True)
    persp["order"] = range(1, len(persp) + 1)
    return Catalogue(
        name,
        "Combined: " + ", ".join(c.name for c in cats),
        "",
        "",
        ind,
        tg.reset_index(drop=True),
        persp,
    )
