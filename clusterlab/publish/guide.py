"""How to read each part of the dashboards: 1–3 sentences per section, plus where to read more.

The same texts open the sections of the live dashboards and of the static site, and make up
the static site's ``help.html``. ``docs/dashboards.md`` is the long version.

Examples
--------
>>> from clusterlab.publish.guide import GUIDE
>>> GUIDE["map"].doc
'docs/mapping.md'
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["Guide", "GUIDE", "intro_html"]


@dataclass(frozen=True)
class Guide:
    """``title`` of the section, ``intro`` (how to read it, 1–3 sentences), ``doc`` (the
    documentation file that explains the method)."""

    title: str
    intro: str
    doc: str


GUIDE: dict[str, Guide] = {
    "overview": Guide(
        "At a glance",
        "Five answers in plain language: how strong the cluster is in its region, how "
        "connected its actors are, how mature the initiative is, whether members do better "
        "and whether it is on track. Details follow below.",
        "docs/dashboards.md",
    ),
    "map": Guide(
        "Where else is this cluster strong?",
        "Each region is coloured by the cluster's location quotient (LQ): its share of the "
        "region's jobs divided by its share of all jobs. Darker = more concentrated; above 1 "
        "means more than the national average. Hatched regions have no data or are "
        "suppressed; the initiative's region is outlined.",
        "docs/mapping.md",
    ),
    "mapping": Guide(
        "The region's cluster portfolio",
        "Each bubble is a traded cluster of the region: further right = more specialised "
        "(LQ), higher = faster growth than the cluster elsewhere, larger = more jobs. "
        "Outlined bubbles are strong clusters.",
        "docs/mapping.md",
    ),
    "network": Guide(
        "Network",
        "Who works with whom, by kind of actor: each cell of the heatmap is the share of "
        "possible ties between two kinds of actors that exist (darker = denser). Key figures "
        "count actors and ties; no single firm is shown.",
        "docs/networks.md",
    ),
    "cimbt": Guide(
        "Initiative maturity (CIMBT)",
        "Raters scored each component of the initiative from 1 (weak) to 5 (strong). Dots are "
        "average scores, lines their 95 % intervals: a wide line means raters disagree or "
        "were few.",
        "docs/instruments.md",
    ),
    "bigfive": Guide(
        "Big five",
        "The five success factors of a cluster platform, each scored in three stages; the "
        "platform is reached when all five are at stage 3. The weakest factor is where to "
        "act first.",
        "docs/instruments.md",
    ),
    "members": Guide(
        "Members vs non-members",
        "Each panel is one outcome on its own scale. A dot is the estimated difference "
        "between member and comparable non-member firms, the line its 95 % interval; an "
        "interval crossing the dashed zero line means no clear difference.",
        "docs/compare.md",
    ),
    "scorecard": Guide(
        "Scorecard",
        "Each indicator's status against its target in the latest period (green on track, "
        "amber at risk, red off track), with its path over the periods.",
        "docs/scorecard.md",
    ),
    "downloads": Guide(
        "Downloads",
        "Every table behind this page, disclosure-protected, as CSV or one Excel workbook "
        "(a header row of labels, and a notes sheet explaining each column).",
        "docs/publishing.md",
    ),
}


def intro_html(key: str, *, help_href: str | None = None) -> str:
    """The section's reading guide as a paragraph, ending with where to read more."""
    g = GUIDE.get(key)
    if g is None:
        return ""
    more = (
        f' <a href="{html.escape(help_href)}#{key}">How to read this</a>.'
        if help_href
        else f" More: <code>{html.escape(g.doc)}</code>."
    )
    return f'<p class="cl-intro">{html.escape(g.intro)}{more}</p>'
