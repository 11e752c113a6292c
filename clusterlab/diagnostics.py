"""Cluster diagnostics: life-cycle stage, Markusen district type, Porter-diamond profile.

The functions live in :mod:`clusterlab.scorecard.diagnostics` (they read scorecard indicators
and mapping series); this module is the short public path the documentation uses.

>>> from clusterlab import diagnostics
>>> "lifecycle_stage" in diagnostics.__all__
True
"""

from clusterlab.scorecard.diagnostics import *  # noqa: F403
from clusterlab.scorecard.diagnostics import __all__  # noqa: F401
