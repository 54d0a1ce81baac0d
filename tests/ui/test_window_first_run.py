"""First run: the window asks the annotator's name (pre-filled with the OS user name),
saves it, creates and seeds the store and opens the first article; a store that cannot
be opened is reported in one line."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from stancemark.core import settings
from stancemark.store.repository import os_user_name
from stancemark.ui.window import app as app_module


def test_first_run_asks_name_seeds_and_opens_first_article(qtbot, tmp_path, monkeypatch):
    asked = {}

    def get_text(_parent, _title, _label, text=""):
        asked["default"] = text
        return "Zoë", True

    shown = {}

    def fake_exec(*_a):
        window = next(w for w in QApplication.topLevelWidgets()
                      if type(w).__name__ == "MainWindow" and w.isVisible())
        shown["article"] = window.view.article.title if window.view.article else None
        shown["annotator"] = window.repo.annotator.name
        shown["articles"] = window.list.model.total
        window.close()
        return 0

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(QApplication, "exec", fake_exec)
    store = tmp_path / "first.sqlite"
    assert app_module.run(store, None) == 0
    assert asked["default"] == os_user_name()
    assert settings.get("annotator") == "Zoë"
    assert shown["annotator"] == "Zoë" and shown["articles"] >= 3 and shown["article"]
    assert store.exists()


def test_unopenable_store_shows_one_line(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "not-a-store.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 10)
    said = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _p, _t, text: said.append(text)))
    assert app_module.run(bad, "ana") == 1
    assert len(said) == 1 and "not a Stancemark store" in said[0] and "\n" not in said[0]
