"""A tag redraws only what it changed: one count cell in the article list, one inserted
row in the inspector (selection kept), no repaint of the item views when the tag popup
(de)activates the window, no relayout of the status bar, the tagged block of the text
and no more (what is on screen then being what a full repaint draws)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget
from window_fixtures import select_cp, window_on_article

from helpers import find
from stancemark.core.segments import BlockIndex
from stancemark.ui.article.article_list import COUNT_COLUMN, STATUS_COLUMN
from stancemark.ui.article.highlighter import AnnotationHighlighter, Layer


class Events(QObject):
    """Counts events of some types reaching one object."""

    def __init__(self, target: QObject, *types: QEvent.Type):
        super().__init__(target)
        self.types = types
        self.count = 0
        target.installEventFilter(self)

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in self.types:
            self.count += 1
        return False


def record(model) -> list:
    seen: list = []
    model.dataChanged.connect(lambda a, b, _r=(): seen.append(
        ("data", a.row(), b.row(), a.column(), b.column())))
    model.modelReset.connect(lambda: seen.append(("reset",)))
    model.layoutChanged.connect(lambda *_: seen.append(("layout",)))
    model.rowsInserted.connect(lambda _p, first, last: seen.append(("insert", first, last)))
    model.rowsRemoved.connect(lambda _p, first, last: seen.append(("remove", first, last)))
    return seen


@pytest.fixture
def win(qtbot, seeded, tmp_path):
    return window_on_article(qtbot, seeded, tmp_path)


def tag_actor(qtbot, win, word: str) -> None:
    win.activateWindow()  # back from the last popup, as on screen
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    s, e = find(win.view.article.text, word)
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    popup = win.tagger.popup
    qtbot.keyClick(popup.name, Qt.Key.Key_Return)


def test_tag_updates_one_count_cell_and_inserts_one_inspector_row(qtbot, win):
    row = win.list.model.row_of(win.current_article_uid())
    listed = record(win.list.model)
    inspected = record(win.inspector.model)
    tag_actor(qtbot, win, "Beijing")
    # first tag of a new article: the count, then the status "in progress"
    assert listed == [("data", row, row, COUNT_COLUMN, COUNT_COLUMN),
                      ("data", row, row, STATUS_COLUMN, STATUS_COLUMN)]
    assert win.list.model.rows[row].annotation_count == 1
    assert inspected == [("insert", 0, 0)]
    listed.clear()
    inspected.clear()
    tag_actor(qtbot, win, "Pompeo")
    assert listed == [("data", row, row, COUNT_COLUMN, COUNT_COLUMN)]
    assert [e[0] for e in inspected] == ["insert"]


def test_tag_keeps_the_inspector_selection(qtbot, win):
    tag_actor(qtbot, win, "Pompeo")
    uid = win.inspector.model.items[0].uid
    win.inspector.select(uid)
    tag_actor(qtbot, win, "Beijing")
    assert len(win.inspector.model.items) == 2
    assert win.inspector.selected_uids() == [uid]


@pytest.mark.parametrize("which", ["inspector", "list"])
def test_window_activation_does_not_repaint_item_views(qtbot, win, which):
    view = win.inspector.table if which == "inspector" else win.list.view
    app = QApplication.instance()
    app.processEvents()
    paints = Events(view.viewport(), QEvent.Type.Paint)
    for kind in (QEvent.Type.WindowDeactivate, QEvent.Type.WindowActivate):
        for target in (view.viewport(), view.horizontalHeader().viewport()):
            QApplication.sendEvent(target, QEvent(kind))
    app.processEvents()
    assert paints.count == 0
    view.viewport().update()  # the counter does see paints
    app.processEvents()
    assert paints.count > 0


def test_tag_does_not_re_lay_out_the_status_bar(qtbot, win):
    tag_actor(qtbot, win, "Pompeo")  # the first tag may restyle nothing, but settle it
    QApplication.instance().processEvents()
    layouts = Events(win.statusBar(), QEvent.Type.LayoutRequest)
    before = win.counts_label.text()
    tag_actor(qtbot, win, "Beijing")
    QApplication.instance().processEvents()
    assert win.counts_label.text() != before and "2 tag(s) here" in win.counts_label.text()
    assert win.saved_label.text().startswith("Saved")
    assert layouts.count == 0


def test_a_longer_status_text_widens_its_label(qtbot, win):
    win.report_saved("the disk is full and nothing could be written to the store file")
    QApplication.instance().processEvents()
    label = win.saved_label
    assert label.text().startswith("NOT saved")
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text().strip())


def test_tag_rehighlights_only_the_block_of_its_span(qtbot, win):
    highlighter = win.view.highlighter
    win.view.finish_highlighting()
    blocks: list[int] = []
    real = highlighter.index.segments

    def counted(block: int):  # the highlighter asks the index once per block it redraws
        blocks.append(block)
        return real(block)

    highlighter.index.segments = counted
    s, _e = find(win.view.article.text, "Beijing")
    tag_actor(qtbot, win, "Beijing")
    assert blocks == [win.view.text.document().findBlock(s).blockNumber()]


class Painted(QObject):
    """The regions painted on one widget."""

    def __init__(self, target: QWidget):
        super().__init__(target)
        self.rects: list[QRect] = []
        target.installEventFilter(self)

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def on_screen(widget: QWidget) -> QImage:
    """What the window shows of `widget` (its backing store), not a fresh render: pixels a
    partial repaint left stale are in it."""
    window = widget.window()
    at = widget.mapTo(window, QPoint(0, 0))
    return window.screen().grabWindow(window.winId(), at.x(), at.y(), widget.width(),
                                      widget.height()).toImage()


def test_tag_repaints_its_block_and_the_screen_matches_a_full_repaint(qtbot, win):
    """The tag's block (and the settled suggestion's outline) repaint, not the viewport;
    what is on screen then is what a repaint of the whole view draws."""
    app = QApplication.instance()
    win.view.finish_highlighting()
    win.suggestions.compute()
    assert win.suggestions.items  # outlines are drawn, and the tag settles one
    app.processEvents()
    viewport = win.view.text.viewport()
    win.view.text.setCursorWidth(0)  # no blinking text cursor in the pictures compared
    settled = len(win.suggestions.items)
    s, e = find(win.view.article.text, "Beijing")
    select_cp(win, s, e)
    qtbot.keyClick(win.view.text, Qt.Key.Key_A)
    app.processEvents()
    painted = Painted(viewport)  # from the Enter key on, as the benchmark times a tag
    qtbot.keyClick(win.tagger.popup.name, Qt.Key.Key_Return)
    app.processEvents()
    assert len(win.suggestions.items) < settled
    block = win.view.text.document().findBlock(s)
    box = win.view.text.blockBoundingGeometry(block).translated(win.view.text.contentOffset())
    assert painted.rects and all(r.height() <= box.height() + 4 for r in painted.rects)
    shown = on_screen(viewport)
    viewport.repaint()
    assert on_screen(viewport) == shown


def _bold_paragraph(qtbot) -> tuple[QPlainTextEdit, AnnotationHighlighter, BlockIndex[Layer]]:
    """A shown text whose second paragraph two overlapping tags turn bold."""
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.resize(400, 300)
    text = " ".join(["overlapping tags turn the text bold"] * 40)
    edit.setPlainText(f"first line\n{text}\nlast line")
    highlighter = AnnotationHighlighter(edit.document())
    edit.show()
    qtbot.waitExposed(edit)
    QApplication.instance().processEvents()
    index: BlockIndex[Layer] = BlockIndex(edit.toPlainText())
    start = len("first line\n")
    index.set_spans([("a", start, start + len(text), ("actor", "#E69F00")),
                     ("b", start, start + len(text), ("actor", "#56B4E9"))])
    return edit, highlighter, index


def test_a_block_that_grows_repaints_the_whole_view(qtbot):
    """A re-highlight that changes a block's height (bold text re-wrapping a paragraph)
    moves every line below it: the whole viewport repaints, as Qt's own path does, and the
    text ends as Qt's own re-highlight leaves it (lines, scroll range, pixels)."""
    app = QApplication.instance()
    edit, highlighter, index = _bold_paragraph(qtbot)
    twin, twin_highlighter, twin_index = _bold_paragraph(qtbot)
    block = edit.document().findBlockByNumber(1)
    lines = block.layout().lineCount()
    highlighter.set_index(index)
    twin_highlighter.set_index(twin_index)
    painted = Painted(edit.viewport())
    highlighter.repaint_blocks([1], edit)
    twin_highlighter.rehighlight_blocks([1])
    app.processEvents()
    assert block.layout().lineCount() > lines  # bold: wider, so more lines
    assert painted.rects == [edit.viewport().rect()]
    assert edit.document().lineCount() == twin.document().lineCount()
    assert edit.verticalScrollBar().maximum() == twin.verticalScrollBar().maximum() > 0
    shown = on_screen(edit.viewport())
    assert shown == on_screen(twin.viewport())
    edit.viewport().repaint()
    assert on_screen(edit.viewport()) == shown


