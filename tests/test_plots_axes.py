"""The shared "draw on ``ax`` or on a new figure" helper of clusterlab.plots (issue #19)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from clusterlab.plots._axes import axes_or_new


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
