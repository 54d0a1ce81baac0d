"""The centre of the window: an article's header and its read-only text with highlights.

Positions cross the Qt boundary only here, and only through core (OffsetMap in the
BlockIndex): Qt counts UTF-16 units, everything else code points. Span text is always
taken from the stored article text, never from the widget.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Callable, Iterable, Sequence

import regex
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.changes import ChangeBus
from stancemark.core.model import Annotation, Article, Change
from stancemark.core.palette import ActorColours
from stancemark.core.segments import BlockIndex
from stancemark.core.text import snap_span
from stancemark.store.annotation_spans import SpanRow
from stancemark.ui.article.highlighter import AnnotationHighlighter, Layer, layer_of
from stancemark.ui.article.legend import Legend
from stancemark.ui.article.suggestion_marks import SuggestionMarks
from stancemark.ui.widgets.release_later import release_later

# A strong right-to-left character (Hebrew, Arabic, Syriac, Thaana, N'Ko ... and their
# presentation forms, by Unicode's bidirectional class)
RTL_CHARS = regex.compile(r"[\p{Bidi_Class=R}\p{Bidi_Class=AL}]")
READING_COLUMNS = 84  # characters per line at most, for comfortable reading
FLASH_MS = 1200
HIGHLIGHT_CHUNK = 200  # blocks per idle step: a few ms, so typing and scrolling stay smooth


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(widget.backgroundRole()).lightness() < 128


class ArticleText(QPlainTextEdit):
    """Read-only text; reports clicks on highlights and shows tooltips."""

    annotation_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = QFont()
        font.setFamilies(["Noto Serif", "DejaVu Serif", "Georgia", "Serif"])
        font.setPointSizeF(12.5)
        self.setFont(font)
        self.index: BlockIndex[Layer] | None = None
        self.describe: Callable[[str], str] = lambda uid: uid
        self.menu_actions: list[QAction] = []
        self._press_pos: QPoint | None = None
        self.marks = SuggestionMarks(self)  # suggestions, drawn over the text

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.marks.visible and self.marks.spans:
            painter = QPainter(self.viewport())
            try:
                self.marks.paint(painter, event.rect())
            finally:
                painter.end()

    # layout: keep a readable column centred
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        # Margins first, so the text is laid out once, at the column's width.
        # The widget's own width, not the event's: a viewport resize (which these margins
        # cause) arrives here too, and sizing from it recursed without end (a crash).
        column = self.fontMetrics().horizontalAdvance("n") * READING_COLUMNS
        side = max(12, (self.width() - column) // 2)
        self.setViewportMargins(side, 10, side, 10)
        super().resizeEvent(event)

    def cp_at(self, viewport_pos: QPoint) -> int | None:
        if self.index is None:
            return None
        cursor = self.cursorForPosition(viewport_pos)
        rect = self.cursorRect(cursor)
        if abs(rect.center().y() - viewport_pos.y()) > rect.height():
            return None
        return self.index.offsets.to_codepoint(cursor.position())

    def keys_at(self, viewport_pos: QPoint) -> list[str]:
        cp = self.cp_at(viewport_pos)
        if cp is None or self.index is None:
            return []
        keys = self.index.keys_at(cp)
        if not keys and cp > 0:  # the cursor lands after the character it was over
            keys = self.index.keys_at(cp - 1)
        return [str(k) for k in keys]

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            keys = self.keys_at(event.pos())
            if keys:
                QToolTip.showText(event.globalPos(),
                                  "<br>".join(self.describe(k) for k in keys[:6]), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self._without_frame_repaint(lambda: super(ArticleText, self).focusInEvent(event))

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self._without_frame_repaint(lambda: super(ArticleText, self).focusOutEvent(event))

    def _without_frame_repaint(self, handle: Callable[[], None]) -> None:
        """Focus coming back from the tag popup: QWidget repaints the whole widget for a
        focus frame, which NoFrame never draws, and with it the scroll bar and, behind the
        margins, every parent up to the window (~1 ms of a tag). The text's own reaction
        (the cursor, the selection) is the viewport's, which still repaints."""
        if self.frameShape() != QFrame.Shape.NoFrame or not self.updatesEnabled():
            handle()
            return
        self.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, True)
        try:
            handle()
        finally:
            self.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, False)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        moved = self._press_pos is not None and (pos - self._press_pos).manhattanLength() > 3
        if not moved and not self.textCursor().hasSelection():
            keys = self.keys_at(pos)
            if keys:
                self.annotation_clicked.emit(keys[0])

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu: QMenu = self.createStandardContextMenu(event.pos())
        if self.menu_actions:
            if menu.actions():  # ours first, then a separator, then Qt's own
                first = menu.actions()[0]
                menu.insertActions(first, self.menu_actions)
                menu.insertSeparator(first)
            else:
                menu.addActions(self.menu_actions)
                menu.addSeparator()
        menu.exec(event.globalPos())


