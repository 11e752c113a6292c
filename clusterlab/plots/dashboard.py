"""Figures for the dashboards and the static site (matplotlib/seaborn, Agg-safe).

Every figure function follows the house convention ``f(table, *, ax=None, ...) -> Axes``: it
draws on ``ax`` when given (else on a new figure of the size the dashboards use), checks its
table, sets a title that says what the figure shows and returns the Axes.
:func:`effects_small_multiples` draws its panels as inset Axes of the returned one
(``ax.child_axes``). :func:`figure_svg` turns an Axes (its figure) or a Figure into an inline
SVG string with text kept as text. Suppressed cells arrive as missing values and are simply not
drawn. Until 0.2 these functions returned the Figure: use ``ax.figure``.

Examples
--------
>>> import pandas as pd
>>> from clusterlab.plots.dashboard import interval_profile, figure_svg
>>> t = pd.DataFrame({"component": ["vision", "funding"], "mean": [3.2, 2.5],
...                   "ci_low": [2.8, 2.0], "ci_high": [3.6, 3.0]})
>>> ax = interval_profile(t, label="component")
>>> ax.get_title()
'mean by component with intervals'
>>> figure_svg(ax).startswith("<svg")            # closes the figure
True
"""

from __future__ import annotations

import io
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from clusterlab._validation import check_frame
from clusterlab.errors import ParameterError
from clusterlab.plots._axes import axes_or_new

__all__ = [
    "figure_svg",
    "portfolio_bubble",
    "interval_profile",
    "components_heatmap",
    "insight_execution_scatter",
    "group_bars",
    "status_counts",
    "effects_small_multiples",
    "density_heatmap",
    "figure_alt",
]

STATUS_COLOURS = {"on_track": "#2e7d32", "at_risk": "#f9a825", "off_track": "#c62828"}


def _figure(fig):
    """The Figure of ``fig`` (a Figure, or an Axes: its figure)."""
    if isinstance(fig, Axes):
        return fig.figure
    if isinstance(fig, matplotlib.figure.Figure):
        return fig
    raise ParameterError(f"expected a matplotlib Axes or Figure, got {type(fig).__name__}")


def figure_alt(fig) -> str:
    """A default alternative text: the figure's titles and axis labels.

    Parameters
    ----------
    fig : matplotlib.axes.Axes or matplotlib.figure.Figure
        The figure, or an Axes of it (its whole figure is described).

    Returns
    -------
    str
        The suptitle and, for every Axes with any, its title and axis labels joined by "; "
        (``"figure"`` when there are none).

    Raises
    ------
    ParameterError
        ``fig`` is neither an Axes nor a Figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"kind": ["firm", "university"], "degree": [0.2, 0.5]})
    >>> ax = group_bars(t, x="kind", y="degree", title="Mean degree by kind")
    >>> figure_alt(ax)
    'Mean degree by kind — degree'
    >>> plt.close(ax.figure)
    """
    fig = _figure(fig)
    parts = []
    if fig._suptitle is not None and fig._suptitle.get_text():
        parts.append(fig._suptitle.get_text())
    for ax in fig.axes:
        bits = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        bits = [b for b in bits if b]
        if bits:
            parts.append(" — ".join(bits))
    return "; ".join(dict.fromkeys(parts)) or "figure"


def figure_svg(fig, alt: str | None = None) -> str:
    """Inline ``<svg>`` markup of a figure (text kept as text, no XML prolog); closes it.

    The ``<svg>`` gets ``role="img"``, an ``aria-label`` and a ``<title>`` with ``alt`` (by
    default :func:`figure_alt`), so that screen readers say what the figure shows.

    Parameters
    ----------
    fig : matplotlib.axes.Axes or matplotlib.figure.Figure
        The figure, or an Axes of it (as the plot functions return): its whole figure is
        drawn.
    alt : str, optional
        Alternative text; default :func:`figure_alt`.

    Returns
    -------
    str
        The ``<svg>...</svg>`` markup; the figure is closed.

    Raises
    ------
    ParameterError
        ``fig`` is neither an Axes nor a Figure.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"kind": ["firm", "university"], "degree": [0.2, 0.5]})
    >>> svg = figure_svg(group_bars(t, x="kind", y="degree"), alt="Mean degree by kind")
    >>> svg.startswith('<svg role="img" aria-label="Mean degree by kind"')
    True
    """
    import html as _html

    fig = _figure(fig)
    alt = _html.escape(alt or figure_alt(fig), quote=True)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "clusterlab"}):
        fig.savefig(buf, format="svg", bbox_inches="tight")  # legends outside the axes too
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    head_end = svg.index(">") + 1
    return (
        svg[:4]
        + f' role="img" aria-label="{alt}"'
        + svg[4:head_end]
        + f"<title>{alt}</title>"
        + svg[head_end:]
    )


