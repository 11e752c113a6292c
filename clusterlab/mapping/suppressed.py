"""Suppressed County Business Patterns cells: CMP midpoints (<= 2016) and noise-flag rule (>= 2017).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.mapping import impute_suppressed
>>> emp = pd.DataFrame({"region": ["a", "a", "b"], "industry": ["336411"] * 3,
...                     "year": 2016, "employment": [120, 0, 0], "emp_flag": [None, "B", "L"]})
>>> impute_suppressed(emp)[["employment", "employment_reported", "imputed"]]
   employment  employment_reported  imputed
0         120                  120    False
1          60                    0     True
2       75000                    0     True
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from clusterlab._validation import check_choice, check_frame, problem_frame
from clusterlab.errors import DataValidationError, DataWarning, ParameterError
from clusterlab.mapping._core import check_table, preview, row_numbers

__all__ = [
    "impute_suppressed",
    "CMP_MIDPOINTS",
    "SIZE_CLASSES",
    "NOISE_WITHHELD",
    "NOISE_PUBLISHED",
]

#: CBP employment size classes (EMPFLAG, data years <= 2016): letter -> (low, high) employees.
SIZE_CLASSES = {
    "A": (0, 19),
    "B": (20, 99),
    "C": (100, 249),
    "E": (250, 499),
    "F": (500, 999),
    "G": (1_000, 2_499),
    "H": (2_500, 4_999),
    "I": (5_000, 9_999),
    "J": (10_000, 24_999),
    "K": (25_000, 49_999),
    "L": (50_000, 99_999),
    "M": (100_000, None),
}

#: The value the U.S. Cluster Mapping Project substitutes for each size class
#: (``naics_reducer.js::_calc_suppressed_value``). M (100,000 or more) gets its lower bound.
CMP_MIDPOINTS = {
    "A": 10,
    "B": 60,
    "C": 175,
    "E": 375,
    "F": 750,
    "G": 1_750,
    "H": 3_750,
    "I": 7_500,
    "J": 17_500,
    "K": 37_500,
    "L": 75_000,
    "M": 100_000,
}

#: CBP noise flags (data years >= 2017) meaning the cell is withheld: D (to avoid disclosing
#: data of individual companies) and S (did not meet publication standards).
NOISE_WITHHELD = ("D", "S")
#: Noise flags of published cells (G low noise, H medium noise, N not available/comparable
#: is treated as published too): the value is kept.
NOISE_PUBLISHED = ("G", "H", "N")

_KEYS = ("region", "industry", "year")


def impute_suppressed(
    emp: pd.DataFrame,
    *,
    flag: str = "emp_flag",
    value: str = "employment",
    method: str = "midpoint",
    overrides: pd.DataFrame | None = None,
    scheme: str = "auto",
    establishments: str = "establishments",
    noise_from: int = 2017,
) -> pd.DataFrame:
    """Fill suppressed employment cells and mark them.

    Two CBP conventions are handled (``scheme``):

    * **size classes** (EMPFLAG, data years up to 2016): a suppressed cell carries a letter
      A-M and a reported value of 0. ``method="midpoint"`` replaces the value with the CMP
      midpoint (:data:`CMP_MIDPOINTS`: A 10, B 60, C 175, E 375, F 750, G 1,750, H 3,750,
      I 7,500, J 17,500, K 37,500, L 75,000, M 100,000), exactly as the U.S. Cluster Mapping
      Project; ``method="lower"`` uses the lower bound of the class (a conservative floor).
      As in CMP, a flagged cell's reported value is discarded even when it is not 0.
    * **noise flags** (data years from 2017, no EMPFLAG any more): ``D`` (withheld to avoid
      disclosure) and ``S`` (did not meet publication standards) mark withheld cells; ``G``,
      ``H`` (low/medium noise) and ``N`` are published values and are kept. Rule for a
      withheld cell: employment = its establishments x the mean employment per establishment
      of the same industry and year over the published cells of the input (falling back to the
      mean over all industries of that year when the industry has no published cell), rounded
      to a whole number. CBP
      never suppresses establishment counts, so this uses only published figures; it needs an
      ``establishments`` column. A withheld cell without establishments gets 0.

    With ``scheme="auto"`` (default) only the letters that mean something in both conventions
    depend on the row: ``G`` and ``H`` are noise flags of published cells (kept) in rows whose
    ``year >= noise_from`` (2017) *and* whose reported value is positive, and size classes
    otherwise (a suppressed cell reports 0); ``D``/``S`` are always withheld, the other
    letters A-M always size classes, so a panel that carries EMPFLAG-style letters after 2016
    (like the demo data) is read correctly. ``"size_class"`` reads G/H as size classes in
    every year; ``"noise"`` reads only D/S (withheld) and G/H/N (published). For real CBP
    files from 2017 on, pass the noise-flag column (``emp_nf``) with ``scheme="noise"``: a
    published cell of 0 employees flagged G would otherwise be read as size class G.

    An ``overrides`` table (columns: some of ``region, industry, year`` present in ``emp``, and
    ``value``) wins over both rules for the suppressed cells it matches (CMP's optional
    ``other/overrides.csv``).

    Parameters
    ----------
    emp : pandas.DataFrame
        Employment rows (``region, industry, year, employment``, the flag column, optionally
        ``establishments``). Never modified.
    flag : str
        Column with the CBP flag (missing / empty = not suppressed).
    value : str
        The employment column (numeric, >= 0).
    method : {"midpoint", "lower"}
        Value used for a size-class letter.
    overrides : pandas.DataFrame, optional
        Replacement values for suppressed cells.
    scheme : {"auto", "size_class", "noise"}
        How the flag letters are read (see above).
    establishments : str
        Establishments column used by the noise-flag rule.
    noise_from : int
        First data year read with the noise convention under ``scheme="auto"``.

    Returns
    -------
    pandas.DataFrame
        ``emp`` with ``value`` filled (float when imputed values are not whole numbers),
        ``<value>_reported`` (the value as published: 0 for suppressed cells), boolean
        ``imputed`` and ``imputed_by`` (``"midpoint"``, ``"lower"``,
        ``"establishment_size"``, ``"override"``, or missing).

    Raises
    ------
    DataValidationError
        Unknown flag letters, negative or non-numeric employment, a missing value in an
        unflagged cell, malformed overrides.

    References
    ----------
    U.S. Cluster Mapping Project ``data/processing/naics_reducer.js``; U.S. Census Bureau, CBP
    record layouts (EMPFLAG, noise flags). Eckert, Fort, Schott & Yang (2020, NBER w26632)
    give an LP alternative to midpoints (not implemented).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.mapping import impute_suppressed
    >>> emp = pd.DataFrame({"region": ["a", "a", "b"], "industry": ["336411"] * 3,
    ...                     "year": 2016, "employment": [120, 0, 0], "emp_flag": [None, "B", "L"]})
    >>> impute_suppressed(emp)[["employment", "employment_reported", "imputed"]]
       employment  employment_reported  imputed
    0         120                  120    False
    1          60                    0     True
    2       75000                    0     True
    """
    check_choice(method, ["midpoint", "lower"], argument="method")
    check_choice(scheme, ["auto", "size_class", "noise"], argument="scheme")
    check_frame(emp, required=[flag, value], name="emp")
    reported = emp[value]
    flags = emp[flag].astype("string").str.strip().str.upper()
    flags = flags.mask(flags == "", pd.NA)
    flagged = flags.notna().to_numpy()
    # values of flagged cells are discarded (CMP zeroes them); the rest must be valid counts
    check_table(emp.loc[~flagged], name="emp", values=[value])

    if scheme == "auto":
        if "year" in emp.columns and pd.api.types.is_numeric_dtype(emp["year"]):
            noise_rows = (emp["year"] >= noise_from).fillna(False).to_numpy()
        else:
            noise_rows = np.zeros(len(emp), dtype=bool)
    else:
        noise_rows = np.full(len(emp), scheme == "noise")
    letters = flags.fillna("").to_numpy(dtype=object)
    withheld = np.isin(letters, NOISE_WITHHELD) & flagged
    published_noise = noise_rows & flagged & np.isin(letters, NOISE_PUBLISHED)
    if scheme == "auto":  # G/H on a zero cell after 2016: an EMPFLAG-style size class
        value_num = pd.to_numeric(reported, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        published_noise &= (value_num > 0) | (letters == "N")
    size_class = flagged & ~withheld & ~published_noise & np.isin(letters, list(SIZE_CLASSES))
    if scheme == "noise":
        size_class[:] = False
    unknown = flagged & ~withheld & ~size_class & ~published_noise
    if unknown.any():
        raise DataValidationError(
            f"emp: {unknown.sum()} rows have an unknown {flag} value "
            f"({preview(pd.unique(letters[unknown]))})",
            problem_frame(
                {
                    "file": "emp",
                    "row": r,
                    "column": flag,
                    "expected": f"A-M (size class) or D/S (withheld); G/H/N from {noise_from}",
                    "found": str(f),
                }
                for r, f in zip(row_numbers(emp, unknown)[:50], letters[unknown][:50], strict=False)
            ),
        )
    filled = pd.to_numeric(reported, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    reported_out = np.where(size_class | withheld, 0.0, filled)
    filled = reported_out.copy()
    how = np.full(len(emp), None, dtype=object)

    table = CMP_MIDPOINTS if method == "midpoint" else {k: v[0] for k, v in SIZE_CLASSES.items()}
    if size_class.any():
        filled[size_class] = pd.Series(letters[size_class]).map(table).to_numpy(dtype=float)
        how[size_class] = method
    if withheld.any():
        filled[withheld] = _establishment_rule(
            emp,
            withheld,
            suppressed=size_class | withheld,
            value_filled=reported_out,
            establishments=establishments,
        )
        how[withheld] = "establishment_size"
    suppressed = size_class | withheld
    if overrides is not None:
        _apply_overrides(emp, overrides, value, suppressed, filled, how)

    out = emp.copy()
    out[f"{value}_reported"] = _like(reported_out, reported)
    out[value] = _like(filled, reported)
    out["imputed"] = suppressed
    out["imputed_by"] = pd.array(how, dtype="string")
    return out


def _like(values: np.ndarray, original: pd.Series):
    """Keep an integer dtype when every value is whole."""
    if (
        pd.api.types.is_integer_dtype(original)
        and np.all(np.isfinite(values))
        and np.all(values == np.round(values))
    ):
        return values.astype(original.dtype if original.dtype.kind == "i" else "int64")
    return values


def _establishment_rule(emp, withheld, *, suppressed, value_filled, establishments):
    if establishments not in emp.columns:
        raise DataValidationError(
            f"emp: {withheld.sum()} withheld cells (noise flag D/S) need an {establishments!r} "
            "column to be imputed (employment per establishment rule)",
            problem_frame(
                [
                    {
                        "file": "emp",
                        "column": establishments,
                        "expected": "column present",
                        "found": "missing",
                    }
                ]
            ),
        )
    check_table(emp, name="emp", values=[establishments])
    est = emp[establishments].to_numpy(dtype=float)
    keys_ind = [c for c in ("industry", "year") if c in emp.columns]
    keys_year = [c for c in ("year",) if c in emp.columns]
    published = ~suppressed

    def mean_size(keys):
        frame = pd.DataFrame(
            {"emp": np.where(published, value_filled, 0.0), "est": np.where(published, est, 0.0)}
        )
        for k in keys:
            frame[k] = emp[k].to_numpy()
        if not keys:
            tot = frame[["emp", "est"]].sum()
            return np.full(len(frame), tot["emp"] / tot["est"] if tot["est"] else np.nan)
        sums = frame.groupby(keys, sort=False, dropna=False)[["emp", "est"]].transform("sum")
        with np.errstate(divide="ignore", invalid="ignore"):
            return (sums["emp"] / sums["est"]).to_numpy()

    size = mean_size(keys_ind)
    fallback = mean_size(keys_year)
    size = np.where(np.isfinite(size), size, fallback)
    result = np.round(est[withheld] * size[withheld])
    if not np.isfinite(result).all():
        warnings.warn(
            "some withheld cells could not be imputed (no published cell with "
            "establishments in their year): set to 0",
            DataWarning,
            stacklevel=3,
        )
        result = np.where(np.isfinite(result), result, 0.0)
    return result


def _apply_overrides(emp, overrides, value, suppressed, filled, how):
    keys = [k for k in _KEYS if k in getattr(overrides, "columns", []) and k in emp.columns]
    if not keys:
        raise ParameterError(
            "overrides needs at least one of the key columns "
            f"{', '.join(_KEYS)} that emp also has, plus {value!r}"
        )
    check_table(overrides, name="overrides", keys=keys, values=[value], unique=True)
    left = emp[keys].copy()
    right = overrides[keys + [value]].rename(columns={value: "_override"}).copy()
    for k in keys:
        if left[k].dtype != right[k].dtype and not (
            pd.api.types.is_numeric_dtype(left[k]) and pd.api.types.is_numeric_dtype(right[k])
        ):
            left[k], right[k] = left[k].astype(str), right[k].astype(str)
    left["_pos"] = np.arange(len(left))
    matched = left.merge(right, on=keys, how="inner")
    pos = matched["_pos"].to_numpy()
    vals = matched["_override"].to_numpy(dtype=float)
    use = suppressed[pos]
    if (~use).any():
        warnings.warn(
            f"{int((~use).sum())} override rows match cells that are not suppressed "
            "and were ignored",
            DataWarning,
            stacklevel=3,
        )
    filled[pos[use]] = vals[use]
    how[pos[use]] = "override"
