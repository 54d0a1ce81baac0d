"""Editing articles in the window: the list's context menu (details, status, trash) and
Edit ▸ Article details… (F2); each undoable, audited, redrawn from its change record."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication
from window_fixtures import window_on_article


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    return window_on_article(qtbot, seeded, tmp_path)


def right_click_row(qtbot, win, row: int):
    """A real context-menu event on the row, as a right click or the menu key sends it."""
    view = win.list.view
    rect = view.visualRect(win.list.model.index(row, 0))
    pos = rect.center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: win.articles.list_menu is not None
                    and win.articles.list_menu.isVisible(), timeout=3000)
    return win.articles.list_menu


def menu_action(menu, text: str):
    for act in menu.actions():
        if act.text() == text:
            return act
        if act.menu():
            found = menu_action(act.menu(), text)
            if found:
                return found
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def test_details_from_the_context_menu_are_saved_undone_and_audited(qtbot, win, seeded):
    uid = win.current_article_uid()
    before = seeded.get_article(uid)
    row = win.list.model.row_of(uid)
    menu = right_click_row(qtbot, win, row)
    assert [a.text() for a in menu.actions() if a.text()][1:] == [
        "Open", "Details…", "&Mark as", "Move to trash"]
    menu_action(menu, "Details…").trigger()
    menu.close()
    dialog = win.articles.details_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    title = dialog.fields["title"]
    title.selectAll()
    qtbot.keyClicks(title, "Pompeo ends limits on Taiwan contacts")
    date = dialog.fields["published"]
    date.selectAll()
    qtbot.keyClicks(date, "10 Jan")  # refused in one line, nothing saved
    qtbot.keyClick(date, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error.text() == "Date '10 Jan' is not YYYY, YYYY-MM or YYYY-MM-DD."
    date.selectAll()
    qtbot.keyClicks(date, "2021-01-11")
    language = dialog.fields["language"]
    language.selectAll()
    qtbot.keyClicks(language, "en")
    qtbot.keyClick(language, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    after = seeded.get_article(uid)
    assert (after.title, after.published, after.language) == (
        "Pompeo ends limits on Taiwan contacts", "2021-01-11", "en")
    assert win.list.model.rows[win.list.model.row_of(uid)].title == after.title
    assert "Pompeo ends limits" in win.view.header.text() and "2021-01-11" in win.view.header.text()
    assert win.view.article.published == "2021-01-11"  # new tags resolve against the new date
    entry = seeded.history(uid)[-1]
    assert entry.action == "update" and entry.before["published"] == before.published
    qtbot.keyClick(win.view.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = seeded.get_article(uid)
    assert (back.title, back.published, back.language) == (
        before.title, before.published, before.language)
    assert html.escape(before.title) in win.view.header.text()


def test_status_from_the_context_menu(qtbot, win, seeded):
    uid = win.list.model.uid_at(0)
    menu = right_click_row(qtbot, win, 0)
    menu_action(menu, "Done").trigger()
    menu.close()
    assert seeded.get_status(uid) == "done"
    assert win.list.model.rows[0].status == "done"
    assert win.undo_stack.undoText() == "Mark article done"
    win.undo_stack.undo()
    assert seeded.get_status(uid) == "new" and win.list.model.rows[0].status == "new"


def test_trash_from_the_list_opens_the_next_and_undo_brings_it_back(qtbot, win, seeded):
    uid = win.current_article_uid()
    total = win.list.model.total
    win.list.view.setFocus()
    win.list.select_uid(uid)
    qtbot.keyClick(win.list.view, Qt.Key.Key_Delete)
    assert seeded.get_article(uid).deleted_at is not None
    assert win.list.model.total == total - 1 and win.list.model.row_of(uid) is None
    assert win.current_article_uid() not in (None, uid)
    assert "to the trash" in win.statusBar().currentMessage()
    win.undo_stack.undo()
    assert seeded.get_article(uid).deleted_at is None
    assert win.list.model.total == total and win.current_article_uid() == uid
    assert [h.action for h in seeded.history(uid)][-2:] == ["delete", "restore"]


def test_f2_edits_the_open_article(qtbot, win, seeded):
    qtbot.keyClick(win.view.text, Qt.Key.Key_F2)
    dialog = win.articles.details_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.fields["title"].text() == win.view.article.title
    dialog.reject()


def test_right_click_outside_the_rows_opens_nothing(qtbot, win):
    view = win.list.view
    assert win.articles.menu_at(QPoint(5, view.viewport().height() - 2)) is None
