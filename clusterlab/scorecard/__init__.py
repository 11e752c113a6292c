"""Performance scorecards: indicator catalogues, company aggregation, targets and status."""

from clusterlab.scorecard.aggregate import (
    aggregate_company_indicators,
    member_population,
    weighted_mean,
)
from clusterlab.scorecard.catalogue import Catalogue, builtin_catalogues, load_catalogue
from clusterlab.scorecard.evaluate import STATUSES, Scorecard, classify_status, evaluate

__all__ = ["Catalogue", "builtin_catalogues", "load_catalogue", "aggregate_company_indicators",
           "member_population", "weighted_mean", "evaluate", "Scorecard", "classify_status",
           "STATUSES"]
