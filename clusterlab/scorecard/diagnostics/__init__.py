"""Cluster diagnostics: data-based signals for life-cycle stage, Markusen district type and a
Porter-diamond profile — each with the rule used and the evidence, never a bare label.

Examples
--------
>>> from clusterlab.scorecard import diagnostics
>>> diagnostics.LIFECYCLE_STAGES[:4]
('emerging', 'growing', 'mature', 'declining')
"""

from clusterlab.scorecard.diagnostics.diamond import CORNER_NAMES, diamond_profile
from clusterlab.scorecard.diagnostics.lifecycle import (
    LIFECYCLE_STAGES,
    annual_growth,
    cluster_series,
    lifecycle_stage,
)
from clusterlab.scorecard.diagnostics.markusen import (
    MARKUSEN_TYPES,
    MarkusenProfile,
    markusen_signals,
)

__all__ = [
    "lifecycle_stage",
    "cluster_series",
    "annual_growth",
    "LIFECYCLE_STAGES",
    "markusen_signals",
    "MarkusenProfile",
    "MARKUSEN_TYPES",
    "diamond_profile",
    "CORNER_NAMES",
]
