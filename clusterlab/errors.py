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


def _problems_table(problems: pd.DataFrame | None) -> pd.DataFrame:
    """The problems table an error carries: ``PROBLEM_COLUMNS`` first (missing ones filled with
    ``<NA>``), then any extra columns, on a fresh 0-based index."""
    if problems is None:
        problems = pd.DataFrame(columns=PROBLEM_COLUMNS)
    problems = problems.reset_index(drop=True)
    for col in PROBLEM_COLUMNS:
        if col not in problems.columns:
            problems[col] = pd.NA
    return problems[PROBLEM_COLUMNS + [c for c in problems.columns if c not in PROBLEM_COLUMNS]]


class ClusterlabError(Exception):
    """Base class of every error clusterlab raises on purpose.

    Catch it to handle any error a user can cause with bad input or bad parameters; the
    subclasses say what went wrong (:class:`DataValidationError`, :class:`ParameterError`,
    :class:`DisclosureError`, :class:`RunError`); the two about input,
    :class:`DataValidationError` and :class:`ParameterError`, carry a ``.problems`` table.

    Examples
    --------
    >>> from clusterlab import io
    >>> from clusterlab.errors import ClusterlabError
    >>> try:
    ...     io.read("no_such_file.csv", "employment")
    ... except ClusterlabError as err:
    ...     print(type(err).__name__, err.problems.loc[0, ["expected", "found"]].tolist())
    DataValidationError ['an existing file', 'no such file']
    """


