"""Stancemark: annotate actors, stances and dates in news articles."""

__version__ = "0.1.0"
