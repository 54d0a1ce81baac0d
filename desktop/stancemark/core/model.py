"""Domain records shared by every layer.

Offsets are Unicode code points, end-exclusive (Python slicing). Uids are text
uuids so that stores from different machines merge without collisions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

ACTOR_KINDS: tuple[str, ...] = ("person", "state", "government", "organisation", "group", "other")
POLARITIES: tuple[str, ...] = ("support", "oppose", "neutral")
STATUSES: tuple[str, ...] = ("new", "in progress", "done")
GRANULARITIES: tuple[str, ...] = ("day", "month", "year", "interval")

# The gold layer produced by review is an annotator of its own with this name.
GOLD_ANNOTATOR = "gold"


def new_uid() -> str:
    return str(uuid.uuid4())


def now_iso() -> str:
    """UTC timestamp with microseconds; sorts as text."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class Article:
    uid: str
    title: str
    text: str
    sha256: str
    source: str = ""
    url: str = ""
    author: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) or ""
    language: str = ""
    added_at: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    deleted_at: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One line of the article list: no text, cheap to fetch by the thousand."""

    uid: str
    title: str
    published: str
    source: str
    annotation_count: int
    status: str


@dataclass(frozen=True, slots=True)
class Annotator:
    uid: str
    name: str
    colour: str = ""
    is_gold: bool = False


@dataclass(frozen=True, slots=True)
class Actor:
    uid: str
    name: str
    kind: str = "other"
    country: str = ""
    description: str = ""
    aliases: tuple[str, ...] = ()
    deleted_at: str | None = None
    colour: str = ""  # "#RRGGBB" the user chose for its mentions; "" = automatic


@dataclass(frozen=True, slots=True)
class Topic:
    uid: str
    name: str
    description: str = ""
    deleted_at: str | None = None


@dataclass(frozen=True, slots=True)
class Annotation:
    """A tagged span. `kind` is the uid of a span kind of the codebook
    (core/codebook.py); `attributes` holds its attribute values, {attribute uid: stored
    value}. The built-in kinds also use these fields (core/builtin_kinds.py):

    - actor: actor_uid
    - date: date_value (ISO 8601 day/month/year or interval "A/B"), date_granularity
    - stance: holder_uid (actor), target_topic_uid or target_actor_uid, polarity,
      stance_date, note
    """

    uid: str
    article_uid: str
    annotator_uid: str
    kind: str
    start: int
    end: int
    quote: str
    actor_uid: str | None = None
    date_value: str | None = None
    date_granularity: str | None = None
    holder_uid: str | None = None
    target_topic_uid: str | None = None
    target_actor_uid: str | None = None
    polarity: str | None = None
    stance_date: str | None = None
    note: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    def with_changes(self, **changes: Any) -> Annotation:
        return replace(self, **changes)


# Fields a user may change on an existing annotation (span, quote and owner are fixed
# except through the span editor, which re-checks the quote).
EDITABLE_ANNOTATION_FIELDS: tuple[str, ...] = (
    "start",
    "end",
    "quote",
    "actor_uid",
    "date_value",
    "date_granularity",
    "holder_uid",
    "target_topic_uid",
    "target_actor_uid",
    "polarity",
    "stance_date",
    "note",
    "meta",
    "attributes",
)


def annotation_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Annotation))


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: str
    annotator_uid: str
    action: str
    entity: str
    uid: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Change:
    """What a write changed, so views redraw only that (Anki's OpChanges idea). It
    carries what the views need, so nothing is read again after the commit."""

    action: str
    entity: str  # "annotation", "actor", "topic", "article", "status", "store",
    # "codebook", "variables"
    uids: tuple[str, ...] = ()
    article_uids: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()  # code-point ranges touched, for repaint
    # The annotations as they are after the change (trashed ones with deleted_at) ...
    annotations: tuple[Annotation, ...] = ()
    # ... and those gone from the store for good, as they were.
    removed: tuple[Annotation, ...] = ()
    # Article statuses the change set: (article uid, annotator uid, status).
    statuses: tuple[tuple[str, str, str], ...] = ()
