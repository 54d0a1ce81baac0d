"""What the domain layer needs from a store, as Protocols.

Core never imports the store (the layers run ui -> formats -> store -> core), yet its
commands call a repository. These Protocols name the methods they call, so mypy checks
every such call and that stancemark.store.Repository really offers them; each command
asks for the narrowest one it uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from stancemark.core.model import Actor, Annotation, Annotator, Article, Topic

if TYPE_CHECKING:  # codebook_commands builds on core.commands, which imports this module
    from stancemark.core.codebook import Attribute, Codebook, SpanKind, Value
    from stancemark.core.codebook_commands import CodebookRemoval
    from stancemark.core.suggestion_decisions import SuggestionDecision


class Transactional(Protocol):
    def tx(self) -> AbstractContextManager[None]:
        """One write transaction; nested calls become savepoints."""
        ...


class AnnotationRepo(Protocol):
    def add_annotation(self, a: Annotation) -> Annotation: ...
    def get_annotation(self, uid: str) -> Annotation | None: ...
    def update_annotation(self, uid: str, **changes: Any) -> Annotation: ...
    def update_annotations(self, changes: dict[str, dict[str, Any]]) -> list[Annotation]: ...
    def delete_annotation(self, uid: str) -> Annotation: ...
    def restore_annotation(self, uid: str) -> Annotation: ...
    def purge_annotation(self, uid: str) -> Annotation: ...


class StatusRepo(Protocol):
    """An article's status per annotator ("new", "in progress", "done"); `annotator` is
    the one whose status it is when none is named."""

    @property
    def annotator(self) -> Annotator: ...

    def get_status(self, article_uid: str, annotator_uid: str | None = None) -> str: ...
    def set_status(self, article_uid: str, status: str,
                   annotator_uid: str | None = None) -> str: ...


class TaggingRepo(AnnotationRepo, StatusRepo, Transactional, Protocol):
    """A tag writes its annotation and, on an annotator's first tag of an article, that
    article's status, in one transaction."""


class GoldRepo(AnnotationRepo, Transactional, Protocol):
    """Adjudication writes the gold layer and its decisions in one transaction."""


class RegisterRepo(Protocol):
    """The actor and topic registers (store.registers.RegistersMixin)."""

    def add_actor(self, name: str, kind: str = "other", *, country: str = "",
                  description: str = "", aliases: Iterable[str] = (),
                  uid: str | None = None, colour: str = "") -> Actor: ...
    def get_actor(self, uid: str) -> Actor | None: ...
    def update_actor(self, uid: str, **changes: Any) -> Actor: ...
    def delete_actor(self, uid: str) -> None: ...
    def restore_actor(self, uid: str) -> None: ...
    def add_topic(self, name: str, description: str = "", *,
                  uid: str | None = None) -> Topic: ...
    def get_topic(self, uid: str) -> Topic | None: ...
    def update_topic(self, uid: str, **changes: Any) -> Topic: ...
    def delete_topic(self, uid: str) -> None: ...
    def restore_topic(self, uid: str) -> None: ...


class ArticleRepo(Protocol):
    """Article metadata and trash (store.article_edits.ArticleEditsMixin)."""

    def get_article(self, uid: str) -> Article | None: ...
    def update_article(self, uid: str, **changes: Any) -> Article: ...
    def delete_article(self, uid: str) -> None: ...
    def restore_article(self, uid: str) -> None: ...


class CodebookRepo(Protocol):
    """The codebook (span kinds, attributes, values) and article variables
    (store.codebook_store.CodebookMixin)."""

    def codebook(self) -> Codebook: ...
    def add_kind(self, kind: SpanKind, position: int | None = None) -> SpanKind: ...
    def update_kind(self, uid: str, **changes: Any) -> SpanKind: ...
    def remove_kind(self, uid: str) -> CodebookRemoval: ...
    def add_attribute(self, attribute: Attribute, position: int | None = None) -> Attribute: ...
    def update_attribute(self, uid: str, **changes: Any) -> Attribute: ...
    def remove_attribute(self, uid: str, *, replacement: str | None = None,
                         discard: bool = False) -> CodebookRemoval: ...
    def add_value(self, attribute_uid: str, value: Value,
                  position: int | None = None) -> Value: ...
    def update_value(self, uid: str, **changes: Any) -> Value: ...
    def codebook_value(self, uid: str) -> tuple[Attribute, Value]: ...
    def remove_value(self, uid: str, *, replacement: str | None = None) -> CodebookRemoval: ...
    def restore_removed(self, record: CodebookRemoval) -> None: ...
    def article_variables(self, article_uid: str,
                          annotator_uid: str | None = None) -> dict[str, Any]: ...
    def set_article_variables(self, article_uid: str, values: dict[str, Any],
                              annotator_uid: str | None = None) -> dict[str, Any]: ...


class SuggestionDecisionRepo(Protocol):
    """Decisions on suggestions (store.suggestion_store.SuggestionMixin): recorded with
    their own uid (a redo records the same one again), undone into the trash."""

    def record_suggestion_decision(self, d: SuggestionDecision) -> SuggestionDecision: ...
    def undo_suggestion_decision(self, uid: str) -> SuggestionDecision: ...
    def rejected_suggestion_keys(self, article_uid: str,
                                 annotator_uid: str | None = None) -> set[str]: ...
    def suggestion_alias_counts(self, annotator_uid: str | None = None
                                ) -> dict[str, tuple[int, int]]: ...


class CommandRepo(AnnotationRepo, StatusRepo, RegisterRepo, ArticleRepo, CodebookRepo,
                  SuggestionDecisionRepo, Transactional, Protocol):
    """Everything any command may call: what an undo stack hands to apply/revert."""


@dataclass(frozen=True)
class MergeRecord:
    """What a merge of two actors changed: enough to reverse it exactly."""

    keep_uid: str
    drop_uid: str
    keep_aliases: tuple[str, ...]  # the kept actor's aliases before the merge
    moved: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> annotation uids
    article_uids: tuple[str, ...] = ()  # articles whose annotations moved
    decisions: tuple[str, ...] = ()  # decisions on suggestions that moved to keep
    decisions_trashed: tuple[str, ...] = ()  # ... and those the merge put in the trash

    def annotation_uids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u for uids in self.moved.values() for u in uids))


class RegisterEdits(Protocol):
    """Register writes that undo needs beyond the repository's own methods; the caller
    hands in the module stancemark.store.register_edits.

    `repo` is Any here on purpose: those store functions take the concrete Repository
    (they run SQL on it), which core cannot name; a Protocol parameter would not accept
    them. The commands pass on the repository they were given, whose type is checked."""

    def purge_actor(self, repo: Any, uid: str) -> None: ...
    def merge_actors_recorded(self, repo: Any, keep_uid: str,
                              drop_uid: str) -> tuple[Actor, MergeRecord]: ...
    def unmerge_actors(self, repo: Any, record: MergeRecord) -> Actor: ...
    def purge_topic(self, repo: Any, uid: str) -> None: ...
