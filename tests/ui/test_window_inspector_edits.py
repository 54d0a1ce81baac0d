"""Inspector edits: a stance's target may name a new topic (created with the edit, one
undo step), and a tag's boundaries move to a new text selection (Ctrl+B), undoably."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_fixtures import select_cp, window_on_article

from helpers import find
from stancemark.core.commands import AddAnnotation
from stancemark.core.model import Annotation, new_uid


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    return window_on_article(qtbot, seeded, tmp_path)


def add(win, kind, needle, **fields):
    s, e = find(win.view.article.text, needle)
    a = Annotation(new_uid(), win.current_article_uid(), win.repo.annotator.uid, kind, s, e,
                   needle, **fields)
    assert win.run_command(AddAnnotation(a))
    return a.uid


def test_stance_target_can_be_a_new_topic(qtbot, win, seeded):
    us = seeded.actors_by_alias("United States")[0]
    uid = add(win, "stance", "lifting", holder_uid=us.uid, polarity="support")
    win.inspector.select(uid)
    editor = win.inspector.editor
    assert editor.target.isVisible() and editor.target.completer() is not None
    editor.target.setText("contacts with Taipei")
    assert editor.target_hint.text() == "a new topic will be created"
    qtbot.keyClick(editor.target, Qt.Key.Key_Return)
    topic = seeded.topic_by_name("contacts with Taipei")
    assert topic is not None
    assert seeded.get_annotation(uid).target_topic_uid == topic.uid
    assert win.undo_stack.undoText() == "Edit stance (new topic “contacts with Taipei”)"
    assert topic.name in {t.name for t in win.cache.topics.values()}
    assert "contacts with Taipei" in win.inspector.model.index(0, 2).data()
    win.undo_stack.undo()  # one step: the edit and the topic
    assert seeded.get_annotation(uid).target_topic_uid is None
    assert seeded.get_topic(topic.uid) is None
    win.undo_stack.redo()
    assert seeded.get_annotation(uid).target_topic_uid == topic.uid


def test_known_topic_or_actor_target_creates_nothing(qtbot, win, seeded):
    us = seeded.actors_by_alias("United States")[0]
    uid = add(win, "stance", "lifting", holder_uid=us.uid, polarity="support")
    win.inspector.select(uid)
    editor = win.inspector.editor
    before = len(seeded.list_topics())
    editor.target.setText("china")  # an actor, any case
    assert editor.target_hint.text() == "actor"
    qtbot.keyClick(editor.target, Qt.Key.Key_Return)
    assert seeded.get_annotation(uid).target_actor_uid == seeded.actors_by_alias("China")[0].uid
    assert len(seeded.list_topics()) == before


def test_set_span_to_selection_with_ctrl_b_and_undo(qtbot, win, seeded):
    china = seeded.actors_by_alias("China")[0]
    text = win.view.article.text
    uid = add(win, "actor", "Beijing", actor_uid=china.uid)
    old = seeded.get_annotation(uid)
    win.inspector.select(uid)
    assert win.inspector.editor.span_button.isVisible()
    s, e = find(text, "Beijing")
    select_cp(win, s, e + 1 + len(text[e + 1:].split()[0]))  # widen by the next word
    new = win.view.selection_span()
    qtbot.keyClick(win.view.text, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    a = seeded.get_annotation(uid)
    assert (a.start, a.end, a.quote) == (new[0], new[1], text[new[0]:new[1]])
    assert win.undo_stack.undoText().startswith("Set span of actor to “Beijing")
    assert win.view.index.keys_at(new[1] - 1) == [uid]
    assert win.inspector.editor.title.text().endswith(f"“{a.quote}”")
    win.undo_stack.undo()
    a = seeded.get_annotation(uid)
    assert (a.start, a.end, a.quote) == (old.start, old.end, old.quote)
    assert win.view.index.keys_at(new[1] - 1) == []


def test_set_span_needs_a_selection_and_an_annotation(win, seeded):
    assert not win.set_span_to_selection()  # nothing selected in the inspector
    china = seeded.actors_by_alias("China")[0]
    uid = add(win, "actor", "Beijing", actor_uid=china.uid)
    win.inspector.select(uid)
    cursor = win.view.text.textCursor()
    cursor.clearSelection()
    win.view.text.setTextCursor(cursor)
    assert not win.set_span_to_selection()
    assert "Select the new span" in win.statusBar().currentMessage()
    assert win.undo_stack.count() == 1
