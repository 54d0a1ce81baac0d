"""Moving around the article from the keyboard, wired by install(window):

- J / K: the next / previous annotation in the text (from the selected one, else from
  the text cursor): selected in the inspector, flashed and scrolled to, focus kept in
  the text so A, D, S, Del and J go on working;
- Ctrl+T: into the text (from the list, the search box or the inspector), the cursor
  on the first line on screen, ready for a keyboard selection (Shift+arrows);
- the inspector's "At" column says where in the article a tag is (¶ paragraph).
"""

from __future__ import annotations

import bisect
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QKeySequence

from stancemark.ui.window.shortcuts import SHORTCUTS


def install(window: Any) -> None:
    for key, text, slot in (
            ("next_annotation", "Ne&xt annotation", lambda: step_annotation(window, 1)),
            ("prev_annotation", "Pre&vious annotation", lambda: step_annotation(window, -1)),
            ("focus_text", "Go to the &text", lambda: focus_text(window))):
        act = QAction(text, window)
        keys, tip = SHORTCUTS[key]
        act.setShortcuts([QKeySequence(k) for k in keys])
        act.setStatusTip(tip)
        act.setToolTip(f"{text.replace('&', '')} ({keys[0]})")
        act.triggered.connect(slot)
        window.addAction(act)
        window.actions_[key] = act
    view_menu = window.menus.get("view")
    if view_menu is not None:
        first = view_menu.actions()[0] if view_menu.actions() else None
        for key in ("next_annotation", "prev_annotation", "focus_text"):
            view_menu.insertAction(first, window.actions_[key])
        view_menu.insertSeparator(first)
    index = window.view
    window.inspector.model.locate = lambda cp: index.index.block_of(cp) if index.index else None


def step_annotation(window: Any, step: int) -> str | None:
    """Select the annotation after (step 1) or before (step -1) the current one, in text
    order; returns its uid, or None at either end (the status bar says so)."""
    items = sorted(window.inspector.model.items, key=lambda r: (r.start, r.end, r.uid))
    if not items:
        window.statusBar().showMessage("No annotations in this article yet.", 3000)
        return None
    current = window.inspector.editor.current
    keys = [(r.start, r.end, r.uid) for r in items]
    if current is not None and current.article_uid == window.current_article_uid():
        here = (current.start, current.end, current.uid)
        i = bisect.bisect_right(keys, here) if step > 0 else bisect.bisect_left(keys, here) - 1
    else:
        index = window.view.index
        cursor = window.view.text.textCursor().selectionStart()
        cp = index.offsets.to_codepoint(cursor) if index else 0
        i = (bisect.bisect_left(keys, (cp, -1, "")) if step > 0
             else bisect.bisect_left(keys, (cp, -1, "")) - 1)
    if not 0 <= i < len(items):
        window.statusBar().showMessage(
            "That was the last annotation." if step > 0 else "That was the first annotation.",
            3000)
        return None
    uid = items[i].uid
    focus = window.focusWidget()
    window.inspector.select(uid)  # selects the row, flashes and scrolls to the span
    if focus is not None:
        focus.setFocus()  # stay where the keys are being pressed
    return uid


def focus_text(window: Any) -> None:
    text = window.view.text
    text.setFocus()
    cursor = text.textCursor()
    if not cursor.hasSelection() and not text.viewport().rect().contains(
            text.cursorRect(cursor).center()):
        # off screen (or never placed): start on the first line the reader sees
        text.setTextCursor(text.cursorForPosition(QPoint(4, 4)))
