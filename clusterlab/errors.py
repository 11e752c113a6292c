"""Exceptions and warnings raised by clusterlab.

Every error a user can cause with bad input is a subclass of :class:`ClusterlabError`;
every warning is a subclass of :class:`ClusterlabWarning`, so that users can filter
them by class (``warnings.simplefilter("ignore", clusterlab.errors.UnmappedWarning)``).

Examples
--------
>>> import pandas as pd
>>> from clusterlab.errors import DataValidationError
>>> err = DataValidationError(
...     "1 problem", problems=pd.DataFrame(
...         {"file": ["emp.csv"], "row": [3], "column": ["employment"],
...          "expected": [">= 0"], "found": ["-5"]}))
>>> err.problems.loc[0, "column"]
'employment'
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "ClusterlabError",
    "DataValidationError",
    "ParameterError",
    "DisclosureError",
    "RunError",
    "ClusterlabWarning",
    "DataWarning",
    "UnmappedWarning",
    "CoverageWarning",
    "EstimationWarning",
    "FewTreatedWarning",
    "ClusterlabFutureWarning",
    "PROBLEM_COLUMNS",
]

#: Columns of the problems table carried by :class:`DataValidationError`.
PROBLEM_COLUMNS = ["file", "row", "column", "expected", "found"]


class ClusterlabError(Exception):
    """Base class of every error clusterlab raises on purpose."""


class DataValidationError(ClusterlabError, ValueError):
    """Input data does not meet its contract.

    Parameters
    ----------
    message : str
        One-line summary.
    problems : pandas.DataFrame, optional
        One row per problem with columns ``file, row, column, expected, found``
        (``row`` is the line of the file for a file — header = line 1 — and the 0-based
        position for a DataFrame;
        missing values where a problem concerns the whole file or column).
    """

    def __init__(self, message: str, problems: pd.DataFrame | None = None):
        if problems is None:
            problems = pd.DataFrame(columns=PROBLEM_COLUMNS)
        problems = problems.reset_index(drop=True)
        for col in PROBLEM_COLUMNS:
            if col not in problems.columns:
                problems[col] = pd.NA
        self.problems = problems[PROBLEM_COLUMNS + [c for c in problems.columns
                                                    if c not in PROBLEM_COLUMNS]]
        super().__init__(message)

    def __str__(self) -> str:  # pragma: no cover - formatting only
        base = super().__str__()
        if self.problems.empty:
            return base
        shown = self.problems.head(20).to_string(index=False)
        more = len(self.problems) - 20
        tail = f"\n... and {more} more problems" if more > 0 else ""
        return f"{base}\n{shown}{tail}"


class ParameterError(ClusterlabError, ValueError):
    """A parameter file or a function argument is invalid.

    Parameters
    ----------
    message : str
        One-line summary (further lines may list the problems).
    problems : pandas.DataFrame, optional
        The same problems table as :class:`DataValidationError` carries (``file, row, column,
        expected, found``; for a parameter file ``column`` holds the key and ``row`` the line
        of the file when known). Empty when the error concerns a function argument.
    """

    def __init__(self, message: str = "", problems: pd.DataFrame | None = None):
        if problems is None:
            problems = pd.DataFrame(columns=PROBLEM_COLUMNS)
        problems = problems.reset_index(drop=True)
        for col in PROBLEM_COLUMNS:
            if col not in problems.columns:
                problems[col] = pd.NA
        self.problems = problems[PROBLEM_COLUMNS + [c for c in problems.columns
                                                    if c not in PROBLEM_COLUMNS]]
        super().__init__(message)


class DisclosureError(ClusterlabError):
    """A table would be published without disclosure control."""


class RunError(ClusterlabError):
    """A batch run could not be started or completed."""


class ClusterlabWarning(UserWarning):
    """Base class of every warning clusterlab emits."""


class DataWarning(ClusterlabWarning):
    """Input data is usable but questionable (missing values dropped, odd ranges)."""


class UnmappedWarning(DataWarning):
    """Some rows could not be matched to a reference table (e.g. industries without a cluster)."""


class CoverageWarning(ClusterlabWarning):
    """Too few answers or reporting units for a result to be reliable."""


class EstimationWarning(ClusterlabWarning):
    """An estimator ran but its result needs care (few clusters, no overlap, singular design)."""


class FewTreatedWarning(EstimationWarning):
    """Very few treated units (e.g. one region or one initiative): clustered or
    heteroskedasticity-robust standard errors are unreliable; read the randomization
    (permutation) inference or the synthetic control instead."""


class ClusterlabFutureWarning(ClusterlabWarning, FutureWarning):
    """A public argument, choice or parameter key was renamed; the old name still works for one
    release and then goes (the message names the new one)."""
