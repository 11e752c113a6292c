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
    """One-sentence description of the disclosure rule (for footers and README sheets)."""
    rule = dict(rule or {})
    m = rule.get("min_count", 3)
    dom = rule.get("dominance", (1, 0.85))
    parts = [f"cells built from fewer than {m} contributors are suppressed"]
    if dom is not None and rule.get("contributors", True):
        parts.append(f"so are cells where the largest {dom[0]} contributor(s) hold more than "
                     f"{dom[1]:.0%} of the total")
    k = rule.get("min_dispersion", 5)
    parts.append(f"standard deviations, minima, maxima, medians and intervals need at least {k}")
    margin = rule.get("margin", 0.10)
    parts.append("further cells and totals are withheld where needed so that no suppressed "
                 f"value can be narrowed to within {margin:.0%} from anything else published "
                 "(all tables of a page together); firm names and identifiers are removed "
                 "unless the firm consented")
    return "Disclosure control: " + "; ".join(parts) + "."


def to_csv(table: Protected, path: str | os.PathLike, *, analyst: bool = False) -> Path:
    """Write a protected table as CSV (UTF-8, no index) and return the path."""
    p = ensure_protected(table, analyst=analyst)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    p.table.to_csv(path, index=False)
    return path


def to_excel(tables: Protected | Mapping[str, Protected], path: str | os.PathLike, *,
             analyst: bool = False) -> Path:
    """Write one or more protected tables to an Excel workbook, one sheet each, plus a
    ``README`` sheet stating the disclosure rule (or the analyst-mode warning)."""
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
        for name, t in checked:
            sheet = _sheet_name(name, used)
            t.table.to_excel(writer, sheet_name=sheet, index=False)
    return path


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in '[]:*?/\\')[:31] or "table"
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


def to_html(table: Protected, *, analyst: bool = False, max_rows: int = 60,
            float_format: str = "{:,.3g}") -> str:
    """An HTML ``<table>`` of a protected table; suppressed cells show as ``x``."""
    p = ensure_protected(table, analyst=analyst)
    df = p.table
    flag = df.pop("suppressed") if "suppressed" in df.columns else pd.Series(False, index=df.index)
    shown = df.head(max_rows)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for i, row in shown.iterrows():
        cells = []
        for c in shown.columns:
            v = row[c]
            if pd.isna(v) if not isinstance(v, list | tuple) else False:
                text = "x" if bool(flag.loc[i]) else ""
                cells.append(f'<td class="cl-x">{text}</td>')
                continue
            text = _number(v, float_format) if isinstance(v, float) else str(v)
            cls = f' class="cl-status-{html.escape(text)}"' if c == "status" else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = (f'<p class="cl-note">{len(df) - max_rows} more rows in the download.</p>'
            if len(df) > max_rows else "")
    return (f'<table class="cl-table"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>" + more)
