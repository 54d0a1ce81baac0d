"""Every register edit in the window is one named step on the undo stack: add, rename,
aliases, add the selected text as alias, merge (and unmerge), trash; and a new actor or
topic typed into a tag popup is undone together with the tag."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from window_fixtures import select_cp, window_on_article

from helpers import find
from stancemark.core.commands import AddAnnotation
from stancemark.core.model import Annotation, new_uid


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    w = window_on_article(qtbot, seeded, tmp_path)
    w.registers_dock.show()
    return w


def actor_row(win, uid):
    table = win.registers.actors
    return next(r for r in range(table.rowCount())
                if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == uid)


def tag(win, needle, actor_uid, nth=0):
    s, e = find(win.view.article.text, needle, nth)
    a = Annotation(new_uid(), win.current_article_uid(), win.repo.annotator.uid, "actor", s, e,
                   needle, actor_uid=actor_uid)
    assert win.run_command(AddAnnotation(a))
    return a.uid


def test_add_actor_from_the_panel_is_undoable_with_the_same_uid(qtbot, win, seeded):
    dialog = win.registers.add_actor()
    dialog.name.setText("Kiribati Delegation")
    dialog.kind.setCurrentText("person")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    actor = seeded.actors_by_alias("Kiribati Delegation")[0]
    assert win.undo_stack.text(win.undo_stack.index() - 1) == "Add actor “Kiribati Delegation”"
    assert "Kiribati Delegation" in win.cache.completions()
    win.undo_stack.undo()
    assert seeded.get_actor(actor.uid) is None
    assert "Kiribati Delegation" not in win.cache.completions()
    assert all(win.registers.actors.item(r, 0).text() != "Kiribati Delegation"
               for r in range(win.registers.actors.rowCount()))
    win.undo_stack.redo()
    assert seeded.get_actor(actor.uid).kind == "person"


def test_rename_and_alias_cells_undo_to_the_old_values(win, seeded):
    china = seeded.actors_by_alias("China")[0]
    table = win.registers.actors
    table.item(actor_row(win, china.uid), 0).setText("PRC")
    assert seeded.get_actor(china.uid).name == "PRC"
    assert win.undo_stack.undoText() == "Rename actor China"
    table.item(actor_row(win, china.uid), 3).setText("Beijing")
    assert seeded.get_actor(china.uid).aliases == ("Beijing",)
    win.undo_stack.undo()
    win.undo_stack.undo()
    back = seeded.get_actor(china.uid)
    assert (back.name, back.aliases) == ("China", china.aliases)
    assert table.item(actor_row(win, china.uid), 0).text() == "China"


def test_selected_text_as_alias_then_undo(win, seeded):
    us = seeded.actors_by_alias("United States")[0]
    select_cp(win, *find(win.view.article.text, "American diplomats"))
    win.registers.actors.selectRow(actor_row(win, us.uid))
    assert win.registers.add_selection_as_alias()
    assert "American diplomats" in seeded.get_actor(us.uid).aliases
    assert win.undo_stack.undoText() == "Add alias “American diplomats” to United States"
    win.undo_stack.undo()
    assert seeded.get_actor(us.uid).aliases == us.aliases


def test_merge_moves_tags_and_undo_puts_them_back(win, seeded):
    china = seeded.actors_by_alias("China")[0]
    us = seeded.actors_by_alias("United States")[0]
    beijing = tag(win, "Beijing", china.uid)
    washington = tag(win, "Washington", us.uid)
    assert win.registers.merge(us.uid, china.uid)
    assert win.undo_stack.undoText() == "Merge “China” into “United States”"
    assert seeded.get_annotation(beijing).actor_uid == us.uid
    assert win.inspector.model.index(0, 2).data() == "United States"
    assert seeded.get_actor(china.uid).deleted_at is not None
    win.undo_stack.undo()
    assert seeded.get_annotation(beijing).actor_uid == china.uid
    assert seeded.get_annotation(washington).actor_uid == us.uid
    assert seeded.get_actor(china.uid).deleted_at is None
    assert seeded.get_actor(us.uid).aliases == us.aliases
    assert china.uid in win.cache.actors
    row = win.inspector.model.row_of(beijing)
    assert win.inspector.model.index(row, 2).data() == "China"
    win.undo_stack.redo()
    assert seeded.get_annotation(beijing).actor_uid == us.uid


def test_merge_selected_asks_which_to_keep_and_merges(win, seeded):
    china = seeded.actors_by_alias("China")[0]
    taiwan = seeded.actors_by_alias("Taiwan")[0]
    table = win.registers.actors
    table.clearSelection()
    table.setSelectionMode(table.SelectionMode.MultiSelection)
    table.selectRow(actor_row(win, china.uid))
    table.selectRow(actor_row(win, taiwan.uid))
    keep, drop = win.registers.selected_actor_uids()
    dialog = win.registers.merge_selected()
    dialog.group.button(0).setChecked(True)
    dialog.accept()
    assert seeded.get_actor(drop).deleted_at is not None
    win.undo_stack.undo()
    assert seeded.get_actor(drop).deleted_at is None and seeded.get_actor(keep).deleted_at is None


def test_topic_add_edit_and_trash_are_undoable(win, seeded, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("tariffs", True)))
    win.registers.add_topic()
    topic = seeded.topic_by_name("tariffs")
    table = win.registers.topics
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "tariffs")
    table.item(row, 1).setText("import duties")
    assert seeded.get_topic(topic.uid).description == "import duties"
    table.selectRow(next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "tariffs"))
    win.registers.trash_selected_topics()
    assert seeded.get_topic(topic.uid).deleted_at is not None
    assert topic.uid not in win.cache.topics
    win.undo_stack.undo()
    assert seeded.get_topic(topic.uid).deleted_at is None
    win.undo_stack.undo()
    assert seeded.get_topic(topic.uid).description == ""
    win.undo_stack.undo()
    assert seeded.get_topic(topic.uid) is None


def test_trash_actor_from_the_panel_and_undo(win, seeded):
    taiwan = seeded.actors_by_alias("Taiwan")[0]
    win.registers.actors.selectRow(actor_row(win, taiwan.uid))
    win.registers.trash_selected_actors()
    assert seeded.get_actor(taiwan.uid).deleted_at is not None
    win.undo_stack.undo()
    assert seeded.get_actor(taiwan.uid).deleted_at is None


def test_new_actor_in_the_popup_is_undone_with_its_tag(qtbot, win, seeded):
    select_cp(win, *find(win.view.article.text, "American diplomats"))
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    popup = win.tagger.popup
    qtbot.keyClick(popup.name, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # new actor
    popup.kind.setCurrentText("group")
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(win.current_article_uid(), [seeded.annotator.uid])
    assert win.undo_stack.undoText() == ("Tag actor “American diplomats” "
                                         "(new actor “American diplomats”)")
    win.undo_stack.undo()
    assert seeded.get_annotation(a.uid) is None and seeded.get_actor(a.actor_uid) is None
    win.undo_stack.redo()
    assert seeded.get_annotation(a.uid).actor_uid == a.actor_uid
    assert seeded.get_actor(a.actor_uid).kind == "group"


def test_restoring_from_the_trash_dialog_is_undoable(win, seeded):
    from stancemark.ui.dialogs.backups import TrashDialog

    taiwan = seeded.actors_by_alias("Taiwan")[0]
    seeded.delete_actor(taiwan.uid)  # e.g. trashed in an earlier session
    dialog = TrashDialog(win.session, win)
    row = next(i for i, t in enumerate(dialog.items) if t.uid == taiwan.uid)
    dialog.table.selectRow(row)
    assert dialog.restore_selected()
    assert seeded.get_actor(taiwan.uid).deleted_at is None
    assert taiwan.uid in win.cache.actors
    assert win.undo_stack.undoText() == "Restore actor “Taiwan” from the trash"
    win.undo_stack.undo()
    assert seeded.get_actor(taiwan.uid).deleted_at is not None
    dialog.close()
