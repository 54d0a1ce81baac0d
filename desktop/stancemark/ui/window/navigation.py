"""Moving around the article from the keyboard (the window makes the actions):

- J / K: the next / previous annotation in the text (from the selected one, else from
  the text cursor): selected in the inspector, flashed and scrolled to, focus kept in
  the text so A, D, S, Del and J go on working;
- Ctrl+T: into the text (from the list, the search box or the inspector), the cursor
  on the first line on screen, ready for a keyboard selection (Shift+arrows);
- the inspector's "At" column says where in the article a tag is (¶ paragraph).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QPlainTextEdit

if TYPE_CHECKING:
    from stancemark.ui.article.article_view import ArticleView
    from stancemark.ui.inspector.inspector import Inspector
    from stancemark.ui.window.session import Feedback


def paragraph_of(view: ArticleView) -> Callable[[int], int | None]:
    """For the inspector's "At" column: the paragraph (block) of a code point."""
    return lambda cp: view.index.block_of(cp) if view.index else None


def step_annotation(view: ArticleView, inspector: Inspector, feedback: Feedback,
                    step: int) -> str | None:
    """Select the annotation after (step 1) or before (step -1) the current one, in text
    order; returns its uid, or None at either end (the status bar says so)."""
    items = sorted(inspector.model.items, key=lambda r: (r.start, r.end, r.uid))
    if not items:
        feedback.message("No annotations in this article yet.", 3000)
        return None
    current = inspector.editor.current
    keys = [(r.start, r.end, r.uid) for r in items]
    if current is not None and view.article is not None and \
            current.article_uid == view.article.uid:
        here = (current.start, current.end, current.uid)
        i = bisect.bisect_right(keys, here) if step > 0 else bisect.bisect_left(keys, here) - 1
    else:
        index = view.index
        cursor = view.text.textCursor().selectionStart()
        cp = index.offsets.to_codepoint(cursor) if index else 0
        i = (bisect.bisect_left(keys, (cp, -1, "")) if step > 0
             else bisect.bisect_left(keys, (cp, -1, "")) - 1)
    if not 0 <= i < len(items):
        feedback.message(
            "That was the last annotation." if step > 0 else "That was the first annotation.",
            3000)
        return None
    uid = items[i].uid
    focus = view.window().focusWidget()
    inspector.select(uid)  # selects the row, flashes and scrolls to the span
    if focus is not None:
        focus.setFocus()  # stay where the keys are being pressed
    return uid


def focus_text(text: QPlainTextEdit) -> None:
    text.setFocus()
    cursor = text.textCursor()
    if not cursor.hasSelection() and not text.viewport().rect().contains(
            text.cursorRect(cursor).center()):
        # off screen (or never placed): start on the first line the reader sees
        text.setTextCursor(text.cursorForPosition(QPoint(4, 4)))
