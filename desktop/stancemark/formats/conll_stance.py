"""CoNLL / IOB2 with a stance column (token, entity tag, stance tag): see formats.conll.

Offsets in the comment lines are Unicode code points.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.formats import conll
from stancemark.formats.common import ExportReport, Progress, Scope

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = conll.SUFFIXES
import_paths = conll.import_paths


def export(repo: Repository, out: Path, scope: Scope | None = None,
           progress: Progress | None = None) -> ExportReport:
    return conll.export(repo, out, scope, progress, stances=True)