def portfolio_bubble(
    table: pd.DataFrame,
    *,
    x: str = "lq",
    y: str = "growth",
    size: str | None = "employment",
    label: str | None = "cluster_name",
    strong: str | None = "strong",
    title: str = "",
    xlabel: str = "location quotient",
    ylabel: str = "employment growth",
    ax=None,
):
    """Cluster portfolio bubble chart: specialisation (LQ) against growth, bubble = size.

    A vertical line marks LQ = 1; strong clusters are outlined in black.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cluster with the columns ``x`` and ``y`` (rows missing either are not
        drawn) and optionally ``size``, ``label`` and ``strong``.
    x : str, default "lq"
        Column of the horizontal position (the location quotient).
    y : str, default "growth"
        Column of the vertical position (employment growth).
    size : str or None, default "employment"
        Column of the bubble area (scaled to the largest); ``None`` or absent: equal bubbles.
    label : str or None, default "cluster_name"
        Column written next to each bubble; ``None`` or absent: no labels.
    strong : str or None, default "strong"
        Boolean column: true bubbles are outlined in black; ``None`` or absent: no outline.
    title : str, default ""
        Title; default "Cluster portfolio".
    xlabel : str, default "location quotient"
        Label of the x axis.
    ylabel : str, default "employment growth"
        Label of the y axis.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A column ``x`` or ``y`` is missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"cluster_name": ["Automotive", "IT"], "lq": [1.4, 0.8],
    ...                   "growth": [0.02, -0.01], "employment": [5000, 1200],
    ...                   "strong": [True, False]})
    >>> ax = portfolio_bubble(t)
    >>> ax.get_title(), len(ax.texts)                # one label per cluster
    ('Cluster portfolio', 2)
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=[x, y], name="table")
    ax = axes_or_new(ax, figsize=(6.4, 4.2), layout="constrained")
    _draw_portfolio_bubble(
        ax,
        table,
        x=x,
        y=y,
        size=size,
        label=label,
        strong=strong,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
    )
    return ax


def _draw_portfolio_bubble(ax, table, *, x, y, size, label, strong, title, xlabel, ylabel):
    """Draw :func:`portfolio_bubble` on ``ax`` (shared with clusterlab.plots.mapping)."""
    data = table.dropna(subset=[x, y])
    if size and size in data.columns and data[size].notna().any():
        s = data[size].astype(float)
        area = 40 + 600 * (s / s.max()).fillna(0)
    else:
        area = 80
    edge = (
        np.where(data[strong].fillna(False).astype(bool), "black", "none")
        if strong and strong in data.columns
        else "none"
    )
    ax.scatter(
        data[x], data[y], s=area, alpha=0.6, color="#1f77b4", edgecolors=edge, linewidths=1.5
    )
    if label and label in data.columns:
        for _, r in data.iterrows():
            ax.annotate(
                str(r[label]), (r[x], r[y]), fontsize=7, xytext=(3, 3), textcoords="offset points"
            )
    ax.axvline(1.0, color="grey", lw=0.8, ls="--")
    ax.axhline(0.0, color="grey", lw=0.8, ls=":")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title or "Cluster portfolio")


def interval_profile(
    table: pd.DataFrame,
    *,
    label: str,
    estimate: str = "mean",
    low: str = "ci_low",
    high: str = "ci_high",
    hue: str | None = None,
    title: str = "",
    xlabel: str = "",
    ref: float | None = None,
    ax=None,
):
    """Dot plot with intervals (profiles of components/factors, forest plots of estimates).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per category (and ``hue`` group): ``label`` and ``estimate`` (rows without an
        estimate are not drawn), optionally the interval columns ``low`` and ``high``.
    label : str
        Column of the categories (one row of the plot each, in order of appearance).
    estimate : str, default "mean"
        Column of the point estimates.
    low : str, default "ci_low"
        Column of the interval's lower end (no intervals without ``low`` and ``high``).
    high : str, default "ci_high"
        Column of the interval's upper end.
    hue : str, optional
        Column of groups drawn side by side within each row, with a legend.
    title : str, default ""
        Title; default "<estimate> by <label> with intervals".
    xlabel : str, default ""
        Label of the x axis; default ``estimate``.
    ref : float, optional
        A reference value drawn as a dashed vertical line.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise (its height grows with the number of rows).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A column ``label`` or ``estimate`` is missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"component": ["vision", "funding"], "mean": [3.2, 2.5],
    ...                   "ci_low": [2.8, 2.0], "ci_high": [3.6, 3.0]})
    >>> ax = interval_profile(t, label="component", title="Components", ref=3)
    >>> ax.get_title(), [t.get_text() for t in ax.get_yticklabels()]
    ('Components', ['vision', 'funding'])
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=[label, estimate], name="table")
    data = table.dropna(subset=[estimate]).copy()
    data[label] = data[label].astype(str)
    cats = list(dict.fromkeys(data[label]))
    groups = list(dict.fromkeys(data[hue].astype(str))) if hue and hue in data.columns else [None]
    ax = axes_or_new(
        ax,
        figsize=(7.2, max(2.2, 0.35 * len(cats) * max(1, len(groups) ** 0.5) + 1.0)),
        layout="constrained",
    )
    palette = sns.color_palette("deep", len(groups))
    offsets = np.linspace(-0.25, 0.25, len(groups)) if len(groups) > 1 else [0.0]
    for g, off, colour in zip(groups, offsets, palette, strict=True):
        sub = data if g is None else data[data[hue].astype(str) == g]
        ypos = np.array([cats.index(c) for c in sub[label]]) + off
        est = sub[estimate].astype(float).to_numpy()
        if low in sub.columns and high in sub.columns:
            # intervals drawn on their own: an interval need not contain the point (e.g. a
            # median's interval around a mean)
            ax.hlines(ypos, sub[low].astype(float), sub[high].astype(float), color=colour, lw=1.5)
        ax.plot(est, ypos, "o", color=colour, label=None if g is None else g)
    if ref is not None:
        ax.axvline(ref, color="grey", lw=0.8, ls="--")
    ax.set_yticks(range(len(cats)), cats)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel or estimate)
    ax.set_title(title or f"{estimate} by {label} with intervals", fontsize=11)
    if groups != [None]:
        ax.legend(fontsize=7, loc="best")
    return ax


