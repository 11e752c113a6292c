"""The one stylesheet of the dashboards and the static site.

:data:`CSS` styles the content (cards, sections, tables, figures, footer) — every rule is
scoped to a ``cl-`` class, so it can sit inside a Voila page without touching Voila's own
layout; :data:`PAGE_CSS` adds the frame of a static page (body, header bar, main column).
Tables never widen the page: they scroll sideways inside their ``cl-table-wrap`` box and long
cells wrap.

Examples
--------
>>> from clusterlab.publish.style import CSS, PAGE_CSS
>>> ".cl-table-wrap{" in CSS and "main{" in PAGE_CSS
True
"""

from __future__ import annotations

__all__ = ["CSS", "PAGE_CSS"]

CSS = """
.cl-page{max-width:1180px;white-space:normal;line-height:1.4;color:#222}
.cl-page *{box-sizing:border-box}
.cl-page a{color:#0b5cad;text-decoration:underline}
.cl-page a:focus{outline:2px solid #12355b;outline-offset:1px}
.cl-banner{background:#c62828;color:#fff;padding:0.5rem 1rem;font-weight:600}
.cl-note{color:#555;font-size:0.9rem}
.cl-intro{color:#333;max-width:62rem;margin:0.2rem 0 0.6rem}
.cl-subtitle{color:#444;margin:0 0 0.6rem}
.cl-section{border-top:1px solid #ddd;padding-top:0.4rem;margin-top:1rem;min-width:0}
.cl-figure{margin:0.5rem 0;max-width:100%}
.cl-figure svg{max-width:100%;height:auto}
.cl-map svg{max-width:min(100%,820px)}
.cl-table-wrap{max-width:100%;overflow-x:auto;margin:0.4rem 0}
.cl-table{border-collapse:collapse;font-size:0.85rem}
.cl-table caption{text-align:left;font-weight:600;padding:0.2rem 0}
.cl-table th,.cl-table td{border:1px solid #ddd;padding:2px 6px;text-align:left;
  vertical-align:top;max-width:22rem;overflow-wrap:anywhere}
.cl-table td[data-num]{text-align:right;white-space:nowrap}
.cl-table th{background:#f3f5f8}
.cl-x{color:#999;text-align:center}
.cl-missing{color:#777;font-style:italic}
.cl-caption{font-weight:600;margin-bottom:0}
.cl-run-note{background:#fff8e1;border-left:4px solid #f9a825;padding:0.3rem 0.6rem}
.cl-status-on_track{background:#e8f5e9}.cl-status-at_risk{background:#fff8e1}
.cl-status-off_track{background:#ffebee}
.cl-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:0.8rem;
  margin:0.6rem 0}
.cl-card{border:1px solid #d5dbe3;border-radius:6px;padding:0.6rem 0.8rem;background:#fafbfd;
  min-width:0}
.cl-card h2,.cl-card h3,.cl-card h4,.cl-card h5{margin:0.1rem 0 0.3rem;font-size:1rem}
.cl-card-missing{background:#f4f4f4;color:#555}
.cl-big{font-size:1.8rem;font-weight:700;margin:0;color:#12355b}
.cl-unit{color:#555;font-size:0.85rem;margin:0}
.cl-card-text{font-size:0.9rem;margin:0.4rem 0 0}
.cl-figs{padding-left:1rem;margin:0.3rem 0}
.cl-fig-q{color:#555}
.cl-spark{vertical-align:middle}
.cl-downloads{font-size:0.9rem}
.cl-downloads a{margin-right:0.7rem}
.cl-footer{border-top:1px solid #ddd;margin-top:1.5rem;padding-top:0.4rem;color:#555;
  font-size:0.85rem}
"""

PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;
  color:#222}
header{background:#12355b;color:#fff;padding:0.8rem 1.5rem}
header a{color:#cfe3ff;margin-right:1rem}
main{max-width:1180px;margin:auto;padding:1rem 1.5rem;min-width:0}
.cl-banner{padding:0.6rem 1.5rem}
"""
