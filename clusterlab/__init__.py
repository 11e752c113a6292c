"""clusterlab — a reproducible workbench for industrial-cluster research.

Sub-modules, one job each: :mod:`clusterlab.io` (read + validate), :mod:`clusterlab.params`
(parameter files), :mod:`clusterlab.datasets` (synthetic demo data), :mod:`clusterlab.mapping`,
:mod:`clusterlab.networks`, :mod:`clusterlab.instruments`, :mod:`clusterlab.compare`,
:mod:`clusterlab.scorecard`, :mod:`clusterlab.publish`, :mod:`clusterlab.plots`,
:mod:`clusterlab.results` and :mod:`clusterlab.runner`.
"""

from clusterlab.errors import (
    ClusterlabError,
    ClusterlabWarning,
    DataValidationError,
    DisclosureError,
    ParameterError,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "ClusterlabError",
    "ClusterlabWarning",
    "DataValidationError",
    "DisclosureError",
    "ParameterError",
]
