"""An analyst's decisions on suggestions, and the commands that make them undoable.

A decision records which suggestion (its key fields: kind, span, actor or date value,
and the alias that matched) an annotator accepted or rejected in an article. A rejected
suggestion stays rejected for that article and annotator; the per-alias counts of
accepted and rejected decisions let the matcher stop proposing an alias the team keeps
rejecting. Decisions are stored (store.suggestion_store), merged with colleagues'
stores and synced through the hub like any other decision.

Accepting is one command: the annotation and its decision in one transaction, one undo
step (undo purges the annotation and moves the decision to the trash, so the
suggestion comes back). Rejecting is a command of its own. Core stays free of SQL: the
repository is typed by the Protocol below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from stancemark.core.commands import STARTED, STARTED_FROM, _change, _short
from stancemark.core.model import Annotation, Change, new_uid
from stancemark.core.protocols import SuggestionDecisionRepo, TaggingRepo

ACCEPT, REJECT = "accept", "reject"
DECISIONS: tuple[str, ...] = (ACCEPT, REJECT)


def suggestion_key(kind: str, start: int, end: int, actor_uid: str | None,
                   date_value: str | None) -> str:
    """The key of a suggestion, as core.suggest's Suggestion.key spells it."""
    return f"{kind}|{start}|{end}|{actor_uid or date_value or ''}"


@dataclass(frozen=True, slots=True)
class SuggestionDecision:
    uid: str
    article_uid: str
    annotator_uid: str
    kind: str
    start: int
    end: int
    decision: str  # accept | reject
    actor_uid: str | None = None
    date_value: str | None = None  # the suggested value (None: none could be known)
    alias: str = ""  # the register name or alias that matched (actors)
    annotation_uid: str | None = None  # the annotation an accept created
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None

    @property
    def key(self) -> str:
        return suggestion_key(self.kind, self.start, self.end, self.actor_uid, self.date_value)

    @classmethod
    def of(cls, suggestion: Any, article_uid: str, annotator_uid: str, decision: str,
           annotation_uid: str | None = None) -> SuggestionDecision:
        """The decision on a core.suggest Suggestion (any object with its fields)."""
        return cls(new_uid(), article_uid, annotator_uid, suggestion.kind, suggestion.start,
                   suggestion.end, decision, suggestion.actor_uid, suggestion.date_value,
                   suggestion.alias or "", annotation_uid)

    def with_changes(self, **changes: Any) -> SuggestionDecision:
        return replace(self, **changes)


class SuggestionRepo(TaggingRepo, SuggestionDecisionRepo, Protocol):
    """What the suggestion commands call: a tag's writes and the decisions'."""


def _decision_change(action: str, decisions: Iterable[SuggestionDecision]) -> Change:
    ds = list(decisions)
    return Change(action, "suggestion", tuple(d.uid for d in ds),
                  tuple(dict.fromkeys(d.article_uid for d in ds)),
                  tuple((d.start, d.end) for d in ds))


def _merged(changes: list[Change], action: str) -> Change:
    """One change record for several annotations (accept all of an actor)."""
    if len(changes) == 1:
        return changes[0]
    return Change(action, "annotation", tuple(u for c in changes for u in c.uids),
                  tuple(dict.fromkeys(a for c in changes for a in c.article_uids)),
                  tuple(s for c in changes for s in c.spans),
                  annotations=tuple(a for c in changes for a in c.annotations),
                  removed=tuple(a for c in changes for a in c.removed),
                  statuses=tuple(s for c in changes for s in c.statuses))


@dataclass
class AcceptSuggestions:
    """Accept one or more suggestions: each becomes its annotation (`annotations`, in
    the same order as `decisions`) and an accept decision naming it, all in one
    transaction and one undo step. On the annotator's first tag of the article its
    status moves to "in progress", as a tag does."""

    annotations: list[Annotation]
    decisions: list[SuggestionDecision]
    label: str = ""
    _status_before: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if len(self.annotations) != len(self.decisions):
            raise ValueError("one decision per accepted annotation")
        self.decisions = [d.with_changes(annotation_uid=a.uid or d.annotation_uid)
                          for a, d in zip(self.annotations, self.decisions, strict=True)]
        if not self.label:
            first = self.annotations[0] if self.annotations else None
            self.label = (f"Accept suggestion {first.kind} “{_short(first.quote)}”"
                          if len(self.annotations) == 1 and first else
                          f"Accept {len(self.annotations)} suggestions")

    def apply(self, repo: SuggestionRepo) -> Change:
        changes = []
        with repo.tx():
            added = [repo.add_annotation(a) for a in self.annotations]
            self.annotations = added
            self.decisions = [repo.record_suggestion_decision(
                d.with_changes(annotation_uid=a.uid)) for a, d in zip(added, self.decisions,
                                                                      strict=True)]
            statuses: tuple[tuple[str, str, str], ...] = ()
            self._status_before = None
            if added and repo.get_status(added[0].article_uid,
                                         added[0].annotator_uid) == STARTED_FROM:
                a = added[0]
                self._status_before = repo.set_status(a.article_uid, STARTED, a.annotator_uid)
                statuses = ((a.article_uid, a.annotator_uid, STARTED),)
            changes = [_change("add", a) for a in added]
        change = _merged(changes, "add")
        return replace(change, statuses=statuses) if statuses else change

    def revert(self, repo: SuggestionRepo) -> Change:
        changes = []
        statuses: tuple[tuple[str, str, str], ...] = ()
        with repo.tx():
            for d in self.decisions:
                repo.undo_suggestion_decision(d.uid)
            for a in self.annotations:
                repo.purge_annotation(a.uid)
                changes.append(_change("remove", a))
            if self._status_before is not None and self.annotations:
                a = self.annotations[0]
                repo.set_status(a.article_uid, self._status_before, a.annotator_uid)
                statuses = ((a.article_uid, a.annotator_uid, self._status_before),)
        change = _merged(changes, "remove")
        return replace(change, statuses=statuses) if statuses else change


@dataclass
class RejectSuggestion:
    """Reject a suggestion: a stored decision, so it is not proposed again to this
    annotator in this article. Undo moves the decision to the trash."""

    decision: SuggestionDecision
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            self.label = f"Reject suggestion {self.decision.kind} at {self.decision.start}"

    def apply(self, repo: SuggestionRepo) -> Change:
        self.decision = repo.record_suggestion_decision(self.decision)
        return _decision_change("add", [self.decision])

    def revert(self, repo: SuggestionRepo) -> Change:
        return _decision_change("remove", [repo.undo_suggestion_decision(self.decision.uid)])