class DataValidationError(ClusterlabError, ValueError):
    """Input data does not meet its contract.

    Raised by the readers and validators (:func:`clusterlab.io.read`,
    :func:`clusterlab.io.validate_frame`, ``clusterlab._validation.check_frame``) and by every
    analysis function that is given a table without the columns, types or values it needs.

    Parameters
    ----------
    message : str
        One-line summary.
    problems : pandas.DataFrame, optional
        One row per problem with columns ``file, row, column, expected, found``
        (``row`` is the line of the file for a file — header = line 1 — and the 0-based
        position for a DataFrame;
        missing values where a problem concerns the whole file or column). Default ``None``:
        an empty table with these columns.

    Attributes
    ----------
    problems : pandas.DataFrame
        The problems table, columns ``file, row, column, expected, found`` first.

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> from clusterlab import io
    >>> from clusterlab.errors import DataValidationError
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "employment.csv")
    ...     pd.DataFrame({"region": ["01"], "industry": ["111110"], "year": [2020],
    ...                   "employment": [-5]}).to_csv(path, index=False)
    ...     try:
    ...         io.read(path, "employment")
    ...     except DataValidationError as err:
    ...         print(err.problems[["row", "column", "expected"]].to_string(index=False))
     row     column expected
       2 employment     >= 0
    """

    def __init__(self, message: str, problems: pd.DataFrame | None = None):
        self.problems = _problems_table(problems)
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

    Raised by :func:`clusterlab.params.load_parameters` for a bad parameter file (unknown key,
    wrong type, value out of range, missing data file), by :func:`clusterlab.runner.plan` before
    anything runs, and by any function given an argument outside its choices.

    Parameters
    ----------
    message : str, default ""
        One-line summary (further lines may list the problems).
    problems : pandas.DataFrame, optional
        The same problems table as :class:`DataValidationError` carries (``file, row, column,
        expected, found``; for a parameter file ``column`` holds the key and ``row`` the line
        of the file when known). Default ``None``: empty, as when the error concerns a
        function argument.

    Attributes
    ----------
    problems : pandas.DataFrame
        The problems table, columns ``file, row, column, expected, found`` first.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from clusterlab.params import load_parameters
    >>> from clusterlab.errors import ParameterError
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "north.yaml"
    ...     _ = path.write_text("cluster: north\\nseed: many\\n")
    ...     try:
    ...         load_parameters(path)
    ...     except ParameterError as err:
    ...         print(err.problems.loc[0, ["row", "column"]].tolist())
    [2, 'seed']
    """

    def __init__(self, message: str = "", problems: pd.DataFrame | None = None):
        self.problems = _problems_table(problems)
        super().__init__(message)


class DisclosureError(ClusterlabError):
    """A table would be published without disclosure control.

    Raised by :mod:`clusterlab.publish` when a results table has no results contract, when a
    table that was not protected is exported, or when protection cannot make a table safe.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.errors import DisclosureError
    >>> from clusterlab.publish import to_csv
    >>> try:
    ...     to_csv(pd.DataFrame({"n_firms": [1]}), "table.csv")
    ... except DisclosureError as err:
    ...     print("refused")
    refused
    """


class RunError(ClusterlabError):
    """A batch run could not be started or completed.

    Raised by :mod:`clusterlab.runner` when there are no notebooks or parameter files to run,
    two parameter files name the same cluster, or the executor fails.

    Examples
    --------
    >>> from clusterlab.errors import RunError
    >>> from clusterlab.runner import plan
    >>> try:
    ...     plan([], [])
    ... except RunError as err:
    ...     print(err)
    no notebooks to run
    """


class ClusterlabWarning(UserWarning):
    """Base class of every warning clusterlab emits.

    Examples
    --------
    >>> import warnings
    >>> from clusterlab.errors import ClusterlabWarning
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", ClusterlabWarning)  # silence all of ours
    ...     warnings.warn("a note", ClusterlabWarning)
    """


class DataWarning(ClusterlabWarning):
    """Input data is usable but questionable (missing values dropped, odd ranges).

    Examples
    --------
    >>> import warnings
    >>> from clusterlab.errors import DataWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("2 rows without employment dropped", DataWarning)
    >>> caught[0].category.__name__
    'DataWarning'
    """


class UnmappedWarning(DataWarning):
    """Some rows could not be matched to a reference table (e.g. industries without a cluster).

    Examples
    --------
    >>> import warnings
    >>> from clusterlab.errors import UnmappedWarning
    >>> warnings.simplefilter("ignore", UnmappedWarning)  # e.g. in a notebook
    >>> warnings.resetwarnings()
    """


class CoverageWarning(ClusterlabWarning):
    """Too few answers or reporting units for a result to be reliable.

    Examples
    --------
    >>> import warnings
    >>> from clusterlab.errors import CoverageWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("3 of 40 firms answered", CoverageWarning)
    >>> issubclass(caught[0].category, CoverageWarning)
    True
    """


class EstimationWarning(ClusterlabWarning):
    """An estimator ran but its result needs care (few clusters, no overlap, singular design).

    Examples
    --------
    >>> import warnings
    >>> from clusterlab.errors import EstimationWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("only 4 clusters", EstimationWarning)
    >>> caught[0].category is EstimationWarning
    True
    """


class FewTreatedWarning(EstimationWarning):
    """Very few treated units: clustered or robust standard errors are unreliable.

    Emitted when e.g. one region or one initiative is treated; read the randomization
    (permutation) inference or the synthetic control instead.

    Examples
    --------
    >>> from clusterlab.errors import EstimationWarning, FewTreatedWarning
    >>> issubclass(FewTreatedWarning, EstimationWarning)
    True
    """


class ClusterlabFutureWarning(ClusterlabWarning, FutureWarning):
    """A public argument, choice or parameter key was renamed.

    The old name still works for one release and then goes; the message names the new one.

    Examples
    --------
    >>> import warnings
    >>> from clusterlab.errors import ClusterlabFutureWarning
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", ClusterlabFutureWarning)  # find old names in a script
    ...     try:
    ...         warnings.warn("ci= is now alpha=", ClusterlabFutureWarning)
    ...     except ClusterlabFutureWarning as w:
    ...         print(w)
    ci= is now alpha=
    """
