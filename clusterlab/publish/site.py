"""The static site: self-contained HTML pages built from protected results tables.

``export_site("site/")`` writes ``index.html`` (the landing page: every cluster with its full
name, region, last successful run and three headline figures), one ``cluster-<name>.html`` per
cluster (headline cards first, then a section per question, the map, downloads and a footer
with run id, run date, parameter hash and package version), ``benchmark.html``, ``help.html``
(how to read each section) and ``data/<cluster>/`` downloads (a CSV per table with a header
row of labels, plus one Excel workbook with a notes sheet). Pages carry no script and load
nothing from anywhere: the one stylesheet (:mod:`clusterlab.publish.style`) is inline and
figures and the map are inline SVG, so the site renders offline from ``file://``. Every table
on it passed :func:`clusterlab.publish.protect` (unless ``analyst=True``, which marks every
page). Only runs whose notebooks all succeeded are published (plus run folders without a
manifest); ``clusters=`` publishes a subset.

Examples
--------
>>> import pandas as pd, tempfile
>>> from clusterlab import results
>>> from clusterlab.publish import export_site
>>> root = tempfile.mkdtemp()
>>> _ = results.save(pd.DataFrame({"outcome": ["employment"], "method": ["did"],
...                                "term": ["member"], "estimate": [0.05], "ci_low": [-0.01],
...                                "ci_high": [0.11], "n_firms": [120]}), "member_effects",
...                  output_dir=f"{root}/run1/northport_maritime")
>>> index = export_site(tempfile.mkdtemp(), results_root=root)
>>> sorted(p.name for p in index.parent.glob("*.html"))
['benchmark.html', 'cluster-northport_maritime.html', 'help.html', 'index.html']
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from clusterlab.errors import DisclosureError, ParameterError
from clusterlab.publish.export import to_csv, to_excel
from clusterlab.publish.guide import GUIDE
from clusterlab.publish.identifiers import scan_artifacts
from clusterlab.publish.publication import contributor_names, protect_publication
from clusterlab.publish.runs import (
    boundaries_for,
    latest_runs,
    page_names,
    run_info,
    successful_runs,
)
from clusterlab.publish.sections import (
    benchmark_sections,
    cluster_sections,
    landing_html,
    landing_rows,
    prepare_cluster,
)
from clusterlab.publish.sources import load_results, run_notes
from clusterlab.publish.style import CSS as _CONTENT_CSS
from clusterlab.publish.style import PAGE_CSS
from clusterlab.publish.views import (
    ANALYST_BANNER,
    PUBLIC_NOTE,
    Section,
    clusters_in,
)

__all__ = ["export_site", "write_audit", "page_html", "footer_html", "CSS"]

#: The stylesheet of a static page (frame + content; the dashboards use the content part).
CSS = PAGE_CSS + _CONTENT_CSS


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(name)).strip("-") or "cluster"


def footer_html(run: pd.Series | dict | None, *, generated: bool = True) -> str:
    """Footer: run id, run date, parameter hash and package version (what is known)."""
    from clusterlab import __version__

    bits = []
    if run is not None:
        get = run.get
        if get("run_id"):
            bits.append(f"Run {get('run_id')}")
        finished = get("finished")
        if finished is not None and pd.notna(finished):
            bits.append(f"run date {pd.Timestamp(finished).strftime('%Y-%m-%d %H:%M UTC')}")
        if get("parameter_hash") and pd.notna(get("parameter_hash")):
            bits.append(f"parameters {get('parameter_hash')}")
        version = get("version") if get("version") and pd.notna(get("version")) else __version__
    else:
        version = __version__
    bits.append(f"clusterlab {version}")
    if generated:
        bits.append(f"page generated {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    return f'<footer class="cl-footer">{html.escape(" · ".join(bits))}</footer>'


def page_html(
    title: str,
    sections: list[Section],
    *,
    analyst: bool,
    nav: str = "",
    intro: str = "",
    footer: str = "",
    heading: int = 2,
) -> str:
    """A complete, script-free HTML page (sections under ``<h{heading}>`` headings)."""
    banner = f'<div class="cl-banner">{html.escape(ANALYST_BANNER)}</div>' if analyst else ""
    note = ANALYST_BANNER if analyst else PUBLIC_NOTE
    h = heading
    body = "".join(
        f'<section class="cl-section" id="{s.key}"><h{h}>{html.escape(s.title)}'
        f"</h{h}>{s.html}</section>"
        for s in sections
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f'{banner}<header><nav aria-label="pages"><strong>clusterlab</strong> · {nav}'
        f'</nav></header><main class="cl-page">'
        f"<h1>{html.escape(title)}</h1>{intro}{body}"
        f'<p class="cl-note">{html.escape(note)}</p>'
        f"{footer or footer_html(None)}</main></body></html>"
    )


def export_site(
    output_dir: str | os.PathLike,
    *,
    results_root: str | os.PathLike = "outputs",
    analyst: bool = False,
    clusters: Iterable[str] | None = None,
    successful_only: bool = True,
    audit: str | os.PathLike | None = None,
) -> Path:
    """Write the static site for the results below ``results_root``.

    The site is built in a temporary folder beside ``output_dir`` and scanned for every
    identifier and name variant of non-consenting contributors
    (:func:`clusterlab.publish.identifiers.scan_artifacts`); only a clean site is moved into
    place — a hit raises :class:`~clusterlab.errors.DisclosureError` and nothing is written.

    Parameters
    ----------
    output_dir : str or path-like
        Target folder (created; existing pages are overwritten).
    results_root : str or path-like, default "outputs"
        Folder with ``<run_id>/<cluster>/tables/*.parquet``.
    analyst : bool, default False
        Publish the unprotected tables (every page then carries the analyst-mode banner; the
        identifier scan is skipped).
    clusters : iterable of str, optional
        Publish only these clusters (run folder names, e.g. ``northport_maritime``).
        Default ``None``: every cluster.
    successful_only : bool, default True
        Take each cluster's tables from its latest run whose notebooks all succeeded (run
        folders without a manifest count as successful); a failed or killed run is skipped.
    audit : str or path-like, optional
        Write the internal audit (CSV: per cluster and table, cells published, hidden by rule,
        smallest protection achieved; withheld tables with the reason) to this file. It must
        lie outside ``output_dir``. Default ``None``: no audit file.

    Returns
    -------
    pathlib.Path
        The ``index.html`` written.

    Raises
    ------
    ParameterError
        A cluster named in ``clusters`` has no (successful) results.
    DisclosureError
        A name or identifier of a non-consenting contributor was found in the built site.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from clusterlab import results
    >>> from clusterlab.publish import export_site
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = results.save(pd.DataFrame({"period": [1, 2], "member": [1, 1],
    ...                                    "outcome": ["employment"] * 2, "mean": [12.0, 13.0],
    ...                                    "n_firms": [6, 7], "top1_share": [0.3, 0.4]}),
    ...                      "member_trends", output_dir=Path(tmp) / "outputs" / "run1" / "north")
    ...     index = export_site(Path(tmp) / "site", results_root=Path(tmp) / "outputs")
    ...     print(sorted(p.name for p in index.parent.glob("*.html")))
    ['benchmark.html', 'cluster-north.html', 'help.html', 'index.html']
    """
    final = Path(output_dir)
    if audit is not None and _inside(Path(audit), final):
        raise ParameterError(
            f"the audit {audit} would be inside the site {final}: it holds "
            "internal figures; write it next to the site"
        )
    info = run_info(results_root)
    runs = successful_runs(results_root) if successful_only else None
    tables = load_results(results_root, runs=runs, successful_only=successful_only)
    if clusters is not None:
        wanted = [str(c) for c in clusters]
        have = set(clusters_in(tables))
        unknown = [c for c in wanted if c not in have]
        if unknown:
            raise ParameterError(
                f"no {'successful ' if successful_only else ''}results for cluster(s) "
                f"{', '.join(unknown)}; available: {', '.join(sorted(have)) or 'none'}"
            )
        tables = {k: v[v["run_cluster"].astype(str).isin(wanted)] for k, v in tables.items()}
        tables = {k: v for k, v in tables.items() if not v.empty}
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        _build(tmp, tables, results_root, info, analyst=analyst)
        if not analyst:
            hits = scan_artifacts([tmp], contributor_names(tables))
            if not hits.empty:
                files = sorted({Path(f).relative_to(tmp).as_posix() for f in hits["file"]})
                raise DisclosureError(
                    f"the site names {hits['name'].nunique()} non-consenting contributor(s) in "
                    f"{len(files)} file(s) ({', '.join(files[:5])}); nothing was written"
                )
        if audit is not None:
            write_audit(tables, audit)
        final.mkdir(parents=True, exist_ok=True)
        shutil.copytree(tmp, final, dirs_exist_ok=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final / "index.html"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def write_audit(tables: dict, path: str | os.PathLike) -> Path:
    """The internal audit of every cluster's publication as one CSV (never publish it)."""
    frames = []
    for cluster in clusters_in(tables):
        ctx = {k: v[v["run_cluster"].astype(str) == str(cluster)] for k, v in tables.items()}
        pub = protect_publication(ctx)
        frames.append(pub.summary().assign(cluster=cluster))
    out = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["cluster", "table"])
    )
    out = out[["cluster"] + [c for c in out.columns if c != "cluster"]]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(
            "# INTERNAL disclosure audit - not for publication (true cell counts and "
            "protection levels)\n"
        )
        out.to_csv(fh, index=False)
    return path


def _build(out: Path, tables: dict, results_root, info: pd.DataFrame, *, analyst: bool) -> None:
    """Write every page of the site into ``out`` (a temporary folder, scanned before use)."""
    names = page_names(info, tables)
    boundaries = boundaries_for(info)
    latest = latest_runs(info, tables) if not info.empty else None
    listed = clusters_in(tables)
    notes = run_notes(results_root)  # clusters whose latest run failed or did not finish

    def page(c):
        return f"cluster-{_slug(c)}.html"

    nav = " ".join(
        [
            '<a href="index.html">Overview</a>',
            *(f'<a href="{page(c)}">{html.escape(names.initiative(c))}</a>' for c in listed),
            '<a href="benchmark.html">Benchmark</a>',
            '<a href="help.html">How to read</a>',
        ]
    )
    prepared = {c: prepare_cluster(tables, c, analyst=analyst) for c in listed}
    for cluster in listed:
        sections = cluster_sections(
            tables,
            cluster,
            analyst=analyst,
            names=names,
            boundaries=boundaries,
            heading=2,
            help_href="help.html",
            prepared=prepared[cluster],
        )
        run = latest.loc[cluster] if latest is not None and cluster in latest.index else None
        region = names.region(names.home[cluster]) if cluster in names.home else ""
        when = ""
        if run is not None and pd.notna(run.get("finished")):
            when = f"last successful run {pd.Timestamp(run['finished']).strftime('%Y-%m-%d')}"
        sub = " · ".join(x for x in (f"Region: {region}" if region else "", when) if x)
        intro = f'<p class="cl-subtitle">{html.escape(sub)}</p>' if sub else ""
        intro += _run_note(notes.get(cluster))
        downloads = _downloads(prepared[cluster], cluster, out, analyst=analyst)
        if downloads:
            sections.append(Section("downloads", GUIDE["downloads"].title, downloads))
        (out / page(cluster)).write_text(
            page_html(
                names.initiative(cluster),
                sections,
                analyst=analyst,
                nav=nav,
                intro=intro,
                footer=footer_html(run),
            ),
            encoding="utf-8",
        )
    (out / "benchmark.html").write_text(
        page_html(
            "Benchmark — all initiatives side by side",
            benchmark_sections(tables, analyst=analyst, names=names, help_href="help.html"),
            analyst=analyst,
            nav=nav,
        ),
        encoding="utf-8",
    )
    (out / "help.html").write_text(_help_page(nav, analyst=analyst), encoding="utf-8")
    rows = landing_rows(tables, info, names=names, analyst=analyst, prepared=prepared)
    body = landing_html(rows, link=page, benchmark_href="benchmark.html", heading=1)
    if not rows:
        body = f'<p class="cl-missing">No results found in {html.escape(str(results_root))}.</p>'
    failed = sorted(set(notes) - set(listed))  # no successful run at all: say so, show nothing
    if failed:
        items = "".join(
            f"<li>{html.escape(names.initiative(c))}{_run_note(notes[c], inline=True)}</li>"
            for c in failed
        )
        body += f"<ul>{items}</ul>"
    index = out / "index.html"
    index.write_text(
        page_html("Cluster initiatives — overview", [], analyst=analyst, nav=nav, intro=body),
        encoding="utf-8",
    )


def _run_note(note: str | None, *, inline: bool = False) -> str:
    """The visible note of a cluster whose latest run did not succeed (run id and date)."""
    if not note:
        return ""
    if inline:
        return f' <span class="cl-run-note">— {html.escape(note)}</span>'
    return f'<p class="cl-run-note" role="status">{html.escape(note)}</p>'


def _help_page(nav: str, *, analyst: bool) -> str:
    sections = [
        Section(
            k,
            g.title,
            f'<p>{html.escape(g.intro)}</p><p class="cl-note">'
            f"Method: <code>{html.escape(g.doc)}</code> in the "
            "clusterlab documentation.</p>",
        )
        for k, g in GUIDE.items()
    ]
    return page_html("How to read these pages", sections, analyst=analyst, nav=nav)


def _downloads(prepared, cluster, out: Path, *, analyst: bool) -> str:
    folder = out / "data" / _slug(cluster)
    ready = {name: p for name, (p, _) in sorted(prepared.items()) if p is not None}
    for name, p in ready.items():
        to_csv(p, folder / f"{name}.csv", analyst=analyst, labels=True)
    if not ready:
        return ""
    book = to_excel(ready, folder / f"{_slug(cluster)}.xlsx", analyst=analyst, labels=True)
    from clusterlab.labels import table_label

    links = " ".join(
        f'<a href="data/{_slug(cluster)}/{n}.csv" download>{html.escape(table_label(n))} (CSV)</a>'
        for n in ready
    )
    return (
        f'<p class="cl-intro">{html.escape(GUIDE["downloads"].intro)}</p>'
        f'<p class="cl-downloads"><a href="data/{_slug(cluster)}/{book.name}" download>'
        f"All tables (Excel workbook)</a> {links}</p>"
    )
