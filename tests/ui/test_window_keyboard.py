"""Moving around by keyboard: J / K between annotations, Ctrl+T into the text, find
keeps the whole hit selected after Esc (so A tags it), the inspector's "At" column says
where a tag is, and the article list shows titles over two lines instead of cutting them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from window_fixtures import make_window, select_cp, window_on_article

from helpers import find
from stancemark.ui.article.two_line import wrap

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    w = window_on_article(qtbot, seeded, tmp_path, title_start="Republicans")
    w.resize(1280, 700)
    return w


def tag(qtbot, win, needle, nth=0):
    select_cp(win, *find(win.view.article.text, needle, nth))
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)


def test_j_and_k_step_through_the_annotations_in_text_order(qtbot, win):
    text = win.view.article.text
    for needle in ("Beijing", "Taiwan", "Trump"):  # tagged out of text order
        tag(qtbot, win, needle)
    starts = sorted(text.index(n) for n in ("Beijing", "Taiwan", "Trump"))
    win.view.text.moveCursor(QTextCursor.MoveOperation.Start)
    win.inspector.table.clearSelection()
    win.inspector.editor.show_annotation(None, True)
    win.view.text.setFocus()
    seen = []
    for _ in range(3):
        qtbot.keyClick(win.view.text, Qt.Key.Key_J)
        seen.append(win.inspector.editor.current.start)
    assert seen == starts
    assert win.view.text.hasFocus()  # keys keep working in the text
    qtbot.keyClick(win.view.text, Qt.Key.Key_J)
    assert "last annotation" in win.statusBar().currentMessage()
    qtbot.keyClick(win.view.text, Qt.Key.Key_K)
    assert win.inspector.editor.current.start == starts[1]
    # the flashed span is on screen and the cursor sits at its start
    index = win.view.index
    assert index.offsets.to_codepoint(win.view.text.textCursor().position()) == starts[1]


def test_ctrl_t_goes_into_the_text(qtbot, win):
    win.list.search.setFocus()
    qtbot.keyClick(win.list.search, Qt.Key.Key_T, CTRL)
    edit = win.view.text
    assert edit.hasFocus()
    assert edit.viewport().rect().contains(edit.cursorRect().center())
    qtbot.keyClick(edit, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert edit.textCursor().hasSelection()  # a keyboard selection can start at once


def test_find_keeps_the_whole_hit_selected_after_esc(qtbot, win, seeded):
    text = win.view.article.text
    win.view.text.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(win.view.text, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(win.find_bar.edit, "Taiwan")  # typed a letter at a time
    first = text.index("Taiwan")
    assert win.view.selection_span() == (first, first + 6)  # the first hit, whole
    qtbot.keyClick(win.find_bar.edit, Qt.Key.Key_Return)
    second = text.index("Taiwan", first + 1)
    assert win.view.selection_span() == (second, second + 6)
    qtbot.keyClick(win.find_bar.edit, Qt.Key.Key_Escape)
    assert not win.find_bar.isVisible() and win.view.text.hasFocus()
    assert win.view.selection_span() == (second, second + 6)
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
    [a] = seeded.list_annotations(win.current_article_uid())
    assert (a.start, a.end, a.quote) == (second, second + 6, "Taiwan")


def test_find_grows_the_hit_it_is_on(qtbot, win):
    """A needle whose only hit begins before the cursor: the selection used to stay on
    the shorter match typed so far."""
    text = win.view.article.text
    needle = "congratulatory"
    start = text.index(needle)
    win.view.text.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(win.view.text, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(win.find_bar.edit, needle)
    assert win.view.selection_span() == (start, start + len(needle))


def test_inspector_at_column_says_the_paragraph(qtbot, win):
    text = win.view.article.text
    tag(qtbot, win, "Taiwan", 3)
    row = win.inspector.model.items[0]
    paragraph = text[:row.start].count("\n") + 1
    shown = win.inspector.model.index(0, 3).data()
    assert shown == f"¶ {paragraph}"
    table = win.inspector.table
    assert table.columnWidth(3) > table.fontMetrics().horizontalAdvance("¶ 0000")
    assert f"characters {row.start}–{row.end}" in win.inspector.model.index(0, 3).data(
        Qt.ItemDataRole.ToolTipRole)


def test_list_titles_wrap_to_two_lines_at_the_default_width(qtbot, seeded, tmp_path):
    w = make_window(qtbot, seeded, tmp_path)
    w.resize(1280, 700)
    w.splitter.setSizes([int(1280 * 0.27), int(1280 * 0.46), int(1280 * 0.27)])
    view = w.list.view
    qtbot.waitUntil(lambda: view.columnWidth(0) > 100)
    title = next(r.title for r in w.list.model.rows if r.title.startswith("Pompeo"))
    lines = wrap(title, view.font(), view.columnWidth(0) - 8)
    assert len(lines) == 2
    shown = " ".join(lines).rstrip("…")
    assert len(shown) >= 45 and title.startswith(shown.split(" ")[0])
    assert view.rowHeight(0) >= 2 * view.fontMetrics().lineSpacing()
    row = w.list.model.row_of(next(r.uid for r in w.list.model.rows if r.title == title))
    assert w.list.model.index(row, 1).data(Qt.ItemDataRole.UserRole + 1) == "AP and Reuters"
