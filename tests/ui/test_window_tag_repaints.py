"""A tag redraws only what it changed: one count cell in the article list, one inserted
row in the inspector (selection kept), no repaint of the item views when the tag popup
(de)activates the window, no relayout of the status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication
from window_fixtures import select_cp, window_on_article

from helpers import find
from stancemark.ui.article.article_list import COUNT_COLUMN, STATUS_COLUMN


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
