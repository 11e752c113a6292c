"""Publishing with disclosure control: one rule, one gate, three outputs.

* :func:`protect_publication` — every table of one publication protected jointly by its
  results contract (:mod:`clusterlab.publish.contracts`), with an LP audit of everything
  published (:mod:`clusterlab.publish.audit`);
* :func:`protect` — the single-table rule (threshold, dominance, secondary suppression,
  identifiers) returning a :class:`Protected` table;
* :func:`to_csv`, :func:`to_excel`, :func:`to_html` — exports that accept protected tables
  only (a plain DataFrame raises :class:`~clusterlab.errors.DisclosureError`);
* :func:`export_site` — the self-contained static HTML site (index, one page per cluster,
  benchmark page) built from the results tables;
* :mod:`clusterlab.publish.views` — the dashboard/site content shared with
  :mod:`clusterlab.dashboards`.

See ``docs/publishing.md`` for the rule, its defaults and the reasoning behind them.
"""

from clusterlab.publish.contracts import (
    Measure,
    TableContract,
    Total,
    contracts,
    get_contract,
    register,
)
from clusterlab.publish.export import rule_text, to_csv, to_excel, to_html
from clusterlab.publish.identifiers import scan_artifacts, scan_text
from clusterlab.publish.protect import (
    IDENTIFIER_COLUMNS,
    WITHHELD,
    DisclosureWarning,
    Protected,
    aggregate_units,
    dominance_shares,
    ensure_protected,
    protect,
    unprotected,
)
from clusterlab.publish.publication import Publication, Rule, protect_publication
from clusterlab.publish.site import export_site
from clusterlab.publish.sources import load_results

__all__ = [
    "protect_publication",
    "Publication",
    "Rule",
    "TableContract",
    "Measure",
    "Total",
    "register",
    "get_contract",
    "contracts",
    "scan_text",
    "scan_artifacts",
    "protect",
    "Protected",
    "unprotected",
    "ensure_protected",
    "dominance_shares",
    "aggregate_units",
    "DisclosureWarning",
    "IDENTIFIER_COLUMNS",
    "WITHHELD",
    "to_csv",
    "to_excel",
    "to_html",
    "rule_text",
    "export_site",
    "load_results",
]
