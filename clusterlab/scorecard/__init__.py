"""Performance scorecards: indicator catalogues, company aggregation, targets and status."""

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
from clusterlab.scorecard.catalogue import Catalogue, builtin_catalogues, load_catalogue
from clusterlab.scorecard.evaluate import STATUSES, Scorecard, classify_status, evaluate

__all__ = ["Catalogue", "builtin_catalogues", "load_catalogue", "aggregate_company_indicators",
           "member_population", "weighted_mean", "evaluate", "Scorecard", "classify_status",
           "STATUSES", "company_benchmark", "percentile_rank",
           "ActionRegister", "load_actions", "action_effects", "ACTION_EFFECT_CAVEAT"]
