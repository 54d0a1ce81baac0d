"""The inspector: sorting, another annotator's tags read-only, hover tooltips, the undo
history menu, and stance defaults taken from the sentence."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip
from window_fixtures import window_on_article

from helpers import find
from stancemark.core.commands import AddAnnotation
from stancemark.core.model import Annotation, new_uid


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    return window_on_article(qtbot, seeded, tmp_path)


def actor_tag(win, needle, name, annotator_uid=None, nth=0):
    text = win.view.article.text
    s, e = find(text, needle, nth)
    actor = win.repo.actors_by_alias(name)[0]
    return Annotation(new_uid(), win.current_article_uid(), annotator_uid or win.repo.annotator.uid,
                      "actor", s, e, needle, actor_uid=actor.uid)


def test_sorting_by_column_and_new_rows_in_position(win):
    for needle, name in (("Washington", "United States"), ("Beijing", "China"),
                         ("Taiwan", "Taiwan")):
        assert win.run_command(AddAnnotation(actor_tag(win, needle, name)))
    model = win.inspector.model
    starts = [r.start for r in model.items]
    assert starts == sorted(starts)  # by position, new rows inserted in place
    win.inspector.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [r.quote for r in model.items] == ["Beijing", "Taiwan", "Washington"]
    win.inspector.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [model.index(i, 2).data() for i in range(3)] == ["United States", "Taiwan", "China"]


def test_sorting_by_what_keeps_a_row_whose_annotation_is_gone(win, seeded):
    a = actor_tag(win, "Beijing", "China")
    assert win.run_command(AddAnnotation(a))
    model = win.inspector.model
    model._full.clear()  # the full annotation is read again when next needed
    seeded.purge_annotation(a.uid)  # gone from the store behind the view's back
    win.inspector.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 2).data() == ""  # sorted as the column shows it, no error


def test_other_annotators_tags_are_read_only(win, seeded):
    other = seeded.ensure_annotator("bo")
    theirs = actor_tag(win, "Beijing", "China", other.uid)
    seeded.add_annotation(theirs)
    win.open_article(win.current_article_uid())
    assert win.inspector.model.items == []  # mine only, by default
    win.inspector.show_all.setChecked(True)
    assert [r.uid for r in win.inspector.model.items] == [theirs.uid]
    assert win.view.index.keys_at(theirs.start) == [theirs.uid]
    win.inspector.select(theirs.uid)
    assert not win.inspector.editor.actor.isEnabled()
    assert "read-only" in win.inspector.editor.title.text()
    win.inspector.delete_selected()
    assert seeded.get_annotation(theirs.uid).deleted_at is None


def test_hover_shows_what_a_highlight_is(qtbot, win):
    a = actor_tag(win, "Beijing", "China")
    win.run_command(AddAnnotation(a))
    edit = win.view.text
    c = QTextCursor(edit.document())
    c.setPosition(a.start + 2)
    edit.setTextCursor(c)
    edit.ensureCursorVisible()
    pos = edit.cursorRect(c).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, edit.viewport().mapToGlobal(pos))
    QApplication.sendEvent(edit.viewport(), event)
    assert "China" in QToolTip.text() and "actor" in QToolTip.text()
    QToolTip.hideText()
    c.setPosition(1)  # "Outgoing": nothing tagged there
    assert win.view.text.keys_at(edit.cursorRect(c).center()) == []


def test_undo_history_menu_names_each_edit(win):
    win.run_command(AddAnnotation(actor_tag(win, "Beijing", "China")))
    win.run_command(AddAnnotation(actor_tag(win, "Washington", "United States")))
    win._fill_history_menu()
    texts = [a.text() for a in win.history_menu.actions()]
    assert texts == ["✓ Tag actor “Washington”", "✓ Tag actor “Beijing”"]
    win.history_menu.actions()[1].trigger()  # back to just after the first tag
    assert win.undo_stack.index() == 1
    assert len(win.inspector.model.items) == 1


def test_stance_defaults_to_nearest_actor_and_date_in_the_sentence(qtbot, win):
    text = win.view.article.text
    win.run_command(AddAnnotation(actor_tag(win, "Mike Pompeo", "Mike Pompeo")))
    s, e = find(text, "on January 9")
    date = Annotation(new_uid(), win.current_article_uid(), win.repo.annotator.uid, "date", s, e,
                      "on January 9", date_value="2021-01-09", date_granularity="day")
    win.run_command(AddAnnotation(date))
    win.view.select_span(*find(text, "lift restrictions"))
    win.tagger.tag("stance")
    popup = win.tagger.popup
    assert (popup.holder.text(), popup.date.text()) == ("Mike Pompeo", "2021-01-09")
    popup.reject()


def test_heavily_tagged_article_shows_first_screen_then_all_tags(qtbot, win, monkeypatch):
    from stancemark.ui.window import main_window

    tags = [actor_tag(win, "Beijing", "China"), actor_tag(win, "Washington", "United States"),
            actor_tag(win, "Beijing", "China", nth=2)]
    for a in tags:
        win.run_command(AddAnnotation(a))
    monkeypatch.setattr(main_window, "EAGER_SPANS", 2)
    monkeypatch.setattr(main_window, "FIRST_SCREEN_CHARS", tags[1].start + 1)
    win.open_article(win.current_article_uid())
    first = {r.uid for r in win.inspector.model.items}
    assert first == {tags[0].uid, tags[1].uid}  # the tags starting on the first screen
    qtbot.waitUntil(lambda: len(win.inspector.model.items) == 3)
    assert win.view.index.keys_at(tags[2].start) == [tags[2].uid]


def test_undo_of_an_edit_in_another_article_goes_there(win, seeded):
    a = actor_tag(win, "Beijing", "China")
    win.run_command(AddAnnotation(a))
    assert win.step_article(-1) or win.step_article(1)
    assert win.current_article_uid() != a.article_uid
    win.undo_stack.undo()
    assert seeded.get_annotation(a.uid) is None
    assert win.current_article_uid() == a.article_uid
