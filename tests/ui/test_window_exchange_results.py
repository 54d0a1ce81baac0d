"""Import and export end in something the user can act on: an import keeps the undo
history (and says so), exports offer a default name with the right extension ("train"
for spaCy becomes train.spacy), and the result box opens the export's folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from window_fixtures import select_cp, window_on_article

from helpers import find
from stancemark.ui.dialogs import exchange as io


def run(qtbot, runner):
    results = []
    runner.finished.connect(lambda *r: results.append(r))
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    assert runner.wait()
    return results[0]


@pytest.fixture
def win(qtbot, seeded, store_path, tmp_path):
    return window_on_article(qtbot, seeded, tmp_path, store_path)


def test_import_keeps_the_undo_history_and_says_so(qtbot, win, seeded, tmp_path):
    select_cp(win, *find(win.view.article.text, "Pompeo"))
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
    [tag] = seeded.list_annotations(win.current_article_uid())
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("Title: One\n\nA new article about tariffs.", "utf-8")
    error = run(qtbot, win.exchange.import_files([folder / "one.txt"]))[1]
    assert not error
    box = win.exchange.result_box
    assert box.isVisible() and box.windowTitle() == "Import finished"
    assert "1 article(s) added" in box.text()
    assert "1 earlier edit(s) can still be undone" in box.informativeText()
    assert "File ▸ Backups…" in box.informativeText()
    box.close()
    assert win.undo_stack.count() == 1  # not cleared
    win.activateWindow()  # back from the box, as on screen
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    qtbot.keyClick(win.view.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert seeded.get_annotation(tag.uid) is None


def test_export_dialog_offers_default_names_with_the_right_extension(qtbot, tmp_path):
    d = io.ExportDialog(["ana"], default_dir=tmp_path, stem="project")
    qtbot.addWidget(d)
    d.format.setCurrentIndex(d.format.findData("jsonl"))
    assert d.out.text() == str(tmp_path / "project-jsonl.jsonl")
    d.format.setCurrentIndex(d.format.findData("spacy"))
    assert d.out.text() == str(tmp_path / "project-spacy.spacy")
    d.format.setCurrentIndex(d.format.findData("brat"))
    assert d.out.text() == str(tmp_path / "project-brat")  # a folder: no extension
    d.format.setCurrentIndex(d.format.findData("spacy"))
    d.out.setText(str(tmp_path / "train"))  # typed without the extension
    assert d.choice()[1] == tmp_path / "train.spacy"
    d.out.setText(str(tmp_path / "train.v2"))
    assert d.choice()[1] == tmp_path / "train.v2.spacy"


def test_export_result_opens_the_folder(qtbot, win, seeded, tmp_path, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    out_dir = tmp_path / "exports"
    out_dir.mkdir()

    def fill() -> None:
        d = QApplication.activeModalWidget()
        d.format.setCurrentIndex(d.format.findData("jsonl"))
        d.out.setText(str(out_dir / "everything"))  # no extension typed
        d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)
    win.actions_["export"].trigger()
    result, error, cancelled = run(qtbot, win.exchange.last_job)
    assert not error and (out_dir / "everything.jsonl").is_file()
    box = win.exchange.result_box
    assert box.isVisible() and str(out_dir / "everything.jsonl") in box.text()
    qtbot.mouseClick(box.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(out_dir)]
    # the next export starts in the same folder
    assert Path(str(win.settings.value("last_export_dir"))) == out_dir
