"""File ▸ Import…: files and folders to import, the format (guessed, changeable) and the
options of the chosen format (the article table's column map, like `--map` on the CLI).
Formats are guessed per path by formats.guess_path_format (folders from their content).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from stancemark.formats import FORMATS, guess_path_format

GUESS = ""  # the format combo's "guess from each path" entry


class ImportDialog(QDialog):
    """Paths (files and folders), format, and the chosen format's options."""

    def __init__(self, paths: list[Path] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.setMinimumWidth(560)
        self.paths = QListWidget()
        self.paths.setMinimumHeight(120)
        add_files = QPushButton("Add files…")
        add_files.clicked.connect(self._add_files)
        add_folder = QPushButton("Add folder…")
        add_folder.setToolTip("A folder of text files, a brat folder, a CSV tables export …")
        add_folder.clicked.connect(self._add_folder)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove)
        row = QHBoxLayout()
        for b in (add_files, add_folder, remove):
            row.addWidget(b)
        row.addStretch(1)

        self.format = QComboBox()
        self.format.addItem("Guess from each file or folder", GUESS)
        for f in FORMATS.values():
            if f.can_import:
                self.format.addItem(f"{f.label}" + (f"  [needs extra: {f.extra}]" if f.extra else ""),
                                    f.name)
        self.format.currentIndexChanged.connect(self._update_options)
        self.guessed = QLabel()
        self.guessed.setStyleSheet("color: gray")
        self.guessed.setWordWrap(True)
        self.column_map = QLineEdit()
        self.column_map.setPlaceholderText("e.g. text=body,title=headline,date=published")
        self.column_map.setToolTip("Which column holds each field (text, title, date, source, "
                                   "url); empty: the usual column names")
        self.column_map_label = QLabel("Column map:")

        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("", self.guessed)
        form.addRow(self.column_map_label, self.column_map)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Files and folders to import:"))
        layout.addWidget(self.paths, 1)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(buttons)
        for p in paths or []:
            self.add_path(Path(p))
        self._update_options()

    # ----------------------------------------------------------------- paths
    def add_path(self, path: Path) -> None:
        icon = QStyle.StandardPixmap.SP_DirIcon if path.is_dir() else QStyle.StandardPixmap.SP_FileIcon
        item = QListWidgetItem(self.style().standardIcon(icon),
                               str(path) + (" (folder)" if path.is_dir() else ""))
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.paths.addItem(item)
        self._guess_default()

    def chosen_paths(self) -> list[Path]:
        return [Path(self.paths.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.paths.count())]

    def _add_files(self) -> None:
        suffixes = sorted({s for f in FORMATS.values() if f.can_import for s in f.suffixes})
        pattern = " ".join(f"*{s}" for s in suffixes)
        files, _ = QFileDialog.getOpenFileNames(self, "Import files", "",
                                                f"Importable files ({pattern});;All files (*)")
        for f in files:
            self.add_path(Path(f))

    def _add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder")
        if folder:
            self.add_path(Path(folder))

    def _remove(self) -> None:
        for item in self.paths.selectedItems():
            self.paths.takeItem(self.paths.row(item))
        self._guess_default()

    # ---------------------------------------------------------------- format
    def guesses(self) -> dict[Path, str | None]:
        return {p: guess_path_format(p) for p in self.chosen_paths()}

    def _guess_default(self) -> None:
        """One format for every path: pre-select it; otherwise guess per path."""
        found = set(self.guesses().values())
        fmt = found.pop() if len(found) == 1 else None
        self.format.setCurrentIndex(max(0, self.format.findData(fmt or GUESS)))
        self._update_options()

    def fmt(self) -> str | None:
        return self.format.currentData() or None

    def _update_options(self) -> None:
        guesses = self.guesses()
        chosen = self.fmt()
        if chosen is None and guesses:
            parts = [f"{p.name}: {FORMATS[g].label if g else 'unknown — choose a format'}"
                     for p, g in list(guesses.items())[:4]]
            more = f" (+{len(guesses) - 4} more)" if len(guesses) > 4 else ""
            self.guessed.setText("; ".join(parts) + more)
        elif chosen is not None and guesses:
            self.guessed.setText(f"Every file and folder above is read as {FORMATS[chosen].label}.")
        else:
            self.guessed.setText("")
        table = chosen == "table" or (chosen is None and "table" in guesses.values())
        self.column_map.setVisible(table)
        self.column_map_label.setVisible(table)

    def options(self) -> dict[str, dict[str, Any]]:
        """Keyword options per format name, for the importers."""
        text = self.column_map.text().strip()
        return {"table": {"column_map": text}} if text and not self.column_map.isHidden() else {}

    def groups(self) -> dict[str, list[Path]] | str:
        """Paths by format, or why they cannot be imported yet."""
        paths = self.chosen_paths()
        if not paths:
            return "Add the files or folders to import."
        chosen = self.fmt()
        out: dict[str, list[Path]] = {}
        for p, guess in self.guesses().items():
            fmt = chosen or guess
            if fmt is None:
                return f"Cannot tell the format of {p.name}: choose it in the Format list."
            out.setdefault(fmt, []).append(p)
        return out

    def _accept(self) -> None:
        result = self.groups()
        if isinstance(result, str):
            QMessageBox.warning(self, "Import", result)
            return
        self.accept()
