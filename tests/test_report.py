"""Issue 13: notebook reports read well offline — internal note first, warnings as a caveats box
without internal paths, formulas rendered at build time (no MathJax from a CDN)."""

from __future__ import annotations

import re

import nbformat

from clusterlab.runner import report
from clusterlab.runner.job import export_html


def _notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "The location quotient $LQ_{ri} = \\frac{E_{ri}/E_r}{E_i/E}$ and\n\n"
            "$$\\sum_i s_i^2$$\n\nprices of $5 and $10 stay text."
        ),
        nbformat.v4.new_code_cell("compute()"),
    ]
    nb.cells[1].outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text=(
                "/opt/venv/lib/python3.11/site-packages/clusterlab/compare/propensity.py:190: "
                "OverlapWarning: overlap: 2 of 19 members outside the range\n"
                "  warnings.warn(m, OverlapWarning, stacklevel=4)\n"
            ),
        ),
        nbformat.v4.new_output("stream", name="stderr", text="plain message kept\n"),
        nbformat.v4.new_output("stream", name="stdout", text="result 42\n"),
    ]
    path = tmp_path / "01_demo.ipynb"
    nbformat.write(nb, path)
    return path


def test_report_is_offline_with_caveats_and_an_internal_note(tmp_path):
    path = _notebook(tmp_path)
    export_html(path, tmp_path / "01_demo.html")
    body = (tmp_path / "01_demo.html").read_text(encoding="utf-8")
    assert "cdnjs.cloudflare.com/ajax/libs/mathjax" not in body
    visible = re.sub(r"<style.*?</style>|<script.*?</script>", "", body, flags=re.S)
    assert visible.count('src="data:image/svg+xml;base64,') == 2  # inline and display formula
    assert "prices of $5 and $10 stay text" in visible  # dollars are not formulas
    first = re.search(r"<body[^>]*>\s*<p class=\"cl-internal\"[^>]*>([^<]*)</p>", visible)
    assert first and "not disclosure-controlled" in first.group(1)
    box = re.search(r'<div class="cl-caveats".*?</div>', visible, flags=re.S).group(0)
    assert "OverlapWarning: overlap: 2 of 19 members outside the range" in box
    assert "site-packages" not in visible and "propensity.py" not in visible
    assert "plain message kept" in visible and "result 42" in visible


def test_no_caveats_box_without_warnings():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb, caveats = report.prepare(nb)
    assert caveats == []
    assert "cl-caveats" not in report.finish("<html><body><p>x</p></body></html>", caveats)


def test_a_formula_mathtext_cannot_draw_stays_as_tex():
    assert report.render_formula(r"\begin{pmatrix} a \end{pmatrix}") is None
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(r"see $\begin{pmatrix} a \end{pmatrix}$")]
    )
    nb, _ = report.prepare(nb)
    assert nb.cells[0].source == r"see `\begin{pmatrix} a \end{pmatrix}`"
