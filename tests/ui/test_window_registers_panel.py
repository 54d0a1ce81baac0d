"""The Registers panel as a new analyst uses it: search, mention counts, a readable Kind
column, the new actor selected and in view, a warning when a name already means another
actor, merge only with two or more rows and a survivor the user picks, and a dock that
leaves the article most of the height."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox
from window_fixtures import select_cp, window_on_article

from helpers import find
from stancemark.core.model import ACTOR_KINDS


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    w = window_on_article(qtbot, seeded, tmp_path)
    w.resize(1280, 700)
    w.registers_dock.show()
    qtbot.waitUntil(w.registers.isVisible, timeout=3000)
    return w


def row_of(table, uid):
    return next(r for r in range(table.rowCount())
                if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == uid)


def shown_names(table):
    return [table.item(r, 0).text() for r in range(table.rowCount()) if not table.isRowHidden(r)]


def test_search_box_filters_names_aliases_and_countries(qtbot, win):
    panel = win.registers
    qtbot.keyClicks(panel.search, "taipei")  # an alias
    assert shown_names(panel.actors) == ["Taiwan"]
    panel.search.clear()
    qtbot.keyClicks(panel.search, "trump")
    assert set(shown_names(panel.actors)) == {"Donald Trump", "Trump administration"}
    panel.setCurrentIndex(1)
    panel.search.clear()
    qtbot.keyClicks(panel.search, "navy")
    assert shown_names(panel.topics) == ["US Navy port calls in Taiwan"]
    panel.search.clear()
    assert len(shown_names(panel.actors)) == panel.actors.rowCount()


def test_mention_counts_follow_tagging(qtbot, win, seeded):
    panel = win.registers
    china = seeded.actors_by_alias("China")[0]
    col = panel.actors.columnCount() - 1
    assert panel.actors.horizontalHeaderItem(col).text() == "Mentions"
    assert panel.actors.item(row_of(panel.actors, china.uid), col).data(
        Qt.ItemDataRole.DisplayRole) == 0
    for nth in range(2):
        select_cp(win, *find(win.view.article.text, "Beijing", nth))
        qtbot.keyClick(win.view.text, Qt.Key.Key_A)
        qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.actors.item(row_of(panel.actors, china.uid), col).data(
        Qt.ItemDataRole.DisplayRole) == 2, timeout=5000)
    win.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.actors.item(row_of(panel.actors, china.uid), col).data(
        Qt.ItemDataRole.DisplayRole) == 1, timeout=5000)


def test_kind_column_shows_organisation_whole(win):
    table = win.registers.actors
    probe = QComboBox()
    probe.addItems(list(ACTOR_KINDS))
    assert table.columnWidth(1) >= probe.sizeHint().width()
    table.editItem(table.item(0, 1))
    combo = table.indexWidget(table.model().index(0, 1))
    assert isinstance(combo, QComboBox)
    assert combo.width() >= combo.fontMetrics().horizontalAdvance("organisation") + 20


def test_kind_is_chosen_in_the_cells_combo_box_and_undone_in_one_step(qtbot, win, seeded):
    # A combo box per row (a widget each) took 3 s to build for 5,000 actors: the kind
    # column holds text, and editing a cell opens the combo box that sets the kind.
    table = win.registers.actors
    assert all(table.cellWidget(r, 1) is None for r in range(table.rowCount()))
    china = seeded.actors_by_alias("China")[0]
    row = row_of(table, china.uid)
    assert table.item(row, 1).text() == china.kind
    other = next(k for k in ACTOR_KINDS if k != china.kind)
    table.editItem(table.item(row, 1))
    combo = table.indexWidget(table.model().index(row, 1))
    assert isinstance(combo, QComboBox) and combo.currentText() == china.kind
    combo.setCurrentText(other)
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: seeded.get_actor(china.uid).kind == other, timeout=5000)
    assert table.item(row_of(table, china.uid), 1).text() == other
    win.undo_stack.undo()
    qtbot.waitUntil(lambda: seeded.get_actor(china.uid).kind == china.kind, timeout=5000)
    assert table.item(row_of(table, china.uid), 1).text() == china.kind


def test_new_actor_is_selected_and_scrolled_to(qtbot, win, seeded):
    panel = win.registers
    dialog = panel.add_actor()
    dialog.name.setText("Zhuhai Delegation")
    dialog.kind.setCurrentText("group")
    assert not dialog.warning.isVisible() and dialog.ok.text() == "Add"
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    actor = seeded.actors_by_alias("Zhuhai Delegation")[0]
    row = row_of(panel.actors, actor.uid)
    assert panel.selected_actor_uids() == [actor.uid]
    rect = panel.actors.visualItemRect(panel.actors.item(row, 0))
    assert panel.actors.viewport().rect().contains(rect.center())


def test_add_actor_warns_when_the_name_is_another_actors_alias(qtbot, win, seeded):
    dialog = win.registers.add_actor()
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Taipei")
    assert dialog.warning.isVisible()
    assert dialog.warning.text().startswith("“Taipei” is already an alias of Taiwan (actor, state).")
    assert dialog.ok.text() == "Add anyway"  # adding it is a deliberate second choice ...
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # ... not an Enter
    assert not dialog.isVisible()
    assert len(seeded.actors_by_alias("Taipei")) == 1


def test_merge_needs_two_rows_and_keeps_the_chosen_actor(qtbot, win, seeded):
    panel = win.registers
    table = panel.actors
    china = seeded.actors_by_alias("China")[0]
    prc = seeded.add_actor("PRC government", "government")
    win.reload_all()  # an actor added behind the window's back, as the command line does
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.clearSelection()
    table.selectRow(row_of(table, china.uid))
    assert not panel.merge_button.isEnabled()  # one row: nothing to merge
    table.scrollToItem(table.item(row_of(table, prc.uid), 0))
    rect = table.visualItemRect(table.item(row_of(table, prc.uid), 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, rect.center())
    assert set(panel.selected_actor_uids()) == {china.uid, prc.uid}
    assert panel.merge_button.isEnabled()
    qtbot.mouseClick(panel.merge_button, Qt.MouseButton.LeftButton)
    dialog = panel.merge_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    labels = [b.text() for b in dialog.group.buttons()]
    assert any(t.startswith("PRC government (actor, government)") for t in labels)
    keep = next(b for b in dialog.group.buttons() if b.text().startswith("PRC government"))
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton, pos=QPoint(8, keep.height() // 2))
    assert dialog.keep().uid == prc.uid
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert seeded.get_actor(china.uid).deleted_at is not None
    assert "China" in seeded.get_actor(prc.uid).aliases
    assert panel.selected_actor_uids() == [prc.uid]
    win.undo_stack.undo()  # one step
    assert seeded.get_actor(china.uid).deleted_at is None
    assert "China" not in seeded.get_actor(prc.uid).aliases


def test_registers_dock_leaves_the_article_most_of_the_height(qtbot, win):
    dock = win.registers_dock
    qtbot.waitUntil(lambda: dock.height() <= win.height() * 0.34, timeout=3000)
    assert win.view.height() > dock.height()


def test_the_hidden_panel_fills_its_tables_when_first_shown(qtbot, seeded, tmp_path):
    """A start does not build the rows of a register nobody looks at (5,000 actors took a
    quarter of a second of it); shown, the panel holds the register as it is then,
    changes made while it was hidden included, and follows changes while shown."""
    from stancemark.core.register_commands import AddActor

    w = window_on_article(qtbot, seeded, tmp_path)
    panel = w.registers
    assert not w.registers_dock.isVisible() and panel.actors.rowCount() == 0
    w.run_command(AddActor("Hidden Meanwhile", "person"))
    assert panel.actors.rowCount() == 0
    w.registers_dock.show()
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    names = sorted(a.name for a in seeded.list_actors())
    assert sorted(panel.actors.item(r, 0).text() for r in range(panel.actors.rowCount())) == names
    assert "Hidden Meanwhile" in names
    w.run_command(AddActor("Added While Shown", "person"))
    assert "Added While Shown" in shown_names(panel.actors)
    w.registers_dock.hide()
    w.run_command(AddActor("Added While Hidden", "person"))  # the rows wait for the showing
    w.registers_dock.show()
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    assert {"Added While Shown", "Added While Hidden"} <= set(shown_names(panel.actors))
