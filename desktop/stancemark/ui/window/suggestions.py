"""Suggestions in the window: the register's names and aliases and the article's date
expressions proposed as tags, settled from the keyboard.

Computed after the article's first paint, in the event loop's idle time (opening only
starts a zero-time timer, queued behind the opening's own deferred work; a long
article's first screen gets its own before that work, drawn at once), with the
AliasMatcher built once per register change (and when the learnt muted aliases
change). Drawn by the article text's SuggestionMarks (a violet outline, no fill: dotted
for actors, dashed for dates).

Keys, in the article text while suggestions are shown (SUGGESTION_KEYS): Tab / Shift+Tab
next / previous, Enter accepts (the annotation and an accept decision, one undo step),
Backspace rejects (a stored decision), Shift+Enter accepts every suggestion of the
current one's actor in this article (one undo step); each moves on to the next one.
Ctrl+Shift+G (View ▸ Suggestions) hides or shows them. The status bar says "suggestion
3 of 41: Beijing → China (actor)", and when none are left, so.

Learning: tagging a text that is not yet a name or alias of the chosen actor offers to
add it as one (ui/window/alias_offer.py); aliases the store's decisions mute
(core.suggest.muted_aliases) are not proposed.
"""

from __future__ import annotations

import bisect
from operator import itemgetter, sub
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from stancemark.core.builtin_kinds import ACTOR, DATE
from stancemark.core.changes import UNDO
from stancemark.core.commands import _short
from stancemark.core.dates import granularity_of
from stancemark.core.model import Annotation, Change, new_uid
from stancemark.core.suggest import (
    AliasMatcher,
    Proposed,
    Suggestion,
    made,
    muted_aliases,
    no_collection,
    suggest,
)
from stancemark.core.suggestion_decisions import (
    ACCEPT,
    REJECT,
    AcceptSuggestions,
    RejectSuggestion,
    SuggestionDecision,
)
from stancemark.store.annotation_spans import tag_spans
from stancemark.ui.window.alias_offer import AliasOffer
from stancemark.ui.window.shortcuts import SHORTCUTS
from stancemark.ui.window.status_labels import set_fixed_text
from stancemark.ui.window.suggestion_worker import FALLBACK_MS, RemoteSuggestions
from stancemark.ui.window.tag_popups import DatePopup

if TYPE_CHECKING:
    from stancemark.ui.article.article_view import ArticleView
    from stancemark.ui.registers.cache import RegisterCache
    from stancemark.ui.window.session import Session
    from stancemark.ui.window.tagging import ShownAnnotations

NO_DATE = "the article has no date"
_KINDS = (ACTOR, DATE)  # what the register and the calendar propose
_KIND, _START, _END = itemgetter(0), itemgetter(1), itemgetter(2)  # Suggestion's fields
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def describe(s: Suggestion, actor_name: str) -> str:
    """"Beijing → China (actor)", "last August → 2020-08 (date)"."""
    if s.kind == ACTOR:
        return f"{_short(s.quote)} → {actor_name} (actor)"
    if s.date_value:
        return f"{_short(s.quote)} → {s.date_value} (date)"
    return f"{_short(s.quote)} → no value: {s.note or NO_DATE} (date)"


