"""A date's mark stays on its own line: no overline along the top of the line box, where
it read as a stance underline of the line above (light and dark themes)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette, QTextCursor

from stancemark.core.model import Annotation, Article, new_uid
from stancemark.ui.article.article_view import ArticleView

TEXT = "The minister urged calm at the border.\nOn Monday the talks resumed in Geneva."


def _view(qtbot, dark: bool) -> tuple[ArticleView, int, int]:
    view = ArticleView()
    if dark:
        p = view.palette()
        for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
            p.setColor(role, QColor(30, 30, 32))
        p.setColor(QPalette.ColorRole.Text, QColor(225, 225, 225))
        view.setPalette(p)
    qtbot.addWidget(view)
    view.resize(900, 300)
    art = Article(new_uid(), "t", TEXT, "x", published="2024-05-20")
    s = TEXT.index("On Monday")
    e = s + len("On Monday")
    stance_s = TEXT.index("urged")
    anns = [
        Annotation(new_uid(), art.uid, "me", "date", s, e, TEXT[s:e],
                   date_value="2024-05-20", date_granularity="day"),
        Annotation(new_uid(), art.uid, "me", "stance", stance_s, stance_s + 10,
                   TEXT[stance_s:stance_s + 10], polarity="support"),
    ]
    view.show()
    qtbot.waitExposed(view)
    view.show_article(art, anns)
    view.finish_highlighting()
    return view, s, e


@pytest.mark.parametrize("dark", [False, True])
def test_date_has_no_line_along_the_top_of_its_line(qtbot, dark):
    view, s, e = _view(qtbot, dark)
    edit = view.text
    c = QTextCursor(edit.document())
    c.setPosition(s)
    first = edit.cursorRect(c)
    c.setPosition(e)
    last = edit.cursorRect(c)
    assert first.top() == last.top()  # one line
    image = edit.viewport().grab().toImage()
    base = QColor(image.pixel(first.left() + 2, first.bottom() - 1))  # inside the date tint
    background = edit.palette().color(QPalette.ColorRole.Base)

    def inked(x: int, y: int) -> bool:  # far from both the page and the date's tint
        p = QColor(image.pixel(x, y))
        return all(abs(p.lightness() - ref.lightness()) > 60 for ref in (base, background))

    # The top rows of the date's line box: an overline filled most of one of them.
    for y in range(first.top(), first.top() + 3):
        run = sum(inked(x, y) for x in range(first.left() + 1, last.left() - 1))
        assert run < (last.left() - first.left()) // 2, f"a line across the date at y={y}"
    fmt = view.highlighter._format((("date", "#E69F00"),))
    assert fmt.fontItalic() and not fmt.fontOverline()
