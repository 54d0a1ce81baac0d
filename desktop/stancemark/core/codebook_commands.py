"""Codebook edits and attribute values as undoable commands (as core.commands).

Each apply/revert calls the repository (core.protocols.CodebookRepo) and returns a
Change: entity "codebook" (uids: the kind, attribute or value; article_uids: articles
whose annotations a removal relabelled), "annotation" for attribute values, and
"variables" for article variables (uids and article_uids: the article). Undo of a
creation removes the entry (refused, like any removal, while something uses it);
redo re-creates it with the same uid. Undo of a removal restores the definitions
and every value the removal moved or dropped (CodebookRemoval).

    stack.push(AddKind(SpanKind("", "frame", colour="#009E73", key="F")))
    stack.push(AddAttribute(Attribute("", "frame_type", "choice", kind_uid=frame_uid,
                                      values=(Value("", "economic"), Value("", "security")))))
    stack.push(SetAttributes(annotation_uid, {frame_type_uid: economic_uid}))
    stack.push(SetArticleVariables(article_uid, {genre_uid: opinion_uid}))
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from stancemark.core.codebook import Attribute, SpanKind, Value
from stancemark.core.commands import fields_before
from stancemark.core.errors import existing
from stancemark.core.model import Annotation, Change, new_uid
from stancemark.core.protocols import AnnotationRepo, CodebookRepo


@dataclass(frozen=True)
class CodebookRemoval:
    """What a removal took away, enough to put it back exactly: definitions with their
    positions, defaults it changed, and the values before of every annotation
    ((uid, attributes)) and article variable row ((article uid, annotator uid,
    values)) it changed."""

    kinds: tuple[tuple[int, SpanKind], ...] = ()
    attributes: tuple[tuple[int, Attribute], ...] = ()
    values: tuple[tuple[str, int, Value], ...] = ()  # (attribute uid, position, value)
    defaults: tuple[tuple[str, Any], ...] = ()  # (attribute uid, default before)
    annotations: tuple[tuple[str, dict[str, Any]], ...] = ()
    variables: tuple[tuple[str, str, dict[str, Any]], ...] = ()
    article_uids: tuple[str, ...] = ()


def _codebook_change(action: str, uid: str, articles: tuple[str, ...] = ()) -> Change:
    return Change(action, "codebook", (uid,), articles)


@dataclass
class AddKind:
    kind: SpanKind
    position: int | None = None
    label: str = ""

    def __post_init__(self) -> None:
        self.label = self.label or f"Add span kind “{self.kind.name}”"

    def apply(self, repo: CodebookRepo) -> Change:
        self.kind = repo.add_kind(self.kind, self.position)
        return _codebook_change("add", self.kind.uid)

    def revert(self, repo: CodebookRepo) -> Change:
        repo.remove_kind(self.kind.uid)
        return _codebook_change("remove", self.kind.uid)


@dataclass
class UpdateKind:
    """Rename, describe, recolour, re-key or move (`position`) a span kind."""

    uid: str
    changes: dict[str, Any]
    label: str = "Edit span kind"
    _before: dict[str, Any] = field(default_factory=dict, repr=False)

    def apply(self, repo: CodebookRepo) -> Change:
        book = repo.codebook()
        kind = book.kind(self.uid)
        plain = {k: v for k, v in self.changes.items() if k != "position"}
        self._before = fields_before(kind, "span kind", self.uid, plain)
        if "position" in self.changes:
            self._before["position"] = book.kinds.index(kind)
        repo.update_kind(self.uid, **self.changes)
        return _codebook_change("update", self.uid)

    def revert(self, repo: CodebookRepo) -> Change:
        repo.update_kind(self.uid, **self._before)
        return _codebook_change("update", self.uid)


@dataclass
class RemoveKind:
    uid: str
    label: str = "Remove span kind"
    record: CodebookRemoval | None = field(default=None, repr=False)

    def apply(self, repo: CodebookRepo) -> Change:
        self.record = repo.remove_kind(self.uid)
        return _codebook_change("remove", self.uid)

    def revert(self, repo: CodebookRepo) -> Change:
        assert self.record is not None  # revert follows apply, which kept the record
        repo.restore_removed(self.record)
        return _codebook_change("add", self.uid)


@dataclass
class AddAttribute:
    """Add an attribute to a span kind, or an article variable (kind_uid None)."""

    attribute: Attribute
    position: int | None = None
    label: str = ""

    def __post_init__(self) -> None:
        what = "article variable" if self.attribute.kind_uid is None else "attribute"
        self.label = self.label or f"Add {what} “{self.attribute.name}”"

    def apply(self, repo: CodebookRepo) -> Change:
        self.attribute = repo.add_attribute(self.attribute, self.position)
        return _codebook_change("add", self.attribute.uid)

    def revert(self, repo: CodebookRepo) -> Change:
        repo.remove_attribute(self.attribute.uid)
        return _codebook_change("remove", self.attribute.uid)


@dataclass
class UpdateAttribute:
    """Change an attribute's definition (see Repository.update_attribute)."""

    uid: str
    changes: dict[str, Any]
    label: str = "Edit attribute"
    _before: dict[str, Any] = field(default_factory=dict, repr=False)

    def apply(self, repo: CodebookRepo) -> Change:
        book = repo.codebook()
        attr = existing(book.attribute(self.uid), "attribute", self.uid)
        plain = {k: v for k, v in self.changes.items() if k != "position"}
        self._before = fields_before(attr, "attribute", self.uid, plain)
        if "position" in self.changes:
            pool = book.attributes_of(attr.kind_uid) if attr.kind_uid else book.article_variables()
            self._before["position"] = list(pool).index(attr)
        repo.update_attribute(self.uid, **self.changes)
        return _codebook_change("update", self.uid)

    def revert(self, repo: CodebookRepo) -> Change:
        repo.update_attribute(self.uid, **self._before)
        return _codebook_change("update", self.uid)


