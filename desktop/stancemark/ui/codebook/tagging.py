"""Tagging a custom span kind by its codebook key, and the attribute popup.

A kind's key comes from the codebook (SpanKind.key), never from code: the window holds
one action per custom kind with a key, rebuilt when the codebook changes. The popup
shows the kind's attributes with editors built from their types, defaults filled in;
required ones must be given before the tag is saved (one AddAnnotation, one undo step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from stancemark.core.codebook import Codebook, SpanKind
from stancemark.core.commands import AddAnnotation
from stancemark.core.model import Annotation, new_uid
from stancemark.ui.window.tag_popups import _Popup

if TYPE_CHECKING:
    from stancemark.ui.article.article_view import ArticleView
    from stancemark.ui.registers.cache import RegisterCache
    from stancemark.ui.window.session import Session
    from stancemark.ui.window.tagging import Tagger


class KindPopup(_Popup):
    """The attributes of one span kind for a new span; Enter accepts."""

    def __init__(self, book: Codebook, kind: SpanKind, quote: str,
                 cache: RegisterCache | None, parent: QWidget | None = None):
        super().__init__(f"Tag {kind.name}", quote, parent)
        self.book = book
        self.kind = kind
        if kind.description:
            self.form.addRow(help_label(kind.description))
        self.add_attributes(book, kind.uid, cache)
        first = self.attrs.first_widget() if self.attrs is not None else None
        if first is not None:
            first.setFocus()

    def values(self) -> dict[str, Any]:
        return self.attribute_values()


def help_label(text: str) -> QLabel:
    """The codebook's description of a kind or attribute, as help for the coder."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: gray")
    return label


class KindTagger:
    """Custom kinds on the article view: the popup over `parent`, the tag committed
    through the session. The built-in kinds' Tagger keeps the open popup (one at a time)."""

    def __init__(self, session: Session, view: ArticleView, tagger: Tagger,
                 cache: RegisterCache, parent: QWidget):
        self.session = session
        self.view = view
        self.tagger = tagger
        self.cache = cache
        self.parent = parent

    def tag(self, kind_uid: str) -> bool:
        """Open the popup for a custom kind on the current selection; False if nothing to tag."""
        view, session = self.view, self.session
        art = view.article
        span = view.selection_span()
        book = session.repo.codebook()
        kind = book.kind(kind_uid)
        if art is None or span is None or kind is None:
            session.feedback.message("Select some text in the article first.", 4000)
            return False
        start, end = span
        quote = art.text[start:end]
        view.select_span(start, end)
        popup = KindPopup(book, kind, quote, self.cache, self.parent)
        article_uid = art.uid

        def accepted() -> None:
            if view.article is None or view.article.uid != article_uid:
                return
            a = Annotation(new_uid(), article_uid, session.repo.annotator.uid, kind.uid,
                           start, end, quote, attributes=popup.values())
            session.run(AddAnnotation(a), initiator=self)

        popup.accepted.connect(accepted)
        popup.finished.connect(lambda _r: setattr(self.tagger, "popup", None))
        self.tagger.popup = popup
        self.tagger.place(popup)
        popup.open()
        return True


class KindActions:
    """One action per custom kind (its codebook key as the shortcut), placed after the
    built-in kinds' in the Edit menu, the tagging toolbar and the article's context
    menu; rebuilt when the codebook changes."""

    def __init__(self, tagger: KindTagger, owner: QWidget):
        self.tagger = tagger
        self.owner = owner  # the window: its shortcuts work wherever the focus is
        self.actions: dict[str, QAction] = {}
        self.places: list[tuple[QWidget, QAction]] = []  # (menu or toolbar, insert before)
        self.builtin_context: list[QAction] = []

    def place(self, container: QWidget, before: QAction) -> None:
        """Show the kinds' actions in `container` (a menu, a toolbar) before `before`."""
        self.places.append((container, before))
        self.rebuild()

    def rebuild(self) -> None:
        view = self.tagger.view
        if not self.builtin_context:
            self.builtin_context = list(view.text.menu_actions)
        for act in self.actions.values():
            self.owner.removeAction(act)
            for container, _before in self.places:
                container.removeAction(act)
            act.deleteLater()
        self.actions = {}
        # A key the window already uses (J: next annotation) would make both ambiguous, so
        # neither fires: the kind goes without it, and says so.
        taken = {s.toString(): act.text().replace("&", "") for act in self.owner.actions()
                 for s in act.shortcuts()}
        clashes = []
        for kind in self.tagger.session.repo.codebook().custom_kinds():
            act = QAction(f"Tag {kind.name}", self.owner)
            key = QKeySequence(kind.key).toString() if kind.key else ""
            if key in taken:
                clashes.append(f"the key {kind.key} of {kind.name} is {taken[key]}'s")
                act.setToolTip(f"Tag {kind.name} (its key {kind.key} is taken: "
                               "re-key it in Edit ▸ Codebook…)")
            elif key:
                act.setShortcut(QKeySequence(kind.key))
                act.setToolTip(f"Tag {kind.name} ({kind.key})")
            act.setStatusTip(kind.description or f"Tag the selection as {kind.name}")
            act.triggered.connect(lambda _=False, uid=kind.uid: self.tagger.tag(uid))
            self.owner.addAction(act)
            for container, before in self.places:
                container.insertAction(before, act)
            self.actions[kind.uid] = act
        view.text.menu_actions = [*self.builtin_context, *self.actions.values()]
        if clashes:
            self.tagger.session.feedback.message(
                "; ".join(clashes) + ": re-key in Edit ▸ Codebook…", 10000)
