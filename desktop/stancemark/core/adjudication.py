"""Adjudication: review decisions and the gold layer, as undoable commands.

The gold layer is an annotator of its own (model.GOLD_ANNOTATOR, is_gold). A reviewer
settles each unit (a span, or overlapping spans of one kind, see agreement.review_units)
by accepting one annotator's version into gold, accepting it edited, or rejecting the
unit. Each decision is a record of its own; the gold annotation's meta names who
adjudicated it, the decision and the source annotations. The annotators' own
annotations are never changed by review.

Commands follow core.commands: apply/revert through a repository (core.protocols.GoldRepo:
tx(), add_annotation, get_annotation, purge_annotation) and a decision store
(store.review.ReviewStore), returning a Change. Redo re-inserts the same uids.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from stancemark.core.agreement import ReviewUnit
from stancemark.core.model import Annotation, Change, new_uid, now_iso
from stancemark.core.protocols import GoldRepo

DECISIONS: tuple[str, ...] = ("accept", "edit", "reject")


@dataclass(frozen=True, slots=True)
class Decision:
    uid: str
    article_uid: str
    kind: str
    start: int
    end: int
    decision: str  # accept | edit | reject
    source_uids: tuple[str, ...]  # every annotation of the unit the reviewer saw
    chosen_annotator_uid: str | None  # whose version went to gold (None: rejected)
    gold_uid: str | None
    reviewer_uid: str
    decided_at: str
    note: str = ""


class DecisionStore(Protocol):
    def add_decision(self, d: Decision) -> Decision: ...
    def remove_decision(self, uid: str) -> None: ...
    def decisions_for(self, source_uids: tuple[str, ...]) -> list[Decision]: ...


def gold_version(source: Annotation, gold_annotator_uid: str, decision_uid: str,
                 reviewer: str, source_uids: tuple[str, ...], **changes: Any) -> Annotation:
    """The gold copy of `source` (optionally edited): a new uid in the gold layer whose
    meta records the adjudication."""
    meta = {**(source.meta or {}), "adjudicated_by": reviewer, "decision": decision_uid,
            "source_uid": source.uid, "sources": list(source_uids)}
    gold = replace(source, uid=new_uid(), annotator_uid=gold_annotator_uid, meta=meta,
                   created_at="", updated_at="", deleted_at=None)
    return replace(gold, **changes) if changes else gold


@dataclass
class Adjudicate:
    """Settle one unit: decision "accept" (source as is), "edit" (source with `changes`)
    or "reject" (no gold annotation). Replaces any earlier decision on the same unit."""

    decisions: DecisionStore
    article_uid: str
    kind: str
    start: int
    end: int
    source_uids: tuple[str, ...]
    decision: str
    source: Annotation | None
    gold_annotator_uid: str
    reviewer_uid: str
    reviewer_name: str
    changes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    label: str = ""
    _decision: Decision | None = field(default=None, repr=False)
    _gold: Annotation | None = field(default=None, repr=False)
    _replaced: list[tuple[Decision, Annotation | None]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise ValueError(f"unknown decision {self.decision!r}")
        if self.decision != "reject" and self.source is None:
            raise ValueError("accepting or editing needs the chosen version")
        if not self.label:
            self.label = {"accept": "Accept into gold", "edit": "Accept edited into gold",
                          "reject": "Reject"}[self.decision] + f" ({self.kind})"

    def apply(self, repo: GoldRepo) -> Change:
        first = self._decision is None
        with repo.tx():
            if first:
                self._replaced = [(d, repo.get_annotation(d.gold_uid) if d.gold_uid else None)
                                  for d in self.decisions.decisions_for(self.source_uids)]
            for old, old_gold in self._replaced:
                self.decisions.remove_decision(old.uid)
                if old_gold is not None and repo.get_annotation(old_gold.uid) is not None:
                    repo.purge_annotation(old_gold.uid)
            if first:
                decision_uid = new_uid()
                if self.source is not None and self.decision != "reject":
                    changes = self.changes if self.decision == "edit" else {}
                    self._gold = gold_version(self.source, self.gold_annotator_uid, decision_uid,
                                              self.reviewer_name, self.source_uids, **changes)
                self._decision = Decision(
                    decision_uid, self.article_uid, self.kind, self.start, self.end,
                    self.decision, tuple(self.source_uids),
                    self.source.annotator_uid if self._gold is not None and self.source else None,
                    self._gold.uid if self._gold is not None else None,
                    self.reviewer_uid, now_iso(), self.note)
            if self._gold is not None:
                self._gold = repo.add_annotation(self._gold)
            assert self._decision is not None  # made on the first apply, kept for redo
            self.decisions.add_decision(self._decision)
        return self._change("add")

    def revert(self, repo: GoldRepo) -> Change:
        with repo.tx():
            assert self._decision is not None
            self.decisions.remove_decision(self._decision.uid)
            if self._gold is not None:
                repo.purge_annotation(self._gold.uid)
            for old, old_gold in self._replaced:
                if old_gold is not None:
                    repo.add_annotation(old_gold)
                self.decisions.add_decision(old)
        return self._change("remove")

    def _change(self, action: str) -> Change:
        gold = (self._gold,) if self._gold is not None else ()
        replaced = tuple(g for _, g in self._replaced if g is not None)
        # apply: the new gold row is there, the gold rows it replaced are gone; revert:
        # the other way round.
        present, gone = (gold, replaced) if action == "add" else (replaced, gold)
        uids = tuple(a.uid for a in (*gold, *replaced))
        # Only a plain first verdict is an "add"; anything that removes a gold row is an
        # "update": views redraw those rows, but no annotator's tag count changes.
        if action != "add" or self._replaced:
            action = "update"
        return Change(action, "annotation", uids, (self.article_uid,), ((self.start, self.end),),
                      annotations=present, removed=gone)

    @property
    def gold(self) -> Annotation | None:
        return self._gold


def adjudicate(decisions: DecisionStore, unit: ReviewUnit, decision: str, source: Annotation | None,
               *, gold_annotator_uid: str, reviewer_uid: str, reviewer_name: str,
               changes: dict[str, Any] | None = None, note: str = "") -> Adjudicate:
    """Build the command for a agreement.ReviewUnit (its spans carry the source uids)."""
    article = unit.spans[0].article
    return Adjudicate(decisions, article, unit.kind, unit.start, unit.end,
                      tuple(s.uid for s in unit.spans), decision, source, gold_annotator_uid,
                      reviewer_uid, reviewer_name, dict(changes or {}), note)


@dataclass
class Reopen:
    """Take back a stored decision, whoever made it (this window, another session, or
    `stancemark settle`): its record and its gold annotation are removed, so the unit is
    open again. Revert puts both back with the same uids."""

    decisions: DecisionStore
    decision: Decision
    label: str = ""
    _gold: Annotation | None = field(default=None, repr=False)
    _read: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if not self.label:
            self.label = f"Reopen ({self.decision.kind})"

    def apply(self, repo: GoldRepo) -> Change:
        with repo.tx():
            if not self._read:
                self._read = True
                gold_uid = self.decision.gold_uid
                self._gold = repo.get_annotation(gold_uid) if gold_uid else None
            self.decisions.remove_decision(self.decision.uid)
            if self._gold is not None and repo.get_annotation(self._gold.uid) is not None:
                repo.purge_annotation(self._gold.uid)
        return self._change(back=False)

    def revert(self, repo: GoldRepo) -> Change:
        with repo.tx():
            if self._gold is not None:
                self._gold = repo.add_annotation(self._gold)
            self.decisions.add_decision(self.decision)
        return self._change(back=True)

    def _change(self, back: bool) -> Change:
        # "update", as Adjudicate does when a gold row goes: views redraw the row, and
        # no annotator's tag count changes. Reopen removes the gold row; revert restores it.
        d = self.decision
        gold = (self._gold,) if self._gold is not None else ()
        return Change("update", "annotation", tuple(a.uid for a in gold), (d.article_uid,),
                      ((d.start, d.end),), annotations=gold if back else (),
                      removed=() if back else gold)