class Suggestions(QObject):
    """The open article's suggestions and the keys that settle them."""

    computed = Signal(str)  # the uid of the article whose suggestions were just set
    kinds = _KINDS

    def __init__(self, session: Session, view: ArticleView, shown: ShownAnnotations,
                 cache: RegisterCache, label: QLabel, parent: QWidget, shown_on: bool = True,
                 first_screen: int = 0):
        super().__init__(parent)
        # A long article's first `first_screen` characters (at most: up to a line break)
        # get their suggestions drawn right after the first paint, before the rest of
        # the article's tags are loaded; the whole article's follow (see _first_screen).
        self.first_screen = first_screen
        self._first_uid: str | None = None
        self.session = session
        self.view = view
        self.shown = shown
        self.cache = cache
        self.label = label
        self.parent_widget = parent
        self.items: list[Suggestion] = []
        self.pos: int | None = None  # the current suggestion, an index into items
        # the items' starts (sorted, as items are) and their longest span, kept in step
        # with items, so a tag finds what it settles by bisection, with no pass over them
        self._starts: list[int] = []
        self._longest = 0
        self.article_uid: str | None = None  # whose suggestions `items` are
        self.visible = shown_on
        self.popup: DatePopup | None = None
        self.tagger: object = None  # the Tagger: its tags may offer a new alias
        self._matcher: AliasMatcher | None = None
        self._muted: set[str] | None = None
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.compute)
        # a long article's whole suggestions, asked of a worker process as it opens
        self.remote = RemoteSuggestions(self, self)
        self._keep_at: int | None = None
        # the offer of a tagged text as a new alias (its button: the status bar's)
        self.alias_offer = AliasOffer(session, cache, parent, self)
        self.alias_button = self.alias_offer.button
        view.text.marks.set_visible(shown_on)
        view.text.installEventFilter(self)
        session.bus.subscribe(self.store_changed)
        self.toggle = QAction("Show &suggestions", parent, checkable=True)
        self.toggle.setShortcuts([QKeySequence(k) for k in SHORTCUTS["suggestions"][0]])
        self.toggle.setStatusTip(SHORTCUTS["suggestions"][1])
        self.toggle.setChecked(shown_on)
        self.toggle.toggled.connect(self.set_visible)
        parent.addAction(self.toggle)
        # The View ▸ Suggestions menu's entries; Tab and the others are read from the
        # text's own key events (window-wide shortcuts would take Tab from every field).
        self.menu_actions: list[QAction] = [self.toggle]
        for text, keys, slot in (("&Next suggestion", "Tab", lambda: self.step(1)),
                                 ("&Previous suggestion", "Shift+Tab", lambda: self.step(-1)),
                                 ("&Accept suggestion", "Enter", self.accept),
                                 ("&Reject suggestion", "Backspace", self.reject),
                                 ("Accept every suggestion of this a&ctor", "Shift+Enter",
                                  self.accept_actor)):
            act = QAction(f"{text}\t{keys}", parent)
            act.triggered.connect(slot)
            self.menu_actions.append(act)
        self.menu_actions.append(self.alias_offer.action)

    @property
    def offer(self) -> tuple[str, str] | None:
        """(actor uid, alias) offered to be added, if any."""
        return self.alias_offer.offer

    # ------------------------------------------------------------- computing
    def article_opening(self, article: Any) -> None:
        """An article is about to be shown: a long one's whole suggestions are asked of
        the worker now, so they are computed while the window builds and paints it."""
        if self.visible:
            self.remote.ask(article)
        else:
            self.remote.pending = None

    def article_opened(self, uid: str) -> None:
        """An article was just shown: its suggestions come after its first paint."""
        self.items, self.pos, self.article_uid = [], None, None
        self._starts, self._longest = [], 0
        self._keep_at = None
        self.alias_offer.clear()
        self._show_status()
        self._first_uid = None
        remote = self.remote.waiting_for(uid)
        if not remote:
            self.remote.pending = None
        if self.visible:
            if remote:
                # the worker's answer sets them; the window computes them itself only
                # if it fails or is late (or a key needs them first: _ready)
                QTimer.singleShot(FALLBACK_MS, self, lambda: self._whole(uid))
            else:
                self._timer.start()
            art = self.view.article
            if self.first_screen and art is not None and art.uid == uid \
                    and len(art.text) > 2 * self.first_screen:
                # posted, so they run before work posted after them (the window loading
                # the rest of the tags, ~0.3 s for 20,000) and after the paint already
                # queued: the first screen's suggestions, then the whole article's
                # (settled by the tags in the store), which stops the timer
                self._first_uid = uid
                QTimer.singleShot(0, self._first_screen)
                QTimer.singleShot(0, self, (lambda: self.remote.wait(uid)) if remote
                                  else (lambda: self._whole(uid)))

    def stop(self) -> None:
        """No more deferred work (the window closes)."""
        self._timer.stop()
        self.remote.stop()

    def matcher(self) -> AliasMatcher:
        """The AliasMatcher of the register as it is, built once per register change
        (and once the decisions mute another alias)."""
        if self._matcher is None:
            self._matcher = AliasMatcher(*self.register_names())
        return self._matcher

    def register_names(self) -> tuple[list[tuple[str, str]], set[str]]:
        """What the matcher is built of: (actor uid, name) of every live actor's name and
        aliases, and the aliases the decisions mute."""
        if self._muted is None:
            self._muted = muted_aliases(self.session.repo.suggestion_alias_counts())
        names = [(a.uid, name) for a in self.cache.actors.values() if a.deleted_at is None
                 for name in (a.name, *a.aliases)]
        return names, self._muted

    def _register_changed(self) -> None:
        self._matcher = None
        self.remote.register_changed()

    def _refresh_muted(self) -> bool:
        """The decisions changed: the muted aliases read again, and the matcher rebuilt
        if they differ (True then)."""
        muted = muted_aliases(self.session.repo.suggestion_alias_counts())
        if muted == self._muted:
            return False
        self._muted = muted
        self._register_changed()
        return True

    def _learn(self) -> None:
        """After a decision: an alias the counts now mute rebuilds the matcher."""
        if self._refresh_muted():
            self.compute()

    def compute(self) -> None:
        """The open article's suggestions, now (the timer calls this after the paint)."""
        self._timer.stop()
        art = self.view.article
        index = self.view.index
        repo = self.session.repo
        if art is None or index is None or repo.closed:
            return
        me = repo.annotator.uid
        # the store's tags, not the window's: it may not have loaded all of a long
        # article's yet (every edit is in the store when the window shows it)
        existing = tag_spans(repo, art.uid, me, _KINDS)
        found = suggest(art.text, self.matcher(), art.published or None, kinds=_KINDS,
                        existing=existing, rejected=repo.rejected_suggestion_keys(art.uid, me))
        keep = self._keep_at
        if keep is None and self.pos is not None and self.article_uid == art.uid \
                and self.pos < len(self.items):
            keep = self.items[self.pos].start
        self._keep_at = None
        self._take(art.uid, found, keep)

    def _take(self, uid: str, found: list[Suggestion], keep: int | None) -> None:
        self.remote.pending = None  # an answer still to come is not needed
        self.article_uid = uid
        with no_collection():  # the outlines' ~17,000 tuples: no collector pass among them
            self._set_items(found, keep)
        self.computed.emit(uid)

    def take_remote(self, uid: str, sha256: str, proposed: Proposed) -> None:
        """The worker's answer for `uid` (no store change since it was asked): set, if
        that article is still open, its suggestions are not there yet and the text it
        read is the one shown."""
        art = self.view.article
        if not self.visible or art is None or art.uid != uid or self.article_uid == uid \
                or self.view.index is None or self.session.repo.closed:
            return
        if sha256 != art.sha256:
            self.compute_later(uid)
            return
        keep, self._keep_at = self._keep_at, None
        self._take(uid, made(art.text, proposed), keep)

    def compute_later(self, uid: str) -> None:
        """The worker gave no answer to use: the window computes them (idle step)."""
        art = self.view.article
        if self.visible and art is not None and art.uid == uid and self.article_uid != uid:
            self._timer.start()

    def _first_screen(self) -> None:
        """The suggestions of a long article's first screen, drawn at once. The text up to
        the last line break before `first_screen` gives exactly the whole article's
        suggestions that start there (no name, date expression or overlap runs across a
        line, and a date's value depends only on the text before it), and the window has
        loaded every tag that can overlap them (those starting on the first screen).
        Until the whole article's are computed (the timer, or a key) article_uid stays
        unset: keys and changes treat the suggestions as not ready."""
        art, index, repo = self.view.article, self.view.index, self.session.repo
        if art is None or index is None or repo.closed or art.uid != self._first_uid \
                or self.article_uid == art.uid or not self.visible:
            return
        self._first_uid = None
        cut = art.text.rfind("\n", 0, self.first_screen) + 1
        if not cut:
            return
        me = repo.annotator.uid
        existing = [(r.kind, r.start, r.end, r.actor_uid) for r in self.shown.items
                    if r.annotator_uid == me and r.start < cut]
        self._set_items(suggest(art.text[:cut], self.matcher(), art.published or None,
                                existing=existing,
                                rejected=repo.rejected_suggestion_keys(art.uid, me)), None)
        # painted now: what is queued next (the rest of the tags) takes a while
        self.view.text.viewport().repaint()

    def _whole(self, uid: str) -> None:
        """The whole article's suggestions, if it is still the open one and they are not
        there yet."""
        art = self.view.article
        if self.visible and art is not None and art.uid == uid and self.article_uid != uid:
            self.compute()

    def _set_items(self, items: list[Suggestion], keep_at: int | None,
                   select: bool = False) -> None:
        self.items = list(items)  # our own: a tag deletes from it in place
        # columns by C-level maps, not a comprehension each: a long article has ~16,700
        starts, ends = list(map(_START, items)), list(map(_END, items))
        self._starts = starts
        self._longest = max(map(sub, ends, starts), default=0)
        self.pos = self._position(keep_at)
        index = self.view.index
        if index is not None:
            to16 = index.offsets.to_utf16_many
            self.view.text.marks.set_spans(zip(to16(starts), to16(ends), strict=True),
                                           self.pos, list(map(DATE.__eq__, map(_KIND, items))))
        if select and self.pos is not None:
            self._select()
        self._show_status()

    def _position(self, keep_at: int | None) -> int | None:
        """The index of the first suggestion at or after `keep_at` (round to the first)."""
        items = self.items
        if keep_at is None or not items:
            return None
        i = bisect.bisect_left(self._starts, keep_at)
        return i if i < len(items) else 0

    def current(self) -> Suggestion | None:
        return self.items[self.pos] if self.pos is not None and self.pos < len(self.items) else None

    # ------------------------------------------------------------- showing
    def set_visible(self, on: bool) -> None:
        self.visible = on
        self.view.text.marks.set_visible(on)
        if on and self.view.article is not None:
            self._timer.start()  # what changed while they were hidden was not followed
        self._show_status()
        self.toggle.setChecked(on)

    def _show_status(self) -> None:
        if not self.visible:
            text = f"Suggestions hidden ({SHORTCUTS['suggestions'][0][0]} shows them)"
        elif self.article_uid is None:
            text = ""
        elif not self.items:
            text = "No suggestions left in this article"
        elif self.pos is None:
            text = f"{len(self.items)} suggestion(s) here: Tab goes to the first"
        else:
            s = self.items[self.pos]
            text = (f"suggestion {self.pos + 1} of {len(self.items)}: "
                    f"{describe(s, self.cache.actor_name(s.actor_uid))}")
        set_fixed_text(self.label, text)
        self.label.setToolTip(text)

    def _select(self) -> None:
        s = self.current()
        if s is None:
            return
        self.view.text.marks.set_current(self.pos)
        self.view.select_span(s.start, s.end)
        self.view.text.centerCursor()

    # ------------------------------------------------------------- keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not self.visible or self.view.article is None:
            return False
        assert isinstance(event, QKeyEvent)
        key, mods = event.key(), event.modifiers()
        shift = mods & Qt.KeyboardModifier.ShiftModifier
        if mods & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier):
            return False  # Ctrl+Enter (done, next) and the like are the window's
        if key == Qt.Key.Key_Tab and not shift:
            self.step(1)
        elif key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and shift):
            self.step(-1)
        elif key in _ENTER:
            self.accept_actor() if shift else self.accept()
        elif key == Qt.Key.Key_Backspace and not shift:
            self.reject()
        else:
            return False
        return True

    def _ready(self) -> bool:
        """Suggestions of the open article are there (computing them now if the idle
        step has not run yet: a key pressed at once after opening still works)."""
        art = self.view.article
        if art is None:
            return False
        if self.article_uid != art.uid:
            self.compute()
        return True

    def step(self, delta: int) -> None:
        if not self._ready():
            return
        if not self.items:
            self._show_status()
            self.session.feedback.message("No suggestions left in this article.", 4000)
            return
        if self.pos is None:
            # from where the reader is: the first suggestion at or after the cursor
            index = self.view.index
            cp = index.offsets.to_codepoint(self.view.text.textCursor().selectionStart()) \
                if index is not None else 0
            i = bisect.bisect_left(self._starts, cp)
            self.pos = (i if delta > 0 else i - 1) % len(self.items)
        else:
            self.pos = (self.pos + delta) % len(self.items)
        self._select()
        self._show_status()

    def _settled(self, done: list[Suggestion]) -> None:
        """Accepted or rejected: off the list, and on to the next one."""
        gone = set(map(id, done))
        after = min(s.start for s in done) if done else 0
        if self.pos is not None and self.pos < len(self.items):
            after = self.items[self.pos].start
        rest = [s for s in self.items if id(s) not in gone]
        self._set_items(rest, after, select=True)
        if not rest:
            self.session.feedback.message("Every suggestion in this article is settled.", 5000)

    def _annotation(self, s: Suggestion, **fields: Any) -> Annotation:
        art = self.view.article
        assert art is not None  # callers checked
        if s.kind == ACTOR:
            fields.setdefault("actor_uid", s.actor_uid)
        elif s.kind == DATE and "date_value" not in fields:
            fields.update(date_value=s.date_value,
                          date_granularity=s.date_granularity or granularity_of(s.date_value or ""))
        return Annotation(new_uid(), art.uid, self.session.repo.annotator.uid, s.kind, s.start,
                          s.end, s.quote, **fields)

    def _decision(self, s: Suggestion, decision: str) -> SuggestionDecision:
        art = self.view.article
        assert art is not None  # callers checked
        return SuggestionDecision.of(s, art.uid, self.session.repo.annotator.uid, decision)

    def _acted_on(self) -> Suggestion | None:
        """The suggestion a key acts on; None when suggestions are not ready or none is
        current (then the key moves to the first one instead)."""
        if not self._ready():
            return None
        s = self.current()
        if s is None:
            self.step(1)
        return s

    def accept(self) -> None:
        s = self._acted_on()
        if s is None:
            return
        if s.kind == DATE and not s.date_value:
            self._date_popup(s)
            return
        self._accept([s])

    def _accept(self, items: list[Suggestion], label: str = "",
                fields: dict[str, Any] | None = None) -> bool:
        anns = [self._annotation(s, **(fields or {})) for s in items]
        cmd = AcceptSuggestions(anns, [self._decision(s, ACCEPT) for s in items], label)
        if not self.session.run(cmd, initiator=self):
            return False
        self._settled(items)
        self._learn()
        return True

    def accept_actor(self) -> None:
        s = self._acted_on()
        if s is None:
            return
        if s.kind != ACTOR:
            self.session.feedback.message("Shift+Enter accepts every suggestion of one actor; "
                                          "this one is a date (Enter accepts it).", 5000)
            return
        same = [x for x in self.items if x.kind == ACTOR and x.actor_uid == s.actor_uid]
        name = self.cache.actor_name(s.actor_uid)
        self._accept(same, f"Accept {len(same)} suggestion(s) of {name}")

    def reject(self) -> None:
        s = self._acted_on()
        if s is None:
            return
        cmd = RejectSuggestion(self._decision(s, REJECT),
                               f"Reject suggestion “{_short(s.quote)}” ({s.kind})")
        if self.session.run(cmd, initiator=self):
            self._settled([s])
            self._learn()

    def _date_popup(self, s: Suggestion) -> None:
        """A date without a value: the popup asks for it, saying why there is none."""
        art = self.view.article
        if art is not None and not art.published:
            note = (f"This article has no date, so “{_short(s.quote)}” cannot be resolved: "
                    "type its ISO value, or give the article a date first.")
        else:
            note = f"“{_short(s.quote)}”: {s.note or 'no value could be worked out'}."
        popup = DatePopup(s.quote, "", s.date_granularity or "day", self.parent_widget, note=note)
        popup.accepted.connect(lambda: self._accept([s], fields=popup.values()))
        popup.finished.connect(lambda _r: setattr(self, "popup", None))
        self.popup = popup
        text = self.view.text
        popup.adjustSize()
        popup.move(text.viewport().mapToGlobal(text.cursorRect().bottomLeft()))
        popup.open()

    # ------------------------------------------------------------- changes
    def store_changed(self, change: Change, initiator: object = None) -> None:
        self.remote.store_changed()  # an answer being computed read the store before
        if change.action == "reload" or change.entity == "actor":
            self._register_changed()
            if change.action == "reload":
                self._muted = None
        if change.entity == "annotation" and initiator is self.tagger and change.action == "add":
            self.alias_offer.consider(change)
        art = self.view.article
        if art is None or self.article_uid != art.uid or not self.visible:
            return
        if change.entity == "actor":
            self._timer.start()  # a new alias, a renamed or trashed actor: propose anew
        elif initiator is self:
            return  # accepted and rejected ones are settled already
        elif change.entity in ("annotation", "suggestion") and art.uid in change.article_uids:
            if initiator == UNDO:
                # an undone accept or reject comes back as the current suggestion
                self._keep_at = change.spans[0][0] if change.spans else None
                self._refresh_muted()
                self.compute()
                if self.pos is not None:
                    self._select()
            elif change.action == "add" and change.annotations:
                self._drop_covered(change.annotations)
            else:
                self._timer.start()

    def _drop_covered(self, added: tuple[Annotation, ...]) -> None:
        """A tag made by hand settles the suggestions of its kind it overlaps."""
        me = self.session.repo.annotator.uid
        mine = [a for a in added if a.annotator_uid == me and a.deleted_at is None]
        # The candidates by bisection on the sorted starts: none starting before a tag's
        # start minus the longest suggestion can reach it. The starts and the longest are
        # kept with the items (a pass over a long article's ~16,700 suggestions to list
        # them, and more to rebuild the lists without the settled ones, was most of a
        # tag's time); the longest only ever shrinks as items go, so it stays a bound.
        items, starts = self.items, self._starts
        found: set[int] = set()
        for a in mine:
            lo = bisect.bisect_left(starts, a.start - self._longest)
            hi = bisect.bisect_left(starts, a.end)
            found.update(i for i in range(lo, hi) if items[i].kind == a.kind
                         and items[i].start < a.end and a.start < items[i].end)
        gone = sorted(found)
        if not gone:
            return
        now = self.current()
        marks = self.view.text.marks
        if self.view.index is None or len(marks.spans) != len(items):
            dropped = set(gone)
            rest = [s for i, s in enumerate(items) if i not in dropped]
            self._set_items(rest, now.start if now is not None else None)
            return
        # the settled ones go in place (a deletion each, no rebuilt list), and only their
        # outlines (the tagged block repaints anyway): rebuilding all of a long article's
        # outlines repainted the whole view on every tag
        for i in reversed(gone):
            del items[i]
            del starts[i]
        self.pos = self._position(now.start if now is not None else None)
        marks.remove(gone, self.pos)
        self._show_status()