def test_focus_back_in_the_text_repaints_no_frame_and_the_screen_matches(qtbot, win):
    """Focus leaving and coming back (the tag popup) repaints the text's cursor and
    selection, not the frameless widget, its scroll bar and every parent behind it; what
    is on screen is what a repaint of all of it draws."""
    app = QApplication.instance()
    text = win.view.text
    text.setCursorWidth(0)  # no blinking text cursor in the pictures compared
    s, e = find(win.view.article.text, "Beijing")
    select_cp(win, s, e)
    app.processEvents()
    frame = Painted(text)
    bar = Painted(text.verticalScrollBar())
    viewport = Painted(text.viewport())
    for _ in range(2):
        win.list.view.setFocus()
        app.processEvents()
        text.setFocus()
        app.processEvents()
    assert not frame.rects and not bar.rects
    assert viewport.rects  # the selection's colours follow the focus
    shown = on_screen(text)
    text.repaint()
    assert on_screen(text) == shown


def test_a_style_sheet_keeps_qts_focus_repaint(qtbot, win):
    """A style sheet may draw the text differently with focus (a :focus border): the
    widget still repaints on focus (Qt's style sheet style repaints what its rules
    restyle)."""
    app = QApplication.instance()
    text = win.view.text
    text.setStyleSheet("QPlainTextEdit:focus { color: black }")
    app.processEvents()
    frame = Painted(text)
    win.list.view.setFocus()
    app.processEvents()
    text.setFocus()
    app.processEvents()
    assert frame.rects
