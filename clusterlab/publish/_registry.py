"""The results contracts of every table the six notebooks save (registered on import).

Tables other notebooks add register their own contract the same way
(:func:`clusterlab.publish.contracts.register`); a table without one is saved but never
published.
"""

from __future__ import annotations

from clusterlab.publish.contracts import Measure as M  # noqa: N817 (short names: a table)
from clusterlab.publish.contracts import TableContract as C
from clusterlab.publish.contracts import Total as T  # noqa: N817
from clusterlab.publish.contracts import register

_NO_ESTAB = (
    "region x industry counts carry no establishment-level values: the threshold rule "
    "on establishments applies, dominance cannot be checked"
)
_MAP_LABELS = ("region_type", "cluster_name", "cluster_type")
_END = ("establishments",)
_BOTH = ("establishments", "establishments_start")
#: the measures of a region x cluster x year cell (cluster_portfolio and lq_trend)
_MAP_CELL_MEASURES = (
    M(("establishments",), "establishments", "count"),
    M(
        ("employment", "payroll", "employment_reported"),
        "establishments",
        "magnitude",
        no_dominance=_NO_ESTAB,
        optional=True,
    ),
    M(
        (
            "share_region",
            "share_benchmark",
            "lq",
            "qualifying",
            "significant",
            "strong",
            "strong10",
        ),
        "establishments",
        "share",
        optional=True,
    ),
)

# ---------------------------------------------------------------- 01 cluster mapping
register(
    C(
        "cluster_portfolio",
        "establishment",
        keys=("region", "cluster", "year"),
        labels=_MAP_LABELS + ("start_year", "growth_benchmark"),
        measures=(
            *_MAP_CELL_MEASURES,
            M(("establishments_start",), "establishments_start", "count"),
            M(("employment_start",), "establishments_start", "magnitude", no_dominance=_NO_ESTAB),
            M(("lq_start",), "establishments_start", "share", optional=True),
            M(
                ("growth", "growth_relative", "lq_change", "employment_change"),
                _BOTH,
                "share",
                optional=True,
            ),
        ),
        margins=("establishments", "employment", "establishments_start", "employment_start"),
        description="every traded cluster of the region in the end year, with change since the "
        "start year",
    )
)
register(
    C(
        "top_clusters",
        "establishment",
        keys=("cluster", "year"),
        labels=("rank", "cluster_name"),
        measures=(
            M(("establishments",), "establishments", "count"),
            M(("employment",), "establishments", "magnitude", no_dominance=_NO_ESTAB),
            M(("lq", "strong", "strong10"), "establishments", "share", optional=True),
            M(("growth", "growth_relative"), "establishments", "share", optional=True),
            # average wage (payroll / employment) of the same cell, relative to the cluster
            # nationally, and the cell's ranks among regions of its type (mapping.performance,
            # mapping.ranks): published with the cell, hidden with it
            M(
                ("wage", "relative_wage", "lq_rank", "employment_rank"),
                "establishments",
                "share",
                optional=True,
            ),
        ),
        follows="cluster_portfolio",
        description="the largest clusters of the portfolio (rows of cluster_portfolio), with "
        "average wage and ranks",
    )
)
register(
    C(
        "lq_trend",
        "establishment",
        keys=("region", "cluster", "year"),
        labels=_MAP_LABELS,
        measures=(*_MAP_CELL_MEASURES,),
        follows="cluster_portfolio",
        description="employment and LQ by year of the focus and top clusters",
    )
)
_ALL_REGIONS = (
    "covers every region and cluster of the country (other regions' small cells); "
    "internal working table"
)
for _name in (
    "star_ratings",
    "shift_share",
    "specialisation",
    "relatedness_density",
    # issue 18: complexity, spatial statistics and concentration use every region
    "complexity_regions",
    "complexity_options",
    "spatial_autocorrelation",
    "lisa_clusters",
    "concentration_eg",
):
    register(C(_name, "establishment", public=False, reason=_ALL_REGIONS))
