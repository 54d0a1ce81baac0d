"""File > Backups…, Trash… and Reload: the window's side of store.backups and store.trash.

Backups lists the rolling backups (newest first), makes one now, and restores the
selected one after a confirmation; the restore itself backs up the current state
first, so it can be undone from this same list. Trash lists every deleted
annotation, article, actor and topic and restores the selected ones; emptying it
asks first. Both leave the window to reload everything afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.errors import StancemarkError
from stancemark.store import backups, trash

if TYPE_CHECKING:
    from stancemark.store.repository import Repository
    from stancemark.ui.window.session import Session


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    t.setWordWrap(False)  # one line per row; long names elide in the middle
    t.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    return t


class BackupsDialog(QDialog):
    """Lists backups of the window's store; back up now; restore the selected one."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Backups")
        self.resize(640, 360)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table = _table(["When", "Why", "Size", "File"])
        self.backup_now = QPushButton("&Back up now")
        self.restore_button = QPushButton("&Restore selected…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.backup_now, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.backup_now.clicked.connect(self.make_backup)
        self.restore_button.clicked.connect(self._confirm_restore)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.reload()

    @property
    def repo(self) -> Repository:
        return self.session.repo

    def reload(self) -> None:
        store = backups.store_file(self.repo.db)
        self.items = backups.list_backups(store)
        self.info.setText(f"Backups of {store.name} in {backups.backup_dir(store)} — the newest "
                          f"{backups.kept_setting()} are kept. Restoring backs up the current "
                          "state first.")
        self.table.setRowCount(len(self.items))
        for row, b in enumerate(self.items):
            cells = [b.created.astimezone().strftime("%Y-%m-%d %H:%M:%S"), b.reason.replace("-", " "),
                     f"{b.size / 1024:,.0f} KiB", b.name]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> Any:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.items[min(rows)] if rows else None

    def make_backup(self) -> bool:
        try:
            info = backups.make_backup(self.repo.db, "manual")
        except StancemarkError as exc:
            QMessageBox.warning(self, "Backups", str(exc))
            return False
        self.reload()
        self.table.selectRow(next(i for i, b in enumerate(self.items) if b.name == info.name))
        return True

    def _confirm_restore(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        when = chosen.created.astimezone().strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            self, "Restore backup",
            f"Replace the store with the backup of {when}?\n\nThe current state is backed up "
            "first, so you can come back to it from this list.")
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(chosen.name)

    def restore(self, name: str) -> bool:
        """Restore the named backup into the open store, then reload the window."""
        try:
            backups.restore(self.repo.db, name)
        except StancemarkError as exc:
            QMessageBox.warning(self, "Restore backup", str(exc))
            return False
        self.session.reload()
        self.reload()
        return True


class TrashDialog(QDialog):
    """Every deleted annotation, article, actor and topic; restore or empty."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Trash")
        self.resize(640, 360)
        self.table = _table(["Deleted", "What", "Name or quote"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.restore_button = QPushButton("&Restore selected")
        self.empty_button = QPushButton("&Empty trash…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.empty_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button.clicked.connect(self._confirm_empty)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Deleted items stay here until the trash is emptied."))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.items = trash.list_trash(self.session.repo)
        self.table.setRowCount(len(self.items))
        for row, t in enumerate(self.items):
            label = " ".join(t.label.split())
            for col, text in enumerate([t.deleted_at[:19].replace("T", " "), t.entity,
                                        label if len(label) < 80 else label[:79] + "…"]):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.empty_button.setEnabled(bool(self.items))

    def restore_selected(self) -> bool:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        if not rows:
            return False
        from stancemark.ui.window.edit_actions import UNDOABLE_RESTORES, restore_items

        chosen = [self.items[r] for r in rows]
        if all(t.entity in UNDOABLE_RESTORES for t in chosen):  # Ctrl+Z puts them back
            ok = restore_items(self.session, chosen)
            self.reload()
            return ok
        repo = self.session.repo
        try:
            with repo.tx():
                for r in rows:
                    trash.restore(repo, self.items[r].uid)
        except StancemarkError as exc:
            QMessageBox.warning(self, "Trash", str(exc))
            return False
        self.session.reload()
        self.reload()
        return True

    def _confirm_empty(self) -> None:
        answer = QMessageBox.question(
            self, "Empty trash", f"Delete the {len(self.items)} item(s) in the trash for good?\n\n"
            "A backup is made first.")
        if answer == QMessageBox.StandardButton.Yes:
            self.empty()

    def empty(self) -> bool:
        repo = self.session.repo
        try:
            backups.backup_before(repo.db, "empty-trash")
            report = trash.empty(repo)
        except StancemarkError as exc:
            QMessageBox.warning(self, "Trash", str(exc))
            return False
        self.session.feedback.message(report.summary(), 8000)
        self.session.reload()
        self.reload()
        return True


def add_file_menu_actions(session: Session, parent: QWidget, menu: QMenu) -> None:
    """File > Backups…, File > Trash… and File > Reload (F5)."""
    for label, cls in (("&Backups…", BackupsDialog), ("&Trash…", TrashDialog)):
        action = menu.addAction(label)
        action.triggered.connect(lambda _=False, c=cls: c(session, parent).exec())
    # Another window or the command line may have written to the same store: show it.
    reload = menu.addAction("&Reload from the store")
    reload.setShortcut(QKeySequence(Qt.Key.Key_F5))
    reload.setStatusTip("Show changes made by other windows or the command line "
                        "(clears the undo history)")
    reload.triggered.connect(lambda: session.reload())
