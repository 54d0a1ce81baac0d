"""The article list pages lazily through the store; search and status filters; moving
between articles from the keyboard; Ctrl+Enter marks done and opens the next one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_fixtures import make_window

from stancemark.ui.article.article_list import PAGE, ArticleListModel


@pytest.fixture
def many(repo):
    with repo.tx():
        for i in range(3000):
            topic = "harbour" if i % 100 == 7 else "budget"
            repo.add_article(f"Article {i} about the {topic}.\nSecond line {i}.", f"Title {i}",
                             published=f"2020-01-{1 + i % 28:02d}", source="Wire")
    return repo


def test_model_fetches_pages_lazily(qtbot, many):
    model = ArticleListModel(many)
    model.reload()
    assert model.total == 3000
    assert model.rowCount() == PAGE and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE
    assert model.uid_at(2999) is not None and model.rowCount() == 3000
    assert not model.canFetchMore()
    assert model.index(2999, 0).data() == "Title 2999"


def test_view_scrolling_fetches_more(qtbot, many, tmp_path):
    w = make_window(qtbot, many, tmp_path)
    assert w.list.model.rowCount() < 3000
    w.list.view.scrollToBottom()
    qtbot.waitUntil(lambda: w.list.model.rowCount() > PAGE)
    assert w.list.count.text().startswith("3,000")


def test_search_and_status_filters(qtbot, many, tmp_path):
    w = make_window(qtbot, many, tmp_path)
    w.list.search.setText("harbour")
    w.list.apply_filter()
    assert w.list.model.total == 30
    assert all("Title" in r.title for r in w.list.model.rows)
    w.list.search.setText("")
    w.list.apply_filter()
    first = w.list.model.rows[0].uid
    many.set_status(first, "done")
    w.list.status.setCurrentIndex(w.list.status.findData("done"))
    assert [r.uid for r in w.list.model.rows] == [first]
    w.list.search.setText("nothingmatchesthis")
    w.list.apply_filter()
    assert w.list.empty.isVisible() and "No article matches" in w.list.empty.text()


def test_keyboard_navigation_and_done_next(qtbot, many, tmp_path):
    w = make_window(qtbot, many, tmp_path)
    rows = w.list.model.rows
    assert w.current_article_uid() == rows[0].uid
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(w.view.text, Qt.Key.Key_PageDown, ctrl)
    assert w.current_article_uid() == rows[1].uid
    qtbot.keyClick(w.view.text, Qt.Key.Key_PageUp, ctrl)
    assert w.current_article_uid() == rows[0].uid
    many.set_status(rows[1].uid, "done")
    w.list.model.update_row(rows[1].uid, status="done")
    qtbot.keyClick(w.view.text, Qt.Key.Key_Return, ctrl)
    assert many.get_status(rows[0].uid) == "done"
    assert w.current_article_uid() == rows[2].uid  # row 1 was done already
    assert w.list.model.rows[0].status == "done"


def test_clicking_a_row_opens_the_article(qtbot, many, tmp_path):
    w = make_window(qtbot, many, tmp_path)
    view = w.list.view
    rect = view.visualRect(w.list.model.index(3, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.current_article_uid() == w.list.model.rows[3].uid
    assert w.view.article.title == "Title 3"


def test_empty_store_shows_empty_states(qtbot, repo, tmp_path):
    w = make_window(qtbot, repo, tmp_path)
    assert w.current_article_uid() is None
    assert "No articles yet" in w.view.header.text()
    assert w.list.empty.isVisible()
    assert not w.tagger.tag("actor")  # nothing to tag: a hint, no crash