register(
    C(
        "cluster_performance",
        "establishment",
        public=False,
        reason="growth figures (wages, establishments, jobs since the start year) need "
        "start-year establishment counts the table does not carry; top_clusters "
        "publishes the end-year wage and ranks",
    )
)
register(
    C(
        "peer_comparison",
        "establishment",
        keys=("region", "cluster", "year"),
        labels=("cluster_name", "focus", "n_regions"),
        measures=(
            M(("establishments",), "establishments", "count"),
            M(("employment",), "establishments", "magnitude", no_dominance=_NO_ESTAB),
            M(("lq", "strong", "rank_lq"), "establishments", "share", optional=True),
        ),
        margins=("establishments", "employment"),
        description="the initiative's cluster in every region of the same type (the map): each "
        "region's cell under the establishment threshold, with margins",
    )
)

# ---------------------------------------------------------------- 02 networks
#: Node-level tables carry the relation they were computed on (when saved with it): totals of
#: network_cohesion are matched to that relation's row; without it every row is a hypothesis.
_ON = ("relation",)
_NET = ("in_degree", "out_degree", "degree", "in_strength", "out_strength", "strength")
register(
    C(
        "network_cohesion",
        "actor",
        keys=("relation",),
        labels=("directed",),
        measures=(
            M(("n_nodes",), "n_nodes", "count"),
            M(("n_firms",), "n_firms", "count"),
            M(
                (
                    "n_ties",
                    "density",
                    "density_valued",
                    "avg_degree",
                    "reciprocity",
                    "reciprocity_dyads",
                    "dyads_mutual",
                    "dyads_asymmetric",
                    "dyads_null",
                    "transitivity",
                    "avg_clustering",
                    "n_components",
                    "n_strong_components",
                    "largest_component_share",
                    "n_isolates",
                    "fragmentation",
                    "avg_distance",
                    "diameter",
                    "compactness",
                    "n_respondents",
                    "density_observed",
                ),
                "n_nodes",
                "estimate",
                optional=True,
            ),
        ),
        totals=(
            T(
                ("n_nodes",), over="network_centrality", parts=("n_units",)
            ),  # same for all relations
            T(
                ("n_firms",),
                over="network_centrality",
                parts=("n_units",),
                where=(("kind", "firm"),),
            ),
            T(
                ("n_ties",),
                over="network_centrality",
                parts=("n_units", "in_degree"),
                on=_ON,
                withhold=("dyads_mutual", "dyads_asymmetric", "dyads_null"),
            ),
            T(("n_ties",), over="network_centrality", parts=("n_units", "out_degree"), on=_ON),
            T(
                ("n_ties",),
                over="network_centrality",
                parts=("n_units", "degree"),
                factor=2.0,
                on=_ON,
            ),
            T(
                ("avg_degree", "n_nodes"),
                over="network_centrality",
                parts=("n_units", "out_degree"),
                on=_ON,
            ),
            T(
                ("density", "n_nodes", "n_nodes-1"),
                over="network_centrality",
                parts=("n_units", "in_degree"),
                on=_ON,
            ),
            T(
                ("density_valued", "n_nodes", "n_nodes-1"),
                over="network_centrality",
                parts=("n_units", "in_strength"),
                on=_ON,
            ),
            T(
                ("n_isolates",),
                over="network_roles",
                parts=("n_units",),
                where=(("role", "isolated"),),
                relation=">=",
                on=_ON,
            ),
            T(("n_firms",), over="network_roles", parts=("n_units",), relation=">="),
        ),
        description="one row per relation: size and cohesion of the whole network",
    )
)
register(
    C(
        "network_centrality",
        "actor",
        keys=("relation", "kind"),
        aggregate=("relation", "kind"),
        identifiers=("node", "node_name"),
        measures=(
            M(("n_units",), "n_units", "count"),
            M(
                _NET
                + (
                    "in_degree_norm",
                    "out_degree_norm",
                    "degree_norm",
                    "closeness",
                    "closeness_out",
                    "harmonic",
                    "harmonic_out",
                    "betweenness",
                    "eigenvector",
                ),
                "n_units",
                "mean",
                dominance="top1",
                optional=True,
            ),
        ),
        description="mean centrality by kind of actor (actor-level rows are never published)",
    )
)
register(
    C(
        "network_brokerage",
        "actor",
        keys=("relation", "kind"),
        aggregate=("relation", "kind"),
        identifiers=("node", "node_name"),
        measures=(
            M(("n_units",), "n_units", "count"),
            M(
                (
                    "coordinator",
                    "itinerant",
                    "representative",
                    "gatekeeper",
                    "liaison",
                    "total",
                    "effective_size",
                    "efficiency",
                    "constraint",
                ),
                "n_units",
                "mean",
                dominance="top1",
                optional=True,
            ),
        ),
        description="mean brokerage scores by kind of actor",
    )
)
register(
    C(
        "network_roles",
        "actor",
        keys=("relation", "role"),
        aggregate=("relation", "role"),
        identifiers=("node", "node_name"),
        measures=(M(("n_units",), "n_units", "count"),),
        description="number of firms per knowledge role",
    )
)
_NODE_LEVEL = "one row per actor (identities, positions): internal"
for _name in ("network_core_periphery", "network_communities", "network_participation_centrality"):
    register(C(_name, "actor", public=False, reason=_NODE_LEVEL, identifiers=("node", "node_name")))
