"""What an import or an export did, in a box the user can act on (not a status message
that passes): the export's folder opens in the file manager, its path can be copied;
the import says what came in and how to take it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def folder_of(path: Path) -> Path:
    """The folder to show for an export: itself when it is one, else where it lies."""
    return path if path.is_dir() else path.parent


def open_folder(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder_of(path))))


class ExportResult(QMessageBox):
    def __init__(self, parent: QWidget, report: Any):
        path = Path(report.path)
        what = "folder" if path.is_dir() else "file"
        super().__init__(QMessageBox.Icon.Information, "Export finished",
                         f"{report.articles} article(s) and {report.annotations} "
                         f"annotation(s) written to the {what}\n{path}",
                         QMessageBox.StandardButton.NoButton, parent)
        self.path = path
        self.open_button = self.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(lambda: open_folder(path))
        self.copy_button = self.addButton("Copy path", QMessageBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(str(path)))
        self.addButton(QMessageBox.StandardButton.Close)
        self.setDefaultButton(QMessageBox.StandardButton.Close)


def export_result(parent: QWidget, report: Any) -> ExportResult:
    box = ExportResult(parent, report)
    box.open()
    return box


def import_result(parent: QWidget, reports: list[Any], undo_steps: int) -> QMessageBox:
    lines = "\n".join(r.summary() for r in reports)
    kept = (f"Your {undo_steps} earlier edit(s) can still be undone (Edit ▸ Undo). "
            if undo_steps else "")
    box = QMessageBox(QMessageBox.Icon.Information, "Import finished", lines,
                      QMessageBox.StandardButton.Close, parent)
    box.setObjectName("import_result")
    box.setInformativeText(
        kept + "The import itself is one step back in File ▸ Backups…: a copy of the store "
        "was saved just before it.")
    box.open()
    return box
