"""From a selection to a committed annotation: A / D / S open their popup with sensible
defaults, and accepting runs an AddAnnotation command through the window.

Defaults: an actor whose alias matches the selected text; a date normalised relative to
the article's published date; for a stance, the nearest actor mention and date mention
in the same sentence (else the article's date).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint

from stancemark.core.commands import AddAnnotation
from stancemark.core.dates import is_iso_value, normalise_date
from stancemark.core.errors import StancemarkError
from stancemark.core.model import Annotation, new_uid
from stancemark.core.text import sentence_bounds
from stancemark.ui.tag_popups import ActorPopup, DatePopup, StancePopup

if TYPE_CHECKING:
    from stancemark.ui.main_window import MainWindow


def nearest(items: list[Any], start: int, end: int) -> Any:
    """The annotation closest to [start, end) (overlap counts as distance 0)."""
    def distance(a: Annotation) -> int:
        return max(0, a.start - end, start - a.end)
    return min(items, key=lambda a: (distance(a), a.start), default=None)


class Tagger:
    def __init__(self, window: MainWindow):
        self.w = window
        self.popup: Any = None

    def tag(self, kind: str) -> bool:
        """Open the popup for `kind` on the current selection. False if nothing to tag."""
        w = self.w
        art = w.view.article
        span = w.view.selection_span()
        if art is None or span is None:
            w.statusBar().showMessage("Select some text in the article first.", 4000)
            return False
        start, end = span
        quote = art.text[start:end]
        w.view.select_span(start, end)  # show the snapped selection
        if kind == "actor":
            found = w.repo.actors_by_alias(quote)
            popup = ActorPopup(w.cache, quote, found[0].name if found else "", w)
        elif kind == "date":
            value, gran = normalise_date(quote, art.published or None) or ("", "day")
            popup = DatePopup(quote, value, gran, w)
        else:
            popup = StancePopup(w.cache, quote, *self._stance_defaults(start, end), parent=w)
        popup.accepted.connect(lambda: self._accepted(kind, popup, start, end, quote))
        popup.finished.connect(lambda _r: setattr(self, "popup", None))
        self.popup = popup
        self._place(popup)
        popup.open()
        return True

    def _stance_defaults(self, start: int, end: int) -> tuple[str, str]:
        w = self.w
        text = w.view.article.text
        s0, s1 = sentence_bounds(text, start)
        s1 = max(s1, end)
        mine = [a for a in w.inspector.model.items if s0 <= a.start and a.end <= s1]
        holder = nearest([a for a in mine if a.kind == "actor"], start, end)
        date = nearest([a for a in mine if a.kind == "date"], start, end)
        date = w.inspector.model.get(date.uid) if date else None
        published = w.view.article.published
        date_value = date.date_value if date else (published if is_iso_value(published) else "")
        return (w.cache.actor_name(holder.actor_uid) if holder else ""), date_value or ""

    def _place(self, popup: Any) -> None:
        text = self.w.view.text
        rect = text.cursorRect()
        popup.adjustSize()
        popup.move(text.viewport().mapToGlobal(rect.bottomLeft() + QPoint(0, 8)))

    def _accepted(self, kind: str, popup: Any, start: int, end: int, quote: str) -> None:
        w = self.w
        art = w.view.article
        if art is None:
            return
        values = popup.values()
        fields: dict[str, Any] = {}
        try:
            if kind == "actor":
                uid = values["actor_uid"]
                if uid is None:
                    uid = w.repo.add_actor(values["name"], values["kind"]).uid
                    w.registers_changed()
                fields["actor_uid"] = uid
            elif kind == "date":
                fields.update(values)
            else:
                target_uid = values["target_uid"]
                if values["target_kind"] == "new":
                    target_uid = w.repo.add_topic(values["target_text"]).uid
                    w.registers_changed()
                fields.update(
                    polarity=values["polarity"], holder_uid=values["holder_uid"],
                    stance_date=values["stance_date"], note=values["note"],
                    target_topic_uid=target_uid if values["target_kind"] in ("topic", "new") else None,
                    target_actor_uid=target_uid if values["target_kind"] == "actor" else None)
        except StancemarkError as exc:
            w.report_saved(str(exc))
            return
        annotation = Annotation(new_uid(), art.uid, w.repo.annotator.uid, kind, start, end, quote,
                                **fields)
        w.run_command(AddAnnotation(annotation))
