"""Performance scorecards for cluster initiatives: indicators by perspective and data source,
weighted company aggregation, targets and status, anonymous benchmarking, actions — and, in
:mod:`clusterlab.scorecard.diagnostics`, data-based signals of a cluster's type and stage.

Modules, one job each: :mod:`~clusterlab.scorecard.catalogue` (indicator catalogues),
:mod:`~clusterlab.scorecard.periods` (period labels), :mod:`~clusterlab.scorecard.values`
(checking submissions), :mod:`~clusterlab.scorecard.aggregate` (company → cluster values),
:mod:`~clusterlab.scorecard.evaluate` (status, trend, perspectives),
:mod:`~clusterlab.scorecard.benchmark` (a company among its anonymous peers),
:mod:`~clusterlab.scorecard.actions` (improvement and joint actions). See ``docs/scorecard.md``.

Examples
--------
>>> import pandas as pd
>>> from clusterlab import scorecard
>>> v = pd.DataFrame({"indicator": "rd_intensity", "entity": ["a", "b"], "period": "2021",
...                   "value": [2.0, 3.0], "employment": [10.0, 30.0]})
>>> agg = scorecard.aggregate_company_indicators(v, "four_perspectives")
>>> sc = scorecard.evaluate(agg, "four_perspectives")
>>> r = sc.status.set_index("indicator").loc["rd_intensity"]   # (10*2 + 30*3) / 40 = 2.75
>>> float(r["value"]), float(r["target"]), r["status"]
(2.75, 2.5, 'on_track')
"""

from clusterlab.scorecard.actions import (
    ACTION_EFFECT_CAVEAT,
    ActionRegister,
    action_effects,
    load_actions,
)
from clusterlab.scorecard.aggregate import (
    aggregate_company_indicators,
    member_population,
    weighted_mean,
)
from clusterlab.scorecard.benchmark import company_benchmark, percentile_rank
from clusterlab.scorecard.catalogue import (
    Catalogue,
    builtin_catalogues,
    combine_catalogues,
    load_catalogue,
)
from clusterlab.scorecard.evaluate import STATUSES, Scorecard, classify_status, evaluate
from clusterlab.scorecard.periods import parse_period, sort_periods
from clusterlab.scorecard.values import (
    DuplicateSubmissionWarning,
    LowCoverageWarning,
    MissingWeightWarning,
    OutsidePopulationWarning,
    UnknownIndicatorWarning,
    select_values,
)

__all__ = [
    "Catalogue",
    "load_catalogue",
    "builtin_catalogues",
    "combine_catalogues",
    "select_values",
    "aggregate_company_indicators",
    "member_population",
    "weighted_mean",
    "evaluate",
    "Scorecard",
    "classify_status",
    "STATUSES",
    "company_benchmark",
    "percentile_rank",
    "ActionRegister",
    "load_actions",
    "action_effects",
    "ACTION_EFFECT_CAVEAT",
    "parse_period",
    "sort_periods",
    "UnknownIndicatorWarning",
    "DuplicateSubmissionWarning",
    "MissingWeightWarning",
    "OutsidePopulationWarning",
    "LowCoverageWarning",
]
