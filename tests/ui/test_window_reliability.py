"""The window when the disk fails, and its Backups and Trash dialogs.

Failures are real SQLite errors on the window's own connection: a full disk
(PRAGMA max_page_count), a read-only store (PRAGMA query_only gives SQLite's
read-only error) and a store another process keeps locked. The window must say
'NOT saved', show nothing that is not in the store, and work again afterwards.
"""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from window_fixtures import select_cp, window_on_article

from helpers import find
from stancemark.store import backups, trash


@pytest.fixture
def win(qtbot, seeded, store_path, tmp_path):
    return window_on_article(qtbot, seeded, tmp_path, store_path)


def mine(repo, article_uid):
    return repo.list_annotations(article_uid, [repo.annotator.uid])


def tag_actor(qtbot, win, needle: str) -> None:
    select_cp(win, *find(win.view.article.text, needle))
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)


def assert_not_saved(win, seeded, words: str) -> None:
    assert win.saved_label.text().startswith("NOT saved"), win.saved_label.text()
    assert words in win.saved_label.text()
    assert win.inspector.model.items == [] and win.undo_stack.count() == 0
    assert mine(seeded, win.current_article_uid()) == []


def test_disk_full_shows_not_saved_and_recovers(qtbot, win, seeded):
    pages = seeded.conn.execute("PRAGMA page_count").fetchone()[0]
    seeded.conn.execute(f"PRAGMA max_page_count = {pages}")
    seeded.conn.execute("PRAGMA cache_size = 1")  # nothing may hide in the page cache
    big = "x" * 200_000
    note_cmd = seeded.add_annotation
    seeded.add_annotation = lambda a: note_cmd(a.with_changes(note=big))  # a row that needs pages
    try:
        tag_actor(qtbot, win, "Beijing")
    finally:
        del seeded.add_annotation
    assert_not_saved(win, seeded, "full")
    seeded.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    tag_actor(qtbot, win, "Beijing")
    assert win.saved_label.text().startswith("Saved")
    assert len(mine(seeded, win.current_article_uid())) == 1


def test_read_only_store_shows_not_saved(qtbot, win, seeded):
    seeded.conn.execute("PRAGMA query_only = ON")
    try:
        tag_actor(qtbot, win, "Beijing")
        assert_not_saved(win, seeded, "read-only")
    finally:
        seeded.conn.execute("PRAGMA query_only = OFF")


def test_store_locked_by_another_process_shows_not_saved(qtbot, win, seeded, store_path):
    other = sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    seeded.conn.execute("PRAGMA busy_timeout = 50")
    try:
        tag_actor(qtbot, win, "Beijing")
        assert_not_saved(win, seeded, "another Stancemark")
    finally:
        other.execute("ROLLBACK")
        other.close()
    tag_actor(qtbot, win, "Beijing")
    assert len(mine(seeded, win.current_article_uid())) == 1


def _menu_action(win, text: str):
    return next(a for a in win.menus["file"].actions() if a.text().replace("&", "") == text)


def test_backups_dialog_lists_makes_and_restores(qtbot, win, seeded, store_path):
    from stancemark.ui.dialogs.backups import BackupsDialog

    assert _menu_action(win, "Backups…") is not None
    dialog = BackupsDialog(win.session, win)
    qtbot.addWidget(dialog)
    assert dialog.make_backup()
    before = dialog.selected()
    assert before is not None and before.reason == "manual"
    assert dialog.table.rowCount() == len(backups.list_backups(store_path))
    tag_actor(qtbot, win, "Beijing")
    [tag] = mine(seeded, win.current_article_uid())
    assert dialog.restore(before.name)
    assert seeded.get_annotation(tag.uid) is None  # the store went back
    assert win.inspector.model.items == []  # and so did the window
    assert win.undo_stack.count() == 0
    reasons = [b.reason for b in dialog.items]
    assert reasons[0] == "before-restore"  # the replaced state, restorable from the list
    assert dialog.restore(dialog.items[0].name)
    assert seeded.get_annotation(tag.uid) is not None


def test_trash_dialog_restores_an_article(qtbot, win, seeded):
    from stancemark.ui.dialogs.backups import TrashDialog

    assert _menu_action(win, "Trash…") is not None
    victim = next(r for r in seeded.list_articles() if not r.title.startswith("Pompeo"))
    seeded.delete_article(victim.uid)
    win.reload_all()
    assert victim.uid not in [r.uid for r in seeded.list_articles()]
    dialog = TrashDialog(win.session, win)
    qtbot.addWidget(dialog)
    row = next(i for i, t in enumerate(dialog.items) if t.uid == victim.uid)
    dialog.table.selectRow(row)
    assert dialog.restore_selected()
    assert victim.uid in [r.uid for r in seeded.list_articles()]
    assert dialog.table.rowCount() == len(trash.list_trash(seeded)) == 0


def test_opening_the_window_backs_up_a_changed_store_in_the_background(qtbot, seeded, store_path):
    from stancemark.ui.window.app import open_repo

    seeded.add_topic("A change since the last backup")
    assert backups.needs_backup(seeded.db)
    repo = open_repo(store_path, "ana")
    try:
        qtbot.waitUntil(lambda: not backups.needs_backup(seeded.db), timeout=10_000)
        assert backups.list_backups(store_path)[0].reason == "open"
    finally:
        repo.close()


def test_reload_shows_what_the_command_line_wrote(qtbot, win, seeded, store_path, tmp_path):
    from stancemark.cli import main

    (tmp_path / "new.txt").write_text("Title: Written by the CLI\n\nA new article arrives.\n",
                                      encoding="utf-8")
    count = win.list.model.rowCount()
    assert main(["--store", str(store_path), "--annotator", "ana", "import",
                 str(tmp_path / "new.txt")]) == 0
    _menu_action(win, "Reload from the store").trigger()
    assert win.list.model.rowCount() == count + 1
