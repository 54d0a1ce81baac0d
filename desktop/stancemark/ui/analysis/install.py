"""The main window's Discourse part: View ▸ Discourse… (Ctrl+Shift+D) opens the Discourse
window (ui/analysis/window.py) on the session, subscribed to the change bus, with the
narrow context it needs (DiscourseContext), never the main window itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # the Discourse window's modules load when it first opens, not at start-up
    from stancemark.ui.analysis.window import DiscourseContext, DiscourseWindow
    from stancemark.ui.dialogs.exchange import Exchange
    from stancemark.ui.registers.cache import RegisterCache
    from stancemark.ui.window.main_window import MainWindow
    from stancemark.ui.window.session import Session


class Discourse:
    def __init__(self, session: Session, cache: RegisterCache, exchange: Exchange,
                 show_annotation: Callable[[str], bool], parent: QWidget):
        self.session = session
        self.cache = cache
        self.exchange = exchange
        self.show_annotation = show_annotation
        self.parent = parent
        self.shown: DiscourseWindow | None = None

    def context(self) -> DiscourseContext:
        from stancemark.store.stance_query import stance_attributes
        from stancemark.ui.analysis.window import DiscourseContext

        session, exchange = self.session, self.exchange
        return DiscourseContext(
            repo=session.repo, cache=self.cache, undo_stack=session.undo_stack,
            run_command=lambda cmd: session.run(cmd, initiator=self),
            show_annotation=self.show_annotation,
            export=lambda fmt, out, scope, options: exchange.export((fmt, out, scope, options)),
            status=lambda message: session.feedback.message(message, 8000),
            attributes=lambda: stance_attributes(session.repo))  # from the codebook

    def open(self) -> DiscourseWindow:
        if self.shown is None:
            from stancemark.ui.analysis.window import DiscourseWindow

            self.shown = DiscourseWindow(self.context(), self.parent)
            self.shown.resize(1280, 800)
            self.session.bus.subscribe(self.shown.on_change)
        self.shown.show()
        self.shown.raise_()
        self.shown.activateWindow()
        return self.shown


def show_annotation(window: MainWindow, uid: str) -> bool:
    """Open an annotation's article in the main window with its span selected."""
    a = window.repo.get_annotation(uid)
    if a is None or a.deleted_at is not None:
        window.feedback.message("That annotation is no longer in the store.", 5000)
        return False
    if a.annotator_uid != window.repo.annotator.uid and not window.show_all:
        window.inspector.show_all.setChecked(True)  # another annotator's: show theirs too
    if window.current_article_uid() != a.article_uid and not window.open_article(a.article_uid):
        return False
    if window._loading:
        window._finish_open()  # a long article: its tags past the first screen too
    window.inspector.select(uid)
    window.view.select_span(a.start, a.end)
    window.view.text.centerCursor()
    window.raise_()
    window.activateWindow()
    return True


def open_discourse(window: MainWindow) -> DiscourseWindow:
    """View ▸ Discourse… (tests and the screenshot script)."""
    discourse: Discourse = window.discourse
    return discourse.open()
