"""Checking and normalising ratings in long format against an instrument.

Every problem is reported at once as a :class:`~clusterlab.errors.DataValidationError` whose
problems table names the offending rows; nothing is dropped silently.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.instruments import check_ratings, load_instrument
>>> raw = pd.DataFrame({"initiative": ["x", "x"], "item": ["Q1.1.a", "Q1.1.b"],
...                     "rater": ["r1", "r1"], "score": [4, "dk"]})
>>> tidy = check_ratings(raw, load_instrument("cimbt"))
>>> tidy[["item", "value", "code"]].astype(object).values.tolist()
[['Q1.1.a', 4.0, <NA>], ['Q1.1.b', nan, 'dk']]
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from clusterlab._validation import check_frame, problem_frame
from clusterlab.errors import DataValidationError

from .definition import Instrument, load_instrument

__all__ = ["check_ratings", "RATING_COLUMNS"]

#: Columns of the normalised ratings table returned by :func:`check_ratings`.
RATING_COLUMNS = [
    "initiative",
    "round",
    "item",
    "rater",
    "rater_role",
    "value",
    "code",
    "evidence",
    "date",
    "row",
]


def _rows(frame: pd.DataFrame, mask: np.ndarray, offset: int) -> list[int]:
    return [int(i) + offset for i in np.flatnonzero(mask)]


def check_ratings(
    ratings: pd.DataFrame,
    instrument,
    *,
    initiative: str = "initiative",
    item: str = "item",
    rater: str = "rater",
    score: str = "score",
    round: str = "round",
    non_rating: str = "non_rating",
    evidence: str = "evidence",
    date: str = "date",
    rater_role: str = "rater_role",
    instrument_column: str = "instrument",
    initiatives=None,
    name: str | None = None,
) -> pd.DataFrame:
    """Validate ratings for one instrument and return them in a normalised long table.

    Parameters
    ----------
    ratings : pandas.DataFrame
        Long format: one row per initiative × round × rater × item with ``score`` (number on
        the instrument's scale, or a non-rating code such as ``dk``) and optionally
        ``non_rating``, ``round`` (default 1), ``rater_role``, ``evidence``, ``date`` and
        ``instrument`` (rows of other instruments are left out; see Notes).
    instrument : str, path or Instrument
        ``"cimbt"``, ``"bigfive"`` or a user instrument file.
    initiative, item, rater, score, round, non_rating, evidence, date, rater_role : str
        Column names (defaults: the same words).
    instrument_column : str, default "instrument"
        Column naming the instrument of each row.
    initiatives : list of str, optional
        Initiatives that must have ratings (an initiative without any numeric rating is an
        error in any case).
    name : str, optional
        Name of the table in error messages (default: ``ratings.attrs["source"]`` or
        ``"ratings"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``initiative, round, item, rater, rater_role, value, code, evidence, date, row``:
        ``value`` is the numeric rating (NaN for a non-rating), ``code`` the non-rating code
        (``na``/``dk``/``missing``/… ; a row with neither score nor code gets ``missing``), ``row``
        the row number reported in errors.

    Raises
    ------
    DataValidationError
        One problem row per offending input row: missing columns, text in the score column,
        scores off the scale or not whole numbers, unknown items (with a suggestion), unknown
        non-rating codes, a score together with a non-rating code, a rater scoring the same item
        twice in one round, missing ids, an initiative without ratings.

    Notes
    -----
    When the table has an ``instrument`` column, only rows whose value names this instrument
    (aliases ``big_five``/``bigfive`` allowed) are used: a combined table of CIMBT and big-five
    ratings can be passed to both. If no row matches, that is an error.
    Row numbers are 1-based data rows; for a table read from a file by
    :func:`clusterlab.io.read` (``attrs["source"]`` set) they are file rows (header = row 1).

    Examples
    --------
    >>> import pandas as pd
    >>> ratings = pd.DataFrame({"initiative": "demo", "rater": "r1",
    ...                         "item": ["Q1.1.a", "Q1.1.b"], "score": [4, "dk"]})
    >>> check_ratings(ratings, "cimbt")[["item", "value", "code"]].values.tolist()
    [['Q1.1.a', 4.0, <NA>], ['Q1.1.b', nan, 'dk']]
    """
    inst: Instrument = load_instrument(instrument)
    if name is None:
        name = (
            str(ratings.attrs.get("source") or "ratings")
            if isinstance(ratings, pd.DataFrame)
            else "ratings"
        )
    check_frame(ratings, required=[initiative, item, rater, score], name=name)
    from_file = bool(ratings.attrs.get("source")) and "DEMO" not in str(ratings.attrs.get("source"))
    offset = 2 if from_file else 1
    frame = ratings.reset_index(drop=True)
    frame["__row"] = np.arange(len(frame)) + offset
    if instrument_column in frame.columns:
        codes = frame[instrument_column].astype("string").str.strip().str.lower()
        aliases = {inst.name, inst.name.replace("five", "_five")}
        keep = codes.isin(aliases).fillna(False).to_numpy(dtype=bool)
        if not keep.any():
            found = ", ".join(sorted(codes.dropna().unique())[:10])
            raise DataValidationError(
                f"{name}: no rows for instrument {inst.name!r}",
                problem_frame(
                    [
                        {
                            "file": name,
                            "column": instrument_column,
                            "expected": inst.name,
                            "found": found or "empty",
                        }
                    ]
                ),
            )
        frame = frame.loc[keep].reset_index(drop=True)
    if frame.empty:
        raise DataValidationError(
            f"{name}: no ratings",
            problem_frame(
                [
                    {
                        "file": name,
                        "column": score,
                        "expected": "at least one rating row",
                        "found": "0 rows",
                    }
                ]
            ),
        )
    problems: list[dict] = []

    def add(mask, column, expected, found_values):
        for pos in np.flatnonzero(mask)[:200]:
            problems.append(
                {
                    "file": name,
                    "row": int(frame.at[pos, "__row"]),
                    "column": column,
                    "expected": expected,
                    "found": str(found_values[pos]),
                }
            )

    ids = {}
    for col in (initiative, item, rater):
        s = frame[col]
        blank = s.isna().to_numpy() | (s.astype("string").str.strip() == "").fillna(True).to_numpy()
        add(blank, col, "a value", s.to_numpy())
        ids[col] = s.astype("string").str.strip()

    # rounds
    if round in frame.columns:
        rnd = pd.to_numeric(frame[round], errors="coerce")
        bad = rnd.isna().to_numpy() | ~np.isclose(rnd.fillna(0) % 1, 0)
        add(bad, round, "a whole round number", frame[round].to_numpy())
        rnd = rnd.fillna(1).round().astype(int)
    else:
        rnd = pd.Series(1, index=frame.index)

    # scores and non-rating codes
    known_codes = [c.lower() for c in inst.non_ratings]
    raw = frame[score]
    raw_text = raw.astype("string").str.strip()
    value = pd.to_numeric(raw, errors="coerce").astype(float)
    is_code_in_score = raw_text.str.lower().isin(known_codes).fillna(False).to_numpy(dtype=bool)
    blank_score = raw.isna().to_numpy() | (raw_text == "").fillna(True).to_numpy()
    not_number = value.isna().to_numpy() & ~blank_score & ~is_code_in_score
    # True/False is not a rating (pandas would read it as 1/0)
    is_bool = raw.map(lambda x: isinstance(x, (bool, np.bool_))).to_numpy(dtype=bool)
    value = value.mask(is_bool)
    not_number |= is_bool
    smin, smax = inst.scale
    add(
        not_number,
        score,
        f"a number {smin}..{smax} or a non-rating code (" + ", ".join(known_codes) + ")",
        raw.to_numpy(),
    )
    v = value.to_numpy()
    off_scale = ~np.isnan(v) & ((v < smin) | (v > smax))
    add(off_scale, score, f"a rating within the {inst.name} scale {smin}..{smax}", raw.to_numpy())
    fractional = ~np.isnan(v) & ~off_scale & ~np.isclose(v % 1, 0)
    add(fractional, score, f"a whole number {smin}..{smax}", raw.to_numpy())

    code = pd.Series(pd.NA, index=frame.index, dtype="string")
    code[is_code_in_score] = raw_text[is_code_in_score].str.lower()
    if non_rating in frame.columns:
        nr = frame[non_rating].astype("string").str.strip().str.lower()
        nr = nr.mask(nr == "")
        unknown_code = nr.notna().to_numpy() & ~nr.isin(known_codes).fillna(False).to_numpy()
        add(
            unknown_code,
            non_rating,
            "one of " + ", ".join(known_codes) + " or empty",
            frame[non_rating].to_numpy(),
        )
        both = nr.notna().to_numpy() & ~np.isnan(v)
        add(
            both,
            f"{score},{non_rating}",
            "either a score or a non-rating code",
            [f"score={a}, {non_rating}={b}" for a, b in zip(raw, frame[non_rating], strict=True)],
        )
        code = code.fillna(nr)
    nothing = np.isnan(v) & code.isna().to_numpy()
    code[nothing & blank_score] = "missing" if "missing" in known_codes else pd.NA
    if "missing" not in known_codes:
        add(nothing & blank_score, score, "a score or a non-rating code", ["empty"] * len(frame))

    # unknown items
    valid_items = list(inst.questions["item"])
    unknown = ~ids[item].isin(valid_items).fillna(True).to_numpy() & ids[item].notna().to_numpy()
    for pos in np.flatnonzero(unknown)[:200]:
        found = str(ids[item][pos])
        close = difflib.get_close_matches(found, valid_items, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(
            {
                "file": name,
                "row": int(frame.at[pos, "__row"]),
                "column": item,
                "expected": f"an item of instrument {inst.name!r}{hint}",
                "found": found,
            }
        )

    tidy = pd.DataFrame(
        {
            "initiative": ids[initiative],
            "round": rnd.to_numpy(),
            "item": ids[item],
            "rater": ids[rater],
            "rater_role": (
                frame[rater_role].astype("string")
                if rater_role in frame.columns
                else pd.Series(pd.NA, index=frame.index, dtype="string")
            ),
            "value": np.where(off_scale | fractional, np.nan, v),
            "code": code,
            "evidence": (
                frame[evidence].astype("string").str.strip().replace("", pd.NA)
                if evidence in frame.columns
                else pd.Series(pd.NA, index=frame.index, dtype="string")
            ),
            "date": (
                frame[date].astype("string")
                if date in frame.columns
                else pd.Series(pd.NA, index=frame.index, dtype="string")
            ),
            "row": frame["__row"].to_numpy(),
        }
    )

    # a rater scoring the same item twice in one round
    dup = tidy.duplicated(["initiative", "round", "item", "rater"], keep=False).to_numpy()
    for pos in np.flatnonzero(dup)[:200]:
        r = tidy.iloc[pos]
        problems.append(
            {
                "file": name,
                "row": int(r["row"]),
                "column": f"{rater},{item},{round}",
                "expected": "one rating per rater, item and round",
                "found": f"rater {r['rater']} rated {r['item']} more than once in round "
                f"{r['round']} of {r['initiative']}",
            }
        )

    # initiatives (or rounds) without any numeric rating
    has_value = (
        tidy.assign(ok=~np.isnan(tidy["value"].to_numpy()))
        .groupby(["initiative", "round"])["ok"]
        .any()
    )
    for (ini, rnd_), ok in has_value.items():
        if not ok:
            rows = tidy.loc[(tidy["initiative"] == ini) & (tidy["round"] == rnd_), "row"].tolist()
            problems.append(
                {
                    "file": name,
                    "row": rows[0],
                    "column": score,
                    "expected": "at least one rating for the initiative and round",
                    "found": f"initiative {ini!r} round {rnd_} has no numeric rating "
                    "in rows " + ", ".join(map(str, rows[:20])),
                }
            )
    for ini in initiatives or []:
        if ini not in set(tidy["initiative"]):
            problems.append(
                {
                    "file": name,
                    "column": initiative,
                    "expected": f"ratings for initiative {ini!r}",
                    "found": "no rows",
                }
            )
    if problems:
        raise DataValidationError(
            f"{name}: {len(problems)} problem(s) in the ratings for instrument {inst.name!r}",
            problem_frame(problems),
        )
    return tidy[RATING_COLUMNS]
