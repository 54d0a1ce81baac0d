"""Stance network as GEXF (export only); the mapping and views are documented in
stance_network.py. Options: view ("stance", "two-mode", "congruence"), date_from, date_to."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.formats.common import ExportReport, Progress, Scope
from stancemark.formats.stance_network import EXPORT_OPTIONS, export_network

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

__all__ = ["EXPORT_OPTIONS", "export"]


def export(repo: Repository, out: Path, scope: Scope | None = None, progress: Progress | None = None,
           *, view: str = "stance", date_from: str | None = None,
           date_to: str | None = None) -> ExportReport:
    return export_network(repo, out, scope, progress, "gexf", view, date_from, date_to)
