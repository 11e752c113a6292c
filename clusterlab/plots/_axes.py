"""The one "draw on ``ax``, or on a new figure" helper shared by the figure modules.

Every plot function follows ``f(table, *, ax=None, ...) -> Axes``; this module holds the lines
that pick the Axes to draw on, so that the figure size and layout of a new figure are the only
things a plot function states.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> ax = axes_or_new(None, figsize=(7, 4), layout="constrained")
>>> ax.figure.get_size_inches().tolist(), ax.figure.get_layout_engine() is not None
([7.0, 4.0], True)
>>> axes_or_new(ax, figsize=(2, 2)) is ax
True
>>> plt.close(ax.figure)
"""

from __future__ import annotations

from typing import Any, Literal

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

__all__ = ["axes_or_new"]


def axes_or_new(
    ax: Axes | None,
    *,
    figsize: tuple[float, float],
    layout: Literal["constrained", "tight"] | None = None,
    **subplot_kw: Any,
) -> Axes:
    """``ax`` itself, or the single Axes of a new figure of ``figsize`` inches.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or None
        The Axes the caller was given; returned unchanged (``figsize``, ``layout`` and
        ``subplot_kw`` are then ignored).
    figsize : (float, float)
        Width and height in inches of the new figure.
    layout : {"constrained", "tight"} or None, default None
        Layout engine of the new figure (:func:`matplotlib.pyplot.figure`).
    **subplot_kw
        Passed to :meth:`matplotlib.figure.Figure.add_subplot` for the new Axes, e.g.
        ``projection="polar"``.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, or the Axes of the new figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = axes_or_new(None, figsize=(4.6, 4.2), projection="polar")
    >>> ax.name
    'polar'
    >>> plt.close(ax.figure)
    """
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=figsize, layout=layout, subplot_kw=subplot_kw or None)
    return new