def components_heatmap(
    table: pd.DataFrame,
    *,
    row: str = "initiative",
    col: str = "component",
    value: str = "mean",
    title: str = "",
    ax=None,
):
    """Heatmap of scores (initiatives × components); suppressed cells stay blank.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with the columns ``row``, ``col`` and ``value`` (averaged when a pair
        repeats).
    row : str, default "initiative"
        Column of the heatmap's rows.
    col : str, default "component"
        Column of the heatmap's columns.
    value : str, default "mean"
        Column of the cell values (written in the cells; missing = blank).
    title : str, default ""
        Title; default "<value> by <row> and <col>".
    ax : matplotlib.axes.Axes, optional
        Where to draw (the colour bar takes room from it); a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes of the heatmap.

    Raises
    ------
    DataValidationError
        A column ``row``, ``col`` or ``value`` is missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"initiative": ["a", "a", "b", "b"],
    ...                   "component": ["vision", "funding"] * 2,
    ...                   "mean": [3.0, 2.0, None, 4.0]})
    >>> ax = components_heatmap(t)
    >>> ax.get_title(), len(ax.texts)                # the suppressed cell has no number
    ('mean by initiative and component', 3)
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=[row, col, value], name="table")
    grid = table.pivot_table(
        index=row, columns=col, values=value, aggfunc="mean", dropna=False, observed=True
    )
    # room below for the column names (words, not codes: rotated, up to ~25 characters)
    ax = axes_or_new(
        ax,
        figsize=(max(6.4, 0.6 * grid.shape[1] + 2.5), max(3.4, 0.5 * grid.shape[0] + 2.6)),
        layout="constrained",
    )
    sns.heatmap(
        grid.astype(float), annot=True, fmt=".1f", cmap="viridis", ax=ax, cbar_kws={"label": value}
    )
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(title or f"{value} by {row} and {col}")
    return ax


def insight_execution_scatter(
    table: pd.DataFrame,
    *,
    x: str,
    y: str,
    label: str,
    highlight: str | None = None,
    title: str = "",
    ax=None,
):
    """Insight & strategy (x) against ability to execute (y), one point per initiative.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per initiative with the columns ``x``, ``y`` (scores 1-5; rows missing
        either are not drawn) and ``label``.
    x : str
        Column of the insight & strategy score.
    y : str
        Column of the ability-to-execute score.
    label : str
        Column naming each point.
    highlight : str, optional
        Value of ``label`` drawn in red (e.g. the initiative of the dashboard).
    title : str, default ""
        Title; default "Insight & strategy against ability to execute".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A column ``x``, ``y`` or ``label`` is missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"initiative": ["a", "b"], "insight": [2.0, 4.0],
    ...                   "execution": [3.0, 3.5]})
    >>> ax = insight_execution_scatter(t, x="insight", y="execution", label="initiative",
    ...                                highlight="b")
    >>> ax.get_title()
    'Insight & strategy against ability to execute'
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=[x, y, label], name="table")
    data = table.dropna(subset=[x, y])
    ax = axes_or_new(ax, figsize=(5.2, 4.2), layout="constrained")
    colours = [
        "#c62828" if highlight is not None and str(v) == str(highlight) else "#1f77b4"
        for v in data[label]
    ]
    ax.scatter(data[x], data[y], c=colours, s=70)
    for _, r in data.iterrows():
        ax.annotate(
            str(r[label]), (r[x], r[y]), fontsize=7, xytext=(4, 4), textcoords="offset points"
        )
    lims = [1, 5]
    ax.plot(lims, lims, color="grey", lw=0.8, ls="--")
    ax.set_xlim(*lims)
    ax.set_ylim(*lims)
    ax.set_xlabel("insight & strategy")
    ax.set_ylabel("ability to execute")
    ax.set_title(title or "Insight & strategy against ability to execute")
    return ax


