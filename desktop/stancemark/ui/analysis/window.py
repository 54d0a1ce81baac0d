"""The Discourse window (View ▸ Discourse, Ctrl+Shift+D): the stance table, the actor
mention table, the network and the timeline, one filter between them.

How the views share the filter. The stance table's fields give the filter; a click in
the network (a node, an edge) or the timeline (a period) adds a constraint to it, shown
as a chip above the table. The table shows everything; the network ignores its own
node and edge constraints (it highlights them instead of collapsing to them) and the
timeline its own period (it highlights the bar). So the stances are loaded as columns
once per typed filter (DiscourseData), and the network and timeline narrow them in
memory.

The views follow the store through the main window's change records: a tag added,
edited, undone or trashed re-reads that article's stances into the columns, recounts
the table and redraws network and timeline, a moment after the edit (the edit's own
repaint comes first). Register edits re-read names; imports and merges everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget, QWidget

from stancemark.core.codebook import Attribute
from stancemark.core.model import Change
from stancemark.core.network import OPEN_END, Statements
from stancemark.core.periods import day_range, iso
from stancemark.core.stance_filter import StanceFilter
from stancemark.store import stance_query as q
from stancemark.ui.analysis.network_panel import NetworkPanel
from stancemark.ui.analysis.stance_table import DiscourseTable
from stancemark.ui.analysis.timeline_panel import TimelinePanel

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QUndoStack

    from stancemark.core.commands import Command
    from stancemark.formats.common import Scope
    from stancemark.store.repository import Repository
    from stancemark.ui.dialogs.exchange import JobRunner
    from stancemark.ui.registers.cache import RegisterCache

FOLLOW_DELAY_MS = 120  # after a change record: let the edit's own repaint go first


@dataclass
class DiscourseContext:
    """What the discourse views need from the rest of the app, and nothing more."""

    repo: Repository
    cache: RegisterCache
    undo_stack: QUndoStack
    run_command: Callable[[Command], bool]
    show_annotation: Callable[[str], bool]  # open its article with the span selected
    # (format, out, scope, options) -> the background job, or None
    export: Callable[[str, Path, Scope, dict[str, Any]], JobRunner | None]
    status: Callable[[str], None] = lambda _m: None
    # the codebook's attributes of stances: the table's attribute columns and edits
    attributes: Callable[[], tuple[Attribute, ...]] = field(default=lambda: ())


@dataclass
class DiscourseData:
    """The stances of the typed filter as columns, and every node's names."""

    filter: StanceFilter
    statements: Statements
    names: dict[tuple[str, int], tuple[str, str, str, str, str]]

    @classmethod
    def load(cls, repo: Repository, f: StanceFilter) -> DiscourseData:
        return cls(f, q.statements(repo, f, detail=False), q.node_names(repo))

    def keys_of(self, kind: str, uids: tuple[str, ...] | None) -> set[int] | None:
        if uids is None:
            return None
        wanted = set(uids)
        return {k[1] for k, v in self.names.items() if k[0] == kind and v[0] in wanted}


def _typed(f: StanceFilter, extra: StanceFilter) -> StanceFilter:
    """The filter without what the network and the timeline added."""
    return f.with_(holder_uids=None, topic_uids=None,
                   date_from="" if f.date_from == extra.date_from else f.date_from,
                   date_to="" if f.date_to == extra.date_to else f.date_to)


