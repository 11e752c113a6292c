"""Figures: one module per topic, one function per figure type, each returning its Axes/Figure."""