def group_bars(table: pd.DataFrame, *, x: str, y: str, title: str = "", ylabel: str = "", ax=None):
    """Bar chart of one value per group (e.g. mean centrality by node kind).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group with the columns ``x`` and ``y`` (rows without ``y`` are not
        drawn).
    x : str
        Column of the groups (one bar each).
    y : str
        Column of the bar heights.
    title : str, default ""
        Title; default "<ylabel or y> by <x>".
    ylabel : str, default ""
        Label of the y axis; default ``y``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A column ``x`` or ``y`` is missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"kind": ["firm", "university"], "degree": [0.2, 0.5]})
    >>> ax = group_bars(t, x="kind", y="degree")
    >>> ax.get_title(), len(ax.patches)
    ('degree by kind', 2)
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=[x, y], name="table")
    data = table.dropna(subset=[y])
    ax = axes_or_new(ax, figsize=(5.6, 3.2), layout="constrained")
    sns.barplot(data=data, x=x, y=y, ax=ax, color="#4c72b0")
    ax.set_ylabel(ylabel or y)
    ax.set_xlabel("")
    ax.set_title(title or f"{ylabel or y} by {x}")
    ax.tick_params(axis="x", rotation=20)
    return ax


def status_counts(
    table: pd.DataFrame,
    *,
    by: str = "perspective",
    status: str = "status",
    title: str = "",
    ax=None,
):
    """Stacked bars: number of indicators per status within each perspective.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per indicator (and period) with the columns ``by`` and ``status`` (rows
        without a status are not counted).
    by : str, default "perspective"
        Column of the bars.
    status : str, default "status"
        Column of the statuses (``on_track``, ``at_risk``, ``off_track`` in traffic-light
        colours, others grey).
    title : str, default ""
        Title; default "Indicators by status and <by>".
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    DataValidationError
        A column ``by`` or ``status`` is missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"perspective": ["members", "members", "finance"],
    ...                   "status": ["on_track", "at_risk", "off_track"]})
    >>> ax = status_counts(t)
    >>> ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('Indicators by status and perspective', ['on_track', 'at_risk', 'off_track'])
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=[by, status], name="table")
    data = table.dropna(subset=[status])
    counts = data.groupby([by, status], observed=True).size().unstack(fill_value=0)
    order = [s for s in STATUS_COLOURS if s in counts.columns] + [
        s for s in counts.columns if s not in STATUS_COLOURS
    ]
    counts = counts[order]
    ax = axes_or_new(ax, figsize=(5.6, 3.0), layout="constrained")
    counts.plot(
        kind="barh",
        stacked=True,
        ax=ax,
        color=[STATUS_COLOURS.get(s, "#9e9e9e") for s in counts.columns],
    )
    ax.set_xlabel("indicators")
    ax.set_ylabel("")
    ax.set_title(title or f"Indicators by status and {by}")
    ax.legend(fontsize=7)
    return ax