class DiscourseWindow(QMainWindow):
    def __init__(self, ctx: DiscourseContext, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("discourse_window")
        self.setWindowTitle("Stancemark — Discourse")
        self.ctx = ctx
        self.data: DiscourseData | None = None
        self.stances = DiscourseTable(ctx, "stance")
        self.mentions = DiscourseTable(ctx, "actor")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.stances, "Stances")
        self.tabs.addTab(self.mentions, "Actor mentions")
        self.setCentralWidget(self.tabs)
        self.network = NetworkPanel()
        self.timeline = TimelinePanel()
        self.network_dock = self._dock("Network", "network_dock", self.network,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.timeline_dock = self._dock("Timeline", "timeline_dock", self.timeline,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.resizeDocks([self.network_dock], [620], Qt.Orientation.Horizontal)
        self.resizeDocks([self.timeline_dock], [220], Qt.Orientation.Vertical)
        undo = ctx.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = ctx.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for act in (undo, redo):
            self.addAction(act)
        edit = self.menuBar().addMenu("&Edit")
        edit.addAction(undo)
        edit.addAction(redo)
        view = self.menuBar().addMenu("&View")
        view.addAction(self.network_dock.toggleViewAction())
        view.addAction(self.timeline_dock.toggleViewAction())

        self._pending: dict[str, set[str]] = {"articles": set(), "uids": set()}
        self._full = False
        self._follow = QTimer(self, singleShot=True, interval=FOLLOW_DELAY_MS)
        self._follow.timeout.connect(self._catch_up)
        # The network and timeline read their stances on the next turn of the event
        # loop: the table's rows (one page) are on screen first.
        self._views_timer = QTimer(self, singleShot=True, interval=0)
        self._views_timer.timeout.connect(self._load_views)
        self.stances.filter_changed.connect(self._stance_filter)
        self.network.selected.connect(self._network_selected)
        self.network.cleared.connect(lambda: self._set_chips(holder_uids=None, topic_uids=None))
        self.timeline.period.connect(self._period)
        self._views_timer.start()

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # ---------------------------------------------------------------- filters
    def _stance_filter(self, f: StanceFilter) -> None:
        self._views_timer.start()

    def _load_views(self) -> None:
        f = self.stances.current_filter()
        extra = self.stances.filters.extra()
        typed = _typed(f, extra)
        if self.data is None or self.data.filter != typed:
            self.network.status.setText("Reading the stances…")
            self.network.status.repaint()
            self.data = DiscourseData.load(self.ctx.repo, typed)
            self.network.set_data(self.data, self._chip_days(extra))
        self.timeline.set_data(self.data, self.data.keys_of("actor", extra.holder_uids),
                               self.data.keys_of("topic", extra.topic_uids))

    @staticmethod
    def _chip_days(extra: StanceFilter) -> tuple[int, int]:
        if not (extra.date_from or extra.date_to):
            return (0, OPEN_END)
        return day_range(extra.date_from, extra.date_to)

    def _set_chips(self, **changes: Any) -> None:
        extra = self.stances.filters.extra().with_(**changes)
        parts = []
        if extra.holder_uids or extra.topic_uids:
            parts.append(self._node_label)
        if extra.date_from or extra.date_to:
            parts.append(f"period: {extra.date_from} – {extra.date_to}")
        self.stances.filters.set_extra(extra, "From the network and timeline: "
                                       + "; ".join(p for p in parts if p))

    _node_label = ""

    def _network_selected(self, f: StanceFilter, label: str) -> None:
        self._node_label = label
        self._set_chips(holder_uids=f.holder_uids, topic_uids=f.topic_uids)
        self.tabs.setCurrentWidget(self.stances)

    def _period(self, first: int, last: int) -> None:
        if not first:
            self._set_chips(date_from="", date_to="")
            self.network.set_range((0, OPEN_END))
            return
        self._set_chips(date_from=iso(first), date_to=iso(last))
        self.network.set_range((first, last))

    # ---------------------------------------------------------------- changes
    def on_change(self, change: Change, initiator: object = None) -> None:
        """A committed change (or its undo), from the change bus: catch up a moment later,
        once."""
        if change.entity == "annotation":
            self._pending["articles"].update(change.article_uids)
            self._pending["uids"].update(change.uids)
        elif change.entity in ("actor", "topic", "register", "store", "codebook"):
            # names, merged actors, an import, attributes: read everything again
            self._full = True
        else:
            return
        self._follow.start()

    def reload(self) -> None:
        """Everything may have changed (an import, a merge, a restored backup)."""
        self._full = True
        self._catch_up()

    def _catch_up(self) -> None:
        self._follow.stop()
        articles, uids = self._pending["articles"], self._pending["uids"]
        self._pending = {"articles": set(), "uids": set()}
        if self._full:
            self._full = False
            self.data = None  # (the register cache, subscribed first, is fresh already)
            for table in (self.stances, self.mentions):
                table.model.forget_rows()
                table.reload()
            return
        ids = list(q.ids_of_uids(self.ctx.repo, uids).values())
        for table in (self.stances, self.mentions):
            table.refresh(ids)
        if self._views_timer.isActive():
            return  # the views read everything anew in a moment
        if self.data is not None and articles:
            st = self.data.statements
            art_ids = q.article_ids(self.ctx.repo, articles)
            st.remove_articles(art_ids)
            st.add(q.statements(self.ctx.repo, self.data.filter, articles=art_ids,
                                detail=False).rows())
            self.data.names = q.node_names(self.ctx.repo)  # a tag can create a topic
            self.network.redraw()
            self.timeline.redraw()
