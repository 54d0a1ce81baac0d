"""Tagging from the keyboard in the real window: A, D, S, edit, delete, restore, undo, redo.
Each step checks the rows in the store, not just the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_fixtures import drag_select, select_cp, window_on_article

from helpers import find
from stancemark.core.errors import StoreError


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    return window_on_article(qtbot, seeded, tmp_path)


def mine(repo, article_uid):
    return repo.list_annotations(article_uid, [repo.annotator.uid])


def test_tag_actor_with_mouse_selection_and_alias_preselect(qtbot, win, seeded):
    text = win.view.article.text
    s, e = find(text, "Beijing")
    drag_select(qtbot, win, s + 1, e - 2)  # sloppy: the selection snaps to the word
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    popup = win.tagger.popup
    assert popup is not None and popup.name.text() == "China"  # "Beijing" is China's alias
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = mine(seeded, win.current_article_uid())
    assert (a.kind, a.start, a.end, a.quote) == ("actor", s, e, "Beijing")
    assert seeded.get_actor(a.actor_uid).name == "China"
    assert win.inspector.model.items[0].uid == a.uid
    assert win.view.index.keys_at(s) == [a.uid]
    assert win.saved_label.text().startswith("Saved")
    assert seeded.get_status(win.current_article_uid()) == "in progress"


def test_new_actor_name_creates_the_actor_with_its_kind(qtbot, win, seeded):
    text = win.view.article.text
    s, e = find(text, "American diplomats")
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    popup = win.tagger.popup
    assert popup.name.text() == "American diplomats"  # no alias matches: the text itself
    assert not popup.kind.isVisible()  # creating an actor is a deliberate choice ...
    qtbot.keyClick(popup.name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert popup.kind.isVisible() and popup.ok.text() == "Create and tag"  # ... and looks it
    popup.kind.setCurrentText("group")
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = mine(seeded, win.current_article_uid())
    actor = seeded.get_actor(a.actor_uid)
    assert (actor.name, actor.kind, a.quote) == ("American diplomats", "group", "American diplomats")
    assert "American diplomats" in win.cache.completions()


def test_tag_date_prefills_relative_to_article_date(qtbot, win, seeded):
    text = win.view.article.text
    assert win.view.article.published == "2021-01-10"
    s, e = find(text, "January 9")
    select_cp(win, s - 3, e)  # "on January 9": the popup normalises what is selected
    qtbot.keyClick(win.view.text, Qt.Key.Key_D)
    popup = win.tagger.popup
    assert (popup.value.text(), popup.granularity.currentText()) == ("2021-01-09", "day")
    qtbot.keyClick(popup.value, Qt.Key.Key_Return)
    [a] = mine(seeded, win.current_article_uid())
    assert (a.kind, a.quote, a.date_value, a.date_granularity) == (
        "date", "on January 9", "2021-01-09", "day")
    # correcting value and granularity
    select_cp(win, *find(text, "January 9", 1))
    qtbot.keyClick(win.view.text, Qt.Key.Key_D)
    popup = win.tagger.popup
    popup.value.setText("2021-01")
    qtbot.keyClicks(popup.value, "")
    popup.granularity.setCurrentText("month")
    qtbot.keyClick(popup.value, Qt.Key.Key_Return)
    second = mine(seeded, win.current_article_uid())[1]
    assert (second.date_value, second.date_granularity) == ("2021-01", "month")


def test_bad_date_is_refused_in_the_popup(qtbot, win, seeded):
    text = win.view.article.text
    select_cp(win, *find(text, "Pompeo"))
    qtbot.keyClick(win.view.text, Qt.Key.Key_D)
    popup = win.tagger.popup
    popup.value.setText("yesterday-ish")
    qtbot.keyClick(popup.value, Qt.Key.Key_Return)
    assert popup.isVisible() and "not an ISO" in popup.error.text()
    popup.reject()
    assert mine(seeded, win.current_article_uid()) == []


def tag_actor(qtbot, win, needle, nth=0):
    select_cp(win, *find(win.view.article.text, needle, nth))
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)


def test_tag_stance_holder_from_sentence_polarity_key_and_new_topic(qtbot, win, seeded):
    text = win.view.article.text
    tag_actor(qtbot, win, "Pompeo")  # an alias of Mike Pompeo
    holder = mine(seeded, win.current_article_uid())[0]
    # a stance span in the same sentence as the holder mention
    sent_end = text.index(".", holder.end)
    s, e = holder.end + 1, sent_end
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_S)
    popup = win.tagger.popup
    assert popup.holder.text() == "Mike Pompeo"
    assert popup.date.text() == "2021-01-10"  # no date mention: the article's date
    qtbot.keyClick(popup.polarity, Qt.Key.Key_Minus)
    assert popup.focusWidget() is popup.target
    qtbot.keyClicks(popup.target, "Taiwan contacts")
    qtbot.keyClick(popup.target, Qt.Key.Key_Return)
    stance = next(a for a in mine(seeded, win.current_article_uid()) if a.kind == "stance")
    assert stance.polarity == "oppose" and stance.holder_uid == holder.actor_uid
    assert seeded.get_topic(stance.target_topic_uid).name == "Taiwan contacts"
    assert stance.quote == text[stance.start:stance.end]
    assert stance.stance_date == "2021-01-10"


def test_edit_delete_restore_undo_redo(qtbot, win, seeded):
    tag_actor(qtbot, win, "Beijing")
    [a] = mine(seeded, win.current_article_uid())
    # edit in place: change the actor through the inspector's editor
    win.inspector.select(a.uid)
    editor = win.inspector.editor
    assert editor.current.uid == a.uid
    editor.actor.setText("Taiwan")
    qtbot.keyClick(editor.actor, Qt.Key.Key_Return)
    assert seeded.get_actor(seeded.get_annotation(a.uid).actor_uid).name == "Taiwan"
    # undo the edit, then redo it
    qtbot.keyClick(win.view.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert seeded.get_actor(seeded.get_annotation(a.uid).actor_uid).name == "China"
    qtbot.keyClick(win.view.text, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert seeded.get_actor(seeded.get_annotation(a.uid).actor_uid).name == "Taiwan"
    # Delete in the inspector moves it to the trash
    win.inspector.select(a.uid)
    win.inspector.table.setFocus()
    qtbot.keyClick(win.inspector.table, Qt.Key.Key_Delete)
    assert seeded.get_annotation(a.uid).deleted_at is not None
    assert win.inspector.model.items == [] and win.view.index.keys_at(a.start) == []
    win.inspector.setCurrentIndex(1)  # the Trash tab
    assert win.inspector.trash.count() == 1
    # restore from the trash view
    win.inspector.trash.setCurrentRow(0)
    win.inspector.restore_selected()
    assert seeded.get_annotation(a.uid).deleted_at is None
    assert win.view.index.keys_at(a.start) == [a.uid]
    # undo everything back to before the tag: the row is gone; redo brings the same uid
    while win.undo_stack.canUndo():
        win.undo_stack.undo()
    assert seeded.get_annotation(a.uid) is None
    assert win.view.index.keys_at(a.start) == []
    while win.undo_stack.canRedo():
        win.undo_stack.redo()
    again = seeded.get_annotation(a.uid)
    assert again is not None and again.deleted_at is None
    assert seeded.get_actor(again.actor_uid).name == "Taiwan"
    labels = [win.undo_stack.text(i) for i in range(win.undo_stack.count())]
    assert labels[0].startswith("Tag actor") and "Delete annotation" in labels


def test_failed_commit_is_reported_and_not_shown(qtbot, win, seeded, monkeypatch):
    def refuse(*_a, **_k):
        raise StoreError("the change was not saved: disk I/O error")

    monkeypatch.setattr(seeded, "add_annotation", refuse)
    select_cp(win, *find(win.view.article.text, "Beijing"))
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
    assert win.saved_label.text().startswith("NOT saved")
    assert "disk I/O error" in win.saved_label.text()
    assert win.inspector.model.items == [] and win.undo_stack.count() == 0
    monkeypatch.undo()
    assert mine(seeded, win.current_article_uid()) == []


def test_context_menu_and_toolbar_share_the_tag_actions(win):
    keys = [a.shortcut().toString() for a in win.view.text.menu_actions]
    assert keys == ["A", "D", "S"]


def _row(win, article_uid):
    return win.list.model.rows[win.list.model.row_of(article_uid)]


def test_tag_undo_puts_the_status_back_and_reads_nothing_after_the_commit(qtbot, win, seeded):
    """The status change is the tag's own: undo reverses it, redo repeats it; the window
    redraws from the change record without reading the store again."""
    art = win.current_article_uid()
    assert seeded.get_status(art) == "new" and _row(win, art).status == "new"
    text = win.view.article.text
    s, e = find(text, "Beijing")
    select_cp(win, s, e)
    seen: list[str] = []
    seeded.conn.set_trace_callback(seen.append)
    try:
        qtbot.keyClick(win.view.text, Qt.Key.Key_A)
        qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
    finally:
        seeded.conn.set_trace_callback(None)
    writes = seen[next(i for i, sql in enumerate(seen) if sql.startswith("BEGIN")):]
    assert [sql for sql in writes if sql.split()[0] in ("BEGIN", "COMMIT")] == \
        ["BEGIN IMMEDIATE", "COMMIT"]
    assert writes[-1] == "COMMIT", f"read after the commit: {writes[writes.index('COMMIT'):]}"
    assert seeded.get_status(art) == "in progress" and _row(win, art).status == "in progress"
    win.undo_stack.undo()
    assert mine(seeded, art) == [] and seeded.get_status(art) == "new"
    assert _row(win, art).status == "new" and _row(win, art).annotation_count == 0
    win.undo_stack.redo()
    assert len(mine(seeded, art)) == 1 and seeded.get_status(art) == "in progress"
    assert _row(win, art).status == "in progress"
