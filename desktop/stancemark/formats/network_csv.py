"""Stance network as an edge-list CSV (export only); the views, options and attributes are
documented in stance_network.py."""

from __future__ import annotations

from stancemark.formats.stance_network import EXPORT_OPTIONS, export_format

__all__ = ["EXPORT_OPTIONS", "export"]

export = export_format("network-csv")
