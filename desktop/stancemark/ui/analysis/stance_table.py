"""The stance table (and, with kind "actor", the mention table): filters, a lazy table,
a count, and what to do with the rows.

- Double-click (or Enter) opens the article in the main window with the span selected.
- Edit selected… (Ctrl+E here) changes polarity, holder, target or an attribute of every
  selected row in one undoable step (core.commands.UpdateAnnotations); for mentions,
  the linked actor.
- Copy (Ctrl+C) puts the selected rows, or with nothing selected the whole filtered
  table, on the clipboard as tab-separated text; Export CSV… writes the filtered
  table; Export… sends exactly the filtered stances through File ▸ Export's formats.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.commands import UpdateAnnotations
from stancemark.core.errors import StancemarkError
from stancemark.core.stance_filter import StanceFilter
from stancemark.formats import stance_table
from stancemark.store import stance_query as q
from stancemark.ui.analysis.filter_bar import FilterBar
from stancemark.ui.analysis.table_model import LazyTableModel

if TYPE_CHECKING:
    from stancemark.ui.analysis.window import DiscourseContext

CLIPBOARD_LIMIT = 200_000  # rows; more is asked about first


class DiscourseTable(QWidget):
    """`ctx` is the narrow view of the main window the discourse views need
    (ui/analysis/window.py: DiscourseContext)."""

    filter_changed = Signal(object)  # StanceFilter, after the table shows it

    def __init__(self, ctx: DiscourseContext, kind: str = "stance",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.what = "stance" if kind == "stance" else "mention"
        self.filters = FilterBar(kind)
        self.model = LazyTableModel(ctx.repo, kind, self)
        self.view = QTableView()
        self.view.setObjectName(f"{self.what}_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # no sort indicator at first: the rows come as tagged until a header is clicked
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(
            self.view.fontMetrics().height() + 6)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self._widths()
        self.count_label = QLabel()
        self.count_label.setObjectName(f"{self.what}_count")
        self.error = QLabel()
        self.error.setStyleSheet("color: #D55E00")
        self.edit_button = QPushButton("Edit selected…")
        self.edit_button.setToolTip("Change polarity, holder, target or an attribute of every "
                                    "selected row, as one undoable step" if kind == "stance"
                                    else "Link every selected mention to another actor")
        self.edit_button.clicked.connect(self.edit_selected)
        copy = QPushButton("Copy")
        copy.setToolTip("Selected rows (or the whole filtered table) as tab-separated text")
        copy.clicked.connect(self.copy)
        csv = QPushButton("Export CSV…")
        csv.clicked.connect(self.export_csv)
        export = QPushButton("Export…")
        export.setToolTip("The filtered rows in any export format (File ▸ Export's list)")
        export.clicked.connect(self.export_formats)
        bar = QHBoxLayout()
        bar.addWidget(self.count_label)
        bar.addWidget(self.error, 1)
        for b in (self.edit_button, copy, csv, export):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        for key, slot in ((QKeySequence.StandardKey.Copy, self.copy),
                          (QKeySequence("Return"), self._open_current),
                          (QKeySequence("Ctrl+E"), self.edit_selected)):
            act = QAction(self.view)
            act.setShortcut(key)
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(slot)
            self.view.addAction(act)
        self.filters.changed.connect(self.apply_filter)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.reload()

    def _widths(self) -> None:
        em = self.view.fontMetrics().horizontalAdvance("m")
        widths = {"Holder": 11, "Actor": 12, "Kind": 7, "Target": 13, "Polarity": 6, "Date": 7,
                  "Article": 14, "Published": 7, "Quote": 24, "Annotator": 6}
        for i, col in enumerate(self.model.columns):
            self.view.setColumnWidth(i, int(widths.get(col.title, 9) * em))

    # ----------------------------------------------------------------- filter
    def reload(self) -> None:
        """Names, annotators, attribute columns and rows read again (at the start, after
        imports and merges, register edits)."""
        self.filters.set_annotators([a.name for a in self.ctx.repo.list_annotators()])
        if self.kind == "stance":
            attributes = self.ctx.attributes()
            if attributes != self.model.attributes():
                self.model.set_attributes(attributes)
                self._widths()
        self.apply_filter(self.filters.value())

    def apply_filter(self, f: StanceFilter) -> None:
        try:
            self.model.set_filter(f)
        except StancemarkError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self._update_count()
        self.filter_changed.emit(f)

    def current_filter(self) -> StanceFilter:
        return self.model.filter

    def _update_count(self) -> None:
        n = self.model.total
        sel = len(self.selected_rows())
        self.count_label.setText(f"{n:,} {self.what}{'' if n == 1 else 's'}"
                                 + (f" · {sel:,} selected" if sel else ""))
        self.edit_button.setEnabled(bool(sel))

    def _selection_changed(self, *_: Any) -> None:
        self._update_count()

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.view.selectionModel().selectedRows()})

    def select_rows(self, rows: list[int]) -> None:
        sm = self.view.selectionModel()
        sm.clearSelection()
        for r in rows:
            sm.select(self.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                      | QItemSelectionModel.SelectionFlag.Rows)

    # -------------------------------------------------------------- changes
    def refresh(self, changed_ids: list[int]) -> None:
        """A change record touched these row ids (or rows appeared or went)."""
        selected = self.model.ids_of_rows(self.selected_rows())
        self.model.refresh(changed_ids)
        if selected:
            rows = [r for r in (self.model.row_of_id(i) for i in selected) if r is not None]
            self.select_rows(rows)
        self._update_count()

    # -------------------------------------------------------------- actions
    def open_row(self, row: int) -> bool:
        r = self.model.row_at(row)
        return bool(r) and self.ctx.show_annotation(r.uid)

    def _open_current(self) -> None:
        if self.view.currentIndex().isValid():
            self.open_row(self.view.currentIndex().row())

    def edit_selected(self) -> bool:
        rows = self.selected_rows()
        if not rows:
            return False
        from stancemark.ui.analysis.edit_dialog import MultiEditDialog

        dialog = MultiEditDialog(self.ctx.cache, len(rows), self.kind,
                                 self.ctx.attributes(), self)
        if not dialog.exec():
            return False
        return self.apply_edit(rows, dialog.result_changes)

    def apply_edit(self, rows: list[int], changes: dict[str, Any]) -> bool:
        """Apply field changes to these table rows as one command (one undo step)."""
        ids = self.model.ids_of_rows(rows)
        uids = q.uids_of_ids(self.ctx.repo, ids)
        changes = dict(changes)
        attribute = changes.pop("attribute", None)  # (codebook attribute, stored value)
        per_uid = {u: dict(changes) for u in uids}
        if attribute:
            attr, value = attribute
            for u in uids:
                a = self.ctx.repo.get_annotation(u)
                held = dict(a.attributes if a else {})
                if value is None:
                    held.pop(attr.uid, None)
                else:
                    held[attr.uid] = value
                per_uid[u]["attributes"] = held
        what = ", ".join(sorted({*changes, *([attribute[0].name] if attribute else [])}))
        cmd = UpdateAnnotations(per_uid, label=f"Set {what} of {len(uids)} "
                                f"{self.what}{'' if len(uids) == 1 else 's'}")
        return self.ctx.run_command(cmd)

    def _all_ids(self) -> Any:
        m = self.model
        return q.ids(self.ctx.repo, m.filter, self.kind, m.sort_key, m.descending)

    def copy(self) -> int:
        rows = self.selected_rows()
        ids = self.model.ids_of_rows(rows) if rows else self._all_ids()
        if len(ids) > CLIPBOARD_LIMIT and QMessageBox.question(
                self, "Copy", f"Copy {len(ids):,} rows to the clipboard?") \
                != QMessageBox.StandardButton.Yes:
            return 0
        buf = io.StringIO()
        stance_table.write(self.ctx.repo, ids, buf, "tsv", self.kind)
        QGuiApplication.clipboard().setText(buf.getvalue())
        self.ctx.status(f"Copied {len(ids):,} row(s).")
        return len(ids)

    def export_csv(self, path: Path | None = None) -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Export the filtered table",
                                                  f"{self.what}s.csv", "CSV (*.csv)")
            if not name:
                return None
            path = Path(name)
        from stancemark.formats.common import atomic_write

        ids = self._all_ids()
        try:
            with atomic_write(path, "w", encoding="utf-8", newline="") as fh:
                stance_table.write(self.ctx.repo, ids, fh, "csv", self.kind)
        except OSError as exc:
            QMessageBox.warning(self, "Export", f"{path}: {exc.strerror or exc}")
            return None
        self.ctx.status(f"Wrote {len(ids):,} row(s) to {path}.")
        return path

    def export_formats(self) -> Any:
        from stancemark.ui.analysis.export import run_filtered_export

        return run_filtered_export(self.ctx, self.model.filter, self.kind, self)
