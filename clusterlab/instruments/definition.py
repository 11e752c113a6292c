"""Instrument definitions: versioned YAML rubrics loaded into validated tables.

An instrument file (schema ``clusterlab-instrument/1``) is either a ``rubric`` (areas ->
components -> questions, each question with rating anchors; e.g. CIMBT) or a ``stages``
instrument (factors with ordinal stage descriptors and guiding questions; e.g. the big five).
Both are normalised into the same tables, so that scoring, reliability and benchmarking work on
any instrument a user writes in the same format (a 45-question variant, weights, other anchors).

Examples
--------
>>> from clusterlab.instruments import load_instrument
>>> cimbt = load_instrument("cimbt")
>>> cimbt.name, len(cimbt.questions), cimbt.components["component"].nunique()
('cimbt', 25, 9)
>>> cimbt.questions.loc[0, ["item", "component", "area", "text"]].tolist()[:3]
['Q1.1.a', '1.1', 'A1']
>>> cimbt.scale
(1, 5)
>>> load_instrument("bigfive").questions["item"].tolist()
['idea', 'driving_forces_commitment', 'activities', 'critical_mass', 'organization']
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from clusterlab._validation import problem_frame
from clusterlab._yaml import UniqueKeyLoader, read_yaml
from clusterlab.errors import DataValidationError

__all__ = [
    "Instrument",
    "load_instrument",
    "builtin_instruments",
    "SCHEMA_ID",
    "AGGREGATION_RULES",
    "RATER_RULES",
]

SCHEMA_ID = "clusterlab-instrument/1"
#: How scores of child units combine into their parent unit.
AGGREGATION_RULES = ("mean", "median", "min")
#: How the ratings of several raters combine into one question score.
RATER_RULES = ("mean", "median_low")
_LEVELS = ("question", "component", "area", "overall")
_ALIASES = {"big_five": "bigfive", "big-five": "bigfive", "cimbt": "cimbt", "bigfive": "bigfive"}


def builtin_instruments() -> list[str]:
    """Names of the instruments shipped with clusterlab.

    Returns
    -------
    list of str
        Sorted names, each loadable with :func:`load_instrument`.

    Examples
    --------
    >>> builtin_instruments()
    ['bigfive', 'cimbt']
    """
    folder = resources.files("clusterlab.instruments")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


@dataclass(frozen=True)
class Instrument:
    """A validated instrument (build it with :func:`load_instrument`, not directly).

    Every parameter is also an attribute of the same name.

    Parameters
    ----------
    name : str
        Instrument id (``instrument:`` in the file); matched against a ratings ``instrument``
        column.
    version : str
        Version string of the file.
    kind : {"rubric", "stages"}
        Rubric (interval-style 1..5 ratings) or ordinal stage instrument.
    title : str
        Human-readable title of the instrument.
    questions : pandas.DataFrame
        One row per rated item: ``item, component, area, text, scale_min, scale_max, weight,
        extended`` (stage instruments add ``factor`` and ``stage_1 … stage_k`` descriptors).
    components, areas : pandas.DataFrame
        ``component, area, name, weight, n_questions`` and ``area, name, weight, n_components``.
    anchors : pandas.DataFrame
        ``item, level, label`` rating anchors (stage descriptors for stage instruments).
    guiding_questions : pandas.DataFrame
        ``component, number, text``: prompts behind a component/factor (for stage instruments
        the factor's guiding questions; for rubrics the question texts).
    config : dict
        Scale, aggregation rules, coverage thresholds, bands, chart axes, platform rule.
    source : str, default ""
        File the instrument was read from.

    Examples
    --------
    >>> from clusterlab.instruments import load_instrument
    >>> cimbt = load_instrument("cimbt")
    >>> cimbt.name, cimbt.kind, len(cimbt.areas)
    ('cimbt', 'rubric', 3)
    """

    name: str
    version: str
    kind: str
    title: str
    questions: pd.DataFrame
    components: pd.DataFrame
    areas: pd.DataFrame
    anchors: pd.DataFrame
    guiding_questions: pd.DataFrame
    config: dict = field(repr=False)
    source: str = ""

    @property
    def scale(self) -> tuple[int, int]:
        """``(min, max)`` of the rating scale."""
        return int(self.config["scale"]["min"]), int(self.config["scale"]["max"])

    @property
    def non_ratings(self) -> list[str]:
        """Codes that mark a missing rating (never turned into numbers)."""
        return list(self.config["scale"]["non_ratings"])

    @property
    def not_applicable(self) -> list[str]:
        """Non-rating codes that remove the question from the denominator."""
        return list(self.config["scale"]["not_applicable"])

    @property
    def aggregation(self) -> dict:
        return self.config["aggregation"]

    @property
    def stage_labels(self) -> dict[int, str]:
        """Stage number -> label (stage instruments), or the generic level ladder."""
        return dict(self.config.get("stages") or self.config.get("levels") or {})

    def band(self, value: float) -> str | None:
        """Maturity band label of a score (``None`` when no bands are defined or value is NA).

        Examples
        --------
        >>> load_instrument("cimbt").band(3.5)
        'established'
        """
        if value is None or pd.isna(value):
            return None
        bands = self.config.get("bands") or []
        for i, b in enumerate(bands):
            last = i == len(bands) - 1
            if b["min"] <= value < b["max"] or (last and value == b["max"]):
                return b["label"]
        return None

    def summary(self) -> pd.DataFrame:
        """Components with their area and number of questions.

        Examples
        --------
        >>> load_instrument("cimbt").summary()["n_questions"].sum()
        np.int64(25)
        """
        return self.components.merge(
            self.areas[["area", "name"]].rename(columns={"name": "area_name"}), on="area"
        )


# ----------------------------------------------------------------------------------------------
# YAML with line numbers


class _LineLoader(UniqueKeyLoader):
    """Safe loader (a key given twice is an error) that records the line of every mapping
    under the key ``__line__``."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


class _Problems:
    def __init__(self, file: str):
        self.file = file
        self.rows: list[dict] = []

    def add(self, line, path: str, expected: str, found) -> None:
        self.rows.append(
            {
                "file": self.file,
                "row": line,
                "column": path,
                "expected": expected,
                "found": str(found),
            }
        )

    def raise_if_any(self) -> None:
        if self.rows:
            raise DataValidationError(
                f"{self.file}: {len(self.rows)} problem(s) in the instrument file "
                "(row = line in the file, column = key)",
                problem_frame(self.rows),
            )


def _resolve(name_or_path) -> Path:
    text = str(name_or_path)
    key = _ALIASES.get(text.lower())
    if key is not None and not os.path.exists(text):
        return Path(str(resources.files("clusterlab.instruments").joinpath(f"{key}.yaml")))
    path = Path(text)
    if not path.exists():
        raise DataValidationError(
            f"{text}: no such instrument file and not a built-in instrument",
            problem_frame(
                [
                    {
                        "file": text,
                        "expected": "a built-in instrument ("
                        + ", ".join(builtin_instruments())
                        + ") or an existing YAML file",
                        "found": "not found",
                    }
                ]
            ),
        )
    return path


def load_instrument(name_or_path) -> Instrument:
    """Load and validate an instrument: a built-in name or a YAML file of the same schema.

    Parameters
    ----------
    name_or_path : str or path-like or Instrument
        ``"cimbt"``, ``"bigfive"`` (alias ``"big_five"``) or the path of a user file.
        An :class:`Instrument` is returned unchanged.

    Returns
    -------
    Instrument

    Raises
    ------
    DataValidationError
        Listing every problem of the file; ``row`` is the line number in the YAML file and
        ``column`` the key path (e.g. ``areas[0].components[1].questions[2].anchors``).

    Examples
    --------
    >>> inst = load_instrument("cimbt")
    >>> inst.areas["name"].tolist()[:2]
    ['Insight & Strategy', 'Key Stakeholder Buy-in & Participation']
    >>> inst.aggregation["min_coverage"]["component"]
    0.5
    """
    if isinstance(name_or_path, Instrument):
        return name_or_path
    path = _resolve(name_or_path)
    file = str(path)
    spec = read_yaml(
        path,
        error=DataValidationError,
        what="instrument definition",
        loader=_LineLoader,
        mapping=False,
    )
    return _build(spec, file)


def _build(spec, file: str) -> Instrument:
    pb = _Problems(file)
    if not isinstance(spec, dict):
        pb.add(
            1,
            "<file>",
            "a YAML mapping with instrument, scale, areas or factors",
            type(spec).__name__,
        )
        pb.raise_if_any()
    line0 = spec.get("__line__", 1)
    for key in ("instrument", "version", "kind", "scale"):
        if key not in spec:
            pb.add(line0, key, "key present", "missing")
    if spec.get("schema", SCHEMA_ID) != SCHEMA_ID:
        pb.add(line0, "schema", SCHEMA_ID, spec.get("schema"))
    kind = spec.get("kind")
    if kind not in ("rubric", "stages"):
        pb.add(line0, "kind", "rubric or stages", kind)
    scale = spec.get("scale") or {}
    smin, smax = scale.get("min"), scale.get("max")
    if not (isinstance(smin, int) and isinstance(smax, int) and smin < smax):
        pb.add(
            scale.get("__line__", line0), "scale", "integers min < max", f"min={smin}, max={smax}"
        )
        smin, smax = 1, 5
    non = scale.get("non_ratings", [])
    na = scale.get("not_applicable", [])
    if not isinstance(non, list) or not all(isinstance(c, str) for c in non):
        pb.add(scale.get("__line__", line0), "scale.non_ratings", "a list of text codes", non)
        non = []
    if not isinstance(na, list) or any(c not in non for c in na):
        pb.add(
            scale.get("__line__", line0),
            "scale.not_applicable",
            "a list of codes that are also in non_ratings",
            na,
        )
        na = []
    agg = _aggregation(spec.get("aggregation") or {}, kind, pb, line0)
    config = {
        "scale": {"min": smin, "max": smax, "non_ratings": non, "not_applicable": na},
        "aggregation": agg,
    }
    for key in ("levels", "stages"):
        if spec.get(key) is not None:
            config[key] = _int_keyed(spec[key], key, smin, smax, pb, line0, full=key == "stages")
    for key in ("bands", "chart_axes", "evidence_rule", "platform_rule", "provenance"):
        if key in spec:
            config[key] = _strip(spec[key])
    _check_bands(config.get("bands"), smin, smax, pb, line0)

    if kind == "stages":
        tables = _stages(spec, smin, smax, pb, line0)
        if "platform_rule" not in config:
            config["platform_rule"] = {"type": "all_at_least", "stage": smax}
        _check_platform(config["platform_rule"], smin, smax, pb, spec)
    else:
        tables = _rubric(spec, smin, smax, pb, line0)
    pb.raise_if_any()
    questions, components, areas, anchors, guiding = tables
    _check_axes(config.get("chart_axes"), set(areas["area"]), pb, spec)
    pb.raise_if_any()
    name = _ALIASES.get(str(spec["instrument"]).lower(), str(spec["instrument"]))
    return Instrument(
        name=name,
        version=str(spec["version"]),
        kind=kind,
        title=str(spec.get("title", name)),
        questions=questions,
        components=components,
        areas=areas,
        anchors=anchors,
        guiding_questions=guiding,
        config=config,
        source=file,
    )


def _strip(obj):
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _aggregation(agg: dict, kind, pb: _Problems, line0) -> dict:
    line = agg.get("__line__", line0)
    ordinal = kind == "stages"
    out = {
        "raters": agg.get("raters", "median_low" if ordinal else "mean"),
        "question_to_component": agg.get("question_to_component", "min" if ordinal else "mean"),
        "component_to_area": agg.get("component_to_area", "min" if ordinal else "mean"),
        "area_to_overall": agg.get("area_to_overall", "min" if ordinal else "mean"),
        "min_raters_ci": agg.get("min_raters_ci", 3),
    }
    if out["raters"] not in RATER_RULES:
        pb.add(line, "aggregation.raters", " or ".join(RATER_RULES), out["raters"])
    for key in ("question_to_component", "component_to_area", "area_to_overall"):
        if out[key] not in AGGREGATION_RULES:
            pb.add(line, f"aggregation.{key}", " or ".join(AGGREGATION_RULES), out[key])
    if not isinstance(out["min_raters_ci"], int) or out["min_raters_ci"] < 2:
        pb.add(line, "aggregation.min_raters_ci", "an integer >= 2", out["min_raters_ci"])
    cov = agg.get("min_coverage", {}) or {}
    defaults = {"question": 0.5, "component": 0.5, "area": 0.67, "overall": 0.67}
    out["min_coverage"] = {}
    for level in _LEVELS:
        value = cov.get(level, defaults[level]) if isinstance(cov, dict) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
            pb.add(line, f"aggregation.min_coverage.{level}", "a share between 0 and 1", value)
            value = defaults[level]
        out["min_coverage"][level] = float(value)
    return out


def _int_keyed(mapping, key, smin, smax, pb: _Problems, line0, *, full: bool) -> dict:
    if not isinstance(mapping, dict):
        pb.add(line0, key, "a mapping level -> text", type(mapping).__name__)
        return {}
    line = mapping.get("__line__", line0)
    out = {}
    for k, v in mapping.items():
        if k == "__line__":
            continue
        if not isinstance(k, int) or not smin <= k <= smax:
            pb.add(line, f"{key}.{k}", f"an integer level within {smin}..{smax}", k)
            continue
        out[k] = str(v)
    if full and sorted(out) != list(range(smin, smax + 1)):
        pb.add(line, key, f"one entry per level {smin}..{smax}", sorted(out))
    return out


def _check_bands(bands, smin, smax, pb: _Problems, line0) -> None:
    if bands is None:
        return
    if not isinstance(bands, list) or not bands:
        pb.add(line0, "bands", "a list of {label, min, max}", bands)
        return
    prev = None
    for i, b in enumerate(bands):
        ok = (
            isinstance(b, dict)
            and {"label", "min", "max"} <= set(b)
            and all(isinstance(b[k], (int, float)) for k in ("min", "max"))
            and b["min"] < b["max"]
        )
        if not ok:
            pb.add(line0, f"bands[{i}]", "{label, min, max} with min < max", b)
            continue
        if prev is not None and abs(b["min"] - prev) > 1e-9:
            pb.add(line0, f"bands[{i}].min", f"{prev} (contiguous with the band before)", b["min"])
        prev = b["max"]


def _check_axes(axes, area_ids: set, pb: _Problems, spec) -> None:
    if axes is None:
        return
    for axis in ("x", "y"):
        entry = axes.get(axis) if isinstance(axes, dict) else None
        if not (
            isinstance(entry, dict) and isinstance(entry.get("areas"), list) and entry["areas"]
        ):
            pb.add(
                spec.get("__line__", 1), f"chart_axes.{axis}", "{label, areas: [area ids]}", entry
            )
            continue
        for a in entry["areas"]:
            if a not in area_ids:
                pb.add(
                    spec.get("__line__", 1),
                    f"chart_axes.{axis}.areas",
                    "an area id of this instrument (" + ", ".join(sorted(area_ids)) + ")",
                    a,
                )


def _check_platform(rule, smin, smax, pb: _Problems, spec) -> None:
    line = rule.get("__line__", spec.get("__line__", 1)) if isinstance(rule, dict) else 1
    if not isinstance(rule, dict) or rule.get("type") != "all_at_least":
        pb.add(line, "platform_rule.type", "all_at_least", rule)
        return
    stage = rule.get("stage")
    if not isinstance(stage, int) or not smin <= stage <= smax:
        pb.add(line, "platform_rule.stage", f"a stage within {smin}..{smax}", stage)


def _weight(obj: dict, path: str, pb: _Problems) -> float:
    w = obj.get("weight", 1.0)
    if not isinstance(w, (int, float)) or isinstance(w, bool) or w <= 0:
        pb.add(obj.get("__line__"), f"{path}.weight", "a positive number", w)
        return 1.0
    return float(w)


def _anchors(q: dict, path: str, smin, smax, pb: _Problems, key="anchors") -> dict:
    anchors = q.get(key)
    if anchors is None:
        return {}
    return _int_keyed(anchors, f"{path}.{key}", smin, smax, pb, q.get("__line__"), full=True)


def _id(obj, path: str, pb: _Problems, seen: set) -> str | None:
    if not isinstance(obj, dict):
        pb.add(None, path, "a mapping with id", obj)
        return None
    raw = obj.get("id")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        pb.add(obj.get("__line__"), f"{path}.id", "a non-empty id", raw)
        return None
    if isinstance(raw, float):  # an unquoted "1.1" becomes a float: ask for quotes
        pb.add(obj.get("__line__"), f"{path}.id", 'a text id (quote numbers: "1.1")', raw)
        return None
    ident = str(raw)
    if ident in seen:
        pb.add(obj.get("__line__"), f"{path}.id", "an id used only once in the file", ident)
    seen.add(ident)
    return ident


def _rubric(spec, smin, smax, pb: _Problems, line0):
    seen: set = set()
    qrows, crows, arows, anchor_rows, guide_rows = [], [], [], [], []
    areas = spec.get("areas")
    if not isinstance(areas, list) or not areas:
        pb.add(line0, "areas", "a non-empty list of areas", areas)
        areas = []
    for ai, a in enumerate(areas):
        apath = f"areas[{ai}]"
        aid = _id(a, apath, pb, seen)
        if aid is None:
            continue
        comps = a.get("components")
        if not isinstance(comps, list) or not comps:
            pb.add(a.get("__line__"), f"{apath}.components", "a non-empty list", comps)
            comps = []
        arows.append(
            {
                "area": aid,
                "name": str(a.get("name", aid)),
                "weight": _weight(a, apath, pb),
                "n_components": len(comps),
            }
        )
        for ci, c in enumerate(comps):
            cpath = f"{apath}.components[{ci}]"
            cid = _id(c, cpath, pb, seen)
            if cid is None:
                continue
            qs = c.get("questions")
            if not isinstance(qs, list) or not qs:
                pb.add(c.get("__line__"), f"{cpath}.questions", "a non-empty list", qs)
                qs = []
            crows.append(
                {
                    "component": cid,
                    "area": aid,
                    "name": str(c.get("name", cid)),
                    "weight": _weight(c, cpath, pb),
                    "n_questions": len(qs),
                }
            )
            for qi, q in enumerate(qs):
                qpath = f"{cpath}.questions[{qi}]"
                qid = _id(q, qpath, pb, seen)
                if qid is None:
                    continue
                text = q.get("text")
                if not isinstance(text, str) or not text.strip():
                    pb.add(q.get("__line__"), f"{qpath}.text", "the question text", text)
                anchors = _anchors(q, qpath, smin, smax, pb)
                anchor_rows += [{"item": qid, "level": k, "label": v} for k, v in anchors.items()]
                qrows.append(
                    {
                        "item": qid,
                        "component": cid,
                        "area": aid,
                        "text": str(text),
                        "scale_min": smin,
                        "scale_max": smax,
                        "weight": _weight(q, qpath, pb),
                        "extended": bool(q.get("extended", False)),
                    }
                )
                guide_rows.append({"component": cid, "number": qi + 1, "text": str(text)})
    return _frames(qrows, crows, arows, anchor_rows, guide_rows)


def _stages(spec, smin, smax, pb: _Problems, line0):
    seen: set = set()
    qrows, crows, anchor_rows, guide_rows = [], [], [], []
    factors = spec.get("factors")
    if not isinstance(factors, list) or not factors:
        pb.add(line0, "factors", "a non-empty list of factors", factors)
        factors = []
    area = str(spec.get("platform_area", "platform"))
    for fi, f in enumerate(factors):
        path = f"factors[{fi}]"
        fid = _id(f, path, pb, seen)
        if fid is None:
            continue
        stages = _anchors(f, path, smin, smax, pb, key="stages")
        if not stages:
            pb.add(f.get("__line__"), f"{path}.stages", f"stage descriptors {smin}..{smax}", None)
        guiding = f.get("guiding_questions", [])
        if not isinstance(guiding, list) or not all(isinstance(g, str) for g in guiding):
            pb.add(f.get("__line__"), f"{path}.guiding_questions", "a list of texts", guiding)
            guiding = []
        name = str(f.get("name", fid))
        row = {
            "item": fid,
            "component": fid,
            "area": area,
            "factor": fid,
            "text": name,
            "scale_min": smin,
            "scale_max": smax,
            "weight": _weight(f, path, pb),
            "extended": False,
        }
        row.update({f"stage_{k}": v for k, v in stages.items()})
        qrows.append(row)
        crows.append(
            {
                "component": fid,
                "area": area,
                "name": name,
                "weight": row["weight"],
                "n_questions": 1,
            }
        )
        anchor_rows += [{"item": fid, "level": k, "label": v} for k, v in stages.items()]
        guide_rows += [
            {"component": fid, "number": i + 1, "text": g} for i, g in enumerate(guiding)
        ]
    arows = [
        {
            "area": area,
            "name": str(spec.get("title", "platform")),
            "weight": 1.0,
            "n_components": len(crows),
        }
    ]
    return _frames(qrows, crows, arows, anchor_rows, guide_rows)


def _frames(qrows, crows, arows, anchor_rows, guide_rows):
    questions = pd.DataFrame(qrows)
    if questions.empty:
        questions = pd.DataFrame(
            columns=[
                "item",
                "component",
                "area",
                "text",
                "scale_min",
                "scale_max",
                "weight",
                "extended",
            ]
        )
    components = pd.DataFrame(crows, columns=["component", "area", "name", "weight", "n_questions"])
    areas = pd.DataFrame(arows, columns=["area", "name", "weight", "n_components"])
    anchors = pd.DataFrame(anchor_rows, columns=["item", "level", "label"])
    guiding = pd.DataFrame(guide_rows, columns=["component", "number", "text"])
    return questions, components, areas, anchors, guiding
