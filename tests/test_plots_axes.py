"""The shared "draw on ``ax`` or on a new figure" helper of clusterlab.plots (issue #19), and
the two type fixes of plots.maps and plots.networks that mypy found."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from clusterlab.errors import ParameterError
from clusterlab.plots._axes import axes_or_new
from clusterlab.plots.maps import classify
from clusterlab.plots.networks import _FALLBACK


def test_given_axes_are_returned_unchanged():
    fig, ax = plt.subplots(figsize=(3, 2))
    try:
        assert axes_or_new(ax, figsize=(7, 4), layout="constrained") is ax
        assert tuple(fig.get_size_inches()) == (3.0, 2.0)
        assert fig.get_layout_engine() is None
    finally:
        plt.close(fig)


@pytest.mark.parametrize("layout", [None, "constrained"])
def test_new_figure_has_the_size_and_layout_asked_for(layout):
    ax = axes_or_new(None, figsize=(6.5, 2.75), layout=layout)
    try:
        fig = ax.figure
        assert tuple(fig.get_size_inches()) == (6.5, 2.75)
        assert fig.axes == [ax]
        engine = fig.get_layout_engine()
        assert (engine is None) if layout is None else type(engine).__name__.startswith("Constr")
    finally:
        plt.close(ax.figure)


def test_subplot_keywords_reach_the_new_axes():
    ax = axes_or_new(None, figsize=(4.6, 4.2), projection="polar")
    try:
        assert ax.name == "polar"
    finally:
        plt.close(ax.figure)


def test_classify_refuses_categories_with_our_error():
    # "categories" is a scheme of choropleth (no classes of numbers); classify used to fail
    # with a TypeError from getattr(mapclassify, None)
    with pytest.raises(ParameterError, match="scheme='categories'"):
        classify(pd.Series([1.0, 2.0, 3.0]), scheme="categories")


def test_network_fallback_colours_are_tab10():
    expected = [tuple(c) for c in matplotlib.colormaps["tab10"].colors]
    assert [tuple(c) for c in _FALLBACK] == expected
