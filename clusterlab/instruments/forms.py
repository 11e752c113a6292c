"""Blank rating sheets (CSV and Excel) for raters to fill.

A filled sheet goes straight back into :func:`clusterlab.instruments.score`: its columns are the
ratings contract (``initiative, instrument, round, rater, rater_role, item, score, non_rating,
evidence, date``) plus read-only helper columns with the question and its anchors.

Examples
--------
>>> from clusterlab.instruments import rating_form
>>> form = rating_form("cimbt", "northport_maritime", raters=["R1", "R2"])
>>> len(form), form["score"].isna().all()
(50, np.True_)
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from clusterlab.errors import ParameterError

from .definition import load_instrument

__all__ = ["rating_form", "rating_form_paths"]

FORM_COLUMNS = [
    "initiative",
    "instrument",
    "round",
    "rater",
    "rater_role",
    "area",
    "component",
    "item",
    "question",
    "guide",
    "score",
    "non_rating",
    "evidence",
    "date",
]


def rating_form(
    instrument,
    initiative: str,
    *,
    raters=("R1",),
    rater_roles=None,
    round: int = 1,
    output_dir: str | os.PathLike | None = None,
    excel: bool = True,
) -> pd.DataFrame:
    """A blank ratings sheet for one initiative, written as CSV (and Excel) when asked.

    Parameters
    ----------
    instrument : str, path or Instrument
    initiative : str
        Initiative id (as in the parameter file, e.g. ``"northport_maritime"``).
    raters : sequence of str
        Rater ids; one block of rows per rater.
    rater_roles : sequence of str, optional
        Role of each rater (manager, board, member_firm, non_member, funder,
        external_evaluator …), same length as ``raters``.
    round : int
        Rating round.
    output_dir : path-like, optional
        Folder to write ``<initiative>_<instrument>_round<k>.csv`` (and ``.xlsx`` with an
        ``instructions`` and an ``anchors`` sheet). Nothing is written when omitted.
    excel : bool
        Also write the Excel workbook.

    Returns
    -------
    pandas.DataFrame
        The form: ``initiative, instrument, round, rater, rater_role, area, component, item,
        question, guide, score, non_rating, evidence, date``, one row per rater × question.
        :func:`rating_form_paths` names the files written (``attrs["paths"]`` still lists
        them for one release, deprecated: pandas drops ``attrs`` on copies).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> form = rating_form("bigfive", "valley_foodtech", output_dir=folder)
    >>> [p.name for p in rating_form_paths("bigfive", "valley_foodtech", output_dir=folder)]
    ['valley_foodtech_bigfive_round1.csv', 'valley_foodtech_bigfive_round1.xlsx']
    """
    inst = load_instrument(instrument)
    _check_initiative(initiative)
    raters = [str(r) for r in raters]
    if not raters or len(set(raters)) != len(raters):
        raise ParameterError(f"raters={raters!r}: expected distinct rater ids")
    roles = list(rater_roles) if rater_roles is not None else [""] * len(raters)
    if len(roles) != len(raters):
        raise ParameterError("rater_roles must have one entry per rater")
    guides = inst.anchors.groupby("item").apply(
        lambda g: " | ".join(
            f"{int(lv)} = {lab}" for lv, lab in zip(g["level"], g["label"], strict=True)
        ),
        include_groups=False,
    )
    rows = []
    for rater, role in zip(raters, roles, strict=True):
        for q in inst.questions.itertuples(index=False):
            rows.append(
                {
                    "initiative": initiative,
                    "instrument": inst.name,
                    "round": int(round),
                    "rater": rater,
                    "rater_role": role,
                    "area": q.area,
                    "component": q.component,
                    "item": q.item,
                    "question": q.text,
                    "guide": guides.get(q.item, ""),
                    "score": pd.NA,
                    "non_rating": pd.NA,
                    "evidence": pd.NA,
                    "date": pd.NA,
                }
            )
    form = pd.DataFrame(rows, columns=FORM_COLUMNS)
    paths: list[str] = []
    if output_dir is not None:
        csv, *xlsx = _paths(inst.name, initiative, round, Path(output_dir), excel)
        csv.parent.mkdir(parents=True, exist_ok=True)
        form.to_csv(csv, index=False)
        paths.append(str(csv))
        if xlsx:
            smin, smax = inst.scale
            instructions = pd.DataFrame(
                {
                    "instructions": [
                        f"{inst.title} (version {inst.version}) - clusterlab's operationalisation, "
                        "not an original questionnaire.",
                        f"Enter a whole number {smin}-{smax} in 'score', following the guide.",
                        "If you cannot rate a question leave 'score' empty and enter one of "
                        + ", ".join(inst.non_ratings)
                        + " in 'non_rating'.",
                        "Give an evidence note (document, data, minutes) for high ratings"
                        + (
                            f" ({inst.config['evidence_rule']['min_score']} and above)."
                            if inst.config.get("evidence_rule")
                            else "."
                        ),
                        "Do not change the ids in initiative, instrument, round, rater and item.",
                    ]
                }
            )
            with pd.ExcelWriter(xlsx[0], engine="openpyxl") as xl:
                form.to_excel(xl, sheet_name="ratings", index=False)
                instructions.to_excel(xl, sheet_name="instructions", index=False)
                inst.anchors.to_excel(xl, sheet_name="anchors", index=False)
            paths.append(str(xlsx[0]))
    # deprecated: attrs kept for one release for code that read them; use rating_form_paths
    form.attrs["paths"] = paths
    return form


def rating_form_paths(
    instrument,
    initiative: str,
    *,
    output_dir: str | os.PathLike,
    round: int = 1,
    excel: bool = True,
) -> list[Path]:
    """The files :func:`rating_form` writes for these arguments (nothing is written here).

    Parameters
    ----------
    instrument : str, path or Instrument
        The instrument (its ``name`` is part of the file names).
    initiative : str
        Initiative id.
    output_dir : path-like
        The folder given to :func:`rating_form`.
    round : int, default 1
        Rating round.
    excel : bool, default True
        Whether the Excel workbook is written too.

    Returns
    -------
    list of pathlib.Path
        ``<output_dir>/<initiative>_<instrument>_round<k>.csv`` and, with ``excel``, the
        ``.xlsx`` next to it.

    Examples
    --------
    >>> [p.name for p in rating_form_paths("cimbt", "northport_maritime", output_dir="forms",
    ...                                    round=2, excel=False)]
    ['northport_maritime_cimbt_round2.csv']
    """
    _check_initiative(initiative)
    return _paths(load_instrument(instrument).name, initiative, round, Path(output_dir), excel)


def _check_initiative(initiative) -> None:
    if not isinstance(initiative, str) or not initiative.strip():
        raise ParameterError("initiative must be a non-empty id")


def _paths(name: str, initiative: str, round: int, folder: Path, excel: bool) -> list[Path]:
    stem = folder / f"{initiative}_{name}_round{int(round)}"
    return [stem.with_suffix(".csv")] + ([stem.with_suffix(".xlsx")] if excel else [])
