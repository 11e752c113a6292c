"""Export of protected tables: CSV, Excel and HTML fragments.

Every function here takes :class:`~clusterlab.publish.protect.Protected` tables only; a plain
DataFrame raises :class:`~clusterlab.errors.DisclosureError`. The analyst's ``report`` (why a
cell was suppressed) is never written.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> from clusterlab.publish import protect, to_csv
>>> t = pd.DataFrame({"kind": ["firm", "agency"], "n_firms": [12, 1], "degree": [3.5, 9.0]})
>>> p = protect(t, count_col="n_firms", dims=["kind"], margins=False)
>>> path = to_csv(p, pathlib.Path(tempfile.mkdtemp()) / "centrality.csv")
>>> print(path.read_text().strip())
kind,n_firms,degree,suppressed
firm,12,3.5,False
agency,,,True
>>> to_csv(t, path)
Traceback (most recent call last):
...
clusterlab.errors.DisclosureError: refusing to publish an unprotected DataFrame: ...
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from clusterlab.errors import ParameterError
from clusterlab.publish.protect import Protected, ensure_protected

__all__ = ["to_csv", "to_excel", "to_html", "rule_text"]


def rule_text(rule: Mapping | None = None) -> str:
    """Describe the disclosure rule in one sentence (for footers and README sheets).

    Parameters
    ----------
    rule : mapping, optional
        The rule's parameters (``Protected.rule``). Default ``None``: the default rule.

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> from clusterlab.publish import rule_text
    >>> rule_text().split(";")[0]
    'Disclosure control: cells built from fewer than 3 contributors are suppressed'
    """
    rule = dict(rule or {})
    m = rule.get("min_count", 3)
    dom = rule.get("dominance", (1, 0.85))
    parts = [f"cells built from fewer than {m} contributors are suppressed"]
    if dom is not None and rule.get("contributors", True):
        parts.append(
            f"so are cells where the largest {dom[0]} contributor(s) hold more than "
            f"{dom[1]:.0%} of the total"
        )
    k = rule.get("min_dispersion", 5)
    parts.append(f"standard deviations, minima, maxima, medians and intervals need at least {k}")
    margin = rule.get("margin", 0.10)
    parts.append(
        "further cells and totals are withheld where needed so that no suppressed "
        f"value can be narrowed to within {margin:.0%} from anything else published "
        "(all tables of a page together); firm names and identifiers are removed "
        "unless the firm consented"
    )
    return "Disclosure control: " + "; ".join(parts) + "."


def _labelled_header(df: pd.DataFrame) -> pd.DataFrame:
    """The same table with a header row of labels (:func:`clusterlab.labels.header`); two
    columns with the same label keep their column name in brackets."""
    from clusterlab.labels import header

    heads, seen = {}, set()
    for c in df.columns:
        h = header(c, formatted=False)
        heads[c] = f"{h} [{c}]" if h in seen else h
        seen.add(heads[c])
    return df.rename(columns=heads)


def to_csv(
    table: Protected, path: str | os.PathLike, *, analyst: bool = False, labels: bool = False
) -> Path:
    """Write a protected table as CSV (UTF-8, no index).

    Parameters
    ----------
    table : Protected
        A table from :func:`protect` (a plain DataFrame is refused).
    path : str or path-like
        The file to write.
    analyst : bool, default False
        Allow an :func:`unprotected` (analyst-mode) table.
    labels : bool, default False
        Write a header row of labels with units (``Employment (jobs)``) instead of the column
        names; :func:`to_excel` adds a notes sheet that maps the two.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    DisclosureError
        For a table that did not pass :func:`protect` (or an analyst-mode table without
        ``analyst=True``).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.publish import protect
    >>> t = pd.DataFrame({"region": ["a", "b", "c", "d"], "n_firms": [2, 9, 12, 7],
    ...                   "employment": [10, 90, 120, 70]})
    >>> p = protect(t, count_col="n_firms", dims=["region"])
    >>> import tempfile
    >>> from pathlib import Path
    >>> from clusterlab.publish import to_csv
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     print(to_csv(p, Path(tmp) / "employment.csv").read_text())
    region,n_firms,employment,suppressed
    a,,,True
    b,9,90,False
    c,12,120,False
    d,,,True
    <BLANKLINE>
    """
    p = ensure_protected(table, analyst=analyst)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = _labelled_header(p.table) if labels else p.table
    out.to_csv(path, index=False)
    return path


def to_excel(
    tables: Protected | Mapping[str, Protected],
    path: str | os.PathLike,
    *,
    analyst: bool = False,
    labels: bool = False,
) -> Path:
    """Write one or more protected tables to an Excel workbook, one sheet each.

    A first ``README`` sheet states the disclosure rule (or the analyst-mode warning).

    Parameters
    ----------
    tables : Protected or mapping of str to Protected
        One table, or sheet name → table.
    path : str or path-like
        The ``.xlsx`` file to write.
    analyst : bool, default False
        Allow :func:`unprotected` (analyst-mode) tables.
    labels : bool, default False
        Give every sheet a header row of labels with units and add a ``Notes`` sheet:
        ``sheet, column, label, unit, explanation`` for every column.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    DisclosureError
        For a table that did not pass :func:`protect`.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.publish import protect
    >>> t = pd.DataFrame({"region": ["a", "b", "c", "d"], "n_firms": [2, 9, 12, 7],
    ...                   "employment": [10, 90, 120, 70]})
    >>> p = protect(t, count_col="n_firms", dims=["region"])
    >>> import tempfile
    >>> from pathlib import Path
    >>> from clusterlab.publish import to_excel
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = to_excel({"employment": p}, Path(tmp) / "tables.xlsx")
    ...     with pd.ExcelFile(path) as book:
    ...         print(book.sheet_names)
    ['README', 'employment']
    """
    if isinstance(tables, Mapping):
        items = list(tables.items())
    else:
        items = [(getattr(tables, "name", "") or "table", tables)]
    checked = [(str(name), ensure_protected(t, analyst=analyst)) for name, t in items]
    if not checked:
        raise ParameterError("to_excel: no tables given")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    notes = [rule_text(checked[0][1].rule)]
    if any(t.analyst for _, t in checked):
        notes.insert(0, "ANALYST MODE: these tables are NOT disclosure-protected. Do not publish.")
    used: set[str] = {"README"}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"note": notes}).to_excel(writer, sheet_name="README", index=False)
        described = []
        if labels:
            used.add("Notes")
        for name, t in checked:
            sheet = _sheet_name(name, used)
            out = _labelled_header(t.table) if labels else t.table
            out.to_excel(writer, sheet_name=sheet, index=False)
            if labels:
                from clusterlab.labels import describe

                d = describe(t.table.columns)
                d.insert(0, "sheet", sheet)
                d["label"] = list(out.columns)
                described.append(d)
        if labels:
            pd.concat(described, ignore_index=True).to_excel(
                writer, sheet_name="Notes", index=False
            )
    return path


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "table"
    sheet, i = base, 1
    while sheet in used:
        i += 1
        sheet = f"{base[:28]}_{i}"
    used.add(sheet)
    return sheet


def _number(v: float, float_format: str) -> str:
    """Counts and large values in full with thousands separators (9,602 not 9.6e+03);
    other values with ``float_format`` (three significant digits)."""
    if v == v and abs(v) != float("inf") and (v.is_integer() or abs(v) >= 1000):
        return f"{v:,.0f}"
    return float_format.format(v)


def to_html(
    table: Protected,
    *,
    analyst: bool = False,
    max_rows: int = 60,
    float_format: str = "{:,.3g}",
    labelled: bool = False,
    names=None,
    max_columns: int = 8,
    caption: str = "",
) -> str:
    """Write a protected table as an HTML ``<table>``; suppressed cells show as ``x``.

    With ``labelled=True`` the table is for people: only its meaningful columns
    (:func:`clusterlab.labels.shown_columns`, at most ``max_columns``), headers as labels with
    units, codes as names (``names``), numbers with thousands separators and %, and a note that
    the other columns are in the download. The table sits in a ``cl-table-wrap`` box that
    scrolls sideways instead of the page.

    Parameters
    ----------
    table : Protected
        A table from :func:`protect`.
    analyst : bool, default False
        Allow an :func:`unprotected` (analyst-mode) table.
    max_rows : int, default 60
        Most rows shown.
    float_format : str, default "{:,.3g}"
        Format of numbers when not ``labelled``.
    labelled : bool, default False
        The table for people (see above).
    names : clusterlab.labels.Names, optional
        Names for code columns when ``labelled``. Default ``None``.
    max_columns : int, default 8
        Most columns shown when ``labelled``.
    caption : str, default ""
        The table's caption.

    Returns
    -------
    str
        The HTML.

    Raises
    ------
    DisclosureError
        For a table that did not pass :func:`protect`.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterlab.publish import protect
    >>> t = pd.DataFrame({"region": ["a", "b", "c", "d"], "n_firms": [2, 9, 12, 7],
    ...                   "employment": [10, 90, 120, 70]})
    >>> p = protect(t, count_col="n_firms", dims=["region"])
    >>> from clusterlab.publish import to_html
    >>> html = to_html(p, caption="Employment by region")
    >>> html.count('class="cl-x"')
    4
    """
    from clusterlab import labels as lab

    p = ensure_protected(table, analyst=analyst)
    df = p.table
    flag = df.pop("suppressed") if "suppressed" in df.columns else pd.Series(False, index=df.index)
    hidden = 0
    if labelled:
        status = df["status"].copy() if "status" in df.columns else None
        df = lab.named(df, names=names, drop_name_columns=True)
        cols = lab.shown_columns(df.columns, max_columns=max_columns)
        hidden = len(df.columns) - len(cols)
        df = df[cols]
    shown = df.head(max_rows)
    head = "".join(
        f'<th scope="col">{html.escape(lab.header(c) if labelled else str(c))}</th>'
        for c in shown.columns
    )
    rows = []
    for i, row in shown.iterrows():
        cells = []
        for c in shown.columns:
            v = row[c]
            if pd.isna(v) if not isinstance(v, list | tuple) else False:
                text = "x" if bool(flag.loc[i]) else ""
                title = ' title="suppressed by disclosure control"' if text else ""
                cells.append(f'<td class="cl-x"{title}>{text}</td>')
                continue
            if labelled and not isinstance(v, str):
                text = lab.format_value(v, c)
            else:
                text = _number(v, float_format) if isinstance(v, float) else str(v)
            code = (
                (status.loc[i] if labelled and status is not None else text)
                if c == "status"
                else None
            )
            cls = f' class="cl-status-{html.escape(str(code))}"' if c == "status" else ""
            num = "" if isinstance(v, str) else ' data-num="1"'
            cells.append(f"<td{cls}{num}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    notes = []
    if len(df) > max_rows:
        notes.append(f"{len(df) - max_rows} more rows")
    if hidden:
        notes.append(f"{hidden} more columns")
    more = f'<p class="cl-note">{" and ".join(notes)} in the download.</p>' if notes else ""
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<div class="cl-table-wrap"><table class="cl-table">{cap}<thead><tr>{head}</tr>'
        "</thead><tbody>" + "".join(rows) + "</tbody></table></div>" + more
    )