@dataclass
class RemoveAttribute:
    uid: str
    replacement: str | None = None
    discard: bool = False
    label: str = "Remove attribute"
    record: CodebookRemoval | None = field(default=None, repr=False)

    def apply(self, repo: CodebookRepo) -> Change:
        self.record = repo.remove_attribute(self.uid, replacement=self.replacement,
                                            discard=self.discard)
        return _codebook_change("remove", self.uid, self.record.article_uids)

    def revert(self, repo: CodebookRepo) -> Change:
        assert self.record is not None  # revert follows apply, which kept the record
        repo.restore_removed(self.record)
        return _codebook_change("add", self.uid, self.record.article_uids)


@dataclass
class AddValue:
    attribute_uid: str
    value: Value
    position: int | None = None
    label: str = ""

    def __post_init__(self) -> None:
        self.label = self.label or f"Add value “{self.value.name}”"

    def apply(self, repo: CodebookRepo) -> Change:
        self.value = repo.add_value(self.attribute_uid, self.value, self.position)
        return _codebook_change("add", self.value.uid)

    def revert(self, repo: CodebookRepo) -> Change:
        repo.remove_value(self.value.uid)
        return _codebook_change("remove", self.value.uid)


@dataclass
class UpdateValue:
    """Rename (relabels every use), describe, recolour, re-key or move a value."""

    uid: str
    changes: dict[str, Any]
    label: str = "Edit value"
    _before: dict[str, Any] = field(default_factory=dict, repr=False)

    def apply(self, repo: CodebookRepo) -> Change:
        attr, value = repo.codebook_value(self.uid)
        plain = {k: v for k, v in self.changes.items() if k != "position"}
        self._before = fields_before(value, "value", self.uid, plain)
        if "position" in self.changes:
            self._before["position"] = list(attr.values).index(value)
        repo.update_value(self.uid, **self.changes)
        return _codebook_change("update", self.uid)

    def revert(self, repo: CodebookRepo) -> Change:
        repo.update_value(self.uid, **self._before)
        return _codebook_change("update", self.uid)


