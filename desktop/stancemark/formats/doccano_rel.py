"""doccano JSONL, relation layout ("entities" + "relations"): see formats.doccano.

Export writes the relation layout; import reads either layout (as formats.doccano does).
Offsets are Unicode code points.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.formats import doccano
from stancemark.formats.common import ExportReport, Progress, Scope

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SUFFIXES = doccano.SUFFIXES
import_paths = doccano.import_paths


def export(repo: Repository, out: Path, scope: Scope | None = None,
           progress: Progress | None = None) -> ExportReport:
    return doccano.export(repo, out, scope, progress, relations=True)
