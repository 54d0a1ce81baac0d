"""File ▸ Import… and File ▸ Export…: pick files and a format, then run the job in a
worker with a cancellable progress dialog. The export dialog lists every format in
formats.FORMATS that can export, so new formats appear without changes here; a format
module's EXPORT_OPTIONS become fields of the dialog, and its EXPORT_TARGET says whether
the output is a file, a folder, or either (the import dialog is ui/import_dialog.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QWidget,
)

from stancemark.core.builtin_kinds import BUILTIN_KIND_UIDS
from stancemark.core.dates import is_iso_value
from stancemark.core.model import STATUSES
from stancemark.formats import ALL_KINDS_FORMATS, FORMATS, guess_path_format
from stancemark.ui.dialogs import workers
from stancemark.ui.dialogs.results import export_result, import_result

if TYPE_CHECKING:  # formats.common (CSV, XML, atomic writes) loads when an export runs
    from stancemark.formats.common import Scope
    from stancemark.ui.window.session import Session

    # What File ▸ Export… runs: (format, path, scope[, options]), as ExportDialog.choice gives it.
    ExportChoice = tuple[str, Path, Scope] | tuple[str, Path, Scope, dict[str, Any]]


def group_by_format(paths: list[Path], chosen: str | None = None,
                    ask: Callable[[Path], str | None] | None = None
                    ) -> dict[str, list[Path]] | None:
    """Format per path from its extension (or `chosen`); `ask(path)` picks one when the
    extension says nothing, returning None to give up."""
    groups: dict[str, list[Path]] = {}
    for p in paths:
        fmt = chosen or guess_path_format(p)
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
        self.worker = workers.start(job, self)  # not `thread`: QObject.thread() is Qt's

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
        return self.worker.wait(ms)


def ask_format(parent: QWidget, path: Path) -> str | None:
    names = [f.name for f in FORMATS.values() if f.can_import]
    labels = [f"{FORMATS[n].label} ({n})" for n in names]
    label, ok = QInputDialog.getItem(parent, "Import", f"Format of {path.name}:", labels, 0, False)
    return names[labels.index(label)] if ok else None


class ExportDialog(QDialog):
    """Format, output path and scope (articles, annotators, kinds)."""

    def __init__(self, annotators: list[str], parent: QWidget | None = None,
                 default_dir: Path | None = None, stem: str = "stancemark"):
        super().__init__(parent)
        self.setWindowTitle("Export")
        # A name is offered from the start, with the chosen format's extension: the
        # store's name and the format, in the last export's folder (else Documents).
        self.default_dir = default_dir if default_dir and default_dir.is_dir() else \
            default_export_dir()
        self.stem = stem
        self.setMinimumWidth(600)
        self.format = QComboBox()
        for f in FORMATS.values():
            if f.can_export:
                self.format.addItem(f.label + (f"  [needs extra: {f.extra}]" if f.extra else ""),
                                    f.name)
        self.out = QLineEdit()
        self.target_hint = QLabel()
        self.target_hint.setStyleSheet("color: gray")
        self.target_hint.setWordWrap(True)
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
        self.kinds = {k: QCheckBox(k) for k in BUILTIN_KIND_UIDS}
        k_row = QHBoxLayout()
        for box in self.kinds.values():
            box.setChecked(True)
            k_row.addWidget(box)
        self.options_box = QGroupBox("Options of this format")
        self.options_form = QFormLayout(self.options_box)
        self.option_widgets: dict[str, QComboBox | QLineEdit] = {}
        form = QFormLayout(self)
        form.addRow("Format:", self.format)
        form.addRow("Write to:", out_row)
        form.addRow("", self.target_hint)
        form.addRow(self.options_box)
        form.addRow("Articles:", self.all_articles)
        form.addRow("", q_row)
        form.addRow("", s_row)
        form.addRow("Annotators:", self.who)
        form.addRow("Kinds:", k_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._default = ""
        self._format_changed()

    # ------------------------------------------------------- per-format parts
    def _module(self) -> ModuleType | None:
        try:
            return FORMATS[self.format.currentData()].load()
        except ImportError:  # an optional extra that is not installed
            return None

    def target(self) -> str:
        """'file', 'folder' or 'folder_or_zip' (the format module's EXPORT_TARGET)."""
        return getattr(self._module(), "EXPORT_TARGET", "file")

    def _format_changed(self) -> None:
        module = self._module()
        while self.options_form.rowCount():
            self.options_form.removeRow(0)
        self.option_widgets = {}
        for name, label, choices in getattr(module, "EXPORT_OPTIONS", ()):
            w: QComboBox | QLineEdit
            if choices:
                w = QComboBox()
                w.addItems(list(choices))
            else:
                w = QLineEdit()
                if name.startswith("date"):
                    w.setPlaceholderText("YYYY-MM-DD, YYYY-MM or YYYY; empty: no limit")
            self.option_widgets[name] = w
            self.options_form.addRow(label + ":", w)
        self.options_box.setVisible(bool(self.option_widgets))
        target = self.target()
        self.target_hint.setText({
            "folder": "This format writes a folder (one .txt/.ann pair per article): name a "
                      "new folder; an existing one is replaced.",
            "folder_or_zip": "A folder of CSV files, or one archive when the name ends in .zip.",
        }.get(target, ""))
        self.target_hint.setVisible(target != "file")
        if self.out.text().strip() in ("", self._default):  # untouched: the new default
            self._default = str(self.default_dir / self.default_name())
            self.out.setText(self._default)
        else:
            self._fit_suffix()
        self.adjustSize()

    def default_name(self) -> str:
        info = FORMATS[self.format.currentData()]
        suffix = info.suffixes[0] if info.suffixes and self.target() == "file" else ""
        return f"{self.stem}-{info.name}{suffix}"

    def out_path(self) -> Path:
        """The path typed, with the format's extension added when it has none of its own
        ("train" for spaCy writes train.spacy)."""
        path = Path(self.out.text().strip()).expanduser()
        info = FORMATS[self.format.currentData()]
        if self.target() == "file" and info.suffixes and \
                path.suffix.lower() not in info.suffixes:
            path = path.with_name(path.name + info.suffixes[0])
        return path

    def _fit_suffix(self) -> None:
        """Keep a typed path but give it the chosen format's suffix (none for folders)."""
        text = self.out.text().strip()
        if not text:
            return
        path = Path(text)
        info = FORMATS[self.format.currentData()]
        known = {s for f in FORMATS.values() for s in f.suffixes} | {".ann"}
        target = self.target()
        if target == "folder_or_zip" and path.suffix.lower() == ".zip":
            return
        stem = path.with_suffix("") if path.suffix.lower() in known else path
        suffix = "" if target != "file" or not info.suffixes else info.suffixes[0]
        self.out.setText(str(stem) + suffix)

    def options(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, w in self.option_widgets.items():
            value = w.currentText() if isinstance(w, QComboBox) else w.text().strip()
            if value:
                out[name] = value
        return out

    def _browse(self) -> None:
        info = FORMATS[self.format.currentData()]
        target = self.target()
        start = self.out.text().strip() or str(self.default_dir / self.default_name())
        if target == "folder":
            path, _ = QFileDialog.getSaveFileName(
                self, "Export to a new folder", start, "Folder (*)")
        elif target == "folder_or_zip":
            path, chosen = QFileDialog.getSaveFileName(
                self, "Export to a folder or a .zip", start,
                "Folder of CSV files (*);;Zip archive (*.zip)")
            if path and "zip" in chosen and not path.lower().endswith(".zip"):
                path += ".zip"
        else:
            suffix = info.suffixes[0] if info.suffixes else ""
            path, _ = QFileDialog.getSaveFileName(
                self, "Export to", start,
                f"{info.label} (*{suffix})" if suffix else "All files (*)")
            if path and suffix and not path.lower().endswith(suffix):
                path += suffix
        if path:
            self.out.setText(path)

    def problem(self) -> str | None:
        """Why the dialog cannot be accepted yet, or None."""
        text = self.out.text().strip()
        if not text:
            return "Choose where to write the export."
        if not any(b.isChecked() for b in self.kinds.values()):
            return "Choose at least one kind."
        for name, value in self.options().items():
            if name.startswith("date") and not is_iso_value(value):
                return f"“{value}” is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)."
        out = self.out_path()
        folder = self.target() == "folder" or (
            self.target() == "folder_or_zip" and out.suffix.lower() != ".zip")
        if folder and out.is_file():
            return f"{out.name} is a file; this format writes a folder. Choose a new name."
        if not folder and out.is_dir():
            return f"{out.name} is a folder; this format writes a file. Choose a file name."
        return None

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            QMessageBox.warning(self, "Export", problem)
            return
        out = self.out_path()
        self.out.setText(str(out))
        if out.is_dir() and any(out.iterdir()):
            answer = QMessageBox.question(
                self, "Export", f"The folder {out} exists. Replace it and everything in it "
                "with the export?")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.accept()

    def scope(self) -> Scope:
        from stancemark.formats.common import Scope

        mode = self.articles.checkedId()
        who = self.who.currentData()
        annotators: str | tuple[str, ...] = who if who in ("all", "me", "gold") else (who,)
        return Scope(query=self.query.text().strip() or None if mode == 1 else None,
                     status=self.status.currentText() if mode == 2 else None,
                     annotators=annotators,
                     kinds=self._kinds(),
                     include_trash=False)

    def _kinds(self) -> tuple[str, ...] | None:
        chosen = tuple(k for k, b in self.kinds.items() if b.isChecked())
        # Every box ticked: every kind of the codebook for the formats that carry custom
        # kinds (custom kinds too, until this dialog lists them), else the built-in kinds.
        if len(chosen) == len(self.kinds) and self.format.currentData() in ALL_KINDS_FORMATS:
            return None
        return chosen

    def choice(self) -> tuple[str, Path, Scope, dict[str, Any]]:
        return (self.format.currentData(), self.out_path(), self.scope(), self.options())


def default_export_dir() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


class Exchange:
    """File ▸ Import… and File ▸ Export… of one window: each runs as a JobRunner (kept in
    `last_job`, tests and scripted runs wait on it) and ends in a result box (kept in
    `result_box`). `settings` remembers the last export's folder."""

    def __init__(self, session: Session, parent: QWidget, settings: QSettings):
        self.session = session
        self.parent = parent
        self.settings = settings
        self.last_job: JobRunner | None = None
        self.result_box: QMessageBox | None = None

    def import_files(self, paths: list[Path] | None = None,
                     choice: tuple[dict[str, list[Path]], dict[str, dict[str, Any]]] | None = None,
                     ) -> JobRunner | None:
        """File ▸ Import…: the JobRunner, or None. Without paths or a choice (format
        groups, options per format) the import dialog asks."""
        session, parent = self.session, self.parent
        if session.store_path is None:
            return None
        groups: dict[str, list[Path]] | str | None
        if choice is not None:
            groups, options = choice
        elif paths:
            groups, options = group_by_format(paths, ask=lambda p: ask_format(parent, p)), {}
        else:
            from stancemark.ui.dialogs.import_articles import ImportDialog

            dialog = ImportDialog(None, parent)
            if not dialog.exec():
                return None
            groups, options = dialog.groups(), dialog.options()
        if not groups or isinstance(groups, str):  # a reason: the dialog accepts none
            return None
        job = workers.Job(session.store_path, session.repo.annotator.name,
                          workers.import_work(groups, options))
        runner = JobRunner(parent, "Importing…", job)
        feedback = session.feedback

        def finished(result: Any, error: str, cancelled: bool) -> None:
            if cancelled:
                feedback.message("Import cancelled; nothing was changed.", 8000)
            elif error:
                feedback.saved(error)
                QMessageBox.warning(parent, "Import failed", f"Nothing was imported.\n\n{error}")
            else:
                # New rows only: every earlier edit's command still applies, so its undo
                # history stays (it used to be cleared without a word).
                session.reload(keep_undo=True)
                feedback.saved(None)
                feedback.message("; ".join(r.summary() for r in result), 10000)
                self.result_box = import_result(parent, result, session.undo_stack.index())

        runner.finished.connect(finished)
        self.last_job = runner
        return runner

    def export(self, choice: ExportChoice | None = None) -> JobRunner | None:
        """File ▸ Export…: the JobRunner, or None. Without a choice (format, path, scope
        and options) the export dialog asks."""
        session, parent = self.session, self.parent
        if session.store_path is None:
            return None
        if choice is None:
            last = self.settings.value("last_export_dir")
            dialog = ExportDialog([a.name for a in session.repo.list_annotators()], parent,
                                  default_dir=Path(str(last)) if last else None,
                                  stem=session.store_path.stem)
            if not dialog.exec():
                return None
            choice = dialog.choice()
            self.settings.setValue("last_export_dir", str(choice[1].parent))
        fmt, out, scope, *rest = choice  # (format, path, scope[, options])
        options = rest[0] if rest else {}
        job = workers.Job(session.store_path, session.repo.annotator.name,
                          workers.export_work(fmt, out, scope, options))
        runner = JobRunner(parent, "Exporting…", job)
        feedback = session.feedback

        def finished(result: Any, error: str, cancelled: bool) -> None:
            if cancelled:
                feedback.message("Export cancelled.", 8000)
            elif error:
                QMessageBox.warning(parent, "Export failed", error)
            else:
                feedback.message(result.summary(), 10000)
                self.result_box = export_result(parent, result)

        runner.finished.connect(finished)
        self.last_job = runner
        return runner