@dataclass
class RemoveValue:
    """Remove a vocabulary value; in use, `replacement` (a value of the same
    attribute) takes every use. MergeValues(keep, drop) is this."""

    uid: str
    replacement: str | None = None
    label: str = "Remove value"
    record: CodebookRemoval | None = field(default=None, repr=False)

    def apply(self, repo: CodebookRepo) -> Change:
        self.record = repo.remove_value(self.uid, replacement=self.replacement)
        return _codebook_change("remove", self.uid, self.record.article_uids)

    def revert(self, repo: CodebookRepo) -> Change:
        assert self.record is not None  # revert follows apply, which kept the record
        repo.restore_removed(self.record)
        return _codebook_change("add", self.uid, self.record.article_uids)


def MergeValues(keep_uid: str, drop_uid: str) -> RemoveValue:  # noqa: N802 - command name
    return RemoveValue(drop_uid, keep_uid, label="Merge values")


@dataclass
class SetAttributes:
    """Set attribute values on one annotation: {attribute uid: value}, None unsets.
    Other attributes keep their values."""

    uid: str
    values: dict[str, Any]
    label: str = "Set attribute"
    _before: dict[str, Any] | None = field(default=None, repr=False)

    def apply(self, repo: AnnotationRepo) -> Change:
        before: Annotation | None = repo.get_annotation(self.uid)
        self._before = fields_before(before, "annotation", self.uid, ["attributes"])["attributes"]
        merged = {**self._before, **self.values}
        merged = {k: v for k, v in merged.items() if v is not None}
        after = repo.update_annotation(self.uid, attributes=merged)
        # the annotation as it is now, so the views redraw it without reading it again
        return Change("update", "annotation", (self.uid,), (after.article_uid,),
                      ((after.start, after.end),), (after,))

    def revert(self, repo: AnnotationRepo) -> Change:
        after = repo.update_annotation(self.uid, attributes=dict(self._before or {}))
        return Change("update", "annotation", (self.uid,), (after.article_uid,),
                      ((after.start, after.end),), (after,))


@dataclass
class SetArticleVariables:
    """Set an article's variables for the current annotator: {variable uid: value},
    None unsets; the others keep their values."""

    article_uid: str
    values: dict[str, Any]
    label: str = "Set article variable"
    _before: dict[str, Any] | None = field(default=None, repr=False)

    def apply(self, repo: CodebookRepo) -> Change:
        self._before = repo.article_variables(self.article_uid)
        merged = {k: v for k, v in {**self._before, **self.values}.items() if v is not None}
        repo.set_article_variables(self.article_uid, merged)
        return Change("update", "variables", (self.article_uid,), (self.article_uid,))

    def revert(self, repo: CodebookRepo) -> Change:
        repo.set_article_variables(self.article_uid, dict(self._before or {}))
        return Change("update", "variables", (self.article_uid,), (self.article_uid,))


def new_kind(name: str, **fields: Any) -> SpanKind:
    """A SpanKind to hand to AddKind / Repository.add_kind (uid given on insert)."""
    return SpanKind("", name, **fields)


def new_attribute(name: str, type: str, kind_uid: str | None = None, *,  # noqa: A002
                  values: tuple[str | Value, ...] = (), **fields: Any) -> Attribute:
    """An Attribute for AddAttribute / Repository.add_attribute; `values` may be plain
    names (each becomes a Value with a new uid), and a choice's `default` may name a
    value (it becomes that value's uid)."""
    vocab = tuple(v if isinstance(v, Value) else Value(new_uid(), v) for v in values)
    attr = replace(Attribute(new_uid(), name, type, kind_uid), values=vocab, **fields)
    if type == "choice" and isinstance(attr.default, str) and attr.value(attr.default) is None:
        named = attr.value_by_name(attr.default)
        attr = replace(attr, default=named.uid if named else attr.default)
    return attr
