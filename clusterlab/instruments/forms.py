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

__all__ = ["rating_form"]

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
        The form (``attrs["paths"]`` lists the written files).

    Examples
    --------
    >>> import tempfile
    >>> form = rating_form("bigfive", "valley_foodtech", output_dir=tempfile.mkdtemp())
    >>> sorted(p.rsplit(".", 1)[1] for p in form.attrs["paths"])
    ['csv', 'xlsx']
    """
    inst = load_instrument(instrument)
    if not isinstance(initiative, str) or not initiative.strip():
        raise ParameterError("initiative must be a non-empty id")
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
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stem = folder / f"{initiative}_{inst.name}_round{int(round)}"
        form.to_csv(stem.with_suffix(".csv"), index=False)
        paths.append(str(stem.with_suffix(".csv")))
        if excel:
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
            with pd.ExcelWriter(stem.with_suffix(".xlsx"), engine="openpyxl") as xl:
                form.to_excel(xl, sheet_name="ratings", index=False)
                instructions.to_excel(xl, sheet_name="instructions", index=False)
                inst.anchors.to_excel(xl, sheet_name="anchors", index=False)
            paths.append(str(stem.with_suffix(".xlsx")))
    form.attrs["paths"] = paths
    return form
