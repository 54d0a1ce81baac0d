"""Helpers for the window tests: build the real MainWindow on a test store, select text
the way a user does (Qt cursor in UTF-16 units, or the mouse)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest


def make_window(qtbot, repo, tmp_path: Path, store_path: Path | None = None):
    from stancemark.ui.window.app import build_window

    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = build_window(repo, store_path, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # Window shortcuts (A, D, S, Ctrl+PgDown ...) fire only in the active window.
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.view.text.setFocus()
    return window


def window_on_article(qtbot, repo, tmp_path: Path, store_path: Path | None = None,
                      title_start: str = "Pompeo"):
    """make_window, showing the first article whose title starts with `title_start`
    (the seed's Pompeo article, dated 2021-01-10, has dates relative to its publication)."""
    window = make_window(qtbot, repo, tmp_path, store_path)
    article = next(r for r in repo.list_articles() if r.title.startswith(title_start))
    window.open_article(article.uid)
    return window


def utf16(text: str, cp: int) -> int:
    """UTF-16 position of code point `cp`, computed independently of core.text."""
    return len(text[:cp].encode("utf-16-le")) // 2


def select_cp(window, start: int, end: int) -> None:
    """Select [start, end) code points through a Qt text cursor (as keyboard selection does)."""
    text = window.view.article.text
    edit = window.view.text
    cursor = QTextCursor(edit.document())
    cursor.setPosition(utf16(text, start))
    cursor.setPosition(utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.setFocus()


def drag_select(qtbot, window, start: int, end: int) -> None:
    """Select with the mouse: press at the start character, drag, release at the end."""
    text = window.view.article.text
    edit = window.view.text
    c = QTextCursor(edit.document())
    c.setPosition(utf16(text, start))
    edit.setTextCursor(c)
    edit.ensureCursorVisible()
    p0 = edit.cursorRect(c).center()
    c.setPosition(utf16(text, end))
    p1 = edit.cursorRect(c).center()
    vp = edit.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p0)
    QTest.mouseMove(vp, p0 + (p1 - p0) / 2)
    QTest.mouseMove(vp, p1)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p1)
    edit.setFocus()


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)
