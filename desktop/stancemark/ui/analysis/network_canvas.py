"""Drawing a discourse network natively: a QGraphicsView with one item that paints it all.

A few thousand nodes and tens of thousands of edges as separate QGraphicsItems cost
seconds to build and each repaint walks them all. Here edges are batched into one
QPainterPath per colour and width class, nodes are painted in one loop, and hit tests
(hover, click) use a grid of node places and a scan of the shown edges. Labels are
drawn at a fixed screen size for the nodes with room for them (the biggest first), so
they stay readable at every zoom; zooming in shows more of them.

Colours are Okabe–Ito (core/palette.py): edges by polarity (support bluish green,
oppose vermillion, mixed orange, neutral grey; congruence green, conflict vermillion),
nodes by kind (topics a blue rounded square, actors a circle tinted by actor kind).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QToolTip, QWidget

SCALE = 500.0  # layout [-1, 1] -> scene units
LABELS_MAX = 300  # labels drawn at most (the biggest nodes that have room)
LABEL_TRIES = 300  # nodes tried for a label per paint
AA_EDGES = 800  # more edges than this are drawn without antialiasing (7x faster)
EDGE_COLOURS = {"support": "#009E73", "oppose": "#D55E00", "mixed": "#E69F00",
                "neutral": "#999999", "congruence": "#009E73", "conflict": "#D55E00"}
KIND_COLOURS = {"topic": "#0072B2", "person": "#CC79A7", "state": "#56B4E9",
                "government": "#56B4E9", "organisation": "#F0E442", "group": "#E69F00",
                "other": "#BBBBBB"}
KIND_NAMES = {"topic": "topic", "person": "person", "state": "state or government",
              "organisation": "organisation", "group": "group", "other": "other actor"}


@dataclass
class DrawnNode:
    key: tuple[str, int]
    x: float
    y: float
    radius: float
    colour: str
    label: str
    topic: bool


@dataclass
class DrawnEdge:
    index: int  # into the network's edges
    a: int  # into the drawn nodes
    b: int
    width: float
    colour: str


class NetworkItem(QGraphicsItem):
    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[DrawnNode] = []
        self.edges: list[DrawnEdge] = []
        self._paths: list[tuple[QPen, QPainterPath]] = []
        self._rect = QRectF(-SCALE * 1.1, -SCALE * 1.1, SCALE * 2.2, SCALE * 2.2)
        self.label_colour = QColor("black")
        self.halo = QColor("white")
        self.selected: set[tuple[str, int]] = set()
        # device pixels from the top where no label may go (the legend strip is there)
        self.reserved_top = 0.0
        self.drawn_labels: list[tuple[str, QRectF]] = []  # the last paint's, in pixels
        self.setCacheMode(QGraphicsItem.CacheMode.NoCache)

    def set_data(self, nodes: list[DrawnNode], edges: list[DrawnEdge]) -> None:
        self.prepareGeometryChange()
        self.nodes, self.edges = nodes, edges
        groups: dict[tuple[str, float], QPainterPath] = defaultdict(QPainterPath)
        for e in edges:
            a, b = nodes[e.a], nodes[e.b]
            path = groups[(e.colour, e.width)]
            path.moveTo(a.x, a.y)
            path.lineTo(b.x, b.y)
        self._paths = []
        back = self.halo
        for (colour, width), path in sorted(groups.items(), key=lambda kv: kv[0][1]):
            # Opaque colours, mixed with the background by hand: Qt blends translucent
            # lines about ten times slower (3,000 edges: 330 ms instead of 30)
            c = QColor(colour)
            c = QColor(int(c.red() * 0.65 + back.red() * 0.35),
                       int(c.green() * 0.65 + back.green() * 0.35),
                       int(c.blue() * 0.65 + back.blue() * 0.35))
            pen = QPen(c, width)
            pen.setCosmetic(True)  # the same width at every zoom
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            self._paths.append((pen, path))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        # Antialiased lines cost several times plain ones: dense pictures draw them plain
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(self.edges) <= AA_EDGES)
        for pen, path in self._paths:
            painter.setPen(pen)
            painter.drawPath(path)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        scale = painter.worldTransform().m11() or 1.0
        outline = QPen(self.label_colour, 1.0)
        outline.setCosmetic(True)
        strong = QPen(QColor("#FFD700"), 3.0)
        strong.setCosmetic(True)
        for n in self.nodes:
            painter.setBrush(QBrush(QColor(n.colour)))
            painter.setPen(strong if n.key in self.selected else outline)
            r = max(n.radius, 2.5 / scale)  # never smaller than a few pixels
            if n.topic:
                painter.drawRoundedRect(QRectF(n.x - r, n.y - r, 2 * r, 2 * r), r / 3, r / 3)
            else:
                painter.drawEllipse(QPointF(n.x, n.y), r, r)
        self._paint_labels(painter, scale)

    def _paint_labels(self, painter: QPainter, scale: float) -> None:
        """Labels at a fixed pixel size, biggest nodes first, none over another."""
        font = QFont(painter.font())
        font.setPointSizeF(9.0)
        metrics = QFontMetricsF(font)
        device = painter.worldTransform()
        view = QRectF(painter.viewport())
        taken: dict[tuple[int, int], list[QRectF]] = {}  # label boxes by 80x20 px cell

        def cells(box: QRectF) -> list[tuple[int, int]]:
            return [(cx, cy) for cx in range(int(box.left() // 80), int(box.right() // 80) + 1)
                    for cy in range(int(box.top() // 20), int(box.bottom() // 20) + 1)]

        def free(box: QRectF) -> bool:
            if box.top() < self.reserved_top:
                return False
            return not any(box.intersects(t) for c in cells(box) for t in taken.get(c, ()))
        painter.save()
        painter.resetTransform()
        painter.setFont(font)
        halo_pen = QPen(self.halo, 3)
        shown = 0
        self.drawn_labels = []
        for n in self.nodes:  # labels go around the nodes (of some size), not over them
            r = n.radius * scale
            if r < 4:
                continue
            p = device.map(QPointF(n.x, n.y))
            if view.isEmpty() or view.contains(p):
                circle = QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r)
                for c in cells(circle):
                    taken.setdefault(c, []).append(circle)
        # the biggest nodes in view first (zoomed in, smaller ones get their turn); past
        # LABEL_TRIES candidates the rest would not fit anyway
        in_view = [(n, device.map(QPointF(n.x, n.y))) for n in self.nodes]
        if not view.isEmpty():
            in_view = [(n, p) for n, p in in_view if view.contains(p)]
        in_view.sort(key=lambda np: (-np[0].radius, np[0].label))
        for n, p in in_view[:LABEL_TRIES]:
            if shown >= LABELS_MAX:
                break
            w = metrics.horizontalAdvance(n.label)
            r = max(n.radius * scale, 2.5)
            h = metrics.height()
            # below, above, right, left of the node: the first place that is free
            box = next((b for b in (QRectF(p.x() - w / 2, p.y() + r + 1, w, h),
                                    QRectF(p.x() - w / 2, p.y() - r - 1 - h, w, h),
                                    QRectF(p.x() + r + 3, p.y() - h / 2, w, h),
                                    QRectF(p.x() - r - 3 - w, p.y() - h / 2, w, h))
                        if free(b)), None)
            if box is None:
                continue
            padded = box.adjusted(-3, -1, 3, 1)
            for c in cells(padded):  # every cell it covers, so any later box meets it
                taken.setdefault(c, []).append(padded)
            shown += 1
            self.drawn_labels.append((n.label, box))
            base = QPointF(box.left(), box.top() + metrics.ascent())
            outline = QPainterPath()
            outline.addText(base, font, n.label)
            painter.strokePath(outline, halo_pen)
            painter.setPen(self.label_colour)
            painter.drawText(base, n.label)
        painter.restore()


def _legend_items(kind: str) -> list[tuple[str, str, str]]:
    edges = (("support", "oppose", "mixed", "neutral") if kind == "two-mode"
             else ("congruence", "conflict"))
    items: list[tuple[str, str, str]] = [("topic", KIND_COLOURS["topic"], "square")]
    items += [(KIND_NAMES[k], KIND_COLOURS[k], "circle")
              for k in ("person", "state", "organisation", "group", "other")]
    return items + [(e, EDGE_COLOURS[e], "line") for e in edges]


def _legend_places(m: QFontMetricsF, width: float, kind: str
                   ) -> tuple[list[tuple[float, float, str, str, str]], float]:
    line_h = m.height() + 4
    places, x, y = [], 0.0, 0.0
    for label, colour, shape in _legend_items(kind):
        w = 24 + m.horizontalAdvance(label) + 10
        if x and x + w > width - 16:
            x, y = 0.0, y + line_h
        places.append((x, y, label, colour, shape))
        x += w
    return places, y + line_h + 4


def _legend_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(8.0)
    return font


def legend_height(width: float, base: QFont, kind: str = "two-mode") -> float:
    return _legend_places(QFontMetricsF(_legend_font(base)), width, kind)[1]


def draw_legend(painter: QPainter, at: QPointF, width: float, text: QColor, back: QColor,
                kind: str) -> float:
    """A one- or two-line legend strip from `at`, wrapped to `width`; returns its height."""
    font = _legend_font(painter.font())
    painter.setFont(font)
    m = QFontMetricsF(font)
    places, height = _legend_places(m, width, kind)
    used = max(p[0] for p in places) + 24 + max(m.horizontalAdvance(p[2]) for p in places)
    bg = QColor(back)
    bg.setAlpha(215)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(bg)
    painter.drawRoundedRect(QRectF(at.x(), at.y(), min(width, used + 16), height), 4, 4)
    for px, py, label, colour, shape in places:
        left, cy = at.x() + 6 + px, at.y() + 2 + py + m.height() / 2
        painter.setPen(QPen(text, 0.8))
        painter.setBrush(QColor(colour))
        if shape == "square":
            painter.drawRoundedRect(QRectF(left + 2, cy - 5, 10, 10), 3, 3)
        elif shape == "circle":
            painter.drawEllipse(QPointF(left + 7, cy), 5, 5)
        else:
            painter.setPen(QPen(QColor(colour), 3))
            painter.drawLine(QPointF(left, cy), QPointF(left + 16, cy))
        painter.setPen(text)
        painter.drawText(QPointF(left + 20, at.y() + 2 + py + m.ascent()), label)
    return height


class NetworkCanvas(QGraphicsView):
    """Emits node_clicked(key), edge_clicked(edge index), background_clicked()."""

    node_clicked = Signal(object)
    edge_clicked = Signal(int)
    background_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("network_canvas")
        self.scene_ = QGraphicsScene(self)
        self.item = NetworkItem()
        self.scene_.addItem(self.item)
        self.setScene(self.scene_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setMouseTracking(True)
        self._grid: dict[tuple[int, int], list[int]] = {}
        self._cell = 20.0
        self._press: QPointF | None = None
        self.legend_kind = "two-mode"
        # hover texts, made when hovered: (node key -> text, edge index -> text)
        self.tips: tuple[Callable[[tuple[str, int]], str], Callable[[int], str]] = (
            lambda _k: "", lambda _i: "")
        self._moved = False  # the user zoomed or dragged: keep their view on resizes
        self.apply_palette()

    def apply_palette(self) -> None:
        pal = self.palette()
        self.item.label_colour = pal.color(QPalette.ColorRole.Text)
        self.item.halo = pal.color(QPalette.ColorRole.Base)
        self.setBackgroundBrush(pal.color(QPalette.ColorRole.Base))

    # ------------------------------------------------------------------- data
    def show_network(self, nodes: list[DrawnNode], edges: list[DrawnEdge],
                     fit: bool = False) -> None:
        self.item.set_data(nodes, edges)
        self._grid = defaultdict(list)
        for i, n in enumerate(nodes):
            self._grid[(int(n.x // self._cell), int(n.y // self._cell))].append(i)
        if fit:
            self._moved = False
            self.fit()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        if not self._moved:
            self.fit()

    def fit(self) -> None:
        """Show every node, with room around for the labels."""
        nodes = self.item.nodes
        if not nodes:
            return
        xs, ys = [n.x for n in nodes], [n.y for n in nodes]
        rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        pad = max(rect.width(), rect.height(), 50.0) * 0.12
        rect = rect.adjusted(-pad, -pad, pad, pad)
        self.setSceneRect(QRectF())  # back to the items' bounds before measuring
        target = self.fitted_area(rect)
        # The view centres a scene smaller than itself and so would undo the room left
        # for the legend: the scene rectangle takes in the whole area shown.
        self.setSceneRect(target.united(self.scene_.itemsBoundingRect()))
        self.fitInView(target, Qt.AspectRatioMode.IgnoreAspectRatio)
        self.centerOn(target.center())

    def fitted_area(self, rect: QRectF) -> QRectF:
        """The scene area to show so that `rect` fills the viewport below the legend strip
        (wrapped to two lines in a narrow pane) and never runs under it; the area has the
        viewport's proportions, so showing it scales both ways alike."""
        vw, vh = max(self.viewport().width(), 1), max(self.viewport().height(), 1)
        legend = min(legend_height(vw - 12, self.font(), self.legend_kind) + 10, vh * 0.5)
        below = vh - legend
        s = min(vw / max(rect.width(), 1e-6), below / max(rect.height(), 1e-6))
        w, h = vw / s, vh / s
        top = rect.center().y() - (legend + below / 2) / s
        return QRectF(rect.center().x() - w / 2, top, w, h)

    def legend_bottom(self) -> float:
        """Where the legend strip ends, in viewport pixels (the top of the drawn network)."""
        return 6 + legend_height(self.viewport().width() - 12, self.font(), self.legend_kind)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        super().drawBackground(painter, rect)
        self.item.reserved_top = self.legend_bottom() + 2  # painted next: no label under it

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        """The legend, in the top left corner of the view (and of saved pictures)."""
        painter.save()
        painter.resetTransform()
        draw_legend(painter, QPointF(6, 6), self.viewport().width() - 12,
                    self.item.label_colour, self.item.halo, self.legend_kind)
        painter.restore()

    def set_selected(self, keys: set[tuple[str, int]]) -> None:
        self.item.selected = set(keys)
        self.item.update()

    # ------------------------------------------------------------ hit tests
    def node_at(self, scene: QPointF, slack: float = 4.0) -> int | None:
        s = slack / (self.transform().m11() or 1)
        cx, cy = int(scene.x() // self._cell), int(scene.y() // self._cell)
        best, best_d = None, math.inf
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for i in self._grid.get((cx + dx, cy + dy), ()):
                    n = self.item.nodes[i]
                    d = math.hypot(n.x - scene.x(), n.y - scene.y())
                    if d <= max(n.radius, 2.5 / (self.transform().m11() or 1)) + s and d < best_d:
                        best, best_d = i, d
        return best

    def edge_at(self, scene: QPointF, slack: float = 4.0) -> int | None:
        """The shown edge nearest the point, within a few pixels (a scan: clicks and
        resting hovers only)."""
        tol = slack / (self.transform().m11() or 1)
        px, py = scene.x(), scene.y()
        best, best_d = None, tol
        nodes = self.item.nodes
        for k, e in enumerate(self.item.edges):
            a, b = nodes[e.a], nodes[e.b]
            if not (min(a.x, b.x) - tol <= px <= max(a.x, b.x) + tol
                    and min(a.y, b.y) - tol <= py <= max(a.y, b.y) + tol):
                continue
            vx, vy = b.x - a.x, b.y - a.y
            length2 = vx * vx + vy * vy or 1e-9
            t = max(0.0, min(1.0, ((px - a.x) * vx + (py - a.y) * vy) / length2))
            d = math.hypot(a.x + t * vx - px, a.y + t * vy - py)
            if d < best_d:
                best, best_d = k, d
        return best

    # ------------------------------------------------------------------ mouse
    def mouseMoveEvent(self, event: Any) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        if event.buttons():
            return
        scene = self.mapToScene(event.position().toPoint())
        i = self.node_at(scene)
        if i is not None:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
            QToolTip.showText(event.globalPosition().toPoint(),
                              self.tips[0](self.item.nodes[i].key), self)
            return
        k = self.edge_at(scene) if len(self.item.edges) <= 20_000 else None
        if k is not None:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
            QToolTip.showText(event.globalPosition().toPoint(),
                              self.tips[1](self.item.edges[k].index), self)
        else:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            QToolTip.hideText()

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: Any) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or (event.position() - press).manhattanLength() > 4:
            self._moved = True
            return  # a drag, not a click
        self.click_at(self.mapToScene(event.position().toPoint()))

    def click_at(self, scene: QPointF) -> None:
        i = self.node_at(scene)
        if i is not None:
            self.node_clicked.emit(self.item.nodes[i].key)
            return
        k = self.edge_at(scene)
        if k is not None:
            self.edge_clicked.emit(self.item.edges[k].index)
        else:
            self.background_clicked.emit()

    def wheelEvent(self, event: Any) -> None:  # noqa: N802
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self._moved = True
        self.scale(factor, factor)

    # ----------------------------------------------------------------- saving
    def picture(self, size: QSize | None = None) -> QImage:
        size = size or QSize(1600, 1600)
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(self.backgroundBrush().color())
        painter = QPainter(image)
        self.item.reserved_top = 14 + legend_height(size.width() - 24, painter.font(),
                                                    self.legend_kind)
        self.scene_.render(painter, QRectF(0, 0, size.width(), size.height()),
                           self._content())
        draw_legend(painter, QPointF(12, 12), size.width() - 24, self.item.label_colour,
                    self.item.halo, self.legend_kind)
        painter.end()
        return image

    def _content(self) -> QRectF:
        nodes = self.item.nodes
        if not nodes:
            return self.item.boundingRect()
        xs, ys = [n.x for n in nodes], [n.y for n in nodes]
        side = max(max(xs) - min(xs), max(ys) - min(ys), 50.0) * 1.3
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        return QRectF(cx - side / 2, cy - side * 0.55, side, side)  # the legend goes on top

    def save_png(self, path: Path) -> bool:
        return self.picture().save(str(path))  # the format from the suffix (.png)

    def save_svg(self, path: Path, title: str = "Stancemark network") -> None:
        from PySide6.QtSvg import QSvgGenerator

        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(QSize(1600, 1600))
        gen.setViewBox(QRectF(0, 0, 1600, 1600))
        gen.setTitle(title)
        painter = QPainter(gen)
        painter.fillRect(QRectF(0, 0, 1600, 1600), self.backgroundBrush())
        self.scene_.render(painter, QRectF(0, 0, 1600, 1600), self._content())
        draw_legend(painter, QPointF(12, 12), 1576, self.item.label_colour, self.item.halo,
                    self.legend_kind)
        painter.end()
