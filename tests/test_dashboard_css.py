"""The dashboard stylesheet has one source (issue #19): clusterlab/publish/style.py.

Two drifting copies of the dashboard CSS existed (the Voila dashboards and the static site);
both now include :data:`clusterlab.publish.style.CSS`. This test fails when a second copy of any
of its rules appears anywhere in the package, the notebooks or the Voila template.
"""

from __future__ import annotations

import re
from pathlib import Path

from clusterlab import dashboards
from clusterlab.publish import site, style

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "clusterlab" / "publish" / "style.py"
# a CSS rule for one of the dashboards' cl- classes: ".cl-card{" or ".cl-card h2," ...
RULE = re.compile(r"\.cl-[\w-]+(?:\s+[\w.*:-]+)?\s*[{,]")


def _files():
    for folder in ("clusterlab", "notebooks"):
        for path in (ROOT / folder).rglob("*"):
            if (
                path.suffix in {".py", ".ipynb", ".css", ".j2", ".html", ".tpl", ".json"}
                and path != SOURCE
                and ".ipynb_checkpoints" not in path.parts
            ):
                yield path


def test_the_stylesheet_is_defined_once():
    rules = set(RULE.findall(style.CSS))
    assert len(rules) > 20  # the pattern does find the source's rules
    copies = {
        str(p.relative_to(ROOT)): sorted(set(RULE.findall(p.read_text(errors="ignore"))))
        for p in _files()
    }
    assert {p: r for p, r in copies.items() if r} == {}


def test_dashboards_and_site_include_the_one_source():
    wrapped = "<style>" + style.CSS + "</style>"
    assert wrapped == dashboards.DASHBOARD_CSS
    assert site.CSS == style.PAGE_CSS + style.CSS