_NET_INTERNAL = (
    "network-level statistics not yet covered by the publication audit "
    "(group blocks, permutation tests, response by group): internal"
)
for _name in (
    "network_response",
    "network_centralization",
    "network_group_densities",
    "network_ei",
    "network_members",
    "network_qap",
    "network_mrqap",
    "network_participation",
):
    register(C(_name, "actor", public=False, reason=_NET_INTERNAL))

# ---------------------------------------------------------------- 03/04 instruments (raters)
_R_KEYS = ("initiative", "round")
_RATING = (
    M(("n_raters",), "n_raters", "count"),
    M(
        ("score", "mean", "coverage", "n_answered", "n_expected", "n_na", "n_unsupported", "stage"),
        "n_raters",
        "mean",
        optional=True,
    ),
    M(("median", "min", "max"), "n_raters", "order", optional=True),
    M(("sd", "spread", "disagreement"), "n_raters", "dispersion", optional=True),
    M(("ci_low", "ci_high"), "n_raters", "interval", optional=True),
    M(("status", "band", "stage_label"), "n_raters", "estimate", optional=True),
)
for _name, _keys, _labels in (
    ("cimbt_questions", _R_KEYS + ("item",), ("level", "component", "area", "text", "instrument")),
    ("cimbt_components", _R_KEYS + ("component",), ("level", "area", "name", "instrument")),
    ("cimbt_areas", _R_KEYS + ("area",), ("level", "name", "instrument")),
    ("cimbt_overall", _R_KEYS + ("overall",), ("level", "instrument")),
    ("bigfive_factors", ("initiative", "round", "factor"), ("name",)),
):
    register(
        C(
            _name,
            "rater",
            keys=_keys,
            labels=_labels,
            measures=_RATING,
            description="rating summaries per cell (raters are the contributors)",
        )
    )
register(
    C(
        "cimbt_insight_execution",
        "rater",
        keys=("initiative", "round"),
        count_from=("cimbt_areas", ("initiative", "round")),
        measures=(
            M(("insight", "execution"), "n_raters", "mean"),
            M(("gap",), "n_raters", "mean", optional=True),
            M(
                (
                    "insight_ci_low",
                    "insight_ci_high",
                    "execution_ci_low",
                    "execution_ci_high",
                    "gap_ci_low",
                    "gap_ci_high",
                ),
                "n_raters",
                "interval",
                optional=True,
            ),
        ),
        description="insight and execution scores (rater count: the smallest of its areas)",
    )
)
register(
    C(
        "bigfive_platform",
        "rater",
        keys=("initiative", "round"),
        count_from=("bigfive_factors", ("initiative", "round")),
        measures=(
            M(
                ("platform_reached", "platform_status", "weakest_factors", "gap", "near_platform"),
                "n_raters",
                "estimate",
                optional=True,
            ),
        ),
        description="platform status (rater count: the smallest of its factors)",
    )
)
_RATER_INTERNAL = "rater-level diagnostics, ranks against named peers or question lists: internal"
for _name in (
    "cimbt_rater_bias",
    "cimbt_reliability",
    "cimbt_benchmark",
    "cimbt_benchmark_overall",
    "cimbt_strengths_weaknesses",
    "cimbt_weakest",
    "cimbt_change",
    "cimbt_insight_execution_correlation",
    "bigfive_weakest",
    "bigfive_reliability",
):
    register(C(_name, "rater", public=False, reason=_RATER_INTERNAL))

