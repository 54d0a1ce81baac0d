"""The network pane: DNA's options, a date window to step through, the drawing, and the
way out (picture, GraphML/GEXF/edge list of exactly what is shown).

The stances come from the discourse window (DiscourseData: the table's filter, loaded
once as columns); this pane counts them (core.network), places the nodes once per
filter (core.network_layout: stepping through windows or switching network kinds
moves nothing) and draws the strongest edges. A click on a node or an edge asks the
table to show the stances behind it.
"""

from __future__ import annotations

import math
from operator import add
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.network import (
    DUPLICATES,
    KINDS,
    ONE_MODE_NORMALISATIONS,
    OPEN_END,
    TWO_MODE_NORMALISATIONS,
    Network,
    NetworkOptions,
    build_network,
    degrees,
    strongest,
)
from stancemark.core.network_layout import layout, place_new
from stancemark.core.periods import UNITS, iso, period_label, period_start, windows
from stancemark.core.stance_filter import StanceFilter
from stancemark.ui.analysis.network_canvas import (
    EDGE_COLOURS,
    KIND_COLOURS,
    KIND_NAMES,
    SCALE,
    DrawnEdge,
    DrawnNode,
    NetworkCanvas,
)
from stancemark.ui.widgets.free_memory import give_back_freed_memory

MAX_EDGES = 3_000  # drawn by default (the strongest); the spin box changes it
# Leaving a network this large gives its memory back to the system (a whole corpus's
# congruence network has over a million edges; its actor x topic network ~40,000).
LARGE_EDGES = 250_000

HELP = """<p><b>Network options</b> (the Discourse Network Analyzer's names in brackets).</p>
<ul>
<li><b>Actor × topic</b> [two-mode network, qualifier aggregation “combine”]: an edge per
actor and topic; green when all its stances support, vermillion when all oppose, orange
when mixed, grey when neutral only.</li>
<li><b>Congruence</b> [one-mode, “congruence”]: actors linked by taking the same polarity on
the same topic; weight = sum over topics and polarities of the product of their counts.</li>
<li><b>Conflict</b> [one-mode, “conflict”]: actors linked by opposite polarities on a topic.</li>
<li><b>Subtract</b> [one-mode, “subtract”]: congruence minus conflict (green above zero,
vermillion below).</li>
<li><b>Normalisation</b> [normalization]: one-mode none [no], average [average activity],
Jaccard, cosine; two-mode none, activity, prominence.</li>
<li><b>Count the same stance</b> [duplicates]: every time [include all duplicates], once per
article [ignore per document], per week, month or year [ignore per calendar week, month,
year].</li>
<li><b>Time window</b> [time window]: networks of a moving window of N weeks, months or
years, one period apart; step with the slider or ◀ ▶.</li>
</ul>
<p>Neutral stances take no part in one-mode networks; stances aimed at actors in no
actor × topic network. Click a node or an edge to list its stances in the table; hover
for details; drag to move, wheel to zoom.</p>"""


