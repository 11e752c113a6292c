"""Making a notebook's HTML report read well offline.

:func:`prepare` works on the executed notebook before nbconvert renders it, :func:`finish` on the
rendered HTML:

- the report's first line says it is an internal working document, not disclosure-controlled;
- warnings the notebook printed to stderr (``/path/to/module.py:123: DataWarning: …``) are taken
  out of the cells and listed once, without internal paths, in a "caveats" box at the top;
- formulas (``$…$`` and ``$$…$$`` in Markdown cells) are rendered when the report is built, with
  matplotlib's mathtext, to inline SVG; the MathJax script from a CDN is removed, so formulas
  read the same offline. A formula mathtext cannot draw stays as its TeX source in code style.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
>>> nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stderr",
...     text="/site-packages/clusterlab/io.py:12: DataWarning: codes converted\\n  warn()\\n")]
>>> nb, caveats = prepare(nb)
>>> caveats, nb.cells[0].outputs
(['DataWarning: codes converted'], [])
"""

from __future__ import annotations

import base64
import copy
import html
import io
import re

__all__ = ["prepare", "finish", "render_formula", "INTERNAL_NOTE"]

#: The first line of every report.
INTERNAL_NOTE = (
    "Internal working report — not disclosure-controlled: it may show figures about "
    "single firms. Do not publish it; publish through `clusterlab publish` or the "
    "dashboards."
)

_WARNING = re.compile(
    r"^(?:.*?[\\/])?[^\s:\\/]+\.py:\d+: (?P<cat>\w*(?:Warning|Error)\w*): "
    r"(?P<msg>.*)$"
)
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)")
_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?</script>\s*<!-- MathJax configuration -->"
    r"\s*<script type=\"text/x-mathjax-config\">.*?</script>",
    re.S,
)
_CDN_MATHJAX = re.compile(
    r"<script[^>]*src=\"https://cdnjs[^\"]*mathjax[^\"]*\"[^>]*>\s*"
    r"</script>",
    re.S,
)


def _caveats_from(text: str) -> tuple[list[str], str]:
    """Split stderr text into warning messages (without paths) and the rest."""
    found, rest = [], []
    lines = text.splitlines()
    skip_next = False
    for line in lines:
        if skip_next and line.startswith("  "):  # the source line Python prints under a warning
            skip_next = False
            continue
        skip_next = False
        m = _WARNING.match(line.strip())
        if m:
            found.append(f"{m.group('cat')}: {m.group('msg').strip()}")
            skip_next = True
        else:
            rest.append(line)
    return found, "\n".join(rest).strip("\n")


def render_formula(tex: str, *, display: bool = False) -> str | None:
    """``tex`` drawn by matplotlib's mathtext as an inline SVG ``<img>``; None when mathtext
    cannot draw it."""
    from matplotlib.figure import Figure

    try:
        fig = Figure()
        fig.text(0, 0, f"${tex}$", fontsize=13 if display else 11)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.02, transparent=True)
    except Exception:  # noqa: BLE001 - mathtext's parse errors vary; fall back to TeX source
        return None
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = html.escape(tex, quote=True)
    style = "display:block;margin:0.6em auto" if display else "vertical-align:middle"
    return f'<img alt="{alt}" title="{alt}" style="{style}" src="data:image/svg+xml;base64,{data}">'


def _math(source: str) -> str:
    def block(m):
        svg = render_formula(m.group(1).strip(), display=True)
        return svg if svg else f"\n```\n{m.group(1).strip()}\n```\n"

    def inline(m):
        svg = render_formula(m.group(1))
        return svg if svg else f"`{m.group(1)}`"

    return _INLINE.sub(inline, _DISPLAY.sub(block, source))


def prepare(nb):
    """A copy of ``nb`` with warnings taken out of stderr outputs and formulas rendered;
    returns ``(notebook, caveats)``."""
    nb = copy.deepcopy(nb)
    caveats: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "$" in cell.source:
            cell.source = _math(cell.source)
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                found, rest = _caveats_from(out.get("text", ""))
                caveats += [c for c in found if c not in caveats]
                if not rest.strip():
                    continue
                out["text"] = rest + "\n"
            kept.append(out)
        cell.outputs = kept
    return nb, caveats


def finish(body: str, caveats: list[str]) -> str:
    """The rendered HTML with the internal note and the caveats box first, and no MathJax."""
    body = _MATHJAX.sub("", body)
    body = _CDN_MATHJAX.sub("", body)
    items = "".join(f"<li>{html.escape(c)}</li>" for c in caveats)
    box = (
        f'<div class="cl-caveats" style="border:1px solid #e0a800;background:#fff8e1;'
        f'padding:0.5em 1em;margin:0.5em 1em"><b>Caveats</b> ({len(caveats)} warning'
        f"{'s' if len(caveats) != 1 else ''} while the notebook ran)<ul>{items}</ul></div>"
        if caveats
        else ""
    )
    note = (
        f'<p class="cl-internal" style="background:#c62828;color:#fff;padding:0.4em 1em;'
        f'margin:0;font-weight:600">{html.escape(INTERNAL_NOTE)}</p>'
    )
    m = re.search(r"<body[^>]*>", body)
    if m is None:
        return note + box + body
    return body[: m.end()] + "\n" + note + box + body[m.end() :]
