"""Cluster-initiative instruments: CIMBT-style rubric and "big five" stages.

Instruments are versioned YAML files (``cimbt.yaml``, ``bigfive.yaml`` ship with the package;
users can supply their own of the same schema). The CIMBT questions are clusterlab's own
operationalisation, not the original CIMBT wording. The sub-modules, one job each:

- :mod:`~clusterlab.instruments.definition` — :func:`load_instrument`, :class:`Instrument`
- :mod:`~clusterlab.instruments.forms` — :func:`rating_form` (blank CSV/Excel sheet for raters),
  :func:`rating_form_paths` (the files it writes)
- :mod:`~clusterlab.instruments.ratings` — :func:`check_ratings` (validation of ratings)
- :mod:`~clusterlab.instruments.scoring` — :func:`score` → :class:`Scores`
- :mod:`~clusterlab.instruments.reliability` — :func:`krippendorff_alpha`, :func:`icc`,
  :func:`reliability`, :func:`rater_bias`
- :mod:`~clusterlab.instruments.bigfive` — :func:`platform_status`
- :mod:`~clusterlab.instruments.benchmark` — :func:`benchmark`, :func:`change`,
  :func:`weakest_components`, :func:`insight_execution_correlation`

Examples
--------
>>> from clusterlab.instruments import load_instrument
>>> load_instrument("cimbt").kind, load_instrument("bigfive").kind
('rubric', 'stages')
"""

from .benchmark import (
    Benchmark,
    benchmark,
    change,
    insight_execution_correlation,
    weakest_components,
)
from .bigfive import platform_status
from .definition import Instrument, builtin_instruments, load_instrument
from .forms import rating_form, rating_form_paths
from .ratings import check_ratings
from .reliability import icc, krippendorff_alpha, rater_bias, reliability
from .scoring import Scores, score

__all__ = [
    "Instrument",
    "load_instrument",
    "builtin_instruments",
    "rating_form",
    "rating_form_paths",
    "check_ratings",
    "Scores",
    "score",
    "krippendorff_alpha",
    "icc",
    "reliability",
    "rater_bias",
    "platform_status",
    "Benchmark",
    "benchmark",
    "change",
    "weakest_components",
    "insight_execution_correlation",
]
