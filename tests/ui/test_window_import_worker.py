"""File > Import runs in a worker thread on its own connection; cancelling rolls back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from window_fixtures import make_window

from stancemark.formats.common import Scope
from stancemark.ui.dialogs import exchange as io


def write_articles(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(n):
        p = folder / f"art{i:03d}.txt"
        p.write_text(f"Headline {i}\n\nBody of article number {i}, about harbours.\n",
                     encoding="utf-8")
        paths.append(p)
    return paths


@pytest.fixture
def win(qtbot, seeded, store_path, tmp_path):
    return make_window(qtbot, seeded, tmp_path, store_path)


def run_job(qtbot, runner):
    results = []
    runner.finished.connect(lambda *r: results.append(r))
    qtbot.waitUntil(lambda: bool(results), timeout=20_000)
    assert runner.wait()
    return results[0]


def test_import_in_worker_adds_articles_and_reloads(qtbot, win, seeded, tmp_path):
    paths = write_articles(tmp_path / "in", 5)
    before = seeded.count_articles()
    runner = win.exchange.import_files(paths)
    result, error, cancelled = run_job(qtbot, runner)
    assert not error and not cancelled
    assert seeded.count_articles() == before + 5
    assert win.list.model.total == before + 5  # the window reloaded its list


def test_cancelled_import_leaves_the_store_unchanged(qtbot, win, seeded, tmp_path):
    paths = write_articles(tmp_path / "in", 60)
    before = seeded.count_articles()
    stats = seeded.stats()
    from stancemark.ui.dialogs.workers import Job, import_work

    job = Job(win.store_path, seeded.annotator.name, import_work({"text": paths}))
    # Cancel from inside the worker once it is storing (past the validation pass), the
    # way the progress dialog's Cancel button does, but at a known point.
    job.progressed.connect(lambda done, total, msg: done >= 65 and job.cancel(),
                           Qt.ConnectionType.DirectConnection)
    runner = io.JobRunner(win, "Importing…", job)
    result, error, cancelled = run_job(qtbot, runner)
    assert cancelled and result is None
    assert seeded.count_articles() == before
    assert seeded.stats() == stats


def test_bad_file_imports_nothing_and_says_why(qtbot, win, seeded, tmp_path, monkeypatch):
    paths = write_articles(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.txt").write_text("   \n", encoding="utf-8")
    paths.append(tmp_path / "in" / "empty.txt")
    monkeypatch.setattr(io.QMessageBox, "warning", lambda *a, **k: None)
    before = seeded.count_articles()
    result, error, cancelled = run_job(qtbot, win.exchange.import_files(paths))
    assert error and "empty.txt" in error and not cancelled
    assert seeded.count_articles() == before
    assert win.saved_label.text().startswith("NOT saved")


def test_export_in_worker_writes_the_file(qtbot, win, seeded, tmp_path):
    out = tmp_path / "out.jsonl"
    result, error, cancelled = run_job(qtbot, win.exchange.export(("jsonl", out, Scope())))
    assert not error and out.exists() and result.articles == seeded.count_articles()


def test_export_dialog_lists_every_exporting_format(qtbot, seeded):
    from stancemark.formats import FORMATS

    dialog = io.ExportDialog(["ana"])
    qtbot.addWidget(dialog)
    listed = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert listed == [f.name for f in FORMATS.values() if f.can_export]
    dialog.who.setCurrentIndex(dialog.who.findData("ana"))
    dialog.by_query.setChecked(True)
    dialog.query.setText("harbour")
    dialog.kinds["date"].setChecked(False)
    scope = dialog.scope()
    assert (scope.query, scope.annotators, scope.kinds) == ("harbour", ("ana",), ("actor", "stance"))


def test_crafted_spacy_file_says_file_and_document_in_the_window(qtbot, win, seeded, tmp_path,
                                                                  monkeypatch):
    """A DocBin whose user data has the wrong shape: the window's box says which file and
    document in one line (it used to show "TypeError: 'int' object is not iterable")."""
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    doc = spacy.blank("xx")("Beijing rejected the tariffs.")
    doc.user_data["stancemark"] = {"version": 1, "annotations": 3}
    path = tmp_path / "crafted.spacy"
    DocBin(docs=[doc], store_user_data=True).to_disk(path)
    shown = []
    monkeypatch.setattr(io.QMessageBox, "warning", lambda *a, **k: shown.append(a[1:]))
    before = seeded.stats()
    result, error, cancelled = run_job(qtbot, win.exchange.import_files([path]))
    message = f"{path}:1: annotations must be a list, not a number"
    assert (result, error, cancelled) == (None, message, False)
    assert shown == [("Import failed", f"Nothing was imported.\n\n{message}")]
    assert seeded.stats() == before
