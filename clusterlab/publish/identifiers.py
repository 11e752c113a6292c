"""Identifiers of contributors: name variants, scrubbing, and the final scan of artifacts.

A contributor who has not consented must not be named anywhere in a publication, in any
spelling. :func:`name_variants` turns an id or a name into the token sequences an intruder
would recognise — the full name and the name without its legal form (``Ltd``, ``GmbH``, …),
and for names of three or more words their first two words — matched case-insensitively on
whole tokens. :func:`scan_text` and :func:`scan_artifacts` look for every variant in text and
in written files (HTML, CSV, Excel workbooks, widget state); :func:`scrub_frame` replaces
every text cell holding one by ``[withheld]``.

Examples
--------
>>> sorted(name_variants("Harbor Lane Logistics Ltd"))
['harbor lane', 'harbor lane logistics', 'harbor lane logistics ltd']
>>> scan_text("Top partner: HARBOR LANE (shipping)", ["Harbor Lane Logistics Ltd"])
['Harbor Lane Logistics Ltd']
>>> scan_text("Harborside Lanes", ["Harbor Lane Logistics Ltd"])
[]
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = ["name_variants", "scan_text", "scan_artifacts", "scrub_frame", "WITHHELD", "LEGAL_FORMS"]

WITHHELD = "[withheld]"
#: Legal-form words dropped to form the short variant of a name.
LEGAL_FORMS = frozenset(
    {
        "ltd",
        "limited",
        "llc",
        "inc",
        "corp",
        "co",
        "plc",
        "gmbh",
        "ag",
        "kg",
        "sa",
        "sas",
        "sarl",
        "bv",
        "nv",
        "ab",
        "oy",
        "as",
        "aps",
        "srl",
        "spa",
        "lp",
        "llp",
        "group",
        "holding",
        "holdings",
        "company",
    }
)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(str(text).casefold())


def name_variants(name) -> set[str]:
    """Token sequences (lower case, single-spaced) under which ``name`` is recognisable."""
    toks = _tokens(name)
    if not toks:
        return set()
    out = {" ".join(toks)}
    core = list(toks)
    while len(core) > 1 and core[-1] in LEGAL_FORMS:
        core.pop()
    out.add(" ".join(core))
    if len(core) >= 3:
        out.add(" ".join(core[:2]))
    return out


def _matcher(names: Iterable) -> tuple[re.Pattern | None, dict[str, str]]:
    owner: dict[str, str] = {}
    for n in names:
        if n is None or (not isinstance(n, str) and pd.isna(n)) or str(n).strip() == "":
            continue
        for v in name_variants(n):
            owner.setdefault(v, str(n))
    if not owner:
        return None, owner
    alts = sorted(owner, key=len, reverse=True)
    body = "|".join(r"[\W_]+".join(re.escape(t) for t in v.split(" ")) for v in alts)
    return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE | re.UNICODE), owner


def _norm(hit: str) -> str:
    return " ".join(_tokens(hit))


def scan_text(text: str, names: Iterable, *, _compiled=None) -> list[str]:
    """Find which names occur, in some variant, in a text.

    Variants are those of :func:`name_variants` (the full name, the name without its legal
    form, the first two words of a longer name), matched case-insensitively on whole tokens.

    Parameters
    ----------
    text : str
        The text (a page, a CSV file's content).
    names : iterable of str
        Names or identifiers that must not appear (e.g. non-consenting contributors).
    _compiled : optional
        Internal: the compiled patterns of ``names`` when scanning many texts.

    Returns
    -------
    list of str
        The names (as given) of which some variant occurs, sorted.

    Examples
    --------
    >>> from clusterlab.publish import scan_text
    >>> scan_text("Acme Ltd and ACME are here", ["Acme Ltd", "Beta GmbH"])
    ['Acme Ltd']
    """
    pattern, owner = _compiled or _matcher(names)
    if pattern is None or not text:
        return []
    return sorted(
        {
            owner[_norm(m.group(0))]
            for m in pattern.finditer(str(text))
            if _norm(m.group(0)) in owner
        }
    )


def _file_text(path: Path) -> str:
    if path.suffix.lower() in (".xlsx", ".xlsm", ".docx", ".pptx", ".zip"):
        parts = []
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.filename.endswith((".xml", ".rels", ".json", ".txt", ".csv")):
                    raw = z.read(info).decode("utf-8", errors="replace")
                    parts.append(re.sub(r"<[^>]+>", " ", raw))
        return "\n".join(parts)
    return path.read_bytes().decode("utf-8", errors="replace")


def scan_artifacts(paths: Iterable[str | os.PathLike], names: Iterable) -> pd.DataFrame:
    """Find every occurrence of a name variant in the given files or folders (recursively).

    Parameters
    ----------
    paths : iterable of str or path-like
        Files or folders (folders are searched recursively).
    names : iterable of str
        Names or identifiers that must not appear.

    Returns
    -------
    pandas.DataFrame
        ``file, name`` — one row per file and name found (empty when the artifacts are clean).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from clusterlab.publish import scan_artifacts
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "page.html").write_text("<p>Beta GmbH</p>")
    ...     hits = scan_artifacts([tmp], ["Acme Ltd", "Beta GmbH"])
    >>> hits["file"].map(lambda f: Path(f).name).tolist(), hits["name"].tolist()
    (['page.html'], ['Beta GmbH'])
    """
    compiled = _matcher(names)
    rows = []
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        files += sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
    for f in files:
        text = _file_text(f)
        import html as _html

        text = _html.unescape(text)
        rows += [{"file": str(f), "name": n} for n in scan_text(text, (), _compiled=compiled)]
    return pd.DataFrame(rows, columns=["file", "name"])


def scrub_frame(table: pd.DataFrame, names: Iterable, *, skip=()) -> pd.DataFrame:
    """A copy of ``table`` whose text cells naming any of ``names`` read ``[withheld]``.

    Column names are checked too: a column named after a contributor is dropped.
    """
    compiled = _matcher(names)
    out = table.copy()
    if compiled[0] is None:
        return out
    out = out[[c for c in out.columns if not scan_text(str(c), (), _compiled=compiled)]]
    for col in out.columns:
        if col in skip:
            continue
        s = out[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        hit = s.map(lambda v: isinstance(v, str) and bool(scan_text(v, (), _compiled=compiled)))
        hit = hit.astype(bool).to_numpy()
        if hit.any():
            out[col] = s.astype(object)
            out.loc[hit, col] = WITHHELD
    return out
