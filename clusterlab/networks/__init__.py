"""Network analysis of clusters, built on networkx: tie networks between firms and support
organisations and two-mode participation networks.

**Direction convention**: a tie ``source → target`` (row *i*, column *j*) means *i turns to j*
(names *j*: asks for advice/knowledge, buys from, cooperates with) — see :data:`DIRECTION`.

Modules, one job each: :mod:`~clusterlab.networks.read` (edge tables, UCINET DL, Pajek,
matrices, several relations), :mod:`~clusterlab.networks.transform` (symmetrise, dichotomise,
transpose, subgraphs, missing respondents), :mod:`~clusterlab.networks.cohesion` (density,
dyad census, reciprocity, components, distances, group densities, E-I),
:mod:`~clusterlab.networks.centrality` (actor centrality, Freeman centralization),
:mod:`~clusterlab.networks.brokerage` (Gould-Fernandez, Burt),
:mod:`~clusterlab.networks.roles` (Giuliani & Bell knowledge roles),
:mod:`~clusterlab.networks.coreperiphery` (Borgatti-Everett),
:mod:`~clusterlab.networks.groups` (communities, cliques, k-cores),
:mod:`~clusterlab.networks.twomode` (affiliation networks),
:mod:`~clusterlab.networks.qap` (QAP, MRQAP), :mod:`~clusterlab.networks.compare`
(members vs non-members), :mod:`~clusterlab.networks.change` (change across survey waves)
and :mod:`~clusterlab.networks.write` (UCINET DL and Pajek files per wave).
See ``docs/networks.md``.

Examples
--------
>>> import pandas as pd
>>> from clusterlab import networks
>>> edges = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "a"]})
>>> G = networks.from_edges(edges)
>>> float(networks.cohesion(G).loc[0, "density"])
0.5
"""

from clusterlab.networks._common import (
    DisconnectedWarning,
    DominantEventWarning,
    MissingRespondentWarning,
    NetworkWarning,
    SampledEstimateWarning,
)
from clusterlab.networks.brokerage import ROLES, brokerage, brokerage_totals, burt
from clusterlab.networks.centrality import (
    BetweennessResult,
    betweenness,
    betweenness_table,
    bonacich_power,
    centrality,
    centralization,
    default_exact_limit,
)
from clusterlab.networks.change import NetworkChange, network_change
from clusterlab.networks.cohesion import (
    GroupDensities,
    cohesion,
    dyad_census,
    group_densities,
    n_firms,
)
from clusterlab.networks.compare import member_comparison
from clusterlab.networks.coreperiphery import CorePeriphery, core_periphery
from clusterlab.networks.groups import cliques, communities, kcores
from clusterlab.networks.qap import QAPResult, dyadic_covariate, mrqap, qap_correlation
from clusterlab.networks.read import (
    DIRECTION,
    from_edges,
    read_dl,
    read_edges,
    read_matrix,
    read_pajek,
    relations,
    to_edges,
    with_attributes,
)
from clusterlab.networks.roles import KNOWLEDGE_ROLES, knowledge_roles
from clusterlab.networks.transform import (
    dichotomise,
    missing_respondents,
    respondent_set,
    response_rate,
    subgraph,
    symmetrise,
    transpose,
)
from clusterlab.networks.twomode import TwoModeNetwork, two_mode
from clusterlab.networks.write import waves, write_dl, write_pajek

__all__ = [
    "DIRECTION",
    "from_edges",
    "relations",
    "to_edges",
    "read_edges",
    "read_pajek",
    "read_dl",
    "read_matrix",
    "with_attributes",
    "waves",
    "write_dl",
    "write_pajek",
    "symmetrise",
    "dichotomise",
    "transpose",
    "subgraph",
    "respondent_set",
    "missing_respondents",
    "response_rate",
    "cohesion",
    "dyad_census",
    "group_densities",
    "GroupDensities",
    "n_firms",
    "centrality",
    "centralization",
    "betweenness",
    "betweenness_table",
    "BetweennessResult",
    "default_exact_limit",
    "bonacich_power",
    "brokerage",
    "brokerage_totals",
    "burt",
    "ROLES",
    "knowledge_roles",
    "KNOWLEDGE_ROLES",
    "core_periphery",
    "CorePeriphery",
    "communities",
    "cliques",
    "kcores",
    "two_mode",
    "TwoModeNetwork",
    "qap_correlation",
    "mrqap",
    "dyadic_covariate",
    "QAPResult",
    "member_comparison",
    "network_change",
    "NetworkChange",
    "NetworkWarning",
    "DisconnectedWarning",
    "MissingRespondentWarning",
    "DominantEventWarning",
    "SampledEstimateWarning",
]