# ---------------------------------------------------------------- 05 members vs non-members
register(
    C(
        "member_trends",
        "firm",
        keys=("outcome", "period", "member"),
        measures=(
            M(("n_firms",), "n_firms", "count"),
            M(("mean",), "n_firms", "mean", dominance="top1_share"),
            M(("sd", "se"), "n_firms", "dispersion", optional=True),
            M(("ci_low", "ci_high"), "n_firms", "interval", optional=True),
        ),
        description="mean outcome of members and non-members by period",
    )
)


def _estimates(name: str, keys: tuple, description: str) -> None:
    """A table of estimates over firms: count, estimate with its inference, interval."""
    register(
        C(
            name,
            "firm",
            keys=keys,
            measures=(
                M(("n_firms",), "n_firms", "count"),
                M(
                    ("estimate", "std_error", "statistic", "p_value"),
                    "n_firms",
                    "estimate",
                    optional=True,
                ),
                M(("ci_low", "ci_high"), "n_firms", "interval", optional=True),
            ),
            description=description,
        )
    )


_estimates(
    "member_effects", ("outcome", "method", "term"), "member vs non-member estimates side by side"
)
register(
    C(
        "sample_description",
        "firm",
        keys=("period", "member"),
        measures=(
            M(("n_firms",), "n_firms", "count"),
            M(("n_expected", "response_rate"), "n_firms", "estimate", optional=True),
        ),
        description="firms expected and responding by period and group",
    )
)
_estimates("event_study", ("outcome", "rel_period", "term"), "event-study path around joining")
register(
    C(
        "balance",
        "firm",
        public=False,
        reason="covariate means of small groups (min/max-like): internal",
    )
)

# ---------------------------------------------------------------- 06 scorecard
register(
    C(
        "scorecard_status",
        "firm",
        keys=("indicator", "period"),
        labels=(
            "indicator_name",
            "perspective",
            "perspective_name",
            "group",
            "source",
            "unit",
            "direction",
            "target",
        ),
        measures=(
            M(("n_reporting",), "n_reporting", "count"),
            M(
                (
                    "value",
                    "status",
                    "gap",
                    "attainment",
                    "change",
                    "trend",
                    "coverage",
                    "low_coverage",
                    "n_expected",
                ),
                "n_reporting",
                "mean",
                optional=True,
            ),
        ),
        missing_count="publish",
        description="indicator values against targets (company indicators: mean of reporting "
        "firms; governance indicators have no count and are published)",
    )
)
register(
    C(  # counts of indicators, not of firms
        "scorecard_perspectives",
        "none",
        keys=("perspective", "period"),
        labels=("perspective_name", "order"),
        measures=(
            M(
                (
                    "n_indicators",
                    "n_with_data",
                    "n_on_track",
                    "n_at_risk",
                    "n_off_track",
                    "n_no_target",
                    "score",
                    "mean_coverage",
                ),
                None,
                "label",
                optional=True,
            ),
        ),
        description="status counts per perspective",
    )
)
_SC_INTERNAL = "company-level benchmark, action registers and diagnostics: internal"
for _name in (
    "scorecard_trends",
    "scorecard_benchmark",
    "scorecard_actions",
    "scorecard_action_effects",
    "diagnostics_lifecycle",
    "diagnostics_markusen",
    "diagnostics_diamond",
):
    register(C(_name, "firm", public=False, reason=_SC_INTERNAL))


# ---------------------------------------------------------------- added by issues 16 and 17
_EVAL_INTERNAL = (
    "estimates of the staggered, one-region and cross-initiative designs: not yet "
    "covered by the publication audit (cohort cells can hold one or two firms); "
    "the main estimate reaches the pages through member_effects"
)
for _name in (
    "bacon_decomposition",
    "staggered_dynamic",
    "staggered_att_gt",
    "event_study_sun_abraham",
    "cross_initiative_effects",
    "cross_initiative_pooled",
    "cross_initiative_metaregression",
):
    register(C(_name, "firm", public=False, reason=_EVAL_INTERNAL))
for _name in ("synth_weights", "synth_effects", "synth_placebo"):
    register(C(_name, "establishment", public=False, reason=_ALL_REGIONS))
for _name in (
    "network_change_ties",
    "network_change_stability",
    "network_change_members",
    "network_change_actors",
):
    register(
        C(
            _name,
            "actor",
            public=False,
            reason="change between survey waves (actor-level or small groups of actors): "
            "not yet covered by the publication audit",
        )
    )
