"""The annotation window: article list | article view | inspector, registers and history
docks and the save indicator (actions, menus and toolbar: menus.py).

Every edit goes through the session (ui/window/session.py): the core command is applied
(one committed transaction) BEFORE anything on screen changes; its change record is then
published on the change bus, where each view (list, text, inspector, registers, review)
redraws what it names. The window itself only keeps the status bar and the navigation
in step: it is one subscriber among the others, not a hub that fans changes out.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.changes import UNDO, ChangeBus
from stancemark.core.commands import Command, RestoreAnnotation
from stancemark.core.errors import StancemarkError
from stancemark.core.model import Change
from stancemark.store.annotation_spans import count_spans, span_rows
from stancemark.ui.analysis.install import Discourse, show_annotation
from stancemark.ui.article.article_list import ArticleList
from stancemark.ui.article.article_view import ArticleView
from stancemark.ui.codebook.install import CodebookUi
from stancemark.ui.dialogs.exchange import Exchange
from stancemark.ui.inspector.inspector import Inspector
from stancemark.ui.registers.actor_colour import ActorColourMenus
from stancemark.ui.registers.cache import RegisterCache
from stancemark.ui.registers.panel import RegistersPanel
from stancemark.ui.review.layout import ReviewLayout
from stancemark.ui.review.mode import ReviewMode
from stancemark.ui.window import edit_actions, navigation
from stancemark.ui.window.article_actions import ArticleActions
from stancemark.ui.window.find_bar import FindBar
from stancemark.ui.window.hub_sync import HubSync
from stancemark.ui.window.menus import build_actions, build_menus, fill_history_menu
from stancemark.ui.window.placement import place
from stancemark.ui.window.session import Session
from stancemark.ui.window.shortcuts import shortcuts_html
from stancemark.ui.window.status_labels import StatusFeedback, fix_label_room, set_fixed_text
from stancemark.ui.window.suggestions import Suggestions
from stancemark.ui.window.tagging import Tagger

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

EAGER_SPANS = 3000  # more tags than this: show the first screen first, then the rest
FIRST_SCREEN_CHARS = 12_000  # more than a tall window shows at the top of an article


def window_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Stancemark", "window")


class MainWindow(QMainWindow):
    """The main window.

    Its parts (stable names): repo, session (what helpers get: repo, undo stack, change
    bus, feedback), bus, undo_stack, cache (register names), list, view, inspector,
    registers, review (review mode), exchange (import/export), tagger, codebook (custom
    kinds, attribute panels, the Codebook editor), menus[name] and
    actions_[key]. Entry points: run_command(cmd) (apply, push for undo, publish; False
    and a red status if the store refused it), current_article_uid(), open_article(uid),
    reload_all() (after imports, merges, restored backups; clears the undo stack).
    """

    def __init__(self, repo: Repository, store_path: Path | None = None,
                 settings: QSettings | None = None):
        super().__init__()
        self.repo = repo
        self.store_path = Path(store_path) if store_path else None
        self.settings = settings if settings is not None else window_settings()
        self.undo_stack = QUndoStack(self)
        self.bus = ChangeBus()
        self._build_status()
        self.session = Session(repo, self.store_path, self.undo_stack, self.bus, self.feedback)
        # Subscribers run in this order: the register cache first, so every view after
        # it reads fresh names; the window last, so its counts see the views updated.
        self.cache = RegisterCache(repo, self.bus)
        self.show_all = False
        self.setWindowTitle("Stancemark" + (f" — {self.store_path.name}" if self.store_path else ""))

        self.list = ArticleList(repo, self.bus)
        self.view = ArticleView(bus=self.bus)
        self.view.text.describe = self._describe
        self.inspector = Inspector(repo, self.cache, self.bus)
        self.find_bar = FindBar(self.view, self._selected_text)
        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(0)
        cv.addWidget(self.view, 1)
        cv.addWidget(self.find_bar)
        self.centre = centre
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([430, 700, 400])
        self.setCentralWidget(self.splitter)

        self.registers = RegistersPanel(self.session, self.cache, self._selected_text)
        self.registers_dock = self._dock("Registers", "registers_dock", self.registers,
                                         Qt.DockWidgetArea.BottomDockWidgetArea)
        self.registers_dock.visibilityChanged.connect(self._registers_shown)
        self.history_dock = self._dock("Undo history", "history_dock",
                                       QUndoView(self.undo_stack),
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.history_dock.hide()
        self.registers_dock.hide()

        self._loading: str | None = None
        self._clicked = False  # a selection that came from a click in the text
        self.tagger = Tagger(self.session, self.view, self.inspector.model, self.cache, self)
        self.suggestions = Suggestions(
            self.session, self.view, self.inspector.model, self.cache, self.suggestion_label,
            self, str(self.settings.value("suggestions", "true")).lower() == "true",
            first_screen=FIRST_SCREEN_CHARS)
        self.suggestions.tagger = self.tagger
        self.suggestions.toggle.toggled.connect(
            lambda on: self.settings.setValue("suggestions", on))
        self.tagger.suggested = lambda: self.suggestions.items
        self.statusBar().addWidget(self.suggestions.alias_button)
        self.exchange = Exchange(self.session, self, self.settings)
        self.review = ReviewMode(self.session, self)
        self.review_layout = ReviewLayout(self, self.splitter, self.review, self.settings)
        self.articles = ArticleActions(self.session, self.list, self.current_article_uid, self)
        self.hub_sync = HubSync(self.session, self)
        # View ▸ Discourse: the stance and mention tables, the network, the timeline
        self.discourse = Discourse(self.session, self.cache, self.exchange,
                                   lambda uid: show_annotation(self, uid), self)
        # the codebook: custom kinds' keys and colours, attribute panels, Edit ▸ Codebook…
        self.codebook = CodebookUi(self.session, self.view, self.inspector, self.cache,
                                   self.tagger, self, self._reopen)
        self.statusBar().addPermanentWidget(self.hub_sync.label)
        self.actions_: dict[str, QAction] = {}
        self.menus: dict[str, Any] = {}
        self.history_menu: Any = None  # Edit ▸ Undo history, made by build_menus
        self.help_box: QMessageBox | None = None
        build_actions(self)
        self.view.text.menu_actions = [self.actions_[k] for k in ("tag_actor", "tag_date", "tag_stance")]
        build_menus(self)

        self.list.article_chosen.connect(self.open_article)
        self.list.article_chosen.connect(self.review.article_chosen)
        self.review.active_changed.connect(self._review_toggled)
        self.view.text.annotation_clicked.connect(self._clicked_in_text)
        self.inspector.annotation_selected.connect(self._flash_annotation)
        self.inspector.edit_requested.connect(self.edit_annotation)
        self.inspector.delete_requested.connect(self.delete_annotations)
        self.inspector.restore_requested.connect(self.restore_annotation)
        self.inspector.show_all_changed.connect(self._set_show_all)
        self.inspector.editor.span_button.clicked.connect(self.set_span_to_selection)
        self.inspector.model.locate = navigation.paragraph_of(self.view)  # the "At" column
        # an actor's colour: from the legend and the inspector; the view follows the register
        self.actor_colours = ActorColourMenus(self.session, self.cache, self.view, self)
        self.view.legend.actor_menu_requested.connect(self.actor_colours.popup)
        self.inspector.actor_menu = self.actor_colours.menu
        self.bus.subscribe(self.store_changed)

        self.list.reload()
        self._update_counts()

    # ------------------------------------------------------------------ setup
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _registers_shown(self, shown: bool) -> None:
        if shown:
            self._fit_registers_dock()

    def _fit_registers_dock(self) -> None:
        """The Registers dock opens at under a third of the window's height (it took half,
        squeezing the article); a user who makes it taller keeps that until it is closed."""
        dock = self.registers_dock
        if dock.isFloating() or dock.height() <= self.height() * 0.34:
            return
        self.resizeDocks([dock], [max(170, int(self.height() * 0.28))], Qt.Orientation.Vertical)

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.annotator_label = QLabel()
        self.suggestion_label = QLabel()  # "suggestion 3 of 41: Beijing → China (actor)"
        sb.addPermanentWidget(self.suggestion_label)
        self.store_label = QLabel()
        self.counts_label = QLabel()
        self.saved_label = QLabel()
        for w in (self.annotator_label, self.counts_label, self.store_label, self.saved_label):
            sb.addPermanentWidget(w)
        # fixed room for changing numbers, so updates do not re-lay out the status bar
        fix_label_room(self.counts_label, "000,000 articles · 00000 tag(s) here")
        fix_label_room(self.suggestion_label, "suggestion 000 of 000: Washington → United States (actor)")
        self.feedback = StatusFeedback(sb, self.saved_label)
        self.annotator_label.setText(f"✎ {self.repo.annotator.name}")
        if self.store_path:
            self.store_label.setText(self.store_path.name)
            self.store_label.setToolTip(str(self.store_path))

    # ---------------------------------------------------------------- hooks
    def current_article_uid(self) -> str | None:
        return self.view.article.uid if self.view.article else None

    def _shown_annotators(self) -> list[str] | None:
        return None if self.show_all else [self.repo.annotator.uid]

    def open_article(self, uid: str) -> bool:
        art = self.repo.get_article(uid)
        if art is None or art.deleted_at is not None:
            return False
        # first: a long article's suggestions are computed by a worker while it opens
        self.suggestions.article_opening(art)
        shown = self._shown_annotators()
        # A heavily tagged article is shown in two steps: its first screen with the tags
        # starting there, painted at once; then (next turn of the event loop) all tags.
        split = count_spans(self.repo, uid, shown) > EAGER_SPANS
        anns = span_rows(self.repo, uid, shown, before=FIRST_SCREEN_CHARS if split else None)
        self.view.show_article(art, anns, shown)
        self.inspector.set_annotations(anns, self.repo.annotator.uid, uid, shown)
        self._loading = uid if split else None
        # computed after the first paint (a long article's first screen before the rest
        # of its tags is loaded, so asked first)
        self.suggestions.article_opened(uid)
        if split:
            QTimer.singleShot(0, self._finish_open)
        self.inspector.refresh_trash()
        self.list.select_uid(uid, emit=False)
        self.settings.setValue("last_article", uid)
        self.find_bar.refind()
        self._update_counts()
        self.codebook.article_opened(uid)  # the attribute panel and article variables
        return True

    def _reopen(self) -> None:
        """Show the open article again (the codebook's colours or names changed)."""
        current = self.current_article_uid()
        if current:
            self.open_article(current)

    def _finish_open(self) -> None:
        uid, self._loading = self._loading, None
        if uid is None or uid != self.current_article_uid():
            return
        shown = self._shown_annotators()
        anns = span_rows(self.repo, uid, shown)
        self.view.replace_annotations(anns)
        self.inspector.set_annotations(anns, self.repo.annotator.uid, uid, shown)
        self._update_counts()

    def reload_all(self, keep_undo: bool = False) -> None:
        """After imports, merges and restores: everything may have changed underneath.
        The undo history is cleared (its commands may no longer apply), except after an
        import (`keep_undo`), which only adds rows."""
        self.session.reload(keep_undo=keep_undo)

    def open_first(self) -> None:
        uid = self.list.model.uid_at(0)
        if uid:
            self.open_article(uid)
        else:
            self.view.show_empty("No articles yet", "Use File ▸ Import… to add text, Markdown "
                                 "or JSONL files, or run `stancemark seed` for the samples.")
            self.suggestions.article_opened("")
            self.inspector.set_annotations([], self.repo.annotator.uid)
            self.codebook.article_opened(None)

    def restore_last(self) -> None:
        last = self.settings.value("last_article")
        if not (last and self.open_article(str(last))):
            self.open_first()

    # ---------------------------------------------------------------- edits
    def run_command(self, cmd: Command) -> bool:
        """Apply (commit) a core command, then push it for undo and show it."""
        return self.session.run(cmd, initiator=self)

    def store_changed(self, change: Change, initiator: object = None) -> None:
        """The window's own part of a change (the views redrew theirs already): counts in
        the status bar, and keeping what is on screen in step."""
        current = self.current_article_uid()
        if change.action == "reload":
            if current is None or not self.open_article(current):
                self.open_first()
        elif change.action in ("merge", "unmerge") and current in change.article_uids:
            self.open_article(current)  # an actor merge moved tags of this article
        elif change.entity == "article" and current in change.uids:
            if change.action == "delete":  # the open article went to the trash: the next
                nxt = self.list.current_uid()  # (the list kept the row where it was)
                if not (nxt and self.open_article(nxt)):
                    self.open_first()
            elif change.action == "update":
                art = self.repo.get_article(current)
                if art is not None:
                    self.view.set_article_details(art)
        elif initiator == UNDO and change.article_uids and current not in change.article_uids:
            # Undoing an edit made in another article: go there, to see what changed.
            if self.open_article(change.article_uids[0]) and change.spans:
                self.view.flash(*change.spans[0])
        self._update_counts()

    def _set_status(self, article_uid: str, status: str) -> bool:
        try:
            self.repo.set_status(article_uid, status)
        except StancemarkError as exc:
            self.report_saved(str(exc))
            return False
        self.report_saved(None)
        self.session.publish(Change("status", "status", (article_uid,), (article_uid,),
                                    statuses=((article_uid, self.repo.annotator.uid, status),)),
                             initiator=self)
        return True

    def edit_annotation(self, uid: str, changes: dict[str, Any]) -> bool:
        return edit_actions.edit_annotation(self.session, uid, dict(changes))

    def delete_annotations(self, uids: list[str]) -> None:
        edit_actions.delete_annotations(self.session, uids)

    def restore_annotation(self, uid: str) -> bool:
        return self.run_command(RestoreAnnotation(uid))

    def set_span_to_selection(self) -> bool:
        return edit_actions.set_span_to_selection(self.session, self.view, self.inspector.editor)

    def report_saved(self, error: str | None) -> None:
        self.feedback.saved(error)

    def _update_counts(self) -> None:
        n = len(self.inspector.model.items)
        set_fixed_text(self.counts_label, f"{self.list.model.total:,} articles · {n} tag(s) here")

    # ----------------------------------------------------------- navigation
    def step_article(self, step: int) -> bool:
        row = self.list.model.row_of(self.current_article_uid() or "")
        row = -1 if row is None else row
        uid = self.list.model.uid_at(row + step) if row + step >= 0 else None
        if not uid:
            return False
        return self.open_article(uid)

    def mark_done_and_next(self) -> None:
        current = self.current_article_uid()
        if current is None or not self._set_status(current, "done"):
            return
        model = self.list.model
        start = model.row_of(current)
        start = -1 if start is None else start
        row = start + 1
        while True:
            uid = model.uid_at(row)
            if uid is None:
                break
            if model.rows[row].status != "done":
                self.open_article(uid)
                return
            row += 1
        for row in range(0, max(start, 0)):  # wrap round to the top
            if model.rows[row].status != "done":
                self.open_article(model.rows[row].uid)
                return
        self.feedback.message("Every article in the list is done.")

    def _set_show_all(self, on: bool) -> None:
        self.show_all = on
        current = self.current_article_uid()
        if current:
            self.open_article(current)

    def _focus_search(self) -> None:
        self.list.search.setFocus()
        self.list.search.selectAll()

    # ----------------------------------------------------------- find, help
    def show_find(self) -> None:
        self.find_bar.open_bar()

    def hide_find(self) -> None:
        self.find_bar.close_bar()

    def find_next(self) -> None:
        self.find_bar.find_next()

    def show_help(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", shortcuts_html(),
                          QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        self.help_box = box
        box.open()

    def _fill_history_menu(self) -> None:
        fill_history_menu(self)

    # ---------------------------------------------------------------- misc
    def _review_toggled(self, on: bool) -> None:
        # In review mode the review text replaces the article view and the inspector
        # (the list stays, to choose articles); both come back when the mode ends.
        self.centre.setVisible(not on)
        self.inspector.setVisible(not on)
        if not on:
            self.review_layout.leave()
        if on:
            self.review.show_article(self.current_article_uid())
            self.review_layout.enter()

    def _selected_text(self) -> str:
        span = self.view.selection_span()
        art = self.view.article
        return art.text[span[0]:span[1]] if span and art else ""

    def _describe(self, uid: str) -> str:
        a = self.inspector.model.get(uid) or self.repo.get_annotation(uid)
        if a is None:
            return ""
        return f"<b>{self.repo.codebook().name(a.kind)}</b>: {self.cache.summary(a)}"

    def _clicked_in_text(self, uid: str) -> None:
        self._clicked = True
        try:
            self.inspector.select(uid)
        finally:
            self._clicked = False

    def _flash_annotation(self, uid: str) -> None:
        a = self.inspector.model.get(uid)
        if a is not None:
            self.view.flash(a.start, a.end, scroll=not self._clicked)

    def restore_state(self) -> None:
        s = self.settings
        geometry = s.value("geometry")
        # within the available screen: a saved geometry only where it still fits
        place(self, geometry if isinstance(geometry, QByteArray) else None)
        state = s.value("state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        split = s.value("splitter")
        if isinstance(split, QByteArray) and not split.isEmpty():
            self.splitter.restoreState(split)
        else:  # first run: the text gets most of the width
            w = self.width()
            self.splitter.setSizes([int(w * 0.27), int(w * 0.46), int(w * 0.27)])

    def save_state(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("state", self.saveState())
        s.setValue("splitter", self.splitter.saveState())
        if self.current_article_uid():
            s.setValue("last_article", self.current_article_uid())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.suggestions.stop()  # nothing computed for a window that is gone
        self.save_state()
        super().closeEvent(event)

