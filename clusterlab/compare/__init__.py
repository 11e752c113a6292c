"""Member vs non-member comparisons for cluster-initiative evaluations.

Members choose to join, so every comparison here is shown with the assumptions it rests on
(``result.assumptions``, ``result.describe()``) and warnings of our own classes when the data
contradict them (few clusters, poor overlap, pre-trends). Every estimator returns an object with
``.summary()``: a tidy table with the columns ``term, estimate, std_error, statistic, p_value,
ci_low, ci_high, n``.

========================  =====================================================================
function                  what it estimates
========================  =====================================================================
difference_in_means       raw gap, Student / Welch t test (scipy)
rank_test                 Mann-Whitney test, Hodges-Lehmann shift
balance_table             means, SMDs, variance ratios (cobalt / MatchIt conventions)
regression_adjustment     OLS gap given covariates, plain or fully interacted (Lin 2013)
did                       two-way fixed-effects difference-in-differences, panels and
                          repeated cross-sections, clustered SEs
event_study               leads and lags of joining, pre-trend F test
match                     propensity-score nearest-neighbour matching (MatchIt), ``att()``
weight                    inverse-probability weights (WeightIt), ``effect()``
========================  =====================================================================

See ``docs/compare.md``.

Examples
--------
>>> import pandas as pd
>>> from clusterlab import compare
>>> df = pd.DataFrame({"member": [1, 1, 1, 0, 0, 0], "y": [5., 7., 9., 4., 5., 6.]})
>>> compare.difference_in_means(df, outcome="y", group="member").summary().columns.tolist()
['term', 'estimate', 'std_error', 'statistic', 'p_value', 'ci_low', 'ci_high', 'n']
"""

from clusterlab.compare._common import (
    ASSUMPTIONS,
    SUMMARY_COLUMNS,
    ComparisonResult,
    FewClustersWarning,
    MissingRowsWarning,
    OverlapWarning,
    PreTrendWarning,
)
from clusterlab.compare.bacon import bacon_decomposition
from clusterlab.compare.balance import BalanceTable, balance_table, effective_n
from clusterlab.compare.describe import (
    describe_sample,
    effects_table,
    group_trends,
    pre_post_frame,
)
from clusterlab.compare.did import DiDResult, did
from clusterlab.compare.event import EventStudyResult, event_study
from clusterlab.compare.matching import MatchResult, match
from clusterlab.compare.meta import (
    MetaAnalysisResult,
    initiative_effects,
    maturity_table,
    pool_effects,
)
from clusterlab.compare.propensity import PropensityModel, overlap_table, propensity_score
from clusterlab.compare.regression import RegressionResult, regression_adjustment
from clusterlab.compare.staggered import StaggeredDiDResult, staggered_did
from clusterlab.compare.synth import (
    SyntheticControlResult,
    SynthPlacebo,
    region_panel,
    synthetic_control,
)
from clusterlab.compare.twosample import TwoSampleResult, difference_in_means, rank_test
from clusterlab.compare.weighting import WeightResult, ipw_weights, weight

__all__ = [
    "ASSUMPTIONS",
    "SUMMARY_COLUMNS",
    "ComparisonResult",
    "TwoSampleResult",
    "RegressionResult",
    "DiDResult",
    "EventStudyResult",
    "MatchResult",
    "WeightResult",
    "PropensityModel",
    "BalanceTable",
    "FewClustersWarning",
    "OverlapWarning",
    "PreTrendWarning",
    "MissingRowsWarning",
    "difference_in_means",
    "rank_test",
    "balance_table",
    "effective_n",
    "regression_adjustment",
    "did",
    "event_study",
    "SyntheticControlResult",
    "SynthPlacebo",
    "synthetic_control",
    "region_panel",
    "MetaAnalysisResult",
    "pool_effects",
    "bacon_decomposition",
    "StaggeredDiDResult",
    "staggered_did",
    "initiative_effects",
    "maturity_table",
    "match",
    "weight",
    "ipw_weights",
    "propensity_score",
    "overlap_table",
    "describe_sample",
    "group_trends",
    "pre_post_frame",
    "effects_table",
]