def _inches(ax) -> tuple[float, float]:
    """Width and height of ``ax`` in inches (as laid out so far)."""
    fig = ax.figure
    pos = ax.get_position()
    return pos.width * fig.get_figwidth(), pos.height * fig.get_figheight()


def effects_small_multiples(
    table: pd.DataFrame,
    *,
    outcome: str = "outcome",
    label: str = "method",
    estimate: str = "estimate",
    low: str = "ci_low",
    high: str = "ci_high",
    title: str = "",
    labels: dict | None = None,
    ncols: int = 2,
    ax=None,
):
    """Member effects as small multiples: one panel (own x axis) per outcome.

    Outcomes measured in different units (jobs, turnover, shares, counts) never share an axis;
    within a panel each row is one method with its 95 % interval; the dashed line is zero.
    The panels are inset Axes of the returned one (``ax.child_axes``, in the order of the
    outcomes), whose own frame is hidden: it holds the title.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per outcome and method: ``outcome``, ``label`` and ``estimate`` (rows without
        an estimate are not drawn), optionally the interval columns ``low`` and ``high``.
    outcome : str, default "outcome"
        Column of the outcomes (one panel each, in order of appearance).
    label : str, default "method"
        Column of the rows within a panel (methods, or initiatives).
    estimate : str, default "estimate"
        Column of the estimates (members - non-members).
    low : str, default "ci_low"
        Column of the interval's lower end (no intervals without ``low`` and ``high``).
    high : str, default "ci_high"
        Column of the interval's upper end.
    title : str, default ""
        Title; default "Member vs non-member differences, one panel per outcome".
    labels : dict, optional
        Words for codes (outcomes, methods), e.g. ``{"psm": "Propensity-score matching"}``.
    ncols : int, default 2
        Panels per row.
    ax : matplotlib.axes.Axes, optional
        Where to draw the panels; a new figure otherwise (its size grows with the number of
        panels and rows).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes holding the title and the panels.

    Raises
    ------
    DataValidationError
        A column ``outcome``, ``label`` or ``estimate`` is missing.
    ParameterError
        ``ncols`` is not a positive integer.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"outcome": ["jobs", "jobs", "turnover"],
    ...                   "method": ["ols", "psm", "ols"], "estimate": [1.0, 2.0, 0.1],
    ...                   "ci_low": [0.0, 1.0, -0.1], "ci_high": [2.0, 3.0, 0.3]})
    >>> ax = effects_small_multiples(t, labels={"psm": "matching"})
    >>> ax.get_title()
    'Member vs non-member differences, one panel per outcome'
    >>> [p.get_title() for p in ax.child_axes]
    ['jobs', 'turnover']
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=[outcome, label, estimate], name="table")
    if isinstance(ncols, bool) or not isinstance(ncols, int | np.integer) or ncols < 1:
        raise ParameterError(f"ncols must be a positive integer, got {ncols!r}")
    data = table.dropna(subset=[estimate]).copy()
    words = labels or {}
    outs = list(dict.fromkeys(data[outcome].astype(str)))
    n = max(1, len(outs))
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    rows_per = max((data[outcome].astype(str) == o).sum() for o in outs) if outs else 1
    width, height = 3.6 * ncols, max(1.9, 0.32 * rows_per + 1.3) * nrows
    if ax is None:
        ax = axes_or_new(None, figsize=(width, height), layout="constrained")
    else:
        width, height = _inches(ax)
    ax.set_axis_off()
    ax.set_title(title or "Member vs non-member differences, one panel per outcome", fontsize=11)
    # room within each cell of the grid, in inches: the method names at 7 pt on the left, the
    # panel title (9 pt) above, the tick labels and x label (7 pt) below
    names = [words.get(str(m), str(m)) for m in data[label]]
    left = 0.1 + 7 / 72 * 0.55 * max((len(s) for s in names), default=0)
    cw, ch = width / ncols, height / nrows
    fl, fr = min(left / cw, 0.6), min(0.15 / cw, 0.1)
    fb, ft = min(0.45 / ch, 0.4), min(0.3 / ch, 0.3)
    for i, out in enumerate(outs):
        r, c = divmod(i, ncols)
        p = ax.inset_axes(
            [
                (c + fl) / ncols,
                1 - (r + 1 - fb) / nrows,
                (1 - fl - fr) / ncols,
                (1 - fb - ft) / nrows,
            ]
        )
        sub = data[data[outcome].astype(str) == out]
        y = np.arange(len(sub))
        if low in sub.columns and high in sub.columns:
            p.hlines(y, sub[low].astype(float), sub[high].astype(float), color="#4c72b0", lw=1.6)
        p.plot(sub[estimate].astype(float), y, "o", color="#1f3f6e")
        p.axvline(0.0, color="grey", lw=0.8, ls="--")
        p.set_yticks(y, [words.get(str(m), str(m)) for m in sub[label]], fontsize=7)
        p.set_ylim(len(sub) - 0.5, -0.5)
        p.tick_params(axis="x", labelsize=7)
        p.set_title(words.get(out, out), fontsize=9)
        p.set_xlabel("members − non-members", fontsize=7)
    return ax


def density_heatmap(
    table: pd.DataFrame,
    *,
    row: str = "group_from",
    col: str = "group_to",
    value: str = "density",
    title: str = "",
    labels: dict | None = None,
    ax=None,
):
    """Tie density between kinds of actors (rows send, columns receive); blank = withheld.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per pair of kinds with the columns ``row``, ``col`` and ``value`` (a share
        0-1, drawn as a percentage; missing = blank).
    row : str, default "group_from"
        Column of the sending kinds (rows).
    col : str, default "group_to"
        Column of the receiving kinds (columns).
    value : str, default "density"
        Column of the densities.
    title : str, default ""
        Title; default "Tie density between kinds of actors".
    labels : dict, optional
        Words for the kinds' codes.
    ax : matplotlib.axes.Axes, optional
        Where to draw (the colour bar takes room from it); a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes of the heatmap.

    Raises
    ------
    DataValidationError
        A column ``row``, ``col`` or ``value`` is missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> t = pd.DataFrame({"group_from": ["firm", "firm", "uni", "uni"],
    ...                   "group_to": ["firm", "uni"] * 2, "density": [0.2, 0.1, None, 0.5]})
    >>> ax = density_heatmap(t, labels={"uni": "university"})
    >>> ax.get_title(), [t.get_text() for t in ax.texts]
    ('Tie density between kinds of actors', ['20', '10', '50'])
    >>> plt.close(ax.figure)
    """
    check_frame(table, required=[row, col, value], name="table")
    words = labels or {}
    data = table.assign(
        **{
            row: table[row].map(lambda v: words.get(str(v), str(v))),
            col: table[col].map(lambda v: words.get(str(v), str(v))),
        }
    )
    grid = data.pivot_table(index=row, columns=col, values=value, aggfunc="mean", dropna=False)
    ax = axes_or_new(
        ax,
        figsize=(max(4.2, 0.9 * grid.shape[1] + 2.6), max(2.6, 0.55 * grid.shape[0] + 1.6)),
        layout="constrained",
    )
    sns.heatmap(
        grid.astype(float) * 100,
        annot=True,
        fmt=".0f",
        cmap="Blues",
        ax=ax,
        vmin=0,
        cbar_kws={"label": "% of possible ties"},
        linewidths=0.5,
    )
    ax.set_xlabel("to")
    ax.set_ylabel("from")
    ax.set_title(title or "Tie density between kinds of actors")
    return ax
