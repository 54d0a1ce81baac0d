"""User actions as commands: apply and revert through a repository, returning a Change.

The UI wraps each in a QUndoCommand whose redo/undo only call these (Orange
canvas style). Undo of a creation purges the row; redo re-inserts it with the
same uid, so exports, reviews and the audit log keep seeing one identity.
The repository is typed by Protocols (core.protocols; stancemark.store.Repository
satisfies them) to keep core free of SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from stancemark.core.errors import existing
from stancemark.core.model import Annotation, Change
from stancemark.core.protocols import AnnotationRepo, CommandRepo, TaggingRepo

# An annotator's first tag on an article moves it from "new" to "in progress" for them,
# in the tag's own transaction; undoing that tag puts the status back.
STARTED_FROM, STARTED = "new", "in progress"


def _change(action: str, a: Annotation, *extra: Annotation,
            statuses: tuple[tuple[str, str, str], ...] = ()) -> Change:
    spans = tuple((x.start, x.end) for x in (a, *extra))
    gone = action == "remove"
    return Change(action, "annotation", (a.uid,), (a.article_uid,), spans,
                  annotations=() if gone else (a,), removed=(a,) if gone else (),
                  statuses=statuses)


def fields_before(current: object, what: str, uid: str, keys: Iterable[str]) -> dict[str, Any]:
    """The values of `keys` on `current` (an annotation, actor or topic just read), for
    an update's undo; tuples become lists, as update methods take them. An entry that is
    gone raises IntegrityError("unknown <what> <uid>")."""
    current = existing(current, what, uid)
    values = {k: getattr(current, k) for k in keys}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


class Command(Protocol):
    label: str

    def apply(self, repo: CommandRepo) -> Change: ...
    def revert(self, repo: CommandRepo) -> Change: ...


@dataclass
class AddAnnotation:
    """Tag a span. One transaction: the annotation, its audit entry and, on the
    annotator's first tag of the article, the status moving to "in progress"."""

    annotation: Annotation
    label: str = ""
    _status_before: str | None = field(default=None, repr=False)  # when the tag moved it

    def __post_init__(self) -> None:
        if not self.label:
            self.label = f"Tag {self.annotation.kind} “{_short(self.annotation.quote)}”"

    def apply(self, repo: TaggingRepo) -> Change:
        with repo.tx():
            # The first apply fills in uid, annotator and times; keep them for redo.
            a = self.annotation = repo.add_annotation(self.annotation)
            statuses: tuple[tuple[str, str, str], ...] = ()
            self._status_before = None
            if repo.get_status(a.article_uid, a.annotator_uid) == STARTED_FROM:
                self._status_before = repo.set_status(a.article_uid, STARTED, a.annotator_uid)
                statuses = ((a.article_uid, a.annotator_uid, STARTED),)
        return _change("add", a, statuses=statuses)

    def revert(self, repo: TaggingRepo) -> Change:
        a = self.annotation
        statuses: tuple[tuple[str, str, str], ...] = ()
        with repo.tx():
            repo.purge_annotation(a.uid)
            if self._status_before is not None:
                repo.set_status(a.article_uid, self._status_before, a.annotator_uid)
                statuses = ((a.article_uid, a.annotator_uid, self._status_before),)
        return _change("remove", a, statuses=statuses)


@dataclass
class DeleteAnnotation:
    uid: str
    label: str = "Delete annotation"
    _before: Annotation | None = field(default=None, repr=False)

    def apply(self, repo: AnnotationRepo) -> Change:
        self._before = repo.get_annotation(self.uid)
        after = repo.delete_annotation(self.uid)
        return _change("delete", after)

    def revert(self, repo: AnnotationRepo) -> Change:
        return _change("restore", repo.restore_annotation(self.uid))


@dataclass
class RestoreAnnotation:
    uid: str
    label: str = "Restore annotation from the trash"

    def apply(self, repo: AnnotationRepo) -> Change:
        return _change("restore", repo.restore_annotation(self.uid))

    def revert(self, repo: AnnotationRepo) -> Change:
        return _change("delete", repo.delete_annotation(self.uid))


@dataclass
class UpdateAnnotation:
    """Change fields of an annotation (SetStance, set actor, correct a date ...)."""

    uid: str
    changes: dict[str, Any]
    label: str = "Edit annotation"
    _before: dict[str, Any] = field(default_factory=dict, repr=False)

    def apply(self, repo: AnnotationRepo) -> Change:
        before = existing(repo.get_annotation(self.uid), "annotation", self.uid)
        self._before = fields_before(before, "annotation", self.uid, self.changes)
        after = repo.update_annotation(self.uid, **self.changes)
        return _change("update", after, before)

    def revert(self, repo: AnnotationRepo) -> Change:
        after = repo.get_annotation(self.uid)
        restored = repo.update_annotation(self.uid, **self._before)
        return _change("update", restored, *(x for x in [after] if x))


@dataclass
class UpdateAnnotations:
    """Changes to many annotations as one step (the stance table's edit of the selected
    rows): `changes` maps each uid to its field changes. One transaction, one undo
    step, every annotation's old and new version in the audit log; undo puts each
    one's own previous values back."""

    changes: dict[str, dict[str, Any]]
    label: str = ""
    _before: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.label:
            what = sorted({k for c in self.changes.values() for k in c})
            self.label = f"Edit {', '.join(what)} of {len(self.changes)} annotation(s)"

    @classmethod
    def same(cls, uids: Iterable[str], changes: dict[str, Any],
             label: str = "") -> UpdateAnnotations:
        """The same field changes on every one of `uids`."""
        return cls({u: dict(changes) for u in dict.fromkeys(uids)}, label)

    def apply(self, repo: AnnotationRepo) -> Change:
        befores = {u: existing(repo.get_annotation(u), "annotation", u) for u in self.changes}
        self._before = {u: fields_before(a, "annotation", u, self.changes[u])
                        for u, a in befores.items()}
        after = repo.update_annotations(self.changes)
        return _many("update", after, befores.values())

    def revert(self, repo: AnnotationRepo) -> Change:
        now = [repo.get_annotation(u) for u in self.changes]
        after = repo.update_annotations(self._before)
        return _many("update", after, [a for a in now if a])


def _many(action: str, annotations: list[Annotation], before: Iterable[Annotation]) -> Change:
    articles = tuple(dict.fromkeys(a.article_uid for a in annotations))
    spans = tuple((x.start, x.end) for x in (*annotations, *before))
    return Change(action, "annotation", tuple(a.uid for a in annotations), articles, spans,
                  annotations=tuple(annotations))


def SetStance(uid: str, **changes: Any) -> UpdateAnnotation:  # noqa: N802 - command name
    return UpdateAnnotation(uid, changes, label="Edit stance")


def _short(text: str, n: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
