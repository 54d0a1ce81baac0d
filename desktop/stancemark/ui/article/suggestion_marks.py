"""Suggestions drawn over the article text in a style no tag has: an outline with no
fill, in a violet no kind, actor tint or polarity uses (tags are filled backgrounds,
dates italic, stances underlines); dotted for an actor, dashed for a date. The current
suggestion's outline is solid and thicker.

Painted after the text, for the suggestions on screen only (found by bisecting their
sorted starts with the first and last visible positions), so thousands of suggestions
in a long article cost a paint what the few visible ones cost; the highlighter and its
per-block formats are not touched (showing, hiding or settling a suggestion repaints
the viewport, it re-highlights nothing).
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Sequence
from operator import itemgetter
from typing import Any

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextLine
from PySide6.QtWidgets import QPlainTextEdit

_FIRST = itemgetter(0)

# Light and dark theme: ColorBrewer's dark and light purple, apart from the Okabe-Ito
# colours of kinds, actors and polarities.
MARK_LIGHT = "#6A3D9A"
MARK_DARK = "#CAB2D6"


class SuggestionMarks:
    """The suggestion layer of one text edit; `paint` is called after the text paints."""

    def __init__(self, edit: QPlainTextEdit):
        self.edit = edit
        self.spans: list[tuple[int, int]] = []  # UTF-16 positions, sorted by start
        self.dashed: list[bool] = []  # per span: a date (dashed) or an actor (dotted)
        self._starts: list[int] = []
        self.current: int | None = None  # index into spans
        self.visible = True
        self.dark = False

    def set_spans(self, spans: Iterable[tuple[int, int]], current: int | None = None,
                  dashed: Sequence[bool] = ()) -> None:
        self.spans = list(spans)
        self.dashed = list(dashed) or [False] * len(self.spans)
        self._starts = list(map(_FIRST, self.spans))
        self.current = current
        self.edit.viewport().update()

    def remove(self, indices: Collection[int], current: int | None) -> None:
        """Drop the spans at `indices` (a tag made by hand settled them) and repaint only
        their lines and the current one's: a repaint of the whole view costs a long
        article as much as a scroll, on every tag."""
        gone = sorted(set(indices), reverse=True)
        dirty = [self.spans[i] for i in gone]
        if self.current is not None and self.current < len(self.spans):
            dirty.append(self.spans[self.current])
        # deleted in place, from the last: a few deletions, where rebuilding the three
        # lists passed over every outline of a long article (~16,700) on every tag
        for i in gone:
            del self.spans[i]
            del self.dashed[i]
            del self._starts[i]
        self.current = current
        if current is not None and current < len(self.spans):
            dirty.append(self.spans[current])
        viewport = self.edit.viewport()
        for start, end in dirty:
            for rect in self._rects(start, end):
                viewport.update(rect.adjusted(-2, -2, 2, 2).toAlignedRect())

    def set_current(self, current: int | None) -> None:
        if current != self.current:
            self.current = current
            self.edit.viewport().update()

    def set_visible(self, on: bool) -> None:
        self.visible = on
        self.edit.viewport().update()

    def colour(self) -> QColor:
        return QColor(MARK_DARK if self.dark else MARK_LIGHT)

    def paint(self, painter: QPainter, area: QRect | None = None) -> None:
        """Draw the outlines of the blocks the paint's `area` (viewport coordinates;
        default all of it) reaches: a tag repaints its own block only, and drawing every
        outline on screen for it cost more than the text's own paint."""
        if not self.visible or not self.spans:
            return
        edit = self.edit
        block = edit.firstVisibleBlock()
        if not block.isValid():
            return
        offset = edit.contentOffset()
        view = edit.viewport().rect()
        top, bottom = (view.top(), view.bottom()) if area is None else \
            (max(area.top(), view.top()), min(area.bottom(), view.bottom()))
        first = last = None
        while block.isValid():
            box = edit.blockBoundingGeometry(block).translated(offset)
            if box.top() > bottom:
                break
            if box.bottom() >= top:
                if first is None:
                    first = block
                last = block
            block = block.next()
        if first is None or last is None:
            return
        lo, hi = first.position(), last.position() + last.length()
        i = max(0, bisect.bisect_left(self._starts, lo) - 1)  # one may start above the view
        colour = self.colour()
        dotted = QPen(colour, 1.4, Qt.PenStyle.DotLine)
        dashed = QPen(colour, 1.4, Qt.PenStyle.DashLine)
        solid = QPen(colour, 2.2, Qt.PenStyle.SolidLine)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        while i < len(self.spans) and self.spans[i][0] < hi:
            start, end = self.spans[i]
            if end > lo:
                painter.setPen(solid if i == self.current else
                               dashed if self.dashed[i] else dotted)
                for rect in self._rects(start, end):
                    painter.drawRoundedRect(rect, 3, 3)
            i += 1

    def _rects(self, start: int, end: int) -> list[QRectF]:
        """One rectangle per laid-out line the span [start, end) covers."""
        edit = self.edit
        doc = edit.document()
        offset = edit.contentOffset()
        out = []
        block = doc.findBlock(start)
        while block.isValid() and block.position() < end:
            layout = block.layout()
            top_left = edit.blockBoundingGeometry(block).translated(offset).topLeft()
            base = block.position()
            a, b = max(start, base) - base, min(end, base + block.length() - 1) - base
            for n in range(layout.lineCount()):
                line = layout.lineAt(n)
                l0, l1 = line.textStart(), line.textStart() + line.textLength()
                if l1 <= a or l0 >= b:
                    continue
                x0, x1 = _x(line, max(a, l0)), _x(line, min(b, l1))
                left, right = min(x0, x1), max(x0, x1)  # right-to-left lines run backwards
                out.append(QRectF(top_left.x() + left - 1.5, top_left.y() + line.y() + 0.5,
                                  right - left + 3, line.height() - 1))
            block = block.next()
        return out


def _x(line: QTextLine, pos: int) -> float:
    """QTextLine.cursorToX: PySide6 returns (x, position) for the C++ in-out overload,
    its stubs say a float; either way, the x."""
    x: Any = line.cursorToX(pos)
    return float(x[0] if isinstance(x, tuple) else x)