class ArticleView(QWidget):
    """Header (title, source, date) above the text. `index` holds the highlight spans.

    Given the change bus, it redraws the blocks of the tags a change names in its article
    (the window's view); without one (review mode's copy) it shows what it is given."""

    def __init__(self, parent: QWidget | None = None, bus: ChangeBus | None = None):
        super().__init__(parent)
        self.article: Article | None = None
        self.chosen_colours: dict[str, str] = {}  # actor uid -> colour the user set
        # the open article's actor mentions: annotation uid -> (start, end, actor uid)
        self._mentions: dict[str, tuple[int, int, str]] = {}
        self.actor_colours = ActorColours()
        # whose annotations it shows (None: everyone's), as the window opened the article
        self.annotators: frozenset[str] | None = None
        # custom kind uid -> the codebook's colour (set from the registry: set_kind_colours)
        self.kind_colours: dict[str, str] = {}
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setContentsMargins(16, 12, 16, 4)
        self.text = ArticleText(self)
        self.highlighter = AnnotationHighlighter(self.text.document(), is_dark(self))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.legend = Legend(self)
        self.legend.hide()  # View ▸ Legend
        layout.addWidget(self.header)
        layout.addWidget(self.legend)
        layout.addWidget(self.text, 1)
        self._flash: list[QTextEdit.ExtraSelection] = []
        self._finds: list[QTextEdit.ExtraSelection] = []
        self._flash_timer = QTimer(self, singleShot=True, interval=FLASH_MS)
        self._flash_timer.timeout.connect(self._end_flash)
        self._pending: set[int] = set()
        self._idle = QTimer(self, singleShot=True, interval=0)
        self._idle.timeout.connect(self._highlight_chunk)
        self.text.verticalScrollBar().valueChanged.connect(lambda _v: self.highlight_visible())
        self.show_empty("No article open", "Import articles with File ▸ Import…, "
                        "or pick one in the list on the left.")
        if bus is not None:
            bus.subscribe(self.store_changed)

    @property
    def index(self) -> BlockIndex[Layer] | None:
        return self.text.index

    def show_empty(self, title: str, hint: str) -> None:
        self.article = None
        self._pending = set()
        self.text.marks.set_spans([])
        self.text.index = None
        self.highlighter.set_index(None)
        self.header.setText(f"<h2>{html.escape(title)}</h2><p>{html.escape(hint)}</p>")
        self.text.setPlainText("")
        self._set_extra([], [])

    def set_kind_colours(self, colours: dict[str, str], named: list[tuple[str, str]]) -> None:
        """The codebook's custom kinds: uid -> colour for drawing, (name, colour) for the
        legend. Takes effect on the next article shown (the caller reopens it)."""
        self.kind_colours = colours
        self.legend.set_kinds(named)

    def set_article_details(self, article: Article) -> None:
        """The header and the article record after its title, date, source ... changed
        (the text never does, so nothing else is redrawn)."""
        self.article = article
        bits = [b for b in (article.source, article.published or "no date", article.author,
                            article.language) if b]
        sub = " · ".join(html.escape(b) for b in bits)
        title = html.escape(article.title or "(untitled)")
        self.header.setText(f"<h2 style='margin-bottom:2px'>{title}</h2>"
                            f"<span style='color:gray'>{sub}</span>")

    def show_article(self, article: Article, annotations: Sequence[Annotation | SpanRow],
                     annotators: Iterable[str] | None = None) -> None:
        """Show `article` with `annotations`, which are those of `annotators` (None:
        everyone's); changes to other annotators' tags are then not drawn."""
        self.set_article_details(article)
        self.annotators = frozenset(annotators) if annotators is not None else None
        index: BlockIndex[Layer] = BlockIndex(article.text)
        self.actor_colours = self._colours_for(annotations)
        colours, kinds = self.actor_colours, self.kind_colours
        index.set_spans((a.uid, a.start, a.end, layer_of(a, colours, kinds)) for a in annotations)
        self.legend.refresh(self.actor_colours)
        release_later(self.text.index)  # the previous article's index: freed after the paint
        self.text.index = index
        # The text goes in with no index (the highlighter's pass over every block is then
        # a no-op); the blocks on screen are highlighted before the first paint and the
        # rest in small chunks while the event loop is idle, or as they scroll into view.
        self.highlighter.set_dark(is_dark(self))
        self.highlighter.set_index(None)
        self._pending = set()
        self.text.marks.set_spans([])  # the previous article's; this one's come later
        self.text.marks.dark = self.highlighter.dark
        self._align_by_direction(article.text)
        with self.highlighter.unplugged():
            self.text.setPlainText(article.text)
        self.highlighter.set_index(index)
        self._pending = index.blocks_with_spans()
        self._set_extra([], [])
        self.text.moveCursor(QTextCursor.MoveOperation.Start)
        self.highlight_visible()
        if self._pending:
            self._idle.start()

    def _align_by_direction(self, text: str) -> None:
        # QPlainTextEdit aligns every paragraph to one side whatever its direction, so an
        # Arabic or Hebrew paragraph sat on the left with a ragged right edge. Justified,
        # each paragraph fills the column and its last line goes to the side its own
        # direction starts from. Only articles with right-to-left text are justified:
        # the others keep their look and layout cost.
        option = self.text.document().defaultTextOption()
        rtl = RTL_CHARS.search(text) is not None
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        option.setAlignment(Qt.AlignmentFlag.AlignJustify if rtl else Qt.AlignmentFlag.AlignLeft)
        self.text.document().setDefaultTextOption(option)

    def _colours_for(self, annotations: Sequence[Annotation | SpanRow]) -> ActorColours:
        # tints handed out over the whole article: actors mentioned close together differ
        self._mentions = {a.uid: (a.start, a.end, a.actor_uid or "") for a in annotations
                          if a.kind == "actor"}
        return self._assign()

    def _assign(self) -> ActorColours:
        colours = ActorColours(self.chosen_colours)
        colours.assign(self._mentions.values())
        return colours

    def set_chosen_colours(self, chosen: dict[str, str]) -> None:
        """Actor uid -> the colour the user set for it (the register's): the open
        article's actor mentions are redrawn where their colour changed."""
        if chosen == self.chosen_colours:
            return
        self.chosen_colours = dict(chosen)
        index = self.text.index
        if index is None:
            return
        self.actor_colours = self._assign()
        blocks: set[int] = set()
        for uid, (_start, _end, actor) in self._mentions.items():
            span = index.span(uid)
            if span is not None:
                layer = ("actor", self.actor_colours.colour(actor))
                if span[2] != layer:
                    blocks |= index.set_span(uid, span[0], span[1], layer)
        self.legend.refresh(self.actor_colours)
        self._pending.difference_update(blocks)
        self.highlighter.rehighlight_blocks(blocks)

    def replace_annotations(self, annotations: Sequence[Annotation | SpanRow]) -> None:
        """All spans of the open article, after a first screen shown with only some."""
        index = self.text.index
        if index is None:
            return
        self.actor_colours = self._colours_for(annotations)
        colours, kinds = self.actor_colours, self.kind_colours
        index.replace_spans((a.uid, a.start, a.end, layer_of(a, colours, kinds))
                            for a in annotations)
        self.legend.refresh(self.actor_colours)
        self._pending = set(range(index.block_count))  # old spans may be gone anywhere
        self.highlight_visible()
        self._idle.start()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # The desktop switched between light and dark: the tints' strength follows, the
        # blocks on screen at once and the rest while idle (as when an article opens).
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.text.index is not None:
            dark = is_dark(self)
            if dark != self.highlighter.dark:
                self.highlighter.set_dark(dark)
                self.text.marks.dark = dark
                self._pending = self.text.index.blocks_with_spans()
                self.highlight_visible()
                if self._pending:
                    self._idle.start()

    def highlight_visible(self) -> None:
        """Highlight the pending blocks now on screen."""
        if not self._pending:
            return
        edit = self.text
        block = edit.firstVisibleBlock()
        offset = edit.contentOffset()
        bottom = edit.viewport().height()
        todo = []
        while block.isValid():
            if edit.blockBoundingGeometry(block).translated(offset).top() > bottom:
                break
            n = block.blockNumber()
            if n in self._pending:
                todo.append(n)
            block = block.next()
        if todo:
            self._pending.difference_update(todo)
            self.highlighter.rehighlight_blocks(todo)

    def _highlight_chunk(self) -> None:
        if not self._pending:
            return
        self.highlight_visible()
        chunk = sorted(self._pending)[:HIGHLIGHT_CHUNK]
        self._pending.difference_update(chunk)
        self.highlighter.rehighlight_blocks(chunk)
        if self._pending:
            self._idle.start()

    def finish_highlighting(self) -> None:
        """Highlight every pending block now (tests, screenshots)."""
        self._idle.stop()
        pending, self._pending = self._pending, set()
        self.highlighter.rehighlight_blocks(pending)

    # ----------------------------------------------------------------- edits
    def store_changed(self, change: Change, _initiator: object = None) -> None:
        """Redraw the blocks of the annotations a change names in this article."""
        if change.entity != "annotation" or self.article is None:
            return
        uid = self.article.uid
        for a in change.removed:
            if a.article_uid == uid:
                self.apply_annotation(None, a.uid)
        for a in change.annotations:
            if a.article_uid == uid:
                shown = self.annotators is None or a.annotator_uid in self.annotators
                self.apply_annotation(a if shown else None, a.uid)

    def apply_annotation(self, a: Annotation | None, uid: str) -> None:
        """Show an added/changed annotation (a) or hide a removed one (a is None)."""
        index = self.text.index
        if index is None:
            return
        if a is None or a.deleted_at is not None:
            blocks = index.remove(uid)
            self._mentions.pop(uid, None)
        else:
            layer = layer_of(a, self.actor_colours, self.kind_colours)
            blocks = index.set_span(a.uid, a.start, a.end, layer)
            if a.kind == "actor":
                self._mentions[a.uid] = (a.start, a.end, a.actor_uid or "")
                self.legend.refresh(self.actor_colours)
            else:
                self._mentions.pop(a.uid, None)
        self._pending.difference_update(blocks)
        self.highlighter.repaint_blocks(blocks, self.text)

    # ------------------------------------------------------------- selection
    def selection_span(self) -> tuple[int, int] | None:
        """The selection in code points, snapped to words; None if nothing usable."""
        index = self.text.index
        cursor = self.text.textCursor()
        if index is None or not cursor.hasSelection():
            return None
        start = index.offsets.to_codepoint(cursor.selectionStart())
        end = index.offsets.to_codepoint(cursor.selectionEnd())
        start, end = snap_span(index.text, start, end)
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int) -> None:
        index = self.text.index
        if index is None:
            return
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(index.offsets.to_utf16(start))
        cursor.setPosition(index.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)

    def _cursor(self, start: int, end: int) -> QTextCursor:
        index = self.text.index
        assert index is not None  # callers check that an article is open
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(index.offsets.to_utf16(start))
        cursor.setPosition(index.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def flash(self, start: int, end: int, scroll: bool = True) -> None:
        """Outline a span briefly (a transient ExtraSelection), scrolling to it unless
        it was just clicked (then the view stays where the reader is)."""
        if self.text.index is None:
            return
        sel = QTextEdit.ExtraSelection()
        sel.cursor = self._cursor(start, end)
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(255, 215, 0, 170))
        fmt.setForeground(QColor("black"))
        sel.format = fmt
        self._set_extra([sel], self._finds)
        if scroll:
            show = QTextCursor(sel.cursor)
            show.setPosition(sel.cursor.selectionStart())
            self.text.setTextCursor(show)
            self.text.centerCursor()
        self._flash_timer.start()

    def _end_flash(self) -> None:
        self._set_extra([], self._finds)

    def mark_matches(self, needle: str, origin: int | None = None) -> int:
        """Mark every hit of `needle` (case-insensitive) and select the first one that
        starts at or after `origin` (a UTF-16 position; default the selection's start),
        wrapping round. Typing a longer needle keeps the same hit growing, and the
        selection is always the whole hit (it used to stay at a shorter earlier match
        when the longer one began before the cursor). (Not `find`: that would hide
        QWidget.find.)"""
        self._finds = []
        if not needle or self.text.index is None:
            self._set_extra(self._flash, [])
            return 0
        doc = self.text.document()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(255, 255, 0, 150))
        fmt.setForeground(QColor("black"))
        cursor = doc.find(needle, 0)
        while not cursor.isNull() and len(self._finds) < 2000:
            sel = QTextEdit.ExtraSelection()
            sel.cursor = cursor
            sel.format = fmt
            self._finds.append(sel)
            cursor = doc.find(needle, cursor)
        self._set_extra(self._flash, self._finds)
        if self._finds:
            start = self.text.textCursor().selectionStart() if origin is None else origin
            self._select_match(start, inclusive=True)
        return len(self._finds)

    def next_match(self) -> bool:
        """Select the hit after the selected one (wrapping round); False without hits."""
        if not self._finds:
            return False
        self._select_match(self.text.textCursor().selectionStart(), inclusive=False)
        return True

    def _select_match(self, pos: int, inclusive: bool) -> None:
        starts = [s.cursor.selectionStart() for s in self._finds]
        i = (bisect.bisect_left if inclusive else bisect.bisect_right)(starts, pos)
        hit = QTextCursor(self._finds[i % len(self._finds)].cursor)
        self.text.setTextCursor(hit)
        self.text.ensureCursorVisible()

    def _set_extra(self, flash: list[QTextEdit.ExtraSelection],
                   finds: list[QTextEdit.ExtraSelection]) -> None:
        self._flash = flash
        self._finds = finds
        self.text.setExtraSelections(finds + flash)
