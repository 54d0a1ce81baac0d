"""Persistent annotation highlights: a QSyntaxHighlighter over core.segments.BlockIndex.

Each block looks up its own disjoint segments (computed in core), so a paint costs
what is visible, and an edit re-highlights only the blocks its span touches.
Layers: actor mentions and dates (italic) as backgrounds (actors tinted per actor), stances
as underlines coloured by polarity. Where backgrounds overlap, their colours mix
and the text turns bold, so nothing hides another annotation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from PySide6.QtCore import SIGNAL, SLOT, QObject, QRect
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit

from stancemark.core.model import Annotation
from stancemark.core.palette import KIND_COLOURS, POLARITY_COLOURS, ActorColours
from stancemark.core.segments import BlockIndex
from stancemark.store.annotation_spans import SpanRow

# A span's drawing layer: (kind, colour).
Layer = tuple[str, str]


def layer_of(a: Annotation | SpanRow, actors: ActorColours,
             kinds: Mapping[str, str] | None = None) -> Layer:
    """The drawing layer of an annotation: (kind, colour); actors' tints from `actors`
    (the open article's, so neighbours differ), custom kinds' colours from the codebook
    (`kinds`: kind uid -> colour), drawn as backgrounds like actors and dates."""
    if kinds and a.kind in kinds:
        return (a.kind, kinds[a.kind])
    if a.kind == "actor":
        return ("actor", actors.colour(a.actor_uid or ""))
    if a.kind == "stance":
        return ("stance", POLARITY_COLOURS.get(a.polarity or "neutral", KIND_COLOURS["stance"]))
    return ("date", KIND_COLOURS["date"])


POLARITY_STYLES = {
    POLARITY_COLOURS["support"]: QTextCharFormat.UnderlineStyle.SingleUnderline,
    POLARITY_COLOURS["oppose"]: QTextCharFormat.UnderlineStyle.DashUnderline,
    POLARITY_COLOURS["neutral"]: QTextCharFormat.UnderlineStyle.DotLine,
}


class AnnotationHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, dark: bool = False):
        self.index: BlockIndex[Layer] | None = None
        self._formats: dict[tuple[Layer, ...], QTextCharFormat] = {}
        self._alpha = 110 if dark else 80
        self.dark = dark
        super().__init__(document)

    @contextmanager
    def unplugged(self) -> Iterator[None]:
        """The document's changes meanwhile do not reach highlightBlock (a new text goes
        in without a Python call per block: 4,000 blocks cost 10 ms of opening a 1 MB
        article); rehighlightBlock still works, and the view highlights what it shows.
        QSyntaxHighlighter hears the document through its slot _q_reformatBlocks; if a
        Qt ever names it otherwise, nothing is unplugged and the calls stay no-ops."""
        doc = self.document()
        change, slot = SIGNAL("contentsChange(int,int,int)"), SLOT("_q_reformatBlocks(int,int,int)")
        off = doc is not None and QObject.disconnect(doc, change, self, slot)
        try:
            yield
        finally:
            if off:
                QObject.connect(doc, change, self, slot)

    def set_index(self, index: BlockIndex[Layer] | None) -> None:
        self.index = index
        self._formats.clear()

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self._alpha = 110 if dark else 80
        self._formats.clear()

    def rehighlight_blocks(self, blocks: Iterable[int]) -> None:
        doc = self.document()
        for b in sorted(set(blocks)):
            block = doc.findBlockByNumber(b)
            if block.isValid():
                self.rehighlightBlock(block)

    def repaint_blocks(self, blocks: Iterable[int], edit: QPlainTextEdit) -> None:
        """Re-highlight `blocks` of `edit`'s document repainting only them (a tag, an edit,
        an undo: a block or two). QSyntaxHighlighter marks a block's whole length as
        removed and added again, which Qt's plain-text layout reads as a change reaching
        into the next block: it drops both layouts and repaints the whole viewport, every
        visible line and suggestion outline of a long article, on every tag. Here the
        layout's signals are held meanwhile; the block is laid out again at once and only
        its own rectangle repainted, unless its height changed (a bold overlap re-wrapping
        a line) or it was not laid out (a block not yet shown, or one a change just
        before dropped): then the whole viewport, as Qt would."""
        doc = self.document()
        layout = doc.documentLayout()
        viewport = edit.viewport()
        rects: list[QRect] = []
        whole = False
        for b in sorted(set(blocks)):
            block = doc.findBlockByNumber(b)
            if not block.isValid():
                continue
            laid = block.layout().lineCount() > 0
            height = layout.blockBoundingRect(block).height() if laid else -1.0
            held = layout.blockSignals(True)
            try:
                self.rehighlightBlock(block)
            finally:
                layout.blockSignals(held)
            # laid out again now, with its new formats (Qt's layout says if the
            # document's size changed, signals no longer held)
            if not laid or layout.blockBoundingRect(block).height() != height:
                whole = True
                continue
            top = edit.blockBoundingGeometry(block).translated(edit.contentOffset())
            rects.append(QRect(0, int(top.top()) - 1, viewport.width(), int(top.height()) + 3))
        if whole:
            viewport.update()
            return
        for rect in rects:
            viewport.update(rect)

    def _format(self, layers: tuple[Layer, ...]) -> QTextCharFormat:
        fmt = self._formats.get(layers)
        if fmt is not None:
            return fmt
        fmt = QTextCharFormat()
        backgrounds = [QColor(c) for kind, c in layers if kind != "stance"]
        stances = [(kind, c) for kind, c in layers if kind == "stance"]
        if any(kind == "date" for kind, _ in layers):
            # Dates share the background layer with actors; italic (a cue that needs no
            # colour vision) and a colour no actor is given keep them apart. No overline:
            # Qt draws it at the top of the line box, right under the line above, where
            # it read as that line's stance underline.
            fmt.setFontItalic(True)
        if backgrounds:
            r = sum(c.red() for c in backgrounds) // len(backgrounds)
            g = sum(c.green() for c in backgrounds) // len(backgrounds)
            b = sum(c.blue() for c in backgrounds) // len(backgrounds)
            fmt.setBackground(QColor(r, g, b, self._alpha))
            if len(backgrounds) > 1:
                fmt.setFontWeight(700)
        if stances:
            # polarity shows in the line's style as well as its colour (colour-blind safe):
            # support solid, oppose dashed, neutral dotted; two stances overlapping: wavy
            _kind, colour = stances[-1]
            style = POLARITY_STYLES.get(colour, QTextCharFormat.UnderlineStyle.SingleUnderline)
            if len(stances) > 1:
                style = QTextCharFormat.UnderlineStyle.WaveUnderline
            fmt.setUnderlineStyle(style)
            fmt.setUnderlineColor(QColor(colour))
        self._formats[layers] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        index = self.index
        if index is None:
            return
        segments = index.segments(self.currentBlock().blockNumber())
        if not segments:
            return
        fmt = self._format
        set_format = self.setFormat
        for start, length, layers in segments:
            set_format(start, length, fmt(layers))
