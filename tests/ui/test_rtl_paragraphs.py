"""Arabic and Hebrew paragraphs sit on the right of the reading column (each paragraph
by its own direction), English ones on the left, in one article."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from stancemark.core.model import Article, new_uid
from stancemark.ui.article.article_view import ArticleView

ARABIC = "قالت وزارة الخارجية إن المحادثات ستستأنف الأسبوع المقبل."
HEBREW = "משרד החוץ אמר כי השיחות יתחדשו."
TEXT = f"The talks resume on Monday.\n{ARABIC}\n{HEBREW}\n北京表示欢迎。"


def _edges(view: ArticleView, block: int) -> tuple[int, int]:
    edit = view.text
    blk = edit.document().findBlockByNumber(block)
    start = QTextCursor(blk)
    end = QTextCursor(blk)
    end.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    xs = (edit.cursorRect(start).x(), edit.cursorRect(end).x())
    return min(xs), max(xs)


def test_each_paragraph_aligned_by_its_direction(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    qtbot.waitExposed(view)
    view.show_article(Article(new_uid(), "t", TEXT, "x"), [])
    width = view.text.viewport().width()
    left, _ = _edges(view, 0)
    assert left < 10  # English from the left
    for block in (1, 2):  # Arabic and Hebrew reach the right edge
        _, right = _edges(view, block)
        assert right > width - 10, (block, right, width)
    left_zh, right_zh = _edges(view, 3)
    assert left_zh < 10 and right_zh < width // 2  # Chinese from the left
    view.show_article(Article(new_uid(), "t", "Only English here.\nAnd more.", "y"), [])
    assert _edges(view, 0)[0] < 10