class NetworkPanel(QWidget):
    """Emits `selected(StanceFilter, label)` when a node or edge is clicked, and
    `cleared()` on a click in the empty background."""

    selected = Signal(object, str)
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data: Any = None  # DiscourseData
        self.net: Network | None = None
        self.shown: list[int] = []
        self.positions: dict[tuple[str, int], tuple[float, float]] = {}
        self.spans: list[tuple[int, int]] = []
        self.range_days: tuple[int, int] = (0, OPEN_END)
        self._degrees: dict[tuple[str, int], int] = {}
        self.canvas = NetworkCanvas()
        self.canvas.tips = (self.node_tip, self.edge_tip)
        self.kind = QComboBox()
        self.kind.setObjectName("network_kind")
        for key, label in (("two-mode", "Actor × topic"), ("congruence", "Congruence"),
                           ("conflict", "Conflict"), ("subtract", "Subtract")):
            self.kind.addItem(label, key)
            self.kind.setItemData(self.kind.count() - 1, f"DNA: {KINDS[key]}",
                                  Qt.ItemDataRole.ToolTipRole)
        self.norm = QComboBox()
        self.norm.setObjectName("network_normalisation")
        self.dups = QComboBox()
        self.dups.setObjectName("network_duplicates")
        for key, label in (("all", "every time"), ("article", "once per article"),
                           ("week", "once per week"), ("month", "once per month"),
                           ("year", "once per year")):
            self.dups.addItem(label, key)
            self.dups.setItemData(self.dups.count() - 1, f"DNA: {DUPLICATES[key]}",
                                  Qt.ItemDataRole.ToolTipRole)
        self.unit = QComboBox()
        self.unit.setObjectName("network_window")
        self.unit.addItem("whole range", "")
        for u in UNITS:
            self.unit.addItem(f"{u}s", u)
        self.window_size = QSpinBox(minimum=1, maximum=120, value=1)
        self.window_size.setToolTip("Periods per window")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("network_step")
        self.prev, self.next = QToolButton(), QToolButton()
        self.prev.setText("◀")
        self.next.setText("▶")
        self.period = QLabel()
        self.max_edges = QSpinBox(minimum=10, maximum=1_000_000, value=MAX_EDGES,
                                  singleStep=500)
        self.max_edges.setToolTip("Draw at most this many edges (the strongest)")
        self.status = QLabel()
        self.status.setObjectName("network_status")
        self.status.setWordWrap(True)
        help_button = QToolButton()
        help_button.setText("?")
        help_button.setToolTip("What the options mean (with DNA's names)")
        help_button.clicked.connect(lambda: QMessageBox.information(self, "Network options", HELP))
        fit = QPushButton("Fit")
        fit.clicked.connect(self.canvas.fit)
        save = QPushButton("Save picture…")
        save.clicked.connect(lambda: self.save_picture())
        export = QPushButton("Export shown…")
        export.setToolTip("GraphML, GEXF or an edge-list CSV of exactly what is drawn")
        export.clicked.connect(lambda: self.export_shown())

        row1 = QHBoxLayout()
        for label, w in (("Network", self.kind), ("Normalise", self.norm),
                         ("Count", self.dups)):
            row1.addWidget(QLabel(label))
            row1.addWidget(w)
        row1.addStretch(1)
        row1.addWidget(help_button)
        row2 = QHBoxLayout()
        row2.addWidget(QLabel("Window"))
        row2.addWidget(self.unit)
        row2.addWidget(self.window_size)
        row2.addWidget(self.prev)
        row2.addWidget(self.slider, 1)
        row2.addWidget(self.next)
        row2.addWidget(self.period)
        row3 = QHBoxLayout()
        row3.addWidget(QLabel("Edges"))
        row3.addWidget(self.max_edges)
        row3.addStretch(1)
        for b in (fit, save, export):
            row3.addWidget(b)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addLayout(row1)
        box.addLayout(row2)
        box.addWidget(self.canvas, 1)
        box.addWidget(self.status)
        box.addLayout(row3)

        self._fill_norms()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for w in (self.norm, self.dups):
            w.currentIndexChanged.connect(lambda *_: self.redraw())
        self.unit.currentIndexChanged.connect(lambda *_: self._windows_changed())
        self.window_size.valueChanged.connect(lambda *_: self._windows_changed())
        self.slider.valueChanged.connect(lambda *_: self.redraw())
        self.prev.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        self.max_edges.editingFinished.connect(self.redraw)
        self.canvas.node_clicked.connect(self._node_clicked)
        self.canvas.edge_clicked.connect(self._edge_clicked)
        self.canvas.background_clicked.connect(self._background)

    # ---------------------------------------------------------------- options
    def options(self) -> NetworkOptions:
        return NetworkOptions(self.kind.currentData(), self.norm.currentData() or "none",
                              self.dups.currentData() or "all")

    def set_options(self, kind: str = "", normalisation: str = "", duplicates: str = "",
                    unit: str | None = None, size: int | None = None) -> None:
        """Set options as a user would (tests, the screenshot script)."""
        if kind:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        if normalisation:
            self.norm.setCurrentIndex(self.norm.findData(normalisation))
        if duplicates:
            self.dups.setCurrentIndex(self.dups.findData(duplicates))
        if size is not None:
            self.window_size.setValue(size)
        if unit is not None:
            self.unit.setCurrentIndex(self.unit.findData(unit))

    def _fill_norms(self) -> None:
        two = self.kind.currentData() == "two-mode"
        current = self.norm.currentData()
        table = TWO_MODE_NORMALISATIONS if two else ONE_MODE_NORMALISATIONS
        self.norm.blockSignals(True)
        self.norm.clear()
        for key, dna in table.items():
            self.norm.addItem(key, key)
            self.norm.setItemData(self.norm.count() - 1, f"DNA: {dna}",
                                  Qt.ItemDataRole.ToolTipRole)
        self.norm.setCurrentIndex(max(self.norm.findData(current), 0))
        self.norm.blockSignals(False)

    def _kind_changed(self) -> None:
        self._fill_norms()
        self.redraw()

    # ------------------------------------------------------------------- data
    def set_data(self, data: Any, range_days: tuple[int, int] = (0, OPEN_END)) -> None:
        """New stances (a filter change): place the nodes again and draw."""
        self.data = data
        self.range_days = range_days
        self.positions = {}
        self._windows_changed(draw=False)
        self.redraw(fit=True)

    def set_range(self, range_days: tuple[int, int]) -> None:
        """A date range from the timeline (the same stances, fewer days)."""
        self.range_days = range_days
        self._windows_changed()

    def _windows_changed(self, draw: bool = True) -> None:
        unit = self.unit.currentData()
        spans: list[tuple[int, int]] = []
        if unit and self.data is not None:
            first, last = self.data.statements.first_last()
            lo, hi = max(first, self.range_days[0]), min(last, self.range_days[1])
            spans = windows(lo, hi, unit, self.window_size.value()) if first and lo <= hi else []
        self.spans = spans
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(len(spans) - 1, 0))
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        for w in (self.slider, self.prev, self.next, self.window_size):
            w.setEnabled(bool(unit))
        if draw:
            self.redraw()

    def step(self, delta: int) -> None:
        self.slider.setValue(max(0, min(self.slider.maximum(), self.slider.value() + delta)))

    def current_days(self) -> tuple[int, int]:
        if self.spans:
            return self.spans[min(self.slider.value(), len(self.spans) - 1)]
        return self.range_days

    def _ensure_layout(self, net: Network, days: tuple[int, int]) -> None:
        """Place the nodes once per set of stances, from its actor x topic network over
        the whole range (`net` itself when it is that network)."""
        if self.positions or self.data is None:
            return
        whole = net if (net.kind == "two-mode" and days == self.range_days
                        and self.dups.currentData() == "all") else build_network(
            self.data.statements, NetworkOptions("two-mode"), *self.range_days)
        e = whole.edges
        weights = dict(zip(zip(e.a, e.b, strict=True),
                           map(add, map(add, e.n1, e.n2), e.n3), strict=True))
        extra = sorted(set(self.data.statements.holder) - set(e.a))
        gap = 3.0 * node_radius(len(whole.nodes)) / SCALE  # room for a label between nodes
        self.positions = layout(weights, extra, gap=gap)

    # ------------------------------------------------------------------ draw
    def redraw(self, fit: bool = False) -> None:
        if self.data is None:
            return
        lo, hi = self.current_days()
        left = len(self.net.edges) if self.net is not None else 0
        self.net = net = build_network(self.data.statements, self.options(), lo, hi)
        self._ensure_layout(net, (lo, hi))
        self.shown, passed = strongest(net, self.max_edges.value())
        deg = degrees(net)
        top = max(deg.values(), default=1)
        names = self.data.names
        count = len(net.nodes)
        rmax = node_radius(count)
        index: dict[tuple[str, int], int] = {}
        nodes: list[DrawnNode] = []
        for key in net.nodes:
            if key not in self.positions:
                self.positions[key] = place_new(self.positions, key, [])
            x, y = self.positions[key]
            uid, name, kind, country, _ = names.get(key, ("", "?", "other", "", ""))
            d = deg.get(key, 0)
            radius = rmax * (0.3 + 0.7 * math.sqrt(d / top)) if top else rmax * 0.3
            colour = KIND_COLOURS["topic"] if key[0] == "topic" else KIND_COLOURS.get(
                kind, KIND_COLOURS["other"])
            index[key] = len(nodes)
            nodes.append(DrawnNode(key, x * SCALE, y * SCALE, radius, colour, name,
                                   key[0] == "topic"))
        heavy = max((abs(net.edges.weight[i]) for i in self.shown), default=1) or 1
        edges = []
        for i in self.shown:
            e = net.edges[i]
            width = round((0.6 + 3.4 * abs(e.weight) / heavy) * 2) / 2
            edges.append(DrawnEdge(i, index[e.source], index[e.target], width,
                                   EDGE_COLOURS.get(e.polarity, "#999999")))
        self._degrees = deg
        self.canvas.legend_kind = net.kind
        self.canvas.show_network(nodes, edges, fit=fit)
        self._status(net, passed, lo, hi)
        if left >= LARGE_EDGES:
            give_back_freed_memory()  # the large network just dropped (ui/widgets/free_memory.py)

    def node_tip(self, key: tuple[str, int]) -> str:
        """The hover text of a node (made when hovered, not for every node drawn)."""
        if self.net is None:
            return ""
        _, name, kind, country, _ = self.data.names.get(key, ("", "?", "other", "", ""))
        what = KIND_NAMES.get("topic" if key[0] == "topic" else kind, kind)
        stances, d = self.net.nodes.get(key, 0), self._degrees.get(key, 0)
        return (f"<b>{_esc(name)}</b><br>{what}{' · ' + _esc(country) if country else ''}"
                f"<br>{stances:,} stance(s) here · {d:,} link(s)")

    def edge_tip(self, index: int) -> str:
        return self._edge_tip(self.net, self.net.edges[index]) if self.net else ""

    def _edge_tip(self, net: Network, e: Any) -> str:
        names = self.data.names
        a, b = names[e.source][1], names[e.target][1]
        w = f"{e.weight:g}" if net.normalisation == "none" else f"{e.weight:.3f}"
        if net.kind == "two-mode":
            return (f"<b>{_esc(a)}</b> — <b>{_esc(b)}</b><br>{e.polarity}, weight {w}<br>"
                    f"support {e.support} · oppose {e.oppose} · neutral {e.neutral}")
        return (f"<b>{_esc(a)}</b> — <b>{_esc(b)}</b><br>{net.kind} weight {w}"
                f" ({net.normalisation})<br>congruence {e.congruence} · conflict {e.conflict}")

    def _status(self, net: Network, passed: int, lo: int, hi: int) -> None:
        span = ""
        if self.spans:
            unit = self.unit.currentData()
            end = period_label(period_start(hi, unit), unit)
            span = period_label(lo, unit) + ("" if end == period_label(lo, unit) else f" – {end}")
            self.period.setText(f"{self.slider.value() + 1}/{len(self.spans)}: {span}")
        else:
            self.period.setText("")
        shown = len(self.shown)
        edges = f"{len(net.edges):,} edges" + (f" (the {shown:,} strongest drawn)"
                                               if shown < passed else "")
        left = f"; {net.left_out:,} left out ({'aimed at actors or neutral' if net.kind != 'two-mode' else 'aimed at actors'})" \
            if net.left_out else ""
        self.status.setText(f"{len(net.nodes):,} nodes · {edges} · {net.statements:,} "
                            f"stances counted{left}" + (f" · {span}" if span else ""))

    # ----------------------------------------------------------------- clicks
    def _uid(self, key: tuple[str, int]) -> str:
        return self.data.names[key][0]

    def _window_filter(self) -> StanceFilter:
        if not self.spans:
            return StanceFilter()
        lo, hi = self.current_days()
        return StanceFilter(date_from=iso(lo), date_to=iso(hi))

    def _node_clicked(self, key: tuple[str, int]) -> None:
        name = self.data.names[key][1]
        f = self._window_filter()
        f = f.with_(holder_uids=(self._uid(key),)) if key[0] == "actor" else \
            f.with_(topic_uids=(self._uid(key),))
        self.canvas.set_selected({key})
        self.selected.emit(f, f"{'holder' if key[0] == 'actor' else 'topic'}: {name}")

    def _edge_clicked(self, index: int) -> None:
        net = self.net
        if net is None:
            return
        e = net.edges[index]
        topics = net.topics_between(e.source, e.target)
        holders = (e.source,) if net.kind == "two-mode" else (e.source, e.target)
        f = self._window_filter().with_(
            holder_uids=tuple(self._uid(h) for h in holders),
            topic_uids=tuple(self._uid(("topic", t)) for t in topics))
        names = self.data.names
        label = " — ".join(names[k][1] for k in (e.source, e.target))
        self.canvas.set_selected({e.source, e.target})
        self.selected.emit(f, f"{net.kind} edge: {label}")

    def _background(self) -> None:
        self.canvas.set_selected(set())
        self.cleared.emit()

    # ---------------------------------------------------------------- output
    def save_picture(self, path: Path | None = None) -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Save the network picture",
                                                  "network.png", "PNG (*.png);;SVG (*.svg)")
            if not name:
                return None
            path = Path(name)
        if path.suffix.lower() == ".svg":
            self.canvas.save_svg(path)
        elif not self.canvas.save_png(path):
            QMessageBox.warning(self, "Save picture", f"Could not write {path}")
            return None
        return path

    def export_shown(self, path: Path | None = None, fmt: str | None = None) -> Path | None:
        """GraphML, GEXF or an edge-list CSV of exactly the nodes and edges drawn."""
        if self.net is None:
            return None
        if path is None:
            name, chosen = QFileDialog.getSaveFileName(
                self, "Export the network as shown", "network.graphml",
                "GraphML (*.graphml);;GEXF (*.gexf);;Edge list CSV (*.csv)")
            if not name:
                return None
            path = Path(name)
        fmt = fmt or {".gexf": "gexf", ".csv": "network-csv"}.get(path.suffix.lower(), "graphml")
        from stancemark.formats.stance_network import network_graph, write_graph

        edges = [self.net.edges[i] for i in self.shown]
        g = network_graph(self.net, self.data.names, edges, self.net.nodes)
        try:
            write_graph(g, path, fmt)
        except OSError as exc:
            QMessageBox.warning(self, "Export", f"{path}: {exc.strerror or exc}")
            return None
        return path


def node_radius(count: int) -> float:
    """The radius (scene units) of the best-linked node of a network of `count` nodes."""
    return max(6.0, min(40.0, 1.1 * SCALE / math.sqrt(count + 1)))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
