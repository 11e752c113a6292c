"""``outputs/<run-id>/index.html``: one page linking every report of a run, with its status.

Examples
--------
>>> html = index_html({"run_id": "r1", "status": "failed", "created": "2026-11-24T07:00:00",
...     "finished": None, "executions": [{"cluster": "north", "notebook": "01_demo",
...     "status": "failed", "duration_s": 1.5, "report": "r1/north/01_demo.html",
...     "output_notebook": "r1/north/01_demo.ipynb",
...     "error": {"type": "ValueError", "message": "bad <input>"}}]})
>>> 'href="north/01_demo.html"' in html and "bad &lt;input&gt;" in html
True
"""

from __future__ import annotations

import html
import os
import uuid
from pathlib import Path

__all__ = ["index_html", "write_index"]

_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#222}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
    "text-align:left}th{background:#f3f5f8}.failed{background:#ffebee}"
    ".succeeded{background:#e8f5e9}.skipped{background:#f5f5f5}.pending{background:#fff8e1}"
)


def _link(target: str | None, run_id: str, label: str) -> str:
    if not target:
        return ""
    parts = Path(target).parts
    rel = Path(*parts[1:]) if parts and parts[0] == run_id else Path("..", *parts)
    return f'<a href="{html.escape(rel.as_posix())}">{label}</a>'


def index_html(manifest: dict) -> str:
    """The index page of a run as an HTML string (no external resources)."""
    run_id = manifest["run_id"]
    rows = []
    for e in manifest["executions"]:
        err = e.get("error") or {}
        message = (
            f"{err.get('type')}: {err.get('message')}"
            if err
            else (f"skipped — {e['skip_reason']}" if e.get("skip_reason") else "")
        )
        first = (str(message).splitlines() or [""])[0][:300]
        duration = "" if e.get("duration_s") is None else f"{e['duration_s']:.1f}"
        reused = f" (from {html.escape(e['reused_from'])})" if e.get("reused_from") else ""
        rows.append(
            f'<tr class="{html.escape(e["status"])}"><td>{html.escape(e["cluster"])}</td>'
            f"<td>{html.escape(e['notebook'])}</td><td>{html.escape(e['status'])}{reused}</td>"
            f"<td>{duration}</td><td>{_link(e.get('report'), run_id, 'report')} "
            f"{_link(e.get('output_notebook'), run_id, 'notebook')}</td>"
            f"<td>{html.escape(first)}</td></tr>"
        )
    summary = ", ".join(f"{n} {s}" for s, n in sorted(manifest.get("summary", {}).items()))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>clusterlab run "
        f"{html.escape(run_id)}</title><style>{_CSS}</style></head><body>"
        f"<h1>clusterlab run {html.escape(run_id)}</h1>"
        f"<p>Status: <b>{html.escape(str(manifest.get('status')))}</b> ({html.escape(summary)})"
        f"; started {html.escape(str(manifest.get('created')))}, finished "
        f"{html.escape(str(manifest.get('finished')))}. Details: "
        f'<a href="manifest.json">manifest.json</a>.</p>'
        "<table><tr><th>cluster</th><th>notebook</th><th>status</th><th>seconds</th>"
        "<th>output</th><th>error / reason</th></tr>" + "".join(rows) + "</table></body></html>"
    )


def write_index(manifest: dict, run_dir: str | os.PathLike) -> Path:
    """Write ``<run_dir>/index.html`` atomically."""
    target = Path(run_dir) / "index.html"
    tmp = target.with_name(f".index.html.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(index_html(manifest), encoding="utf-8")
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target
