"""From a selection to a committed annotation: A / D / S open their popup with sensible
defaults, and accepting runs an AddAnnotation command through the session.

Defaults: an actor whose alias matches the selected text; a date normalised relative to
the article's published date (never the clock: an undated article says so and leaves
relative dates empty), a weekday in future tense ahead of it; for a stance, the holder
from core.suggest.default_holder over the actor mentions, tags and suggestions alike (the
nearest in the sentence; for a pronoun or role subject, "he", "the minister", the nearest
person before it), the target the topic most often paired with that holder in the store
(core.suggest.default_target), the date the nearest date mention in the sentence (else
the article's date).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

from stancemark.core.commands import AddAnnotation, _short
from stancemark.core.dates import is_future, is_iso_value, needs_reference, normalise_date
from stancemark.core.model import Annotation, new_uid
from stancemark.core.register_commands import AddActor, AddTopic
from stancemark.core.suggest import Suggestion, default_holder, default_target
from stancemark.core.text import POSSESSIVES, sentence_bounds
from stancemark.store import register_edits
from stancemark.store.suggestion_store import stance_topic_counts
from stancemark.ui.window.tag_popups import ActorPopup, DatePopup, StancePopup

if TYPE_CHECKING:
    from stancemark.store.annotation_spans import SpanRow
    from stancemark.ui.article.article_view import ArticleView
    from stancemark.ui.codebook.tagging import KindPopup
    from stancemark.ui.registers.cache import RegisterCache
    from stancemark.ui.window.session import Session


Popup = ActorPopup | DatePopup | StancePopup


class ShownAnnotations(Protocol):
    """The annotations listed for the open article (the inspector's model): where a
    stance looks for its holder and date."""

    items: list[SpanRow]

    def get(self, uid: str) -> Annotation | None: ...


def nearest(items: list[SpanRow], start: int, end: int) -> SpanRow | None:
    """The annotation closest to [start, end) (overlap counts as distance 0)."""
    def distance(a: SpanRow) -> int:
        return max(0, a.start - end, start - a.end)
    return min(items, key=lambda a: (distance(a), a.start), default=None)


class Tagger:
    """A / D / S on the article view. Popups open over `parent`."""

    def __init__(self, session: Session, view: ArticleView, shown: ShownAnnotations,
                 cache: RegisterCache, parent: QWidget):
        self.session = session
        self.view = view
        self.shown = shown
        self.cache = cache
        self.parent = parent
        # the open popup, one at a time: a built-in kind's or a custom kind's (ui.codebook)
        self.popup: Popup | KindPopup | None = None
        # the open article's suggestions (the window's Suggestions), for a stance's holder
        self.suggested: Callable[[], Sequence[Suggestion]] = list

    def tag(self, kind: str) -> bool:
        """Open the popup for `kind` on the current selection. False if nothing to tag."""
        view, repo = self.view, self.session.repo
        art = view.article
        span = view.selection_span()
        if art is None or span is None:
            self.session.feedback.message("Select some text in the article first.", 4000)
            return False
        start, end = span
        found = repo.actors_by_alias(art.text[start:end]) if kind == "actor" else []
        if kind == "actor" and not found and art.text[end:end + 2] in POSSESSIVES:
            # The selection dropped a possessive, but a register entry keeps it ("Macy’s").
            found = repo.actors_by_alias(art.text[start:end + 2])
            end += 2 if found else 0
        quote = art.text[start:end]
        view.select_span(start, end)  # show the snapped selection
        popup: Popup
        if kind == "actor":
            popup = ActorPopup(self.cache, quote, found[0].name if found else "", self.parent)
        elif kind == "date":
            resolved = normalise_date(quote, art.published or None,
                                      is_future(art.text, start, end))
            note = ""
            if resolved is None and not art.published and needs_reference(quote):
                note = (f"This article has no date, so “{_short(quote)}” cannot be resolved: "
                        "type its ISO value, or give the article a date first.")
            value, gran = resolved or ("", "day")
            popup = DatePopup(quote, value, gran, self.parent, note=note)
        else:
            holder, date, target = self._stance_defaults(start, end)
            popup = StancePopup(self.cache, quote, holder, date, target, parent=self.parent)
        popup.add_attributes(repo.codebook(), kind, self.cache)  # the codebook's, if any
        popup.accepted.connect(lambda: self._accepted(kind, popup, start, end, quote))
        popup.finished.connect(lambda _r: setattr(self, "popup", None))
        self.popup = popup
        self.place(popup)
        popup.open()
        return True

    def _stance_defaults(self, start: int, end: int) -> tuple[str, str, str]:
        """(holder name, date value, target topic name) for a stance on [start, end)."""
        art = self.view.article
        assert art is not None  # tag() checked it
        s0, s1 = sentence_bounds(art.text, start)
        s1 = max(s1, end)
        mine = [a for a in self.shown.items if s0 <= a.start and a.end <= s1]
        near = nearest([a for a in mine if a.kind == "date"], start, end)
        date = self.shown.get(near.uid) if near else None
        published = art.published
        date_value = date.date_value if date else (published if is_iso_value(published) else "")
        actors = self.cache.actors
        mentions = [(a.start, a.end, a.actor_uid, False) for a in self.shown.items
                    if a.kind == "actor" and a.actor_uid]
        mentions += [(s.start, s.end, s.actor_uid, False) for s in self.suggested()
                     if s.kind == "actor" and s.actor_uid]
        mentions = sorted((m0, m1, uid, getattr(actors.get(uid), "kind", "") == "person")
                          for m0, m1, uid, _ in mentions)
        holder = default_holder(art.text, start, mentions)
        target = ""
        if holder:
            topic = default_target(holder, stance_topic_counts(self.session.repo, holder))
            target = self.cache.topic_name(topic) if topic else ""
        return (self.cache.actor_name(holder) if holder else ""), date_value or "", target

    def place(self, popup: QWidget) -> None:
        """Under the selection, where the eye already is."""
        text = self.view.text
        rect = text.cursorRect()
        popup.adjustSize()
        popup.move(text.viewport().mapToGlobal(rect.bottomLeft() + QPoint(0, 8)))

    def _accepted(self, kind: str, popup: Popup, start: int, end: int, quote: str) -> None:
        art = self.view.article
        if art is None:
            return
        values = popup.values()
        # A new actor or topic typed into the popup is created by its own command, in
        # one undo step with the tag (Ctrl+Z removes both).
        new: AddActor | AddTopic | None = None
        if kind == "actor" and values["new"]:
            new = AddActor(values["name"], values["kind"], edits=register_edits)
        elif kind == "stance" and values["target_kind"] == "new":
            new = AddTopic(values["target_text"], edits=register_edits)
        fields: dict[str, Any] = {}
        attributes = popup.attribute_values()
        if attributes:
            fields["attributes"] = attributes
        if kind == "date":
            fields.update(values)
        elif kind == "stance":
            fields.update(polarity=values["polarity"], holder_uid=values["holder_uid"],
                          stance_date=values["stance_date"], note=values["note"])
        if new is None:
            self._tag(kind, art.uid, start, end, quote, fields, values)
            return
        with self.session.one_step(f"Tag {kind} “{_short(quote)}” (new {new.label[4:]})"):
            if self.session.run(new, initiator=self):
                self._tag(kind, art.uid, start, end, quote, fields, values, new.uid)

    def _tag(self, kind: str, article_uid: str, start: int, end: int, quote: str,
             fields: dict[str, Any], values: dict[str, Any], new_uid_: str | None = None) -> bool:
        if kind == "actor":
            fields["actor_uid"] = new_uid_ or values["actor_uid"]
        elif kind == "stance":
            target = new_uid_ or values["target_uid"]
            topic = values["target_kind"] in ("topic", "new")
            fields.update(target_topic_uid=target if topic else None,
                          target_actor_uid=target if values["target_kind"] == "actor" else None)
        annotation = Annotation(new_uid(), article_uid, self.session.repo.annotator.uid, kind,
                                start, end, quote, **fields)
        return self.session.run(AddAnnotation(annotation), initiator=self)
