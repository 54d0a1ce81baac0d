"""Export exactly the filtered rows of a discourse table through File ▸ Export's formats.

The export dialog is the normal one with its scope rows hidden: the scope is the
filter. Span formats get the articles holding the matching rows and only those
annotations (Scope.annotation_uids); network formats get the filter itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from stancemark.core.stance_filter import StanceFilter
from stancemark.formats.common import Scope
from stancemark.ui.dialogs.exchange import ExportDialog

if TYPE_CHECKING:
    from stancemark.store.repository import Repository
    from stancemark.ui.analysis.window import DiscourseContext

NETWORK_FORMATS = ("graphml", "gexf", "network-csv")


class FilteredExportDialog(ExportDialog):
    def __init__(self, annotators: list[str], summary: str, parent: QWidget | None = None):
        super().__init__(annotators, parent)
        self.setWindowTitle("Export the filtered rows")
        form = self.layout()
        assert isinstance(form, QFormLayout)
        scope_parts = [self.all_articles, self.by_query, self.query, self.by_status,
                       self.status, self.who, *self.kinds.values()]
        for row in range(form.rowCount()):
            for role in (QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.SpanningRole):
                item = form.itemAt(row, role)
                if item is None:
                    continue
                w, lay = item.widget(), item.layout()
                parts: list[QWidget | None] = [w]
                if lay is not None:
                    parts += [x.widget() for x in (lay.itemAt(i) for i in range(lay.count()))
                              if x is not None]
                if any(p in scope_parts for p in parts if p is not None):
                    form.setRowVisible(row, False)
        note = QLabel(summary)
        note.setWordWrap(True)
        form.insertRow(2, "Rows:", note)


def run_filtered_export(ctx: DiscourseContext, f: StanceFilter, kind: str, parent: QWidget) -> Any:
    """Ask format and path, then export in the background (the JobRunner, or None)."""
    from stancemark.store.stance_query import count

    n = count(ctx.repo, f, kind)
    what = "stance" if kind == "stance" else "actor mention"
    dialog = FilteredExportDialog([a.name for a in ctx.repo.list_annotators()],
                                  f"the {n:,} {what}(s) the table shows ({f.describe()})",
                                  parent)
    if not dialog.exec():
        return None
    fmt, out, _scope, options = dialog.choice()
    return ctx.export(fmt, out, filtered_scope(ctx.repo, f, kind, fmt), {
        **options, **({"stance_filter": f} if fmt in NETWORK_FORMATS else {})})


def filtered_scope(repo: Repository, f: StanceFilter, kind: str, fmt: str) -> Scope:
    if fmt in NETWORK_FORMATS:
        return Scope()  # the network export reads the filter itself
    from stancemark.store.stance_query import filter_uids

    articles, uids = filter_uids(repo, f, kind)
    return replace(Scope(), article_uids=articles, annotation_uids=uids, kinds=(kind,))
