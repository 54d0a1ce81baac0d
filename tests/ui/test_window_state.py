"""What the window remembers (geometry, splitter, last article), find, help, the
registers panel (edit, merge, alias) and clicking a highlight."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from window_fixtures import make_window, select_cp

from helpers import find
from stancemark.core.commands import AddAnnotation
from stancemark.core.model import Annotation, new_uid
from stancemark.ui.window.app import build_window


def test_remembers_geometry_splitter_and_last_article(qtbot, seeded, tmp_path):
    w = make_window(qtbot, seeded, tmp_path)
    third = w.list.model.rows[2].uid
    w.open_article(third)
    w.resize(760, 530)  # within the offscreen screen, which restoreGeometry clamps to
    w.splitter.setSizes([150, 400, 200])
    sizes = w.splitter.sizes()
    w.close()
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    again = build_window(seeded, None, settings)
    qtbot.addWidget(again)
    assert again.current_article_uid() == third
    assert (again.width(), again.height()) == (760, 530)
    again.show()
    assert again.splitter.sizes() == sizes


def test_find_marks_hits_and_help_lists_shortcuts(qtbot, seeded, tmp_path):
    w = make_window(qtbot, seeded, tmp_path)
    qtbot.keyClick(w.view.text, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.find_bar.isVisible()
    qtbot.keyClicks(w.find_bar.edit, "Taiwan")
    n = w.view.text.toPlainText().count("Taiwan")
    assert n > 1 and w.find_bar.count.text() == f"{n} hit(s)"
    assert len(w.view.text.extraSelections()) == n
    w.hide_find()
    assert w.view.text.extraSelections() == []
    qtbot.keyClick(w.view.text, Qt.Key.Key_F1)
    assert "Ctrl+Shift+Z" in w.help_box.text() and "Ctrl+PgDown" in w.help_box.text()
    history = [a.text() for a in w.menus["edit"].actions()]
    assert "Undo history" in history


def test_click_on_highlight_selects_in_inspector_and_row_flashes_span(qtbot, seeded, tmp_path):
    w = make_window(qtbot, seeded, tmp_path)
    text = w.view.article.text
    s = text.rindex("Beijing")  # far down: the click happens on a scrolled view
    e = s + len("Beijing")
    china = seeded.actors_by_alias("Beijing")[0]
    a = Annotation(new_uid(), w.current_article_uid(), seeded.annotator.uid, "actor", s, e,
                   "Beijing", actor_uid=china.uid)
    assert w.run_command(AddAnnotation(a))
    edit = w.view.text
    from PySide6.QtGui import QTextCursor

    c = QTextCursor(edit.document())
    c.setPosition(s + 2)
    edit.setTextCursor(c)
    edit.ensureCursorVisible()
    pos = edit.cursorRect(c).center()
    scrolled = edit.verticalScrollBar().value()
    assert scrolled > 0
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert w.inspector.selected_uids() == [a.uid]
    assert edit.verticalScrollBar().value() == scrolled  # a click does not scroll the text
    assert w.inspector.editor.current.uid == a.uid
    assert "China" in w._describe(a.uid)
    assert len(edit.extraSelections()) == 1  # the flash of the selected span


def test_registers_merge_and_add_alias(qtbot, seeded, tmp_path):
    w = make_window(qtbot, seeded, tmp_path)
    text = w.view.article.text
    s, e = find(text, "Beijing")
    china = seeded.actors_by_alias("China")[0]
    taiwan = seeded.actors_by_alias("Taiwan")[0]
    a = Annotation(new_uid(), w.current_article_uid(), seeded.annotator.uid, "actor", s, e,
                   "Beijing", actor_uid=taiwan.uid)
    w.run_command(AddAnnotation(a))
    assert w.registers.merge(china.uid, taiwan.uid)
    assert seeded.get_annotation(a.uid).actor_uid == china.uid
    assert "Taiwan" in seeded.get_actor(china.uid).aliases
    assert taiwan.uid not in w.cache.actors
    # add the selected text as an alias of the selected actor (in the Registers panel,
    # whose tables are filled when it is shown)
    w.registers_dock.show()
    qtbot.waitUntil(w.registers.isVisible, timeout=3000)
    select_cp(w, *find(text, "Congress"))
    row = next(r for r in range(w.registers.actors.rowCount())
               if w.registers.actors.item(r, 0).text() == "Joe Biden")
    w.registers.actors.selectRow(row)
    w.registers.add_selection_as_alias()
    assert "Congress" in seeded.get_actor(w.registers.selected_actor_uids()[0]).aliases
    # edit a cell in place: the country of an actor
    row = next(r for r in range(w.registers.actors.rowCount())
               if w.registers.actors.item(r, 0).text() == "Joe Biden")
    w.registers.actors.item(row, 2).setText("USA")
    biden = next(x for x in seeded.list_actors() if x.name == "Joe Biden")
    assert biden.country == "USA"


def test_readme_lists_every_shortcut():
    from pathlib import Path

    from stancemark.ui.window.shortcuts import SHORTCUTS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The window", 1)[1].split("\n## ", 1)[0]
    for keys, what in SHORTCUTS.values():
        assert f"| {' / '.join(keys)} | {what} |" in section


def test_help_lists_the_review_mode_keys(qtbot, seeded, tmp_path):
    from window_fixtures import make_window

    win = make_window(qtbot, seeded, tmp_path)
    win.show_help()
    text = win.help_box.text()
    assert "Review mode" in text
    for keys in ("N  /  P", "1 … 9", "<b>E</b>", "<b>R</b>", "Ctrl+Shift+R", "Ctrl+B"):
        assert keys in text, keys
    # the keys listed are the ones the review panel binds
    from PySide6.QtGui import QShortcut

    bound = {sc.key().toString() for sc in win.findChildren(QShortcut)}
    assert {"N", "P", "E", "R", "1", "9"} <= bound
    assert win.review.toggle.shortcut().toString() == "Ctrl+Shift+R"
