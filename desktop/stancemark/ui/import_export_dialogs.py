"""File ▸ Import… and File ▸ Export…: pick files and a format, then run the job in a
worker with a cancellable progress dialog. The export dialog lists every format in
formats.FORMATS that can export, so new formats appear without changes here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QWidget,
)

from stancemark.core.model import ANNOTATION_KINDS, STATUSES
from stancemark.formats import FORMATS, guess_import_format
from stancemark.formats.common import Scope
from stancemark.ui import workers


def group_by_format(paths: list[Path], chosen: str | None = None,
                    ask: Any = None) -> dict[str, list[Path]] | None:
    """Format per path from its extension (or `chosen`); `ask(path)` picks one when the
    extension says nothing, returning None to give up."""
    groups: dict[str, list[Path]] = {}
    for p in paths:
        fmt = chosen or ("text" if p.is_dir() else guess_import_format(p.suffix))
        if fmt is None:
            fmt = ask(p) if ask else None
            if fmt is None:
                return None
        groups.setdefault(fmt, []).append(p)
    return groups


class JobRunner(QObject):
    """Runs a workers.Job with a QProgressDialog; emits finished(result, error, cancelled)."""

    finished = Signal(object, str, bool)

    def __init__(self, parent: QWidget, title: str, job: workers.Job):
        super().__init__(parent)
        self.job = job
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(job.cancel)
        job.progressed.connect(self._progress)
        job.done.connect(self._done)
        self.thread = workers.start(job, self)

    def _progress(self, done: int, total: int, message: str) -> None:
        if total:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if message:
            self.dialog.setLabelText(message)

    def _done(self, result: object, error: str, cancelled: bool) -> None:
        self.dialog.reset()
        self.dialog.hide()
        self.finished.emit(result, error, cancelled)

    def wait(self, ms: int = 30_000) -> bool:
        return self.thread.wait(ms)


def ask_import_paths(parent: QWidget) -> list[Path]:
    suffixes = sorted({s for f in FORMATS.values() if f.can_import for s in f.suffixes})
    pattern = " ".join(f"*{s}" for s in suffixes)
    files, _ = QFileDialog.getOpenFileNames(parent, "Import files", "",
                                            f"Importable files ({pattern});;All files (*)")
    return [Path(f) for f in files]


def ask_format(parent: QWidget, path: Path) -> str | None:
    names = [f.name for f in FORMATS.values() if f.can_import]
    labels = [f"{FORMATS[n].label} ({n})" for n in names]
    label, ok = QInputDialog.getItem(parent, "Import", f"Format of {path.name}:", labels, 0, False)
    return names[labels.index(label)] if ok else None


class ExportDialog(QDialog):
    """Format, output path and scope (articles, annotators, kinds)."""

    def __init__(self, annotators: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.format = QComboBox()
        for f in FORMATS.values():
            if f.can_export:
                self.format.addItem(f.label + (f"  [needs extra: {f.extra}]" if f.extra else ""),
                                    f.name)
        self.out = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        self.articles = QButtonGroup(self)
        self.all_articles = QRadioButton("All articles")
        self.by_query = QRadioButton("Matching:")
        self.by_status = QRadioButton("With my status:")
        self.query = QLineEdit()
        self.status = QComboBox()
        self.status.addItems(list(STATUSES))
        for i, b in enumerate((self.all_articles, self.by_query, self.by_status)):
            self.articles.addButton(b, i)
        self.all_articles.setChecked(True)
        q_row = QHBoxLayout()
        q_row.addWidget(self.by_query)
        q_row.addWidget(self.query, 1)
        s_row = QHBoxLayout()
        s_row.addWidget(self.by_status)
        s_row.addWidget(self.status, 1)
        self.who = QComboBox()
        self.who.addItem("Everyone", "all")
        self.who.addItem("Me", "me")
        self.who.addItem("Gold layer", "gold")
        for name in annotators:
            self.who.addItem(f"Only {name}", name)
        self.kinds = {k: QCheckBox(k) for k in ANNOTATION_KINDS}
        k_row = QHBoxLayout()
        for box in self.kinds.values():
            box.setChecked(True)
            k_row.addWidget(box)
        form = QFormLayout(self)
        form.addRow("Format:", self.format)
        form.addRow("Write to:", out_row)
        form.addRow("Articles:", self.all_articles)
        form.addRow("", q_row)
        form.addRow("", s_row)
        form.addRow("Annotators:", self.who)
        form.addRow("Kinds:", k_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        info = FORMATS[self.format.currentData()]
        suffix = info.suffixes[0] if info.suffixes else ""
        path, _ = QFileDialog.getSaveFileName(self, "Export to", f"export{suffix}")
        if path:
            self.out.setText(path)

    def _accept(self) -> None:
        if not self.out.text().strip():
            QMessageBox.warning(self, "Export", "Choose where to write the export.")
            return
        if not any(b.isChecked() for b in self.kinds.values()):
            QMessageBox.warning(self, "Export", "Choose at least one kind.")
            return
        self.accept()

    def scope(self) -> Scope:
        mode = self.articles.checkedId()
        who = self.who.currentData()
        annotators: str | tuple[str, ...] = who if who in ("all", "me", "gold") else (who,)
        return Scope(query=self.query.text().strip() or None if mode == 1 else None,
                     status=self.status.currentText() if mode == 2 else None,
                     annotators=annotators,
                     kinds=tuple(k for k, b in self.kinds.items() if b.isChecked()),
                     include_trash=False)

    def choice(self) -> tuple[str, Path, Scope]:
        return self.format.currentData(), Path(self.out.text().strip()).expanduser(), self.scope()


def run_import(window: Any, paths: list[Path] | None = None) -> Any:
    """File ▸ Import…: returns the JobRunner (tests wait on it), or None."""
    paths = paths if paths is not None else ask_import_paths(window)
    if not paths or window.store_path is None:
        return None
    groups = group_by_format(paths, ask=lambda p: ask_format(window, p))
    if not groups:
        return None
    job = workers.Job(window.store_path, window.repo.annotator.name, workers.import_work(groups))
    runner = JobRunner(window, "Importing…", job)

    def finished(result: Any, error: str, cancelled: bool) -> None:
        if cancelled:
            window.statusBar().showMessage("Import cancelled; nothing was changed.", 8000)
        elif error:
            window.report_saved(error)
            QMessageBox.warning(window, "Import failed", f"Nothing was imported.\n\n{error}")
        else:
            window.reload_all()
            window.report_saved(None)
            window.statusBar().showMessage("; ".join(r.summary() for r in result), 10000)

    runner.finished.connect(finished)
    window.last_job = runner
    return runner


def run_export(window: Any, choice: Any = None) -> Any:
    if window.store_path is None:
        return None
    if choice is None:
        dialog = ExportDialog([a.name for a in window.repo.list_annotators()], window)
        if not dialog.exec():
            return None
        choice = dialog.choice()
    fmt, out, scope = choice
    job = workers.Job(window.store_path, window.repo.annotator.name, workers.export_work(fmt, out, scope))
    runner = JobRunner(window, "Exporting…", job)

    def finished(result: Any, error: str, cancelled: bool) -> None:
        if cancelled:
            window.statusBar().showMessage("Export cancelled.", 8000)
        elif error:
            QMessageBox.warning(window, "Export failed", error)
        else:
            window.statusBar().showMessage(result.summary(), 10000)

    runner.finished.connect(finished)
    window.last_job = runner
    return runner
